"""End-to-end tests of `desist pbr`: every shipped contract runs, the JSON holds
what contract modellers read, pricing a recorded file equals pricing during the
run, and mistakes are located with exit status 2."""
import json

import h5py
import pytest

from conftest import ROOT

CONTRACTS = ROOT / "scenarios" / "contracts"
SHIPPED = sorted(p.name for p in CONTRACTS.glob("*.yaml"))


def test_four_contracts_ship():
    assert SHIPPED == ["doncaster_prison.yaml", "justice_reinvestment.yaml", "peterborough_sib.yaml",
                       "transforming_rehabilitation.yaml"]


@pytest.mark.parametrize("contract", SHIPPED)
def test_each_shipped_contract_evaluates(desist, contract):
    out = desist("pbr", CONTRACTS / contract, "--replicates", "2", "--json", "-", "--no-gaming").stdout
    j = json.loads(out)
    for key in ("expected_payment", "measured_effect", "true_effect"):
        assert set(j[key]) >= {"mean", "ci_low", "ci_high"}, key
    assert set(j["payment_quantiles"]) == {"q05", "q25", "q50", "q75", "q95"}
    assert 0.0 <= j["probability_any_payment"] <= 1.0
    assert j["replicates"] == 2
    assert j["power"], "every shipped contract asks for a power curve"
    q = j["payment_quantiles"]
    assert q["q05"] <= q["q50"] <= q["q95"]


def test_results_file_prices_as_the_run_did(desist, tmp_path):
    contract = CONTRACTS / "peterborough_sib.yaml"
    h5, during = tmp_path / "pb.h5", tmp_path / "during.json"
    desist("pbr", contract, "--replicates", "3", "--no-power", "--no-gaming", "--out", h5, "--json", during,
           "--quiet")
    again = json.loads(desist("pbr", contract, "--results", h5, "--json", "-").stdout)
    assert again == json.loads(during.read_text())
    with h5py.File(h5) as f:
        assert f.attrs["kind"] == "contract"
        assert f.attrs["replicates"] == 3
        assert list(f["outcomes/name"].asstr()) == ["events"]
        assert json.loads(f.attrs["evaluation"]) == again

    # Other terms on the same records: a lower threshold pays at least as often.
    lower = json.loads(desist("pbr", contract, "--results", h5, "--json", "-",
                              "--set", "payments.components.0.threshold.relative=0.0",
                              "--set", "payments.components.1.threshold.relative=0.0").stdout)
    assert lower["probability_any_payment"] >= again["probability_any_payment"]


def test_threads_do_not_change_the_evaluation(desist):
    args = ("pbr", CONTRACTS / "doncaster_prison.yaml", "--replicates", "2", "--json", "-")
    one = desist(*args, "--threads", "1").stdout
    assert desist(*args, "--threads", "2").stdout == one


def test_mistakes_are_located(desist, tmp_path):
    bad = desist("pbr", CONTRACTS / "peterborough_sib.yaml", "--set", "comparison.method=matchd", check=False)
    assert bad.returncode == 2
    assert "'comparison.method'" in bad.stderr and "matched" in bad.stderr

    small = desist("pbr", CONTRACTS / "peterborough_sib.yaml", "--scenario-set", "cohort.size=4000", check=False)
    assert small.returncode == 2
    assert "peterborough_sib.yaml:" in small.stderr and "'cohorts.close'" in small.stderr
    assert "raise cohort.size" in small.stderr

    not_a_contract = tmp_path / "run.h5"
    desist("run", ROOT / "scenarios" / "baseline.yaml", "--set", "cohort.size=1000", "--out", not_a_contract,
           "--quiet")
    other = desist("pbr", CONTRACTS / "peterborough_sib.yaml", "--results", not_a_contract, check=False)
    assert other.returncode != 0
    assert "not a contract results file" in other.stderr
