"""End-to-end tests of `desist fit`: the table, JSON, the overlay fragment that
`desist run --overlay` accepts, and located errors (docs/fitting.md)."""
import json
import math

from conftest import BASELINE, SHARED_DATA

ROSSI = SHARED_DATA / "rossi.csv"
ROSSI_LONG = SHARED_DATA / "rossi_long.csv"
ALL = "fin,age,race,wexp,mar,paro,prio"


def test_rossi_weibull_table_and_json(desist):
    table = desist("fit", ROSSI, "--time", "week", "--event", "arrest", "--covariates", ALL,
                   "--time-unit", "weeks").stdout
    assert "Weibull proportional hazards" in table
    assert "fin" in table and "prio" in table
    out = json.loads(desist("fit", ROSSI, "--time", "week", "--event", "arrest", "--covariates", ALL,
                            "--time-unit", "weeks", "--json", "-").stdout)
    assert out["converged"] and out["people"] == 432 and out["events"] == 114
    shape = next(p for p in out["baseline"] if p["name"] == "shape")["estimate"]
    assert abs(shape - 1.40) < 0.005
    hr = {c["name"]: c["hazard_ratio"] for c in out["covariates"]}
    assert abs(hr["fin"] - 0.68) < 0.005 and abs(hr["prio"] - 1.10) < 0.005 and abs(hr["age"] - 0.94) < 0.005
    assert len(out["unconstrained"]["covariance"]) == 9


def test_time_varying_employment(desist):
    out = json.loads(desist("fit", ROSSI, "--time", "week", "--event", "arrest", "--covariates", "fin,age,prio,emp",
                            "--time-unit", "weeks", "--spells", ROSSI_LONG, "--id", "id", "--start", "tstart",
                            "--stop", "tstop", "--json", "-").stdout)
    emp = next(c for c in out["covariates"] if c["name"] == "emp")
    assert out["spells"] == 1405
    assert math.isfinite(emp["se"]) and emp["hazard_ratio"] < 1


def test_fragment_runs_as_an_overlay(desist, tmp_path):
    people = tmp_path / "rossi_named.csv"
    people.write_text(ROSSI.read_text().replace("prio", "previous_sanctions", 1))
    fragment = tmp_path / "fitted.yaml"
    desist("fit", people, "--time", "week", "--event", "arrest", "--covariates", "age,previous_sanctions",
           "--time-unit", "weeks", "--model", "piecewise", "--breaks", "0,91,182", "--cure", "--out", fragment)
    text = fragment.read_text()
    assert "piecewise_constant" in text and "never_reoffend_share" in text and "# SE" in text
    run = json.loads(desist("run", BASELINE, "--overlay", fragment, "--set", "cohort.size=2000",
                            "--json", "-").stdout)
    assert 0 < run["measures"]["binary_rate"]["mean"] < 1


def test_covariates_that_are_not_attributes_get_a_note(desist, tmp_path):
    fragment = tmp_path / "fitted.yaml"
    result = desist("fit", ROSSI, "--time", "week", "--event", "arrest", "--covariates", "fin",
                    "--time-unit", "weeks", "--out", fragment)
    assert "'fin' is not a built-in person attribute" in result.stderr
    bad = desist("run", BASELINE, "--overlay", fragment, "--set", "cohort.size=100", check=False)
    assert bad.returncode == 2 and "unknown person attribute 'fin'" in bad.stderr


def test_errors_name_file_line_and_column(desist, tmp_path):
    result = desist("fit", ROSSI, "--time", "week", "--event", "arest", check=False)
    assert result.returncode == 2
    assert f"{ROSSI}:1: 'arest'" in result.stderr and "did you mean 'arrest'?" in result.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("t,d\n3,1\n-1,0\n")
    result = desist("fit", bad, "--time", "t", "--event", "d", check=False)
    assert result.returncode == 2 and f"{bad}:3:1: 't'" in result.stderr and "negative time" in result.stderr
