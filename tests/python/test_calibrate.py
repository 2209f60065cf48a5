"""desist.calibrate and desist.check_targets: the numbers of `desist calibrate`
and `desist check-targets`, the scenario rewritten in place, located errors."""
import json
import subprocess

import pytest

import desist
from conftest import BASELINE, ROOT
from test_calibrate_cli import ONE_PARAMETER

TARGETS = ROOT / "scenarios" / "targets" / "england_wales_2011.yaml"


def without_file(j):
    return {k: v for k, v in j.items() if k != "scenario_file"}


def test_calibration_is_the_command_lines(desist_bin, tmp_path):
    targets = tmp_path / "targets.yaml"
    targets.write_text(ONE_PARAMETER)
    cli_out, cli_json = tmp_path / "cli.yaml", tmp_path / "cli.json"
    subprocess.run([str(desist_bin), "calibrate", str(BASELINE), "--targets", str(targets), "--out", str(cli_out),
                    "--size", "5000", "--seed", "3", "--json", str(cli_json), "--quiet"], check=True)
    out = tmp_path / "python.yaml"
    seen = []
    result = desist.calibrate(BASELINE, targets, out=out, size=5000, seed=3, threads=2,
                              progress=lambda done, total: seen.append(done))
    assert without_file(json.loads(result.to_json())) == without_file(json.loads(cli_json.read_text()))
    assert out.read_text() == result.text == cli_out.read_text().replace(str(cli_out), str(out))
    assert result.seed == 3 and seen[-1] == result.evaluations
    p = result.parameters.loc["cohort.groups.other_disposal.offending_multiplier"]
    assert p["value"] != p["initial"] and 0.02 <= p["value"] <= 1
    assert result.objective < result.initial_objective
    assert result.fit.table["observed"].tolist() == [0.30]
    assert desist.Scenario.load(out).validate()  # the calibrated scenario is a valid one
    assert result.scenario.to_yaml()


def test_check_targets_is_the_command_lines(desist_bin):
    cli = json.loads(subprocess.run([str(desist_bin), "check-targets", str(BASELINE), "--targets", str(TARGETS),
                                     "--set", "cohort.size=20000", "--replicates", "2", "--json", "-"],
                                    check=True, capture_output=True, text=True).stdout)
    scenario = desist.Scenario.load(BASELINE).set("cohort.size", 20000)
    fit = desist.check_targets(scenario, TARGETS, replicates=2)
    assert fit.summary == cli
    table = fit.table
    assert len(table) == 6 and (table["ci_low"] <= table["simulated"]).all()
    assert table["residual"].tolist() == [t["residual"] for t in cli["targets"]]
    assert fit.objective == pytest.approx((table["residual"] ** 2).sum(), rel=1e-12)


def test_mistakes_are_located(tmp_path):
    targets = tmp_path / "targets.yaml"
    targets.write_text(ONE_PARAMETER.replace("    se: 0.005", "    sd: 0.005"))
    with pytest.raises(desist.InputError) as e:
        desist.calibrate(BASELINE, targets, out=tmp_path / "x.yaml", progress=False)
    assert (e.value.file, e.value.line, e.value.column, e.value.key) == (str(targets), 4, 5, "targets.0.sd")
    assert "did you mean 'se'?" in str(e.value)
    assert not (tmp_path / "x.yaml").exists()
    with pytest.raises(ValueError, match="overrides"):
        desist.calibrate(desist.Scenario.load(BASELINE).set("cohort.size", 1000), TARGETS, progress=False)


def test_cancel_stops_the_calibration(tmp_path):
    import threading

    targets = tmp_path / "targets.yaml"
    targets.write_text(ONE_PARAMETER)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(desist.Cancelled):
        desist.calibrate(BASELINE, targets, out=tmp_path / "x.yaml", size=5000, cancel=cancel, progress=False)
    assert not (tmp_path / "x.yaml").exists()
