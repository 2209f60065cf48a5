// A scenario: a YAML file read and validated into model parameters, plus the
// run settings it carries (seed, replicates). Reference: docs/scenario.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "desist/error.hpp"
#include "desist/parameters.hpp"

namespace desist {

struct Scenario {
  std::string file;           // where it was read from
  std::string text;           // the scenario as run (file text, or re-emitted with overrides)
  Parameters parameters;
  std::uint64_t seed = 1;     // default seed of a run
  int replicates = 1;         // default number of replicates
  SourceLocation cohort_size_at;  // where cohort.size was given, for the memory check (experiment.hpp)
};

// Reads, merges overlay files (in order), applies "--set path=value"
// overrides, and validates. Throws InputError.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {},
                       const std::vector<std::string>& overlays = {});
// The same from text already in memory (`name` stands for the file in messages).
Scenario parse_scenario(const std::string& text, const std::string& name,
                        const std::vector<std::string>& overrides = {});

}  // namespace desist
