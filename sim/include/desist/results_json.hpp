// The JSON summary of a run: headline measures and by-group measures, each as
// {mean, ci_low, ci_high, sd} across replicates (null where undefined).
#pragma once

#include <string>

#include "desist/experiment.hpp"
#include "desist/scenario.hpp"

namespace desist {

std::string results_json(const Scenario& scenario, const RunResult& result);

}  // namespace desist
