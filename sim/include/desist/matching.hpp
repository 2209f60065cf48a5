// Propensity-score matching, for comparison groups drawn from a pool of
// people who did not receive a service (payment by results, evaluations in
// the style of the Justice Data Lab). The score is a logistic regression of
// "in the cohort" on observed covariates; each cohort member is matched to the
// nearest pool members on the logit of the score, within a caliper.
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace desist {

struct LogisticFit {
  Eigen::VectorXd coefficients;     // intercept first, then one per column of the covariates
  Eigen::VectorXd standard_errors;  // from the inverse of the observed information
  int iterations = 0;
};

// Maximum likelihood by Newton–Raphson (iteratively reweighted least squares)
// with step halving. `covariates` is n × k without an intercept column (one is
// added); `outcome[i]` is 0 or 1. Throws std::invalid_argument on mismatched
// sizes, and std::runtime_error when the information matrix is singular or the
// fit does not converge (e.g. perfect separation: a covariate predicts
// membership exactly, so no comparison group can be matched on it).
LogisticFit fit_logistic(const Eigen::MatrixXd& covariates, const std::vector<std::uint8_t>& outcome);

// The linear predictor (the logit of the score) of each row.
Eigen::VectorXd logistic_logit(const LogisticFit& fit, const Eigen::MatrixXd& covariates);

struct MatchOptions {
  int ratio = 1;             // pool members per cohort member (k:1)
  double caliper_sd = 0.2;   // the widest match, in standard deviations of the logit over everyone (Austin 2011); ≤ 0: none
};

// Nearest-neighbour matching with replacement: a pool member may serve
// several cohort members. Distances tie to the lower pool index, so the
// result depends only on the inputs.
struct Matching {
  std::vector<std::vector<std::size_t>> matches;  // per cohort member: pool indices, nearest first
  std::vector<double> pool_weight;                // per pool member: Σ over its matches of 1 / (matches of that cohort member)
  std::size_t unmatched = 0;                      // cohort members with no pool member inside the caliper
  double caliper = 0.0;                           // on the logit scale (∞ when none)
};
Matching match_nearest(const Eigen::VectorXd& cohort_logit, const Eigen::VectorXd& pool_logit, const MatchOptions& options);

// The effect on the treated of a matched comparison: mean outcome of the
// matched cohort members minus the weighted mean of their matches, and its
// standard error treating the weights as fixed (Var = s²_cohort/n + Σw²·s²_pool/(Σw)²).
struct MatchedDifference {
  double cohort_mean = 0.0, comparison_mean = 0.0, difference = 0.0, standard_error = 0.0;
  std::size_t cohort_matched = 0;
};
MatchedDifference matched_difference(const Matching& m, const std::vector<double>& cohort_outcome,
                                     const std::vector<double>& pool_outcome);

}  // namespace desist
