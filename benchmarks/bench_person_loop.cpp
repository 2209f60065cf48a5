// Micro benchmarks of the engine and the measures on the shipped baseline:
// one event of the person loop (simulate_person, person after person, so the
// cost per event is the time over the events produced; and the same people
// through the engine's loop on one thread, with and without the per-event
// log), and the measures pass over a national-size
// event log.
#include <benchmark/benchmark.h>

#include <tbb/task_arena.h>

#include <vector>

#include "bench_support.hpp"
#include "desist/cohort.hpp"
#include "desist/engine.hpp"
#include "desist/measures.hpp"
#include "desist/scenario.hpp"

namespace {

using namespace desist;

void micro_person_loop(benchmark::State& state) {
  // 20,000 people: a spread of histories large enough to average over, small
  // enough to make quickly.
  const Scenario scenario = load_scenario(bench::source_path("scenarios/baseline.yaml"), {"cohort.size=20000"});
  const Parameters& p = scenario.parameters;
  const Cohort cohort = make_cohort(p, scenario.seed, 0);
  const SimulationKey key{scenario.seed, 0};
  std::vector<Event> out;
  std::size_t person = 0;
  double events = 0, people = 0;
  for (auto _ : state) {
    out.clear();
    simulate_person(p, cohort, person, key, out);
    events += static_cast<double>(out.size());
    ++people;
    person = (person + 1) % cohort.size();
  }
  bench::set_rate_counters(state, events, people);
}
BENCHMARK(micro_person_loop);

// The same people through the engine's own loop on one thread, which works
// out the run's constants (the truncated log-normal bounds) once rather than
// once a person as simulate_person does: with the per-event log (simulate),
// and without it (count_events, which only counts what the log would hold).
template <class Run>
void person_loop_on_one_thread(benchmark::State& state, Run run) {
  const Scenario scenario = load_scenario(bench::source_path("scenarios/baseline.yaml"), {"cohort.size=20000"});
  const Parameters& p = scenario.parameters;
  const Cohort cohort = make_cohort(p, scenario.seed, 0);
  tbb::task_arena one_thread(1);
  double events = 0, people = 0;
  for (auto _ : state) {
    one_thread.execute([&] { events += static_cast<double>(run(p, cohort, SimulationKey{scenario.seed, 0})); });
    people += static_cast<double>(cohort.size());
  }
  bench::set_rate_counters(state, events, people);
}

void micro_person_loop_in_simulate(benchmark::State& state) {
  person_loop_on_one_thread(state, [](const Parameters& p, const Cohort& c, SimulationKey key) {
    return simulate(p, c, key).events.size();
  });
}
BENCHMARK(micro_person_loop_in_simulate)->Unit(benchmark::kMillisecond);

void micro_person_loop_without_log(benchmark::State& state) {
  person_loop_on_one_thread(state, [](const Parameters& p, const Cohort& c, SimulationKey key) {
    return count_events(p, c, key);
  });
}
BENCHMARK(micro_person_loop_without_log)->Unit(benchmark::kMillisecond);

void micro_measures_pass(benchmark::State& state) {
  // The national cohort's log (540,000 people), simulated once before timing.
  const Scenario scenario = load_scenario(bench::source_path("scenarios/baseline.yaml"));
  const Parameters& p = scenario.parameters;
  const Cohort cohort = make_cohort(p, scenario.seed, 0);
  const EventLog log = simulate(p, cohort, SimulationKey{scenario.seed, 0});
  double people = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(measure(p, cohort, log, false));
    people += static_cast<double>(cohort.size());
  }
  bench::set_rate_counters(state, static_cast<double>(log.events.size()) * static_cast<double>(state.iterations()),
                           people);
}
BENCHMARK(micro_measures_pass)->Unit(benchmark::kMillisecond);

}  // namespace
