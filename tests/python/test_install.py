"""`pip install .` into a fresh virtual environment, as on a fresh machine.

The build runs in pip's isolated build environment (scikit-build-core and
pybind11 from PyPI), against the Debian packages scripts/install-deps installs;
then the installed package, not the build tree's, runs a scenario and must give
the numbers the build tree's module gives. Minutes on two cores: deselect with
``-m "not install"`` (ctest runs it as its own test, python_pip_install).
"""
import json
import os
import subprocess
import sys
import venv

import pytest

import desist
from conftest import BASELINE, ROOT

pytestmark = pytest.mark.install

INSTALL_TIMEOUT_S = 1500

CHECK = r"""
import json, os, sys
import desist
s = desist.Scenario.load(sys.argv[1]).set("cohort.size", 5000)
r = desist.run(s, replicates=2, seed=11, threads=2, progress=False)
print(json.dumps({
    "file": desist.__file__,
    "core": desist._core.__file__,
    "version": desist.__version__,
    "summary": r.summary["mean"].to_dict(),
    "people": len(r.people()),
    "plot": __import__("desist.plot").plot.__name__,
}))
"""


def test_pip_install_builds_and_installs_the_package(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(ROOT)], env=env,
                             capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S)
    assert install.returncode == 0, f"pip install . failed:\n{install.stdout[-6000:]}\n{install.stderr[-6000:]}"

    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['platlib'])"], env=env,
                          capture_output=True, text=True, check=True).stdout.strip()
    package = os.path.join(site, "desist")
    files = sorted(os.listdir(package))
    assert {"__init__.py", "plot.py", "py.typed", "report.py", "report.html.j2"} <= set(files)
    # The report writer's entry point (desist report of the command line runs it).
    assert (env_dir / "bin" / "desist-report").exists()
    assert any(f.startswith("_core.") and f.endswith(".so") for f in files)
    # No command-line script: the `desist` command is the CMake build's.
    assert not (env_dir / "bin" / "desist").exists()

    # The installed package runs from anywhere, with nothing of the build tree on its path.
    run = subprocess.run([str(python), "-c", CHECK, str(BASELINE)], env=env, cwd=tmp_path, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    installed = json.loads(run.stdout.strip().splitlines()[-1])
    assert installed["file"].startswith(package) and installed["core"].startswith(package)
    assert installed["version"] == desist.__version__ and installed["people"] == 5000 and installed["plot"]

    # The same numbers as the module built in the build tree.
    here = desist.run(desist.Scenario.load(BASELINE).set("cohort.size", 5000), replicates=2, seed=11, threads=2,
                      progress=False)
    assert installed["summary"] == here.summary["mean"].to_dict()
    assert sys.executable != str(python)
