// Payment rules of PbR contracts (desist::contract_payments, read_payment_terms):
// a small contract in the manner of each real scheme, and every rule alone, on
// hand-built outcome tables whose payments are worked out by hand in the
// comments; then every error of the `payments`, `fees` and `timing` sections,
// located at file, line and column.
//
// Amounts are compared to a relative 1e-12 (a millionth of a penny on £1m):
// room for binary rounding only.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "desist/contract_payments.hpp"
#include "desist/error.hpp"
#include "desist/payment.hpp"

using namespace desist;

namespace {

Approx pounds(double x) { return Approx(x).epsilon(1e-12); }

const std::vector<std::string> measures{"binary", "frequency", "conviction_events", "demand"};

PaymentTerms terms_of(const std::string& yaml) {
  auto doc = std::make_shared<const YamlDocument>(YamlDocument::load_string(yaml, "contract.yaml"));
  const YamlNode root(doc, doc->root, "");
  return read_payment_terms(root.required("payments"), root.optional("fees"), root.optional("timing"), measures);
}

// A cohort closing on `close` whose result is known 548 days later (365 days'
// follow-up and 183 days' waiting).
CohortOutcome cohort(const std::string& label, double close, double denominator, double measured, double comparison,
                     double measured_se = 0.0, double comparison_se = 0.0) {
  return {label, close, close + 548.0, denominator, measured, measured_se, comparison, comparison_se};
}

// The payments of one component, in due order.
std::vector<Payment> of_component(const PaymentSchedule& s, const std::string& component) {
  std::vector<Payment> out;
  for (const Payment& p : s.payments)
    if (p.component == component) out.push_back(p);
  return out;
}

const Assessment& assessment(const PaymentSchedule& s, const std::string& component, const std::string& cohort) {
  auto it = std::find_if(s.assessments.begin(), s.assessments.end(),
                         [&](const Assessment& a) { return a.component == component && a.cohort == cohort; });
  INFO("the assessment of " << component << " for " << cohort);
  REQUIRE(it != s.assessments.end());
  return *it;
}

const std::string peterborough_terms = R"(
payments:
  components:
    - name: cohort
      measure: conviction_events
      threshold: {relative: 0.10}
      price: {per: event_avoided, amount: 1000}
    - name: final
      measure: conviction_events
      assessed: pooled
      threshold: {relative: 0.075}
      price: {per: event_avoided, amount: 1000}
      early_payments: {component: cohort, paid_cohorts: PAID}
timing: {reporting_lag_days: 90, discount_rate: 0}
)";

std::string with_paid_cohorts(const std::string& rule) {
  std::string yaml = peterborough_terms;
  return yaml.replace(yaml.find("PAID"), 4, rule);
}

}  // namespace

