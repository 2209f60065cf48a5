"""Executes every notebook in notebooks/ at the size stored in it; any error fails.

The notebooks are stored without outputs (notebooks/generate.py writes them);
this runs each one top to bottom in a fresh kernel of this Python (ipykernel),
with the same import path as the tests, from the notebooks folder (as Jupyter
would), and fails on the first cell that raises.
"""
import os
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))

# Each notebook is meant to run in well under a minute on two cores; this is
# only the limit past which a hung cell fails the test.
CELL_TIMEOUT_S = 300


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOK_FILES] == ["01_quickstart.ipynb", "02_commissioning_options.ipynb",
                                                "03_monte_carlo.ipynb", "04_payment_by_results.ipynb",
                                                "05_validation.ipynb"]


def test_notebooks_are_stored_without_outputs():
    for path in NOTEBOOK_FILES:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, \
                    f"{path.name}: stored with outputs (strip them: python notebooks/generate.py)"


def test_notebooks_match_their_generator():
    generator = NOTEBOOKS / "generate.py"
    if not generator.exists():
        pytest.skip("no generator")
    import subprocess

    result = subprocess.run([sys.executable, str(generator), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(bool(os.environ.get("DESIST_NO_PYTHON_MODULE")),
                    reason="this build has no Python module (tests/CMakeLists.txt)")
@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=[p.stem for p in NOTEBOOK_FILES])
def test_notebook_executes(path, monkeypatch):
    # The kernel is a child process: give it this process's import path, so it
    # imports the same desist (build tree or installed) as the tests do.
    paths = [p for p in sys.path if p] + os.environ.get("PYTHONPATH", "").split(os.pathsep)
    # (absolute: the kernel starts in notebooks/).
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(dict.fromkeys(os.path.abspath(p) for p in paths if p)))
    # Jupyter's own backend: figures are drawn, then kept as PNG outputs.
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as error:
        pytest.fail(f"{path.name}: a cell raised\n{error}")
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
