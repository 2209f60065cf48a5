#include "calibration_commands.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <limits>

#include "desist/atomic_file.hpp"
#include "desist/calibration.hpp"
#include "desist/prediction.hpp"
#include "desist/scenario.hpp"

namespace desist::cli {

void add_calibration_commands(CLI::App& app, CalibrationCommands& c) {
  c.calibrate = app.add_subcommand(
      "calibrate", "Fit scenario parameters to published statistics; write the scenario with the fitted values");
  c.calibrate->add_option("scenario", c.scenario, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  c.calibrate->add_option("--targets", c.targets, "Targets file (observed values, standard errors, free parameters)")
      ->required()
      ->check(CLI::ExistingFile);
  c.calibrate->add_option("--out", c.out, "Write the calibrated scenario here (atomically; may be SCENARIO itself)")
      ->required();
  c.calibrate->add_option("--seed", c.seed, "Seed of every evaluation (default: the scenario's run.seed)");
  c.calibrate->add_option("--replicates", c.replicates, "Replicates averaged in each evaluation (default 1)")
      ->check(CLI::Range(1, 1000));
  c.calibrate->add_option("--starts", c.starts,
                          "Optimiser starts: the scenario's values, then points of a Latin hypercube in the bounds (default 1)")
      ->check(CLI::Range(1, 1000));
  c.calibrate->add_option("--size", c.size, "Cohort size of each evaluation (default: the scenario's)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}));
  c.calibrate->add_option("--threads", c.threads, "Worker threads (default: all cores); results do not depend on it")
      ->check(CLI::Range(0, 4096));
  c.calibrate->add_option("--max-evaluations", c.max_evaluations, "Evaluations allowed per start (default 400)")
      ->check(CLI::Range(1, 1'000'000));
  c.calibrate->add_option("--method", c.method,
                          "Optimiser: lm (Levenberg-Marquardt, default) or nelder-mead")
      ->check(CLI::IsMember({"lm", "nelder-mead"}));
  c.calibrate->add_option("--digits", c.digits, "Significant digits of the values written (default 4)")
      ->check(CLI::Range(1, 17));
  c.calibrate->add_option("--step", c.step,
                          "Levenberg-Marquardt: forward-difference step on the search scale (default 0.05)")
      ->check(CLI::Range(1e-6, 1.0));
  c.calibrate->add_option("--tolerance", c.tolerance,
                          "Stop a start when a Levenberg-Marquardt step gains no more than this, or the Nelder-Mead "
                          "simplex's objective values agree within it relative to 1 + best (default 0.01)")
      ->check(CLI::Range(1e-9, 1.0));
  c.calibrate->add_option("--check-replicates", c.check_replicates,
                          "Then run the result at the scenario's own size with this many replicates and show its fit")
      ->check(CLI::Range(0, 1000));
  c.calibrate->add_option("--json", c.json, "Write the final fit as JSON to this file, or - for stdout");
  c.calibrate->add_flag("--quiet,-q", c.quiet, "No progress or tables");

  c.check = app.add_subcommand("check-targets", "Compare a scenario with calibration targets, without fitting");
  c.check->add_option("scenario", c.scenario, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  c.check->add_option("--targets", c.targets, "Targets file")->required()->check(CLI::ExistingFile);
  c.check->add_option("--seed", c.seed, "Random seed (default: the scenario's run.seed)");
  c.check->add_option("--replicates", c.replicates, "Replicates (default: the scenario's run.replicates)")
      ->check(CLI::Range(1, 1000000));
  c.check->add_option("--threads", c.threads, "Worker threads (default: all cores)")->check(CLI::Range(0, 4096));
  c.check->add_option("--set", c.overrides, "Override a scenario value: path.to.key=value (repeatable)");
  c.check->add_option("--json", c.json, "Write the fit as JSON to this file, or - for stdout");

  c.predicted = app.add_subcommand(
      "predicted-vs-actual", "Compare actual with predicted reoffending rates by area, against the range chance gives");
  c.predicted->add_option("areas", c.areas, "CSV: area, cohort_size, predicted_rate, actual_rate")
      ->required()
      ->check(CLI::ExistingFile);
  c.predicted->add_option("--level", c.level, "Coverage of the range from chance (default 0.95)")
      ->check(CLI::Range(0.5, 0.9999));
  c.predicted->add_option("--json", c.json, "Write the comparison as JSON to this file, or - for stdout");
}

namespace {

void write_json(const std::string& where, const std::string& json) {
  if (where.empty()) return;
  if (where == "-")
    std::cout << json;
  else
    write_file_atomically(where, json);
}

int calibrate(const CalibrationCommands& c) {
  const CalibrationTargets targets = load_calibration_targets(c.targets);
  CalibrationOptions o;
  o.seed = c.seed;
  o.replicates = c.replicates.value_or(1);
  o.starts = c.starts;
  o.size = c.size;
  o.threads = c.threads;
  o.max_evaluations = c.max_evaluations;
  o.tolerance = c.tolerance;
  o.method = c.method == "nelder-mead" ? CalibrationMethod::nelder_mead : CalibrationMethod::levenberg_marquardt;
  o.step = c.step;
  o.digits = c.digits;
  o.check_replicates = c.check_replicates;
  const auto started = std::chrono::steady_clock::now();
  if (!c.quiet) {
    o.progress = [started, last = 0.0, start = 0](const CalibrationProgress& p) mutable {
      if (p.start != start) {
        start = p.start;
        last = std::numeric_limits<double>::infinity();
      }
      if (p.start_best < last || p.evaluations % 10 == 0) {
        const std::chrono::duration<double> t = std::chrono::steady_clock::now() - started;
        std::fprintf(stderr,
                     "calibrate: start %d/%d  evaluation %d  objective %.4g  best of this start %.4g, of all %.4g  (%.0f s)\n",
                     p.start, p.starts, p.evaluations, p.objective, p.start_best, p.best, t.count());
        last = p.start_best;
      }
    };
  }
  const CalibrationResult r = calibrate_file(c.scenario, targets, o);
  write_file_atomically(c.out, r.text);
  const bool json_to_stdout = c.json == "-";
  if (!c.quiet && !json_to_stdout) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "desist calibrate: %zu parameters, %zu targets; seed %llu, cohort of %zu, %d replicate%s per "
                  "evaluation; %d evaluations in %.0f s\n",
                  targets.parameters.size(), targets.targets.size(), static_cast<unsigned long long>(r.seed), r.size,
                  r.replicates, r.replicates == 1 ? "" : "s", r.evaluations, r.seconds);
    std::cout << line << "\n" << parameter_table(targets, r) << "\n";
    for (std::size_t s = 0; s < r.starts.size(); ++s) {
      std::string from;
      for (double x : r.starts[s].initial) from += (from.empty() ? "" : ", ") + format_value(x, 4);
      std::snprintf(line, sizeof line, ": objective %.4g after %d evaluations%s\n", r.starts[s].objective,
                    r.starts[s].evaluations, r.starts[s].converged ? "" : " (budget spent)");
      std::cout << "  start " << s + 1 << (s == 0 ? " (the scenario's values)" : " (Latin hypercube)") << " from " << from
                << line;
    }
    std::cout << "\n"
              << target_fit_table(r.initial_fit, "fit of the scenario as it was (cohort of " + std::to_string(r.size) + ")")
              << "\n"
              << target_fit_table(r.fit, "fit of the calibrated scenario (cohort of " + std::to_string(r.size) + ")");
    if (!r.check.empty())
      std::cout << "\n"
                << target_fit_table(r.check, "check at the scenario's own size (cohort of " +
                                                 std::to_string(r.scenario_size) + ", " +
                                                 std::to_string(r.check_replicates) + " replicates)");
    std::cout << "\nwrote " << c.out << "\n";
  }
  if (!r.check.empty())
    write_json(c.json, target_fit_json(r.check, c.out, c.targets, r.seed, r.scenario_size, r.check_replicates));
  else
    write_json(c.json, target_fit_json(r.fit, c.out, c.targets, r.seed, r.size, r.replicates));
  return 0;
}

int check(const CalibrationCommands& c) {
  const CalibrationTargets targets = load_calibration_targets(c.targets);
  const Scenario s = load_scenario(c.scenario, c.overrides);
  RunOptions o;
  o.seed = c.seed.value_or(s.seed);
  o.replicates = c.replicates.value_or(s.replicates);
  o.threads = c.threads;
  const std::vector<TargetFit> fit = evaluate_targets(targets, s, o);
  if (c.json != "-")
    std::cout << target_fit_table(fit, c.scenario + " against " + c.targets + " (seed " + std::to_string(o.seed) +
                                           ", cohort of " + std::to_string(s.parameters.cohort.size) + ", " +
                                           std::to_string(o.replicates) + " replicate" +
                                           (o.replicates == 1 ? "" : "s") + ")");
  write_json(c.json, target_fit_json(fit, c.scenario, c.targets, o.seed, s.parameters.cohort.size, o.replicates));
  return 0;
}

int predicted_vs_actual(const CalibrationCommands& c) {
  const PredictionComparison p = load_predicted_vs_actual(c.areas, c.level);
  if (c.json != "-") std::cout << prediction_table(p);
  write_json(c.json, prediction_json(p));
  return 0;
}

}  // namespace

int run_calibration_commands(const CalibrationCommands& c) {
  if (c.calibrate && *c.calibrate) return calibrate(c);
  if (c.check && *c.check) return check(c);
  if (c.predicted && *c.predicted) return predicted_vs_actual(c);
  return -1;
}

}  // namespace desist::cli