TEST_CASE("a Peterborough-style bond pays a cohort early at 10% and the rest pooled at 7.5%", "[payment]") {
  // Conviction events per person against a matched comparison, £1,000 an event avoided.
  //   cohort 1: 1000 people, 1.20 against 1.40: 0.20 better, 14.3% ≥ 10%: 200 events, £200,000
  //   cohort 2: 1000 people, 1.35 against 1.40: 3.6%, not paid early
  //   cohort 3:  500 people, 1.30 against 1.40: 7.1%, not paid early
  const OutcomeTables table{{"conviction_events",
                             {cohort("cohort 1", 500.0, 1000.0, 1.20, 1.40), cohort("cohort 2", 900.0, 1000.0, 1.35, 1.40),
                              cohort("cohort 3", 1200.0, 500.0, 1.30, 1.40)}}};

  SECTION("net_off: every cohort pooled, the early payment taken off") {
    // Pooled: (1200 + 1350 + 650) / 2500 = 1.28 against 1.40: 0.12 better, 8.6% ≥ 7.5%:
    // 0.12 × 2500 = 300 events, £300,000 − £200,000 paid early = £100,000.
    const PaymentSchedule s = contract_payments(terms_of(with_paid_cohorts("net_off")), table);
    REQUIRE(s.payments.size() == 2);
    CHECK(s.payments[0].component == "cohort");
    CHECK(s.payments[0].cohort == "cohort 1");
    CHECK(s.payments[0].kind == PaymentKind::outcome);
    CHECK(s.payments[0].amount == pounds(200000.0));
    CHECK(s.payments[0].due_day == 500.0 + 548.0 + 90.0);
    CHECK(s.payments[1].component == "final");
    CHECK(s.payments[1].cohort == "pooled");
    CHECK(s.payments[1].amount == pounds(100000.0));
    CHECK(s.payments[1].due_day == 1200.0 + 548.0 + 90.0);  // once the last cohort's result is in
    CHECK(s.outcome_payments == pounds(300000.0));
    CHECK(s.total == pounds(300000.0));
    CHECK(s.present_value == pounds(300000.0));  // a discount rate of 0
    const Assessment& first = assessment(s, "cohort", "cohort 1");
    CHECK(first.improvement == Approx(0.20).epsilon(1e-12));
    CHECK(first.relative_improvement == Approx(0.20 / 1.40).epsilon(1e-12));
    CHECK(std::isinf(first.z));  // no sampling error given
    CHECK_FALSE(assessment(s, "cohort", "cohort 3").passed);
    CHECK(assessment(s, "final", "pooled").relative_improvement == Approx(0.12 / 1.40).epsilon(1e-12));
  }
  SECTION("exclude: the cohort paid early is left out of the pooled test") {
    // Pooled cohorts 2 and 3: (1350 + 650) / 1500 = 1.3333 against 1.40: 4.8% < 7.5%, nothing more.
    const PaymentSchedule s = contract_payments(terms_of(with_paid_cohorts("exclude")), table);
    REQUIRE(s.payments.size() == 1);
    CHECK(s.payments[0].cohort == "cohort 1");
    CHECK(s.total == pounds(200000.0));
    CHECK(assessment(s, "final", "pooled").relative_improvement == Approx((1.40 - 2000.0 / 1500.0) / 1.40).epsilon(1e-12));
    CHECK_FALSE(assessment(s, "final", "pooled").passed);
  }
  SECTION("net_off never takes back more than the pooled result earns") {
    // cohort 1 at 1.00: 400 events, £400,000 early; cohort 2 worse than its comparison (1.45).
    // Pooled: (1000 + 1450 + 650) / 2500 = 1.24, 11.4% ≥ 7.5%: 400 events, £400,000 − £400,000 = 0.
    OutcomeTables worse = table;
    worse["conviction_events"][0].measured = 1.00;
    worse["conviction_events"][1].measured = 1.45;
    const PaymentSchedule s = contract_payments(terms_of(with_paid_cohorts("net_off")), worse);
    CHECK(assessment(s, "final", "pooled").passed);
    CHECK(assessment(s, "final", "pooled").amount == 0.0);
    REQUIRE(s.payments.size() == 1);
    CHECK(s.total == pounds(400000.0));
  }
}

TEST_CASE("a Doncaster-style contract pays 10% at risk at 5 points, scaling to a bonus at 10", "[payment]") {
  // Binary rate against a fixed baseline of 58%; £1.8m of fees over two years
  // (90% of the price), £100,000 at 5 points rising linearly to £200,000 at 10 points.
  const PaymentTerms terms = terms_of(R"(
payments:
  components:
    - name: at_risk
      measure: binary
      threshold: {points: 5}
      price:
        bands:
          - {points: 5, amount: 100000}
          - {points: 10, amount: 200000}
fees:
  evenly: {total: 1800000, from_day: 0, to_day: 730.5, instalments: 24}
timing: {reporting_lag_days: 30, discount_rate: 0.035}
)");
  //   half-year 1: 51%: 7 points, £100,000 + 2/5 × £100,000 = £140,000, due 182.625 + 578 = 760.625 (year 2)
  //   half-year 2: 45%: 13 points, above the last band: £200,000, due 943.25 (year 2)
  //   half-year 3: 53%: exactly 5 points (4.999999999999993 in binary): £100,000, due 1125.875 (year 3)
  //   half-year 4: 54%: 4 points: nothing
  const OutcomeTables table{{"binary",
                             {cohort("H1", 182.625, 1000.0, 0.51, 0.58), cohort("H2", 365.25, 1000.0, 0.45, 0.58),
                              cohort("H3", 547.875, 1000.0, 0.53, 0.58), cohort("H4", 730.5, 1000.0, 0.54, 0.58)}}};
  const PaymentSchedule s = contract_payments(terms, table);
  const std::vector<Payment> outcome = of_component(s, "at_risk");
  REQUIRE(outcome.size() == 3);
  CHECK(outcome[0].amount == pounds(140000.0));
  CHECK(outcome[1].amount == pounds(200000.0));
  CHECK(outcome[2].amount == pounds(100000.0));
  CHECK(outcome[2].due_day == 547.875 + 548.0 + 30.0);
  CHECK_FALSE(assessment(s, "at_risk", "H4").passed);
  // Fees: 24 × £75,000 at 30.4375 × k days: k = 1..11 in year 0, 12..23 in year 1, 24 in year 2.
  const std::vector<Payment> fees = of_component(s, "fee");
  REQUIRE(fees.size() == 24);
  CHECK(fees.front().amount == pounds(75000.0));
  CHECK(fees.front().due_day == 30.4375);
  CHECK(fees.back().due_day == 730.5);
  CHECK(s.outcome_payments == pounds(440000.0));
  CHECK(s.fees == pounds(1800000.0));
  CHECK(s.total == pounds(2240000.0));
  const double d1 = 1.0 / 1.035, d2 = d1 * d1, d3 = d2 * d1;
  CHECK(s.present_value == pounds(75000.0 * (11.0 + 12.0 * d1 + d2) + 340000.0 * d2 + 100000.0 * d3));
  for (std::size_t i = 1; i < s.payments.size(); ++i) CHECK(s.payments[i - 1].due_day <= s.payments[i].due_day);
}

