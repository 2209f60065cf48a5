"""desist.pbr: the numbers of `desist pbr` (JSON and HDF5), pricing a recorded
file, desist.open on a contract file, located errors and cancellation."""
import json
import subprocess
import threading

import pandas as pd
import pytest

import desist
import desist.plot
from conftest import ROOT

CONTRACTS = ROOT / "scenarios" / "contracts"
# Transforming Rehabilitation: pays in some replicates and not others at this
# size, so the payment distribution and P(any payment) are not degenerate.
CONTRACT = CONTRACTS / "transforming_rehabilitation.yaml"
REPLICATES = 3


@pytest.fixture(scope="module")
def evaluation():
    return desist.pbr.evaluate(CONTRACT, replicates=REPLICATES, threads=2, progress=False)


def command_line(desist_bin, *args):
    """The JSON `desist pbr ... --json -` prints."""
    out = subprocess.run([str(desist_bin), "pbr", *map(str, args), "--json", "-"], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


@pytest.fixture(scope="module")
def cli(desist_bin, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pbr")
    out, js = folder / "cli.h5", folder / "cli.json"
    subprocess.run([str(desist_bin), "pbr", str(CONTRACT), "--replicates", str(REPLICATES), "--threads", "1",
                    "--out", str(out), "--json", str(js), "--quiet"], check=True)
    return out, json.loads(js.read_text())


def test_python_the_command_line_and_the_files_agree(evaluation, cli, tmp_path):
    cli_file, cli_json = cli
    assert json.loads(evaluation.to_json()) == cli_json
    assert evaluation.evaluation == cli_json
    python_file = tmp_path / "python.h5"
    evaluation.to_hdf5(python_file)
    assert python_file.read_bytes() == cli_file.read_bytes()  # byte-for-byte, whatever the threads
    from_file = desist.open(cli_file)
    assert isinstance(from_file, desist.pbr.PbrResults)
    assert from_file.evaluation == cli_json
    pd.testing.assert_frame_equal(from_file.per_replicate, evaluation.per_replicate)
    pd.testing.assert_frame_equal(desist.pbr.open(cli_file).power, evaluation.power)


def test_attributes_hold_the_json_numbers(evaluation, cli):
    _, j = cli
    assert evaluation.replicates == REPLICATES and evaluation.seed == j["seed"]
    assert evaluation.expected_payment.to_dict() == j["expected_payment"]
    assert evaluation.payment_quantiles.to_dict() == j["payment_quantiles"]
    assert evaluation.probability_any_payment == j["probability_any_payment"]
    assert 0 < evaluation.probability_any_payment < 1
    assert evaluation.measured_effect.to_dict() == j["measured_effect"]
    assert evaluation.true_effect.to_dict() == j["true_effect"]
    assert evaluation.provider.loc["profit"].to_dict() == j["provider"]["profit"]
    assert evaluation.commissioner == j["commissioner"]["agency"]
    assert evaluation.commissioner_net.to_dict() == j["commissioner"]["net"]
    assert list(evaluation.savings_by_agency.index) == list(j["commissioner"]["savings_by_agency"])
    assert evaluation.power.to_dict("records") == j["power"]
    gaming = evaluation.gaming
    assert gaming["rewarded"] == j["gaming"]["rewarded"] and gaming["wanted"] == j["gaming"]["wanted"]
    assert list(gaming["strategies"].index) == list(j["gaming"]["strategies"])
    first = next(iter(j["gaming"]["strategies"]))
    assert gaming["strategies"].loc[first, "provider_profit"] == j["gaming"]["strategies"][first]["provider_profit"][
        "mean"]
    p = evaluation.participant_evaluation
    assert p["covariates"] == j["participant_evaluation"]["covariates"]
    assert p["estimates"].loc["bias"].to_dict() == j["participant_evaluation"]["bias"]
    # The per-replicate payments are the ones the summary is made of.
    payments = evaluation.per_replicate["outcome_payments"]
    assert len(payments) == REPLICATES
    assert payments.mean() == pytest.approx(j["expected_payment"]["mean"], rel=1e-12)
    assert (payments > 0).mean() == j["probability_any_payment"]


def test_pricing_a_recorded_file_is_the_command_lines(desist_bin, tmp_path):
    contract = CONTRACTS / "peterborough_sib.yaml"
    recorded = tmp_path / "pb.h5"
    desist.pbr.evaluate(contract, replicates=2, power=False, gaming=False, progress=False).to_hdf5(recorded)
    sets = ["payments.components.0.threshold.relative=0.0"]
    cli = command_line(desist_bin, contract, "--results", recorded, "--set", sets[0])
    priced = desist.pbr.evaluate(contract, results=recorded, overrides=sets, progress=False)
    assert priced.evaluation == cli
    assert priced.power.empty and priced.gaming is None
    with pytest.raises(NotImplementedError):
        priced.to_hdf5(tmp_path / "again.h5")


def test_scenario_overrides_and_switches_are_the_command_lines(desist_bin):
    contract = CONTRACTS / "justice_reinvestment.yaml"
    cli = command_line(desist_bin, contract, "--replicates", "2", "--seed", "7", "--no-gaming",
                       "--scenario-set", "cohort.size=30000")
    python = desist.pbr.evaluate(contract, replicates=2, seed=7, gaming=False, progress=False,
                                 scenario_overrides=["cohort.size=30000"])
    assert python.evaluation == cli and python.seed == 7 and python.gaming is None


def test_mistakes_raise_input_error_with_file_line_and_key(tmp_path):
    with pytest.raises(desist.InputError) as e:
        desist.pbr.evaluate(CONTRACTS / "peterborough_sib.yaml", overrides=["comparison.method=matchd"],
                            progress=False)
    assert e.value.key == "comparison.method" and "matched" in str(e.value)
    bad = tmp_path / "bad.yaml"
    text = (CONTRACTS / "peterborough_sib.yaml").read_text()
    text = text.replace("file: ../", f"file: {CONTRACTS.parent}/").replace("file: services/",
                                                                        f"file: {CONTRACTS}/services/")
    bad.write_text(text.replace("\ncomparison:", "\ncomparisn:", 1))
    with pytest.raises(desist.InputError) as e:
        desist.pbr.evaluate(bad, progress=False)
    assert e.value.file == str(bad) and e.value.line == text.splitlines().index("comparison:") + 1
    assert e.value.key == "comparisn" and "'comparison'" in str(e.value)  # the nearest valid key
    with pytest.raises(desist.InputError) as e:
        desist.pbr.evaluate(CONTRACTS / "peterborough_sib.yaml", scenario_overrides=["cohort.size=4000"],
                            progress=False)
    assert e.value.key == "cohorts.close" and "raise cohort.size" in str(e.value)


def test_cancel_stops_the_evaluation():
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(desist.Cancelled):
        desist.pbr.evaluate(CONTRACT, replicates=REPLICATES, cancel=cancel, progress=False)


def test_progress_counts_every_world():
    seen = []
    desist.pbr.evaluate(CONTRACTS / "peterborough_sib.yaml", replicates=2, gaming=False, power=False,
                        progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] == 4  # two worlds (without and with the service) a replicate


def test_plots_take_an_evaluation(evaluation):
    ax = desist.plot.payment_distribution(evaluation)
    assert sum(p.get_height() for p in ax.patches) == REPLICATES
    ax = desist.plot.power_curve(evaluation)
    assert len(ax.lines) == 2 * evaluation.power["cohort_size"].nunique() + 1  # + the 80% line
