"""Numerical edges (issue 9, item 5; docs/edge-cases.md): zero and enormous
hazards, a 50-year horizon, a cohort of one, every person eligible for every
option, capacity zero. Each must give the documented answer, and no output may
hold a NaN or an infinity: an undefined quantity is null in JSON and left out of
the HDF5 file (its name in the dataset's `undefined` attribute)."""
import json
import math

import h5py
import numpy as np
import yaml

from conftest import BASELINE, ROOT

OPTIONS = sorted((ROOT / "scenarios" / "options").glob("*.yaml"))
PATHWAYS = ["accommodation", "employment", "id_documents", "drug_misuse"]
# The per-person days of events that need not happen: NaN there means "did not
# happen" (docs/output.md, /people), the one documented NaN in a file.
EVENT_DAYS = {"first_proven_reoffence_day", "death_day"}
# A quantity of one replicate that says nothing about Monte Carlo error.
SPREAD = {"ci_low", "ci_high", "sd", "unpaired_ci_low", "unpaired_ci_high"}
# Estimates over the replicates where they are defined: a ratio whose
# denominator is not 0 (intervention cost, reoffences averted), a wait where
# someone started. In none of them, even the mean is undefined.
RATIOS = {"benefit_cost_ratio", "cost_per_reoffence_averted", "mean_wait_days", "p90_wait_days"}

ZERO_HAZARDS = ["--set", "offending.baseline.weibull.first_year_hazard=0", "--set", "mortality.rate=0",
                "--set", "recall.licence_breach_rate=0", "--set", "recall.pss_breach_rate=0"]
for _p in PATHWAYS:
    ZERO_HAZARDS += ["--set", f"pathways.{_p}.resolve_rate=0", "--set", f"pathways.{_p}.relapse_rate=0"]


