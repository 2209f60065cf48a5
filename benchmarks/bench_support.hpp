// What the benchmarks of desist_bench share: where the shipped scenarios are,
// the process's peak memory, and the counters every macro benchmark reports.
#pragma once

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace desist::bench {

// A file of the source tree (scenarios/baseline.yaml, …).
inline std::string source_path(const std::string& relative) { return std::string(DESIST_SOURCE_DIR) + "/" + relative; }

// Peak resident memory of the whole process so far: run_benchmarks.py runs
// each benchmark in a process of its own so that this is the benchmark's.
inline double peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0;  // ru_maxrss is in KiB on Linux
}

// Rates of a benchmark timed by the framework: events/s, ns/event and
// people/s over the time it measured (kInvert of a rate in 1e-9 units is ns per unit).
inline void set_rate_counters(benchmark::State& state, double events, double people) {
  using benchmark::Counter;
  if (events > 0) {
    state.counters["events_per_s"] = Counter(events, Counter::kIsRate);
    state.counters["ns_per_event"] = Counter(events * 1e-9, Counter::kIsRate | Counter::kInvert);
  }
  if (people > 0) state.counters["people_per_s"] = Counter(people, Counter::kIsRate);
  state.counters["peak_rss_bytes"] = Counter(peak_rss_bytes(), Counter::kDefaults, Counter::kIs1024);
}

// A macro benchmark's one iteration: wall seconds measured around the whole
// run, the engine's own seconds and events (from the run's diagnostics).
struct MacroRun {
  double wall_seconds = 0;
  double engine_seconds = 0;  // 0 where the run does not report it (sweeps)
  double events = 0;
  double people = 0;
};

inline void set_macro_counters(benchmark::State& state, const MacroRun& run, int threads) {
  using benchmark::Counter;
  state.counters["threads"] = threads;
  state.counters["events"] = run.events;
  state.counters["people"] = run.people;
  state.counters["wall_s"] = run.wall_seconds;
  state.counters["events_per_s"] = run.events / run.wall_seconds;
  state.counters["ns_per_event"] = run.wall_seconds * 1e9 / run.events;
  state.counters["people_per_s"] = run.people / run.wall_seconds;
  if (run.engine_seconds > 0) {
    state.counters["engine_s"] = run.engine_seconds;
    state.counters["engine_events_per_s"] = run.events / run.engine_seconds;
  }
  state.counters["peak_rss_bytes"] = Counter(peak_rss_bytes(), Counter::kDefaults, Counter::kIs1024);
}

// Seconds since `start`.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace desist::bench
