// Macro benchmarks of `desist run` (cli/main.cpp) without its output files:
// the scenario read (with any options put in place together), then
// run_scenario on a TBB arena of the given number of threads. One iteration
// each; the wall time includes reading the scenario, synthesising the
// cohort, the engine, the measures and the costs.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "desist/experiment.hpp"
#include "desist/option.hpp"
#include "desist/scenario.hpp"

namespace {

using namespace desist;

bench::MacroRun run_baseline(const std::vector<std::string>& overrides, bool every_option, int threads) {
  const auto start = std::chrono::steady_clock::now();
  Scenario scenario = load_scenario(bench::source_path("scenarios/baseline.yaml"), overrides);
  if (every_option) {
    std::vector<std::string> files;
    for (const auto& f : std::filesystem::directory_iterator(bench::source_path("scenarios/options")))
      if (f.path().extension() == ".yaml") files.push_back(f.path().string());
    std::sort(files.begin(), files.end());  // the order `--option scenarios/options/*.yaml` gives
    for (const auto& file : files) scenario = load_option(scenario, file).scenario;
  }
  RunOptions options;
  options.seed = scenario.seed;
  options.replicates = 1;
  options.threads = threads;
  options.keep_people = false;  // as `desist run` without --out
  const RunResult result = run_scenario(scenario, options);
  bench::MacroRun run;
  run.wall_seconds = bench::seconds_since(start);
  run.engine_seconds = result.diagnostics.front().engine_seconds;
  run.events = static_cast<double>(result.diagnostics.front().events);
  run.people = static_cast<double>(result.cohort_size);
  return run;
}

void macro(benchmark::State& state, const std::vector<std::string>& overrides, bool every_option) {
  const int threads = static_cast<int>(state.range(0));
  bench::MacroRun run;
  for (auto _ : state) run = run_baseline(overrides, every_option, threads);
  bench::set_macro_counters(state, run, threads);
}

void macro_national_cohort(benchmark::State& state) { macro(state, {}, false); }
void macro_national_every_option(benchmark::State& state) { macro(state, {}, true); }
void macro_cohort_10_million(benchmark::State& state) { macro(state, {"cohort.size=10000000"}, false); }

#define DESIST_MACRO(name) \
  BENCHMARK(name)->ArgName("threads")->Arg(1)->Arg(2)->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond)
DESIST_MACRO(macro_national_cohort);
DESIST_MACRO(macro_national_every_option);
DESIST_MACRO(macro_cohort_10_million);

}  // namespace
