// Interventions: no-effect neutrality, capacity and queue order, uptake and
// drop-out against their parameters, the analytic effect of an offending
// multiplier, and what pairing buys for the shipped options.
//
// Statistical checks allow 4 binomial standard errors (testing::tolerance) at
// fixed seeds.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "desist/comparison.hpp"
#include "desist/engine.hpp"
#include "desist/experiment.hpp"
#include "desist/option.hpp"
#include "desist/scenario.hpp"
#include "test_support.hpp"

using namespace desist;
using desist::testing::simple_parameters;
using desist::testing::tolerance;

namespace {

InterventionParameters intervention(const Parameters& p, const std::string& name) {
  InterventionParameters i;
  i.name = name;
  i.eligibility.groups.assign(p.cohort.groups.size(), 1);
  i.eligibility.areas.assign(p.cohort.areas.size(), 1);
  i.referral = ReferralPoint::at_index;
  i.duration_days = 100.0;
  i.ends_on_custody = false;
  return i;
}

bool is_intervention_event(const Event& e) {
  return e.kind == EventKind::referral || e.kind == EventKind::intervention_start ||
         e.kind == EventKind::intervention_end;
}

std::vector<Event> without_interventions(const EventLog& log, std::size_t person) {
  std::vector<Event> out;
  for (const Event* e = log.begin(person); e != log.end(person); ++e)
    if (!is_intervention_event(*e)) out.push_back(*e);
  return out;
}

// Referred at release to a place-limited scheme of 120 days with drop-out.
InterventionParameters scheme_with_places(const Parameters& p, const Capacity& capacity) {
  InterventionParameters i = intervention(p, "scheme");
  i.referral = ReferralPoint::at_release;
  i.capacity = capacity;
  i.duration_days = 120.0;
  i.dropout_rate = 1.0;
  i.uptake = 0.8;
  return i;
}

Scenario reduced_baseline(std::size_t people) {
  Scenario s = load_scenario(std::string(DESIST_SOURCE_DIR) + "/scenarios/baseline.yaml");
  s.parameters.cohort.size = people;
  return s;
}

}  // namespace

TEST_CASE("an intervention without effects leaves every history as it was", "[interventions]") {
  Scenario base = reduced_baseline(20000);
  Parameters with = base.parameters;
  // One place-limited intervention referred before release (people start in
  // custody and meet at panels) and one unlimited, both without effects.
  InterventionParameters gate = intervention(with, "gate");
  gate.referral = ReferralPoint::before_release;
  gate.days_before_release = 60.0;
  gate.capacity = Capacity{true, 25.0, 0.0, 30.0, PriorityRule::highest_risk, 90.0};
  gate.uptake = 0.7;
  gate.dropout_rate = 2.0;
  gate.cost_per_week = {Cost{60.0, 3}, Cost{40.0, 1}};
  InterventionParameters open = intervention(with, "open");
  open.referral = ReferralPoint::at_release;
  // (Working on a need in custody is an effect in itself, so in_custody stays off.)
  open.pathway_effects.push_back(PathwayEffect{0, {1.0, {}}, {1.0, {}}, false});
  with.interventions = {gate, open};
  const Cohort cohort = synthesise_cohort(base.parameters, 3, 0);
  const EventLog a = simulate(base.parameters, cohort, SimulationKey{3, 0});
  const EventLog b = simulate(with, cohort, SimulationKey{3, 0});
  std::size_t started = 0;
  for (const Event& e : b.events) started += e.kind == EventKind::intervention_start ? 1 : 0;
  REQUIRE(started > 100);
  // Counting without a log runs the same simulation, panels included.
  CHECK(count_events(with, cohort, SimulationKey{3, 0}) == b.events.size());
  for (std::size_t i = 0; i < cohort.size(); ++i) {
    const std::vector<Event> x = without_interventions(a, i), y = without_interventions(b, i);
    REQUIRE(x.size() == y.size());
    // memcmp of no bytes still needs valid pointers, and an empty vector's data() may be null.
    CHECK((x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(Event)) == 0));
  }
}

