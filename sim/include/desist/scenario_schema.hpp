// The scenario reference (docs/scenario-reference.md), generated from the
// schema the scenario reader itself records as it reads (yaml_schema.hpp), with
// the unit and meaning of each key from one table beside it.
#pragma once

#include <string>
#include <vector>

namespace desist {

// Reads the scenarios, and the options on the first scenario, recording the
// schema, and returns the reference as Markdown: every key with its type,
// range, default, unit and meaning. Throws std::runtime_error naming each key
// the files leave unread, each key read that has no meaning in the table and
// each meaning whose key the reader no longer reads, so neither can drift.
std::string scenario_reference(const std::vector<std::string>& scenario_files,
                               const std::vector<std::string>& option_files);

}  // namespace desist
