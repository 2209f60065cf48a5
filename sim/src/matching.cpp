#include "desist/matching.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace desist {

namespace {

Eigen::MatrixXd with_intercept(const Eigen::MatrixXd& covariates) {
  Eigen::MatrixXd x(covariates.rows(), covariates.cols() + 1);
  x.col(0).setOnes();
  x.rightCols(covariates.cols()) = covariates;
  return x;
}

double log_likelihood(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& beta) {
  const Eigen::VectorXd eta = x * beta;
  double ll = 0.0;
  // log(1 + e^η) computed without overflow for large |η|.
  for (Eigen::Index i = 0; i < eta.size(); ++i)
    ll += y[i] * eta[i] - (eta[i] > 0 ? eta[i] + std::log1p(std::exp(-eta[i])) : std::log1p(std::exp(eta[i])));
  return ll;
}

}  // namespace

LogisticFit fit_logistic(const Eigen::MatrixXd& covariates, const std::vector<std::uint8_t>& outcome) {
  if (static_cast<std::size_t>(covariates.rows()) != outcome.size())
    throw std::invalid_argument("fit_logistic: " + std::to_string(covariates.rows()) + " rows of covariates but " +
                                std::to_string(outcome.size()) + " outcomes");
  const Eigen::MatrixXd x = with_intercept(covariates);
  Eigen::VectorXd y(x.rows());
  for (Eigen::Index i = 0; i < y.size(); ++i) y[i] = outcome[static_cast<std::size_t>(i)] ? 1.0 : 0.0;

  if (Eigen::ColPivHouseholderQR<Eigen::MatrixXd>(x).rank() < x.cols())
    throw std::runtime_error("fit_logistic: the information matrix is singular (a covariate is constant or "
                             "two are collinear)");
  LogisticFit fit;
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(x.cols());
  double ll = log_likelihood(x, y, beta);
  constexpr int max_iterations = 50;
  constexpr double tolerance = 1e-10;  // on the change in log-likelihood, relative
  Eigen::MatrixXd information;
  for (fit.iterations = 1; fit.iterations <= max_iterations; ++fit.iterations) {
    const Eigen::ArrayXd p = 1.0 / (1.0 + (-(x * beta).array()).exp());
    const Eigen::VectorXd gradient = x.transpose() * (y.array() - p).matrix();
    information = x.transpose() * (p * (1.0 - p)).matrix().asDiagonal() * x;
    const Eigen::LDLT<Eigen::MatrixXd> solver(information);
    if (solver.info() != Eigen::Success || !solver.isPositive())
      throw std::runtime_error("fit_logistic: the information matrix became singular (fitted scores of 0 or 1)");
    const Eigen::VectorXd step = solver.solve(gradient);
    // Halve the step until the likelihood does not fall (Newton can overshoot far from the optimum).
    double scale = 1.0, next = ll;
    Eigen::VectorXd candidate = beta;
    for (int halving = 0; halving < 30; ++halving, scale /= 2) {
      candidate = beta + scale * step;
      next = log_likelihood(x, y, candidate);
      if (next >= ll) break;
    }
    const double change = next - ll;
    beta = candidate;
    ll = next;
    if (change <= tolerance * (1.0 + std::abs(ll)) && scale * step.lpNorm<Eigen::Infinity>() < 1e-8) break;
  }
  if (fit.iterations > max_iterations || beta.lpNorm<Eigen::Infinity>() > 30.0)
    throw std::runtime_error("fit_logistic: no convergence (the covariates may separate the cohort from the pool "
                             "exactly, so no comparison group can be matched on them)");
  const Eigen::ArrayXd p = 1.0 / (1.0 + (-(x * beta).array()).exp());
  information = x.transpose() * (p * (1.0 - p)).matrix().asDiagonal() * x;
  fit.coefficients = beta;
  fit.standard_errors = information.inverse().diagonal().cwiseSqrt();
  return fit;
}

Eigen::VectorXd logistic_logit(const LogisticFit& fit, const Eigen::MatrixXd& covariates) {
  return with_intercept(covariates) * fit.coefficients;
}

