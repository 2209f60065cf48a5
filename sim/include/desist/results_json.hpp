// The JSON summary of a run: headline measures and by-group measures, each as
// {mean, ci_low, ci_high, sd} across replicates (null where undefined).
#pragma once

#include <string>

#include "desist/comparison.hpp"
#include "desist/experiment.hpp"
#include "desist/option.hpp"
#include "desist/scenario.hpp"

namespace desist {

std::string results_json(const Scenario& scenario, const RunResult& result);

// The JSON summary of a comparison: the base's measures, then per option
// (keyed by the option file's stem) the paired differences, throughput and
// economics (docs/interventions.md).
std::string comparison_json(const Scenario& base, const std::vector<Option>& options, const ComparisonRun& run,
                            const std::vector<OptionComparison>& comparisons);

}  // namespace desist
