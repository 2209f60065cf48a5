"""End-to-end tests of the `desist` command: validation, JSON, HDF5, person files."""
import csv
import json
import math

import h5py
import numpy as np
import pytest

from conftest import BASELINE, SHARED_DATA

GROUPS = ["custody_under_12m", "custody_12m_to_4y", "custody_4y_plus", "community_order",
          "suspended_sentence_order", "other_disposal"]
MEASURES = ["binary_rate", "reoffences_per_offender", "reoffences_per_reoffender", "conviction_events_per_offender"]


# ---- validate -----------------------------------------------------------------

def test_validate_accepts_the_baseline(desist):
    result = desist("validate", BASELINE)
    assert "valid" in result.stdout


def test_a_typo_names_file_line_column_and_the_nearest_key(desist, tmp_path):
    bad = tmp_path / "typo.yaml"
    text = BASELINE.read_text().replace("  frailty_variance:", "  fraility_variance:")
    bad.write_text(text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "fraility_variance" in l)
    result = desist("validate", bad, check=False)
    assert result.returncode == 2
    assert f"{bad}:{line}:3: 'offending.fraility_variance'" in result.stderr
    assert "did you mean 'frailty_variance'?" in result.stderr


def test_an_out_of_range_override_is_reported_as_the_override(desist):
    result = desist("validate", BASELINE, "--set", "cohort.groups.community_order.female_share=1.5", check=False)
    assert result.returncode == 2
    assert "--set cohort.groups.community_order.female_share=1.5" in result.stderr
    assert "between 0 and 1" in result.stderr