TEST_CASE("a Transforming-Rehabilitation-style contract: significance, a hurdle and deductions", "[payment]") {
  // Quarterly cohorts of 2,000 against a fixed 34% baseline; binary paid at
  // £20,000 a point when significantly lower (one-sided 5%: z ≥ 1.645);
  // frequency per reoffender at £500 an event, only where the binary passed;
  // £10,000 a point deducted for a significant rise (two-sided 5%: z ≤ −1.960),
  // at most £50,000 a quarter.
  const PaymentTerms terms = terms_of(R"(
payments:
  components:
    - name: binary
      measure: binary
      significance: {level: 0.05, sided: one}
      price: {per: percentage_point, amount: 20000}
    - name: frequency
      measure: frequency
      requires: binary
      significance: {level: 0.05}
      price: {per: event_avoided, amount: 500}
    - name: binary_rise
      measure: binary
      kind: deduction
      significance: {level: 0.05, sided: two}
      price: {per: percentage_point, amount: 10000}
      cap_per_cohort: 50000
)");
  //   binary (se 0.01):  Q1 30%: z = 4, 4 points, £80,000 | Q2 33%: z = 1, nothing
  //                      Q3 37%: z = −3, 3 points, −£30,000 | Q4 40%: z = −6, 6 points, −£60,000 capped at −£50,000
  //   frequency (se 0.1, per reoffender): Q1 2.5 against 2.9 among 600: z = 4, 240 events, £120,000
  //                      Q2 the same but its binary failed: nothing | Q3, Q4 no better
  const OutcomeTables table{
      {"binary",
       {cohort("Q1", 91.3125, 2000.0, 0.30, 0.34, 0.01), cohort("Q2", 182.625, 2000.0, 0.33, 0.34, 0.01),
        cohort("Q3", 273.9375, 2000.0, 0.37, 0.34, 0.01), cohort("Q4", 365.25, 2000.0, 0.40, 0.34, 0.01)}},
      {"frequency",
       {cohort("Q1", 91.3125, 600.0, 2.5, 2.9, 0.1), cohort("Q2", 182.625, 660.0, 2.5, 2.9, 0.1),
        cohort("Q3", 273.9375, 740.0, 2.9, 2.9, 0.1), cohort("Q4", 365.25, 800.0, 3.0, 2.9, 0.1)}}};
  const PaymentSchedule s = contract_payments(terms, table);
  CHECK(assessment(s, "binary", "Q1").amount == pounds(80000.0));
  CHECK(assessment(s, "binary", "Q1").z == Approx(4.0).epsilon(1e-12));
  CHECK_FALSE(assessment(s, "binary", "Q2").passed);
  CHECK(assessment(s, "frequency", "Q1").amount == pounds(120000.0));
  CHECK(assessment(s, "frequency", "Q2").z == Approx(4.0).epsilon(1e-12));  // significant on its own ...
  CHECK_FALSE(assessment(s, "frequency", "Q2").passed);                    // ... but behind the binary hurdle
  CHECK(assessment(s, "binary_rise", "Q1").amount == 0.0);
  CHECK(assessment(s, "binary_rise", "Q3").amount == pounds(-30000.0));
  CHECK(assessment(s, "binary_rise", "Q4").amount == pounds(-50000.0));
  REQUIRE(s.payments.size() == 4);
  CHECK(s.payments[2].kind == PaymentKind::deduction);
  CHECK(s.payments[2].cohort == "Q3");
  CHECK(s.outcome_payments == pounds(80000.0 + 120000.0 - 30000.0 - 50000.0));
}

