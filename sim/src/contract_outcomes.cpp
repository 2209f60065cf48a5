#include "desist/contract_outcomes.hpp"

#include <algorithm>
#include <cmath>

#include "desist/history.hpp"
#include "desist/measures.hpp"

namespace desist {

const std::vector<std::string>& contract_measure_names() {
  static const std::vector<std::string> names{"proven_binary", "proven_frequency", "frequency_per_reoffender",
                                              "reconvicted",   "conviction_events", "demand"};
  return names;
}

bool is_proportion(ContractMeasure m) {
  return m == ContractMeasure::proven_binary || m == ContractMeasure::reconvicted;
}

DemandPrices demand_prices(const EconomicsParameters& e) {
  return {e.court_per_appearance.amount, e.caution_cost.amount, e.prison_place_year.amount / days_per_year,
          e.probation_supervision_year.amount / days_per_year};
}

namespace {
// Days in custody and under supervision in the community within [0, until].
struct JusticeDays {
  double until;
  double custody = 0.0, supervised = 0.0;
  static double overlap(double from, double to, double until) { return std::max(0.0, std::min(to, until) - std::max(from, 0.0)); }
  void custody_spell(double from, double to) { custody += overlap(from, to, until); }
  void supervision_spell(double from, double to) { supervised += overlap(from, to, until); }
};
struct SpellVisitor {
  JusticeDays& days;
  void custody(double from, double to) { days.custody_spell(from, to); }
  void supervision(double from, double to) { days.supervision_spell(from, to); }
  void recall(double) {}
  void release(double) {}
};
}  // namespace

PersonValue person_outcome(const OutcomeDefinition& d, const DemandPrices& prices, const Event* begin,
                           const Event* end) {
  MeasureParameters windows;
  windows.followup_days = d.followup_days;
  windows.waiting_days = d.waiting_days;
  const ProvenHistory h = proven_history(begin, end, windows);
  switch (d.measure) {
    case ContractMeasure::proven_binary: return {h.proven_reoffences > 0 ? 1.0 : 0.0, true};
    case ContractMeasure::proven_frequency: return {static_cast<double>(h.proven_reoffences), true};
    case ContractMeasure::frequency_per_reoffender:
      return {static_cast<double>(h.proven_reoffences), h.proven_reoffences > 0};
    case ContractMeasure::reconvicted: return {h.conviction_events > 0 ? 1.0 : 0.0, true};
    case ContractMeasure::conviction_events: return {static_cast<double>(h.conviction_events), true};
    case ContractMeasure::demand: {
      // Proven disposals in the windows, and custody and supervision within the follow-up.
      JusticeDays days{d.followup_days};
      walk_spells(begin, end, d.followup_days, SpellVisitor{days});
      return {h.conviction_events * prices.court_appearance + h.cautions * prices.caution +
                  days.custody * prices.prison_day + days.supervised * prices.probation_day,
              true};
    }
  }
  return {};
}

void CohortValueSum::add(const PersonValue& v) {
  if (!v.counted) return;
  n_ += 1.0;
  const double delta = v.value - mean_;
  mean_ += delta / n_;
  m2_ += delta * (v.value - mean_);
}

CohortValue CohortValueSum::result() const {
  CohortValue c;
  c.denominator = n_;
  c.value = mean_;
  c.standard_error = n_ > 1.0 ? std::sqrt(m2_ / (n_ - 1.0) / n_) : 0.0;
  return c;
}

}  // namespace desist
