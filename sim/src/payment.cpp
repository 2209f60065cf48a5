#include "desist/payment.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <stdexcept>

#include "desist/baseline_hazard.hpp"
#include "desist/economics.hpp"

namespace desist {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Thresholds and band edges are met to within rounding: a result exactly at a
// threshold must pass although 0.58 − 0.53 is 4.999999999999993 points in
// binary floating point.
constexpr double level_tolerance = 1e-9;

bool reaches(double x, double level) { return x >= level - level_tolerance; }  // false for NaN

// The figures a component judges: one cohort's, or several pooled.
struct Result {
  double denominator = 0.0, measured = 0.0, measured_se = 0.0, comparison = 0.0, comparison_se = 0.0;
};

// Cohorts pooled with their denominators as weights; their sampling errors are
// independent. Empty cohorts (whose measure is undefined) add nothing.
Result pooled_result(const std::vector<const CohortOutcome*>& cohorts) {
  Result r;
  double measured_variance = 0.0, comparison_variance = 0.0;
  for (const CohortOutcome* c : cohorts) {
    if (!(c->denominator > 0.0)) continue;
    const double d = c->denominator;
    r.denominator += d;
    r.measured += d * c->measured;
    r.comparison += d * c->comparison;
    measured_variance += d * d * c->measured_se * c->measured_se;
    comparison_variance += d * d * c->comparison_se * c->comparison_se;
  }
  if (r.denominator > 0.0) {
    r.measured /= r.denominator;
    r.comparison /= r.denominator;
    r.measured_se = std::sqrt(measured_variance) / r.denominator;
    r.comparison_se = std::sqrt(comparison_variance) / r.denominator;
  }
  return r;
}

// `gain` (the improvement, or the deterioration a deduction judges) on a scale;
// NaN on the relative scale unless the comparison is positive.
double on_scale(ImprovementScale scale, double gain, double comparison) {
  if (scale == ImprovementScale::points) return 100.0 * gain;
  return comparison > 0.0 ? gain / comparison : nan;
}

// The gain, in the measure's units, at which `level` is reached.
double gain_at(const ImprovementLevel& level, double comparison) {
  return level.scale == ImprovementScale::points ? level.value / 100.0 : level.value * comparison;
}

double critical_z(const SignificanceTest& test) {
  const double tail = test.two_sided ? test.level / 2.0 : test.level;
  return boost::math::quantile(boost::math::complement(boost::math::normal(), tail));
}

double band_amount(const std::vector<Band>& bands, double x) {
  if (!reaches(x, bands.front().at)) return 0.0;
  for (std::size_t i = 1; i < bands.size(); ++i) {
    if (x < bands[i].at) {
      const Band& a = bands[i - 1];
      const Band& b = bands[i];
      return a.amount + (b.amount - a.amount) * std::max(0.0, x - a.at) / (b.at - a.at);
    }
  }
  return bands.back().amount;
}

double price_amount(const PaymentComponent& c, double gain, const Result& r) {
  const Price& p = c.price;
  if (p.form == Price::Form::fixed) return p.amount;
  if (p.form == Price::Form::bands) return band_amount(p.bands, on_scale(p.band_scale, gain, r.comparison));
  const double priced = p.above_threshold_only ? gain - gain_at(*c.threshold, r.comparison) : gain;
  const double units = p.unit == PriceUnit::avoided            ? priced * r.denominator
                       : p.unit == PriceUnit::percentage_point ? 100.0 * priced
                                                               : 100.0 * on_scale(ImprovementScale::relative, priced, r.comparison);
  return units > 0.0 ? p.amount * units : 0.0;  // nothing for a gain at the threshold, or an undefined percent
}

// +1 for a payment, which judges the improvement; −1 for a deduction, which judges the deterioration.
double direction(const PaymentComponent& c) { return c.deduction ? -1.0 : 1.0; }

Assessment assess(const PaymentComponent& c, const Result& r, bool hurdle_met) {
  Assessment a;
  a.component = c.name;
  if (!(r.denominator > 0.0)) {  // nobody to judge: the measure is undefined
    a.improvement = a.relative_improvement = a.z = nan;
    return a;
  }
  a.improvement = r.comparison - r.measured;
  a.relative_improvement = on_scale(ImprovementScale::relative, a.improvement, r.comparison);
  const bool with_comparison_error = !c.significance || c.significance->include_comparison_error;
  const double variance =
      r.measured_se * r.measured_se + (with_comparison_error ? r.comparison_se * r.comparison_se : 0.0);
  a.z = a.improvement / std::sqrt(variance);  // ±inf without sampling error; NaN if also no improvement
  const double sign = direction(c);
  const double gain = sign * a.improvement;
  const bool threshold_met =
      c.threshold ? reaches(on_scale(c.threshold->scale, gain, r.comparison), c.threshold->value) : gain > 0.0;
  const bool significant = !c.significance || sign * a.z >= critical_z(*c.significance);
  a.passed = hurdle_met && threshold_met && significant;
  if (a.passed) a.amount = sign * std::min(c.cap_per_cohort, price_amount(c, gain, r));
  return a;
}

Result result_of(const CohortOutcome& c) {
  return {c.denominator, c.measured, c.measured_se, c.comparison, c.comparison_se};
}

const std::vector<CohortOutcome>& table_of(const OutcomeTables& by_measure, const std::string& measure) {
  auto it = by_measure.find(measure);
  if (it == by_measure.end()) throw std::invalid_argument("no outcome table for the measure '" + measure + "'");
  return it->second;
}

// Every table must list the same cohorts, so that hurdles and fees match them up.
const std::vector<CohortOutcome>& cohorts_of(const OutcomeTables& by_measure) {
  if (by_measure.empty()) throw std::invalid_argument("contract_payments needs at least one outcome table");
  const auto& first = by_measure.begin()->second;
  if (first.empty()) throw std::invalid_argument("the outcome table of '" + by_measure.begin()->first + "' is empty");
  for (const auto& [measure, table] : by_measure) {
    bool same = table.size() == first.size();
    for (std::size_t i = 0; same && i < table.size(); ++i) same = table[i].label == first[i].label;
    if (!same)
      throw std::invalid_argument("the outcome tables of '" + by_measure.begin()->first + "' and '" + measure +
                                  "' list different cohorts");
  }
  return first;
}

std::vector<Assessment> assess_component(const PaymentTerms& terms, std::size_t k,
                                         const std::vector<std::vector<Assessment>>& earlier,
                                         const std::vector<CohortOutcome>& table) {
  const PaymentComponent& c = terms.components[k];
  std::vector<Assessment> out;
  if (c.assessed == Assessed::per_cohort) {
    for (std::size_t i = 0; i < table.size(); ++i) {
      const bool hurdle_met = !c.hurdle || earlier[*c.hurdle][i].passed;
      out.push_back(assess(c, result_of(table[i]), hurdle_met));
      out.back().cohort = table[i].label;
      out.back().due_day = table[i].result_day + terms.reporting_lag_days;
    }
    return out;
  }
  std::vector<const CohortOutcome*> pool;
  double paid_early = 0.0;  // to the cohorts in the pool
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (c.early_component) {
      const double paid = earlier[*c.early_component][i].amount;
      if (paid != 0.0 && c.paid_cohorts == PaidCohorts::exclude) continue;
      paid_early += paid;
    }
    pool.push_back(&table[i]);
  }
  const bool hurdle_met = !c.hurdle || earlier[*c.hurdle].front().passed;
  Assessment a = assess(c, pooled_result(pool), hurdle_met);
  if (a.passed) {
    const double sign = direction(c);
    a.amount = sign * std::max(0.0, sign * (a.amount - paid_early));
  }
  a.cohort = "pooled";
  double last = table.front().result_day;
  for (const CohortOutcome& cohort : table) last = std::max(last, cohort.result_day);
  a.due_day = last + terms.reporting_lag_days;
  out.push_back(a);
  return out;
}

