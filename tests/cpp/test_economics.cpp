// Tests for the economics (desist::cost_ledger, compare_economics, and the
// scenario's `economics` section): hand-built histories priced to the pound,
// discounting, the comparison's summaries on tiny ledgers, input errors, and
// a ledger that does not depend on the thread count.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "desist/economics.hpp"
#include "desist/engine.hpp"
#include "desist/error.hpp"
#include "desist/parallel.hpp"
#include "desist/scenario.hpp"
#include "test_support.hpp"

using namespace desist;
using desist::testing::simple_parameters;

namespace {

// Agencies of the hand-built cases, in order.
enum Agency : int { hmpps = 0, police = 1, courts = 2, local_authority = 3, victims = 4 };
// Categories of a ledger with one intervention, in order.
enum Category : std::size_t { crime = 0, police_cost, court_cost, caution_cost, prison, probation, housing };

Parameters priced_parameters() {
  Parameters p = simple_parameters(1.0, 1);
  p.cohort.index_period_days = 365.0;
  p.horizon_days = 3 * days_per_year;  // with the index period: 4 calendar years
  EconomicsParameters& e = p.economics;
  e.agencies = {"hmpps", "police", "courts", "local_authority", "victims_and_society"};
  e.crime_cost.assign(ogrs3_offence_count, Cost{5000.0, victims});
  e.crime_cost[static_cast<std::size_t>(Ogrs3Offence::burglary_domestic)] = Cost{6000.0, victims};
  e.police_per_offence = Cost{1500.0, police};
  e.court_per_appearance = Cost{3000.0, courts};
  e.caution_cost = Cost{300.0, police};
  e.prison_place_year = Cost{36525.0, hmpps};          // £100 a day
  e.probation_supervision_year = Cost{3652.5, hmpps};  // £10 a day
  InterventionParameters housing;
  housing.name = "housing";
  housing.cost_per_referral = {Cost{100.0, local_authority}};
  housing.cost_per_week = {Cost{70.0, local_authority}};  // £10 a day
  housing.cost_per_completion = {Cost{500.0, hmpps}};
  p.interventions.push_back(housing);
  return p;
}

Cohort one_person(float index_day, Ogrs3Offence offence) {
  Cohort c;
  c.resize(1);
  c.index_day[0] = index_day;
  c.offence[0] = offence;
  return c;
}

Event event(double t, EventKind kind, int detail = 0, int count = 0) {
  return Event{t, 0, kind, static_cast<std::uint8_t>(detail), static_cast<std::uint16_t>(count)};
}

EventLog log_of(const std::vector<Event>& events) {
  EventLog log;
  log.events = events;
  log.person_start = {0, events.size()};
  return log;
}

// A ledger of the given shape with the given cells set.
struct Cell {
  std::size_t category, agency;
  int year;
  double amount;
};
CostLedger ledger(const std::vector<std::string>& categories, const std::vector<std::string>& agencies, int years,
                  const std::vector<Cell>& cells) {
  CostLedger l;
  l.categories = categories;
  l.agencies = agencies;
  l.years = years;
  l.cost.assign(categories.size() * agencies.size() * static_cast<std::size_t>(years), 0.0);
  for (const Cell& c : cells) l.cost[l.offset(c.category, c.agency, c.year)] += c.amount;
  return l;
}

}  // namespace

