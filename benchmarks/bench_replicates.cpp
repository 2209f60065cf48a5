// Macro benchmark of `desist sweep benchmarks/sweeps/replicates.yaml` without
// its results file: 1,000 replicates of 10,000 people over 3 years, run as
// the sweep command runs them (run_sweep: replicates in parallel, people in
// parallel inside each).
#include <benchmark/benchmark.h>

#include "bench_support.hpp"
#include "desist/sweep.hpp"

namespace {

using namespace desist;

void macro_replicates_1000_x_10000(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  bench::MacroRun run;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const Sweep sweep = load_sweep(bench::source_path("benchmarks/sweeps/replicates.yaml"));
    const std::vector<SweepPoint> points = sweep_points(sweep);
    SweepRows rows(points.size() * static_cast<std::size_t>(sweep.design.replicates), sweep_columns(sweep).size());
    SweepRunOptions options;
    options.threads = threads;
    run_sweep(sweep, points, rows, options);
    run.wall_seconds = bench::seconds_since(start);
    run.events = static_cast<double>(rows.events());
    run.people = static_cast<double>(rows.rows()) * static_cast<double>(point_scenarios(sweep, points.front(), 0)
                                                                             .base.parameters.cohort.size);
  }
  bench::set_macro_counters(state, run, threads);
}
BENCHMARK(macro_replicates_1000_x_10000)
    ->ArgName("threads")->Arg(1)->Arg(2)->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);

}  // namespace
