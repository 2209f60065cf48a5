#!/usr/bin/env python3
"""Times `desist run` on the national baseline cohort (540,000 people, 3-year
horizon) with 1 and 2 threads, alone and with every shipped option in place,
and prints the median wall time of five runs and the engine's events per second.

    python3 benchmarks/national_cohort.py [--build build] [--runs 5]
"""
import json
import statistics
import subprocess
import time

import bench_args

root = bench_args.root
args, binary = bench_args.parse(__doc__, lambda p: p.add_argument("--runs", type=int, default=5))

options = [a for f in sorted(bench_args.options_dir.glob("*.yaml")) for a in ("--option", str(f))]
for label, extra, threads in (("baseline", [], 1), ("baseline", [], 2), ("all options", options, 1),
                              ("all options", options, 2)):
    walls, results = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        out = subprocess.run([str(binary), "run", str(root / "scenarios/baseline.yaml"), *extra, "--threads",
                              str(threads), "--json", "-", "-q"], check=True, capture_output=True, text=True).stdout
        walls.append(time.perf_counter() - start)
        results.append(json.loads(out))
    d = results[walls.index(statistics.median_low(walls))]["diagnostics"]
    print(f"{label}: threads={threads} median_wall_s={statistics.median(walls):.3f} events={d['events']:.0f} "
          f"engine_s={d['engine_seconds']:.3f} engine_events_per_s={d['events_per_second']:.3g} "
          f"binary_rate={results[0]['measures']['binary_rate']['mean']:.4f}")
