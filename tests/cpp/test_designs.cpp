// Designs on the unit hypercube: the Latin hypercube's strata and its
// reproducibility (calibration's starts depend on it), the Sobol sequence's net
// property and centring, and the block structure of Saltelli's design.
#include <catch2/catch.hpp>

#include <bitset>
#include <cmath>
#include <stdexcept>

#include "desist/designs.hpp"

using namespace desist;

namespace {

// How many of column `dim`'s coordinates fall in each of `intervals` equal intervals.
std::vector<int> interval_counts(const UnitDesign& d, std::size_t dim, std::size_t intervals) {
  std::vector<int> counts(intervals, 0);
  for (std::size_t p = 0; p < d.points; ++p)
    ++counts.at(static_cast<std::size_t>(std::floor(d.at(p, dim) * static_cast<double>(intervals))));
  return counts;
}

bool strictly_inside_unit_interval(const UnitDesign& d) {
  for (double x : d.u)
    if (!(x > 0.0 && x < 1.0)) return false;
  return true;
}

}  // namespace

TEST_CASE("a Latin hypercube has one point in each stratum of every column", "[designs]") {
  for (std::size_t points : {1u, 2u, 7u, 50u, 1000u}) {
    const UnitDesign d = latin_hypercube(points, 5, 11);
    REQUIRE(d.points == points);
    REQUIRE(d.dimensions == 5);
    REQUIRE(d.u.size() == points * 5);
    CHECK(strictly_inside_unit_interval(d));
    for (std::size_t dim = 0; dim < d.dimensions; ++dim)
      CHECK(interval_counts(d, dim, points) == std::vector<int>(points, 1));
  }
}

TEST_CASE("a Latin hypercube is reproducible from its seed", "[designs]") {
  CHECK(latin_hypercube(20, 3, 5).u == latin_hypercube(20, 3, 5).u);
  CHECK(latin_hypercube(20, 3, 5).u != latin_hypercube(20, 3, 6).u);
}

TEST_CASE("the Latin hypercube is the one calibration has always used", "[designs][calibration]") {
  // Printed by the anonymous-namespace latin_hypercube that calibration.cpp had
  // before it moved here (commit ca886bb): calibration's starts must not move.
  const UnitDesign d = latin_hypercube(4, 3, 20110401);
  const std::vector<double> former = {
      0.52995920614762682,  0.98571175512786424,  0.99922680446082701,  //
      0.25673988082422017,  0.68105417766403153,  0.52919811673561801,  //
      0.82579204836166309,  0.43070630377470304,  0.37658595041485038,  //
      0.044823588616367496, 0.072390787642366908, 0.24057424033974723};
  CHECK(d.u == former);
}

TEST_CASE("designs reject empty shapes, and at() checks its indices", "[designs]") {
  CHECK_THROWS_AS(latin_hypercube(0, 3, 1), std::invalid_argument);
  CHECK_THROWS_AS(latin_hypercube(3, 0, 1), std::invalid_argument);
  CHECK_THROWS_AS(sobol_sequence(0, 3), std::invalid_argument);
  CHECK_THROWS_WITH(sobol_sequence(8, 0), Catch::Contains("at least one dimension"));
  CHECK_THROWS_WITH(sobol_sequence(8, 3668), Catch::Contains("3668 dimensions") && Catch::Contains("up to 3667"));
  CHECK_NOTHROW(sobol_sequence(2, 3667));
  CHECK_THROWS_AS(saltelli_design(0, 3), std::invalid_argument);
  CHECK_THROWS_AS(saltelli_design(8, 0), std::invalid_argument);
  CHECK_THROWS_WITH(saltelli_design(8, 1834), Catch::Contains("Sobol sequence of 3668"));
  const UnitDesign d = latin_hypercube(3, 2, 1);
  CHECK_THROWS_AS(d.at(3, 0), std::out_of_range);
  CHECK_THROWS_AS(d.at(0, 2), std::out_of_range);
}