TEST_CASE("a justice-reinvestment-style payment shares demand avoided beyond 5%, capped", "[payment]") {
  // Demand in £ a person against the area's own projection; half of each pound
  // avoided is paid, at most £150,000 a year and £250,000 in all.
  const std::string yaml = R"(
payments:
  cap: 250000
  components:
    - name: demand
      measure: demand
      threshold: {relative: 0.05}
      price: {per: pound_avoided, amount: 0.5, on: ON}
      cap_per_cohort: 150000
)";
  //   year 1: 4000 people, £1,880 against £2,000: 6% | year 2: £1,920, 4% | year 3: £1,900, exactly 5%
  const OutcomeTables table{{"demand",
                             {cohort("year 1", 365.25, 4000.0, 1880.0, 2000.0),
                              cohort("year 2", 730.5, 4000.0, 1920.0, 2000.0),
                              cohort("year 3", 1095.75, 4000.0, 1900.0, 2000.0)}}};
  auto with_on = [&](const std::string& on) {
    std::string y = yaml;
    return terms_of(y.replace(y.find("ON"), 2, on));
  };
  SECTION("on the whole improvement") {
    // year 1: £120 × 4000 × 0.5 = £240,000, capped at £150,000
    // year 3: £100 × 4000 × 0.5 = £200,000, capped at £150,000, then at the £100,000 left of the contract cap
    const PaymentSchedule s = contract_payments(with_on("whole_improvement"), table);
    CHECK(assessment(s, "demand", "year 1").amount == pounds(150000.0));
    CHECK_FALSE(assessment(s, "demand", "year 2").passed);
    CHECK(assessment(s, "demand", "year 3").amount == pounds(150000.0));  // earned, before the contract cap
    REQUIRE(s.payments.size() == 2);
    CHECK(s.payments[1].amount == pounds(100000.0));
    CHECK(s.outcome_payments == pounds(250000.0));
  }
  SECTION("on the improvement above the threshold") {
    // year 1: (£120 − 5% × £2,000) × 4000 × 0.5 = £40,000; year 3 passes with nothing above it
    const PaymentSchedule s = contract_payments(with_on("above_threshold"), table);
    CHECK(assessment(s, "demand", "year 3").passed);
    REQUIRE(s.payments.size() == 1);
    CHECK(s.payments[0].amount == pounds(40000.0));
  }
}

TEST_CASE("each price unit, above the threshold or on the whole improvement", "[payment]") {
  // 1000 people, 40% against 50%: 10 points, 20%, 100 reoffenders avoided.
  const OutcomeTables table{{"binary", {cohort("c", 0.0, 1000.0, 0.40, 0.50)}}};
  const PaymentTerms terms = terms_of(R"(
payments:
  components:
    - {name: per_reoffender, measure: binary, price: {per: reoffender_avoided, amount: 300}}
    - {name: per_point, measure: binary, price: {per: percentage_point, amount: 1000}}
    - {name: per_percent, measure: binary, price: {per: percent, amount: 1000}}
    - name: per_point_above
      measure: binary
      threshold: {points: 4}
      price: {per: percentage_point, amount: 1000, on: above_threshold}
    - name: per_percent_above
      measure: binary
      threshold: {relative: 0.15}
      price: {per: percent, amount: 1000, on: above_threshold}
    - {name: fixed, measure: binary, threshold: {points: 10}, price: {fixed: 25000}}
)");
  const PaymentSchedule s = contract_payments(terms, table);
  CHECK(assessment(s, "per_reoffender", "c").amount == pounds(30000.0));    // 100 × £300
  CHECK(assessment(s, "per_point", "c").amount == pounds(10000.0));         // 10 × £1,000
  CHECK(assessment(s, "per_percent", "c").amount == pounds(20000.0));       // 20 × £1,000
  CHECK(assessment(s, "per_point_above", "c").amount == pounds(6000.0));    // (10 − 4) × £1,000
  CHECK(assessment(s, "per_percent_above", "c").amount == pounds(5000.0));  // (20 − 15) × £1,000
  CHECK(assessment(s, "fixed", "c").amount == pounds(25000.0));
  CHECK(s.outcome_payments == pounds(96000.0));
}

