// The sweep subcommand:
//   desist sweep SWEEP.yaml [--out sweep.h5] [--json FILE|-] [--resume] [--threads N]
//                [--checkpoint-seconds S] [--set k=v]... [--quiet]
// Under `mpirun -n K` (K ≥ 2, a build with MPI) rank 0 hands rows to the other
// ranks as a dynamic queue and writes the file; the result is the same bytes.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace desist::cli {

struct SweepCommand {
  CLI::App* command = nullptr;
  std::string sweep;
  std::string out;
  std::string json;
  bool resume = false;
  int threads = 0;
  double checkpoint_seconds = 60.0;
  std::vector<std::string> overrides;
  bool quiet = false;
};

void add_sweep_command(CLI::App& app, SweepCommand& c);
// Runs it if it was asked for: its exit status (130 when interrupted), or -1.
// Errors are thrown for main to report (InputError: status 2; others: 1).
int run_sweep_command(const SweepCommand& c);

}  // namespace desist::cli