def test_malformed_yaml_is_an_input_error(desist, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("cohort: {size: 10\n")
    result = desist("validate", bad, check=False)
    assert result.returncode == 2
    assert "malformed YAML" in result.stderr


def test_unknown_command_line_options_exit_2(desist):
    assert desist("run", BASELINE, "--sed", "3", check=False).returncode == 2


# ---- run: JSON -------------------------------------------------------------------

def test_json_summary_has_the_documented_fields(run_json):
    j = run_json("--seed", "5", "--replicates", "2")
    assert j["cohort_size"] == 20000
    assert j["replicates"] == 2
    assert j["seed"] == 5
    for name in MEASURES:
        m = j["measures"][name]
        assert set(m) >= {"mean", "ci_low", "ci_high"}
        assert m["ci_low"] <= m["mean"] <= m["ci_high"]
    for group in GROUPS:
        assert set(j["by_group"]["sentence"][group]["binary_rate"]) >= {"mean", "ci_low", "ci_high"}
    assert set(j["by_group"]) == {"sentence", "sex", "age_band", "ogrs_band"}


def test_one_replicate_has_no_interval(run_json):
    j = run_json()
    assert j["measures"]["binary_rate"]["ci_low"] is None  # NaN is written as null
    assert 0 < j["measures"]["binary_rate"]["mean"] < 1


def test_results_do_not_depend_on_the_thread_count(run_json):
    one, two = run_json("--threads", "1"), run_json("--threads", "2")
    for j in (one, two):
        del j["diagnostics"]
    assert one == two


def test_seeds_give_different_results_and_the_same_seed_the_same(run_json):
    a, b, c = run_json("--seed", "1"), run_json("--seed", "1"), run_json("--seed", "2")
    assert a["measures"] == b["measures"]
    assert a["measures"] != c["measures"]


def test_an_override_changes_the_result(run_json):
    base = run_json()
    more_supervision = run_json("--set", "release.ora_2014=true")
    # ORA 2014 supervises short-sentence releases, so more people are on licence and recalled.
    assert more_supervision["measures"]["recalls_per_offender"]["mean"] > base["measures"]["recalls_per_offender"]["mean"]


def test_summary_table_on_stdout(desist):
    out = desist("run", BASELINE, "--set", "cohort.size=5000").stdout
    assert "proven reoffending rate" in out
    for group in GROUPS:
        assert group in out


# ---- run: HDF5 -------------------------------------------------------------------

def test_hdf5_file_matches_the_json_and_holds_the_people(desist, tmp_path):
    out = tmp_path / "run.h5"
    j = json.loads(desist("run", BASELINE, "--set", "cohort.size=8000", "--replicates", "2", "--seed", "9",
                          "--out", out, "--json", "-").stdout)
    with h5py.File(out, "r") as f:
        assert f.attrs["program"] == "desist"
        assert f.attrs["seed"] == 9
        assert f.attrs["replicates"] == 2
        assert "cohort:" in f.attrs["scenario"] and "size: 8000" in f.attrs["scenario"]
        rates = f["replicates/binary_rate"][:]
        assert rates.shape == (2,)
        assert math.isclose(rates.mean(), j["measures"]["binary_rate"]["mean"], rel_tol=1e-12)
        people = f["people"]
        n = len(people["proven_reoffences"])
        assert n == 8000
        # The per-person table adds up to the first replicate's totals.
        assert people["proven_reoffences"][:].sum() == f["replicates/reoffences"][0]
        assert (people["proven_reoffences"][:] > 0).sum() == f["replicates/reoffenders"][0]
        first = people["first_proven_reoffence_day"][:]
        assert np.all(np.isnan(first) == (people["proven_reoffences"][:] == 0))
        assert np.nanmax(first) <= 365
        names = [s.decode() if isinstance(s, bytes) else s for s in f["people/group_names"][:]]
        assert names == GROUPS
        assert f["survival/reoffended"].shape[0] == 2
        assert f["timeseries/custody_population"].shape[0] == 2
    assert not list(tmp_path.glob("*.tmp*"))


def test_hdf5_is_reproducible_apart_from_timings(desist, tmp_path):
    paths = [tmp_path / "a.h5", tmp_path / "b.h5"]
    for p in paths:
        desist("run", BASELINE, "--set", "cohort.size=3000", "--out", p, "-q")
    with h5py.File(paths[0], "r") as a, h5py.File(paths[1], "r") as b:
        names = []
        a.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
        for name in names:
            if name.startswith("diagnostics/") and name != "diagnostics/events":
                continue
            x, y = a[name][()], b[name][()]
            if x.dtype.kind == "f":
                assert np.array_equal(x, y, equal_nan=True), name
            else:
                assert np.array_equal(x, y), name


def test_output_into_a_missing_directory_fails_cleanly(desist, tmp_path):
    target = tmp_path / "missing" / "run.h5"
    result = desist("run", BASELINE, "--set", "cohort.size=1000", "--out", target, "-q", check=False)
    assert result.returncode == 1
    assert "does not exist" in result.stderr
    assert not target.parent.exists()


def test_an_existing_output_is_replaced_whole(desist, tmp_path):
    target = tmp_path / "run.h5"
    target.write_bytes(b"old")
    desist("run", BASELINE, "--set", "cohort.size=1000", "--out", target, "-q")
    with h5py.File(target, "r") as f:
        assert len(f["people/age"]) == 1000


# ---- real person records ----------------------------------------------------------

@pytest.fixture
def rossi_people(tmp_path):
    """The Rossi et al. (1980) released prisoners as a desist person file."""
    source = SHARED_DATA / "rossi.csv"
    if not source.exists():
        pytest.fail(f"shared data missing: {source}")
    target = tmp_path / "rossi_people.csv"
    with source.open() as f, target.open("w", newline="") as g:
        rows = list(csv.DictReader(f))
        w = csv.writer(g)
        w.writerow(["group", "sex", "age", "offence", "previous_sanctions", "age_at_first_sanction", "sentence_days",
                    "fin", "wexp"])
        for r in rows:
            age, prio = int(r["age"]), int(r["prio"])
            w.writerow(["custody_12m_to_4y", "male", age, "other_offence", prio, 17 if prio else age, 730,
                        r["fin"], r["wexp"]])
    return target, len(rows)


def test_real_person_records_run_with_their_own_covariates(desist, rossi_people):
    path, n = rossi_people
    j = json.loads(desist("run", BASELINE, "--json", "-", "--set", f"cohort.person_file={path}",
                          "--set", "offending.covariates.fin=-0.3", "--replicates", "3").stdout)
    assert j["cohort_size"] == n == 432
    assert j["by_group"]["sentence"]["custody_12m_to_4y"]["people"] == n
    assert j["by_group"]["sentence"]["other_disposal"]["people"] == 0
    assert 0 < j["measures"]["binary_rate"]["mean"] < 1


def test_a_covariate_missing_from_the_person_file_is_an_input_error(desist, rossi_people):
    path, _ = rossi_people
    result = desist("run", BASELINE, "--set", f"cohort.person_file={path}", "--set", "offending.covariates.fni=0.1",
                    check=False)
    assert result.returncode == 2
    assert "fni" in result.stderr and "did you mean 'fin'?" in result.stderr
