#include "desist/distributions.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

namespace desist {

namespace {
// Boost.Math works in long double by default; double is enough for a quantile
// fed a 53-bit uniform, and the long double erf_inv was 6% of the engine's time.
using double_precision = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
using UnitNormal = boost::math::normal_distribution<double, double_precision>;
}  // namespace

TruncatedLogNormalQuantile::TruncatedLogNormalQuantile(const TruncatedLogNormal& d) : d_(d) {
  if (d.sigma <= 0.0) return;
  const UnitNormal unit;
  mu_ = std::log(d.median);
  lo_ = boost::math::cdf(unit, (std::log(d.minimum) - mu_) / d.sigma);
  hi_ = boost::math::cdf(unit, (std::log(d.maximum) - mu_) / d.sigma);
}

double TruncatedLogNormalQuantile::operator()(double u01) const {
  if (d_.sigma <= 0.0) return std::clamp(d_.median, d_.minimum, d_.maximum);
  const UnitNormal unit;
  const double u = lo_ + (hi_ - lo_) * u01;
  const double x = std::exp(mu_ + d_.sigma * boost::math::quantile(unit, std::clamp(u, 1e-300, 1.0 - 1e-16)));
  return std::clamp(x, d_.minimum, d_.maximum);
}

double sample(const ShiftedGamma& d, RandomStream& rng) {
  const double excess = d.mean - d.minimum;
  if (d.sd <= 0.0 || excess <= 0.0) return std::clamp(d.mean, d.minimum, d.maximum);
  const double shape = (excess / d.sd) * (excess / d.sd);
  const double scale = d.sd * d.sd / excess;
  return std::min(d.minimum + sample_gamma(shape, scale, rng), d.maximum);
}

int sample(const CountDistribution& d, RandomStream& rng) {
  if (d.mean <= 0.0) return 0;
  const double lambda = sample_gamma(d.dispersion, d.mean / d.dispersion, rng);
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

double sample_gamma(double shape, double scale, RandomStream& rng) {
  // Below shape 1 the method draws Gamma(shape + 1) and scales it by U^(1/shape).
  const bool boosted = shape < 1.0;
  const double d = (boosted ? shape + 1.0 : shape) - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  double x, v;
  for (;;) {
    x = standard_normal(rng);
    v = 1.0 + c * x;
    if (v <= 0.0) continue;
    v = v * v * v;
    const double u = rng.uniform();
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2 || std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) break;
  }
  double g = d * v;
  if (boosted) g *= std::exp(std::log(rng.uniform()) / shape);
  return g * scale;
}

double sample_beta(double a, double b, RandomStream& rng) {
  const double x = sample_gamma(a, 1.0, rng);
  const double y = sample_gamma(b, 1.0, rng);
  return x / (x + y);
}

}  // namespace desist
