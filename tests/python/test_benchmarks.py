"""Smoke tests of the benchmark tools (benchmarks/): desist_bench runs and
reports its counters, `make bench`'s script collects them, and the scaling
script writes its CSV and plot. Performance is measured, never asserted here:
these check only that the tools work and report what they say."""
import csv
import json
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def bench_bin(desist_bin):
    path = desist_bin.parent / "desist_bench"
    if not path.exists():
        pytest.fail(f"{path} not built: it needs libbenchmark-dev (scripts/install-deps)")
    return path


def test_desist_bench_reports_the_person_loop_counters(bench_bin):
    out = subprocess.run([str(bench_bin), "--benchmark_filter=^micro_person_loop$", "--benchmark_min_time=0.01",
                          "--benchmark_format=json"], check=True, capture_output=True, text=True).stdout
    [result] = json.loads(out)["benchmarks"]
    assert result["name"] == "micro_person_loop"
    # ns/event and events/s are the same measurement: their product is 1e9.
    assert result["events_per_s"] * result["ns_per_event"] == pytest.approx(1e9, rel=1e-9)
    assert result["events_per_s"] > result["people_per_s"] > 0  # people have at least one event each
    assert result["peak_rss_bytes"] > 0


def test_run_benchmarks_collects_json_and_prints_the_table(desist_bin, tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks/run_benchmarks.py"), "--build",
                          str(desist_bin.parent.parent), "--filter", "^micro_rng", "--min-time", "0.01",
                          "--out", str(tmp_path)], check=True, capture_output=True, text=True)
    files = sorted(p.name for p in tmp_path.glob("*.json"))
    assert files == ["micro_rng_first_draw_of_a_stream.json", "micro_rng_uniform.json",
                     "micro_rng_unit_exponential.json"]
    rows = [line for line in run.stdout.splitlines() if line.startswith("| micro_rng")]
    assert len(rows) == 3
    assert (tmp_path / "table.md").read_text() in run.stdout + "\n"


def test_scaling_quick_writes_csv_and_plot(desist_bin, tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks/scaling.py"), "--build", str(desist_bin.parent.parent),
                          "--quick", "--out", str(tmp_path)], check=True, capture_output=True, text=True)
    with open(tmp_path / "scaling.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["sweep", "size", "horizon_years", "threads", "wall_s", "engine_s", "events",
                             "events_per_s", "peak_rss_bytes"]
    assert {(r["sweep"], int(r["size"]), float(r["horizon_years"])) for r in rows} == {
        ("size", 1000, 3), ("size", 3000, 3), ("size", 10000, 3), ("horizon", 1000, 1), ("horizon", 1000, 2)}
    # The engine's events grow with people and with horizon.
    by_size = sorted((int(r["size"]), int(r["events"])) for r in rows if r["sweep"] == "size")
    assert [e for _, e in by_size] == sorted(e for _, e in by_size)
    assert all(float(r["peak_rss_bytes"]) > 0 and float(r["engine_s"]) > 0 for r in rows)
    assert (tmp_path / "scaling.png").stat().st_size > 0
    assert "threads=1: engine time ∝ events^" in run.stdout