TEST_CASE("significance: one- or two-sided, with or without the comparison's error", "[payment]") {
  // 30% (se 0.01) against 31.8% (se 0.01): z = 1.8 on the measured error alone,
  // 1.8 / √2 = 1.27 with both. One-sided 5% needs 1.645, two-sided 1.960,
  // one-sided 10% 1.2816.
  const OutcomeTables table{{"binary", {cohort("c", 0.0, 1000.0, 0.300, 0.318, 0.01, 0.01)}}};
  const PaymentTerms terms = terms_of(R"(
payments:
  components:
    - {name: one_sided, measure: binary, significance: {comparison_error: excluded}, price: {fixed: 1}}
    - {name: two_sided, measure: binary, significance: {sided: two, comparison_error: excluded}, price: {fixed: 1}}
    - {name: both_errors, measure: binary, significance: {level: 0.05}, price: {fixed: 1}}
    - {name: both_errors_at_10, measure: binary, significance: {level: 0.10}, price: {fixed: 1}}
)");
  const PaymentSchedule s = contract_payments(terms, table);
  CHECK(assessment(s, "one_sided", "c").passed);
  CHECK(assessment(s, "one_sided", "c").z == Approx(1.8).epsilon(1e-12));
  CHECK_FALSE(assessment(s, "two_sided", "c").passed);
  CHECK_FALSE(assessment(s, "both_errors", "c").passed);
  CHECK(assessment(s, "both_errors", "c").z == Approx(1.8 / std::sqrt(2.0)).epsilon(1e-12));
  CHECK_FALSE(assessment(s, "both_errors_at_10", "c").passed);  // 1.2728 < 1.2816
}

TEST_CASE("an advance is recovered from the outcome payments that follow it", "[payment]") {
  // £10,000 a point: c1 3 points, £30,000 due 648; c2 2 points, £20,000 due 748;
  // c3 worse, nothing (its result is reported on day 848).
  const OutcomeTables table{{"binary",
                             {cohort("c1", 100.0, 500.0, 0.47, 0.50), cohort("c2", 200.0, 500.0, 0.48, 0.50),
                              cohort("c3", 300.0, 500.0, 0.55, 0.50)}}};
  const std::string yaml = R"(
payments:
  advance: {amount: AMOUNT, day: 10, unrecovered: UNRECOVERED}
  components:
    - {name: binary, measure: binary, price: {per: percentage_point, amount: 10000}}
)";
  auto terms = [&](const std::string& amount, const std::string& unrecovered) {
    std::string y = yaml;
    y.replace(y.find("AMOUNT"), 6, amount);
    return terms_of(y.replace(y.find("UNRECOVERED"), 11, unrecovered));
  };
  SECTION("recovered in full") {
    // £40,000 at day 10; −£30,000 from c1, −£10,000 from c2.
    const PaymentSchedule s = contract_payments(terms("40000", "repaid"), table);
    const std::vector<Payment> advance = of_component(s, "advance");
    REQUIRE(advance.size() == 3);
    CHECK(advance[0].kind == PaymentKind::advance);
    CHECK(advance[0].amount == 40000.0);
    CHECK(advance[0].due_day == 10.0);
    CHECK(advance[1].kind == PaymentKind::recovery);
    CHECK(advance[1].cohort == "c1");
    CHECK(advance[1].amount == pounds(-30000.0));
    CHECK(advance[2].cohort == "c2");
    CHECK(advance[2].amount == pounds(-10000.0));
    CHECK(s.advance == pounds(0.0));
    CHECK(s.outcome_payments == pounds(50000.0));
    CHECK(s.total == pounds(50000.0));
  }
  SECTION("what is left repaid once the last result is reported") {
    // £80,000: £50,000 recovered, £30,000 repaid at c3's result (300 + 548 = 848).
    const PaymentSchedule s = contract_payments(terms("80000", "repaid"), table);
    const std::vector<Payment> advance = of_component(s, "advance");
    REQUIRE(advance.size() == 4);
    CHECK(advance[3].amount == pounds(-30000.0));
    CHECK(advance[3].due_day == 848.0);
    CHECK(s.advance == pounds(0.0));
  }
  SECTION("or kept") {
    const PaymentSchedule s = contract_payments(terms("80000", "kept"), table);
    CHECK(of_component(s, "advance").size() == 3);
    CHECK(s.advance == pounds(30000.0));
    CHECK(s.total == pounds(80000.0));
  }
}

TEST_CASE("fees per cohort fall due at each cohort's close", "[payment]") {
  const OutcomeTables table{{"binary",
                             {cohort("c1", 100.0, 500.0, 0.50, 0.50), cohort("c2", 200.0, 500.0, 0.50, 0.50)}}};
  const PaymentSchedule s = contract_payments(terms_of(R"(
payments:
  components:
    - {name: binary, measure: binary, price: {fixed: 1}}
fees: {per_cohort: 12500}
timing: {discount_rate: 0.1}
)"),
                                              table);
  REQUIRE(s.payments.size() == 2);  // no improvement: no outcome payment
  CHECK(s.payments[0].kind == PaymentKind::fee);
  CHECK(s.payments[0].cohort == "c1");
  CHECK(s.payments[1].due_day == 200.0);
  CHECK(s.fees == pounds(25000.0));
  CHECK(s.present_value == pounds(25000.0));  // both in year 0
}

