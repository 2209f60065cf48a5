"""Results of runs and comparisons, in memory (from the C++ library) or read
back from their HDF5 files (docs/output.md), behind one interface.

Both sources give the same nested tables — a dict per HDF5 group, a NumPy
array per dataset, a list of str per string dataset and ``"@name"`` keys for
attributes — so a run and its file give identical numbers.
"""
from __future__ import annotations

import itertools
import os
import shutil
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from . import _core
from ._scenario import Scenario

__all__ = ["Results", "Comparison", "open", "TOTALS", "RATES", "DIMENSIONS"]

#: Totals of each replicate, in the order of /replicates in the HDF5 file.
TOTALS = ["people", "reoffenders", "reoffences", "conviction_events", "custody_days", "recalls", "deaths"]
#: Rates derived from the totals (0 when their denominator is 0).
RATES = ["binary_rate", "reoffences_per_offender", "reoffences_per_reoffender", "conviction_events_per_offender",
         "custody_days_per_offender", "recalls_per_offender"]
#: Dimensions of :meth:`Results.by_group`.
DIMENSIONS = ["sentence", "sex", "age_band", "ogrs_band"]
#: Columns of the survival curve, of the time series and of the estimates.
SURVIVAL = ["reoffended", "lower", "upper", "at_risk"]
SERIES = ["custody_population", "supervision_caseload", "bed_days", "recalls", "releases"]
ESTIMATE_COLUMNS = ["mean", "ci_low", "ci_high", "sd"]
DIFFERENCE_COLUMNS = ["mean", "ci_low", "ci_high", "unpaired_ci_low", "unpaired_ci_high"]
#: base − option measures of a comparison, in the command line's order.
COMPARISON_MEASURES = ["reoffenders_averted", "binary_rate_points_averted", "reoffences_averted",
                       "conviction_events_averted", "prison_bed_days_saved", "prison_places_saved", "recalls_averted"]
ECONOMIC_ESTIMATES = ["net_present_value", "benefit_cost_ratio", "cost_per_reoffence_averted", "intervention_cost",
                      "benefits"]
THROUGHPUT_FIELDS = ["referrals", "starts", "completions", "dropouts", "declined", "lapsed", "interrupted",
                     "mean_wait_days", "p90_wait_days"]
SEXES = ["male", "female"]
OPTION_MARKER = "\n# ---- option "

Tables = Mapping[str, Any]


def _ordered(names: list[str], preferred: list[str]) -> list[str]:
    """`names` with those in `preferred` first, in its order, then the rest as given."""
    return [n for n in preferred if n in names] + [n for n in names if n not in preferred]