TEST_CASE("a hand-built history priced to the pound", "[economics]") {
  const Parameters p = priced_parameters();
  // Index on calendar day 300; calendar years break at 365.25, 730.5, 1095.75.
  const Cohort cohort = one_person(300.0f, Ogrs3Offence::burglary_domestic);
  const auto custody = static_cast<int>(Disposal::custody);
  const EventLog log = log_of({
      event(10, EventKind::offence),                         // day 310
      event(50, EventKind::court, custody, 1),               // day 350: custody to day 450
      event(150, EventKind::release, static_cast<int>(Supervision::licence)),  // licence to day 550
      event(160, EventKind::referral, 0, static_cast<int>(ReferralOutcome::offered)),
      event(165, EventKind::referral, 0, static_cast<int>(ReferralOutcome::declined)),  // costs nothing
      event(170, EventKind::intervention_start, 0),          // day 470
      event(240, EventKind::intervention_end, 0, static_cast<int>(InterventionEnd::completed)),  // day 540: 10 weeks
      event(250, EventKind::supervision, static_cast<int>(Supervision::none)),
      event(400, EventKind::offence),                        // day 700
      event(415, EventKind::referral, 0, static_cast<int>(ReferralOutcome::queued)),
      event(420, EventKind::caution, 0, 1),                  // day 720
      event(420, EventKind::intervention_start, 0),          // day 720, across the year break at 730.5
      event(441, EventKind::intervention_end, 0, static_cast<int>(InterventionEnd::dropped_out)),  // day 741
  });
  const CostLedger l = cost_ledger(p, cohort, log);
  REQUIRE(l.years == 4);
  REQUIRE(l.categories == std::vector<std::string>{"crime", "police", "courts", "cautions", "prison", "probation",
                                                   "intervention:housing"});
  REQUIRE(l.agencies == p.economics.agencies);
  REQUIRE(l.cost.size() == 7u * 5u * 4u);

  // Each offence: the crime cost of the person's offence category, and the police.
  CHECK(l.at(crime, victims, 0) == 6000.0);
  CHECK(l.at(crime, victims, 1) == 6000.0);
  CHECK(l.at(police_cost, police, 0) == 1500.0);
  CHECK(l.at(police_cost, police, 1) == 1500.0);
  CHECK(l.at(court_cost, courts, 0) == 3000.0);
  CHECK(l.at(caution_cost, police, 1) == 300.0);
  // Custody from day 350 to day 450 at £100 a day: 15.25 days in year 0, 84.75 in year 1.
  CHECK(l.at(prison, hmpps, 0) == 1525.0);
  CHECK(l.at(prison, hmpps, 1) == 8475.0);
  // Licence from day 450 to day 550 at £10 a day.
  CHECK(l.at(probation, hmpps, 1) == 1000.0);
  // Two referrals that count (offered, queued), 10 weeks, then 1.5 weeks across the year break.
  CHECK(l.at(housing, local_authority, 1) == 100.0 + 700.0 + 100.0 + 105.0);
  CHECK(l.at(housing, local_authority, 2) == 105.0);
  CHECK(l.at(housing, hmpps, 1) == 500.0);  // the one completion

  const double listed = 6000 + 6000 + 1500 + 1500 + 3000 + 300 + 1525 + 8475 + 1000 + 1005 + 105 + 500;
  CHECK(l.discounted_total(0.0) == listed);  // nothing else anywhere
  CHECK(l.discounted_total(0.0, [](std::size_t c, std::size_t) { return c == housing; }) == 1005.0 + 105.0 + 500.0);
  CHECK(l.discounted_total(0.0, [](std::size_t, std::size_t a) { return a == hmpps; }) ==
        1525.0 + 8475.0 + 1000.0 + 500.0);
  CHECK(l.category_index("intervention:housing") == 6);
  CHECK(l.agency_index("courts") == 2);
  CHECK(l.agency_index("nhs") == -1);
  CHECK(is_intervention_category("intervention:housing"));
  CHECK_FALSE(is_intervention_category("prison"));
}

TEST_CASE("spells still open at the horizon or death are priced to there", "[economics]") {
  Parameters p = priced_parameters();
  const Cohort cohort = one_person(0.0f, Ogrs3Offence::violence);
  SECTION("custody open at the horizon ends there") {
    const EventLog log = log_of({event(1000, EventKind::court, static_cast<int>(Disposal::custody), 1)});
    const CostLedger l = cost_ledger(p, cohort, log);
    CHECK(l.at(prison, hmpps, 2) == Approx(100.0 * (1095.75 - 1000.0)));
    CHECK(l.at(prison, hmpps, 3) == 0.0);
  }
  SECTION("a service open at death ends there") {
    const EventLog log = log_of({event(10, EventKind::intervention_start, 0), event(24, EventKind::death)});
    const CostLedger l = cost_ledger(p, cohort, log);
    CHECK(l.at(housing, local_authority, 0) == 140.0);
  }
}

