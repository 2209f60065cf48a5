// Sensitivity and value of information: Sobol indices of functions whose
// indices have closed forms, and EVPI / EVPPI of a two-option choice whose
// incremental net benefit is Normal, against the closed form and the binning
// bias documented in sensitivity.hpp.
#include <catch2/catch.hpp>

#include <boost/math/constants/constants.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <random>
#include <stdexcept>

#include "desist/designs.hpp"
#include "desist/sensitivity.hpp"

using namespace desist;

namespace {

constexpr double pi = boost::math::constants::pi<double>();

// Model outputs at every row of a Saltelli design.
template <typename Model>
std::vector<double> outputs(const UnitDesign& d, Model f) {
  std::vector<double> y(d.points);
  for (std::size_t p = 0; p < d.points; ++p) y[p] = f(&d.u[p * d.dimensions]);
  return y;
}

// Half-width of a 95% percentile interval over 1.96: the bootstrap's
// standard error, assuming the resampled index is close to Normal.
double bootstrap_se(const IndexEstimate& e) { return (e.ci_high - e.ci_low) / (2.0 * 1.959964); }

// Two options: do nothing (net benefit 0) or act (net benefit x).
std::vector<std::vector<double>> act_or_not(const std::vector<double>& x) {
  std::vector<std::vector<double>> nb;
  for (double v : x) nb.push_back({0.0, v});
  return nb;
}

std::vector<double> normal_draws(std::size_t n, double mean, double sd, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(mean, sd);
  std::vector<double> x(n);
  for (double& v : x) v = normal(rng);
  return x;
}

double mean_of(const std::vector<double>& x) {
  double sum = 0.0;
  for (double v : x) sum += v;
  return sum / static_cast<double>(x.size());
}

double sd_of(const std::vector<double>& x) {
  const double m = mean_of(x);
  double squares = 0.0;
  for (double v : x) squares += (v - m) * (v - m);
  return std::sqrt(squares / static_cast<double>(x.size() - 1));
}

}  // namespace

TEST_CASE("Sobol indices of the Ishigami function match its closed form", "[sensitivity]") {
  // f = sin x1 + a sin² x2 + b x3⁴ sin x1, x uniform on [−π, π]³ (Ishigami and
  // Homma 1990), whose partial variances have closed forms.
  const double a = 7.0, b = 0.1;
  const double v1 = 0.5 * std::pow(1.0 + b * std::pow(pi, 4) / 5.0, 2);
  const double v2 = a * a / 8.0;
  const double v13 = 8.0 * b * b * std::pow(pi, 8) / 225.0;
  const double variance = v1 + v2 + v13;
  const std::vector<double> first = {v1 / variance, v2 / variance, 0.0};
  const std::vector<double> total = {(v1 + v13) / variance, v2 / variance, v13 / variance};

  const std::size_t n = 8192;
  const std::vector<double> y = outputs(saltelli_design(n, 3), [&](const double* u) {
    const double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1], x3 = -pi + 2 * pi * u[2];
    return std::sin(x1) + a * std::pow(std::sin(x2), 2) + b * std::pow(x3, 4) * std::sin(x1);
  });
  const SobolIndices s = sobol_indices(y, n, 3);
  REQUIRE(s.first.size() == 3);
  REQUIRE(s.total.size() == 3);
  // 3 bootstrap standard errors: a check that an i.i.d. design would fail by
  // chance with probability about 0.3%. The bootstrap treats rows as
  // independent, and on this Sobol design the errors are far smaller (about a
  // tenth of a standard error), so this catches a wrong estimator or block
  // order rather than measuring the design's accuracy.
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("input " << i + 1);
    CHECK(std::abs(s.first[i].value - first[i]) < 3.0 * bootstrap_se(s.first[i]));
    CHECK(std::abs(s.total[i].value - total[i]) < 3.0 * bootstrap_se(s.total[i]));
    CHECK(s.first[i].ci_low <= s.first[i].value);
    CHECK(s.first[i].value <= s.first[i].ci_high);
  }
  // The variance over A ∪ B, within 3 of its Monte Carlo standard errors
  // (sd of (f − mean)² over √(2N)), again conservative for a Sobol design.
  double fourth = 0.0;
  for (std::size_t k = 0; k < 2 * n; ++k) fourth += std::pow(y[k] - 3.5, 4);  // E f = a/2
  const double se_variance = std::sqrt((fourth / (2.0 * n) - variance * variance) / (2.0 * n));
  CHECK(std::abs(s.variance - variance) < 3.0 * se_variance);
}

