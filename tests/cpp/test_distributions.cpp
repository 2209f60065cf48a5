// The samplers of distributions.hpp against Boost.Math's exact CDFs.
//
// Each check draws n = 20,000 values from a fixed stream and takes the
// Kolmogorov–Smirnov distance D to the exact CDF. Under the null, D exceeds
// 1.95 / √n with probability 0.001 (the asymptotic KS critical value), so a
// correct sampler passes and one with a wrong shape, scale or tail fails.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <functional>
#include <vector>

#include "desist/distributions.hpp"

using namespace desist;

namespace {

constexpr std::size_t n = 20000;
const double ks_critical = 1.95 / std::sqrt(static_cast<double>(n));

double ks_distance(std::vector<double> x, const std::function<double(double)>& cdf) {
  std::sort(x.begin(), x.end());
  double d = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double f = cdf(x[i]);
    d = std::max({d, f - static_cast<double>(i) / x.size(), static_cast<double>(i + 1) / x.size() - f});
  }
  return d;
}

std::vector<double> draws(const std::function<double(RandomStream&)>& sample, std::uint64_t seed) {
  RandomStream rng(seed, 0, 0, StreamId::latent);
  std::vector<double> x(n);
  for (double& v : x) v = sample(rng);
  return x;
}

}  // namespace

TEST_CASE("gamma draws follow the gamma law at every shape", "[distributions]") {
  // Below 1 (the frailty's 1/1.283 = 0.78), at 1, and above, where the
  // method's acceptance test and the shape-boosting path differ.
  for (const double shape : {0.05, 0.3, 0.78, 1.0, 2.5, 40.0}) {
    const double scale = 1.7;
    const boost::math::gamma_distribution<double> exact(shape, scale);
    const auto x = draws([&](RandomStream& rng) { return sample_gamma(shape, scale, rng); }, 11);
    CAPTURE(shape);
    CHECK(*std::min_element(x.begin(), x.end()) >= 0.0);
    CHECK(ks_distance(x, [&](double v) { return boost::math::cdf(exact, v); }) < ks_critical);
  }
}

TEST_CASE("beta draws follow the beta law", "[distributions]") {
  for (const auto& shapes : std::vector<std::pair<double, double>>{{2.0, 2.0}, {0.5, 3.0}, {5.0, 1.0}}) {
    const double a = shapes.first, b = shapes.second;
    const boost::math::beta_distribution<double> exact(a, b);
    const auto x = draws([&](RandomStream& rng) { return sample_beta(a, b, rng); }, 12);
    CAPTURE(a, b);
    CHECK(ks_distance(x, [&](double v) { return boost::math::cdf(exact, v); }) < ks_critical);
  }
}

TEST_CASE("the truncated log-normal quantile in double precision", "[distributions]") {
  // The same quantile in Boost's default (long double) precision: the double
  // one agrees to a few units in the last place.
  const TruncatedLogNormal d{180.0, 0.9, 14.0, 3000.0};
  const TruncatedLogNormalQuantile q(d);
  const boost::math::normal_distribution<double> unit;
  const double mu = std::log(d.median);
  const double lo = boost::math::cdf(unit, (std::log(d.minimum) - mu) / d.sigma);
  const double hi = boost::math::cdf(unit, (std::log(d.maximum) - mu) / d.sigma);
  for (double u = 0.0005; u < 1.0; u += 0.001) {
    const double exact = std::exp(mu + d.sigma * boost::math::quantile(unit, lo + (hi - lo) * u));
    CAPTURE(u);
    CHECK(q(u) == Approx(exact).epsilon(1e-12));
  }
  CHECK(q(1e-17) >= d.minimum);
  CHECK(q(1.0 - 1e-17) <= d.maximum);
}