TEST_CASE("an empty cohort is not judged and adds nothing to a pool", "[payment]") {
  // c2 has nobody (its rate is undefined); pooled c1 alone: 40% against 50%.
  const OutcomeTables table{{"binary",
                             {cohort("c1", 100.0, 500.0, 0.40, 0.50),
                              cohort("c2", 200.0, 0.0, std::nan(""), 0.50)}}};
  const PaymentSchedule s = contract_payments(terms_of(R"(
payments:
  components:
    - {name: each, measure: binary, price: {per: percentage_point, amount: 1000}}
    - {name: pool, measure: binary, assessed: pooled, price: {per: percentage_point, amount: 1000}}
)"),
                                              table);
  CHECK(std::isnan(assessment(s, "each", "c2").improvement));
  CHECK_FALSE(assessment(s, "each", "c2").passed);
  CHECK(assessment(s, "pool", "pooled").amount == pounds(10000.0));
}

TEST_CASE("a relative rule cannot be met against a comparison of zero", "[payment]") {
  const OutcomeTables table{{"binary", {cohort("c", 0.0, 500.0, 0.0, 0.0)}}};
  const PaymentSchedule s = contract_payments(terms_of(R"(
payments:
  components:
    - {name: b, measure: binary, threshold: {relative: 0}, price: {fixed: 1}}
    - {name: d, measure: binary, kind: deduction, threshold: {relative: 0}, price: {fixed: 1}}
)"),
                                              table);
  CHECK(std::isnan(assessment(s, "b", "c").relative_improvement));
  CHECK_FALSE(assessment(s, "b", "c").passed);
  CHECK_FALSE(assessment(s, "d", "c").passed);
}

TEST_CASE("contract_payments rejects outcome tables that do not fit the terms", "[payment]") {
  const PaymentTerms terms = terms_of(R"(
payments:
  components:
    - {name: b, measure: binary, price: {fixed: 1}}
)");
  CHECK_THROWS_WITH(contract_payments(terms, {}), Catch::Contains("at least one outcome table"));
  CHECK_THROWS_WITH(contract_payments(terms, {{"frequency", {cohort("c", 0.0, 1.0, 0.0, 0.0)}}}),
                    Catch::Contains("no outcome table for the measure 'binary'"));
  CHECK_THROWS_WITH(contract_payments(terms, {{"binary", {}}}), Catch::Contains("is empty"));
  CHECK_THROWS_WITH(contract_payments(terms, {{"binary", {cohort("c1", 0.0, 1.0, 0.0, 0.0)}},
                                              {"frequency", {cohort("c2", 0.0, 1.0, 0.0, 0.0)}}}),
                    Catch::Contains("list different cohorts"));
}

TEST_CASE("payment kinds have names", "[payment]") {
  CHECK(std::string(payment_kind_name(PaymentKind::outcome)) == "outcome");
  CHECK(std::string(payment_kind_name(PaymentKind::deduction)) == "deduction");
  CHECK(std::string(payment_kind_name(PaymentKind::fee)) == "fee");
  CHECK(std::string(payment_kind_name(PaymentKind::advance)) == "advance");
  CHECK(std::string(payment_kind_name(PaymentKind::recovery)) == "recovery");
}

