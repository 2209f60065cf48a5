// Sweeps: reading, points of each design, common random numbers, bit-identity
// across threads, checkpoint and resume, errors located in the sweep file.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "desist/sweep.hpp"
#include "desist/sweep_analysis.hpp"
#include "desist/sweep_results.hpp"
#include "desist/uncertainty.hpp"

using namespace desist;

namespace {

const std::string source = DESIST_SOURCE_DIR;
const std::string small_sweep = source + "/tests/data/sweeps/small.yaml";

// A sweep file written into a temporary directory beside copies of nothing:
// paths in it are absolute.
std::string write_sweep(const std::string& name, const std::string& body) {
  const auto dir = std::filesystem::temp_directory_path() / "desist_sweep_tests";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path) << "scenario: " << source << "/scenarios/baseline.yaml\n"
                      << "options: [" << source << "/scenarios/options/housing_ttg.yaml]\n"
                      << "set: {cohort.size: 500, run.horizon_years: 2}\n"
                      << body;
  return path;
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

SweepRows::Snapshot run_all(const Sweep& sweep, const std::vector<SweepPoint>& points, int threads) {
  SweepRows rows(points.size() * static_cast<std::size_t>(sweep.design.replicates), sweep_columns(sweep).size());
  SweepRunOptions options;
  options.threads = threads;
  run_sweep(sweep, points, rows, options);
  return rows.snapshot();
}

}  // namespace

TEST_CASE("quantiles invert each distribution", "[sweep][uncertainty]") {
  CHECK(quantile({"normal", {1.0, 2.0}}, 0.975) == Approx(1.0 + 2.0 * 1.959964).epsilon(1e-6));
  CHECK(quantile({"lognormal", {3.0, 0.3}}, 0.5) == Approx(3.0));
  CHECK(quantile({"lognormal", {3.0, 0.3}}, 0.975) == Approx(3.0 * std::exp(0.3 * 1.959964)).epsilon(1e-6));
  CHECK(quantile({"uniform", {2.0, 4.0}}, 0.25) == Approx(2.5));
  // Triangular [0, 0, 1]: F(x) = 1 − (1 − x)², so the median is 1 − √½.
  CHECK(quantile({"triangular", {0.0, 0.0, 1.0}}, 0.5) == Approx(1.0 - std::sqrt(0.5)));
  // Gamma shape 1 is exponential: F⁻¹(u) = −scale·log(1 − u).
  CHECK(quantile({"gamma", {1.0, 2.0}}, 0.5) == Approx(2.0 * std::log(2.0)));
  // Beta(1, 1) is uniform.
  CHECK(quantile({"beta", {1.0, 1.0}}, 0.3) == Approx(0.3));
  CHECK(quantile({"normal", {1.5, 0.0}}, 0.9) == 1.5);  // no spread: the value itself
  CHECK_THROWS_AS(quantile({"normal", {0.0, 1.0}}, 1.0), std::invalid_argument);
}

TEST_CASE("a grid has every combination of levels, the last factor fastest", "[sweep]") {
  const Sweep s = load_sweep(write_sweep("grid.yaml", R"(
design: {kind: grid, replicates: 1, tornado: false}
factors:
  offending.frailty_variance: {values: [1.0, 1.2, 1.4]}
  recall.licence_breach_rate: {uniform: [0.2, 0.4]}
)"));
  CHECK(s.design.levels == 3);
  const auto points = sweep_points(s);
  REQUIRE(points.size() == 9);
  CHECK(points[0].values == std::vector<double>{1.0, 0.2 + 0.2 / 6});
  CHECK(points[1].values[0] == 1.0);
  CHECK(points[1].values[1] == Approx(0.3));
  CHECK(points[3].values[0] == 1.2);
  CHECK(points[8].values[1] == Approx(0.4 - 0.2 / 6));
}

TEST_CASE("a Latin hypercube puts one point in each stratum of every factor, then the tornado points", "[sweep]") {
  const Sweep s = load_sweep(small_sweep);
  REQUIRE(s.factors.size() == 2);
  CHECK(s.factors[1].target == 0);
  CHECK(s.factors[1].key == "interventions.housing_ttg.effects.pathways.accommodation.resolve_multiplier");
  const auto points = sweep_points(s);
  REQUIRE(points.size() == 6 + 1 + 2 * 2);
  std::set<int> strata;
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK(points[i].role == PointRole::design);
    strata.insert(static_cast<int>((points[i].values[0] - 1.0) / 0.6 * 6));
  }
  CHECK(strata.size() == 6);
  CHECK(points[6].role == PointRole::centre);
  CHECK(points[6].values[0] == Approx(1.3));
  CHECK(points[6].values[1] == Approx(3.0));
  CHECK(points[7].role == PointRole::low);
  CHECK(points[7].values[0] == Approx(1.0 + 0.6 * 0.05));
  CHECK(points[7].values[1] == Approx(3.0));
  CHECK(points[10].role == PointRole::high);
  CHECK(points[10].values[1] == Approx(3.0 * std::exp(0.3 * 1.6448536)).epsilon(1e-6));
}