TEST_CASE("costs are discounted by calendar year, year 0 undiscounted", "[economics]") {
  CHECK(discount_factor(0.035, 0) == 1.0);
  CHECK(discount_factor(0.035, 2) == Approx(1.0 / (1.035 * 1.035)).epsilon(1e-14));
  const CostLedger base = ledger({"crime"}, {"victims_and_society"}, 3, {{0, 0, 0, 500.0}, {0, 0, 2, 1000.0}});
  const CostLedger option = ledger({"crime"}, {"victims_and_society"}, 3, {{0, 0, 0, 500.0}});
  CHECK(base.discounted_total(0.035) == Approx(500.0 + 1000.0 / (1.035 * 1.035)).epsilon(1e-14));
  // A saving of £1000 in year 2 is worth 1000 / 1.035² today.
  const EconomicComparison c = compare_economics(0.035, {base}, {option}, {1.0});
  CHECK(c.net_present_value.mean == Approx(1000.0 / (1.035 * 1.035)).epsilon(1e-14));
  CHECK(c.savings_by_agency.at(0).mean == Approx(933.5107).epsilon(1e-6));
  CHECK(c.ledger_by_agency_year.at(0) == std::vector<double>{0.0, 0.0, 1000.0});  // undiscounted
  CHECK(c.intervention_cost.mean == 0.0);
  CHECK(c.benefit_cost_ratio.replicates == 0);  // no intervention cost: no ratio
  CHECK(std::isnan(c.benefit_cost_ratio.mean));
  CHECK(c.probability_net_benefit_positive == 1.0);
}

TEST_CASE("comparing two runs: NPV, BCR, cost per reoffence averted, by agency", "[economics]") {
  const std::vector<std::string> agencies{"hmpps", "victims_and_society"};
  // The base has no intervention category; the option's is matched as zero there.
  const std::vector<std::string> base_categories{"crime", "prison"};
  const std::vector<std::string> option_categories{"crime", "prison", "intervention:mentoring"};
  const std::vector<CostLedger> base{
      ledger(base_categories, agencies, 2, {{0, 1, 0, 1000.0}, {1, 0, 1, 2000.0}}),
      ledger(base_categories, agencies, 2, {{0, 1, 0, 1000.0}, {1, 0, 1, 2000.0}}),
  };
  const std::vector<CostLedger> option{
      // Replicate 0: saves 400 of crime and 500 of prison for 500 of mentoring.
      ledger(option_categories, agencies, 2, {{0, 1, 0, 600.0}, {1, 0, 1, 1500.0}, {2, 0, 0, 500.0}}),
      // Replicate 1: saves 100 of crime only, for the same 500.
      ledger(option_categories, agencies, 2, {{0, 1, 0, 900.0}, {1, 0, 1, 2000.0}, {2, 0, 0, 500.0}}),
  };
  SECTION("undiscounted") {
    const EconomicComparison c = compare_economics(0.0, base, option, {2.0, 0.0});
    CHECK(c.net_present_value.mean == 0.0);  // +400 and −400
    CHECK(c.net_present_value.replicates == 2);
    CHECK(c.net_present_value.sd == Approx(std::sqrt(2.0) * 400.0));
    CHECK(c.benefits.mean == 500.0);  // 900 and 100
    CHECK(c.benefit_cost_ratio.mean == Approx(1.0));  // 1.8 and 0.2
    CHECK(c.benefit_cost_ratio.replicates == 2);
    // Replicate 1 averted nothing: left out.
    CHECK(c.cost_per_reoffence_averted.replicates == 1);
    CHECK(c.cost_per_reoffence_averted.mean == 250.0);
    CHECK(c.probability_net_benefit_positive == 0.5);
    CHECK(c.intervention_cost.mean == 500.0);
    REQUIRE(c.agencies == agencies);
    // HMPPS invests 500 and saves 500 or nothing of prison; victims save 400 or 100.
    CHECK(c.savings_by_agency[0].mean == -250.0);
    CHECK(c.savings_by_agency[1].mean == 250.0);
    REQUIRE(c.ledger_by_agency_year.size() == 2);
    CHECK(c.ledger_by_agency_year[0] == std::vector<double>{-500.0, 250.0});
    CHECK(c.ledger_by_agency_year[1] == std::vector<double>{250.0, 0.0});
  }
  SECTION("discounted at 10%: the prison saving in year 1 is worth less") {
    const EconomicComparison c = compare_economics(0.1, base, option, {2.0, 0.0});
    const double npv0 = 400.0 + 500.0 / 1.1 - 500.0, npv1 = 100.0 - 500.0;
    CHECK(c.net_present_value.mean == Approx((npv0 + npv1) / 2));
    CHECK(c.benefit_cost_ratio.mean == Approx(((400.0 + 500.0 / 1.1) / 500.0 + 0.2) / 2));
    CHECK(c.probability_net_benefit_positive == 0.5);
    CHECK(c.savings_by_agency[0].mean == Approx((500.0 / 1.1 - 500.0 - 500.0) / 2));
    CHECK(c.ledger_by_agency_year[0] == std::vector<double>{-500.0, 250.0});  // never discounted
  }
  SECTION("mismatched replicate counts are refused") {
    CHECK_THROWS_AS(compare_economics(0.0, base, {option[0]}, {1.0, 1.0}), std::invalid_argument);
    CHECK_THROWS_AS(compare_economics(0.0, base, option, {1.0}), std::invalid_argument);
    CHECK_THROWS_AS(compare_economics(0.0, {}, {}, {}), std::invalid_argument);
  }
}

