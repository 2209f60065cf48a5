// The schema subcommand: writes the scenario reference (docs/scenario-reference.md)
// from the reader's own schema; scripts/scenario-reference runs it on the files
// that between them use every key.
//   desist schema SCENARIO... [--option OPTION.yaml]... [--out FILE.md]
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace desist::cli {

struct SchemaCommand {
  CLI::App* command = nullptr;
  std::vector<std::string> scenarios;
  std::vector<std::string> options;
  std::string out;
};

void add_schema_command(CLI::App& app, SchemaCommand& c);
// Runs it if it was asked for: its exit status, or -1.
int run_schema_command(const SchemaCommand& c);

}  // namespace desist::cli