TEST_CASE("places are never exceeded and queues follow their priority rule", "[interventions]") {
  for (PriorityRule rule : {PriorityRule::first_come, PriorityRule::highest_risk, PriorityRule::lowest_risk}) {
    Scenario s = reduced_baseline(30000);
    Parameters& p = s.parameters;
    p.interventions = {scheme_with_places(p, Capacity{true, 12.0, 0.0, 42.0, rule, 0.0})};
    const Cohort cohort = synthesise_cohort(p, 8, 0);
    const EventLog log = simulate(p, cohort, SimulationKey{8, 0});
    // Calendar-time occupancy never above the places; and who was offered a
    // place (taken up or declined) when, against who was left waiting.
    std::vector<std::pair<double, int>> changes;
    struct Wait { double referred, until, ogrs; bool offered; };  // waiting from referred until `until`
    std::vector<Wait> waits;
    for (std::size_t k = 0; k < cohort.size(); ++k) {
      double referred = -1.0;
      for (const Event* e = log.begin(k); e != log.end(k); ++e) {
        const double day = cohort.index_day[k] + e->time;
        const auto outcome = static_cast<ReferralOutcome>(e->count);
        if (e->kind == EventKind::referral && outcome == ReferralOutcome::queued) referred = day;
        const bool offered = e->kind == EventKind::intervention_start ||
                             (e->kind == EventKind::referral && outcome == ReferralOutcome::declined);
        if (offered) waits.push_back({referred, day, cohort.ogrs3_two_year[k], true});
        if (e->kind == EventKind::intervention_start) changes.emplace_back(day, +1);
        if (e->kind == EventKind::intervention_end) changes.emplace_back(day, -1);
        if (offered || e->kind == EventKind::death ||
            (e->kind == EventKind::referral && outcome == ReferralOutcome::lapsed))
          referred = -1.0;  // no longer waiting (a death ends the wait unoffered)
      }
      // Still waiting at the horizon: out of the queue from then on.
      if (referred >= 0.0) waits.push_back({referred, cohort.index_day[k] + p.horizon_days, cohort.ogrs3_two_year[k], false});
    }
    std::sort(changes.begin(), changes.end());  // ends before starts at the same moment
    int occupied = 0, most = 0;
    for (const auto& [day, change] : changes) most = std::max(most, occupied += change);
    INFO("rule " << static_cast<int>(rule));
    CHECK(most <= 12);
    CHECK(most == 12);  // demand far exceeds supply, so places fill
    // At each panel, everyone offered a place outranks everyone left waiting.
    std::map<double, std::vector<const Wait*>> offered_at;
    for (const Wait& w : waits)
      if (w.offered && w.referred >= 0.0) offered_at[w.until].push_back(&w);
    std::size_t checked = 0;
    for (const auto& [day, offers] : offered_at) {
      for (const Wait& w : waits) {
        if (!(w.referred >= 0.0 && w.referred <= day && w.until > day)) continue;  // waiting through this panel
        for (const Wait* s : offers) {
          ++checked;
          if (rule == PriorityRule::first_come) CHECK(s->referred <= w.referred);
          if (rule == PriorityRule::highest_risk) CHECK(s->ogrs >= w.ogrs);
          if (rule == PriorityRule::lowest_risk) CHECK(s->ogrs <= w.ogrs);
        }
      }
    }
    CHECK(checked > 1000);
  }
}