namespace {

const std::string scenario_head =
    "cohort:\n"
    "  size: 10\n"
    "  groups:\n"
    "    everyone:\n"
    "      share: 1\n"
    "      index_event: other\n"
    "      female_share: 0.1\n"
    "      age: {mean: 30, sd: 9, min: 18, max: 80}\n"
    "      previous_sanctions: {mean: 10, dispersion: 1.0}\n"
    "      age_at_first_sanction: {mean: 17, sd: 4, min: 10, max: 70}\n"
    "      offences: {violence: 1.0}\n"
    "offending:\n"
    "  baseline:\n"
    "    weibull: {first_year_hazard: 1.0, shape: 0.8}\n";

std::string input_error(const std::string& economics) {
  try {
    parse_scenario(scenario_head + economics, "e.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("no InputError was thrown");
  return {};
}

}  // namespace

TEST_CASE("the economics section of a scenario", "[economics]") {
  const std::vector<std::string> seven{"hmpps", "police", "courts", "local_authority", "nhs", "dwp",
                                       "victims_and_society"};
  SECTION("left out: seven agencies, 3.5%, no costs") {
    const EconomicsParameters e = parse_scenario(scenario_head, "e.yaml").parameters.economics;
    CHECK(e.agencies == seven);
    CHECK(e.discount_rate == 0.035);
    REQUIRE(e.crime_cost.size() == static_cast<std::size_t>(ogrs3_offence_count));
    for (const Cost& c : e.crime_cost) CHECK(c.amount == 0.0);
    CHECK(e.prison_place_year.amount == 0.0);
  }
  SECTION("read") {
    const EconomicsParameters e = parse_scenario(scenario_head +
                                                     "economics:\n"
                                                     "  discount_rate: 0.015\n"
                                                     "  crime_cost:\n"
                                                     "    burglary_domestic: {amount: 6000, agency: victims_and_society}\n"
                                                     "    default: {amount: 5000, agency: victims_and_society}\n"
                                                     "  police_per_offence: {amount: 1500, agency: police}\n"
                                                     "  court_per_appearance: {amount: 3000, agency: courts}\n"
                                                     "  caution_cost: {amount: 300, agency: police}\n"
                                                     "  prison_place_year: {amount: 37500, agency: hmpps}\n"
                                                     "  probation_supervision_year: {amount: 3000, agency: hmpps}\n",
                                                 "e.yaml")
                                      .parameters.economics;
    CHECK(e.agencies == seven);
    CHECK(e.discount_rate == 0.015);
    REQUIRE(e.crime_cost.size() == static_cast<std::size_t>(ogrs3_offence_count));
    CHECK(e.crime_cost[static_cast<std::size_t>(Ogrs3Offence::burglary_domestic)].amount == 6000.0);
    CHECK(e.crime_cost[static_cast<std::size_t>(Ogrs3Offence::violence)].amount == 5000.0);
    CHECK(e.crime_cost[static_cast<std::size_t>(Ogrs3Offence::violence)].agency == 6);
    CHECK(e.police_per_offence.amount == 1500.0);
    CHECK(e.police_per_offence.agency == 1);
    CHECK(e.court_per_appearance.agency == 2);
    CHECK(e.caution_cost.amount == 300.0);
    CHECK(e.prison_place_year.amount == 37500.0);
    CHECK(e.prison_place_year.agency == 0);
    CHECK(e.probation_supervision_year.amount == 3000.0);
  }
  SECTION("own agencies") {
    const EconomicsParameters e = parse_scenario(scenario_head +
                                                     "economics:\n"
                                                     "  agencies: [prisons, society]\n"
                                                     "  prison_place_year: {amount: 40000, agency: prisons}\n",
                                                 "e.yaml")
                                      .parameters.economics;
    CHECK(e.agencies == std::vector<std::string>{"prisons", "society"});
    CHECK(e.prison_place_year.agency == 0);
    CHECK(e.police_per_offence.amount == 0.0);
  }
  SECTION("an unknown agency names the nearest") {
    const std::string what =
        input_error("economics:\n  police_per_offence: {amount: 1500, agency: victim_and_society}\n");
    CHECK_THAT(what, Catch::Contains("e.yaml:16:"));
    CHECK_THAT(what, Catch::Contains("economics.police_per_offence.agency"));
    CHECK_THAT(what, Catch::Contains("unknown agency 'victim_and_society'; did you mean 'victims_and_society'?"));
  }
  SECTION("an unknown agency in the crime costs") {
    const std::string what =
        input_error("economics:\n  crime_cost:\n    default: {amount: 10, agency: polise}\n");
    CHECK_THAT(what, Catch::Contains("economics.crime_cost.default.agency"));
    CHECK_THAT(what, Catch::Contains("did you mean 'police'?"));
  }
  SECTION("a negative amount") {
    const std::string what = input_error("economics:\n  caution_cost: {amount: -300, agency: police}\n");
    CHECK_THAT(what, Catch::Contains("economics.caution_cost.amount"));
    CHECK_THAT(what, Catch::Contains("at least 0"));
  }
  SECTION("an unknown offence category") {
    const std::string what =
        input_error("economics:\n  crime_cost:\n    burglary_domestik: {amount: 10, agency: police}\n");
    CHECK_THAT(what, Catch::Contains("did you mean 'burglary_domestic'?"));
  }
  SECTION("a discount rate out of range, a duplicate agency, a cost without its agency") {
    CHECK_THAT(input_error("economics:\n  discount_rate: 0.6\n"), Catch::Contains("between 0 and 0.5"));
    CHECK_THAT(input_error("economics:\n  agencies: [police, police]\n"), Catch::Contains("duplicate agency 'police'"));
    CHECK_THAT(input_error("economics:\n  prison_place_year: {amount: 10}\n"),
               Catch::Contains("missing required key 'agency'"));
    CHECK_THAT(input_error("economics:\n  prison_place_yaer: {amount: 10, agency: hmpps}\n"),
               Catch::Contains("did you mean 'prison_place_year'?"));
  }
}

TEST_CASE("the ledger is bit-identical for any thread count", "[economics][reproducibility]") {
  Parameters p = simple_parameters(1.5, 20000);
  p.cohort.groups[0].index_event = IndexEvent::release;
  p.cohort.groups[0].sentence_days = TruncatedLogNormal{400.0, 0.8, 14.0, 3000.0};
  p.sentencing.custody_intercept = 0.0;
  p.sentencing.custody_length_days = TruncatedLogNormal{200.0, 0.8, 7.0, 3000.0};
  p.recall.licence_breach_rate = 0.5;
  p.mortality.rate = 0.01;
  EconomicsParameters& e = p.economics;
  e.agencies = {"hmpps", "police", "courts", "victims_and_society"};
  e.crime_cost.assign(ogrs3_offence_count, Cost{5000.0, 3});
  e.police_per_offence = Cost{1500.0, 1};
  e.court_per_appearance = Cost{3000.0, 2};
  e.prison_place_year = Cost{37500.0, 0};
  e.probation_supervision_year = Cost{3000.0, 0};
  const Cohort cohort = synthesise_cohort(p, 7, 0);
  const EventLog log = simulate(p, cohort, SimulationKey{7, 0});
  auto ledger_with = [&](int threads) {
    ThreadArena arena(threads);
    return arena.execute([&] { return cost_ledger(p, cohort, log); });
  };
  const CostLedger one = ledger_with(1), two = ledger_with(2);
  REQUIRE(one.cost.size() == two.cost.size());
  CHECK(std::memcmp(one.cost.data(), two.cost.data(), one.cost.size() * sizeof(double)) == 0);

  // The crime and court costs count the events.
  double offences = 0, appearances = 0;
  for (const Event& ev : log.events) {
    offences += ev.kind == EventKind::offence ? 1 : 0;
    appearances += ev.kind == EventKind::court ? 1 : 0;
  }
  REQUIRE(offences > 10000);
  CHECK(one.discounted_total(0.0, [](std::size_t c, std::size_t) { return c == crime; }) == 5000.0 * offences);
  CHECK(one.discounted_total(0.0, [](std::size_t c, std::size_t) { return c == court_cost; }) == 3000.0 * appearances);
  CHECK(one.discounted_total(0.0, [](std::size_t c, std::size_t) { return c == prison; }) > 0.0);
  CHECK(one.discounted_total(0.0, [](std::size_t c, std::size_t) { return c == probation; }) > 0.0);
}
