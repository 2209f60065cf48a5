// Calibration to published statistics: a targets file (measures with observed
// values, standard errors and sources; free scenario parameters with bounds),
// the objective Σ ((simulated − observed) / se)² evaluated on common random
// numbers, a multi-start Nelder–Mead search on box-transformed parameters, and
// the scenario rewritten in place with the fitted values. Reference:
// docs/calibration.md.
#pragma once

#include <Eigen/Core>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "desist/error.hpp"
#include "desist/experiment.hpp"
#include "desist/scenario.hpp"
#include "desist/statistics.hpp"

namespace desist {

// ---- the targets file ---------------------------------------------------------

enum class TargetMeasure {
  binary_rate,
  reoffences_per_offender,
  reoffences_per_reoffender,
  conviction_events_per_offender,
  custody_days_per_offender,
  recalls_per_offender,
  rate_at_day,         // share with a first proven reoffence by `day` (1 − Kaplan–Meier), whole cohort
  custody_population,  // average number in custody: mean over months, or one month; whole cohort
};

// The names a targets file uses, in the order of TargetMeasure.
const std::vector<std::string>& target_measure_names();
const std::string& to_string(TargetMeasure m);
// Rates are shown as percentages in tables.
bool is_rate(TargetMeasure m);

struct CalibrationTarget {
  std::string label;                    // `name`, or made from the measure and group
  TargetMeasure measure = TargetMeasure::binary_rate;
  int day = 0;                          // rate_at_day: day of follow-up
  int month = 0;                        // custody_population: 1-based month, 0 for the mean over months
  std::string dimension;                // "" for the whole cohort; else one of breakdown_dimensions()
  std::vector<std::string> categories;  // pooled by people-weighted totals
  double observed = 0.0;
  double se = 1.0;                      // the residual's scale: `se`, or 1/√`weight`
  std::string source;
  SourceLocation where;                 // of the target in its file
  std::vector<SourceLocation> category_where;  // of each category
  SourceLocation day_where;
  SourceLocation month_where;
};

struct CalibrationParameter {
  std::vector<std::string> keys;  // scenario key paths (as --set takes); several are tied to one value
  double lower = 0.0;
  double upper = 1.0;
  bool log_scale = false;         // search on the log scale (lower > 0)
  SourceLocation where;
  std::string label() const;      // the key, or "key (+ n tied)"
};

struct CalibrationTargets {
  std::string file;
  std::vector<CalibrationTarget> targets;
  std::vector<CalibrationParameter> parameters;
};

// Reads and checks a targets file; throws InputError with file:line:column,
// key path and the nearest valid key or word.
CalibrationTargets load_calibration_targets(const std::string& path);
CalibrationTargets parse_calibration_targets(const std::string& text, const std::string& name);

// ---- simulated values of targets ----------------------------------------------

struct TargetFit {
  const CalibrationTarget* target = nullptr;
  Estimate simulated;   // over replicates (interval NaN with one)
  double residual = 0;  // (simulated mean − observed) / se
};

// Checks the targets' groups, categories, days and months against a scenario;
// throws InputError located in the targets file.
void check_targets(const CalibrationTargets& targets, const Parameters& p);
// The value of each target in a run. `scale` multiplies custody_population
// (the scenario's cohort size over the size run).
std::vector<TargetFit> fit_targets(const CalibrationTargets& targets, const RunResult& run, double scale = 1.0);
double objective(const std::vector<TargetFit>& fit);

// Runs `scenario` with `options` and compares it with every target.
std::vector<TargetFit> evaluate_targets(const CalibrationTargets& targets, const Scenario& scenario,
                                        const RunOptions& options);

// ---- the optimiser --------------------------------------------------------------

struct SearchResult {
  Eigen::VectorXd x;
  double value = 0.0;
  int evaluations = 0;
  bool converged = false;  // stopped by the tolerances rather than the evaluation budget
};

// Levenberg–Marquardt minimisation of ‖r(x)‖² from `start`. The Jacobian is
// taken by forward differences of a fixed `step` (on a simulation objective a
// step near machine precision sees only the discreteness of counts; a step of
// a few per cent of the search scale sees the trend). Each iteration costs
// one evaluation per parameter plus one per trial step; no step moves a
// coordinate by more than `max_move` (a trust region). Stops when an accepted
// step lowers the objective by no more than `f_tolerance` (absolute: the
// objective is a sum of squared standardised residuals), when no step lowers
// it (damping past 1e8), or after `max_evaluations`.
SearchResult minimise_least_squares(const std::function<Eigen::VectorXd(const Eigen::VectorXd&)>& residuals,
                                    const Eigen::VectorXd& start, double step, int max_evaluations,
                                    double f_tolerance = 1e-6, double max_move = 1.0);

// Nelder–Mead minimisation (adaptive coefficients of Gao and Han 2012) from
// `start`, with an initial simplex of `step` along each axis. Stops when the
// objective values of the simplex lie within `f_tolerance` (absolute) plus
// `f_tolerance` × |best| and every vertex is within `x_tolerance` of the best
// on each axis, or after `max_evaluations`.
SearchResult minimise_simplex(const std::function<double(const Eigen::VectorXd&)>& f, const Eigen::VectorXd& start,
                               double step, int max_evaluations, double f_tolerance = 1e-4,
                               double x_tolerance = 1e-4);

// Box transform: the search runs on u ∈ ℝ, x = lower + (upper − lower)·logistic(u)
// (on ln x for log-scale parameters).
double from_search_scale(const CalibrationParameter& p, double u);
double to_search_scale(const CalibrationParameter& p, double x);

// ---- calibration ------------------------------------------------------------------

struct CalibrationProgress {
  int start = 0;            // 1-based
  int starts = 0;
  int evaluations = 0;      // in all starts so far
  double objective = 0.0;   // of the latest evaluation
  double best = 0.0;        // over all starts so far
  double start_best = 0.0;  // in this start
};

enum class CalibrationMethod {
  levenberg_marquardt,  // default: the objective is a sum of squares; ~n + 1 evaluations an iteration
  nelder_mead,          // derivative-free simplex search, with one restart where it stops
};

struct CalibrationOptions {
  CalibrationMethod method = CalibrationMethod::levenberg_marquardt;
  std::optional<std::uint64_t> seed;  // default: the scenario's run.seed
  int replicates = 1;                 // averaged in each evaluation
  int starts = 1;                     // the first at the scenario's values, the others a Latin hypercube
  std::optional<std::size_t> size;    // cohort size of each evaluation (default: the scenario's)
  int threads = 0;
  int max_evaluations = 400;          // per start
  double step = 0.05;                 // Levenberg–Marquardt: forward-difference step on the search scale
  double tolerance = 0.01;            // Levenberg–Marquardt: stop when a step lowers the objective by no more;
                                      // Nelder–Mead: when the simplex's objective values lie within
                                      // tolerance × (1 + best) and its vertices within tolerance on the search scale
  int digits = 4;                     // significant digits of the values written
  int check_replicates = 0;           // > 0: rerun the result at the scenario's own size with these replicates
  std::string command;                // how it was run, for the comment on each rewritten line
  std::function<void(const CalibrationProgress&)> progress;
  const std::atomic<bool>* cancel = nullptr;
};

struct CalibrationStart {
  std::vector<double> initial;
  std::vector<double> values;  // best of this start
  double objective = 0.0;
  int evaluations = 0;
  bool converged = false;
};

struct CalibrationResult {
  std::uint64_t seed = 0;
  std::size_t size = 0;           // of each evaluation
  std::size_t scenario_size = 0;  // the scenario's own
  int replicates = 1;
  std::vector<double> initial;    // the scenario's values
  double initial_objective = 0.0;
  std::vector<double> values;     // best, rounded to the digits written
  double objective = 0.0;         // at the rounded values
  int evaluations = 0;
  double seconds = 0.0;
  std::vector<CalibrationStart> starts;
  std::vector<TargetFit> initial_fit;  // at the scenario's values
  std::vector<TargetFit> fit;          // at the result, calibration settings
  std::vector<TargetFit> check;        // at the result, the scenario's own size (check_replicates > 0)
  int check_replicates = 0;
  std::string text;                    // the calibrated scenario (write it with write_file_atomically)
};

// Calibrates the scenario in `scenario_text` (read from `scenario_file`).
CalibrationResult calibrate(const std::string& scenario_text, const std::string& scenario_file,
                            const CalibrationTargets& targets, const CalibrationOptions& options);
CalibrationResult calibrate_file(const std::string& scenario_file, const CalibrationTargets& targets,
                                 const CalibrationOptions& options);

// The scenario text with each parameter's scalar replaced in place (its line
// and column from the parsed document's marks), every comment kept, and
// "# <note>" appended to each changed line (replacing an earlier
// "# calibrated: ..." there). `values` are written with `digits` significant
// digits; a note containing "{value}" has it replaced by the value(s) on that line.
std::string rewrite_scenario_values(const std::string& text, const std::string& name,
                                    const std::vector<CalibrationParameter>& parameters,
                                    const std::vector<double>& values, int digits, const std::string& note);
// The shortest decimal of `x` with `digits` significant digits.
std::string format_value(double x, int digits);
// The current value of a scenario key (a number in the file); throws InputError at `where`.
double scenario_value(const std::string& text, const std::string& name, const std::string& key,
                      const SourceLocation& where);

// Readable tables of a fit.
std::string target_fit_table(const std::vector<TargetFit>& fit, const std::string& title);
std::string parameter_table(const CalibrationTargets& targets, const CalibrationResult& result);
// JSON of a fit: one object per target (label, measure, group, observed, se,
// simulated with its interval, residual, within tolerance, source).
std::string target_fit_json(const std::vector<TargetFit>& fit, const std::string& scenario_file,
                     const std::string& targets_file, std::uint64_t seed, std::size_t size, int replicates);

}  // namespace desist