TEST_CASE("a place given back is offered again at the next panel, and no one holds two", "[interventions]") {
  // Referrals lapse and people are referred again on later releases, so a
  // person can leave a queue and rejoin it between panels; everyone else
  // runs on through the panels without stopping.
  Scenario s = reduced_baseline(30000);
  Parameters& p = s.parameters;
  constexpr double places = 12.0, cadence = 42.0;
  InterventionParameters i = scheme_with_places(p, Capacity{true, places, 0.0, cadence, PriorityRule::first_come, 60.0});
  i.max_referrals = 3;
  p.interventions = {i};
  const Cohort cohort = synthesise_cohort(p, 11, 0);
  const EventLog log = simulate(p, cohort, SimulationKey{11, 0});
  // Calendar days; an offer made at a panel is logged at the panel's local
  // time, which may come back from local to calendar days an ulp away.
  auto calendar = [&](std::size_t k, const Event& e) {
    const double day = cohort.index_day[k] + e.time;
    const double panel = std::round(day / cadence) * cadence;
    return std::abs(day - panel) < 1e-6 ? panel : day;
  };
  struct Hold { double from, to; bool declined; };  // a place, from its offer until given back
  struct Wait { double from, to; };                 // in the queue, not yet offered
  std::vector<Hold> holds;
  std::vector<Wait> waits;
  std::size_t rejoined = 0;
  for (std::size_t k = 0; k < cohort.size(); ++k) {
    double waiting_since = -1.0, holding_since = -1.0;
    int queued = 0;
    for (const Event* e = log.begin(k); e != log.end(k); ++e) {
      const double day = calendar(k, *e);
      const auto outcome = static_cast<ReferralOutcome>(e->count);
      const bool referral = e->kind == EventKind::referral;
      if (referral && outcome == ReferralOutcome::queued) {
        REQUIRE(holding_since < 0.0);  // referred only when holding no place
        waiting_since = day;
        rejoined += queued++ > 0;
      }
      const bool ends_wait = e->kind == EventKind::intervention_start || e->kind == EventKind::death ||
                             (referral && (outcome == ReferralOutcome::declined || outcome == ReferralOutcome::lapsed));
      if (ends_wait && waiting_since >= 0.0) {
        waits.push_back({waiting_since, day});
        waiting_since = -1.0;
      }
      if (e->kind == EventKind::intervention_start) {
        CHECK(holding_since < 0.0);  // never two places at once
        holding_since = day;
      }
      if (referral && outcome == ReferralOutcome::declined) holds.push_back({day, day, true});
      if (e->kind == EventKind::intervention_end) {
        REQUIRE(holding_since >= 0.0);
        holds.push_back({holding_since, day, false});
        holding_since = -1.0;
      }
    }
    if (waiting_since >= 0.0) waits.push_back({waiting_since, cohort.index_day[k] + p.horizon_days});
  }
  REQUIRE(rejoined > 20);
  // At every panel someone waits through unoffered, every place is held: a
  // place given back by then (a service ended by the panel, an offer declined
  // at an earlier panel) has been offered again. A place declined at the
  // panel itself is given back at the next.
  const double last_day = p.cohort.index_period_days + p.horizon_days;
  std::size_t panels_checked = 0;
  for (double day = cadence; day < last_day; day += cadence) {
    const bool someone_left_waiting = std::any_of(
        waits.begin(), waits.end(), [&](const Wait& w) { return w.from <= day && w.to > day; });
    if (!someone_left_waiting) continue;
    const auto held = std::count_if(holds.begin(), holds.end(), [&](const Hold& h) {
      return h.from <= day && (h.to > day || (h.declined && h.to == day));
    });
    INFO("panel day " << day);
    CHECK(held == static_cast<long>(places));
    ++panels_checked;
  }
  CHECK(panels_checked > 20);
}

TEST_CASE("uptake and drop-out match their parameters", "[interventions][sampler]") {
  const std::size_t n = 40000;
  Parameters p = simple_parameters(0.0, n);
  InterventionParameters i = intervention(p, "scheme");
  i.uptake = 0.6;
  i.duration_days = 100.0;
  i.dropout_rate = 2.0;  // per year
  p.interventions = {i};
  const Cohort cohort = synthesise_cohort(p, 21, 0);
  const EventLog log = simulate(p, cohort, SimulationKey{21, 0});
  double offered = 0, declined = 0, started = 0, dropped = 0, completed = 0;
  for (const Event& e : log.events) {
    if (e.kind == EventKind::referral) {
      const auto outcome = static_cast<ReferralOutcome>(e.count);
      offered += outcome == ReferralOutcome::offered ? 1 : 0;
      declined += outcome == ReferralOutcome::declined ? 1 : 0;
    }
    started += e.kind == EventKind::intervention_start ? 1 : 0;
    if (e.kind == EventKind::intervention_end) {
      dropped += static_cast<InterventionEnd>(e.count) == InterventionEnd::dropped_out ? 1 : 0;
      completed += static_cast<InterventionEnd>(e.count) == InterventionEnd::completed ? 1 : 0;
    }
  }
  REQUIRE(offered == n);
  CHECK(started / offered == Approx(0.6).margin(tolerance(0.6, offered)));
  CHECK(declined + started == offered);
  const double p_drop = 1.0 - std::exp(-2.0 * 100.0 / days_per_year);
  CHECK(dropped / started == Approx(p_drop).margin(tolerance(p_drop, started)));
  CHECK(dropped + completed == started);
}

