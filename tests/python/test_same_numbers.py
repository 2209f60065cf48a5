"""The same scenario and seed give the same numbers from Python, from the
command line and from either's HDF5 file read back with desist.open."""
import json
import math

import pandas as pd

import desist
from conftest import BASELINE
from test_bindings import assert_same_results


def test_python_the_command_line_and_the_files_agree(desist_bin, tmp_path):
    import subprocess

    cli_file = tmp_path / "cli.h5"
    out = subprocess.run([str(desist_bin), "run", str(BASELINE), "--set", "cohort.size=5000", "--seed", "11",
                          "--replicates", "3", "--threads", "2", "--json", "-", "--out", str(cli_file)],
                         capture_output=True, text=True, check=True).stdout
    cli = json.loads(out)

    scenario = desist.Scenario.load(BASELINE).set("cohort.size", 5000)
    results = desist.run(scenario, seed=11, replicates=3, threads=2, progress=False)
    python_file = tmp_path / "python.h5"
    results.to_hdf5(python_file)

    # Python's estimates are the JSON's, to the last bit (NaN is null there).
    assert (cli["seed"], cli["replicates"], cli["cohort_size"]) == (results.seed, results.replicates,
                                                                    results.cohort_size)
    for measure, row in results.summary.iterrows():
        for column, value in row.items():
            expected = cli["measures"][measure][column]
            assert (math.isnan(value) and expected is None) or value == expected, (measure, column)
    by_sentence = results.by_group("sentence").groupby("category", observed=True)["binary_rate"]
    for category, mean in by_sentence.mean().items():
        assert math.isclose(mean, cli["by_group"]["sentence"][category]["binary_rate"]["mean"], rel_tol=1e-14)

    # Everything in both files equals what Python holds, people included.
    from_cli, from_python = desist.open(cli_file), desist.open(python_file)
    assert_same_results(results, from_cli)
    assert_same_results(results, from_python)
    # The same event streams: equal checksums in memory, in the files and in the JSON.
    checksums = [f"{c:016x}" for c in results.diagnostics["checksum"]]
    assert checksums == cli["diagnostics"]["checksums"]
    pd.testing.assert_series_equal(from_cli.diagnostics["checksum"], results.diagnostics["checksum"])
    pd.testing.assert_series_equal(from_python.diagnostics["checksum"], results.diagnostics["checksum"])
