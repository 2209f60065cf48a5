// Options against a base, replicate by replicate. Replicate r of the base and
// of each option share their seed, cohort and random streams (common random
// numbers), so the paired differences are far more precise than the
// difference of two independent runs; both intervals are reported so users
// see what pairing buys.
#pragma once

#include <string>
#include <vector>

#include "desist/economics.hpp"
#include "desist/experiment.hpp"

namespace desist {

// base − option: the mean difference with its paired 95% interval (Student's
// t on the replicate differences) and the unpaired one (Welch, as if the runs
// were independent). Intervals are NaN with one replicate.
struct PairedDifference {
  double mean = 0.0;
  double ci_low = 0.0, ci_high = 0.0;
  double unpaired_ci_low = 0.0, unpaired_ci_high = 0.0;
  int replicates = 0;
};
PairedDifference paired_difference(const std::vector<double>& base, const std::vector<double>& option);

struct NamedDifference {
  std::string name;
  PairedDifference value;
};

struct ThroughputEstimates {
  std::string name;
  Estimate referrals, starts, completions, dropouts, declined, lapsed, interrupted;
  Estimate mean_wait_days, p90_wait_days;
  std::vector<double> in_service_by_month;  // mean over replicates
};

struct OptionComparison {
  std::string name;
  std::string file;
  // reoffenders_averted, binary_rate_points_averted, reoffences_averted,
  // conviction_events_averted, prison_bed_days_saved, prison_places_saved,
  // recalls_averted.
  std::vector<NamedDifference> measures;
  std::vector<ThroughputEstimates> throughput;  // the option's interventions
  EconomicComparison economics;

  const PairedDifference& measure(const std::string& name) const;
};

OptionComparison compare_option(const Parameters& base_parameters, const RunResult& base, const std::string& name,
                                const std::string& file, const RunResult& option);

}  // namespace desist
