"""The catalogue of bad inputs (tests/bad_inputs/cases.yaml): each file, run
through the `desist` command, exits with the status given and a message
naming the file, line, key and allowed range as listed, and leaves no output
behind. Command line only (no `import desist`), so it runs in both the
python_tests and the python_cli_tests configurations."""
import hashlib
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

BAD_INPUTS = ROOT / "tests" / "bad_inputs"
MANIFEST = yaml.safe_load((BAD_INPUTS / "cases.yaml").read_text(encoding="utf-8"))["cases"]
# desist report is the Python package's: not there in a build without it.
CASES = [c for c in MANIFEST
         if not (c.get("requires") == "python_package" and os.environ.get("DESIST_NO_PYTHON_MODULE"))]


def case_id(case):
    return f"{case['command'][0]}-{case['file']}"


def test_every_file_in_the_folder_is_a_case():
    named = {c["file"] for c in MANIFEST if not c.get("missing")}
    present = {p.name for p in BAD_INPUTS.iterdir()} - {"cases.yaml", "scenario.yaml"}
    assert present == named


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_bad_input(case, desist_bin, tmp_path):
    path = BAD_INPUTS / case["file"]
    assert path.exists() != bool(case.get("missing")), path
    before = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    work = tmp_path / "work"
    work.mkdir()
    fill = {"file": str(path), "dir": str(BAD_INPUTS), "root": str(ROOT), "out": str(work / "out")}
    command = [str(Path(desist_bin).resolve()), *(word.format(**fill) for word in case["command"])]
    result = subprocess.run(command, capture_output=True, text=True, cwd=work, timeout=120)
    assert result.returncode == case["status"], result.stderr
    for fragment in case.get("expect", []):
        assert fragment.format(**fill) in result.stderr
    for fragment in case.get("stdout", []):
        assert fragment.format(**fill) in result.stdout
    if case["status"] != 0:
        assert result.stderr.startswith("error: ") or "File does not exist" in result.stderr
        assert list(work.iterdir()) == [], "a failed command left files behind"
    if before is not None:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before, "the input file was changed"
