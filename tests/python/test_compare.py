"""End-to-end tests of `desist compare` and `desist run --option`."""
import json

import h5py
import numpy as np

from conftest import BASELINE, ROOT

OPTIONS = sorted((ROOT / "scenarios" / "options").glob("*.yaml"))
REQUIRED = ["reoffenders_averted", "reoffences_averted", "prison_bed_days_saved"]


def test_every_shipped_option_validates_against_the_baseline(desist):
    assert len(OPTIONS) == 6
    for option in OPTIONS:
        desist("run", BASELINE, "--option", option, "--set", "cohort.size=2000", "-q")


def test_comparison_json_has_paired_and_unpaired_intervals_and_economics(desist, tmp_path):
    out = tmp_path / "comparison.h5"
    j = json.loads(desist("compare", BASELINE, OPTIONS[0], OPTIONS[1], "--set", "cohort.size=20000",
                          "--replicates", "3", "--seed", "2", "--json", "-", "--out", out).stdout)
    assert j["replicates"] == 3 and j["seed"] == 2 and j["cohort_size"] == 20000
    assert set(j["options"]) == {OPTIONS[0].stem, OPTIONS[1].stem}
    for key, option in j["options"].items():
        for measure in REQUIRED:
            m = option[measure]
            assert set(m) == {"mean", "ci_low", "ci_high", "unpaired_ci_low", "unpaired_ci_high"}
            assert m["ci_low"] <= m["mean"] <= m["ci_high"]
            # Common random numbers: the paired interval is the narrower one.
            assert m["ci_high"] - m["ci_low"] < m["unpaired_ci_high"] - m["unpaired_ci_low"]
        e = option["economics"]
        for name in ["net_present_value", "benefit_cost_ratio", "cost_per_reoffence_averted"]:
            assert set(e[name]) >= {"mean", "ci_low", "ci_high"}
        assert 0.0 <= e["probability_net_benefit_positive"] <= 1.0
        assert "victims_and_society" in e["savings_by_agency"]
        # Savings by agency add up to the net present value (intervention costs included).
        total = sum(a["mean"] for a in e["savings_by_agency"].values())
        assert np.isclose(total, e["net_present_value"]["mean"], rtol=1e-9, atol=1e-6)
        assert option["throughput"], "each option reports its interventions' throughput"
    with h5py.File(out, "r") as f:
        assert f.attrs["kind"] == "comparison"
        assert "base/replicates/binary_rate" in f
        for option in OPTIONS[:2]:
            d = f[f"comparison/{option.stem}/measures/reoffenders_averted"][:]
            assert np.isclose(d[0], j["options"][option.stem]["reoffenders_averted"]["mean"])
            assert f[f"options/{option.stem}/replicates/binary_rate"].shape == (3,)


def test_an_option_naming_a_missing_pathway_is_an_input_error(desist, tmp_path):
    bad = tmp_path / "bad_option.yaml"
    housing = ROOT / "scenarios" / "options" / "housing_ttg.yaml"
    text = housing.read_text()
    assert "pathways: [accommodation]" in text
    bad.write_text(text.replace("pathways: [accommodation]", "pathways: [acommodation]"))
    result = desist("compare", BASELINE, bad, "--set", "cohort.size=1000", "--replicates", "1", check=False)
    assert result.returncode == 2
    assert str(bad) in result.stderr and "did you mean 'accommodation'?" in result.stderr
