#!/usr/bin/env python3
"""Scaling curves of `desist run` on the shipped baseline: time against cohort
size (at the baseline's 3-year horizon), against horizon (at a fixed size), and
against threads. Writes a CSV (size, horizon, threads, wall and engine seconds,
events, events/s, peak RSS) and a log-log plot of engine time against the
events simulated (people x events a person) with the fitted exponent of each
thread count: an exponent near 1 means cost grows linearly in people x events.

    .venv/bin/python benchmarks/scaling.py [--build build] [--quick] [--out benchmarks]
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_args

SIZES = [10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000, 10_000_000]
HORIZONS = [1, 2, 3, 5, 10, 20]
QUICK_SIZES, QUICK_HORIZONS = [1_000, 3_000, 10_000], [1, 2]
COLUMNS = ["sweep", "size", "horizon_years", "threads", "wall_s", "engine_s", "events", "events_per_s",
           "peak_rss_bytes"]
# Below this much engine time, start-up and timer resolution dominate: such runs are
# plotted but left out of the fit (except with --quick, whose runs are all short).
FIT_MIN_ENGINE_S = 0.05


def add_options(parser):
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}, horizons {QUICK_HORIZONS}, 1 thread")
    parser.add_argument("--horizon-size", type=int, help="cohort size of the horizon sweep (default 100,000; quick 1,000)")
    parser.add_argument("--threads", type=int, nargs="+",
                        help="thread counts (default 1, 2 and powers of two up to the machine's cores)")
    parser.add_argument("--out", default=str(bench_args.root / "benchmarks"),
                        help="folder for scaling.csv and scaling.png")


def run(binary, size, horizon, threads):
    """One `desist run`; returns the CSV row's measured fields."""
    sets = ["--set", f"cohort.size={size}", "--set", f"run.horizon_years={horizon}"]
    if horizon < 1.5:  # the proven-reoffending windows (365 + 183 days) must fit in the horizon
        sets += ["--set", "measures.followup_days=182", "--set", "measures.waiting_days=91"]
    command = [str(binary), "run", str(bench_args.root / "scenarios/baseline.yaml"), *sets, "--threads", str(threads),
               "--json", "-", "-q"]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak RSS
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            sys.exit(f"{' '.join(command)} exited {process.returncode}:\n{err.read().decode()}")
        out.seek(0)
        d = json.loads(out.read())["diagnostics"]
    return {"wall_s": wall, "engine_s": d["engine_seconds"], "events": int(d["events"]),
            "events_per_s": d["events_per_second"], "peak_rss_bytes": usage.ru_maxrss * 1024}


def fit_exponent(rows, min_engine_s):
    """Least-squares slope and intercept of log(engine s) on log(events)."""
    import numpy as np
    rows = [r for r in rows if r["engine_s"] >= min_engine_s]
    if len(rows) < 2:
        return float("nan"), float("nan")
    x = np.log([r["events"] for r in rows])
    y = np.log([r["engine_s"] for r in rows])
    slope, intercept = np.polyfit(x, y, 1)
    return slope, intercept


def plot(rows, threads, min_engine_s, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    fig, ax = plt.subplots(figsize=(7, 5))
    for t in threads:
        mine = [r for r in rows if r["threads"] == t]
        for sweep, marker in (("size", "o"), ("horizon", "s")):
            pts = [r for r in mine if r["sweep"] == sweep]
            ax.loglog([r["events"] for r in pts], [r["engine_s"] for r in pts], marker, label=f"{sweep}, {t} thread(s)")
        slope, intercept = fit_exponent(mine, min_engine_s)
        if np.isfinite(slope):
            x = np.array([min(r["events"] for r in mine), max(r["events"] for r in mine)], dtype=float)
            ax.loglog(x, np.exp(intercept) * x ** slope, "-", label=f"fit, {t} thread(s): time ∝ events^{slope:.3f}")
    ax.set_xlabel("events simulated (people × events a person)")
    ax.set_ylabel("engine time (s)")
    ax.set_title("desist run, shipped baseline: cohort size 10^4–10^7, horizon 1–20 years")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main():
    args, binary = bench_args.parse(__doc__, add_options)
    if not binary.exists():
        sys.exit(f"{binary} not found: build first (make build)")
    sizes, horizons = (QUICK_SIZES, QUICK_HORIZONS) if args.quick else (SIZES, HORIZONS)
    horizon_size = args.horizon_size or (1_000 if args.quick else 100_000)
    cores = os.cpu_count() or 1
    threads = args.threads or ([1] if args.quick else sorted({1, 2, *(2 ** k for k in range(2, 8) if 2 ** k <= cores)}))
    rows = []
    for t in threads:
        for sweep, points in (("size", [(s, 3) for s in sizes]), ("horizon", [(horizon_size, h) for h in horizons])):
            for size, horizon in points:
                row = {"sweep": sweep, "size": size, "horizon_years": horizon, "threads": t,
                       **run(binary, size, horizon, t)}
                print(" ".join(f"{k}={row[k]:.4g}" if isinstance(row[k], float) else f"{k}={row[k]}" for k in COLUMNS),
                      flush=True)
                rows.append(row)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "scaling.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    min_engine_s = 0.0 if args.quick else FIT_MIN_ENGINE_S
    plot(rows, threads, min_engine_s, out / "scaling.png")
    for t in threads:
        slope, _ = fit_exponent([r for r in rows if r["threads"] == t], min_engine_s)
        print(f"threads={t}: engine time ∝ events^{slope:.3f} (fitted over runs of at least {min_engine_s} s)")
    print(f"wrote {out / 'scaling.csv'} and {out / 'scaling.png'}")


if __name__ == "__main__":
    main()