def _scalar(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


# --------------------------------------------------------------------- files


def _read_group(group: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """An HDF5 group as nested tables, datasets read whole.

    Groups named in `skip` are left out, at any depth (the per-person tables
    of a run file and of each run of a comparison file).
    """
    import h5py

    out: dict[str, Any] = {f"@{k}": _scalar(v) for k, v in group.attrs.items()}
    for name, item in group.items():
        if isinstance(item, h5py.Group):
            if name in skip:
                continue
            out[name] = _read_group(item, skip)
        elif h5py.check_string_dtype(item.dtype) is not None:
            out[name] = list(item.asstr()[()])
        elif "undefined" in item.attrs:
            out[name] = _with_undefined(item)
        else:
            out[name] = item[()]
    return out


def _with_undefined(item: Any) -> np.ndarray:
    """An estimate written without its undefined columns (docs/edge-cases.md),
    given them back as NaN, so a file reads as the run it came from."""
    values = np.asarray(item[()], dtype=float)
    missing = len(str(_scalar(item.attrs["undefined"])).split(","))
    pad = [(0, 0)] * (values.ndim - 1) + [(0, missing)]
    return np.pad(values, pad, constant_values=np.nan)


_tmp_counter = itertools.count()


def _write_atomically(path: "str | os.PathLike[str]", write: Callable[[str], None]) -> None:
    """Writes with `write(temporary path)` beside `path`, syncs, then renames over `path`."""
    path = os.fspath(path)
    tmp = f"{path}.tmp.{os.getpid()}.{next(_tmp_counter)}"
    try:
        write(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise


class _FileSource:
    """A run or comparison inside an HDF5 file: the file's path and the group's."""

    def __init__(self, path: str, group: str = "/") -> None:
        self.path = path
        self.group = group

    def people(self) -> np.ndarray | None:
        import h5py

        with h5py.File(self.path, "r") as f:
            g = f[self.group]
            if "people" not in g:
                return None
            columns = g["people"]
            n = columns["index_day"].shape[0]
            table = np.zeros(n, dtype=_core.person_dtype)
            for name in _core.person_dtype.names:
                table[name] = columns[name][()]
        table.flags.writeable = False
        return table

    def group_names(self) -> list[str] | None:
        import h5py

        with h5py.File(self.path, "r") as f:
            g = f[self.group]
            if "people" in g and "group_names" in g["people"]:
                return list(g["people/group_names"].asstr()[()])
        return None

    def copy_to(self, path: "str | os.PathLike[str]") -> None:
        import h5py

        if self.group == "/":
            _write_atomically(path, lambda tmp: shutil.copyfile(self.path, tmp))
            return

        def write(tmp: str) -> None:
            with h5py.File(self.path, "r") as src, h5py.File(tmp, "w", track_order=False) as dst:
                g = src[self.group]
                for k, v in g.attrs.items():
                    dst.attrs[k] = v
                for name in g:
                    src.copy(g[name], dst, name=name)

        _write_atomically(path, write)


# --------------------------------------------------------------------- runs


class Results:
    """The results of one run: measures, breakdowns, curves, series, people.

    Returned by :func:`desist.run`, by :func:`desist.open` for a run file, and
    by a :class:`Comparison` for its base and options. Every table is a pandas
    DataFrame built on demand from the same numbers the HDF5 file holds
    (reference: docs/output.md).
    """

    def __init__(self, tables: Tables, *, native: Any = None, source: _FileSource | None = None,
                 scenario: Scenario | None = None, name: str | None = None,
                 option_files: tuple[str, ...] = ()) -> None:
        self._tables = tables
        self._native = native
        self._source = source
        self._scenario = scenario
        self._name = name
        self._option_files = tuple(option_files)
        self._people: np.ndarray | None = None

    # ---- identity ---------------------------------------------------------------

    @property
    def seed(self) -> int:
        """Seed of the run: replicate r used the random streams keyed by (seed, r)."""
        return int(self._tables["@seed"])

    @property
    def replicates(self) -> int:
        """Number of replicates."""
        return int(self._tables["@replicates"])

    @property
    def cohort_size(self) -> int:
        """People in the cohort of each replicate."""
        return int(self._tables["@cohort_size"])

    @property
    def name(self) -> str:
        """The option's name for an option of a comparison; otherwise the scenario's name."""
        return self._name if self._name is not None else str(self._tables["@scenario_name"])

    @property
    def scenario_name(self) -> str:
        """The ``scenario.name`` of what ran (with `` + option`` for an option run)."""
        return str(self._tables["@scenario_name"])

    @property
    def scenario_text(self) -> str:
        """The scenario text as run (with any option files' text appended)."""
        return str(self._tables["@scenario"])

    @property
    def scenario(self) -> Scenario:
        """The scenario that was run, without any option put in place (see :attr:`option_files`)."""
        if self._scenario is None:
            text = self.scenario_text.split(OPTION_MARKER, 1)[0]
            file = str(self._tables["@scenario_file"]).split(" + ", 1)[0]
            self._scenario = Scenario.from_yaml(text, name=file)
        return self._scenario

    @property
    def option_files(self) -> tuple[str, ...]:
        """Option files put in place on the scenario for this run (known for runs made in this session)."""
        return self._option_files

    @property
    def version(self) -> str:
        """Version of desist that made the results."""
        return str(self._tables["@version"])

    @property
    def windows(self) -> dict[str, float]:
        """The measurement windows: followup_days, waiting_days, horizon_days."""
        return {k: float(self._tables[f"@{k}"]) for k in ("followup_days", "waiting_days", "horizon_days")}

    def __repr__(self) -> str:
        where = f" from {self._source.path!r}" if self._source else ""
        return (f"<desist.Results {self.name!r}: {self.replicates} replicate(s) of {self.cohort_size} people, "
                f"seed {self.seed}{where}>")

    # ---- tables -------------------------------------------------------------------

    @property
    def measures(self) -> pd.DataFrame:
        """One row per replicate (index ``replicate``): the overall totals and rates.

        Columns: people, reoffenders, reoffences, conviction_events,
        custody_days, recalls, deaths, then binary_rate,
        reoffences_per_offender, reoffences_per_reoffender,
        conviction_events_per_offender, custody_days_per_offender,
        recalls_per_offender.
        """
        t = self._tables["replicates"]
        columns = _ordered(list(t), TOTALS + RATES)
        df = pd.DataFrame({c: np.asarray(t[c], dtype=float) for c in columns})
        df.index.name = "replicate"
        return df

    @property
    def summary(self) -> pd.DataFrame:
        """One row per rate (index ``measure``): mean over replicates, 95% interval of the mean, sd.

        Columns mean, ci_low, ci_high, sd (Student's t; the interval and sd are
        NaN with one replicate).
        """
        t = self._tables["summary"]
        names = _ordered(list(t), RATES)
        df = pd.DataFrame([np.asarray(t[n], dtype=float) for n in names], index=pd.Index(names, name="measure"),
                          columns=ESTIMATE_COLUMNS)
        return df

    def by_group(self, dimension: str) -> pd.DataFrame:
        """Totals and rates by category of a dimension, one row per replicate and category.

        `dimension` is ``"sentence"``, ``"sex"``, ``"age_band"`` or
        ``"ogrs_band"``. Columns: replicate, category (an ordered categorical),
        then the columns of :attr:`measures`.
        """
        groups = self._tables["by_group"]
        if dimension not in groups:
            raise KeyError(f"no breakdown by {dimension!r}; the dimensions are {list(groups)}")
        g = groups[dimension]
        categories = list(g["categories"])
        fields = _ordered([k for k in g if not k.startswith("@") and k != "categories"], TOTALS + RATES)
        r, c = self.replicates, len(categories)
        data: dict[str, Any] = {
            "replicate": np.repeat(np.arange(r), c),
            "category": pd.Categorical(np.tile(categories, r) if c else [], categories=categories, ordered=True),
        }
        for f in fields:
            data[f] = np.asarray(g[f], dtype=float).reshape(r * c)
        return pd.DataFrame(data)

    def survival(self) -> pd.DataFrame:
        """Time to first proven reoffence: one row per day of follow-up and replicate.

        Columns day, reoffended (1 − Kaplan–Meier, censored at death), lower and
        upper (Greenwood 95% band), at_risk, replicate.
        """
        s = self._tables["survival"]
        day = np.asarray(s["day"], dtype=float)
        r, d = self.replicates, day.size
        data: dict[str, Any] = {"day": np.tile(day, r)}
        for name in SURVIVAL:
            data[name] = np.asarray(s[name], dtype=float).reshape(r * d)
        data["replicate"] = np.repeat(np.arange(r), d)
        return pd.DataFrame(data)

    def timeseries(self) -> pd.DataFrame:
        """Calendar months (of 365.25/12 days from the first possible index date) by replicate.

        Columns replicate, month, month_start_day, custody_population,
        supervision_caseload, bed_days, recalls, releases.
        """
        t = self._tables["timeseries"]
        start = np.asarray(t["month_start_day"], dtype=float)
        r, m = self.replicates, start.size
        data: dict[str, Any] = {
            "replicate": np.repeat(np.arange(r), m),
            "month": np.tile(np.arange(m), r),
            "month_start_day": np.tile(start, r),
        }
        for name in _ordered([k for k in t if not k.startswith("@") and k != "month_start_day"], SERIES):
            data[name] = np.asarray(t[name], dtype=float).reshape(r * m)
        return pd.DataFrame(data)

    @property
    def diagnostics(self) -> pd.DataFrame:
        """Performance of each replicate (index ``replicate``, its position in the run).

        Columns seconds, engine_seconds, events, events_per_second,
        events_per_person (mean), most_events (of any one person),
        busiest_person (their cohort index), replicate_key (the replicate's
        random-stream key: with the seed and busiest_person it names the
        busiest person's streams) and checksum (of the event stream: equal
        checksums, equal histories). The distribution of events per person
        is `events_histogram()`.
        """
        t = {k: v for k, v in self._tables.get("diagnostics", {}).items() if k != "people_by_events"}
        preferred = ["seconds", "engine_seconds", "events", "events_per_second", "events_per_person", "most_events",
                     "busiest_person", "replicate_key", "checksum"]
        names = _ordered([k for k in t if not k.startswith("@")], preferred)
        df = pd.DataFrame({k: np.asarray(t[k]) for k in names})
        df.index.name = "replicate"
        return df

    def events_histogram(self) -> pd.DataFrame:
        """People by their number of events, per replicate.

        Columns replicate, events and people; the last row of each replicate
        (events = 64) counts the people with 64 events or more.
        """
        counts = np.asarray(self._tables.get("diagnostics", {}).get("people_by_events", np.zeros((0, 0))))
        r, bins = counts.shape if counts.ndim == 2 else (0, 0)
        return pd.DataFrame({"replicate": np.repeat(np.arange(r), bins), "events": np.tile(np.arange(bins), r),
                             "people": counts.reshape(r * bins)})

    # ---- people -------------------------------------------------------------------

    @property
    def has_people(self) -> bool:
        """Whether the per-person table of the first replicate was kept."""
        if self._native is not None:
            return self._native.people() is not None
        return self._source is not None and self._people_array() is not None

    @property
    def group_names(self) -> list[str]:
        """Names of the per-person ``group`` codes (the sentence groups)."""
        if self._native is not None:
            return list(self._native.group_names())
        names = self._source.group_names() if self._source else None
        return names if names is not None else list(self._tables["by_group"]["sentence"]["categories"])

    def _people_array(self) -> np.ndarray | None:
        if self._people is None:
            if self._native is not None:
                self._people = self._native.people()
            elif self._source is not None:
                self._people = self._source.people()
        return self._people

    def people(self, as_frame: bool = False) -> "np.ndarray | pd.DataFrame":
        """The first replicate's per-person table.

        By default a read-only NumPy structured array with fields index_day,
        group, age, sex, ogrs3, first_proven_reoffence_day (NaN: none),
        proven_reoffences, conviction_events, custody_days, recalls, death_day
        (NaN: alive at the horizon); for a run made in this session it is a
        view of the C++ results' memory, not a copy. ``as_frame=True`` gives a
        DataFrame (a copy) with ``group`` and ``sex`` as categoricals.

        Raises LookupError when the run did not keep the table
        (``keep_people=False``; comparisons do not keep it by default).
        """
        table = self._people_array()
        if table is None:
            raise LookupError("these results hold no per-person table (the run was made with keep_people=False)")
        if not as_frame:
            return table
        df = pd.DataFrame({name: table[name] for name in table.dtype.names})
        df["group"] = pd.Categorical.from_codes(df["group"].astype(int), categories=self.group_names)
        df["sex"] = pd.Categorical.from_codes(df["sex"].astype(int), categories=SEXES)
        df.index.name = "person"
        return df

    # ---- files --------------------------------------------------------------------

    def to_hdf5(self, path: "str | os.PathLike[str]") -> None:
        """Writes the HDF5 results file (layout: docs/output.md), atomically.

        A run made in this session is written by the C++ writer (the same file
        as ``desist run --out``); results read from a file are copied from it.
        Raises RuntimeError naming the path when the file cannot be written.
        """
        if self._native is not None:
            self._native.write_hdf5(os.fspath(path))
        elif self._source is not None:
            self._source.copy_to(path)
        else:  # pragma: no cover - every Results has one or the other
            raise RuntimeError("these results have nothing to write")


# --------------------------------------------------------------------- comparisons


class Comparison:
    """Commissioning options against a base, run on shared cohorts and random numbers.

    Returned by :func:`desist.compare` and by :func:`desist.open` for a
    comparison file. Every figure is base − option (positive: the option
    improves on the base) with its paired 95% interval (Student's t on the
    replicate differences) beside the unpaired one (Welch, as if the runs were
    independent).
    """

    def __init__(self, tables: Tables, *, native: Any = None, source: _FileSource | None = None,
                 base_scenario: Scenario | None = None, option_files: Mapping[str, str] | None = None) -> None:
        self._tables = tables
        self._native = native
        self._source = source
        self._base_scenario = base_scenario
        self._option_files = dict(option_files or {})
        self._results: dict[str, Results] = {}

    @property
    def seed(self) -> int:
        """Seed of the base and every option."""
        return int(self._tables["@seed"])

    @property
    def replicates(self) -> int:
        """Paired replicates."""
        return int(self._tables["@replicates"])

    @property
    def options(self) -> dict[str, str]:
        """The options: key (the option file's name without ``.yaml``) → name."""
        return {key: str(c["@name"]) for key, c in self._tables["comparison"].items()}

    @property
    def base(self) -> Results:
        """The base run."""
        if "" not in self._results:
            native = self._native.base if self._native is not None else None
            source = _FileSource(self._source.path, "/base") if self._source else None
            self._results[""] = Results(self._tables["base"], native=native, source=source,
                                        scenario=self._base_scenario)
        return self._results[""]

    def option(self, key: str) -> Results:
        """The run of one option (its key: the option file's name without ``.yaml``).

        Its :attr:`Results.name` is the option's name.
        """
        keys = list(self._tables["comparison"])
        if key not in keys:
            raise KeyError(f"no option {key!r} in the comparison; the options are {keys}")
        if key not in self._results:
            native = self._native.option(keys.index(key)) if self._native is not None else None
            source = _FileSource(self._source.path, f"/options/{key}") if self._source else None
            files = (self._option_files[key],) if key in self._option_files else ()
            self._results[key] = Results(self._tables["options"][key], native=native, source=source,
                                         scenario=self._base_scenario, name=self.options[key], option_files=files)
        return self._results[key]

    def __repr__(self) -> str:
        where = f" from {self._source.path!r}" if self._source else ""
        return (f"<desist.Comparison of {list(self.options)} against {self.base.name!r}: "
                f"{self.replicates} paired replicate(s), seed {self.seed}{where}>")

    # ---- tables -------------------------------------------------------------------

    def table(self) -> pd.DataFrame:
        """What each option does, base − option, one row per (option, measure).

        Measures: reoffenders_averted, binary_rate_points_averted (percentage
        points), reoffences_averted, conviction_events_averted,
        prison_bed_days_saved, prison_places_saved, recalls_averted. Columns:
        mean, ci_low, ci_high (paired 95% interval), unpaired_ci_low,
        unpaired_ci_high.
        """
        rows, index = [], []
        for key, c in self._tables["comparison"].items():
            m = c["measures"]
            for name in _ordered([k for k in m if not k.startswith("@")], COMPARISON_MEASURES):
                rows.append(np.asarray(m[name], dtype=float))
                index.append((key, name))
        return pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index, names=["option", "measure"]),
                            columns=DIFFERENCE_COLUMNS)

    def economics(self) -> pd.DataFrame:
        """The economics of each option, one row per (option, estimate).

        Estimates (pounds, discounted): net_present_value, benefit_cost_ratio,
        cost_per_reoffence_averted, intervention_cost, benefits; and
        probability_net_benefit_positive (its mean only). Columns mean, ci_low,
        ci_high, sd.
        """
        rows, index = [], []
        for key, c in self._tables["comparison"].items():
            e = c["economics"]
            for name in ECONOMIC_ESTIMATES:
                if name in e:
                    rows.append(np.asarray(e[name], dtype=float))
                    index.append((key, name))
            if "probability_net_benefit_positive" in e:
                p = float(np.asarray(e["probability_net_benefit_positive"]).reshape(-1)[0])
                rows.append(np.array([p, np.nan, np.nan, np.nan]))
                index.append((key, "probability_net_benefit_positive"))
        return pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index, names=["option", "estimate"]),
                            columns=ESTIMATE_COLUMNS)

    def savings_by_agency(self) -> pd.DataFrame:
        """Who saves: discounted base − option cost of each agency, one row per (option, agency).

        An agency that pays for the option shows a negative saving; an option's
        savings add up to its net present value. Columns mean, ci_low, ci_high, sd.
        """
        frames = []
        for key, c in self._tables["comparison"].items():
            e = c["economics"]
            agencies = list(e["agencies"])
            values = np.asarray(e["savings_by_agency"], dtype=float).reshape(len(agencies), 4)
            frames.append(pd.DataFrame(values, index=pd.MultiIndex.from_product([[key], agencies],
                                                                                names=["option", "agency"]),
                                       columns=ESTIMATE_COLUMNS))
        return pd.concat(frames) if frames else pd.DataFrame(
            columns=ESTIMATE_COLUMNS, index=pd.MultiIndex.from_tuples([], names=["option", "agency"]))

    def savings_by_agency_by_year(self) -> pd.DataFrame:
        """Undiscounted base − option cost by agency and calendar year of the cohort period, mean over replicates.

        One row per (option, agency), one column per year (0: the year from the
        first possible index date).
        """
        frames = []
        for key, c in self._tables["comparison"].items():
            e = c["economics"]
            agencies = list(e["agencies"])
            values = np.asarray(e["savings_by_agency_by_year"], dtype=float).reshape(len(agencies), -1)
            df = pd.DataFrame(values, index=pd.MultiIndex.from_product([[key], agencies], names=["option", "agency"]))
            df.columns.name = "year"
            frames.append(df)
        return pd.concat(frames) if frames else pd.DataFrame()

    def throughput(self, intervals: bool = False) -> pd.DataFrame:
        """What each option's interventions did, one row per (option, intervention).

        Columns: referrals, starts, completions, dropouts, declined, lapsed,
        interrupted, mean_wait_days, p90_wait_days (means over replicates) and
        in_service_by_month (an array per row: mean number in service in each
        calendar month). With ``intervals=True``: one row per (option,
        intervention, field) with columns mean, ci_low, ci_high, sd.
        """
        rows: list[Any] = []
        index: list[tuple[str, ...]] = []
        for key, c in self._tables["comparison"].items():
            for intervention, t in c["throughput"].items():
                fields = _ordered([k for k in t if not k.startswith("@") and k != "in_service_by_month"],
                                  THROUGHPUT_FIELDS)
                if intervals:
                    for f in fields:
                        rows.append(np.asarray(t[f], dtype=float))
                        index.append((key, intervention, f))
                else:
                    row: dict[str, Any] = {f: float(np.asarray(t[f])[0]) for f in fields}
                    row["in_service_by_month"] = np.asarray(t.get("in_service_by_month", []), dtype=float)
                    rows.append(row)
                    index.append((key, intervention))
        if intervals:
            return pd.DataFrame(rows, columns=ESTIMATE_COLUMNS, index=pd.MultiIndex.from_tuples(
                index, names=["option", "intervention", "field"]) if index else None)
        columns = THROUGHPUT_FIELDS + ["in_service_by_month"]
        if not index:
            return pd.DataFrame(columns=columns)
        return pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index, names=["option", "intervention"]))

    # ---- files --------------------------------------------------------------------

    def to_hdf5(self, path: "str | os.PathLike[str]") -> None:
        """Writes the HDF5 comparison file (docs/output.md), atomically: the file
        ``desist compare --out`` writes (copied, for a comparison read from a file)."""
        if self._native is not None:
            self._native.write_hdf5(os.fspath(path))
        elif self._source is not None:
            self._source.copy_to(path)

    def to_json(self) -> str:
        """The JSON summary ``desist compare --json`` writes (docs/interventions.md).

        Only for a comparison run in this session: a comparison file holds the
        same numbers, read them with :meth:`table`, :meth:`economics` and the rest.
        """
        if self._native is None:
            raise NotImplementedError("to_json() needs a comparison run in this session (desist.compare); "
                                      "read a comparison file's numbers with table(), economics() and the rest")
        return self._native.to_json()


