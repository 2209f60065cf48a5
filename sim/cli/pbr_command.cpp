#include "pbr_command.hpp"

#include <cstdio>
#include <iostream>
#include <sstream>

#include "desist/atomic_file.hpp"
#include "desist/contract.hpp"
#include "desist/error.hpp"
#include "desist/pbr.hpp"
#include "desist/pbr_results.hpp"
#include "interrupt.hpp"
#include "progress.hpp"

namespace desist::cli {

namespace {

std::string money(double x) {
  if (std::isnan(x)) return "n/a";
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%s£%.0f", x < 0 ? "-" : "", std::abs(x));
  return buffer;
}

std::string number(double x, const char* format = "%.3g") {
  if (std::isnan(x)) return "n/a";
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, format, x);
  return buffer;
}

std::string percent(double x) { return number(100.0 * x, "%.1f%%"); }

std::string money_range(const Spread& s) {
  return money(s.mean.mean) + " (90% of replicates " + money(s.q05) + " to " + money(s.q95) + ")";
}

std::string summary_text(const ContractEvaluation& e) {
  std::ostringstream out;
  out << "contract: " << e.contract << "\n  terms: " << e.source << "\n  " << e.replicates << " replicates, seed "
      << e.seed << "; cohorts: " << e.cohort_labels.size() << "\n";
  out << "outcome payments: expected " << money_range(e.outcome_payments) << "\n";
  out << "  median " << money(e.outcome_payments.q50) << "; probability of any payment " << percent(e.probability_any_payment)
      << "\n";
  if (!std::isnan(e.payment_day.mean.mean))
    out << "  paid on average " << number(e.payment_day.mean.mean / days_per_year, "%.1f")
        << " years after the contract starts (first payment " << number(e.first_payment_day.mean.mean / days_per_year, "%.1f")
        << " years)\n";
  out << "all payments, present value: " << money_range(e.present_value) << " (fees " << money(e.fees.mean.mean) << ")\n";
  out << "provider: delivery cost " << money(e.service_cost.mean.mean) << ", profit " << money_range(e.provider_profit)
      << "\n";
  out << "commissioner (" << e.commissioner << "): net " << money_range(e.commissioner_net) << "\n";
  out << "  savings by agency:";
  for (std::size_t a = 0; a < e.agencies.size(); ++a)
    out << " " << e.agencies[a] << " " << money(e.savings_by_agency[a].mean.mean) << (a + 1 < e.agencies.size() ? "," : "");
  out << "\n";
  out << "effects (relative improvement; measured by the contract's comparison, and true):\n";
  for (const EffectReading& r : e.effects)
    out << "  " << r.outcome << ": measured " << percent(r.measured.mean.mean) << " (90% " << percent(r.measured.q05)
        << " to " << percent(r.measured.q95) << "), true " << percent(r.truth.mean.mean) << "; bias "
        << number(100 * r.bias, "%+.2f") << " points, noise " << number(100 * r.noise, "%.2f") << " points\n";
  out << "minimum detectable effect (one cohort, one-sided test, 80% power by default):\n";
  for (const DetectableEffect& d : e.detectable)
    out << "  " << d.outcome << ": " << number(d.absolute, "%.4g") << " (" << percent(d.relative) << " of "
        << number(d.comparison_value, "%.4g") << ") at " << number(d.cohort_size, "%.0f") << " people\n";
  if (!e.power.empty()) {
    out << "power (first cohort, first outcome): size, service multiplier, true effect, simulated power, analytic, "
           "P(payment)\n";
    for (const PowerPoint& p : e.power)
      out << "  " << p.cohort_size << "  " << number(p.service_multiplier, "%.2f") << "  "
          << percent(p.true_relative_effect) << "  " << percent(p.simulated_power) << "  " << percent(p.analytic_power)
          << "  " << percent(p.probability_any_payment) << "\n";
  }
  if (!e.strategies.empty()) {
    out << "provider strategies: outcome payments, provider profit, true " << e.outcome_names.front() << " averted\n";
    for (const StrategyReading& s : e.strategies)
      out << "  " << strategy_names()[static_cast<std::size_t>(s.strategy)] << ": " << money(s.outcome_payments.mean)
          << ", " << money(s.provider_profit.mean) << ", " << number(s.true_units_averted.mean, "%.1f") << "\n";
    out << "  the contract rewards '" << e.strategy_rewarded << "'; the most true reduction comes from '"
        << e.strategy_wanted << "'\n";
  }
  const ParticipantEvaluation& p = e.participants;
  if (p.participants.replicates > 0)
    out << "participant evaluation (Justice Data Lab style, matched on " << p.covariates.size()
        << " covariates): estimated " << number(p.estimated_effect.mean, "%.4f") << ", true "
        << number(p.true_effect.mean, "%.4f") << ", bias " << number(p.bias.mean, "%+.4f") << "; significant in "
        << percent(p.probability_significant) << " of replicates\n";
  return out.str();
}

}  // namespace

