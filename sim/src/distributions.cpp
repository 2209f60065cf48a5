#include "desist/distributions.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

namespace desist {

TruncatedLogNormalQuantile::TruncatedLogNormalQuantile(const TruncatedLogNormal& d) : d_(d) {
  if (d.sigma <= 0.0) return;
  const boost::math::normal_distribution<double> unit;
  mu_ = std::log(d.median);
  lo_ = boost::math::cdf(unit, (std::log(d.minimum) - mu_) / d.sigma);
  hi_ = boost::math::cdf(unit, (std::log(d.maximum) - mu_) / d.sigma);
}

double TruncatedLogNormalQuantile::operator()(double u01) const {
  if (d_.sigma <= 0.0) return std::clamp(d_.median, d_.minimum, d_.maximum);
  const boost::math::normal_distribution<double> unit;
  const double u = lo_ + (hi_ - lo_) * u01;
  const double x = std::exp(mu_ + d_.sigma * boost::math::quantile(unit, std::clamp(u, 1e-300, 1.0 - 1e-16)));
  return std::clamp(x, d_.minimum, d_.maximum);
}

double sample(const ShiftedGamma& d, RandomStream& rng) {
  const double excess = d.mean - d.minimum;
  if (d.sd <= 0.0 || excess <= 0.0) return std::clamp(d.mean, d.minimum, d.maximum);
  const double shape = (excess / d.sd) * (excess / d.sd);
  const double scale = d.sd * d.sd / excess;
  boost::random::gamma_distribution<double> gamma(shape, scale);
  return std::min(d.minimum + gamma(rng), d.maximum);
}

int sample(const CountDistribution& d, RandomStream& rng) {
  if (d.mean <= 0.0) return 0;
  boost::random::gamma_distribution<double> gamma(d.dispersion, d.mean / d.dispersion);
  const double lambda = gamma(rng);
  if (lambda <= 0.0) return 0;
  boost::random::poisson_distribution<int, double> poisson(lambda);
  return poisson(rng);
}

std::size_t sample_index(const std::vector<double>& weights, RandomStream& rng) {
  double total = 0.0;
  for (double w : weights) total += w;
  double u = rng.uniform() * total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (u < weights[i]) return i;
    u -= weights[i];
  }
  // Rounding can leave u just above the last weight: take the last positive one.
  for (std::size_t i = weights.size(); i-- > 0;)
    if (weights[i] > 0.0) return i;
  return 0;
}

double standard_normal(RandomStream& rng) {
  boost::random::normal_distribution<double> normal;
  return normal(rng);
}

}  // namespace desist
