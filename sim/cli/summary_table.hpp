// The readable summary a run prints on stdout.
#pragma once

#include <string>

#include "desist/comparison.hpp"
#include "desist/experiment.hpp"
#include "desist/scenario.hpp"

namespace desist::cli {

std::string summary_table(const Scenario& scenario, const RunResult& result);

// Options against the base: outcomes averted with paired (and unpaired)
// intervals, throughput, money, and who saves it.
std::string comparison_table(const Scenario& base, const std::vector<Option>& options, const ComparisonRun& run,
                             const std::vector<OptionComparison>& comparisons);

}  // namespace desist::cli
