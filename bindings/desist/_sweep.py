"""Sweeps (docs/sweeps.md): :func:`sweep` runs a sweep file with the library's
sweep job (the same as ``desist sweep``), :func:`open_sweep` reads a sweep
file; both give :class:`SweepResults`, read from the same HDF5 layout (in
memory for a sweep run in this session), so they give identical numbers."""
from __future__ import annotations

import io
import os
import threading
from typing import Any, Mapping

import numpy as np
import pandas as pd
import yaml

from . import _core
from ._results import _read_group
from ._run import Progress, _execute
from ._scenario import _plain

__all__ = ["sweep", "open_sweep", "SweepResults"]


def _frame(group: dict[str, Any], index: pd.Index) -> pd.DataFrame:
    """Columns '<scenario>.<measure>' from the groups of `group` (datasets of one row per index)."""
    data = {f"{s}.{m}": np.asarray(v) for s, g in group.items() if isinstance(g, dict)
            for m, v in g.items() if not m.startswith("@")}
    return pd.DataFrame(data, index=index)


class SweepResults:
    """A sweep's rows, points, per-point summaries and analyses, as DataFrames."""

    def __init__(self, tables: dict[str, Any], native: Any = None) -> None:
        self._t = tables
        self._native = native

    @property
    def attributes(self) -> dict[str, Any]:
        """The file's root attributes: name, description, design, seed, replicates, program_version, ..."""
        return {k[1:]: v for k, v in self._t.items() if k.startswith("@")}

    @property
    def inputs(self) -> dict[str, Any]:
        """Everything needed to rerun: the sweep, scenario and option texts and their files (docs/sweeps.md)."""
        i = self._t.get("inputs", {})
        return {"sweep": str(i.get("@sweep", "")), "sweep_file": str(i.get("@sweep_file", "")),
                "scenario": str(i.get("@scenario", "")), "scenario_file": str(i.get("@scenario_file", "")),
                "option_files": list(i.get("option_files", [])), "options": list(i.get("options", []))}

    @property
    def complete(self) -> bool:
        """Whether every row is done."""
        return bool(self._t["@complete"])

    @property
    def factors(self) -> pd.DataFrame:
        """One row per factor: path, distribution, dimension, from_scenario."""
        f = self._t["factors"]
        return pd.DataFrame({"path": f["path"], "distribution": f["distribution"],
                             "dimension": np.asarray(f["dimension"]),
                             "from_scenario": np.asarray(f["from_scenario"]).astype(bool)})

    @property
    def points(self) -> pd.DataFrame:
        """One row per point (index ``point``): role, dimension moved, and each factor's value."""
        p = self._t["points"]
        df = pd.DataFrame(np.asarray(p["values"]), columns=list(self._t["factors"]["path"]))
        df.insert(0, "role", p["role"])
        df.insert(1, "dimension", np.asarray(p["dimension"]))
        df.index.name = "point"
        return df

    @property
    def rows(self) -> pd.DataFrame:
        """One row per (point, replicate): done, checksum and every column (NaN where not done)."""
        r = self._t["rows"]
        index = pd.MultiIndex.from_arrays([np.asarray(r["point"]), np.asarray(r["replicate"])],
                                          names=["point", "replicate"])
        df = _frame(r, index)
        df.insert(0, "done", np.asarray(r["done"]).astype(bool))
        df.insert(1, "checksum", np.asarray(r["checksum"]))
        return df

    @property
    def summary(self) -> pd.DataFrame:
        """Per point and column: mean, ci_low, ci_high, sd over the point's replicates."""
        s = self._t["summary"]
        parts = {f"{sc}.{m}": pd.DataFrame(np.asarray(v), columns=["mean", "ci_low", "ci_high", "sd"])
                 for sc, g in s.items() if isinstance(g, dict) for m, v in g.items() if not m.startswith("@")}
        df = pd.concat(parts, names=["column", "point"]).swaplevel().sort_index()
        return df

    @property
    def tornado(self) -> pd.DataFrame:
        """Per output and dimension (largest swing first): low, high, swing, centre."""
        t = self._t.get("analysis", {}).get("tornado", {})
        frames = []
        for sc, g in t.items():
            if not isinstance(g, dict):
                continue
            for m, v in g.items():
                df = pd.DataFrame({"output": f"{sc}.{m}", "dimension": v["dimension"],
                                   "low": np.asarray(v["low"]), "high": np.asarray(v["high"])})
                df["swing"] = df["high"] - df["low"]
                df["centre"] = float(v["@centre"])
                frames.append(df)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
            columns=["output", "dimension", "low", "high", "swing", "centre"])

    @property
    def sobol(self) -> pd.DataFrame:
        """Per output and dimension: first and total indices with 95% bootstrap intervals."""
        s = self._t.get("analysis", {}).get("sobol", {})
        names = list(self._t["factors"]["dimension_names"])
        frames = []
        for sc, g in s.items():
            if not isinstance(g, dict):
                continue
            for m, v in g.items():
                first, total = np.asarray(v["first"]), np.asarray(v["total"])
                frames.append(pd.DataFrame({"output": f"{sc}.{m}", "dimension": names,
                                            "first": first[:, 0], "first_ci_low": first[:, 1],
                                            "first_ci_high": first[:, 2], "total": total[:, 0],
                                            "total_ci_low": total[:, 1], "total_ci_high": total[:, 2]}))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    @property
    def decision(self) -> dict[str, Any] | None:
        """The decision: best choice, EVPI, and a table of choices (expected net benefit, probability best)."""
        d = self._t.get("analysis", {}).get("decision")
        if d is None:
            return None
        return {"best": str(d["@best"]), "evpi": float(d["@evpi"]), "net_benefit": str(d["@net_benefit"]),
                "choices": pd.DataFrame({"expected_net_benefit": np.asarray(d["expected_net_benefit"]),
                                         "probability_best": np.asarray(d["probability_best"])},
                                        index=pd.Index(d["choices"], name="choice")),
                "evppi": pd.Series(np.asarray(d["evppi"]), index=list(self._t["factors"]["dimension_names"]),
                                   name="evppi")}

    def to_json(self) -> str:
        """The JSON ``desist sweep --json`` writes (a sweep run in this session)."""
        if self._native is None:
            raise NotImplementedError("to_json() needs a sweep run in this session (desist.sweep)")
        return self._native.to_json()

    def to_hdf5(self, path: "str | os.PathLike[str]") -> None:
        """Writes the sweep file atomically (a sweep run in this session)."""
        if self._native is None:
            raise NotImplementedError("to_hdf5() needs a sweep run in this session (desist.sweep)")
        self._native.write_hdf5(os.fspath(path))


