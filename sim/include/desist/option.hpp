// A commissioning option: interventions added to a base scenario. Option files
// (scenarios/options/*.yaml) hold `option: {name, description}` and
// `interventions:` in the scenario's own format (docs/interventions.md).
#pragma once

#include <string>
#include <vector>

#include "desist/scenario.hpp"

namespace desist {

struct Option {
  std::string file;
  std::string name;         // as shown in comparisons (the file's option.name)
  std::string description;
  Scenario scenario;        // the base with the option's interventions added
};

// Reads an option file against a base. Throws InputError (file, line, key) for
// anything wrong, including references to pathways or groups the base lacks.
// `overrides` ("path=value", as for scenarios) are applied to the option first.
Option load_option(const Scenario& base, const std::string& path, const std::vector<std::string>& overrides = {});
// The same from text already in memory; `file` names it in messages and results.
Option parse_option(const Scenario& base, const std::string& text, const std::string& file,
                    const std::vector<std::string>& overrides = {});

// The option's key in results: its file name without directory or extension.
std::string option_key(const Option& option);

}  // namespace desist
