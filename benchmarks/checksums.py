#!/usr/bin/env python3
"""Prints the event-stream checksum of every replicate of the shipped scenarios
(the baseline, each option, all options at once), at 1 and 2 threads, so an
optimisation can be checked to leave every event unchanged: run it before and
after and compare the output (`diff`).

    python3 benchmarks/checksums.py [--build build] [--size 60000] [--replicates 2]
"""
import argparse
import json
import subprocess
from pathlib import Path

root = Path(__file__).resolve().parent.parent
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--build", default=str(root / "build"))
parser.add_argument("--size", type=int, default=60000, help="cohort size (default 60000)")
parser.add_argument("--replicates", type=int, default=2)
args = parser.parse_args()
binary = Path(args.build) / "bin" / "desist"

option_files = sorted((root / "scenarios" / "options").glob("*.yaml"))
runs = [("baseline", [])] + [(f.stem, ["--option", str(f)]) for f in option_files]
runs.append(("all options", [a for f in option_files for a in ("--option", str(f))]))
for label, extra in runs:
    for threads in (1, 2):
        out = subprocess.run([str(binary), "run", str(root / "scenarios/baseline.yaml"), *extra, "--set",
                              f"cohort.size={args.size}", "--replicates", str(args.replicates), "--threads",
                              str(threads), "--json", "-", "-q"], check=True, capture_output=True, text=True).stdout
        d = json.loads(out)["diagnostics"]
        print(f"{label:20s} threads={threads} events={d['events']:.0f} checksums={' '.join(d['checksums'])}")