TEST_CASE("errors in the payment terms name the file, line, key and what is allowed", "[payment]") {
  // Each case: the `components` list (and any sections after it), and what its error says.
  struct Case {
    std::string components, rest, message;
  };
  const std::string binary = "    - name: b\n      measure: binary\n      price: {fixed: 1}\n";
  const std::string pooled = "    - {name: p, measure: binary, assessed: pooled, price: {fixed: 1}}\n";
  const std::vector<Case> cases{
      // Component keys and references.
      {"    - name: b\n      measure: binary\n      thresold: {points: 5}\n      price: {fixed: 1}\n", "",
       "contract.yaml:5:7: 'payments.components.0.thresold': unknown key 'thresold'; did you mean 'threshold'?"},
      {"    - name: b\n      measure: binery\n      price: {fixed: 1}\n", "",
       "contract.yaml:4:16: 'payments.components.0.measure': unknown measure 'binery'; did you mean 'binary'?"},
      {"    - name: b\n      measure: binary\n", "",
       "'payments.components.0': missing required key 'price'"},
      {binary + binary, "",
       "contract.yaml:6:13: 'payments.components.1.name': a component named 'b' is already defined"},
      {"    - name: b\n      measure: binary\n      assessed: polled\n      price: {fixed: 1}\n", "",
       "'payments.components.0.assessed': 'polled' is not allowed; did you mean 'pooled'?"},
      {"    - name: b\n      measure: binary\n      kind: clawback\n      price: {fixed: 1}\n", "",
       "'payments.components.0.kind': 'clawback' is not allowed"},
      {"    []\n", "",
       "'payments.components': give at least one component"},
      // Thresholds and significance.
      {"    - {name: b, measure: binary, threshold: {points: 5, relative: 0.1}, price: {fixed: 1}}\n", "",
       "'payments.components.0.threshold': give exactly one of points"},
      {"    - {name: b, measure: binary, threshold: {relative: 10}, price: {fixed: 1}}\n", "",
       "'payments.components.0.threshold.relative': must be between 0 and 1, got 10"},
      {"    - {name: b, measure: binary, threshold: {points: -5}, price: {fixed: 1}}\n", "",
       "must be between 0 and 100, got -5"},
      {"    - {name: b, measure: binary, significance: {level: 0.7}, price: {fixed: 1}}\n", "",
       "'payments.components.0.significance.level': must be between 0 (exclusive) and 0.5, got 0.7"},
      {"    - {name: b, measure: binary, significance: {sided: both}, price: {fixed: 1}}\n", "",
       "'both' is not allowed"},
      {"    - {name: b, measure: binary, significance: {comparison_error: yes}, price: {fixed: 1}}\n", "",
       "'payments.components.0.significance.comparison_error': 'yes' is not allowed"},
      // Prices.
      {"    - {name: b, measure: binary, price: {fixed: 1, per: percent, amount: 2}}\n", "",
       "'payments.components.0.price': give exactly one of per (with amount), fixed or bands"},
      {"    - {name: b, measure: binary, price: {fixed: 1, amount: 2}}\n", "",
       "'payments.components.0.price.amount': 'amount' does not go with a price given by fixed"},
      {"    - {name: b, measure: binary, price: {per: events_avoided, amount: 2}}\n", "",
       "'payments.components.0.price.per': 'events_avoided' is not allowed; did you mean 'event_avoided'?"},
      {"    - {name: b, measure: binary, price: {per: percent}}\n", "",
       "'payments.components.0.price': missing required key 'amount'"},
      {"    - {name: b, measure: binary, price: {per: percent, amount: 1, on: above_threshold}}\n", "",
       "'payments.components.0.price.on': above_threshold needs the component's threshold"},
      {"    - {name: b, measure: binary, price: {bands: [{points: 5, amount: 1}, {points: 5, amount: 2}]}}\n", "",
       "'payments.components.0.price.bands.1': bands must increase strictly"},
      {"    - {name: b, measure: binary, price: {bands: [{points: 5, amount: 1}, {relative: 0.2, amount: 2}]}}\n", "",
       "'payments.components.0.price.bands.1': every band must be on the scale of the first"},
      {"    - {name: b, measure: binary, price: {bands: []}}\n", "",
       "'payments.components.0.price.bands': give at least one band"},
      {"    - {name: b, measure: binary, price: {bands: [{points: 5}]}}\n", "",
       "missing required key 'amount'"},
      {"    - {name: b, measure: binary, price: {fixed: -1}}\n", "",
       "'payments.components.0.price.fixed': must be at least 0, got -1"},
      {"    - {name: b, measure: binary, cap_per_cohort: -1, price: {fixed: 1}}\n", "",
       "'payments.components.0.cap_per_cohort': must be at least 0"},
      // Hurdles and early payments.
      {"    - {name: f, measure: frequency, requires: b, price: {fixed: 1}}\n" + binary, "",
       "contract.yaml:3:47: 'payments.components.0.requires': 'b' is not a component listed before this one"},
      {binary + "    - {name: f, measure: frequency, requires: bb, price: {fixed: 1}}\n", "",
       "'bb' is not a component listed before this one; did you mean 'b'?"},
      {binary + "    - {name: f, measure: frequency, assessed: pooled, requires: b, price: {fixed: 1}}\n", "",
       "'payments.components.1.requires': 'b' is assessed per cohort, so it cannot be a hurdle"},
      {binary + "    - {name: e, measure: binary, early_payments: {component: b, paid_cohorts: exclude}, price: {fixed: 1}}\n", "",
       "'payments.components.1.early_payments': only a pooled component has early_payments"},
      {pooled + "    - {name: e, measure: binary, assessed: pooled, early_payments: {component: p, paid_cohorts: exclude}, price: {fixed: 1}}\n", "",
       "'payments.components.1.early_payments.component': 'p' must be assessed per_cohort"},
      {binary + "    - {name: e, measure: frequency, assessed: pooled, early_payments: {component: b, paid_cohorts: exclude}, price: {fixed: 1}}\n", "",
       "'b' judges 'binary', not 'frequency'"},
      {binary + "    - {name: e, measure: binary, kind: deduction, assessed: pooled, early_payments: {component: b, paid_cohorts: exclude}, price: {fixed: 1}}\n", "",
       "'b' must be of the same kind (payment or deduction)"},
      {binary + "    - {name: e, measure: binary, assessed: pooled, early_payments: {component: b, paid_cohorts: netoff}, price: {fixed: 1}}\n", "",
       "'payments.components.1.early_payments.paid_cohorts': 'netoff' is not allowed; did you mean 'net_off'?"},
      {binary + "    - {name: e, measure: binary, assessed: pooled, early_payments: {component: b}, price: {fixed: 1}}\n", "",
       "'payments.components.1.early_payments': missing required key 'paid_cohorts'"},
      // The contract cap, the advance, fees and timing.
      {binary, "  cap: -5\n",
       "contract.yaml:6:8: 'payments.cap': must be at least 0, got -5"},
      {binary, "  caps: 5\n",
       "'payments.caps': unknown key 'caps'; did you mean 'cap'?"},
      {binary, "  advance: {amount: 5}\n",
       "'payments.advance': missing required key 'unrecovered'"},
      {binary, "  advance: {amount: 5, unrecovered: lost}\n",
       "'payments.advance.unrecovered': 'lost' is not allowed"},
      {binary, "fees: {per_cohort: -1}\n",
       "'fees.per_cohort': must be at least 0, got -1"},
      {binary, "fees: {evenly: {total: 10, from_day: 100, to_day: 100, instalments: 4}}\n",
       "'fees.evenly.to_day': must be between 100 (exclusive) and 36525, got 100"},
      {binary, "fees: {evenly: {total: 10, to_day: 100, instalments: 2.5}}\n",
       "'fees.evenly.instalments': expected a whole number, got 2.5"},
      {binary, "fees: {evenly: {total: 10, to_day: 100}}\n",
       "'fees.evenly': missing required key 'instalments'"},
      {binary, "fees: {service: 10}\n",
       "'fees.service': unknown key 'service'"},
      {binary, "timing: {reporting_lag: 90}\n",
       "'timing.reporting_lag': unknown key 'reporting_lag'; did you mean 'reporting_lag_days'?"},
      {binary, "timing: {discount_rate: 0.9}\n",
       "'timing.discount_rate': must be between 0 and 0.5, got 0.9"},
  };
  for (const Case& c : cases) {
    const std::string yaml = "payments:\n  components:\n" + c.components + c.rest;
    INFO(yaml);
    CHECK_THROWS_WITH(terms_of(yaml), Catch::Contains(c.message));
  }
}

