"""Tests of the Python package: scenarios, runs, results, cancellation, files.

They import the package built in build/ (PYTHONPATH from ctest) and mirror the
C++ tests of each feature the package exposes; cohorts are small.
"""
import _thread
import math
import threading
import time

import h5py
import numpy as np
import pandas as pd
import pytest
import yaml

import desist
from desist import _results
from desist._scenario import _yaml_value
from conftest import BASELINE, ROOT

HOUSING = ROOT / "scenarios" / "options" / "housing_ttg.yaml"
MENTORING = ROOT / "scenarios" / "options" / "mentoring.yaml"
GROUPS = ["custody_under_12m", "custody_12m_to_4y", "custody_4y_plus", "community_order",
          "suspended_sentence_order", "other_disposal"]
PERSON_FIELDS = ["index_day", "group", "age", "sex", "ogrs3", "first_proven_reoffence_day", "proven_reoffences",
                 "conviction_events", "custody_days", "recalls", "death_day"]


@pytest.fixture
def cli(desist):
    """Runs the command line tool (conftest's fixture, renamed: `desist` is the package here)."""
    return desist


def assert_same_people(a, b):
    """Field by field (padding between fields is not data), NaN equal to NaN."""
    assert a.dtype.names == b.dtype.names and a.shape == b.shape
    for name in a.dtype.names:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)


def small(size=5000):
    return desist.Scenario.load(BASELINE).set("cohort.size", size)


@pytest.fixture(scope="module")
def results():
    return desist.run(small(), replicates=3, seed=11, threads=2, progress=False)


# ---- scenarios ----------------------------------------------------------------------


def test_a_scenario_loads_validates_and_reports_its_settings():
    s = desist.Scenario.load(BASELINE)
    assert s.validate() is s
    assert s.name == "England and Wales adult cohort 2010/11 (baseline)"
    assert s.seed == 20101001 and s.replicates == 1
    assert s.cohort_size > 100000
    assert s.group_names == GROUPS
    assert s.file == str(BASELINE)
    assert s.to_yaml() == BASELINE.read_text()  # no overrides: the file as it is
    assert s.to_dict()["scenario"]["name"] == s.name


def test_set_changes_the_scenario_in_place_and_chains():
    s = desist.Scenario.load(BASELINE)
    assert s.set("cohort.size", 5000).set("run.seed", 7) is s
    assert s.cohort_size == 5000 and s.seed == 7
    assert s.overrides == ("cohort.size=5000", "run.seed=7")
    assert s.to_yaml().startswith(f"# {BASELINE} with overrides: --set cohort.size=5000 --set run.seed=7")
    copy = s.copy().set("cohort.size", 6000)
    assert copy.cohort_size == 6000 and s.cohort_size == 5000
    assert s.update({"run.replicates": 4, "release.ora_2014": True}).replicates == 4


def test_values_are_written_as_the_command_line_reads_them():
    assert _yaml_value(True) == "true" and _yaml_value(False) == "false"
    assert _yaml_value(5000) == "5000" and _yaml_value(0.1) == "0.1" and _yaml_value(1e-7) == "1e-07"
    assert _yaml_value(float("nan")) == ".nan" and _yaml_value(None) == "null"
    assert _yaml_value("1.5") == "1.5"  # strings as given, as after --set key=
    assert _yaml_value(np.float64(0.25)) == "0.25" and _yaml_value(np.int64(3)) == "3"
    assert yaml.safe_load(_yaml_value([[1, 0.5], [0.5, 1]])) == [[1, 0.5], [0.5, 1]]
    assert yaml.safe_load(_yaml_value({"a": {"b": [1, 2]}})) == {"a": {"b": [1, 2]}}
    with pytest.raises(TypeError):
        _yaml_value(object())