def _tables(source: Any) -> dict[str, Any]:
    import h5py

    with h5py.File(source, "r") as f:
        if f.attrs.get("format") != "desist sweep 1":
            raise ValueError("not a desist sweep file (no format = 'desist sweep 1' attribute)")
        return _read_group(f)


def _plan(sweep_file: "str | os.PathLike[str] | Mapping[str, Any]", name: str | None,
          overrides: "list[str] | tuple[str, ...]") -> Any:
    """A sweep file read, or a dict shaped like one written as YAML and read under `name`."""
    sets = [str(o) for o in overrides]
    if isinstance(sweep_file, Mapping):
        text = yaml.safe_dump(_plain(sweep_file), sort_keys=False, allow_unicode=True)
        return _core.parse_sweep(text, "<dict>" if name is None else os.fspath(name), sets)
    if name is not None:
        raise ValueError("name= is for a sweep given as a dict; a sweep file is named by its path")
    return _core.load_sweep(os.fspath(sweep_file), sets)


def sweep(sweep_file: "str | os.PathLike[str] | Mapping[str, Any]", *, name: "str | os.PathLike[str] | None" = None,
          overrides: "list[str] | tuple[str, ...]" = (),
          threads: int | None = None, progress: Progress = True, out: "str | os.PathLike[str] | None" = None,
          resume: bool = False, checkpoint_seconds: float = 60.0,
          cancel: "threading.Event | None" = None) -> SweepResults:
    """Runs a sweep file (docs/sweeps.md); the same numbers as ``desist sweep``.

    `sweep_file` is a sweep file's path or a dict shaped like one (the keys of
    docs/sweeps.md), written as YAML and read under `name` (default
    ``"<dict>"``): messages name it, and the dict's relative paths (scenario,
    options) are from its folder (default: the working directory).

    `overrides` ("path.to.key=value") apply to the sweep file, as ``--set``.
    `out` is the sweep file, also the checkpoint; `resume` runs only the rows
    not done there. Raises desist.InputError (the command line's message) and
    desist.Cancelled (Ctrl-C or `cancel`; `out` then holds the rows done).
    """
    plan = _plan(sweep_file, name, overrides)
    target = "" if out is None else os.fspath(out)
    threads = 0 if threads is None else int(threads)
    already = _core.resumable_rows(plan, target) if resume and target else 0
    control = _core.SweepControl()
    result = _execute(lambda c: _core.run_sweep(plan, target, resume, threads, float(checkpoint_seconds), c),
                      plan.rows - already, progress, cancel, "desist sweep", control=control, unit="rows")
    return SweepResults(_tables(io.BytesIO(result.image())), native=result)


def open_sweep(path: "str | os.PathLike[str]") -> SweepResults:
    """Reads a sweep file written by ``desist sweep --out`` or :func:`sweep`."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(path)
    return SweepResults(_tables(path))
