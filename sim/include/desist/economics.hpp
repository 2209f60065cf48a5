// The economics of a run and of a comparison: who invests, who saves.
//
// A replicate's event log is priced into a ledger of undiscounted pounds by
// cost category × agency × calendar year (unit costs and the agency bearing
// each from the scenario's `economics` section and each intervention's costs).
// Two sets of ledgers, a base and an option run with common random numbers,
// are compared replicate by replicate: net present value, benefit-cost ratio,
// cost per proven reoffence averted, the probability that the net benefit is
// positive, and the saving of each agency. Reference: docs/model.md, Economics.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "desist/cohort.hpp"
#include "desist/event_log.hpp"
#include "desist/parameters.hpp"
#include "desist/statistics.hpp"

namespace desist {

// Prefix of the category of each intervention's costs ("intervention:<name>").
inline constexpr const char* intervention_category_prefix = "intervention:";

// True for the categories of intervention costs.
bool is_intervention_category(const std::string& category);

// Costs of one replicate, undiscounted pounds, by category × agency × year.
struct CostLedger {
  // "crime", "police", "courts", "cautions", "prison", "probation", then
  // "intervention:<name>" per intervention, in the scenario's order.
  std::vector<std::string> categories;
  std::vector<std::string> agencies;  // EconomicsParameters::agencies
  // Calendar years from day 0 of the cohort period (the first possible index
  // date): ceil((index_period_days + horizon_days) / 365.25), at least 1.
  int years = 0;
  std::vector<double> cost;  // [category][agency][year], row-major

  std::size_t offset(std::size_t category, std::size_t agency, int year) const {
    return (category * agencies.size() + agency) * static_cast<std::size_t>(years) + static_cast<std::size_t>(year);
  }
  double at(std::size_t category, std::size_t agency, int year) const { return cost[offset(category, agency, year)]; }
  int category_index(const std::string& name) const;  // -1 if none
  int agency_index(const std::string& name) const;    // -1 if none

  // Which cells a total covers: (category index, agency index) → included.
  // An empty selection covers every cell.
  using Selection = std::function<bool(std::size_t category, std::size_t agency)>;

  // Σ cost[c][a][y] · (1 + rate)^(−y) over the selected cells: the present
  // value at the start of the cohort period (year 0 is not discounted).
  // rate 0 gives the undiscounted total.
  double discounted_total(double rate, const Selection& selected = {}) const;
};

// Discount factor of calendar year `year` at `rate` a year: (1 + rate)^(−year).
double discount_factor(double rate, int year);

// Prices one replicate's event log (see docs/model.md, Economics). The log
// must be of this cohort and these parameters. Runs in parallel over fixed
// blocks of people; the ledger is bit-identical whatever the thread count.
// Throws std::invalid_argument when a cost names an agency that does not
// exist or the log names an intervention the parameters lack.
CostLedger cost_ledger(const Parameters& p, const Cohort& cohort, const EventLog& log);

// A policy option against a base, replicate by replicate (replicate r of each
// ran from the same seed and replicate: common random numbers). Every saving
// is base − option, so an agency that pays for an intervention shows a
// negative saving; amounts are discounted at the given rate unless named
// undiscounted.
struct EconomicComparison {
  // Savings outside the intervention categories − extra intervention cost.
  Estimate net_present_value;
  // Savings outside the intervention categories / extra intervention cost;
  // replicates whose extra intervention cost is ≤ 0 are left out (their
  // number is net of them: benefit_cost_ratio.replicates).
  Estimate benefit_cost_ratio;
  // Extra intervention cost / proven reoffences averted; replicates averting
  // ≤ 0 reoffences are left out (cost_per_reoffence_averted.replicates says
  // how many remain; NaN when none do).
  Estimate cost_per_reoffence_averted;
  double probability_net_benefit_positive = 0.0;  // share of replicates with NPV > 0
  std::vector<std::string> agencies;              // base's agencies, then any only the option has
  std::vector<Estimate> savings_by_agency;        // over all categories, intervention costs included
  // Mean over replicates of undiscounted (base − option), [agency][year];
  // years: the longer of the two ledgers.
  std::vector<std::vector<double>> ledger_by_agency_year;
  Estimate intervention_cost;  // extra intervention cost (option − base)
  Estimate benefits;           // savings outside the intervention categories
};

// Categories and agencies are matched by name: one the base lacks (the
// option's interventions, usually) counts as zero there, and the other way
// round. `reoffences_averted[r]` is base − option proven reoffences of
// replicate r. Throws std::invalid_argument when the three lists differ in
// length or are empty.
EconomicComparison compare_economics(double discount_rate, const std::vector<CostLedger>& base,
                                     const std::vector<CostLedger>& option,
                                     const std::vector<double>& reoffences_averted);

}  // namespace desist
