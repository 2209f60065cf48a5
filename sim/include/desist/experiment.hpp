// Runs a scenario's replicates: a cohort per replicate, the engine, then the
// measures. Replicate r uses streams keyed by (seed, r), so any replicate can be
// rerun alone and results do not depend on the thread count.
#pragma once

#include <atomic>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "desist/economics.hpp"
#include "desist/measures.hpp"
#include "desist/option.hpp"
#include "desist/scenario.hpp"
#include "desist/statistics.hpp"

namespace desist {

struct RunOptions {
  std::uint64_t seed = 1;
  int replicates = 1;
  std::uint64_t first_replicate = 0;  // replicates first_replicate … first_replicate + replicates − 1
  int threads = 0;                 // 0: all hardware threads; < 0: the caller's ThreadArena (nested in a sweep)
  bool keep_people = true;         // keep the per-person table of replicate 0
  std::atomic<std::size_t>* people_done = nullptr;  // progress, counted over all replicates
  const std::atomic<bool>* cancel = nullptr;        // set to stop the run (it throws Cancelled)
};

// Histogram bins of events per person: people with 0, 1, …, 63 events, and 64 or more.
inline constexpr std::size_t event_count_bins = 65;

struct ReplicateDiagnostics {
  double seconds = 0.0;         // the whole replicate: cohort, engine and measures
  double engine_seconds = 0.0;  // the engine alone
  std::uint64_t events = 0;
  std::uint64_t most_events = 0;       // of any one person
  std::uint64_t busiest_person = 0;    // the first person with that many (cohort index)
  std::uint64_t checksum = 0;          // of the event stream: a change that alters any event changes it
  // The replicate's random-stream key (with the run's seed): with busiest_person it names
  // the busiest person's streams, so their history can be rerun alone.
  std::uint64_t replicate = 0;
  std::vector<std::uint64_t> people_by_events = std::vector<std::uint64_t>(event_count_bins, 0);
  double events_per_second() const { return engine_seconds > 0 ? static_cast<double>(events) / engine_seconds : 0.0; }
};

struct RunResult {
  std::uint64_t seed = 0;
  std::size_t cohort_size = 0;
  std::vector<ReplicateMeasures> replicates;
  std::vector<CostLedger> ledgers;  // one per replicate
  std::vector<ReplicateDiagnostics> diagnostics;
};

// Bytes a run holds at once, at least: replicates run one after another, each
// holding its cohort, its event log (an index entry and, at the least, one
// event a person) and, for replicate 0 when kept, the per-person table.
// A lower bound, so that only runs that cannot fit are refused.
std::uint64_t memory_estimate_bytes(const Parameters& p, const RunOptions& options);
// Throws InputError at the scenario's cohort.size when the estimate exceeds
// the machine's physical memory: before anything is allocated.
void check_memory(const Scenario& scenario, const RunOptions& options);

// Checks the memory first (check_memory).
RunResult run_scenario(const Scenario& scenario, const RunOptions& options);

// The diagnostics of a run as columns, one entry per replicate (for files and tables).
struct DiagnosticsColumns {
  std::vector<double> seconds, engine_seconds, events_per_second, events_per_person;
  std::vector<std::uint64_t> events, most_events, busiest_person, replicate_key, checksum;
  std::vector<std::uint64_t> people_by_events;  // row-major [replicate][event_count_bins]
};
DiagnosticsColumns diagnostics_columns(const RunResult& result);

// A base and options run replicate by replicate on the same cohorts and seeds
// (common random numbers). `people_done` counts over all of them.
struct ComparisonRun {
  RunResult base;
  std::vector<RunResult> options;  // in the order given
};
// Checks the memory first, for the base (options share its cohort).
ComparisonRun run_comparison(const Scenario& base, const std::vector<Option>& options, const RunOptions& run);

// Estimates across replicates of the headline measures of a set of totals.
struct MeasureEstimates {
  double people = 0.0;  // mean cohort size in the set
  Estimate binary_rate;
  Estimate reoffences_per_offender;
  Estimate reoffences_per_reoffender;
  Estimate conviction_events_per_offender;
  Estimate custody_days_per_offender;
  Estimate recalls_per_offender;
};

// The estimate of each rate, index for index with outcome_rate_fields (measures.hpp).
inline constexpr Estimate MeasureEstimates::*const rate_estimates[] = {
    &MeasureEstimates::binary_rate,
    &MeasureEstimates::reoffences_per_offender,
    &MeasureEstimates::reoffences_per_reoffender,
    &MeasureEstimates::conviction_events_per_offender,
    &MeasureEstimates::custody_days_per_offender,
    &MeasureEstimates::recalls_per_offender,
};
static_assert(std::size(rate_estimates) == std::size(outcome_rate_fields));

MeasureEstimates overall_estimates(const RunResult& r);
// For category `category` of breakdown `dimension` (an index into breakdown_dimensions()).
MeasureEstimates group_estimates(const RunResult& r, std::size_t dimension, std::size_t category);

}  // namespace desist