TEST_CASE("an additive linear model's first and total indices are its shares of variance", "[sensitivity]") {
  // y = Σ c_i u_i with u_i uniform: S1_i = ST_i = c_i² / Σ c_j², and both
  // estimators are unbiased for it.
  const std::vector<double> c = {1.0, 2.0, 3.0, 0.0};
  const std::size_t n = 4096;
  const std::vector<double> y = outputs(saltelli_design(n, 4), [&](const double* u) {
    double sum = 0.0;
    for (std::size_t i = 0; i < c.size(); ++i) sum += c[i] * u[i];
    return sum;
  });
  const SobolIndices s = sobol_indices(y, n, 4);
  for (std::size_t i = 0; i < c.size(); ++i) {
    INFO("input " << i + 1);
    const double share = c[i] * c[i] / 14.0;
    // A zero coefficient gives f(AB_i) = f(A) exactly, so its indices are exactly 0.
    const auto matches = [&](const IndexEstimate& e) {
      return c[i] == 0.0 ? e.value == 0.0 : std::abs(e.value - share) < 3.0 * bootstrap_se(e);
    };
    CHECK(matches(s.first[i]));
    CHECK(matches(s.total[i]));
  }
}

TEST_CASE("Sobol indices of a constant output are 0, and the bootstrap is reproducible", "[sensitivity]") {
  const SobolIndices flat = sobol_indices(std::vector<double>(64 * 4, 2.5), 64, 2);
  CHECK(flat.variance == 0.0);
  for (const auto* indices : {&flat.first, &flat.total})
    for (const IndexEstimate& e : *indices) {
      CHECK(e.value == 0.0);
      CHECK(e.ci_low == 0.0);
      CHECK(e.ci_high == 0.0);
    }

  const std::vector<double> y = outputs(saltelli_design(256, 2), [](const double* u) { return u[0] + u[0] * u[1]; });
  const SobolIndices once = sobol_indices(y, 256, 2, 200, 9), again = sobol_indices(y, 256, 2, 200, 9),
                     other = sobol_indices(y, 256, 2, 200, 10);
  CHECK(once.first[0].ci_low == again.first[0].ci_low);
  CHECK(once.total[1].ci_high == again.total[1].ci_high);
  CHECK(once.first[0].ci_low != other.first[0].ci_low);
  CHECK(once.first[0].value == other.first[0].value);  // the point estimate uses every row
  const SobolIndices none = sobol_indices(y, 256, 2, 0);
  CHECK(none.first[0].value == once.first[0].value);
  CHECK(std::isnan(none.first[0].ci_low));
  CHECK(std::isnan(none.total[1].ci_high));
}

TEST_CASE("sobol_indices checks the size and values of its outputs", "[sensitivity]") {
  CHECK_THROWS_WITH(sobol_indices(std::vector<double>(25, 1.0), 8, 3),
                    Catch::Contains("25 outputs") && Catch::Contains("has 40"));
  CHECK_THROWS_AS(sobol_indices(std::vector<double>(5, 1.0), 1, 3), std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices(std::vector<double>(16, 1.0), 8, 0), std::invalid_argument);
  std::vector<double> y(40, 1.0);
  y[17] = std::nan("");
  CHECK_THROWS_WITH(sobol_indices(y, 8, 3), Catch::Contains("y[17]"));
}

TEST_CASE("EVPI of a Normal incremental net benefit matches its closed form", "[sensitivity]") {
  // Acting gains X ~ N(μ, σ²): EVPI = E max(0, X) − max(0, E X)
  // = σ φ(μ/σ) + μ Φ(μ/σ) − max(0, μ).
  const double mu = 200.0, sigma = 1000.0;
  const boost::math::normal standard;
  const double closed_form = sigma * boost::math::pdf(standard, mu / sigma) +
                             mu * boost::math::cdf(standard, mu / sigma) - std::max(0.0, mu);
  const std::size_t samples = 20000;
  const std::vector<double> x = normal_draws(samples, mu, sigma, 2024);
  // With a positive sample mean (μ is 20 of its standard errors above 0) the
  // estimate is mean max(0, X) − mean X = mean max(0, −X), a mean of
  // independent draws: its standard error is their sd over √S.
  REQUIRE(mean_of(x) > 0.0);
  std::vector<double> regret;
  for (double v : x) regret.push_back(std::max(0.0, -v));
  const double se = sd_of(regret) / std::sqrt(static_cast<double>(samples));
  const double evpi = expected_value_of_perfect_information(act_or_not(x));
  CHECK(std::abs(evpi - closed_form) < 4.0 * se);
  CHECK(evpi == Approx(mean_of(regret)).epsilon(1e-12));
}

