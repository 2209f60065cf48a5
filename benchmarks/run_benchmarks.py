#!/usr/bin/env python3
"""Runs every benchmark of desist_bench, each in a process of its own (so
that its peak RSS is its own), keeps Google Benchmark's JSON of each under
results/bench/, and prints a table of the figures against issue 8's targets
(also written to results/bench/table.md).

    python3 benchmarks/run_benchmarks.py [--build build] [--filter REGEX] [--min-time SECONDS]
"""
import json
import re
import subprocess
import sys
from pathlib import Path

import bench_args


def add_options(parser):
    parser.add_argument("--filter", default=".", help="regular expression: run the benchmarks whose names match")
    parser.add_argument("--min-time", help="--benchmark_min_time of the micro benchmarks (seconds)")
    parser.add_argument("--out", default=str(bench_args.root / "results" / "bench"))


# Issue 8's targets on the 2-core machine: (name prefix, what, check of a result's
# fields, returning None where the result does not have the figure). The first
# prefix that matches is the row's.
TARGETS = [
    ("micro_person_loop_without_log", ">= 10 M events/s per core without per-event logging",
     lambda r: r["events_per_s"] >= 10e6),
    ("micro_person_loop", ">= 5 M events/s per core with per-event logging",
     lambda r: r["events_per_s"] >= 5e6),
    ("macro_national_cohort/threads:2", "< 0.5 s wall", lambda r: r["wall_s"] < 0.5),
    ("macro_replicates_1000_x_10000/threads:2", "< 5 s wall", lambda r: r["wall_s"] < 5),
    ("macro_cohort_10_million/threads:2", "< 20 s wall within 4 GB",
     lambda r: r["wall_s"] < 20 and r["peak_rss_bytes"] < 4 * 2**30),
    ("macro_", "engine >= 5 M events/s per thread (with logging)",
     lambda r: r["engine_events_per_s"] / r["threads"] >= 5e6 if "engine_events_per_s" in r else None),
]


def seconds(result):
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[result["time_unit"]]
    return result["real_time"] * scale


def figure(value, unit=""):
    if value is None:
        return "—"
    for limit, prefix in ((1e9, " G"), (1e6, " M"), (1e3, " k")):
        if value >= limit:
            return f"{value / limit:.3g}{prefix}{unit}"
    return f"{value:.3g}{' ' + unit if unit else ''}"


def duration(s):
    for limit, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if s >= limit:
            return f"{s / limit:.3g} {unit}"
    return f"{s * 1e9:.3g} ns"


def memory(size):
    if size is None:
        return "—"
    return f"{size / 2**30:.2f} GiB" if size >= 2**30 else f"{size / 2**20:.0f} MiB"


def target(name, result):
    for prefix, what, check in TARGETS:
        if name.startswith(prefix):
            met = check(result)
            return "" if met is None else f"{what}: {'met' if met else '**missed**'}"
    return ""


def main():
    args, _ = bench_args.parse(__doc__, add_options)
    binary = Path(args.build) / "bin" / "desist_bench"
    if not binary.exists():
        sys.exit(f"{binary} not found: build first (make build)")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    names = subprocess.run([str(binary), "--benchmark_list_tests"], check=True, capture_output=True,
                           text=True).stdout.split()
    names = [n for n in names if re.search(args.filter, n)]
    rows = []
    for name in names:
        file = out / (re.sub(r"[^A-Za-z0-9_.-]+", "_", name) + ".json")
        command = [str(binary), f"--benchmark_filter=^{re.escape(name)}$", f"--benchmark_out={file}",
                   "--benchmark_out_format=json"]
        if args.min_time:
            command.append(f"--benchmark_min_time={args.min_time}")
        print(f"running {name}", file=sys.stderr, flush=True)
        run = subprocess.run(command, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"{name} failed (exit {run.returncode}):\n{run.stderr}")
        report = json.loads(file.read_text())
        for r in report["benchmarks"]:
            r.setdefault("wall_s", seconds(r))
            r.setdefault("threads", 1)
            rows.append((r["name"], r))
    context = report["context"] if names else {}
    lines = [f"Machine: {context.get('num_cpus', '?')} CPUs at {context.get('mhz_per_cpu', '?')} MHz, "
             f"load average {', '.join(f'{x:.2f}' for x in context.get('load_avg', []))} at the last benchmark; "
             f"{context.get('date', '')}", "",
             "| benchmark | time | events/s (RNG: draws/s) | ns/event | people/s | engine events/s per thread | peak RSS | target |",
             "|---|---|---|---|---|---|---|---|"]
    for name, r in rows:
        per_thread = r["engine_events_per_s"] / r["threads"] if "engine_events_per_s" in r else None
        rate = r.get("events_per_s") or r.get("items_per_second")
        lines.append(f"| {name.removesuffix('/iterations:1/real_time')} | {duration(r['wall_s'])} | "
                     f"{figure(rate)} | {figure(r.get('ns_per_event'))} | {figure(r.get('people_per_s'))} | "
                     f"{figure(per_thread)} | {memory(r.get('peak_rss_bytes'))} | "
                     f"{target(name, r)} |")
    table = "\n".join(lines) + "\n"
    (out / "table.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
