"""desist.sweep and desist.open_sweep: the numbers of `desist sweep`, located
errors, and cancellation that leaves a file to resume."""
import json
import math
import subprocess
import threading

import numpy as np
import pandas as pd
import pytest

import desist
from conftest import ROOT

SMALL = ROOT / "tests" / "data" / "sweeps" / "small.yaml"


@pytest.fixture(scope="module")
def python_sweep():
    return desist.sweep(SMALL, threads=2, progress=False)


def test_python_the_command_line_and_the_files_agree(python_sweep, desist_bin, tmp_path):
    cli_file, cli_json = tmp_path / "cli.h5", tmp_path / "cli.json"
    subprocess.run([str(desist_bin), "sweep", str(SMALL), "--out", str(cli_file), "--json", str(cli_json),
                    "--quiet", "--threads", "1"], check=True)
    python_file = tmp_path / "python.h5"
    python_sweep.to_hdf5(python_file)
    assert python_file.read_bytes() == cli_file.read_bytes()  # byte-for-byte, whatever the threads
    assert json.loads(python_sweep.to_json()) == json.loads(cli_json.read_text())
    from_file = desist.open_sweep(cli_file)
    pd.testing.assert_frame_equal(desist.open(cli_file).rows, from_file.rows)  # desist.open reads sweeps too
    pd.testing.assert_frame_equal(python_sweep.rows, from_file.rows)
    pd.testing.assert_frame_equal(python_sweep.summary, from_file.summary)
    pd.testing.assert_frame_equal(python_sweep.tornado, from_file.tornado)
    # The tables hold the JSON's numbers.
    j = json.loads(cli_json.read_text())
    rows = python_sweep.rows
    assert len(rows) == 22 and rows["done"].all()
    for p, point in enumerate(j["points"]):
        mean = point["summary"]["base.binary_rate"]["mean"]
        assert python_sweep.summary.loc[(p, "base.binary_rate"), "mean"] == mean
        assert math.isclose(rows.loc[p, "base.binary_rate"].mean(), mean, rel_tol=1e-14)
    decision = python_sweep.decision
    assert decision["best"] == j["analysis"]["decision"]["best"]
    assert decision["evpi"] == j["analysis"]["decision"]["evpi"]
    assert list(decision["choices"].index) == ["base", "housing_ttg"]
    tornado = python_sweep.tornado
    first = j["analysis"]["tornado"]["tables"][0]
    got = tornado[tornado["output"] == first["output"]]
    assert list(got["dimension"]) == [b["dimension"] for b in first["bars"]]
    np.testing.assert_array_equal(got["low"], [b["low"] for b in first["bars"]])
    assert list(python_sweep.points.columns[2:]) == list(python_sweep.factors["path"])


def test_bad_sweep_input_raises_input_error_with_the_location(tmp_path):
    with pytest.raises(desist.InputError) as error:
        desist.sweep(SMALL, overrides=["design.kind=latin_hyper"], progress=False)
    assert error.value.key == "design.kind" and "did you mean 'latin_hypercube'" in str(error.value)
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text().replace("../../../", f"{ROOT}/").replace("points: 6", "pionts: 6"))
    line = next(i for i, l in enumerate(bad.read_text().splitlines(), 1) if "pionts" in l)
    with pytest.raises(desist.InputError) as error:
        desist.sweep(bad, progress=False)
    assert f"bad.yaml:{line}:" in str(error.value) and error.value.line == line


def test_a_cancelled_sweep_saves_its_rows_and_resumes_to_the_same_file(python_sweep, tmp_path):
    out = tmp_path / "cancelled.h5"
    cancel = threading.Event()

    def stop_after_first_row(done, total):
        if done >= 1:
            cancel.set()

    with pytest.raises(desist.Cancelled, match="resume=True"):
        desist.sweep(SMALL, threads=1, progress=stop_after_first_row, out=out, cancel=cancel)
    partial = desist.open_sweep(out)
    assert not partial.complete and 1 <= partial.rows["done"].sum() < 22
    desist.sweep(SMALL, threads=2, progress=False, out=out, resume=True)
    reference = tmp_path / "reference.h5"
    python_sweep.to_hdf5(reference)
    assert out.read_bytes() == reference.read_bytes()


def test_tornado_plot_draws_each_swing(python_sweep):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import desist.plot

    ax = desist.plot.tornado(python_sweep, "base.binary_rate")
    t = python_sweep.tornado[python_sweep.tornado["output"] == "base.binary_rate"]
    bars = ax.containers
    assert len(bars) == 2 and len(bars[0]) == len(t)
    centre = t["centre"].iloc[0]
    np.testing.assert_allclose([b.get_x() + b.get_width() for b in bars[0]], t["low"], rtol=1e-12)
    np.testing.assert_allclose([b.get_x() + b.get_width() for b in bars[1]], t["high"], rtol=1e-12)
    assert all(b.get_x() == centre for b in bars[0])
    with pytest.raises(ValueError, match="no Sobol"):
        desist.plot.sobol_indices(python_sweep)  # a Latin hypercube has none
    plt.close("all")


def test_sobol_plot_draws_the_indices(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import desist.plot

    result = desist.sweep(SMALL, overrides=["design.kind=sobol", "design.points=4", "design.replicates=1",
                                            "set.cohort.size=500", "design.tornado=false"], progress=False)
    s = result.sobol
    assert not s.empty and set(s["dimension"]) == set(result.factors["path"])
    output = s["output"].iloc[0]
    ax = desist.plot.sobol_indices(result, output)
    from matplotlib.container import BarContainer

    first, total = [c for c in ax.containers if isinstance(c, BarContainer)]
    rows = s[s["output"] == output]
    np.testing.assert_allclose([b.get_width() for b in first], rows["first"])
    np.testing.assert_allclose([b.get_width() for b in total], rows["total"])
    plt.close("all")


def test_a_dict_sweeps_as_its_file(python_sweep):
    import yaml

    data = yaml.safe_load(SMALL.read_text())
    from_dict = desist.sweep(data, name=SMALL.parent / "from_dict.yaml", threads=2, progress=False)
    pd.testing.assert_frame_equal(from_dict.rows, python_sweep.rows)
    assert from_dict.inputs["sweep_file"].endswith("from_dict.yaml")
    data["factors"] = {"offending.fraility_variance": {"uniform": [1.0, 1.6]}}
    with pytest.raises(desist.InputError) as e:
        desist.sweep(data, progress=False)  # relative paths from the working directory: not found
    assert e.value.file == "<dict>"
    with pytest.raises(desist.InputError) as e:
        desist.sweep(data, name=SMALL, progress=False)
    assert e.value.key == "factors.offending.fraility_variance" and "did you mean 'frailty_variance'?" in str(e.value)
