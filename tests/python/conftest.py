"""Shared fixtures for the end-to-end tests of the `desist` command."""
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
SHARED_DATA = ROOT.parent / "shared" / "data"


def pytest_ignore_collect(collection_path, config):
    """In a build without the Python module (DESIST_NO_PYTHON_MODULE set by
    tests/CMakeLists.txt), leaves out the test files that import the package,
    and those that execute the notebooks (which do)."""
    if os.environ.get("DESIST_NO_PYTHON_MODULE") and collection_path.suffix == ".py" \
            and collection_path.name.startswith("test_"):
        text = collection_path.read_text(encoding="utf-8")
        if any(s in text for s in ("import desist", "from desist", "import nbclient")):
            return True
    return None


@pytest.fixture(scope="session")
def desist_bin() -> Path:
    path = Path(os.environ.get("DESIST_BIN", ROOT / "build" / "bin" / "desist"))
    if not path.exists():
        pytest.fail(f"desist binary not found at {path}: build first (make build)")
    return path


@pytest.fixture
def desist(desist_bin):
    """Runs desist with the given arguments; returns the CompletedProcess."""

    def run(*args, check=True):
        result = subprocess.run([str(desist_bin), *map(str, args)], capture_output=True, text=True)
        if check and result.returncode != 0:
            raise AssertionError(f"desist {' '.join(map(str, args))} exited {result.returncode}:\n{result.stderr}")
        return result

    return run


@pytest.fixture
def run_json(desist):
    """Runs the baseline (reduced unless told otherwise) and returns the parsed JSON summary."""

    def run(*args, size=20000):
        sets = ["--set", f"cohort.size={size}"] if size else []
        out = desist("run", BASELINE, "--json", "-", *sets, *args).stdout
        return json.loads(out)

    return run
