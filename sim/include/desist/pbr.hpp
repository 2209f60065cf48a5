// Evaluating a Payment-by-Results contract on simulated cohorts (docs/pbr.md).
//
// Each replicate's two worlds (contract_run.hpp) are priced as the contract
// would price them: cohorts formed from the eligible people as they are
// indexed, each outcome measured on the cohort in the world with the service
// and set against the contract's comparison (a fixed baseline, a matched or a
// randomised comparison group), then the payment rules (payment.hpp). Beside
// what the contract sees, the true effect: the same people in the world
// without the service. Over replicates this gives the payment distribution,
// its timing, the provider's profit and loss, the commissioner's position,
// the bias and noise of the comparison method, the minimum detectable effect
// and a power curve, what each provider strategy earns (gaming), and how a
// Justice-Data-Lab-style evaluation of participants would read the service.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "desist/contract.hpp"
#include "desist/contract_run.hpp"
#include "desist/payment.hpp"
#include "desist/statistics.hpp"

namespace desist {

// The people of one cohort (cohort indices, in index-date order).
struct ContractCohort {
  std::string label;
  double open_day = 0.0, close_day = 0.0;  // index dates it takes, cohort days
  std::vector<std::uint32_t> people;
};

// Cohorts of a replicate by the contract's rule; `size` > 0 closes them by
// that size instead (the power curve). Throws InputError (at the contract's
// cohorts.close) when the scenario indexes too few eligible people.
std::vector<ContractCohort> form_cohorts(const Contract& c, const Cohort& cohort, std::size_t size = 0);

// One replicate as the contract prices it.
struct ReplicatePricing {
  std::vector<ContractCohort> cohorts;
  OutcomeTables tables;  // what the contract sees, by outcome name
  // [outcome][cohort]: improvement (comparison − measured) as the contract
  // measures it, and the true one (the same people without the service − with it).
  std::vector<std::vector<double>> measured_improvement, true_improvement;
  std::vector<std::vector<double>> true_relative_improvement;  // true improvement / the cohort's value without the service
  PaymentSchedule schedule;
  double service_cost = 0.0;
  double provider_profit = 0.0;   // payments (present value, fees included) − delivery cost
  double commissioner_net = 0.0;  // the commissioner's savings − what it pays (present value)
  std::vector<double> savings_by_agency;
};

ReplicatePricing price_replicate(const Contract& c, const ContractReplicate& r, std::size_t cohort_size = 0);

// A quantity that varies across replicates: the mean with the 95% interval of
// that mean, and the spread of single replicates (what one contract may see).
struct Spread {
  Estimate mean;
  double q05 = 0.0, q25 = 0.0, q50 = 0.0, q75 = 0.0, q95 = 0.0;
};
Spread spread(std::vector<double> values);

// Per outcome, over cohorts and replicates: the improvement the contract
// measures against the true one, both relative to the comparison.
struct EffectReading {
  std::string outcome;
  Spread measured, truth;
  double bias = 0.0;   // mean of measured − true
  double noise = 0.0;  // standard deviation of measured − true
};

// The minimum detectable effect of an outcome for one cohort of the contract's
// size: (z(1 − level) + z(target)) × the standard error of the improvement.
struct DetectableEffect {
  std::string outcome;
  double cohort_size = 0.0;
  double comparison_value = 0.0;  // mean comparison value, to state the effect relative to it
  double standard_error = 0.0;    // of the improvement, one cohort
  double absolute = 0.0;
  double relative = 0.0;
};

struct PowerPoint {
  std::size_t cohort_size = 0;
  double service_multiplier = 1.0;
  double true_relative_effect = 0.0;   // mean over replicates, first cohort, first outcome
  double standard_error = 0.0;         // mean over replicates of the improvement's standard error
  double simulated_power = 0.0;        // share of replicates whose first cohort passes a one-sided z test at `level`
  double analytic_power = 0.0;         // Φ(mean true improvement / standard error − z(1 − level))
  double probability_any_payment = 0.0;
  double expected_payment = 0.0;       // outcome payments, nominal
};

struct StrategyReading {
  Strategy strategy = Strategy::as_written;
  double probability_any_payment = 0.0;
  Estimate outcome_payments, provider_profit, service_cost, commissioner_net;
  Estimate true_units_averted;  // the first outcome's true improvement × denominators, summed over cohorts
};

// A Justice-Data-Lab-style evaluation: participants (people who started the
// service) against non-participants matched on observed covariates, on the
// first outcome, set against the participants' true effect.
struct ParticipantEvaluation {
  Estimate participants;
  Estimate estimated_effect;  // matched non-participants − participants (an improvement)
  Estimate true_effect;       // participants without the service − with it
  Estimate bias;              // estimated − true
  double probability_significant = 0.0;  // share of replicates finding a reduction at 5% (two-sided)
  std::vector<std::string> covariates;
};

struct ContractEvaluation {
  std::string contract, source, file;
  std::uint64_t seed = 0;
  int replicates = 0;
  std::vector<std::string> outcome_names;
  std::vector<std::string> cohort_labels;
  // Outcome payments (net of deductions, nominal), and the whole schedule's present value.
  Spread outcome_payments, present_value;
  double probability_any_payment = 0.0;
  Spread payment_day;        // payment-weighted mean due day of outcome payments (replicates that pay)
  Spread first_payment_day;  // of the first outcome payment (replicates that pay)
  Spread fees, service_cost, provider_profit, commissioner_net;
  std::string commissioner;
  std::vector<std::string> agencies;
  std::vector<Spread> savings_by_agency;
  std::vector<EffectReading> effects;
  std::vector<DetectableEffect> detectable;
  std::vector<PowerPoint> power;
  std::vector<StrategyReading> strategies;
  std::string strategy_rewarded;  // the most provider profit
  std::string strategy_wanted;    // the most true reduction
  ParticipantEvaluation participants;
  // Per replicate, for files and plots.
  std::vector<double> replicate_outcome_payments, replicate_present_value, replicate_provider_profit;
};

// Summaries of priced replicates (they are also what `desist pbr --results` reads back).
ContractEvaluation summarise(const Contract& c, const std::vector<ContractReplicate>& recorded,
                             const std::vector<ReplicatePricing>& priced);

struct ContractRunOptions {
  int replicates = 0;  // 0: the contract's evaluation.replicates
  std::uint64_t seed = 0;
  bool seed_given = false;
  int threads = 0;     // 0: all hardware threads
  bool power = true;   // the power curve (one extra world per multiplier and replicate)
  bool gaming = true;  // the strategies (one extra world per strategy and replicate)
  std::atomic<std::size_t>* worlds_done = nullptr;  // progress: simulated worlds
  const std::atomic<bool>* cancel = nullptr;
};

// How many worlds a run simulates (for progress bars).
std::size_t worlds_to_simulate(const Contract& c, const ContractRunOptions& options);

struct ContractRun {
  std::vector<ContractReplicate> recorded;  // the contract's own service, per replicate
  ContractEvaluation evaluation;
};

ContractRun evaluate_contract(const Contract& c, const ContractRunOptions& options);

// Prices recorded replicates (the contract's outcome definitions must be among
// those recorded: same measure and windows) without simulating: no power
// curve or strategies. Throws InputError naming a missing outcome.
ContractEvaluation price_recorded(const Contract& c, const std::vector<ContractReplicate>& recorded);

}  // namespace desist
