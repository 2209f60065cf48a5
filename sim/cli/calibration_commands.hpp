// The calibration subcommands of the desist command:
//   desist calibrate SCENARIO --targets TARGETS.yaml --out CALIBRATED.yaml [--seed N] [--replicates N] [--starts N] [--size N] ...
//   desist check-targets SCENARIO --targets TARGETS.yaml [--seed N] [--replicates N] [--set k=v]... [--json FILE|-]
//   desist predicted-vs-actual AREAS.csv [--level P] [--json FILE|-]
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace desist::cli {

struct CalibrationCommands {
  CLI::App* calibrate = nullptr;
  CLI::App* check = nullptr;
  CLI::App* predicted = nullptr;

  std::string scenario;
  std::string targets;
  std::string out;
  std::string json;
  std::optional<std::uint64_t> seed;
  std::optional<int> replicates;
  int starts = 1;
  std::optional<std::size_t> size;
  int threads = 0;
  int max_evaluations = 400;
  double tolerance = 0.01;
  std::string method = "lm";
  double step = 0.05;
  int digits = 4;
  int check_replicates = 0;
  std::vector<std::string> overrides;
  bool quiet = false;

  std::string areas;
  double level = 0.95;
};

// Adds the subcommands to `app`; their arguments land in `c`.
void add_calibration_commands(CLI::App& app, CalibrationCommands& c);
// Runs the one that was asked for: its exit status, or -1 when none was.
// Errors are thrown (InputError: status 2; anything else: 1) for main to report.
int run_calibration_commands(const CalibrationCommands& c);

}  // namespace desist::cli
