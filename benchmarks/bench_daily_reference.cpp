// The exact event engine beside a fixed daily time-step reference of the same
// baseline model (benchmarks/daily_reference), on the same cohort of the
// shipped baseline (scenarios/baseline.yaml, 3 years): speed,
// and the binary reoffending rate and frequency (proven reoffences per
// offender) each gives, with the differences (the daily step's discretisation
// bias) and their standard errors.
//
//   build/bin/desist_bench --benchmark_filter='Daily|Exact'
//
// Arguments: threads (a TBB arena of that many); hazard_x, a factor on every
// group's offending hazard (10 shows how the bias grows with the hazard); and
// people, the cohort's size (100,000; and 1,000,000 to measure the small
// bias at the baseline's hazard to a standard error of 0.06 percentage points).
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "daily_reference.hpp"
#include "desist/cohort.hpp"
#include "desist/engine.hpp"
#include "desist/scenario.hpp"
#include "proven_outcome.hpp"

namespace {

using namespace desist;

constexpr std::uint64_t seed = 20101001;
// Independent streams for the two, so the standard error of their difference
// is that of two independent estimates.
constexpr SimulationKey exact_key{seed, 0}, reference_key{seed, 1};

using reference::ProvenOutcome;

struct Case {
  Parameters p;
  Cohort cohort;
  ProvenOutcome exact;  // the engine's, for the reference's bias
};

// The baseline of `people` people with its offending hazard × hazard_x, made
// (and run exactly) once.
const Case& baseline_case(int hazard_x, std::size_t people) {
  static std::map<std::pair<int, std::size_t>, std::unique_ptr<Case>> cases;
  auto& c = cases[{hazard_x, people}];
  if (!c) {
    c = std::make_unique<Case>();
    c->p = load_scenario(DESIST_SOURCE_DIR "/scenarios/baseline.yaml").parameters;
    c->p.cohort.size = people;
    for (SentenceGroup& g : c->p.cohort.groups) g.offending_multiplier *= hazard_x;
    c->cohort = synthesise_cohort(c->p, seed, 0);
    c->exact = reference::proven_outcome(c->p, c->cohort, simulate(c->p, c->cohort, exact_key));
  }
  return *c;
}

template <class Simulate>
ProvenOutcome time_runs(benchmark::State& state, const Case& c, Simulate simulate_cohort) {
  tbb::task_arena arena(static_cast<int>(state.range(0)));
  EventLog log;
  for (auto _ : state) {
    log = arena.execute([&] { return simulate_cohort(c); });
    benchmark::DoNotOptimize(log.events.data());
  }
  state.counters["people/s"] = benchmark::Counter(static_cast<double>(c.cohort.size()),
                                                  benchmark::Counter::kIsIterationInvariantRate);
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(log.events.size()),
                                                  benchmark::Counter::kIsIterationInvariantRate);
  const ProvenOutcome o = reference::proven_outcome(c.p, c.cohort, log);
  state.counters["rate"] = o.rate;
  state.counters["rate_se"] = o.rate_se;
  state.counters["freq"] = o.frequency;
  state.counters["freq_se"] = o.frequency_se;
  return o;
}

void BM_ExactEngine_Baseline(benchmark::State& state) {
  const Case& c = baseline_case(static_cast<int>(state.range(1)), static_cast<std::size_t>(state.range(2)));
  time_runs(state, c, [](const Case& c) { return simulate(c.p, c.cohort, exact_key); });
}

void BM_DailyReference_Baseline(benchmark::State& state) {
  const Case& c = baseline_case(static_cast<int>(state.range(1)), static_cast<std::size_t>(state.range(2)));
  const ProvenOutcome o =
      time_runs(state, c, [](const Case& c) { return reference::simulate_fixed_step(c.p, c.cohort, reference_key, 1.0); });
  state.counters["rate_bias"] = o.rate - c.exact.rate;
  state.counters["rate_bias_se"] = reference::difference_se(o.rate_se, c.exact.rate_se);
  state.counters["freq_bias"] = o.frequency - c.exact.frequency;
  state.counters["freq_bias_se"] = reference::difference_se(o.frequency_se, c.exact.frequency_se);
}

void arguments(benchmark::internal::Benchmark* b) {
  b->ArgNames({"threads", "hazard_x", "people"});
  b->Args({1, 1, 100000})->Args({2, 1, 100000})->Args({2, 10, 100000})->Args({2, 1, 1000000});
  b->Unit(benchmark::kMillisecond)->UseRealTime();  // the work runs on the arena's threads
}

}  // namespace

BENCHMARK(BM_ExactEngine_Baseline)->Apply(arguments);
BENCHMARK(BM_DailyReference_Baseline)->Apply(arguments);