Matching match_nearest(const Eigen::VectorXd& cohort_logit, const Eigen::VectorXd& pool_logit,
                       const MatchOptions& options) {
  if (options.ratio < 1) throw std::invalid_argument("match_nearest: ratio must be at least 1");
  Matching m;
  m.matches.resize(static_cast<std::size_t>(cohort_logit.size()));
  m.pool_weight.assign(static_cast<std::size_t>(pool_logit.size()), 0.0);
  m.caliper = std::numeric_limits<double>::infinity();
  if (options.caliper_sd > 0.0) {
    Eigen::VectorXd all(cohort_logit.size() + pool_logit.size());
    all << cohort_logit, pool_logit;
    const double sd = all.size() > 1 ? std::sqrt((all.array() - all.mean()).square().sum() / double(all.size() - 1)) : 0.0;
    m.caliper = options.caliper_sd * sd;
  }
  // Pool sorted by logit, ties by index, so the nearest are found by walking out from a binary search.
  std::vector<std::size_t> order(m.pool_weight.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return pool_logit[a] < pool_logit[b]; });
  const auto k = static_cast<std::size_t>(options.ratio);
  for (std::size_t i = 0; i < m.matches.size(); ++i) {
    const double t = cohort_logit[static_cast<Eigen::Index>(i)];
    auto right = std::lower_bound(order.begin(), order.end(), t,
                                  [&](std::size_t j, double v) { return pool_logit[j] < v; }) - order.begin();
    auto left = right - 1;
    auto& chosen = m.matches[i];
    const auto n = static_cast<std::ptrdiff_t>(order.size());
    while (chosen.size() < k && (left >= 0 || right < n)) {
      const double dl = left >= 0 ? t - pool_logit[order[left]] : std::numeric_limits<double>::infinity();
      const double dr = right < n ? pool_logit[order[right]] - t : std::numeric_limits<double>::infinity();
      // Equal distances go to the lower pool index.
      const bool take_left = dl < dr || (dl == dr && left >= 0 && (right >= n || order[left] < order[right]));
      const double d = take_left ? dl : dr;
      if (d > m.caliper) break;
      chosen.push_back(take_left ? order[left--] : order[right++]);
    }
    if (chosen.empty()) ++m.unmatched;
    for (std::size_t j : chosen) m.pool_weight[j] += 1.0 / static_cast<double>(chosen.size());
  }
  return m;
}

MatchedDifference matched_difference(const Matching& m, const std::vector<double>& cohort_outcome,
                                     const std::vector<double>& pool_outcome) {
  if (cohort_outcome.size() != m.matches.size() || pool_outcome.size() != m.pool_weight.size())
    throw std::invalid_argument("matched_difference: outcomes and matching differ in size");
  MatchedDifference r;
  double sum = 0.0, sum_sq = 0.0;
  for (std::size_t i = 0; i < m.matches.size(); ++i)
    if (!m.matches[i].empty()) {
      ++r.cohort_matched;
      sum += cohort_outcome[i];
      sum_sq += cohort_outcome[i] * cohort_outcome[i];
    }
  if (r.cohort_matched == 0) throw std::runtime_error("matched_difference: no cohort member has a match");
  const double n = static_cast<double>(r.cohort_matched);
  r.cohort_mean = sum / n;
  const double cohort_var = n > 1 ? (sum_sq - n * r.cohort_mean * r.cohort_mean) / (n - 1) : 0.0;
  double w = 0.0, w_sq = 0.0, wy = 0.0;
  for (std::size_t j = 0; j < pool_outcome.size(); ++j) {
    w += m.pool_weight[j];
    w_sq += m.pool_weight[j] * m.pool_weight[j];
    wy += m.pool_weight[j] * pool_outcome[j];
  }
  r.comparison_mean = wy / w;
  double pool_ss = 0.0, used = 0.0;
  for (std::size_t j = 0; j < pool_outcome.size(); ++j)
    if (m.pool_weight[j] > 0) {
      pool_ss += (pool_outcome[j] - r.comparison_mean) * (pool_outcome[j] - r.comparison_mean);
      ++used;
    }
  const double pool_var = used > 1 ? pool_ss / (used - 1) : 0.0;
  r.difference = r.cohort_mean - r.comparison_mean;
  r.standard_error = std::sqrt(cohort_var / n + w_sq * pool_var / (w * w));
  return r;
}

}  // namespace desist