def json_nulls(value, path=""):
    """Paths of the nulls in parsed JSON; fails on a non-finite number."""
    if value is None:
        return [path]
    if isinstance(value, float):
        assert math.isfinite(value), f"{path} is {value}"
        return []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in json_nulls(v, f"{path}/{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in json_nulls(v, f"{path}/{i}")]
    return []


def check_hdf5_finite(path):
    """Every float attribute and dataset of the file is finite, except the
    per-person event days, whose NaN is the documented "did not happen"."""
    bad = []

    def visit(name, obj):
        for k, v in obj.attrs.items():
            a = np.asarray(v)
            if a.dtype.kind == "f" and not np.all(np.isfinite(a)):
                bad.append(f"{name}@{k}")
        if isinstance(obj, h5py.Dataset) and obj.dtype.kind == "f":
            a = obj[()]
            if name.rsplit("/", 1)[-1] in EVENT_DAYS and name.split("/")[-2] == "people":
                assert not np.any(np.isinf(a)), name
            elif not np.all(np.isfinite(a)):
                bad.append(name)

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    assert not bad, f"non-finite values in {path}: {bad}"


def leaf(path):
    return path.rsplit("/", 1)[-1]


def run(desist, tmp_path, *args, replicates=2, size=300, name="run"):
    out = tmp_path / f"{name}.h5"
    j = json.loads(desist("run", BASELINE, "--set", f"cohort.size={size}", "--replicates", replicates, "--seed", 7,
                          "--json", "-", "--out", out, "-q", *args).stdout)
    check_hdf5_finite(out)
    return j, out


def compare(desist, tmp_path, options, *args, replicates=2, size=300, name="compare"):
    out = tmp_path / f"{name}.h5"
    j = json.loads(desist("compare", BASELINE, *options, "--set", f"cohort.size={size}", "--replicates", replicates,
                          "--seed", 7, "--json", "-", "--out", out, "-q", *args).stdout)
    check_hdf5_finite(out)
    return j, out


def edited_option(tmp_path, source, edit):
    doc = yaml.safe_load(source.read_text())
    for intervention in doc["interventions"].values():
        edit(intervention)
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


# ---- zero hazards ----------------------------------------------------------


def test_zero_hazards_give_no_reoffending_and_finite_costs(desist, tmp_path):
    j, out = run(desist, tmp_path, *ZERO_HAZARDS)
    assert json_nulls(j) == []  # two replicates: every spread is defined
    for name, m in j["measures"].items():
        # Nothing happens after the index date: every rate is exactly 0, with a
        # zero-width interval (identical replicates), never 0/0.
        assert m == {"mean": 0.0, "ci_low": 0.0, "ci_high": 0.0, "sd": 0.0}, name
    with h5py.File(out, "r") as f:
        for total in ["reoffenders", "reoffences", "conviction_events", "recalls", "deaths"]:
            assert np.all(f[f"replicates/{total}"][:] == 0), total
        assert np.all(f["survival/reoffended"][:] == 0)
        assert np.all(np.isnan(f["people/first_proven_reoffence_day"][:]))  # "never", as documented
        assert np.all(np.isnan(f["people/death_day"][:]))

    # An option on such a cohort averts nothing: differences are 0 with
    # zero-width paired intervals (no division by a zero variance), and a cost
    # per reoffence averted is undefined (nothing averted): null, and left out.
    housing = OPTIONS[[o.stem for o in OPTIONS].index("housing_ttg")]
    j, out = compare(desist, tmp_path, [housing], *ZERO_HAZARDS)
    option = j["options"]["housing_ttg"]
    for measure in ["reoffenders_averted", "reoffences_averted", "conviction_events_averted", "recalls_averted"]:
        assert option[measure] == {"mean": 0.0, "ci_low": 0.0, "ci_high": 0.0, "unpaired_ci_low": 0.0,
                                   "unpaired_ci_high": 0.0}, measure
    e = option["economics"]
    assert e["intervention_cost"]["mean"] > 0  # people still start and are paid for
    assert math.isclose(e["net_present_value"]["mean"], -e["intervention_cost"]["mean"], rel_tol=1e-9)
    assert e["benefit_cost_ratio"]["mean"] == 0.0  # a cost with no benefit
    assert sorted(json_nulls(j)) == [f"/options/housing_ttg/economics/cost_per_reoffence_averted/{c}"
                                     for c in ["ci_high", "ci_low", "mean", "sd"]]
    with h5py.File(out, "r") as f:
        d = f["comparison/housing_ttg/economics/cost_per_reoffence_averted"]
        assert d.shape == (0,) and d.attrs["columns"] == "" and d.attrs["undefined"] == "mean,ci_low,ci_high,sd"


# ---- enormous hazards --------------------------------------------------------


def test_the_largest_hazard_makes_everyone_reoffend_in_bounded_time(desist, tmp_path):
    # 365 a year is the schema's maximum. No frailty (everyone at that level),
    # no deaths, and every case heard within 100 days, so each person's first
    # offence (within hours) is proven within follow-up plus waiting: exactly 1.
    j, _ = run(desist, tmp_path, "--set", "offending.baseline.weibull.first_year_hazard=365",
               "--set", "offending.frailty_variance=0", "--set", "mortality.rate=0",
               "--set", "court.disposal_lag_days.max=100", size=200)
    assert json_nulls(j) == []
    assert j["measures"]["binary_rate"] == {"mean": 1.0, "ci_low": 1.0, "ci_high": 1.0, "sd": 0.0}
    # Offences are simulated one by one (each joins the open case): the count
    # is finite and bounded by the rate, so the run ends.
    assert 0 < j["diagnostics"]["events"] < 200 * 2 * 3.1 * 365 * 20


def test_a_hazard_above_the_maximum_is_a_located_error(desist):
    for key in ["offending.baseline.weibull.first_year_hazard", "pathways.employment.relapse_rate"]:
        r = desist("run", BASELINE, "--set", "cohort.size=10", "--set", f"{key}=1e6", "-q", check=False)
        assert r.returncode == 2
        assert f"'{key}': must be between 0 and 365, got 1e6" in r.stderr


# ---- long horizons -------------------------------------------------------------


def test_a_fifty_year_horizon_runs_and_stays_finite(desist, tmp_path):
    j, out = run(desist, tmp_path, "--set", "run.horizon_years=50", size=100)
    assert json_nulls(j) == []
    assert j["windows"]["horizon_days"] == 50 * 365.25
    with h5py.File(out, "r") as f:
        months = f["timeseries/month_start_day"].shape[0]
        assert months * f["timeseries"].attrs["month_days"] >= 50 * 365.25
        # Fifty years at the baseline's mortality (0.5% a year, more after each
        # release): most of the cohort is still alive, some have died.
        deaths = f["replicates/deaths"][:]
        assert np.all(deaths > 0) and np.all(deaths < 100)


def test_a_horizon_above_the_maximum_is_a_located_error(desist):
    r = desist("run", BASELINE, "--set", "cohort.size=10", "--set", "run.horizon_years=101", "-q", check=False)
    assert r.returncode == 2 and "'run.horizon_years': must be between 0 (exclusive) and 100, got 101" in r.stderr


# ---- a cohort of one ---------------------------------------------------------


def test_a_cohort_of_one_with_one_replicate_leaves_the_spread_undefined(desist, tmp_path):
    j, out = run(desist, tmp_path, replicates=1, size=1)
    nulls = json_nulls(j)
    assert nulls and all(leaf(p) in SPREAD for p in nulls)  # only the spreads, and every mean given
    assert all(j["measures"][m]["sd"] is None for m in j["measures"])
    with h5py.File(out, "r") as f:
        s = f["summary/binary_rate"]
        assert s.shape == (1,) and s.attrs["columns"] == "mean" and s.attrs["undefined"] == "ci_low,ci_high,sd"
        assert s[0] in (0.0, 1.0)


def test_a_cohort_of_one_with_several_replicates_is_finite(desist, tmp_path):
    j, out = run(desist, tmp_path, replicates=5, size=1)
    assert json_nulls(j) == []
    b = j["measures"]["binary_rate"]
    assert 0.0 <= b["mean"] <= 1.0 and b["sd"] >= 0.0 and b["ci_low"] <= b["mean"] <= b["ci_high"]
    with h5py.File(out, "r") as f:
        assert f["summary/binary_rate"].shape == (4,)


def test_a_person_file_of_one_row(desist, tmp_path):
    people = tmp_path / "one.csv"
    people.write_text("group,sex,age,offence,previous_sanctions,age_at_first_sanction,sentence_days\n"
                      "custody_under_12m,male,25,burglary_domestic,12,15,90\n")
    j, _ = run(desist, tmp_path, "--set", f"cohort.person_file={people}", replicates=1, size=1)
    assert j["cohort_size"] == 1
    assert all(leaf(p) in SPREAD for p in json_nulls(j))


def test_compare_with_one_replicate_and_one_person(desist, tmp_path):
    j, out = compare(desist, tmp_path, OPTIONS, replicates=1, size=1)
    # Undefined: every spread; a ratio whose denominator is 0 (no intervention
    # cost, nothing averted); a wait where nobody started. Nothing else.
    for p in json_nulls(j):
        assert leaf(p) in SPREAD or p.split("/")[-2] in RATIOS, p
    for key, option in j["options"].items():
        assert option["reoffenders_averted"]["mean"] in (-1.0, 0.0, 1.0)


# ---- every option, everyone eligible ----------------------------------------------


def test_every_option_at_once_with_everyone_eligible(desist, tmp_path):
    def everyone(intervention):
        intervention.pop("eligibility", None)

    options = [edited_option(tmp_path, o, everyone) for o in OPTIONS]
    args = [a for o in options for a in ("--option", o)]
    j, out = run(desist, tmp_path, *args, size=400)
    assert json_nulls(j) == []
    j, out = compare(desist, tmp_path, options, size=400)
    assert all(p.split("/")[-2] in RATIOS for p in json_nulls(j))
    for key, option in j["options"].items():
        for name, t in option["throughput"].items():
            assert t["referrals"]["mean"] > 0, (key, name)  # with no conditions someone is referred


# ---- capacity zero --------------------------------------------------------------


def test_capacity_zero_starts_nobody_and_costs_nothing(desist, tmp_path):
    housing = OPTIONS[[o.stem for o in OPTIONS].index("housing_ttg")]
    mentoring = OPTIONS[[o.stem for o in OPTIONS].index("mentoring")]
    options = [
        edited_option(tmp_path, housing, lambda i: i["capacity"].update({"places": 0})),
        edited_option(tmp_path, mentoring,
                      lambda i: i.update(capacity={k: v for k, v in i.get("capacity", {}).items()
                                                   if k not in ("places", "budget")} | {"starts_per_year": 0})),
    ]
    j, out = compare(desist, tmp_path, options, size=2000)
    for key, option in j["options"].items():
        for name, t in option["throughput"].items():
            assert t["starts"]["mean"] == 0 and t["completions"]["mean"] == 0, (key, name)
            assert t["referrals"]["mean"] > 0 and t["lapsed"]["mean"] > 0, (key, name)  # queues lapse
            assert t["mean_wait_days"]["mean"] is None  # no start, so no wait
        e = option["economics"]
        assert e["intervention_cost"]["mean"] == 0.0 and e["benefits"]["mean"] == 0.0, key
        assert e["benefit_cost_ratio"]["mean"] is None and e["cost_per_reoffence_averted"]["mean"] is None, key
        # Nobody starts, so nothing differs from the base (common random numbers).
        assert option["reoffences_averted"]["mean"] == 0.0, key
    with h5py.File(out, "r") as f:
        w = f["comparison/housing_ttg/throughput/housing_ttg/mean_wait_days"]
        assert w.shape == (0,) and w.attrs["undefined"] == "mean,ci_low,ci_high,sd"


# ---- sweeps -------------------------------------------------------------------


def test_a_sweep_of_one_person_and_one_replicate_a_point(desist, tmp_path):
    sweep = tmp_path / "edge_sweep.yaml"
    sweep.write_text(f"""sweep:
  name: edges
scenario: {BASELINE}
options: [{ROOT / "scenarios" / "options" / "housing_ttg.yaml"}]
set:
  cohort.size: 1
design:
  kind: latin_hypercube
  points: 4
  replicates: 1
  seed: 3
factors:
  recall.licence_breach_rate: {{uniform: [0, 0.5]}}
analysis:
  outputs: [base.binary_rate, housing_ttg.net_present_value]
  net_benefit: net_present_value
""")
    out = tmp_path / "sweep.h5"
    j = json.loads(desist("sweep", sweep, "--out", out, "--json", "-", "--quiet").stdout)
    check_hdf5_finite(out)
    for p in json_nulls(j):  # per point, one replicate: no spread; nothing else undefined
        assert leaf(p) in SPREAD or p.split("/")[-2] in RATIOS, p
    with h5py.File(out, "r") as f:
        s = f["summary/base/binary_rate"]
        assert s.shape[1] == 1 and s.attrs["undefined"] == "ci_low,ci_high,sd"  # a row per point (tornado points too)
