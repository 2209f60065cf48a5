// A Payment-by-Results contract as data (docs/pbr.md): the world it is let in
// (a scenario, and the provider's service as an option on it), who counts in
// its cohorts and when each closes, the outcome measures with their windows,
// the comparison the results are judged against, the payment terms, and how
// to evaluate it. The real schemes differed in exactly these details, so none
// of them is code.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "desist/contract_outcomes.hpp"
#include "desist/matching.hpp"
#include "desist/option.hpp"
#include "desist/contract_payments.hpp"
#include "desist/payment.hpp"
#include "desist/scenario.hpp"

namespace desist {

// Who counts, and how people are grouped into cohorts. Everyone eligible at
// their index date counts, whether or not they engage with the service.
struct CohortRule {
  Eligibility eligible;
  bool close_by_size = true;   // a cohort closes when it has `size` people ...
  std::size_t size = 0;
  double period_days = 0.0;    // ... or at the end of each period of index dates
  int count = 1;               // cohorts in the contract
  double first_index_day = 0.0;// cohort day on which the first cohort opens
};

enum class ComparisonMethod : std::uint8_t {
  baseline = 0,        // a fixed historical rate, optionally adjusted for case mix
  matched = 1,         // a propensity-matched group from a pool without the service
  randomised = 2,      // a control group the service did not take (an area randomised out)
  counterfactual = 3,  // the same people without the service (common random numbers): the modeller's view only
};
const std::vector<std::string>& comparison_method_names();

// How a fixed baseline follows a change in who is in the cohort: by the ratio
// or the difference of the cohort's mean OGRS3 prediction to the baseline cohort's.
enum class CaseMix : std::uint8_t { none = 0, ogrs_ratio = 1, ogrs_difference = 2 };

enum class PoolWeighting : std::uint8_t {
  nearest = 0,  // k:1 nearest neighbours with replacement within a caliper
  odds = 1,     // every pool member weighted by the odds of its score (the effect on the treated)
};

struct ComparisonRule {
  ComparisonMethod method = ComparisonMethod::counterfactual;
  // baseline: per outcome (in the order of Contract::outcomes)
  std::vector<double> baseline_value, baseline_standard_error;
  CaseMix case_mix = CaseMix::none;
  double baseline_predicted = 0.0;  // mean OGRS3 two-year prediction of the baseline cohort
  // matched and randomised: the pool is the cohort's eligibility with these areas instead
  std::vector<std::uint8_t> pool_areas;
  // matched
  std::vector<std::string> covariates;  // observed attributes (Cohort::builtin_attributes())
  MatchOptions matching;
  PoolWeighting weighting = PoolWeighting::nearest;
};

// Provider strategies that the gaming analysis tries, each a change to the service.
enum class Strategy : std::uint8_t {
  as_written = 0,        // the service as the option file has it
  first_come = 1,        // places in referral order
  highest_risk = 2,      // places to the highest OGRS3 first
  lowest_risk = 3,       // places to the lowest OGRS3 first (creaming)
  random = 4,            // places by lot
  park_hardest = 5,      // the riskiest quarter of the eligible are not taken on (parking)
  stop_when_unreachable = 6,  // work stops after the first cohort when its result misses the threshold
};
const std::vector<std::string>& strategy_names();

struct EvaluationSettings {
  int replicates = 20;
  std::uint64_t seed = 1;
  bool seed_given = false;                   // otherwise the scenario's seed
  std::vector<std::size_t> power_cohort_sizes;   // people per cohort for the power curve
  std::vector<double> power_service_multipliers; // offending multipliers of the service for the power curve
  std::vector<Strategy> strategies;          // gaming analysis (empty: none)
  double power_level = 0.05;                 // one-sided test level of the minimum detectable effect
  double power_target = 0.8;                 // power of the minimum detectable effect
};

struct Contract {
  std::string file;
  std::string name;
  std::string source;     // the published terms it follows
  std::string commissioner;  // the agency that pays (an agency of the scenario's economics)
  std::string text;       // the contract file as read
  Scenario scenario;      // the world without the service
  Option service;         // the world with it
  CohortRule cohort;
  std::vector<OutcomeDefinition> outcomes;
  ComparisonRule comparison;
  PaymentTerms payments;
  EvaluationSettings evaluation;
  // Where keys that can only be found wrong once people are simulated were
  // written ("cohorts.close", "comparison.pool_areas", ...), for located errors.
  std::map<std::string, SourceLocation> locations;

  int outcome_index(const std::string& name) const;  // -1 if none
  // Intervention indices of the service in service.scenario.parameters (those the option added).
  std::vector<std::size_t> service_interventions() const;
};

struct ContractInputs {
  std::string scenario_file;             // instead of the contract's own (desist pbr --scenario)
  std::vector<std::string> overrides;    // "path=value" on the contract file's keys
  std::vector<std::string> scenario_overrides;  // "path=value" on the scenario, after the contract's own `set`
};

// Reads and checks a contract. Throws InputError (file, line, key) for
// anything wrong, including a scenario too small or too short for the cohorts.
Contract load_contract(const std::string& path, const ContractInputs& inputs = {});
Contract parse_contract(const std::string& text, const std::string& file, const ContractInputs& inputs = {});

// The service as a provider following strategy `s` would run it: places by
// the strategy's priority rule; parking takes on nobody above
// `park_above_ogrs`; stopping takes on nobody indexed after `last_index_day`.
Option service_for(const Contract& c, Strategy s, double park_above_ogrs, double last_index_day);

}  // namespace desist
