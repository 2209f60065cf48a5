// The report subcommand: `desist report RESULTS.h5 -o report.html [--pdf]` is the
// Python package's report writer (desist-report, bindings/desist/report.py); this
// hands it the arguments. A developer build runs the package in its own tree with
// the Python it was built with; an installed desist runs desist-report from PATH.
#pragma once

#include <CLI/CLI.hpp>

namespace desist::cli {

struct ReportCommand {
  CLI::App* command = nullptr;
};

void add_report_command(CLI::App& app, ReportCommand& c);
// Runs it if it was asked for (replacing this process); -1 when not asked for.
int run_report_command(const ReportCommand& c);

}  // namespace desist::cli
