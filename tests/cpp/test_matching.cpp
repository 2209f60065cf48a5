#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "desist/matching.hpp"

using namespace desist;

TEST_CASE("logistic regression on one binary covariate gives the log odds of each group exactly", "[matching]") {
  // 2×2 table: x = 0: 30 of 100 in the cohort; x = 1: 60 of 80. The MLE is
  // the empirical log odds: intercept log(30/70), slope log(60/20) − log(30/70).
  Eigen::MatrixXd x(180, 1);
  std::vector<std::uint8_t> y(180, 0);
  for (int i = 0; i < 180; ++i) {
    x(i, 0) = i < 100 ? 0.0 : 1.0;
    y[static_cast<std::size_t>(i)] = (i < 30) || (i >= 100 && i < 160);
  }
  const LogisticFit fit = fit_logistic(x, y);
  CHECK(fit.coefficients[0] == Approx(std::log(30.0 / 70.0)).margin(1e-9));
  CHECK(fit.coefficients[1] == Approx(std::log(3.0) - std::log(30.0 / 70.0)).margin(1e-9));
  // Standard errors of log odds: sqrt(1/a + 1/b), and of their difference the sum of both variances.
  CHECK(fit.standard_errors[0] == Approx(std::sqrt(1.0 / 30 + 1.0 / 70)).epsilon(1e-8));
  CHECK(fit.standard_errors[1] == Approx(std::sqrt(1.0 / 30 + 1.0 / 70 + 1.0 / 60 + 1.0 / 20)).epsilon(1e-8));
}

TEST_CASE("logistic regression recovers known coefficients within their standard errors", "[matching]") {
  std::mt19937_64 rng(7);  // fixed seed
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  const int n = 20000;
  const double b0 = -1.0, b1 = 0.8, b2 = -0.5;
  Eigen::MatrixXd x(n, 2);
  std::vector<std::uint8_t> y(n);
  for (int i = 0; i < n; ++i) {
    x(i, 0) = normal(rng);
    x(i, 1) = normal(rng);
    const double p = 1.0 / (1.0 + std::exp(-(b0 + b1 * x(i, 0) + b2 * x(i, 1))));
    y[static_cast<std::size_t>(i)] = uniform(rng) < p;
  }
  const LogisticFit fit = fit_logistic(x, y);
  // Each estimate is asymptotically normal with the reported SE: 4 SE bounds a
  // failure at about 6e-5 per coefficient.
  const double truth[] = {b0, b1, b2};
  for (int j = 0; j < 3; ++j) CHECK(std::abs(fit.coefficients[j] - truth[j]) < 4 * fit.standard_errors[j]);
  CHECK(fit.standard_errors[1] < 0.03);  // about 1/sqrt(n·p(1−p)) ≈ 0.017: the test has power
}

TEST_CASE("a covariate that separates the groups exactly is refused", "[matching]") {
  Eigen::MatrixXd x(6, 1);
  x << 0, 1, 2, 3, 4, 5;
  const std::vector<std::uint8_t> y{0, 0, 0, 1, 1, 1};
  CHECK_THROWS_WITH(fit_logistic(x, y), Catch::Contains("separate"));
  Eigen::MatrixXd constant = Eigen::MatrixXd::Ones(6, 1);
  CHECK_THROWS_WITH(fit_logistic(constant, {0, 1, 0, 1, 0, 0}), Catch::Contains("singular"));
}

TEST_CASE("nearest-neighbour matching takes the nearest within the caliper, ties to the lower index", "[matching]") {
  Eigen::VectorXd cohort(3), pool(5);
  cohort << 0.0, 1.0, 10.0;
  pool << 0.5, -0.5, 1.2, 3.0, 0.9;
  MatchOptions one{1, 0.0};  // no caliper
  Matching m = match_nearest(cohort, pool, one);
  CHECK(m.matches[0] == std::vector<std::size_t>{0});  // 0.5 and −0.5 tie: lower index
  CHECK(m.matches[1] == std::vector<std::size_t>{4});
  CHECK(m.matches[2] == std::vector<std::size_t>{3});
  CHECK(m.unmatched == 0);

  MatchOptions two{2, 0.0};
  m = match_nearest(cohort, pool, two);
  CHECK(m.matches[1] == std::vector<std::size_t>{4, 2});
  CHECK(m.pool_weight[4] == Approx(0.5));
  CHECK(m.pool_weight[3] == Approx(0.5));  // the 10.0 member's two matches, 3.0 and 1.2, share its weight
  CHECK(m.matches[2] == std::vector<std::size_t>{3, 2});
  CHECK(m.pool_weight[2] == Approx(1.0));  // half from 1.0, half from 10.0

  // A caliper of 0.2 SD of all eight logits leaves the outlier unmatched.
  MatchOptions caliper{1, 0.2};
  m = match_nearest(cohort, pool, caliper);
  CHECK(m.unmatched == 1);
  CHECK(m.matches[2].empty());
  CHECK(m.caliper < 1.0);
}

TEST_CASE("matching on the propensity score removes selection on observed covariates", "[matching]") {
  // Selection into the cohort and the outcome both rise with x; the cohort has
  // no effect. The naive difference is biased; the matched one is zero within
  // its standard error.
  std::mt19937_64 rng(11);  // fixed seed
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  const int n = 30000;
  Eigen::MatrixXd x(n, 1);
  std::vector<std::uint8_t> in_cohort(n);
  std::vector<double> outcome(n);
  for (int i = 0; i < n; ++i) {
    x(i, 0) = normal(rng);
    in_cohort[static_cast<std::size_t>(i)] = uniform(rng) < 1.0 / (1.0 + std::exp(-(-2.0 + 1.0 * x(i, 0))));
    outcome[static_cast<std::size_t>(i)] = uniform(rng) < 1.0 / (1.0 + std::exp(-(-0.5 + 0.7 * x(i, 0))));
  }
  const LogisticFit fit = fit_logistic(x, in_cohort);
  const Eigen::VectorXd logit = logistic_logit(fit, x);
  std::vector<Eigen::Index> c, p;
  for (Eigen::Index i = 0; i < n; ++i) (in_cohort[static_cast<std::size_t>(i)] ? c : p).push_back(i);
  Eigen::VectorXd cl(static_cast<Eigen::Index>(c.size())), pl(static_cast<Eigen::Index>(p.size()));
  std::vector<double> cy, py;
  for (std::size_t i = 0; i < c.size(); ++i) cl[static_cast<Eigen::Index>(i)] = logit[c[i]], cy.push_back(outcome[static_cast<std::size_t>(c[i])]);
  for (std::size_t i = 0; i < p.size(); ++i) pl[static_cast<Eigen::Index>(i)] = logit[p[i]], py.push_back(outcome[static_cast<std::size_t>(p[i])]);
  const Matching m = match_nearest(cl, pl, MatchOptions{3, 0.2});
  const MatchedDifference d = matched_difference(m, cy, py);

  double naive_c = 0, naive_p = 0;
  for (double v : cy) naive_c += v;
  for (double v : py) naive_p += v;
  const double naive = naive_c / double(cy.size()) - naive_p / double(py.size());
  CHECK(naive > 10 * d.standard_error);            // selection bias is large next to the sampling error
  CHECK(std::abs(d.difference) < 3 * d.standard_error);  // zero effect recovered (3 SE: 0.3% false alarm)
  CHECK(d.cohort_matched > 0.99 * double(cy.size()));
}
