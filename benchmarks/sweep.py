#!/usr/bin/env python3
"""Times `desist sweep`: 1,000 replicates of 10,000 people (1 and 2 threads),
the shipped example sweep, and the cost of a work item over MPI (2,000 tiny
items, one process against mpirun with one and two workers). Prints median
wall times of `--runs` runs.

    python3 benchmarks/sweep.py [--build build] [--runs 3]
"""
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import bench_args

root = bench_args.root
args, binary = bench_args.parse(__doc__, lambda p: p.add_argument("--runs", type=int, default=3))
mpirun = shutil.which("mpirun")
out = Path(tempfile.mkdtemp()) / "sweep.h5"


def median_wall(command):
    walls = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


def sweep(file, *extra, ranks=0):
    prefix = [mpirun, "--oversubscribe", "--allow-run-as-root", "-n", str(ranks)] if ranks else []
    return median_wall([*prefix, str(binary), "sweep", str(file), "--out", str(out), "--quiet", *extra])


replicates = root / "benchmarks" / "sweeps" / "replicates.yaml"
for threads in (1, 2):
    wall = sweep(replicates, "--threads", str(threads))
    print(f"1000 x 10000 people x 3 years: threads={threads} median_wall_s={wall:.2f} "
          f"people_per_s={1000 * 10000 / wall:.3g}")
wall = sweep(root / "scenarios" / "sweeps" / "example.yaml", "--threads", "2")
print(f"example sweep (133 points x 2 replicates x 3 scenarios x 10000 people): threads=2 median_wall_s={wall:.2f}")

tiny = root / "benchmarks" / "sweeps" / "tiny_items.yaml"
items = 2000
single = sweep(tiny, "--threads", "1")
print(f"2000 tiny items, one process, 1 thread: median_wall_s={single:.3f} per_item_ms={1000 * single / items:.3f}")
if mpirun:
    start_up = sweep(tiny, "--threads", "1", "--set", "design.points=1", ranks=2)
    for ranks in (2, 3):
        wall = sweep(tiny, "--threads", "1", ranks=ranks)
        workers = ranks - 1
        # Per item on one worker, less the same item's cost in one process: what MPI adds.
        overhead = 1000 * ((wall - start_up) * workers - single) / items
        print(f"2000 tiny items, mpirun -n {ranks} ({workers} worker(s)), 1 thread each: median_wall_s={wall:.3f} "
              f"(start-up {start_up:.3f}) MPI cost per item ~{overhead:.3f} ms")