def test_a_typo_names_file_line_column_and_the_nearest_key(tmp_path, cli):
    bad = tmp_path / "typo.yaml"
    text = BASELINE.read_text().replace("  frailty_variance:", "  fraility_variance:")
    bad.write_text(text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "fraility_variance" in l)
    s = desist.Scenario.load(bad)
    with pytest.raises(desist.InputError) as caught:
        s.validate()
    e = caught.value
    assert isinstance(e, ValueError)
    assert str(e).startswith(f"{bad}:{line}:3: 'offending.fraility_variance'")
    assert "did you mean 'frailty_variance'?" in str(e)
    assert (e.file, e.line, e.column, e.key) == (str(bad), line, 3, "offending.fraility_variance")
    assert str(e).endswith(e.detail)
    # Exactly the command line's message.
    out = cli("validate", bad, check=False)
    assert out.returncode == 2 and out.stderr.strip() == f"error: {e}"
    # Running it raises the same.
    with pytest.raises(desist.InputError, match="fraility_variance"):
        desist.run(s, progress=False)


def test_an_override_error_names_the_override(cli):
    s = small().set("cohort.groups.community_order.female_share", 1.5)
    with pytest.raises(desist.InputError) as caught:
        s.validate()
    e = caught.value
    assert e.file == "--set cohort.groups.community_order.female_share=1.5"
    assert e.line is None and e.column is None
    assert e.key == "cohort.groups.community_order.female_share"
    assert "between 0 and 1" in str(e)
    out = cli("validate", BASELINE, "--set", "cohort.size=5000", "--set",
              "cohort.groups.community_order.female_share=1.5", check=False)
    assert out.stderr.strip() == f"error: {e}"

    with pytest.raises(desist.InputError, match=r"--set cohort.sise=5: 'cohort.sise': unknown key 'sise'; "
                                                r"did you mean 'size'\?"):
        small().set("cohort.sise", 5).validate()
    with pytest.raises(desist.InputError, match="empty key"):
        small().set("cohort..size", 5).validate()
    with pytest.raises(TypeError):
        small().set("", 5)


def test_malformed_yaml_and_dicts_are_located():
    with pytest.raises(desist.InputError, match=r"^inline:\d+:\d+: malformed YAML") as caught:
        desist.Scenario.from_yaml("cohort: {size: 10\n", name="inline").validate()
    assert caught.value.line >= 1 and caught.value.file == "inline"
    data = yaml.safe_load(BASELINE.read_text())
    data["offending"]["fraility_variance"] = data["offending"].pop("frailty_variance")
    s = desist.Scenario.from_dict(data, name="mine")
    with pytest.raises(desist.InputError) as caught:
        s.validate()
    e = caught.value
    assert e.file == "mine" and e.key == "offending.fraility_variance"
    assert "fraility_variance" in s.source().splitlines()[e.line - 1]


def test_a_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        desist.Scenario.load(tmp_path / "nothing.yaml")


def test_a_scenario_from_a_dict_runs_as_its_file():
    data = yaml.safe_load(BASELINE.read_text())
    a = desist.run(desist.Scenario.from_dict(data).set("cohort.size", 3000), seed=4, replicates=2, progress=False)
    b = desist.run(small(3000), seed=4, replicates=2, progress=False)
    pd.testing.assert_frame_equal(a.measures, b.measures)


# ---- runs and their results ------------------------------------------------------------


