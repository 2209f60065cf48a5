"""desist.fit: the numbers of `desist fit` (JSON and overlay fragment), from a
CSV file and from a DataFrame, time-varying spells, and located errors."""
import json
import subprocess

import pandas as pd
import pytest

import desist
from conftest import SHARED_DATA

ROSSI = SHARED_DATA / "rossi.csv"
ROSSI_LONG = SHARED_DATA / "rossi_long.csv"
ALL = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]


def command_line(desist_bin, *args):
    out = subprocess.run([str(desist_bin), "fit", *map(str, args), "--json", "-"], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def without_command(j):
    return {k: v for k, v in j.items() if k not in ("command", "data")}


@pytest.mark.parametrize("model, extra", [("weibull", []), ("piecewise", ["--breaks", "0,91,182", "--cure"])])
def test_csv_fit_is_the_command_lines(desist_bin, model, extra):
    cli = command_line(desist_bin, ROSSI, "--time", "week", "--event", "arrest", "--covariates", ",".join(ALL),
                       "--time-unit", "weeks", "--model", model, *extra)
    breaks = [0, 91, 182] if extra else []
    python = desist.fit(ROSSI, "week", "arrest", ALL, time_unit="weeks", model=model, breaks=breaks,
                        cure=bool(extra))
    assert without_command(python.summary) == without_command(cli)
    assert python.converged and python.people == 432 and python.events == 114
    fin = python.covariates.loc["fin"]
    assert fin["estimate"] == next(c["estimate"] for c in cli["covariates"] if c["name"] == "fin")
    assert fin["hazard_ratio_ci_low"] < fin["hazard_ratio"] < fin["hazard_ratio_ci_high"]
    assert list(python.covariance.index) == cli["unconstrained"]["names"]
    assert "never_reoffend_share" in python.baseline.index if extra else "shape" in python.baseline.index


def test_a_dataframe_fits_as_its_csv_file():
    from_file = desist.fit(ROSSI, "week", "arrest", ALL, time_unit="weeks")
    from_frame = desist.fit(pd.read_csv(ROSSI), "week", "arrest", ALL, time_unit="weeks")
    pd.testing.assert_frame_equal(from_frame.covariates, from_file.covariates)
    pd.testing.assert_frame_equal(from_frame.baseline, from_file.baseline)
    assert from_frame.log_likelihood == from_file.log_likelihood


def test_spells_and_the_fragment_are_the_command_lines(desist_bin, tmp_path):
    args = [ROSSI, "--time", "week", "--event", "arrest", "--covariates", "fin,age,prio,emp", "--time-unit",
            "weeks", "--spells", ROSSI_LONG, "--id", "id", "--start", "tstart", "--stop", "tstop"]
    cli = command_line(desist_bin, *args)
    python = desist.fit(ROSSI, "week", "arrest", ["fin", "age", "prio", "emp"], time_unit="weeks",
                        spells=ROSSI_LONG, id="id", start="tstart", stop="tstop")
    assert without_command(python.summary) == without_command(cli) and python.summary["spells"] == 1405
    fragment = tmp_path / "fitted.yaml"
    subprocess.run([str(desist_bin), "fit", *map(str, args), "--out", str(fragment)], check=True,
                   capture_output=True)
    strip = lambda text: [line for line in text.splitlines() if "desist" not in line]  # noqa: E731 - the command
    assert strip(python.fragment()) == strip(fragment.read_text())


def test_mistakes_are_located():
    with pytest.raises(desist.InputError) as e:
        desist.fit(ROSSI, "week", "arest")
    assert e.value.file == str(ROSSI) and e.value.line == 1 and "did you mean 'arrest'?" in str(e.value)
    with pytest.raises(KeyError, match="did you mean 'arrest'"):
        desist.fit(pd.read_csv(ROSSI), "week", "arest")
    with pytest.raises(ValueError, match="time_unit"):
        desist.fit(ROSSI, "week", "arrest", time_unit="years")
    with pytest.raises(desist.InputError):  # a constant covariate cannot be identified
        desist.fit(pd.DataFrame({"t": [1.0, 2, 3, 4], "d": [1, 0, 1, 1], "x": [1.0, 1, 1, 1]}), "t", "d", ["x"])
