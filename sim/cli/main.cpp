// desist: the command-line front-end.
//   desist run SCENARIO [--seed N] [--replicates N] [--threads N] [--out FILE.h5] [--json FILE|-] [--set k=v]...
//   desist compare BASE OPTION... [--seed N] [--replicates N] [--threads N] [--out FILE.h5] [--json FILE|-] [--set k=v]...
//   desist validate SCENARIO [--set k=v]...
//   desist fit PEOPLE.csv --time COL --event COL [--covariates a,b] [--model M] [--cure] [--out FRAGMENT.yaml] [--json FILE|-] ...
//   desist calibrate SCENARIO --targets TARGETS.yaml --out CALIBRATED.yaml [--seed N] [--replicates N] [--starts N] [--size N] ...
//   desist check-targets SCENARIO --targets TARGETS.yaml [--replicates N] [--json FILE|-]
//   desist predicted-vs-actual AREAS.csv [--json FILE|-]
//   desist sweep SWEEP.yaml [--out FILE.h5] [--json FILE|-] [--resume] [--threads N] [--set k=v]...
//   desist pbr CONTRACT.yaml [--scenario S.yaml] [--replicates N] [--out FILE.h5] [--json FILE|-] [--results FILE.h5]
//   desist report RESULTS.h5 -o REPORT.html [--pdf]          (the Python package's desist-report)
//   desist schema SCENARIO... [--option OPTION.yaml]... [--out FILE.md]
// Exit status: 0 success, 1 failure while running or writing, 2 input the user must correct.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <iostream>
#include <optional>

#include "desist/atomic_file.hpp"
#include "desist/error.hpp"
#include "desist/comparison.hpp"
#include "desist/experiment.hpp"
#include "desist/cohort.hpp"
#include "desist/fit.hpp"
#include "desist/option.hpp"
#include "desist/results_hdf5.hpp"
#include "desist/results_json.hpp"
#include "desist/scenario.hpp"
#include "desist/version.hpp"
#include "calibration_commands.hpp"
#include "progress.hpp"
#include "pbr_command.hpp"
#include "report_command.hpp"
#include "schema_command.hpp"
#include "sweep_command.hpp"
#include "summary_table.hpp"

