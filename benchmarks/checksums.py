#!/usr/bin/env python3
"""Prints the event-stream checksum of every replicate of the shipped scenarios
(the baseline, each option, all options at once), at 1 and 2 threads, so an
optimisation can be checked to leave every event unchanged: run it before and
after and compare the output (`diff`).

    python3 benchmarks/checksums.py [--build build] [--size 60000] [--replicates 2]
"""
import json
import subprocess

import bench_args

root = bench_args.root


def options(p):
    p.add_argument("--size", type=int, default=60000, help="cohort size (default 60000)")
    p.add_argument("--replicates", type=int, default=2)


args, binary = bench_args.parse(__doc__, options)

option_files = sorted(bench_args.options_dir.glob("*.yaml"))
runs = [("baseline", [])] + [(f.stem, ["--option", str(f)]) for f in option_files]
runs.append(("all options", [a for f in option_files for a in ("--option", str(f))]))
for label, extra in runs:
    for threads in (1, 2):
        out = subprocess.run([str(binary), "run", str(root / "scenarios/baseline.yaml"), *extra, "--set",
                              f"cohort.size={args.size}", "--replicates", str(args.replicates), "--threads",
                              str(threads), "--json", "-", "-q"], check=True, capture_output=True, text=True).stdout
        d = json.loads(out)["diagnostics"]
        print(f"{label:20s} threads={threads} events={d['events']:.0f} checksums={' '.join(d['checksums'])}")
