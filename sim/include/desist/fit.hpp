// Maximum-likelihood fit of the offending hazard to person-level data with
// right censoring (`desist fit`). The model is desist's own, so a fit is a
// simulation: h(u | x) = λ₀(u) · exp(Σ βⱼ xⱼ) with the baselines of
// baseline_hazard.hpp (u in days since the index date), optionally with a
// never-reoffending share π (split population):
//   S(u | x) = π + (1 − π) exp(−Λ₀(u) e^{βx}).
// Time-varying covariates come as spells (start, stop] per person (counting
// process form). Reference: docs/fitting.md.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "desist/parameters.hpp"

namespace desist {

enum class HazardModel : std::uint8_t { exponential = 0, weibull = 1, log_logistic = 2, piecewise_constant = 3 };
enum class TimeUnit : std::uint8_t { days = 0, weeks = 1, months = 2 };

// Days in one unit: 1, 7 or 365.25 / 12.
double days_per_unit(TimeUnit unit);

// Where the data are and which columns mean what.
struct FitDataSpec {
  std::string people_file;          // one row per person
  std::string time_column;          // time to the event or to censoring, in `time_unit`
  std::string event_column;         // 1 (or yes/true) = event at that time, 0 (no/false) = censored
  std::vector<std::string> covariates;
  TimeUnit time_unit = TimeUnit::days;
  // Counting-process spells (optional): one row per (start, stop] interval of
  // a person with that interval's covariate values. A covariate is read from
  // the spells file when it has the column, otherwise from the people file.
  std::string spells_file;
  std::string id_column;            // in the spells file; in the people file too, or people are numbered 1, 2, ... by row
  std::string start_column;
  std::string stop_column;
};

// Survival data in days, one or more spells per person (a person without a
// spells file has the one spell (0, time]).
struct SurvivalData {
  std::vector<std::string> covariates;      // names of the columns of x
  std::vector<double> start;                // days, per spell
  std::vector<double> stop;                 // days, per spell
  std::vector<std::uint8_t> event;          // per spell: 1 when the spell ends in the event (only a person's last)
  Eigen::MatrixXd x;                        // spells × covariates
  std::vector<std::size_t> person_begin;    // first spell of each person, then the number of spells
  TimeUnit time_unit = TimeUnit::days;      // of the source data (for the log-likelihood's scale)
  std::string description;                  // where the data came from, for reports

  std::size_t people() const { return person_begin.empty() ? 0 : person_begin.size() - 1; }
  std::size_t spells() const { return start.size(); }
  std::size_t events() const;
  double exposure_days() const;             // Σ (stop − start)
};

// Reads and checks the data. Throws InputError (file, line, column, column
// name) for a missing column (naming the nearest), a value that is not a
// number, a negative time, an event that is not 0/1, spells that overlap or do
// not end at the person's time, and so on.
SurvivalData read_survival_data(const FitDataSpec& spec);

// The same from values in memory (times in days; one spell per person).
SurvivalData make_survival_data(const std::vector<double>& time_days, const std::vector<int>& event,
                                const std::vector<std::string>& covariate_names = {},
                                const std::vector<std::vector<double>>& covariate_columns = {});

struct FitModel {
  HazardModel model = HazardModel::weibull;
  std::vector<double> breaks_days;  // piecewise_constant: interval starts, 0 first, increasing
  bool cure = false;                // fit never_reoffend_share
};

// One reported parameter on its natural scale. Intervals of positive
// parameters come from the log scale, of the share from the logit scale, of
// coefficients from the coefficient itself (Wald).
struct FitParameter {
  std::string name;        // first_year_hazard, shape, scale_days, rate_per_year[i], never_reoffend_share, or the covariate
  double estimate = 0.0;
  double se = 0.0;         // delta method from the unconstrained scale
  double lower = 0.0;      // 95% interval
  double upper = 0.0;
  bool covariate = false;  // log hazard ratio: hazard_ratio* are exp of estimate and interval
  double hazard_ratio = 0.0, hazard_ratio_lower = 0.0, hazard_ratio_upper = 0.0;
  double p_value = 0.0;    // covariates: two-sided Wald test of coefficient 0
  std::string note;        // e.g. "day 0-90" for a piecewise rate
};

struct FitResult {
  FitModel model;
  std::vector<std::string> covariates;
  std::vector<FitParameter> parameters;  // baseline, then never_reoffend_share (cure), then covariates
  Eigen::VectorXd theta;                 // unconstrained estimates: log baseline terms, logit π, β
  Eigen::MatrixXd covariance;            // of theta: inverse observed information
  double log_likelihood = 0.0;           // densities per unit of the data's time (comparable with other software)
  double aic = 0.0;
  std::size_t people = 0, spells = 0, events = 0;
  double exposure_days = 0.0;
  TimeUnit time_unit = TimeUnit::days;
  int iterations = 0;
  bool converged = false;
  std::vector<std::string> warnings;
  std::string description;               // of the data

  const FitParameter& parameter(const std::string& name) const;  // throws std::out_of_range
  // The fitted hazard as desist parameters: baseline, never_reoffend_share,
  // covariates (centre 0), no frailty.
  OffendingParameters offending() const;
};

// Fits by Newton–Raphson (line search, Levenberg damping where the Hessian is
// not negative definite) on the unconstrained parameters with analytic
// gradients; standard errors from the numerical Hessian of the gradient.
// Covariates are standardised internally and the estimates transformed back.
// Throws InputError for a model the data cannot identify (a constant
// covariate, a piecewise interval with no events, no events at all, ...).
FitResult fit_hazard(const SurvivalData& data, const FitModel& model);

// Log-likelihood (in days) and its gradient at unconstrained parameters θ, in
// the order of FitResult::theta (exposed for tests).
double fit_log_likelihood(const SurvivalData& data, const FitModel& model, const Eigen::VectorXd& theta,
                          Eigen::VectorXd* gradient = nullptr);

// Readable table of the estimates.
std::string fit_table(const FitResult& r);
// JSON object with the model, data summary and estimates.
std::string fit_json(const FitResult& r, const std::string& command);
// An overlay fragment for `desist run SCENARIO --overlay FILE`: the
// `offending` section's baseline, covariates ({coefficient, centre: 0}),
// never_reoffend_share and frailty_variance (0), each with its SE in a comment
// and a header naming the data and `command`.
std::string fit_fragment(const FitResult& r, const std::string& command);

const char* to_string(HazardModel m);
const char* to_string(TimeUnit u);

}  // namespace desist
