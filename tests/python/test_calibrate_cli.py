"""End-to-end tests of `desist calibrate`, `desist check-targets` and `desist predicted-vs-actual`."""
import json

from conftest import BASELINE, ROOT

TARGETS = ROOT / "scenarios" / "targets" / "england_wales_2011.yaml"
AREAS = ROOT / "scenarios" / "examples" / "predicted_vs_actual.csv"

ONE_PARAMETER = """\
targets:
  - measure: binary_rate
    observed: 0.30
    se: 0.005
    source: a test figure
parameters:
  - key: cohort.groups.other_disposal.offending_multiplier
    lower: 0.02
    upper: 1
    log: true
"""


def test_calibrate_rewrites_only_the_free_value_and_keeps_comments(desist, tmp_path):
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(BASELINE.read_text())
    targets = tmp_path / "targets.yaml"
    targets.write_text(ONE_PARAMETER)
    out = tmp_path / "calibrated.yaml"
    result = desist("calibrate", scenario, "--targets", targets, "--out", out, "--size", 5000, "--seed", 3,
                    "--json", tmp_path / "fit.json")
    assert "calibrated" in result.stdout and "wrote" in result.stdout
    assert "calibrate: start 1/1" in result.stderr  # progress on stderr
    before, after = scenario.read_text().splitlines(), out.read_text().splitlines()
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(changed) == 1
    old, new = changed[0]
    assert old.split(":")[0] == new.split(":")[0] == "      offending_multiplier"
    assert "# calibrated: " in new and f"--targets {targets} (seed 3, size 5000, objective" in new
    own_comment = old.split("#", 1)[1].split("# calibrated:")[0].strip()
    assert own_comment and own_comment in new  # the line's own comment is kept, an earlier note replaced
    assert new.count("# calibrated:") == 1
    fit = json.loads((tmp_path / "fit.json").read_text())
    assert abs(fit["targets"][0]["simulated"]["mean"] - 0.30) < 0.005
    desist("validate", out)


def test_calibrate_errors_name_the_targets_file_line_and_column(desist, tmp_path):
    targets = tmp_path / "targets.yaml"
    targets.write_text(ONE_PARAMETER.replace("    se: 0.005", "    sd: 0.005"))
    result = desist("calibrate", BASELINE, "--targets", targets, "--out", tmp_path / "x.yaml", check=False)
    assert result.returncode == 2
    assert f"{targets}:4:5: 'targets.0.sd': unknown key 'sd'" in result.stderr
    assert "did you mean 'se'?" in result.stderr
    assert not (tmp_path / "x.yaml").exists()
    targets.write_text(ONE_PARAMETER.replace("other_disposal.offending", "other_disposal.offendin"))
    result = desist("calibrate", BASELINE, "--targets", targets, "--out", tmp_path / "x.yaml", check=False)
    assert result.returncode == 2
    assert f"{targets}:7:5" in result.stderr and "does not set" in result.stderr


def test_check_targets_reports_every_shipped_target(desist):
    result = desist("check-targets", BASELINE, "--targets", TARGETS, "--set", "cohort.size=20000",
                    "--replicates", 2, "--json", "-")
    j = json.loads(result.stdout)
    assert j["replicates"] == 2 and j["cohort_size"] == 20000
    assert len(j["targets"]) == 6
    for t in j["targets"]:
        assert t["source"]
        assert t["simulated"]["ci_low"] <= t["simulated"]["mean"] <= t["simulated"]["ci_high"]
        assert set(t) >= {"name", "measure", "observed", "se", "residual", "within_tolerance"}


def test_predicted_vs_actual_flags_areas_outside_chance(desist):
    table = desist("predicted-vs-actual", AREAS).stdout
    assert "range from chance" in table and "all areas" in table
    j = json.loads(desist("predicted-vs-actual", AREAS, "--json", "-").stdout)
    assert len(j["areas"]) == 8
    flagged = [a["area"] for a in j["areas"] if a["outside"]]
    assert flagged and all(a["chance_low"] <= a["predicted_rate"] <= a["chance_high"] for a in j["areas"])
    assert j["total"]["cohort_size"] == sum(a["cohort_size"] for a in j["areas"])


def test_predicted_vs_actual_errors_name_row_and_column(desist, tmp_path):
    bad = tmp_path / "areas.csv"
    bad.write_text("area,cohort_size,predicted_rate,actual_rate\nA,100,0.3,0.2\nB,100,0.3,1.7\n")
    result = desist("predicted-vs-actual", bad, check=False)
    assert result.returncode == 2
    assert f"{bad}:3:4: 'actual_rate'" in result.stderr
