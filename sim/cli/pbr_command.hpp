// The pbr subcommand:
//   desist pbr CONTRACT.yaml [--scenario S.yaml] [--replicates N] [--seed N] [--threads N]
//              [--out FILE.h5] [--json FILE|-] [--set k=v]... [--scenario-set k=v]...
//              [--no-power] [--no-gaming] [--quiet]
//   desist pbr CONTRACT.yaml --results FILE.h5 [--json FILE|-]   (price recorded replicates again)
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace desist::cli {

struct PbrCommand {
  CLI::App* command = nullptr;
  std::string contract;
  std::string scenario;
  std::string results;
  std::optional<int> replicates;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  std::string out;
  std::string json;
  std::vector<std::string> overrides;
  std::vector<std::string> scenario_overrides;
  bool no_power = false;
  bool no_gaming = false;
  bool quiet = false;
};

void add_pbr_command(CLI::App& app, PbrCommand& c);
// Runs it if it was asked for: its exit status (130 when interrupted), or -1.
int run_pbr_command(const PbrCommand& c);

}  // namespace desist::cli