TEST_CASE("a Sobol sweep has the Saltelli blocks and the indices come out", "[sweep]") {
  const Sweep s = load_sweep(write_sweep("sobol.yaml", R"(
design: {kind: sobol, points: 8, replicates: 1, tornado: false}
factors:
  offending.frailty_variance: {uniform: [1.0, 1.6]}
  recall.licence_breach_rate: {uniform: [0.2, 0.4]}
analysis: {outputs: [base.binary_rate, base.recalls_per_offender]}
)"));
  const auto points = sweep_points(s);
  REQUIRE(points.size() == 8 * 4);
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(points[i].role == PointRole::sobol_a);
    CHECK(points[8 + i].role == PointRole::sobol_b);
    // AB_1 is A with the first factor from B.
    CHECK(points[16 + i].values[0] == points[8 + i].values[0]);
    CHECK(points[16 + i].values[1] == points[i].values[1]);
    CHECK(points[24 + i].values[1] == points[8 + i].values[1]);
  }
  const SweepAnalysis a = analyse_sweep(s, points, run_all(s, points, 0));
  REQUIRE(a.sobol.size() == 2);
  // Recalls depend on the breach rate far more than the binary rate does.
  CHECK(a.sobol[1].indices.total[1].value > a.sobol[0].indices.total[1].value);
}

