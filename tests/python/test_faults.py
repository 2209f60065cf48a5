"""Faults (issue 9, item 4): a run or sweep killed at any moment leaves under
its final name either nothing, the previous file byte for byte, or a complete
valid file; a sweep killed (SIGKILL or Ctrl-C) and resumed, again and again,
ends with the bytes of an uninterrupted one; a full disk is a clear error that
leaves no file behind. Command line only (no `import desist`).

The moments of the kills come from fixed seeds; where each kill lands in the
run still depends on the machine's speed, and every check holds wherever it
lands."""
import random
import resource
import signal
import subprocess
import time
from pathlib import Path

import h5py
import pytest

from conftest import BASELINE, ROOT

# 100,000 people with the per-person table: about half a second and 1.5 MB, so
# kills land while simulating and while writing.
RUN = ["run", BASELINE, "--set", "cohort.size=100000", "--quiet"]
RUN_GROUPS = {"by_group", "diagnostics", "people", "replicates", "summary", "survival", "timeseries"}
SWEEP = ["sweep", ROOT / "tests" / "data" / "sweeps" / "small.yaml", "--quiet", "--set", "set.cohort.size=20000"]
SWEEP_ROWS = 22  # tests/data/sweeps/small.yaml: 11 points (6 and the tornado's) × 2 replicates


def command(desist_bin, *args):
    return [str(Path(desist_bin).resolve()), *map(str, args)]


def run_file_seed(path):
    """The seed of a complete run file; fails unless h5py reads it with every group."""
    with h5py.File(path, "r") as f:
        assert RUN_GROUPS <= set(f), sorted(f)
        assert len(f["people/age"]) == 100000
        return int(f.attrs["seed"])


def check_only_temporaries_beside(final):
    """Beside `final`, only atomic_file.cpp's temporaries (NAME.tmp.PID.N) of killed processes may be left."""
    for p in final.parent.iterdir():
        assert p.name == final.name or p.name.startswith(final.name + ".tmp."), p


@pytest.fixture(scope="module")
def run_seconds(desist_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("timing") / "run.h5"
    start = time.monotonic()
    subprocess.run(command(desist_bin, *RUN, "--out", out), check=True)
    return time.monotonic() - start


@pytest.mark.parametrize("previous", [False, True], ids=["no previous file", "previous file"])
def test_a_run_killed_at_any_moment_leaves_no_partial_file(desist_bin, tmp_path, run_seconds, previous):
    out = tmp_path / "f.h5"
    old = None
    if previous:
        subprocess.run(command(desist_bin, *RUN, "--seed", "7", "--out", out), check=True)
        old = out.read_bytes()
    moments = random.Random(20261207 + previous)  # fixed moments, most of them late: while writing, or after
    outcomes = set()
    for _ in range(12):
        process = subprocess.Popen(command(desist_bin, *RUN, "--seed", "8", "--out", out))
        time.sleep(moments.uniform(0.3, 1.3) * run_seconds)
        process.kill()
        process.wait()
        if not out.exists():
            assert not previous, "the previous file was removed"
            outcomes.add("absent")
        elif previous and out.read_bytes() == old:
            outcomes.add("previous")
        else:
            assert run_file_seed(out) == 8  # the new file, whole
            outcomes.add("complete")
        check_only_temporaries_beside(out)
        if not previous and out.exists():
            out.unlink()  # the next kill starts from no file again


def rows_done(path):
    with h5py.File(path, "r") as f:
        assert {"rows", "points", "factors", "inputs"} <= set(f)
        return int(f.attrs["rows_done"])


def test_a_sweep_killed_and_resumed_many_times_equals_an_uninterrupted_one(desist_bin, tmp_path):
    reference = tmp_path / "reference.h5"
    subprocess.run(command(desist_bin, *SWEEP, "--out", reference), check=True)
    (tmp_path / "killed").mkdir()
    out = tmp_path / "killed" / "s.h5"
    moments = random.Random(9)
    cycles, done_before = 0, 0
    while True:
        resume = ["--resume"] if out.exists() else []
        process = subprocess.Popen(command(desist_bin, *SWEEP, "--out", out, "--checkpoint-seconds", "0", *resume),
                                   stderr=subprocess.PIPE, text=True)
        time.sleep(moments.uniform(0.3, 1.5))
        if process.poll() is not None:
            break  # finished before the kill
        how = signal.SIGKILL if cycles % 2 == 0 else signal.SIGINT
        process.send_signal(how)
        _, stderr = process.communicate(timeout=120)
        cycles += 1
        if process.returncode == 0:
            break  # the signal came as it finished
        if how == signal.SIGINT:
            assert process.returncode == 130 and "--resume" in stderr
        assert process.returncode != 0
        if out.exists():
            done = rows_done(out)  # a valid file, never fewer rows than before
            assert done_before <= done <= SWEEP_ROWS
            done_before = done
        check_only_temporaries_beside(out)
        assert cycles < 40, "the sweep never finished between kills"
    process.wait()
    assert process.returncode == 0
    assert cycles >= 2, "fewer than two interruptions: the moments are too late for this machine"
    assert out.read_bytes() == reference.read_bytes()


def no_bigger_than(limit):
    def preexec():
        # A disk that is full after `limit` bytes: writes fail with EFBIG instead of killing the process.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


@pytest.mark.parametrize("what", ["run", "sweep"])
def test_a_full_disk_is_a_clear_error_and_leaves_the_previous_file(desist_bin, tmp_path, what):
    out = tmp_path / "f.h5"
    out.write_bytes(b"previous")
    args = (RUN if what == "run" else SWEEP) + ["--out", out]
    result = subprocess.run(command(desist_bin, *args), capture_output=True, text=True,
                            preexec_fn=no_bigger_than(64 * 1024), timeout=120)
    assert result.returncode == 1
    assert f"cannot write '{out}'" in result.stderr and "File too large" in result.stderr
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["f.h5"], "a temporary file was left behind"