TEST_CASE("an offending multiplier changes the binary rate as the closed form says", "[interventions][sampler]") {
  // Constant hazard a; everyone in service for D days from the index date
  // with the hazard multiplied by m; every offence proven (30-day court lag).
  const std::size_t n = 60000;
  const double a = 0.9, m = 0.5, d = 120.0;
  Parameters base = simple_parameters(a, n);
  Parameters option = base;
  InterventionParameters i = intervention(option, "scheme");
  i.duration_days = d;
  i.offending_multiplier.value = m;
  option.interventions = {i};
  Scenario sb, so;
  sb.parameters = base;
  so.parameters = option;
  RunOptions run;
  run.seed = 4;
  run.keep_people = false;
  const double rate_base = run_scenario(sb, run).replicates[0].overall.binary_rate();
  const double rate_option = run_scenario(so, run).replicates[0].overall.binary_rate();
  const double year = 365.0 / days_per_year;
  const double expected_base = 1.0 - std::exp(-a * year);
  const double expected_option = 1.0 - std::exp(-a * (m * d + 365.0 - d) / days_per_year);
  CHECK(rate_base == Approx(expected_base).margin(tolerance(expected_base, n)));
  CHECK(rate_option == Approx(expected_option).margin(tolerance(expected_option, n)));
  // With common random numbers the difference is far more precise than either
  // rate: a person's indicator changes with probability |Δ|, so its standard
  // error is at most sqrt(|Δ| / n).
  const double delta = expected_base - expected_option;
  CHECK(rate_base - rate_option == Approx(delta).margin(4.0 * std::sqrt(delta / n)));
}

TEST_CASE("pairing narrows the shipped options' intervals at least threefold", "[interventions][options]") {
  const Scenario base = reduced_baseline(40000);
  std::vector<Option> options;
  for (const char* name : {"housing_ttg", "employment_support", "id_documents_fund", "mentoring", "drug_treatment",
                           "iom_wraparound"})
    options.push_back(load_option(base, std::string(DESIST_SOURCE_DIR) + "/scenarios/options/" + name + ".yaml"));
  RunOptions run;
  run.seed = 17;
  run.replicates = 4;
  run.keep_people = false;
  const ComparisonRun result = run_comparison(base, options, run);
  for (std::size_t o = 0; o < options.size(); ++o) {
    const OptionComparison c = compare_option(base.parameters, result.base, options[o].name, options[o].file, result.options[o]);
    for (const char* measure : {"reoffenders_averted", "reoffences_averted", "prison_bed_days_saved"}) {
      const PairedDifference& d = c.measure(measure);
      const double paired = d.ci_high - d.ci_low, unpaired = d.unpaired_ci_high - d.unpaired_ci_low;
      INFO(options[o].name << ": " << measure << " paired width " << paired << ", unpaired " << unpaired);
      CHECK(std::isfinite(unpaired));
      CHECK(unpaired >= 3.0 * paired);
    }
  }
}

TEST_CASE("option files are checked against the base", "[interventions][scenario]") {
  const Scenario base = reduced_baseline(1000);
  const std::string dir = std::string(DESIST_SOURCE_DIR) + "/tests/cpp/data";
  CHECK_THROWS_WITH(load_option(base, dir + "/option_unknown_pathway.yaml"),
                    Catch::Contains("option_unknown_pathway.yaml:9:") && Catch::Contains("did you mean 'accommodation'?"));
}