TEST_CASE("EVPI of a choice without uncertainty about the best option is 0", "[sensitivity]") {
  CHECK(expected_value_of_perfect_information({{1.0, 3.0, 2.0}, {1.0, 3.0, 2.0}}) == 0.0);
  // Uncertain net benefits, but option 1 is best in every sample.
  std::vector<std::vector<double>> nb;
  for (double v : normal_draws(500, 0.0, 100.0, 3)) nb.push_back({v, v + 5.0});
  CHECK(expected_value_of_perfect_information(nb) == 0.0);
}

TEST_CASE("EVPI and EVPPI check their inputs", "[sensitivity]") {
  CHECK_THROWS_AS(expected_value_of_perfect_information({}), std::invalid_argument);
  CHECK_THROWS_AS(expected_value_of_perfect_information({{}, {}}), std::invalid_argument);
  CHECK_THROWS_WITH(expected_value_of_perfect_information({{1.0, 2.0}, {1.0, 2.0, 3.0}}),
                    Catch::Contains("net_benefit[1] has 3 options; expected 2"));
  CHECK_THROWS_WITH(expected_value_of_perfect_information({{1.0, std::nan("")}}), Catch::Contains("net_benefit[0][1]"));
  CHECK_THROWS_WITH(expected_value_of_partial_perfect_information({1.0, 2.0}, {{0.0, 1.0}}),
                    Catch::Contains("2 parameter values for 1 net-benefit samples"));
  CHECK_THROWS_WITH(expected_value_of_partial_perfect_information({1.0, 2.0}, {{0.0, 1.0}, {0.0, 2.0}}, 3),
                    Catch::Contains("3 bins for 2 samples"));
}

TEST_CASE("EVPPI of a parameter that decides the choice is the EVPI", "[sensitivity]") {
  // The net benefit is the parameter itself. Binning loses only inside the bin
  // where the best option changes (at X = 0), and at most (n_b/S) × that bin's
  // width; a bin holds 1/B of the probability, so near 0 it is about
  // σ / (B φ(μ/σ)) wide, and the loss is below σ / (B² φ(μ/σ)). Twice that
  // allows for the sampled bin's width.
  const double mu = 200.0, sigma = 1000.0;
  const std::size_t samples = 20000;
  const std::vector<double> x = normal_draws(samples, mu, sigma, 7);
  const auto nb = act_or_not(x);
  const double evpi = expected_value_of_perfect_information(nb);
  const double evppi = expected_value_of_partial_perfect_information(x, nb);
  const double bins = std::round(std::sqrt(static_cast<double>(samples)));
  const double loss_bound = 2.0 * sigma / (bins * bins * boost::math::pdf(boost::math::normal(), mu / sigma));
  CHECK(evppi <= evpi + 1e-9);
  CHECK(evpi - evppi < loss_bound);
  CHECK(expected_value_of_partial_perfect_information(x, nb, samples) == Approx(evpi).epsilon(1e-12));
  CHECK(expected_value_of_partial_perfect_information(x, nb, 1) == 0.0);
}

TEST_CASE("EVPPI of an irrelevant parameter is only the binning bias", "[sensitivity]") {
  // Incremental net benefit X ~ N(0, σ²), the worst case for the bias, and a
  // parameter independent of it. With B bins of n = S/B samples, the estimate
  // is (1/B) Σ_b max(0, X̄_b) − max(0, X̄), X̄_b ~ N(0, σ²/n). Its first term
  // has mean σ/√(2πn) (the documented bias) and standard error
  // σ/√n · √(½ − 1/(2π)) / √B; the second is known from the sample. So the
  // estimate lies within 4 of those standard errors of bias − max(0, X̄).
  const double sigma = 1000.0;
  const std::size_t samples = 20000;
  const std::vector<double> x = normal_draws(samples, 0.0, sigma, 11);
  std::vector<double> irrelevant(samples);
  std::mt19937_64 rng(12);
  for (double& p : irrelevant) p = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  const double evppi = expected_value_of_partial_perfect_information(irrelevant, act_or_not(x));

  const double s = static_cast<double>(samples), bins = std::round(std::sqrt(s));
  const double bias = sigma * std::sqrt(bins / (2.0 * pi * s));
  const double se = sigma * std::sqrt(0.5 - 1.0 / (2.0 * pi)) / std::sqrt(s);
  const double expected = bias - std::max(0.0, mean_of(x));
  CHECK(std::abs(evppi - expected) < 4.0 * se);
  // ... which is small next to the value of knowing X itself, σ/√(2π).
  CHECK(evppi < 0.15 * sigma / std::sqrt(2.0 * pi));
}