void add_pbr_command(CLI::App& app, PbrCommand& c) {
  c.command = app.add_subcommand(
      "pbr", "Evaluate a Payment-by-Results contract: payments, their odds and timing, provider and commissioner "
             "positions, measured against true effect, power, gaming");
  c.command->add_option("contract", c.contract, "Contract YAML file (docs/pbr.md)")->required()->check(CLI::ExistingFile);
  c.command->add_option("--scenario", c.scenario, "Simulate this scenario instead of the contract's own")
      ->check(CLI::ExistingFile);
  c.command->add_option("--results", c.results, "Price the replicates recorded in this file (desist pbr --out) "
                                                "instead of simulating")
      ->check(CLI::ExistingFile);
  c.command->add_option("--replicates", c.replicates, "Replicates (default: the contract's evaluation.replicates)")
      ->check(CLI::Range(1, 1000000));
  c.command->add_option("--seed", c.seed, "Seed (default: the contract's, else the scenario's)");
  c.command->add_option("--threads", c.threads, "Worker threads (default: all cores); results do not depend on it")
      ->check(CLI::Range(0, 4096));
  c.command->add_option("--out", c.out, "Write the evaluation and the recorded replicates to this HDF5 file");
  c.command->add_option("--json", c.json, "Write the evaluation as JSON to this file, or - for stdout");
  c.command->add_option("--set", c.overrides, "Override a key of the contract: path.to.key=value (repeatable)");
  c.command->add_option("--scenario-set", c.scenario_overrides, "Override a key of the scenario (repeatable)");
  c.command->add_flag("--no-power", c.no_power, "Skip the power curve");
  c.command->add_flag("--no-gaming", c.no_gaming, "Skip the provider strategies");
  c.command->add_flag("--quiet", c.quiet, "No progress bar or summary");
}

int run_pbr_command(const PbrCommand& c) {
  if (!c.command || !*c.command) return -1;
  ContractInputs inputs;
  inputs.scenario_file = c.scenario;
  inputs.overrides = c.overrides;
  inputs.scenario_overrides = c.scenario_overrides;
  const Contract contract = load_contract(c.contract, inputs);

  ContractRun run;
  if (!c.results.empty()) {
    if (!c.out.empty()) throw InputError({"--out", 0, 0, ""}, "--out writes simulated replicates; with --results nothing is simulated");
    std::uint64_t seed = 0;
    run.recorded = read_contract_replicates(c.results, contract, &seed);
    run.evaluation = price_recorded(contract, run.recorded);
    run.evaluation.seed = seed;
  } else {
    ContractRunOptions options;
    options.replicates = c.replicates.value_or(0);
    options.seed = c.seed.value_or(0);
    options.seed_given = c.seed.has_value();
    options.threads = c.threads;
    options.power = !c.no_power;
    options.gaming = !c.no_gaming;
    std::atomic<std::size_t> worlds{0};
    options.worlds_done = &worlds;
    options.cancel = &interrupted;
    try {
      const StopOnSignals signals;
      ProgressBar bar(worlds, worlds_to_simulate(contract, options), !c.quiet);
      run = evaluate_contract(contract, options);
    } catch (const Cancelled&) {
      std::cerr << "interrupted: nothing written\n";
      return exit_interrupted;
    }
    if (!c.out.empty()) write_contract_hdf5(c.out, contract, run);
  }
  if (!c.json.empty()) {
    const std::string json = contract_json(run.evaluation);
    if (c.json == "-")
      std::cout << json;
    else
      write_file_atomically(c.json, json);
  }
  if (!c.quiet && c.json != "-") std::cout << summary_text(run.evaluation);
  return 0;
}

}  // namespace desist::cli