TEST_CASE("payment terms keep what the file says and default only what it leaves out", "[payment]") {
  const PaymentTerms t = terms_of(R"(
payments:
  cap: 8000000
  advance: {amount: 100000, unrecovered: repaid}
  components:
    - name: b
      measure: binary
      significance: {}
      price: {per: percentage_point, amount: 5}
      cap_per_cohort: 700
fees:
  evenly: {total: 1000, to_day: 365.25, instalments: 12}
timing: {reporting_lag_days: 60, discount_rate: 0.05}
)");
  REQUIRE(t.components.size() == 1);
  const PaymentComponent& c = t.components[0];
  CHECK(c.assessed == Assessed::per_cohort);
  CHECK_FALSE(c.deduction);
  CHECK_FALSE(c.threshold);
  REQUIRE(c.significance);
  CHECK(c.significance->level == 0.05);
  CHECK_FALSE(c.significance->two_sided);
  CHECK(c.significance->include_comparison_error);
  CHECK(c.price.form == Price::Form::per_unit);
  CHECK(c.price.unit == PriceUnit::percentage_point);
  CHECK_FALSE(c.price.above_threshold_only);
  CHECK(c.cap_per_cohort == 700.0);
  CHECK(t.cap == 8000000.0);
  CHECK(t.advance.amount == 100000.0);
  CHECK(t.advance.day == 0.0);
  CHECK(t.advance.repay_unrecovered);
  CHECK(t.fees.from_day == 0.0);
  CHECK(t.fees.to_day == 365.25);
  CHECK(t.fees.instalments == 12);
  CHECK(t.reporting_lag_days == 60.0);
  CHECK(t.discount_rate == 0.05);
  const PaymentTerms bare = terms_of("payments:\n  components:\n    - {name: b, measure: binary, price: {fixed: 1}}\n");
  CHECK(std::isinf(bare.cap));
  CHECK(bare.reporting_lag_days == 0.0);
  CHECK(bare.discount_rate == 0.035);
  CHECK(bare.fees.instalments == 0);
}