def test_results_have_the_documented_shapes(results):
    r = results
    assert (r.seed, r.replicates, r.cohort_size) == (11, 3, 5000)
    assert r.name == r.scenario_name == "England and Wales adult cohort 2010/11 (baseline)"
    assert r.scenario.cohort_size == 5000 and r.version == desist.__version__
    assert r.windows["followup_days"] == pytest.approx(365.25, abs=1)

    m = r.measures
    assert list(m.columns) == _results.TOTALS + _results.RATES
    assert m.shape == (3, 13) and m.index.name == "replicate" and list(m.index) == [0, 1, 2]
    assert (m["people"] == 5000).all()
    np.testing.assert_allclose(m["binary_rate"], m["reoffenders"] / m["people"])
    assert m["binary_rate"].nunique() == 3  # replicates differ

    s = r.summary
    assert list(s.index) == _results.RATES and list(s.columns) == ["mean", "ci_low", "ci_high", "sd"]
    np.testing.assert_allclose(s["mean"], m[_results.RATES].mean())
    np.testing.assert_allclose(s["sd"], m[_results.RATES].std(ddof=1))
    assert (s["ci_low"] <= s["mean"]).all() and (s["mean"] <= s["ci_high"]).all()

    for dimension in ["sentence", "sex", "age_band", "ogrs_band"]:
        g = r.by_group(dimension)
        categories = list(g["category"].cat.categories)
        assert len(g) == 3 * len(categories)
        assert list(g.columns) == ["replicate", "category"] + _results.TOTALS + _results.RATES
        # The categories add up to the whole cohort in each replicate.
        np.testing.assert_allclose(g.groupby("replicate")["reoffences"].sum(), m["reoffences"])
    assert list(r.by_group("sentence")["category"].cat.categories) == GROUPS
    assert list(r.by_group("sex")["category"].cat.categories) == ["male", "female"]
    with pytest.raises(KeyError, match="sentence"):
        r.by_group("gender")

    sv = r.survival()
    assert list(sv.columns) == ["day", "reoffended", "lower", "upper", "at_risk", "replicate"]
    days = sv[sv["replicate"] == 0]["day"].to_numpy()
    assert days[0] == 0 and np.all(np.diff(days) == 1) and len(sv) == 3 * len(days)
    last = sv.groupby("replicate")["reoffended"].last()
    assert (last > 0.1).all() and (last < 0.5).all()

    ts = r.timeseries()
    assert list(ts.columns)[:3] == ["replicate", "month", "month_start_day"]
    assert {"custody_population", "supervision_caseload", "bed_days", "recalls", "releases"} <= set(ts.columns)
    months = ts["month"].max() + 1
    assert len(ts) == 3 * months and ts["month_start_day"].iloc[1] == pytest.approx(365.25 / 12)
    np.testing.assert_allclose(ts.groupby("replicate")["recalls"].sum(), m["recalls"])

    d = r.diagnostics
    assert len(d) == 3 and (d["events"] > 0).all() and (d["seconds"] >= 0).all()
    assert list(d["replicate_key"]) == [0, 1, 2]
    np.testing.assert_allclose(d["events_per_person"], d["events"] / r.cohort_size)
    # The histogram counts every person once and agrees with the event totals and the busiest person.
    h = r.events_histogram()
    assert list(h.columns) == ["replicate", "events", "people"] and h["events"].max() == 64
    by_replicate = h.groupby("replicate")
    assert (by_replicate["people"].sum() == r.cohort_size).all()
    for rep, rows in by_replicate:
        busiest = rows.loc[rows["people"] > 0, "events"].max()
        assert busiest == min(d.loc[rep, "most_events"], 64)
        below = rows[rows["events"] < 64]
        if rows["people"].iloc[-1] == 0:
            assert (below["events"] * below["people"]).sum() == d.loc[rep, "events"]


def test_one_replicate_has_no_interval():
    r = desist.run(small(2000), replicates=1, seed=1, progress=False)
    assert r.summary["mean"].notna().all()
    assert r.summary[["ci_low", "ci_high", "sd"]].isna().all().all()


def test_results_do_not_depend_on_the_thread_count():
    one = desist.run(small(), replicates=2, seed=3, threads=1, progress=False)
    two = desist.run(small(), replicates=2, seed=3, threads=2, progress=False)
    pd.testing.assert_frame_equal(one.measures, two.measures, check_exact=True)
    pd.testing.assert_frame_equal(one.survival(), two.survival(), check_exact=True)
    pd.testing.assert_frame_equal(one.timeseries(), two.timeseries(), check_exact=True)
    pd.testing.assert_frame_equal(one.by_group("ogrs_band"), two.by_group("ogrs_band"), check_exact=True)
    assert_same_people(one.people(), two.people())