# --------------------------------------------------------------------- open


def open(path: "str | os.PathLike[str]") -> Any:  # noqa: A001 - the natural name
    """Reads an HDF5 file desist wrote, whatever it holds.

    Returns :class:`Results` for a run file (``desist run --out``,
    :meth:`Results.to_hdf5`), :class:`Comparison` for a comparison file (root
    attribute ``kind = "comparison"``), :class:`desist.SweepResults` for a sweep
    file (``format = "desist sweep 1"``, as :func:`desist.open_sweep`) and
    :class:`desist.pbr.PbrResults` for a contract file (``kind = "contract"``,
    as :func:`desist.pbr.open`). Everything but the per-person table is read at
    once; the file is not kept open. Raises FileNotFoundError, or ValueError
    for an HDF5 file desist did not write.
    """
    import h5py

    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(path)
    with h5py.File(path, "r") as f:
        if f.attrs.get("format") == "desist sweep 1":
            from ._sweep import open_sweep

            return open_sweep(path)
        if f.attrs.get("program") != "desist":
            raise ValueError(f"{path}: not a desist results file (no program = 'desist' attribute)")
        if f.attrs.get("kind") == "contract":
            from . import pbr

            return pbr.open(path)
        tables = _read_group(f, skip=("people",))
    source = _FileSource(path)
    if tables.get("@kind") == "comparison":
        return Comparison(tables, source=source)
    return Results(tables, source=source)