TEST_CASE("replicate r sees the same luck at every point (common random numbers)", "[sweep]") {
  // The factor sets only the option: the base columns of a replicate must be
  // identical at every point, and differ between replicates.
  const Sweep s = load_sweep(write_sweep("crn.yaml", R"(
design: {kind: monte_carlo, points: 3, replicates: 2, common_random_numbers: true, tornado: false}
factors:
  options.housing_ttg.interventions.housing_ttg.effects.pathways.accommodation.resolve_multiplier: {uniform: [1, 5]}
)"));
  const auto points = sweep_points(s);
  const auto rows = run_all(s, points, 2);
  const std::size_t columns = sweep_columns(s).size();
  auto base_rate = [&](std::size_t row) { return rows.values[row * columns]; };
  for (std::size_t p = 1; p < 3; ++p)
    for (std::size_t r = 0; r < 2; ++r) CHECK(base_rate(p * 2 + r) == base_rate(r));
  CHECK(base_rate(0) != base_rate(1));

  // Independent streams: every row its own luck.
  const Sweep independent = load_sweep(write_sweep("independent.yaml", R"(
design: {kind: monte_carlo, points: 3, replicates: 2, tornado: false}
factors:
  options.housing_ttg.interventions.housing_ttg.effects.pathways.accommodation.resolve_multiplier: {uniform: [1, 5]}
)"));
  CHECK_FALSE(independent.design.common_random_numbers);
  const auto rows2 = run_all(independent, sweep_points(independent), 2);
  CHECK(rows2.values[2 * columns] != rows2.values[0]);
}

TEST_CASE("a sweep gives the same bits on 1 and 2 threads, and a resumed sweep equals an uninterrupted one",
          "[sweep]") {
  const Sweep s = load_sweep(small_sweep);
  const auto points = sweep_points(s);
  const auto one = run_all(s, points, 1);
  const auto two = run_all(s, points, 2);
  CHECK(one.values == two.values);  // NaN-free: every row is done
  CHECK(one.checksums == two.checksums);

  const auto dir = std::filesystem::temp_directory_path() / "desist_sweep_tests";
  std::filesystem::create_directories(dir);
  const std::string full = (dir / "full.h5").string(), partial = (dir / "partial.h5").string();
  write_sweep_hdf5(full, s, points, one, analyse_sweep(s, points, one));

  // Rows done in a scattered order, checkpointed, read back, finished.
  SweepRows first(one.done.size(), sweep_columns(s).size());
  for (std::size_t row = 0; row < one.done.size(); row += 3) {
    const std::size_t columns = sweep_columns(s).size();
    SweepRow r{std::vector<double>(one.values.begin() + static_cast<std::ptrdiff_t>(row * columns),
                                   one.values.begin() + static_cast<std::ptrdiff_t>((row + 1) * columns)),
               one.checksums[row]};
    first.store(row, r);
  }
  const auto checkpoint = first.snapshot();
  write_sweep_hdf5(partial, s, points, checkpoint, analyse_sweep(s, points, checkpoint));
  SweepRows resumed(one.done.size(), sweep_columns(s).size());
  resumed.restore(read_sweep_rows(partial, s, points));
  CHECK(resumed.completed() == first.completed());
  SweepRunOptions options;
  run_sweep(s, points, resumed, options);
  const auto finished = resumed.snapshot();
  write_sweep_hdf5(partial, s, points, finished, analyse_sweep(s, points, finished));
  CHECK(bytes_of(partial) == bytes_of(full));
}

TEST_CASE("a checkpoint of another sweep is refused", "[sweep]") {
  const Sweep s = load_sweep(small_sweep);
  const auto points = sweep_points(s);
  const auto dir = std::filesystem::temp_directory_path() / "desist_sweep_tests";
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "other.h5").string();
  SweepRows rows(points.size() * 2, sweep_columns(s).size());
  const auto snapshot = rows.snapshot();
  write_sweep_hdf5(file, s, points, snapshot, analyse_sweep(s, points, snapshot));
  const Sweep other = load_sweep(small_sweep, {"design.seed=12"});
  CHECK_THROWS_WITH(read_sweep_rows(file, other, sweep_points(other)), Catch::Contains("another sweep"));
}

TEST_CASE("sweep errors name the sweep file, line and key", "[sweep]") {
  auto error_of = [](const std::string& path) {
    try {
      load_sweep(path);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error_of(write_sweep("unknown_option.yaml", R"(
design: {kind: latin_hypercube, points: 4}
factors:
  options.housing.interventions.x.effects.offending_multiplier: {uniform: [0.5, 1]}
)")),
             Catch::Contains("unknown_option.yaml:7:") && Catch::Contains("housing_ttg"));
  // A value the scenario refuses, found at the tornado's low point before anything runs.
  CHECK_THAT(error_of(write_sweep("negative.yaml", R"(
design: {kind: latin_hypercube, points: 4}
factors:
  recall.licence_breach_rate: {normal: [0.1, 0.2]}
)")),
             Catch::Contains("negative.yaml:7:") && Catch::Contains("'factors.recall.licence_breach_rate'") &&
                 Catch::Contains("not allowed"));
  CHECK_THAT(error_of(write_sweep("kind.yaml", "design: {kind: latin_hypercub, points: 4}\n")),
             Catch::Contains("latin_hypercube"));
  CHECK_THAT(error_of(write_sweep("nofactors.yaml", "design: {kind: monte_carlo, points: 4}\n")),
             Catch::Contains("at least one factor"));
  CHECK_THAT(error_of(write_sweep("output.yaml", R"(
design: {kind: monte_carlo, points: 4}
factors: {offending.frailty_variance: {uniform: [1, 2]}}
analysis: {outputs: [base.binary_rat]}
)")),
             Catch::Contains("base.binary_rate"));
}

TEST_CASE("scenario_uncertainty turns the options' own distributions into factors", "[sweep]") {
  const Sweep s = load_sweep(write_sweep("own.yaml", R"(
design: {kind: monte_carlo, points: 4, scenario_uncertainty: true}
)"));
  REQUIRE(s.factors.size() == 2);  // housing_ttg's resolve and relapse multipliers
  CHECK(s.factors[0].path == "options.housing_ttg.interventions.housing_ttg.effects.pathways.accommodation.resolve_multiplier");
  CHECK(s.factors[0].from_scenario);
  CHECK(s.factors[0].distribution->distribution == "lognormal");
  CHECK(s.factors[0].where.file.find("housing_ttg.yaml") != std::string::npos);
}
