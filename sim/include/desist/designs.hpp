// Experimental designs on the unit hypercube: where to run a model when
// calibrating it (Latin hypercube starts) or when measuring how its outputs
// depend on its inputs (Sobol sequence, Saltelli's sampling for Sobol indices,
// sensitivity.hpp). Designs live on (0, 1)^d; callers map each coordinate to a
// parameter's range or, through an inverse CDF, to its distribution.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace desist {

// points × dimensions, row-major, every coordinate strictly inside (0, 1) so an
// inverse CDF never sees 0 or 1.
struct UnitDesign {
  std::size_t points = 0, dimensions = 0;
  std::vector<double> u;
  // Checked like std::vector::at: throws std::out_of_range outside the design.
  double at(std::size_t point, std::size_t dim) const;
};

// A Latin hypercube: in every column, exactly one point in each of the
// `points` strata [k/points, (k+1)/points), at a uniform position inside it.
// The same seed gives the same design on any platform (the generator and the
// shuffle are written out rather than left to the standard library).
UnitDesign latin_hypercube(std::size_t points, std::size_t dimensions, std::uint64_t seed);

// The first `points` points of the Sobol sequence (Boost.Random's direction
// numbers, Joe and Kuo), including the all-zero first point that Boost skips,
// then centred: with b = ceil(log2 points), every coordinate j/2^b becomes
// (j + ½)/2^b. Why this convention: the first 2^m points of the sequence are a
// (t, m, s)-net, in particular one point in each interval [k/2^m, (k+1)/2^m) of
// every coordinate, and skipping the zero point breaks that (Owen 2020, "On
// dropping the first Sobol' point"); the centring moves each point only within
// its own interval of width 2^-b, so the net is kept, no coordinate is 0, and
// for points = 2^m each column's mean is exactly ½. Use powers of 2.
UnitDesign sobol_sequence(std::size_t points, std::size_t dimensions);

// Saltelli's (2010) sampling for Sobol indices. A Sobol sequence of
// 2 × dimensions columns gives A (its first `dimensions` columns) and B (the
// rest); the design's rows are the blocks A (base_points rows), B, then AB_1 …
// AB_d, AB_i being A with column i taken from B: base_points × (dimensions + 2)
// rows in all, in the order sobol_indices (sensitivity.hpp) expects.
UnitDesign saltelli_design(std::size_t base_points, std::size_t dimensions);

}  // namespace desist