namespace {

constexpr int exit_input_error = 2;

struct RunArguments {
  std::string scenario;
  std::vector<std::string> overlays;
  std::vector<std::string> options;
  std::vector<std::string> overrides;
  std::optional<std::uint64_t> seed;
  std::optional<int> replicates;
  int threads = 0;
  std::string out;
  std::string json;
  bool quiet = false;
  bool no_people = false;
};

int run(const RunArguments& a) {
  desist::Scenario scenario = desist::load_scenario(a.scenario, a.overrides, a.overlays);
  // Options put in place together: each adds its interventions.
  for (const auto& file : a.options) scenario = desist::load_option(scenario, file).scenario;
  desist::RunOptions options;
  options.seed = a.seed.value_or(scenario.seed);
  options.replicates = a.replicates.value_or(scenario.replicates);
  options.threads = a.threads;
  options.keep_people = !a.no_people && !a.out.empty();
  std::atomic<std::size_t> done{0};
  options.people_done = &done;
  desist::RunResult result;
  {
    desist::cli::ProgressBar bar(done, scenario.parameters.cohort.size * static_cast<std::size_t>(options.replicates),
                                 !a.quiet);
    result = desist::run_scenario(scenario, options);
  }
  if (!a.out.empty()) desist::write_results_hdf5(a.out, scenario, result);
  if (!a.json.empty()) {
    const std::string json = desist::results_json(scenario, result);
    if (a.json == "-")
      std::cout << json;
    else
      desist::write_file_atomically(a.json, json);
  }
  if (!a.quiet && a.json != "-") std::cout << desist::cli::summary_table(scenario, result);
  return 0;
}

struct CompareArguments {
  std::string base;
  std::vector<std::string> options;
  std::vector<std::string> overrides;
  std::optional<std::uint64_t> seed;
  int replicates = 10;
  int threads = 0;
  std::string out;
  std::string json;
  bool quiet = false;
};

int compare(const CompareArguments& a) {
  const desist::Scenario base = desist::load_scenario(a.base, a.overrides);
  std::vector<desist::Option> options;
  for (const auto& file : a.options) options.push_back(desist::load_option(base, file));
  desist::RunOptions run;
  run.seed = a.seed.value_or(base.seed);
  run.replicates = a.replicates;
  run.threads = a.threads;
  run.keep_people = false;
  std::atomic<std::size_t> done{0};
  run.people_done = &done;
  desist::ComparisonRun result;
  {
    const std::size_t total = base.parameters.cohort.size * static_cast<std::size_t>(run.replicates) * (options.size() + 1);
    desist::cli::ProgressBar bar(done, total, !a.quiet);
    result = desist::run_comparison(base, options, run);
  }
  std::vector<desist::OptionComparison> comparisons;
  for (std::size_t o = 0; o < options.size(); ++o)
    comparisons.push_back(desist::compare_option(base.parameters, result.base, options[o].name, options[o].file,
                                                 result.options[o]));
  if (!a.out.empty()) desist::write_comparison_hdf5(a.out, base, options, result, comparisons);
  if (!a.json.empty()) {
    const std::string json = desist::comparison_json(base, options, result, comparisons);
    if (a.json == "-")
      std::cout << json;
    else
      desist::write_file_atomically(a.json, json);
  }
  if (!a.quiet && a.json != "-") std::cout << desist::cli::comparison_table(base, options, result, comparisons);
  return 0;
}

struct FitArguments {
  desist::FitDataSpec data;
  std::string model = "weibull";
  std::vector<double> breaks;
  bool cure = false;
  std::string time_unit = "days";
  std::string out;
  std::string json;
  std::string command;  // as typed, for the record
};

int fit(FitArguments a) {
  a.data.time_unit = a.time_unit == "weeks"    ? desist::TimeUnit::weeks
                     : a.time_unit == "months" ? desist::TimeUnit::months
                                               : desist::TimeUnit::days;
  desist::FitModel model;
  model.model = a.model == "exponential"   ? desist::HazardModel::exponential
                : a.model == "loglogistic" ? desist::HazardModel::log_logistic
                : a.model == "piecewise"   ? desist::HazardModel::piecewise_constant
                                           : desist::HazardModel::weibull;
  model.breaks_days = a.breaks;
  model.cure = a.cure;
  const desist::SurvivalData data = desist::read_survival_data(a.data);
  const desist::FitResult result = desist::fit_hazard(data, model);
  if (a.json != "-") std::cout << desist::fit_table(result);
  if (!result.converged) {
    std::cerr << "error: the fit did not converge; nothing written\n";
    return 1;
  }
  if (!a.json.empty()) {
    const std::string json = desist::fit_json(result, a.command);
    if (a.json == "-")
      std::cout << json;
    else
      desist::write_file_atomically(a.json, json);
  }
  if (!a.out.empty()) {
    desist::write_file_atomically(a.out, desist::fit_fragment(result, a.command));
    const auto& builtin = desist::Cohort::builtin_attributes();
    for (const auto& c : result.covariates)
      if (std::find(builtin.begin(), builtin.end(), c) == builtin.end())
        std::cerr << "note: covariate '" << c
                  << "' is not a built-in person attribute: a scenario using " << a.out
                  << " needs a person file with that column\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"desist: simulate offender cohorts and the policies meant to reduce their reoffending"};
  app.set_version_flag("--version", std::string(desist::program_version()));
  app.require_subcommand(1);

  RunArguments run_args;
  CLI::App* run_cmd = app.add_subcommand("run", "Simulate a scenario and report proven reoffending and custody use");
  run_cmd->add_option("scenario", run_args.scenario, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  run_cmd->add_option("--overlay", run_args.overlays,
                      "Merge this YAML fragment into the scenario first, e.g. a fitted offending section (repeatable)")
      ->check(CLI::ExistingFile);
  run_cmd->add_option("--option", run_args.options, "Put this option's interventions in place (repeatable)")
      ->check(CLI::ExistingFile);
  run_cmd->add_option("--seed", run_args.seed, "Random seed (default: the scenario's run.seed)");
  run_cmd->add_option("--replicates", run_args.replicates, "Number of replicates (default: the scenario's run.replicates)")
      ->check(CLI::Range(1, 1000000));
  run_cmd->add_option("--threads", run_args.threads, "Worker threads (default: all cores); results do not depend on it")
      ->check(CLI::Range(0, 4096));
  run_cmd->add_option("--out", run_args.out, "Write full results to this HDF5 file (atomically)");
  run_cmd->add_option("--json", run_args.json, "Write the JSON summary to this file, or - for stdout");
  run_cmd->add_option("--set", run_args.overrides, "Override a scenario value: path.to.key=value (repeatable)");
  run_cmd->add_flag("--quiet,-q", run_args.quiet, "No summary table or progress bar");
  run_cmd->add_flag("--no-people", run_args.no_people, "Leave the per-person table out of the HDF5 file");

  CompareArguments compare_args;
  CLI::App* compare_cmd =
      app.add_subcommand("compare", "Compare commissioning options against a base scenario, with paired intervals");
  compare_cmd->add_option("base", compare_args.base, "Base scenario YAML file")->required()->check(CLI::ExistingFile);
  compare_cmd->add_option("options", compare_args.options, "Option files (scenarios/options/*.yaml)")
      ->required()
      ->check(CLI::ExistingFile);
  compare_cmd->add_option("--seed", compare_args.seed, "Random seed (default: the base scenario's run.seed)");
  compare_cmd->add_option("--replicates", compare_args.replicates, "Paired replicates (default 10)")
      ->check(CLI::Range(1, 1000000));
  compare_cmd->add_option("--threads", compare_args.threads, "Worker threads (default: all cores)")->check(CLI::Range(0, 4096));
  compare_cmd->add_option("--out", compare_args.out, "Write the base, options and comparison to this HDF5 file");
  compare_cmd->add_option("--json", compare_args.json, "Write the JSON summary to this file, or - for stdout");
  compare_cmd->add_option("--set", compare_args.overrides, "Override a base scenario value: path.to.key=value");
  compare_cmd->add_flag("--quiet,-q", compare_args.quiet, "No table or progress bar");

  std::string validate_file;
  std::vector<std::string> validate_overrides;
  CLI::App* validate_cmd = app.add_subcommand("validate", "Check a scenario without running it");
  validate_cmd->add_option("scenario", validate_file, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  validate_cmd->add_option("--set", validate_overrides, "Override a scenario value: path.to.key=value (repeatable)");

  desist::cli::CalibrationCommands calibration_cmds;  // calibrate, check-targets, predicted-vs-actual
  desist::cli::add_calibration_commands(app, calibration_cmds);
  desist::cli::SweepCommand sweep_cmd;
  desist::cli::add_sweep_command(app, sweep_cmd);
  desist::cli::PbrCommand pbr_cmd;
  desist::cli::add_pbr_command(app, pbr_cmd);
  desist::cli::ReportCommand report_cmd;
  desist::cli::add_report_command(app, report_cmd);
  desist::cli::SchemaCommand schema_cmd;
  desist::cli::add_schema_command(app, schema_cmd);

  FitArguments fit_args;
  CLI::App* fit_cmd = app.add_subcommand(
      "fit", "Fit the offending hazard to person-level data by maximum likelihood; write a scenario fragment");
  fit_cmd->add_option("people", fit_args.data.people_file, "CSV file, one row per person")
      ->required()
      ->check(CLI::ExistingFile);
  fit_cmd->add_option("--time", fit_args.data.time_column, "Column of times to the event or censoring")->required();
  fit_cmd->add_option("--event", fit_args.data.event_column, "Column of event indicators: 1 event, 0 censored")
      ->required();
  fit_cmd->add_option("--covariates", fit_args.data.covariates, "Covariate columns, separated by commas")
      ->delimiter(',');
  fit_cmd->add_option("--model", fit_args.model, "Baseline hazard (default weibull)")
      ->check(CLI::IsMember({"exponential", "weibull", "loglogistic", "piecewise"}));
  fit_cmd->add_option("--breaks", fit_args.breaks, "Piecewise model: interval starts in days, 0 first, e.g. 0,90,180,365")
      ->delimiter(',');
  fit_cmd->add_flag("--cure", fit_args.cure, "Also fit a never-reoffending share (split population)");
  fit_cmd->add_option("--time-unit", fit_args.time_unit, "Unit of the times (default days)")
      ->check(CLI::IsMember({"days", "weeks", "months"}));
  fit_cmd->add_option("--spells", fit_args.data.spells_file,
                      "CSV of (start, stop] spells per person with time-varying covariates")
      ->check(CLI::ExistingFile);
  fit_cmd->add_option("--id", fit_args.data.id_column, "Spells: column of person ids (people are numbered by row when "
                                                       "the people file lacks it)");
  fit_cmd->add_option("--start", fit_args.data.start_column, "Spells: column of spell starts");
  fit_cmd->add_option("--stop", fit_args.data.stop_column, "Spells: column of spell ends");
  fit_cmd->add_option("--out", fit_args.out, "Write an overlay fragment (offending section) for desist run --overlay");
  fit_cmd->add_option("--json", fit_args.json, "Write the estimates as JSON to this file, or - for stdout");
  for (int i = 0; i < argc; ++i) {
    std::string word = i == 0 ? std::string("desist") : std::string(argv[i]);
    if (word.find_first_of(" \t'\"") != std::string::npos) word = "'" + word + "'";
    fit_args.command += (i ? " " : "") + word;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : exit_input_error;
  }

  try {
    if (*run_cmd) return run(run_args);
    if (*compare_cmd) return compare(compare_args);
    if (const int status = desist::cli::run_calibration_commands(calibration_cmds); status >= 0) return status;
    if (const int status = desist::cli::run_sweep_command(sweep_cmd); status >= 0) return status;
    if (const int status = desist::cli::run_pbr_command(pbr_cmd); status >= 0) return status;
    if (const int status = desist::cli::run_report_command(report_cmd); status >= 0) return status;
    if (const int status = desist::cli::run_schema_command(schema_cmd); status >= 0) return status;
    if (*fit_cmd) return fit(fit_args);
    if (*validate_cmd) {
      const desist::Scenario s = desist::load_scenario(validate_file, validate_overrides);
      std::cout << validate_file << ": valid (" << s.parameters.cohort.groups.size() << " sentence groups, "
                << s.parameters.pathways.size() << " pathways, cohort of " << s.parameters.cohort.size << ")\n";
      return 0;
    }
  } catch (const desist::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return exit_input_error;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
