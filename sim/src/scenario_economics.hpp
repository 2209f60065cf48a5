// Reading the `economics` section of a scenario (internal to the scenario
// reader; reference: docs/scenario.md, `economics`).
#pragma once

#include "desist/parameters.hpp"
#include "desist/yaml_reader.hpp"

namespace desist {

// The seven default agencies, in order.
const std::vector<std::string>& default_agencies();

// Economics of a scenario with no `economics` section: the default agencies,
// a 3.5% discount rate, and every unit cost 0 (crime_cost sized
// ogrs3_offence_count).
EconomicsParameters default_economics();

// Reads the `economics` section into p.economics (replacing what was there).
// Must run before anything that names agencies (intervention costs).
void read_economics(const YamlNode& section, Parameters& p);

// A cost of the form {amount: X, agency: NAME}: amount ≥ 0 pounds, agency one
// of economics.agencies (an unknown name is an InputError naming the nearest).
Cost read_cost(const YamlNode& node, const EconomicsParameters& economics);

}  // namespace desist