def test_seeds_and_replicates():
    a = desist.run(small(), replicates=2, seed=5, progress=False)
    again = desist.run(small(), replicates=2, seed=5, progress=False)
    other = desist.run(small(), replicates=2, seed=6, progress=False)
    first = desist.run(small(), replicates=1, seed=5, progress=False)
    pd.testing.assert_frame_equal(a.measures, again.measures, check_exact=True)
    assert not a.measures.equals(other.measures)
    # Replicate r uses the streams keyed by (seed, r): replicate 0 is the same run alone.
    pd.testing.assert_series_equal(a.measures.iloc[0], first.measures.iloc[0], check_exact=True)
    # Defaults come from the scenario.
    assert desist.run(small(1000), progress=False).seed == 20101001
    d = desist.run(small(1000).set("run.seed", 9).set("run.replicates", 2), progress=False)
    assert (d.seed, d.replicates) == (9, 2)


def test_a_path_is_accepted_for_the_scenario(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(small(2000).to_yaml())
    r = desist.run(path, seed=2, progress=False)
    assert r.cohort_size == 2000


def test_bad_run_settings_are_value_errors():
    s = small(1000)
    with pytest.raises(ValueError):
        desist.run(s, replicates=0, progress=False)
    with pytest.raises(ValueError):
        desist.run(s, threads=-1, progress=False)
    with pytest.raises(ValueError):
        desist.run(s, seed=-1, progress=False)
    with pytest.raises(TypeError):
        desist.run(s, replicates=1.5, progress=False)
    with pytest.raises(TypeError):
        desist.run(42)


def test_people_columns_and_no_copy(results):
    p = results.people()
    assert list(p.dtype.names) == PERSON_FIELDS and len(p) == results.cohort_size
    assert p.dtype == desist._core.person_dtype and p.dtype.itemsize == 40
    # A view of the C++ results: no copy, read-only, and the same memory each time.
    assert not p.flags.owndata and not p.flags.writeable
    assert np.shares_memory(p, results.people())
    assert isinstance(p.base, desist._core.RunResult)
    with pytest.raises(ValueError):
        p["age"][0] = 1.0
    # The view keeps the results alive on its own.
    r = desist.run(small(2000), seed=8, progress=False)
    view = r.people()
    expected = view.copy()
    del r
    import gc

    gc.collect()
    assert_same_people(view, expected)
    # Its contents agree with the measures.
    assert set(np.unique(p["sex"])) <= {0, 1} and p["group"].max() < len(GROUPS)
    assert np.all((p["ogrs3"] >= 0) & (p["ogrs3"] <= 1))
    assert int(p["recalls"].sum()) == results.measures.loc[0, "recalls"]
    assert int(np.isfinite(p["death_day"]).sum()) == results.measures.loc[0, "deaths"]
    frame = results.people(as_frame=True)
    assert list(frame.columns) == PERSON_FIELDS and len(frame) == len(p)
    assert list(frame["group"].cat.categories) == GROUPS and list(frame["sex"].cat.categories) == ["male", "female"]
    assert results.group_names == GROUPS and results.has_people


def test_keep_people_false_keeps_no_table():
    r = desist.run(small(1000), seed=1, progress=False, keep_people=False)
    assert not r.has_people
    with pytest.raises(LookupError):
        r.people()


def test_progress_bar_and_progress_function(capsys):
    r = desist.run(small(3000), replicates=2, seed=1, progress=True)
    assert r.replicates == 2
    calls = []
    desist.run(small(3000), replicates=2, seed=1, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (6000, 6000)
    assert all(b[0] >= a[0] for a, b in zip(calls, calls[1:]))


def test_the_gil_is_released_while_the_engine_runs():
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    ticker = threading.Thread(target=count)
    ticker.start()
    start = time.monotonic()
    try:
        desist.run(small(60000), replicates=3, seed=1, threads=2, progress=False)
    finally:
        stop.set()
        ticker.join()
    elapsed = time.monotonic() - start
    during = [t for t in ticks if start <= t <= start + elapsed]
    # Python threads kept running throughout the run.
    # (Were it held, the ticker could not run at all until the run ended.)
    assert elapsed > 0.05 and len(during) >= max(10, 0.05 * elapsed / 0.002)


# ---- cancellation --------------------------------------------------------------------


def big():
    # The national cohort, many replicates: minutes if it were let run.
    return desist.Scenario.load(BASELINE).set("run.replicates", 50)


def test_setting_the_cancel_event_stops_a_run_promptly():
    cancel = threading.Event()
    timer = threading.Timer(0.5, cancel.set)
    timer.start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt) as caught:
        desist.run(big(), threads=2, progress=False, cancel=cancel)
    assert isinstance(caught.value, desist.Cancelled)
    assert time.monotonic() - start < 0.5 + 3.0
    # The process stays usable, and runs give the same numbers as before.
    a = desist.run(small(2000), replicates=2, seed=3, progress=False)
    b = desist.run(small(2000), replicates=2, seed=3, threads=1, progress=False)
    pd.testing.assert_frame_equal(a.measures, b.measures, check_exact=True)


def test_ctrl_c_cancels_a_run_and_raises_keyboard_interrupt():
    timer = threading.Timer(0.5, _thread.interrupt_main)
    timer.start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        desist.run(big(), threads=2, progress=True)
    assert time.monotonic() - start < 0.5 + 3.0
    assert desist.run(small(1000), seed=1, progress=False).cohort_size == 1000


def test_a_comparison_can_be_cancelled():
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    start = time.monotonic()
    with pytest.raises(desist.Cancelled):
        desist.compare(big(), HOUSING, replicates=50, progress=False, cancel=cancel)
    assert time.monotonic() - start < 0.5 + 3.0


# ---- options -----------------------------------------------------------------------------


def test_an_option_put_in_place_changes_the_run(tmp_path):
    base = desist.run(small(20000), seed=2, progress=False)
    housed = desist.run(small(20000), seed=2, progress=False, options=[HOUSING])
    assert housed.option_files == (str(HOUSING),)
    assert housed.scenario_name.endswith("Housing through the gate") or "+" in housed.scenario_name
    assert not base.measures.equals(housed.measures)
    bad = tmp_path / "bad_option.yaml"
    bad.write_text(HOUSING.read_text().replace("pathways: [accommodation]", "pathways: [acommodation]"))
    with pytest.raises(desist.InputError, match="did you mean 'accommodation'") as caught:
        desist.run(small(1000), progress=False, options=[bad])
    assert caught.value.file == str(bad)
    with pytest.raises(FileNotFoundError):
        desist.run(small(1000), progress=False, options=[tmp_path / "none.yaml"])


# ---- files ---------------------------------------------------------------------------------


def assert_same_results(a, b):
    assert (a.seed, a.replicates, a.cohort_size, a.name) == (b.seed, b.replicates, b.cohort_size, b.name)
    assert a.scenario_text == b.scenario_text and a.windows == b.windows
    pd.testing.assert_frame_equal(a.measures, b.measures, check_exact=True)
    pd.testing.assert_frame_equal(a.summary, b.summary, check_exact=True)
    for dimension in ["sentence", "sex", "age_band", "ogrs_band"]:
        pd.testing.assert_frame_equal(a.by_group(dimension), b.by_group(dimension), check_exact=True)
    pd.testing.assert_frame_equal(a.survival(), b.survival(), check_exact=True)
    pd.testing.assert_frame_equal(a.timeseries(), b.timeseries(), check_exact=True)
    assert a.has_people == b.has_people
    if a.has_people:
        assert_same_people(a.people(), b.people())
        pd.testing.assert_frame_equal(a.people(as_frame=True), b.people(as_frame=True), check_exact=True)


def test_to_hdf5_and_open_give_the_same_results(results, tmp_path):
    path = tmp_path / "run.h5"
    results.to_hdf5(path)
    assert not list(tmp_path.glob("*.tmp.*"))
    opened = desist.open(path)
    assert isinstance(opened, desist.Results)
    assert_same_results(results, opened)
    pd.testing.assert_frame_equal(results.diagnostics[["events"]], opened.diagnostics[["events"]])
    assert opened.scenario.validate().cohort_size == 5000
    assert not opened.people().flags.writeable
    with h5py.File(path) as f:
        assert f.attrs["program"] == "desist" and f.attrs["seed"] == 11
    # Results read from a file are written by copying.
    again = tmp_path / "again.h5"
    opened.to_hdf5(again)
    assert_same_results(results, desist.open(again))


def test_writing_to_a_missing_directory_raises_naming_the_path(results, tmp_path):
    path = tmp_path / "no" / "such" / "run.h5"
    with pytest.raises(RuntimeError, match="run.h5"):
        results.to_hdf5(path)
    assert not path.exists()


def test_open_refuses_other_files(tmp_path):
    with pytest.raises(FileNotFoundError):
        desist.open(tmp_path / "none.h5")
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["x"] = [1]
    with pytest.raises(ValueError, match="not a desist results file"):
        desist.open(other)


# ---- comparisons ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def comparison():
    return desist.compare(small(20000), HOUSING, MENTORING, replicates=3, seed=2, threads=2, progress=False)


def test_a_comparison_has_paired_and_unpaired_intervals(comparison):
    c = comparison
    assert (c.seed, c.replicates) == (2, 3)
    assert list(c.options) == ["housing_ttg", "mentoring"]
    assert all(isinstance(name, str) and name for name in c.options.values())
    t = c.table()
    assert t.index.names == ["option", "measure"]
    assert list(t.columns) == ["mean", "ci_low", "ci_high", "unpaired_ci_low", "unpaired_ci_high"]
    assert list(t.loc["housing_ttg"].index) == _results.COMPARISON_MEASURES
    for key in c.options:
        for measure in ["reoffenders_averted", "reoffences_averted", "prison_bed_days_saved"]:
            row = t.loc[(key, measure)]
            assert row["ci_low"] <= row["mean"] <= row["ci_high"]
            # Common random numbers: the paired interval is the narrower one.
            assert row["ci_high"] - row["ci_low"] < row["unpaired_ci_high"] - row["unpaired_ci_low"]
    # The measures are base − option of the runs' totals.
    for key in c.options:
        diff = c.base.measures["reoffences"] - c.option(key).measures["reoffences"]
        assert t.loc[(key, "reoffences_averted"), "mean"] == pytest.approx(diff.mean())


def test_a_comparison_has_economics_savings_and_throughput(comparison):
    c = comparison
    e = c.economics()
    assert e.index.names == ["option", "estimate"] and list(e.columns) == ["mean", "ci_low", "ci_high", "sd"]
    assert set(e.loc["housing_ttg"].index) >= {"net_present_value", "benefit_cost_ratio",
                                               "cost_per_reoffence_averted", "probability_net_benefit_positive"}
    assert 0 <= e.loc[("housing_ttg", "probability_net_benefit_positive"), "mean"] <= 1
    s = c.savings_by_agency()
    assert s.index.names == ["option", "agency"]
    for key in c.options:
        assert "victims_and_society" in s.loc[key].index
        # Savings by agency add up to the net present value.
        assert s.loc[key, "mean"].sum() == pytest.approx(e.loc[(key, "net_present_value"), "mean"], rel=1e-9)
    by_year = c.savings_by_agency_by_year()
    assert by_year.index.names == ["option", "agency"] and by_year.shape[1] >= 1
    tp = c.throughput()
    assert tp.index.names == ["option", "intervention"]
    assert {"referrals", "starts", "completions", "mean_wait_days", "in_service_by_month"} <= set(tp.columns)
    row = tp.loc[tp.index[0]]
    assert row["starts"] <= row["referrals"] and len(row["in_service_by_month"]) > 12
    intervals = c.throughput(intervals=True)
    assert intervals.index.names == ["option", "intervention", "field"]
    assert list(intervals.columns) == ["mean", "ci_low", "ci_high", "sd"]


def test_a_comparison_gives_results_of_the_base_and_each_option(comparison):
    c = comparison
    assert isinstance(c.base, desist.Results) and c.base.replicates == 3
    housing = c.option("housing_ttg")
    assert housing.name == c.options["housing_ttg"] and housing.option_files == (str(HOUSING),)
    assert housing.seed == c.base.seed == 2
    with pytest.raises(KeyError, match="housing_ttg"):
        c.option("housing")
    assert not c.base.has_people  # comparisons keep no people unless asked


def test_a_comparison_matches_the_command_line_and_its_file(comparison, cli, tmp_path):
    import json

    pkg = desist
    out = tmp_path / "cli.h5"
    expected = json.loads(cli("compare", BASELINE, HOUSING, MENTORING, "--set", "cohort.size=20000", "--replicates",
                            "3", "--seed", "2", "--threads", "2", "--json", "-", "--out", out).stdout)
    assert json.loads(comparison.to_json()) == expected
    mine = tmp_path / "python.h5"
    comparison.to_hdf5(mine)
    for path in (out, mine):
        opened = pkg.open(path)
        assert isinstance(opened, pkg.Comparison)
        assert opened.options == comparison.options
        pd.testing.assert_frame_equal(opened.table(), comparison.table(), check_exact=True)
        pd.testing.assert_frame_equal(opened.economics(), comparison.economics(), check_exact=True)
        pd.testing.assert_frame_equal(opened.savings_by_agency(), comparison.savings_by_agency(), check_exact=True)
        pd.testing.assert_frame_equal(opened.throughput(intervals=True), comparison.throughput(intervals=True),
                                      check_exact=True)
        pd.testing.assert_frame_equal(opened.base.measures, comparison.base.measures, check_exact=True)
        for key in comparison.options:
            assert opened.option(key).name == comparison.option(key).name
            pd.testing.assert_frame_equal(opened.option(key).measures, comparison.option(key).measures,
                                          check_exact=True)
        with pytest.raises(NotImplementedError):
            opened.to_json()
    copy = tmp_path / "copy.h5"
    pkg.open(mine).option("mentoring").to_hdf5(copy)
    pd.testing.assert_frame_equal(pkg.open(copy).measures, comparison.option("mentoring").measures)


def test_compare_checks_its_options(tmp_path):
    with pytest.raises(ValueError, match="at least one option"):
        desist.compare(small(1000))
    with pytest.raises(FileNotFoundError):
        desist.compare(small(1000), tmp_path / "none.yaml")
    with pytest.raises(ValueError, match="different file names"):
        desist.compare(small(1000), HOUSING, HOUSING, replicates=2, progress=False)
    bad = tmp_path / "bad.yaml"
    bad.write_text(HOUSING.read_text().replace("pathways: [accommodation]", "pathways: [acommodation]"))
    with pytest.raises(desist.InputError, match="did you mean 'accommodation'"):
        desist.compare(small(1000), bad, replicates=2, progress=False)


def test_comparison_people_when_asked():
    c = desist.compare(small(2000), HOUSING, replicates=2, seed=1, progress=False, keep_people=True)
    assert len(c.base.people()) == 2000 and len(c.option("housing_ttg").people()) == 2000
    # The base's and the option's tables live in the same comparison, apart.
    assert not np.shares_memory(c.base.people(), c.option("housing_ttg").people())
    assert math.isfinite(c.table().loc[("housing_ttg", "reoffences_averted"), "mean"])


def test_a_file_reads_back_undefined_estimates_as_nan(desist_bin, tmp_path):
    """With one replicate the file leaves the interval and sd out (no NaN in
    files, docs/edge-cases.md); read back, they are NaN, as in the run itself."""
    import subprocess

    out = tmp_path / "one.h5"
    subprocess.run([str(desist_bin), "run", str(BASELINE), "--set", "cohort.size=50", "--replicates", "1",
                    "--out", str(out), "-q"], check=True)
    with h5py.File(out, "r") as f:
        assert f["summary/binary_rate"].shape == (1,)
    read = desist.open(out)
    in_memory = desist.run(desist.Scenario.load(BASELINE).set("cohort.size", 50), replicates=1)
    pd.testing.assert_frame_equal(read.summary, in_memory.summary)
    assert read.summary["sd"].isna().all() and read.summary["mean"].notna().all()
