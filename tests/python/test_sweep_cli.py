"""End-to-end tests of `desist sweep`: files, bit-identity across threads and
MPI ranks, and checkpoints that survive SIGKILL and Ctrl-C."""
import json
import os
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest

from conftest import ROOT

SMALL = ROOT / "tests" / "data" / "sweeps" / "small.yaml"
EXAMPLE = ROOT / "scenarios" / "sweeps" / "example.yaml"
# Big enough rows (20,000 people, two scenarios) that a run can be caught half-way.
SLOW = ["--set", "set.cohort.size=20000"]


def sweep(desist, out, *extra, check=True):
    return desist("sweep", SMALL, "--out", out, "--quiet", *extra, check=check)


@pytest.fixture(scope="module")
def reference(tmp_path_factory, desist_bin):
    """The uninterrupted slow sweep's bytes."""
    out = tmp_path_factory.mktemp("sweep") / "reference.h5"
    subprocess.run([str(desist_bin), "sweep", SMALL, "--out", out, "--quiet", *SLOW], check=True)
    return out.read_bytes()


def test_sweep_writes_rows_summaries_and_analyses(desist, tmp_path):
    out, js = tmp_path / "s.h5", tmp_path / "s.json"
    result = desist("sweep", SMALL, "--out", out, "--json", js)
    assert "22 of 22 rows done" in result.stdout
    assert "tornado of base.binary_rate" in result.stdout
    with h5py.File(out, "r") as f:
        assert f.attrs["complete"] == 1 and f.attrs["rows_done"] == 22
        assert list(f["factors/path"].asstr()) == [
            "offending.frailty_variance",
            "options.housing_ttg.interventions.housing_ttg.effects.pathways.accommodation.resolve_multiplier"]
        assert f["points/values"].shape == (11, 2)
        assert f["rows/parameters"].shape == (22, 2)
        assert list(f["rows/point"][:4]) == [0, 0, 1, 1] and list(f["rows/replicate"][:4]) == [0, 1, 0, 1]
        rates = f["rows/base/binary_rate"][:]
        assert rates.shape == (22,) and np.all((rates > 0.05) & (rates < 0.6))
        # The per-point summary is the mean of the point's two rows.
        summary = f["summary/base/binary_rate"][:]
        assert summary.shape == (11, 4)
        np.testing.assert_allclose(summary[:, 0], rates.reshape(11, 2).mean(axis=1), rtol=1e-15)
        assert "tornado" in f["analysis"] and "decision" in f["analysis"]
        assert f["analysis/decision"].attrs["evpi"] >= 0
        # The inputs are in the file: the sweep can be rerun from it.
        assert "housing_ttg" in f["inputs"].attrs["sweep"]
    j = json.loads(js.read_text())
    assert j["complete"] and j["rows"] == 22 and len(j["points"]) == 11
    assert j["points"][6]["role"] == "centre"
    assert set(j["analysis"]) == {"tornado", "decision"}
    assert j["analysis"]["decision"]["choices"][0]["choice"] == "base"


def test_the_shipped_example_sweep_is_valid(desist, tmp_path):
    # Validated (every factor at its median and tornado quantiles) at reduced size.
    out = tmp_path / "e.json"
    desist("sweep", EXAMPLE, "--json", out, "--quiet", "--set", "design.points=3", "--set", "design.replicates=1",
           "--set", "set.cohort.size=300")
    j = json.loads(out.read_text())
    assert len(j["factors"]) == 6
    assert sum(f["from_scenario"] for f in j["factors"]) == 4


def test_threads_do_not_change_a_bit(desist, tmp_path):
    sweep(desist, tmp_path / "1.h5", "--threads", "1")
    sweep(desist, tmp_path / "2.h5", "--threads", "2")
    assert (tmp_path / "1.h5").read_bytes() == (tmp_path / "2.h5").read_bytes()


MPIEXEC = os.environ.get("DESIST_MPIEXEC")


@pytest.mark.skipif(not MPIEXEC, reason="desist was built without MPI (DESIST_WITH_MPI off)")
@pytest.mark.parametrize("ranks", [2, 3])
def test_mpi_ranks_write_the_single_process_file(desist, desist_bin, tmp_path, ranks):
    sweep(desist, tmp_path / "single.h5")
    out = tmp_path / f"ranks{ranks}.h5"
    subprocess.run([MPIEXEC, "--oversubscribe", "--allow-run-as-root", "-n", str(ranks), str(desist_bin), "sweep",
                    SMALL, "--out", out, "--quiet"], check=True, timeout=300)
    assert out.read_bytes() == (tmp_path / "single.h5").read_bytes()


def rows_done(path):
    try:
        with h5py.File(path, "r") as f:
            return int(f.attrs["rows_done"])
    except (OSError, KeyError):
        return -1


def start_slow(desist_bin, out):
    return subprocess.Popen([str(desist_bin), "sweep", SMALL, "--out", out, "--quiet", "--checkpoint-seconds", "0",
                             *SLOW], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_rows(process, out, at_least, timeout=120):
    deadline = time.monotonic() + timeout
    while rows_done(out) < at_least:
        assert process.poll() is None, "the sweep ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.02)


@pytest.mark.parametrize("kill_after_rows", [1, 9, 17])
def test_a_sweep_killed_and_resumed_equals_an_uninterrupted_one(desist, desist_bin, tmp_path, reference,
                                                                kill_after_rows):
    out = tmp_path / "killed.h5"
    process = start_slow(desist_bin, out)
    wait_for_rows(process, out, kill_after_rows)
    process.kill()  # SIGKILL: no chance to save anything more
    process.wait()
    done = rows_done(out)
    assert kill_after_rows <= done < 22  # a valid file, with the rows of its last checkpoint
    desist("sweep", SMALL, "--out", out, "--quiet", "--resume", *SLOW)
    assert out.read_bytes() == reference


def test_ctrl_c_saves_a_valid_partial_file_that_resumes(desist, desist_bin, tmp_path, reference):
    out = tmp_path / "interrupted.h5"
    process = start_slow(desist_bin, out)
    wait_for_rows(process, out, 3)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    assert "--resume" in stderr
    with h5py.File(out, "r") as f:
        assert f.attrs["complete"] == 0
        done = f["rows/done"][:]
        assert 3 <= done.sum() < 22
        assert np.all(np.isnan(f["rows/base/binary_rate"][:][done == 0]))
    desist("sweep", SMALL, "--out", out, "--quiet", "--resume", *SLOW)
    assert out.read_bytes() == reference


def test_resume_refuses_another_sweeps_file(desist, tmp_path):
    out = tmp_path / "s.h5"
    sweep(desist, out)
    result = desist("sweep", SMALL, "--out", out, "--quiet", "--resume", "--set", "design.seed=5", check=False)
    assert result.returncode == 2
    assert "another sweep" in result.stderr


def test_bad_sweep_input_is_located(desist, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text().replace("scenario: ../../../scenarios/baseline.yaml",
                                             f"scenario: {ROOT / 'scenarios' / 'baseline.yaml'}")
                   .replace("options: [../../../", f"options: [{ROOT}/")
                   .replace("kind: latin_hypercube", "kind: latin_hyper"))
    line = next(i for i, l in enumerate(bad.read_text().splitlines(), 1) if "latin_hyper" in l)
    result = desist("sweep", bad, check=False)
    assert result.returncode == 2
    assert f"bad.yaml:{line}:9: 'design.kind'" in result.stderr and "did you mean 'latin_hypercube'" in result.stderr
