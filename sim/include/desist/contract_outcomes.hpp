// The outcome measures a Payment-by-Results contract can be judged on, each
// read from a person's event history with the contract's own follow-up and
// waiting windows. The real schemes differ exactly here (docs/pbr.md): the MoJ
// binary and frequency measures count proven offences, cautions included; the
// Peterborough bond counted court conviction events (one court occasion is one
// event, however many offences it disposed of); justice reinvestment priced
// the demand a cohort puts on courts, prisons and probation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "desist/event_log.hpp"
#include "desist/parameters.hpp"

namespace desist {

enum class ContractMeasure : std::uint8_t {
  proven_binary = 0,             // share with a proven reoffence (MoJ binary)
  proven_frequency = 1,          // proven reoffences per offender (MoJ frequency)
  frequency_per_reoffender = 2,  // proven reoffences per reoffender
  reconvicted = 3,               // share with a court conviction (cautions excluded)
  conviction_events = 4,         // court conviction events per offender (Peterborough: shown per 100)
  demand = 5,                    // £ per offender of courts, prison and probation use in the follow-up
};

// The measure's name in contract files and results.
const std::vector<std::string>& contract_measure_names();
// Whether the measure is a share of people (so a threshold in points makes sense).
bool is_proportion(ContractMeasure m);

struct OutcomeDefinition {
  std::string name;  // how payments and results refer to it
  ContractMeasure measure = ContractMeasure::proven_binary;
  double followup_days = 365.0;  // offences (and justice use, for demand) counted within this
  double waiting_days = 183.0;   // ... proven by a disposal within follow-up + waiting
  double per = 1.0;              // shown per this many people (100 for conviction events per 100)
};

// One person's contribution to an outcome: the value, and whether the person
// counts in its denominator (everyone does, except for the per-reoffender
// frequency, whose denominator is the reoffenders).
struct PersonValue {
  double value = 0.0;
  bool counted = true;
};

// Unit prices of justice demand (from the scenario's economics section).
struct DemandPrices {
  double court_appearance = 0.0;
  double caution = 0.0;
  double prison_day = 0.0;
  double probation_day = 0.0;
};
DemandPrices demand_prices(const EconomicsParameters& e);

PersonValue person_outcome(const OutcomeDefinition& d, const DemandPrices& prices, const Event* begin,
                           const Event* end);

// A cohort's value of an outcome over the people it counts, with its sampling
// standard error (the standard deviation of the person values over √n).
struct CohortValue {
  double denominator = 0.0;  // people counted
  double value = 0.0;        // mean of the person values (a rate, a frequency, or £)
  double standard_error = 0.0;
};

// Adds person values one at a time (Welford's update, stable for large cohorts).
class CohortValueSum {
 public:
  void add(const PersonValue& v);
  CohortValue result() const;

 private:
  double n_ = 0.0, mean_ = 0.0, m2_ = 0.0;
};

}  // namespace desist
