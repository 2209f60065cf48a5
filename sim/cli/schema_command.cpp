#include "schema_command.hpp"

#include <iostream>

#include "desist/atomic_file.hpp"
#include "desist/scenario_schema.hpp"

namespace desist::cli {

void add_schema_command(CLI::App& app, SchemaCommand& c) {
  c.command = app.add_subcommand("schema", "Write the scenario reference (Markdown) from the validator's own schema, "
                                           "reading scenarios and options that between them use every key");
  c.command->add_option("scenarios", c.scenarios, "Scenario files")->required()->check(CLI::ExistingFile);
  c.command->add_option("--option", c.options, "Option files, read on the first scenario (repeatable)")
      ->check(CLI::ExistingFile);
  c.command->add_option("--out", c.out, "Write to this file (default: stdout)");
}

int run_schema_command(const SchemaCommand& c) {
  if (!*c.command) return -1;
  const std::string reference = scenario_reference(c.scenarios, c.options);
  if (c.out.empty())
    std::cout << reference;
  else
    write_file_atomically(c.out, reference);
  return 0;
}

}  // namespace desist::cli
