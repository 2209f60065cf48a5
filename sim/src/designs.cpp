#include "desist/designs.hpp"

#include <boost/random/sobol.hpp>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

namespace desist {

namespace {

// Boost.Random's tables of direction numbers stop here.
constexpr std::size_t sobol_max_dimensions = boost::random::default_sobol_table::max_dimension;
// boost::random::sobol returns each coordinate as an integer over 2^64.
constexpr int sobol_word_bits = 64;

UnitDesign empty_design(const char* design, std::size_t points, std::size_t dimensions) {
  if (points == 0) throw std::invalid_argument(std::string(design) + ": a design needs at least one point");
  if (dimensions == 0) throw std::invalid_argument(std::string(design) + ": a design needs at least one dimension");
  UnitDesign d;
  d.points = points;
  d.dimensions = dimensions;
  d.u.resize(points * dimensions);
  return d;
}

}  // namespace

double UnitDesign::at(std::size_t point, std::size_t dim) const {
  if (point >= points || dim >= dimensions)
    throw std::out_of_range("UnitDesign::at(" + std::to_string(point) + ", " + std::to_string(dim) +
                            ") outside a design of " + std::to_string(points) + " points × " +
                            std::to_string(dimensions) + " dimensions");
  return u[point * dimensions + dim];
}

UnitDesign latin_hypercube(std::size_t points, std::size_t dimensions, std::uint64_t seed) {
  UnitDesign d = empty_design("latin_hypercube", points, dimensions);
  std::mt19937_64 rng(seed ^ 0x6c61746e68797065ULL);  // "latnhype"
  auto uniform = [&] { return (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53; };
  // (points − 1 + u) / points rounds to 1 when u is within an ulp of 1.
  const double below_one = std::nextafter(1.0, 0.0);
  for (std::size_t dim = 0; dim < dimensions; ++dim) {
    std::vector<std::size_t> stratum(points);
    std::iota(stratum.begin(), stratum.end(), std::size_t{0});
    for (std::size_t i = points; i > 1; --i) std::swap(stratum[i - 1], stratum[rng() % i]);  // Fisher–Yates
    for (std::size_t i = 0; i < points; ++i)
      d.u[i * dimensions + dim] =
          std::min((static_cast<double>(stratum[i]) + uniform()) / static_cast<double>(points), below_one);
  }
  return d;
}

UnitDesign sobol_sequence(std::size_t points, std::size_t dimensions) {
  UnitDesign d = empty_design("sobol_sequence", points, dimensions);
  if (dimensions > sobol_max_dimensions)
    throw std::invalid_argument("sobol_sequence: " + std::to_string(dimensions) + " dimensions asked for; " +
                                "Boost.Random's Sobol tables go up to " + std::to_string(sobol_max_dimensions));
  // The first 2^b points use only the leading b bits of each coordinate, so
  // j = coordinate >> (64 − b) is exact and (j + ½)/2^b centres it.
  int bits = 0;
  while ((std::size_t{1} << bits) < points) ++bits;
  const double width = std::ldexp(1.0, -bits);
  std::fill(d.u.begin(), d.u.begin() + static_cast<std::ptrdiff_t>(dimensions), 0.5 * width);  // the origin
  boost::random::sobol engine(dimensions);  // starts at the sequence's second point
  for (std::size_t i = dimensions; i < d.u.size(); ++i)
    d.u[i] = (static_cast<double>(engine() >> (sobol_word_bits - bits)) + 0.5) * width;
  return d;
}

UnitDesign saltelli_design(std::size_t base_points, std::size_t dimensions) {
  if (2 * dimensions > sobol_max_dimensions)
    throw std::invalid_argument("saltelli_design: " + std::to_string(dimensions) +
                                " dimensions need a Sobol sequence of " + std::to_string(2 * dimensions) +
                                "; Boost.Random's Sobol tables go up to " + std::to_string(sobol_max_dimensions));
  UnitDesign d = empty_design("saltelli_design", base_points * (dimensions + 2), dimensions);
  const UnitDesign ab = sobol_sequence(base_points, 2 * dimensions);
  auto row = [&](std::size_t block, std::size_t point) {
    return d.u.begin() + static_cast<std::ptrdiff_t>((block * base_points + point) * dimensions);
  };
  for (std::size_t p = 0; p < base_points; ++p) {
    const auto a = ab.u.begin() + static_cast<std::ptrdiff_t>(p * 2 * dimensions);
    const auto b = a + static_cast<std::ptrdiff_t>(dimensions);
    std::copy(a, b, row(0, p));
    std::copy(b, b + static_cast<std::ptrdiff_t>(dimensions), row(1, p));
    for (std::size_t i = 0; i < dimensions; ++i) {
      const auto ab_i = row(2 + i, p);
      std::copy(a, b, ab_i);
      ab_i[static_cast<std::ptrdiff_t>(i)] = b[static_cast<std::ptrdiff_t>(i)];
    }
  }
  return d;
}

}  // namespace desist
