// A sweep: one scenario (and options to compare with it) run at many points
// of its uncertain parameters. A sweep file (docs/sweeps.md) names factors by
// their key path in the scenario or an option file, a distribution or levels
// for each, and a design (full grid, Latin hypercube, Sobol/Saltelli, or
// plain Monte Carlo draws for probabilistic sensitivity analysis).
//
// Work is a list of rows, one per (point, replicate). Row (p, r) runs point p's
// scenario and options with the engine key (seed, r) (common random numbers
// across points, so differences between points are differences of parameters
// and not of luck) or (seed, p·R + r) when the design asks for independent
// streams. A row depends on nothing but its point and replicate: rows can run
// in any order, on any thread or MPI rank, be checkpointed and resumed, and
// the results are the same bits.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "desist/error.hpp"
#include "desist/option.hpp"
#include "desist/parameters.hpp"
#include "desist/scenario.hpp"

namespace desist {

enum class DesignKind : std::uint8_t { grid, latin_hypercube, sobol, monte_carlo };

// One uncertain parameter. Its values come from a distribution (by inversion
// of the design's coordinate), a list of levels, or a column of draws from a
// CSV file (factors drawing from the same file share the row, keeping the
// draws' joint distribution).
struct SweepFactor {
  std::string path;    // as written: "offending.frailty_variance", "options.<key>.interventions.…"
  int target = -1;     // -1: the scenario; else the index of the option file it sets
  std::string key;     // the key path inside that file
  std::optional<UncertaintySpec> distribution;
  std::vector<double> levels;  // `values:` (grid levels; any design picks among them uniformly)
  std::vector<double> draws;   // `draws: {file, column}`
  std::string draws_file;
  int dimension = 0;           // the design's coordinate it follows
  bool from_scenario = false;  // declared in the scenario's or option's own `uncertainty:`
  SourceLocation where;        // where it was declared, for errors at a point
};

struct SweepDesign {
  DesignKind kind = DesignKind::latin_hypercube;
  std::size_t points = 0;       // sobol: base points N (the design has N·(d + 2))
  std::size_t levels = 3;       // grid: levels of a factor given by a distribution (quantiles (i + ½)/levels)
  int replicates = 1;
  std::uint64_t seed = 1;       // of the engine (default: the scenario's run.seed) and of the design
  bool common_random_numbers = true;
  bool scenario_uncertainty = false;  // add every `{value, uncertainty}` of the scenario and options as a factor
  bool tornado = true;
  double tornado_low = 0.05, tornado_high = 0.95;  // quantiles of each factor's one-way swing
};

struct Sweep {
  std::string file;
  std::string text;  // the sweep file as read
  std::string name, description;
  std::string scenario_file, scenario_text;
  std::vector<std::string> set;  // "path=value" applied to the scenario at every point
  std::vector<std::string> option_files, option_texts, option_keys;
  SweepDesign design;
  std::vector<SweepFactor> factors;
  std::vector<std::string> dimension_names;  // one per design coordinate: its factors' paths joined by " + "
  std::vector<std::string> outputs;          // columns analysed (Sobol, tornado)
  std::string net_benefit = "net_present_value";  // the option measure whose expectation decides (EVPI)
};

// Reads and checks a sweep file (paths in it are relative to it), its
// scenario and options. `overrides` ("path=value") apply to the sweep file.
// Throws InputError naming file, line and key.
Sweep load_sweep(const std::string& path, const std::vector<std::string>& overrides = {});
// The same from text in memory: `name` stands for the file in messages, and
// paths in the text are relative to its folder (to the working directory
// when it has none).
Sweep parse_sweep(const std::string& text, const std::string& name, const std::vector<std::string>& overrides = {});

// What a point is for: a design point, a row of a Saltelli block, or a point
// of the one-way (tornado) analysis.
enum class PointRole : std::uint8_t { design = 0, sobol_a = 1, sobol_b = 2, sobol_ab = 3, centre = 4, low = 5, high = 6 };
const char* point_role_name(PointRole role);

struct SweepPoint {
  PointRole role = PointRole::design;
  int dimension = -1;          // sobol_ab, low, high: the coordinate moved
  std::vector<double> values;  // one per factor
};

std::vector<SweepPoint> sweep_points(const Sweep& sweep);

// The scenario and options of a point: the sweep's `set` and the point's
// factor values applied as overrides. Errors name the point and the factor.
struct PointScenarios {
  Scenario base;
  std::vector<Option> options;
};
PointScenarios point_scenarios(const Sweep& sweep, const SweepPoint& point, std::size_t index);

// Columns of a row: each scenario's rates ("base.binary_rate",
// "<option>.binary_rate", …), then each option's differences and economics
// ("<option>.reoffenders_averted", …, "<option>.net_present_value").
std::vector<std::string> sweep_columns(const Sweep& sweep);

struct SweepRow {
  std::vector<double> values;  // index for index with sweep_columns
  std::uint64_t checksum = 0;  // of the event streams of every scenario of the row
  std::uint64_t events = 0;    // the engine's events over every scenario of the row (benchmarks)
};

// Runs row (point, replicate) on `scenarios` (point_scenarios of that point)
// in the caller's ThreadArena; `people_done` and `cancel` as in RunOptions.
SweepRow run_sweep_row(const Sweep& sweep, const PointScenarios& scenarios, std::size_t point, int replicate,
                       std::atomic<std::size_t>* people_done = nullptr, const std::atomic<bool>* cancel = nullptr);

// The rows of a sweep as they complete (row = point · replicates + replicate).
// Safe to fill from many threads while another takes snapshots.
class SweepRows {
 public:
  SweepRows(std::size_t rows, std::size_t columns);
  void store(std::size_t row, SweepRow values);
  bool done(std::size_t row) const;
  std::size_t completed() const;
  std::uint64_t events() const;  // the engine's events over the rows stored (benchmarks)
  struct Snapshot {
    std::vector<std::uint8_t> done;
    std::vector<double> values;  // rows × columns, NaN where not done
    std::vector<std::uint64_t> checksums;
  };
  Snapshot snapshot() const;
  // Puts back rows read from a checkpoint (the rows done there).
  void restore(const Snapshot& done);
  std::size_t rows() const { return done_.size(); }
  std::size_t columns() const { return columns_; }

 private:
  mutable std::mutex mutex_;
  std::size_t columns_;
  std::vector<std::uint8_t> done_;
  std::vector<double> values_;
  std::vector<std::uint64_t> checksums_;
  std::uint64_t events_ = 0;
};

struct SweepRunOptions {
  int threads = 0;  // 0: all hardware threads
  std::atomic<std::size_t>* rows_done = nullptr;
  const std::atomic<bool>* cancel = nullptr;  // stops the run: it throws Cancelled, leaving finished rows in place
};

// Runs every row not yet done, in parallel over points, replicates and people.
void run_sweep(const Sweep& sweep, const std::vector<SweepPoint>& points, SweepRows& rows,
               const SweepRunOptions& options);

// A fingerprint of everything that determines the rows (the sweep, scenario
// and option texts, the points and the program's result-affecting version):
// a resumed file must match it.
std::uint64_t sweep_fingerprint(const Sweep& sweep, const std::vector<SweepPoint>& points);

}  // namespace desist
