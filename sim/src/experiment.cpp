#include "desist/experiment.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <iomanip>
#include <sstream>
#include <optional>

#include "desist/cohort.hpp"
#include "desist/engine.hpp"
#include "desist/event_log.hpp"
#include "desist/economics.hpp"
#include "desist/parallel.hpp"

namespace desist {

namespace {

// One replicate of one scenario on a given cohort: engine, measures, costs.
void run_replicate(const Parameters& p, const Cohort& cohort, SimulationKey key, const RunOptions& options,
                   double cohort_seconds, RunResult& result) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const EventLog log = simulate(p, cohort, key, options.people_done, options.cancel);
  const std::chrono::duration<double> engine = clock::now() - start;
  // The checksum and the busiest person are serial passes over the log: they
  // run beside the measures and costs (parallel loops) rather than after them.
  ReplicateDiagnostics d{0.0, engine.count(), log.events.size()};
  d.replicate = key.replicate;
  const auto diagnose = [&] {
    for (std::size_t i = 0; i < log.people(); ++i) {
      const std::uint64_t events = log.person_start[i + 1] - log.person_start[i];
      ++d.people_by_events[std::min<std::uint64_t>(events, event_count_bins - 1)];
      if (events > d.most_events) {
        d.most_events = events;
        d.busiest_person = i;
      }
    }
    d.checksum = log.checksum();
  };
  const auto measure_and_cost = [&] {
    result.replicates.push_back(measure(p, cohort, log, options.keep_people && key.replicate == 0));
    result.ledgers.push_back(cost_ledger(p, cohort, log));
  };
  parallel_loop(2, [&](std::size_t task) { task == 0 ? diagnose() : measure_and_cost(); });
  result.cohort_size = cohort.size();
  const std::chrono::duration<double> total = clock::now() - start;
  d.seconds = cohort_seconds + total.count();
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
  ThreadArena(options.threads).execute(replicates);
}

}  // namespace

std::uint64_t memory_estimate_bytes(const Parameters& p, const RunOptions& options) {
  const Cohort one;  // sizeof does not evaluate: the element sizes of its columns
  std::uint64_t per_person = sizeof(one.group[0]) + sizeof(one.sex[0]) + sizeof(one.age[0]) + sizeof(one.offence[0]) +
                sizeof(one.previous_sanctions[0]) + sizeof(one.age_at_first_sanction[0]) + sizeof(one.iom[0]) +
                sizeof(one.area[0]) + sizeof(one.index_day[0]) + sizeof(one.sentence_days[0]) +
                sizeof(one.needs[0]) + sizeof(one.ogrs3_two_year[0]);
  per_person += sizeof(std::uint64_t) + sizeof(Event);  // the event log's index entry and one event
  if (options.keep_people) per_person += sizeof(PersonOutcome);
  return per_person * static_cast<std::uint64_t>(p.cohort.size);
}

void check_memory(const Scenario& scenario, const RunOptions& options) {
  // A person file's size is its row count, known once it is read; its text is larger than its people.
  if (!scenario.parameters.cohort.person_file.empty()) return;
  const long pages = ::sysconf(_SC_PHYS_PAGES), page_size = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return;  // unknown: let the system decide
  const std::uint64_t physical = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
  const std::uint64_t needed = memory_estimate_bytes(scenario.parameters, options);
  if (needed <= physical) return;
  const std::uint64_t per_person = needed / scenario.parameters.cohort.size;
  auto gib = [](std::uint64_t bytes) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0) << " GiB";
    return s.str();
  };
  SourceLocation at = scenario.cohort_size_at;
  if (at.file.empty()) at = {scenario.file, 0, 0, "cohort.size"};
  throw InputError(at, "a cohort of " + std::to_string(scenario.parameters.cohort.size) + " people needs at least " +
                           gib(needed) + " of memory (" + std::to_string(per_person) +
                           " bytes a person, one replicate at a time), more than this machine's " + gib(physical) +
                           ": give at most " + std::to_string(physical / per_person) + " people");
}

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  check_memory(scenario, options);
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
    c.replicate_key.push_back(d.replicate);
    c.checksum.push_back(d.checksum);
    c.events_per_person.push_back(
        result.cohort_size > 0 ? static_cast<double>(d.events) / static_cast<double>(result.cohort_size) : 0.0);
    c.people_by_events.insert(c.people_by_events.end(), d.people_by_events.begin(), d.people_by_events.end());
  }
  return c;
}

ComparisonRun run_comparison(const Scenario& base, const std::vector<Option>& options, const RunOptions& run) {
  check_memory(base, run);  // options share the base's cohort, one scenario at a time
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
