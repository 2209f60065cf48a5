// Sampling the scenario's distribution types from a person's random stream.
// Boost.Random distributions are used because their algorithms are fixed across
// platforms (std:: distributions are not), which reproducibility needs; the
// gamma is written here for speed (below), from a published algorithm that is
// equally fixed.
#pragma once

#include "desist/parameters.hpp"
#include "desist/rng.hpp"

namespace desist {

// Inverse CDF of a truncated log-normal, with the normal CDF at its bounds
// worked out once (the two CDFs cost more than the quantile itself).
class TruncatedLogNormalQuantile {
 public:
  explicit TruncatedLogNormalQuantile(const TruncatedLogNormal& d);
  // At u in (0,1): one uniform per draw keeps streams aligned between scenarios.
  double operator()(double u) const;

 private:
  TruncatedLogNormal d_;
  double mu_ = 0.0, lo_ = 0.0, hi_ = 1.0;
};

inline double quantile(const TruncatedLogNormal& d, double u) { return TruncatedLogNormalQuantile(d)(u); }
inline double sample(const TruncatedLogNormal& d, RandomStream& rng) { return quantile(d, rng.uniform()); }
double sample(const ShiftedGamma& d, RandomStream& rng);
int sample(const CountDistribution& d, RandomStream& rng);
// Index drawn with probability proportional to weights (which need not sum to 1).
std::size_t sample_index(const std::vector<double>& weights, RandomStream& rng);
double standard_normal(RandomStream& rng);
// Gamma(shape, scale) by Marsaglia and Tsang's method (ACM TOMS 26(3), 2000):
// a normal and a uniform per try, at least 95% of tries accepted. Boost.Random's
// gamma (a Cauchy proposal through tan) cost three times as much, and every
// person draws five or six gammas. shape > 0, scale > 0.
double sample_gamma(double shape, double scale, RandomStream& rng);
// Beta(a, b) as X / (X + Y), X ~ Gamma(a), Y ~ Gamma(b), as Boost.Random's is made.
double sample_beta(double a, double b, RandomStream& rng);

}  // namespace desist