TEST_CASE("2^m Sobol points have one point in each of the 2^m intervals of every coordinate", "[designs]") {
  // The (0, m, 1)-net property of each coordinate, which needs the all-zero
  // first point (Boost skips it; dropping it puts two of the first 2^m points
  // in one interval and none in another). Centring puts each point at the
  // middle of its interval.
  for (std::size_t m = 0; m <= 12; ++m) {
    const std::size_t points = std::size_t{1} << m;
    const UnitDesign d = sobol_sequence(points, 64);
    CHECK(strictly_inside_unit_interval(d));
    for (std::size_t dim = 0; dim < d.dimensions; ++dim) {
      CHECK(interval_counts(d, dim, points) == std::vector<int>(points, 1));
      bool at_midpoints = true;
      for (std::size_t p = 0; p < points; ++p) {
        const double scaled = d.at(p, dim) * static_cast<double>(points);
        at_midpoints = at_midpoints && scaled - std::floor(scaled) == 0.5;
      }
      CHECK(at_midpoints);
    }
  }
}

TEST_CASE("the Sobol sequence starts at the centred origin and continues as Boost's", "[designs]") {
  // The 2-D sequence is (0, 0), (½, ½), (¾, ¼), (¼, ¾), …; four points are
  // centred by ⅛.
  const UnitDesign d = sobol_sequence(4, 2);
  CHECK(d.u == std::vector<double>{0.125, 0.125, 0.625, 0.625, 0.875, 0.375, 0.375, 0.875});
}

TEST_CASE("Sobol columns average ½ within their discrepancy bound", "[designs]") {
  // Write N in binary, N = Σ 2^k: the first N points split into consecutive
  // blocks of 2^k points, each starting at a multiple of 2^k, and each such block
  // of a coordinate (a (0, 1)-sequence in base 2) has one point in every
  // interval of width 2^-k. A block's mean is therefore within 2^-(k+1) of ½ (its
  // points are each within 2^-(k+1) of the midpoints of those intervals, whose
  // mean is ½), and centring moves a point only inside its own interval. So
  // |mean − ½| ≤ Σ_blocks 2^k · 2^-(k+1) / N = popcount(N) / (2N); for N = 2^m
  // the centred points are exactly the midpoints, and the mean is ½.
  for (std::size_t points : {3u, 100u, 777u, 1000u, 1024u, 4096u, 5000u}) {
    const UnitDesign d = sobol_sequence(points, 40);
    CHECK(strictly_inside_unit_interval(d));
    const double bound = static_cast<double>(std::bitset<64>(points).count()) / (2.0 * static_cast<double>(points));
    for (std::size_t dim = 0; dim < d.dimensions; ++dim) {
      double sum = 0.0;
      for (std::size_t p = 0; p < points; ++p) sum += d.at(p, dim);
      const double mean = sum / static_cast<double>(points);
      CHECK(std::abs(mean - 0.5) <= bound + 1e-15);
      if ((points & (points - 1)) == 0) CHECK(mean == 0.5);
    }
  }
}

TEST_CASE("Saltelli's design is A, B, then A with one column from B", "[designs]") {
  const std::size_t n = 64, dims = 5;
  const UnitDesign d = saltelli_design(n, dims);
  const UnitDesign ab = sobol_sequence(n, 2 * dims);
  REQUIRE(d.points == n * (dims + 2));
  REQUIRE(d.dimensions == dims);
  CHECK(strictly_inside_unit_interval(d));
  for (std::size_t p = 0; p < n; ++p)
    for (std::size_t j = 0; j < dims; ++j) {
      const double a = ab.at(p, j), b = ab.at(p, dims + j);
      CHECK(d.at(p, j) == a);
      CHECK(d.at(n + p, j) == b);
      for (std::size_t i = 0; i < dims; ++i) CHECK(d.at((2 + i) * n + p, j) == (i == j ? b : a));
    }
}
