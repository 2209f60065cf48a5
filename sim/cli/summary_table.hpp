// The readable summary a run prints on stdout.
#pragma once

#include <string>

#include "desist/experiment.hpp"
#include "desist/scenario.hpp"

namespace desist::cli {

std::string summary_table(const Scenario& scenario, const RunResult& result);

}  // namespace desist::cli