void sort_by_due_day(std::vector<Payment>& payments) {
  std::stable_sort(payments.begin(), payments.end(),
                   [](const Payment& a, const Payment& b) { return a.due_day < b.due_day; });
}

}  // namespace

const char* payment_kind_name(PaymentKind kind) {
  switch (kind) {
    case PaymentKind::outcome: return "outcome";
    case PaymentKind::deduction: return "deduction";
    case PaymentKind::fee: return "fee";
    case PaymentKind::advance: return "advance";
    case PaymentKind::recovery: return "recovery";
  }
  return "?";
}

PaymentSchedule contract_payments(const PaymentTerms& terms, const OutcomeTables& by_measure) {
  const std::vector<CohortOutcome>& cohorts = cohorts_of(by_measure);
  PaymentSchedule s;

  std::vector<std::vector<Assessment>> by_component;
  for (std::size_t k = 0; k < terms.components.size(); ++k) {
    by_component.push_back(assess_component(terms, k, by_component, table_of(by_measure, terms.components[k].measure)));
    s.assessments.insert(s.assessments.end(), by_component.back().begin(), by_component.back().end());
  }

  std::vector<Payment> outcomes;
  for (const Assessment& a : s.assessments)
    if (a.amount != 0.0)
      outcomes.push_back({a.component, a.cohort, a.amount < 0.0 ? PaymentKind::deduction : PaymentKind::outcome,
                          a.amount, a.due_day});
  sort_by_due_day(outcomes);
  // The contract cap bounds the running total of outcome payments, net of deductions.
  double running = 0.0;
  for (Payment& p : outcomes) {
    if (p.amount > 0.0) p.amount = std::min(p.amount, std::max(0.0, terms.cap - running));
    running += p.amount;
  }
  outcomes.erase(std::remove_if(outcomes.begin(), outcomes.end(), [](const Payment& p) { return p.amount == 0.0; }),
                 outcomes.end());
  s.payments = outcomes;

  const Advance& advance = terms.advance;
  if (advance.amount > 0.0) {
    s.payments.push_back({"advance", "", PaymentKind::advance, advance.amount, advance.day});
    double outstanding = advance.amount;
    for (const Payment& p : outcomes) {
      if (p.amount <= 0.0 || p.due_day < advance.day || outstanding <= 0.0) continue;
      const double recovered = std::min(outstanding, p.amount);
      s.payments.push_back({"advance", p.cohort, PaymentKind::recovery, -recovered, p.due_day});
      outstanding -= recovered;
    }
    if (outstanding > 0.0 && advance.repay_unrecovered) {
      double last = advance.day;  // the last result's report
      for (const CohortOutcome& c : cohorts) last = std::max(last, c.result_day + terms.reporting_lag_days);
      s.payments.push_back({"advance", "", PaymentKind::recovery, -outstanding, last});
    }
  }

  const ServiceFees& fees = terms.fees;
  if (fees.per_cohort > 0.0)
    for (const CohortOutcome& c : cohorts) s.payments.push_back({"fee", c.label, PaymentKind::fee, fees.per_cohort, c.close_day});
  for (int k = 1; fees.evenly_total > 0.0 && k <= fees.instalments; ++k) {
    const double day = fees.from_day + (fees.to_day - fees.from_day) * k / fees.instalments;
    s.payments.push_back({"fee", "", PaymentKind::fee, fees.evenly_total / fees.instalments, day});
  }
  sort_by_due_day(s.payments);

  for (const Payment& p : s.payments) {
    const bool outcome = p.kind == PaymentKind::outcome || p.kind == PaymentKind::deduction;
    (outcome ? s.outcome_payments : p.kind == PaymentKind::fee ? s.fees : s.advance) += p.amount;
    s.total += p.amount;
    s.present_value += p.amount * discount_factor(terms.discount_rate, static_cast<int>(std::floor(p.due_day / days_per_year)));
  }
  return s;
}

}  // namespace desist
