// What a Payment-by-Results contract pays for a table of cohort outcomes.
//
// A contract's payment terms (read from its `payments`, `fees` and `timing`
// sections, contract_payments.hpp) are a list of components, each judging one
// outcome measure per cohort or pooled across cohorts: a threshold, a
// significance test and a hurdle decide whether it pays, a price (per unit of
// improvement, a fixed sum or bands) how much, and caps how much at most; a
// component can instead deduct for a deterioration. Fees are paid whatever the
// results, an advance is recovered from later outcome payments, and each
// payment falls due a reporting lag after the result it rests on is known.
// These are pure functions of the terms and the outcome table, so a contract
// can be priced on a simulation already run. Reference: docs/pbr.md, Payment rules.
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace desist {

// One cohort's result on one outcome measure. Lower is better for every
// measure (reoffending, events, demand): the improvement is comparison −
// measured, the relative improvement improvement / comparison.
struct CohortOutcome {
  std::string label;         // "cohort 1", "2026 Q1"
  double close_day = 0.0;    // the cohort's last entry (days from contract start): fees per cohort fall due then
  double result_day = 0.0;   // its result is known: close + follow-up + waiting
  double denominator = 0.0;  // people in the cohort (or reoffenders, for a per-reoffender frequency)
  double measured = 0.0;     // per unit of denominator: a proportion, events per person, £ per person
  double measured_se = 0.0;  // its sampling standard error
  double comparison = 0.0;   // baseline, matched group, control or true counterfactual
  double comparison_se = 0.0;  // 0 for a fixed baseline
};

// Each measure's cohorts, in closing order; every table lists the same cohorts.
using OutcomeTables = std::map<std::string, std::vector<CohortOutcome>>;

// How an improvement is stated in thresholds and bands.
enum class ImprovementScale {
  points,    // percentage points: improvement × 100 (per 100 people for a rate)
  relative,  // a fraction of the comparison: improvement / comparison
};

struct ImprovementLevel {
  ImprovementScale scale = ImprovementScale::relative;
  double value = 0.0;
};

// A test of the improvement against its sampling error: z = improvement /
// √(measured_se² [+ comparison_se²]) must reach the normal quantile 1 − level
// (one-sided) or 1 − level/2 (two-sided, in the direction paid for).
struct SignificanceTest {
  double level = 0.05;
  bool two_sided = false;
  bool include_comparison_error = true;
};

// What a unit of improvement is, for a price per unit.
enum class PriceUnit {
  avoided,           // improvement × denominator: events, reoffenders or pounds of demand avoided
  percentage_point,  // improvement × 100
  percent,           // relative improvement × 100
};

// A point of a band schedule: `amount` at improvement `at` (on the bands' scale).
struct Band {
  double at = 0.0;
  double amount = 0.0;
};

struct Price {
  enum class Form { per_unit, fixed, bands };
  Form form = Form::fixed;
  double amount = 0.0;  // per unit, or the fixed sum
  PriceUnit unit = PriceUnit::avoided;
  bool above_threshold_only = false;  // per unit: pay only the improvement beyond the threshold
  // Nothing below the first band, linear between bands, the last amount above
  // the last band (a cap); bands increase strictly.
  ImprovementScale band_scale = ImprovementScale::points;
  std::vector<Band> bands;
};

enum class Assessed { per_cohort, pooled };

// How cohorts an earlier per-cohort component paid enter a pooled test.
enum class PaidCohorts {
  net_off,  // pooled with the rest; what they were paid is taken off the pooled payment
  exclude,  // left out of the pooled test
};

struct PaymentComponent {
  std::string name;
  std::string measure;
  Assessed assessed = Assessed::per_cohort;
  bool deduction = false;  // judges deterioration (measured − comparison) and takes money back
  std::optional<ImprovementLevel> threshold;  // none: any improvement > 0
  std::optional<SignificanceTest> significance;
  std::optional<std::size_t> hurdle;  // an earlier component that must have passed for the same cohort
  Price price;
  double cap_per_cohort = std::numeric_limits<double>::infinity();  // per cohort, or for the pooled result
  std::optional<std::size_t> early_component;  // pooled: an earlier per-cohort component of this measure
  PaidCohorts paid_cohorts = PaidCohorts::net_off;
};

// Fees for service: paid whatever the results.
struct ServiceFees {
  double per_cohort = 0.0;  // at each cohort's close
  double evenly_total = 0.0;  // in `instalments` equal parts, each at the end of its share of [from_day, to_day]
  double from_day = 0.0;
  double to_day = 0.0;
  int instalments = 0;
};

// Paid up front and recovered from the outcome payments that follow.
struct Advance {
  double amount = 0.0;
  double day = 0.0;
  bool repay_unrecovered = false;  // what is left once the last result is reported is paid back then
};

struct PaymentTerms {
  std::vector<PaymentComponent> components;  // evaluated in this order
  double cap = std::numeric_limits<double>::infinity();  // all outcome payments together, net of deductions
  Advance advance;
  ServiceFees fees;
  double reporting_lag_days = 0.0;  // from a result being known to its payment
  // A year, applied by whole years from contract start (economics.hpp's
  // discount_factor); 3.5% is the HM Treasury Green Book rate, the scenario's default too.
  double discount_rate = 0.035;
};

// One component's verdict on one cohort (or on the pooled cohorts).
struct Assessment {
  std::string component;
  std::string cohort;  // its label, or "pooled"
  double improvement = 0.0;           // comparison − measured; NaN for an empty cohort
  double relative_improvement = 0.0;  // improvement / comparison; NaN unless comparison > 0
  double z = 0.0;                     // improvement / its standard error (as the significance test takes it)
  bool passed = false;                // threshold, significance and hurdle all met
  double amount = 0.0;                // earned (negative: deducted), before the contract cap and advance recovery
  double due_day = 0.0;
};

enum class PaymentKind { outcome, deduction, fee, advance, recovery };
const char* payment_kind_name(PaymentKind kind);  // "outcome", "deduction", ...

struct Payment {
  std::string component;  // a component's name, "fee" or "advance"
  std::string cohort;     // a label, "pooled", or "" for instalments and the advance itself
  PaymentKind kind = PaymentKind::outcome;
  double amount = 0.0;    // to the provider; negative for deductions and recoveries
  double due_day = 0.0;   // days from contract start
};

struct PaymentSchedule {
  std::vector<Assessment> assessments;  // by component, then cohort
  std::vector<Payment> payments;        // non-zero amounts, by due day
  double outcome_payments = 0.0;  // outcome payments − deductions, after the contract cap
  double fees = 0.0;
  double advance = 0.0;           // advance − recovered − repaid
  double total = 0.0;             // nominal: the three above
  double present_value = 0.0;     // discounted to contract start at terms.discount_rate
};

// Throws std::invalid_argument when a component's measure has no table, a
// table is empty, or the tables list different cohorts.
PaymentSchedule contract_payments(const PaymentTerms& terms, const OutcomeTables& by_measure);

}  // namespace desist
