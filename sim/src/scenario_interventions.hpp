// Reading the `interventions` section of a scenario or an option file.
#pragma once

#include "desist/parameters.hpp"
#include "desist/yaml_reader.hpp"

namespace desist {

// Reads every intervention of `section` into p.interventions (after those
// already there; names must be unique). Pathways, groups, areas and agencies
// must already be in `p`.
void read_interventions(const YamlNode& section, Parameters& p);

// An `eligibility` map (docs/interventions.md); also who a contract's cohorts take.
Eligibility read_eligibility(const YamlNode& n, const Parameters& p);

// One distribution: {normal: [mean, sd]}, {lognormal: [median, sigma]}, {beta: [a, b]},
// {gamma: [shape, scale]}, {uniform: [low, high]} or {triangular: [low, mode, high]}.
UncertaintySpec read_uncertainty(const YamlNode& n);
const std::vector<std::string>& distribution_names();

// A number, or {value: x, uncertainty: {distribution: [arguments]}}.
UncertainValue read_uncertain(const YamlNode& n, const Range& range);

}  // namespace desist
