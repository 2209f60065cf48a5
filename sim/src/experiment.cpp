#include "desist/experiment.hpp"

#include <tbb/task_arena.h>

#include <chrono>
#include <functional>
#include <optional>

#include "desist/engine.hpp"
#include "desist/economics.hpp"

namespace desist {

namespace {

// One replicate of one scenario on a given cohort: engine, measures, costs.
void run_replicate(const Parameters& p, const Cohort& cohort, SimulationKey key, const RunOptions& options,
                   double cohort_seconds, RunResult& result) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const EventLog log = simulate(p, cohort, key, options.people_done, options.cancel);
  const std::chrono::duration<double> engine = clock::now() - start;
  result.replicates.push_back(measure(p, cohort, log, options.keep_people && key.replicate == 0));
  result.ledgers.push_back(cost_ledger(p, cohort, log));
  result.cohort_size = cohort.size();
  const std::chrono::duration<double> total = clock::now() - start;
  ReplicateDiagnostics d{cohort_seconds + total.count(), engine.count(), log.events.size()};
  for (std::size_t i = 0; i < log.people(); ++i) {
    const std::uint64_t events = log.person_start[i + 1] - log.person_start[i];
    if (events > d.most_events) {
      d.most_events = events;
      d.busiest_person = i;
    }
  }
  d.checksum = log.checksum();
  result.diagnostics.push_back(d);
}

// Runs `body(replicate, cohort, seconds to make it)` for each replicate on the options' arena.
template <class Body>
void for_each_replicate(const Parameters& p, const RunOptions& options, Body&& body) {
  auto replicates = [&] {
    // A person file is the same people in every replicate: read it once.
    std::optional<Cohort> loaded;
    if (!p.cohort.person_file.empty()) loaded = load_cohort_csv(p.cohort.person_file, p);
    for (int i = 0; i < options.replicates; ++i) {
      const auto start = std::chrono::steady_clock::now();
      const SimulationKey key{options.seed, options.first_replicate + static_cast<std::uint64_t>(i)};
      const Cohort cohort = loaded ? *loaded : synthesise_cohort(p, key.seed, key.replicate);
      const std::chrono::duration<double> made = std::chrono::steady_clock::now() - start;
      body(key, cohort, made.count());
    }
  };
  if (options.threads < 0) return replicates();
  tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
  arena.execute(replicates);
}

}  // namespace

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  RunResult result;
  result.seed = options.seed;
  for_each_replicate(scenario.parameters, options, [&](SimulationKey key, const Cohort& cohort, double made) {
    run_replicate(scenario.parameters, cohort, key, options, made, result);
  });
  return result;
}

DiagnosticsColumns diagnostics_columns(const RunResult& result) {
  DiagnosticsColumns c;
  for (const ReplicateDiagnostics& d : result.diagnostics) {
    c.seconds.push_back(d.seconds);
    c.engine_seconds.push_back(d.engine_seconds);
    c.events_per_second.push_back(d.events_per_second());
    c.events.push_back(d.events);
    c.most_events.push_back(d.most_events);
    c.busiest_person.push_back(d.busiest_person);
    c.checksum.push_back(d.checksum);
  }
  return c;
}

ComparisonRun run_comparison(const Scenario& base, const std::vector<Option>& options, const RunOptions& run) {
  ComparisonRun c;
  c.base.seed = run.seed;
  c.options.resize(options.size());
  for (auto& o : c.options) o.seed = run.seed;
  // Options add interventions only, so every scenario shares the base's cohort.
  for_each_replicate(base.parameters, run, [&](SimulationKey key, const Cohort& cohort, double made) {
    run_replicate(base.parameters, cohort, key, run, made, c.base);
    for (std::size_t o = 0; o < options.size(); ++o)
      run_replicate(options[o].scenario.parameters, cohort, key, run, 0.0, c.options[o]);
  });
  return c;
}

namespace {
MeasureEstimates estimates_of(const std::vector<const OutcomeTotals*>& totals) {
  std::vector<double> binary, per_offender, per_reoffender, convictions, custody, recalls;
  MeasureEstimates e;
  for (const OutcomeTotals* t : totals) {
    e.people += t->people / static_cast<double>(totals.size());
    binary.push_back(t->binary_rate());
    per_offender.push_back(t->reoffences_per_offender());
    per_reoffender.push_back(t->reoffences_per_reoffender());
    convictions.push_back(t->conviction_events_per_offender());
    custody.push_back(t->custody_days_per_offender());
    recalls.push_back(t->recalls_per_offender());
  }
  e.binary_rate = estimate(binary);
  e.reoffences_per_offender = estimate(per_offender);
  e.reoffences_per_reoffender = estimate(per_reoffender);
  e.conviction_events_per_offender = estimate(convictions);
  e.custody_days_per_offender = estimate(custody);
  e.recalls_per_offender = estimate(recalls);
  return e;
}
}  // namespace

MeasureEstimates overall_estimates(const RunResult& r) {
  std::vector<const OutcomeTotals*> totals;
  for (const auto& rep : r.replicates) totals.push_back(&rep.overall);
  return estimates_of(totals);
}

MeasureEstimates group_estimates(const RunResult& r, std::size_t dimension, std::size_t category) {
  std::vector<const OutcomeTotals*> totals;
  for (const auto& rep : r.replicates) totals.push_back(&rep.breakdowns[dimension].totals[category]);
  return estimates_of(totals);
}

}  // namespace desist
