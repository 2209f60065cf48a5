// The event sampler against closed forms, and the engine's reproducibility.
//
// Each statistical check compares an empirical proportion from N simulated
// people (fixed seed) with its exact value, allowing 4 binomial standard
// errors (testing::tolerance).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <functional>

#include "desist/cohort.hpp"
#include "desist/engine.hpp"
#include "desist/error.hpp"
#include "desist/parallel.hpp"
#include "desist/experiment.hpp"
#include "test_support.hpp"

using namespace desist;
using desist::testing::simple_parameters;
using desist::testing::tolerance;

namespace {

constexpr std::size_t people = 40000;

// Day of each person's first offence (+∞ if none) and whether they died first.
struct FirstEvents {
  std::vector<double> offence;
  std::vector<double> death;
};

FirstEvents first_events(const Parameters& p, std::uint64_t seed = 7) {
  const Cohort cohort = synthesise_cohort(p, seed, 0);
  const EventLog log = simulate(p, cohort, SimulationKey{seed, 0});
  FirstEvents f{std::vector<double>(cohort.size(), infinite_time), std::vector<double>(cohort.size(), infinite_time)};
  for (std::size_t i = 0; i < cohort.size(); ++i) {
    for (const Event* e = log.begin(i); e != log.end(i); ++e) {
      if (e->kind == EventKind::offence && f.offence[i] == infinite_time) f.offence[i] = e->time;
      if (e->kind == EventKind::death) f.death[i] = e->time;
    }
  }
  return f;
}

double share_before(const std::vector<double>& times, double t) {
  double n = 0;
  for (double x : times) n += x <= t ? 1 : 0;
  return n / static_cast<double>(times.size());
}

// Checks the share of first offences by each day against 1 − S(t).
void check_survival(const Parameters& p, const std::function<double(double)>& survival) {
  const FirstEvents f = first_events(p);
  for (double t : {7.0, 30.0, 100.0, 200.0, 365.0, 700.0}) {
    const double expected = 1.0 - survival(t);
    INFO("day " << t);
    CHECK(share_before(f.offence, t) == Approx(expected).margin(tolerance(expected, people)));
  }
}

}  // namespace

TEST_CASE("exponential offending times", "[engine][sampler]") {
  const double a = 0.8;  // per year
  const Parameters p = simple_parameters(a, people);
  check_survival(p, [&](double t) { return std::exp(-a * t / days_per_year); });
}

TEST_CASE("Weibull offending times, falling and rising hazards", "[engine][sampler]") {
  for (double shape : {0.6, 1.5}) {
    Parameters p = simple_parameters(0.0, people);
    p.offending.baseline = BaselineHazard(WeibullBaseline{0.7, shape});
    INFO("shape " << shape);
    check_survival(p, [&](double t) { return std::exp(-0.7 * std::pow(t / days_per_year, shape)); });
  }
}

TEST_CASE("log-logistic and piecewise-constant baselines", "[engine][sampler]") {
  Parameters p = simple_parameters(0.0, people);
  p.offending.baseline = BaselineHazard(LogLogisticBaseline{0.9, 120.0, 2.0});
  const BaselineHazard ll = p.offending.baseline;
  check_survival(p, [&](double t) { return std::exp(-ll.cumulative(t)); });

  p.offending.baseline = BaselineHazard(PiecewiseConstantBaseline{{0.0, 30.0, 180.0}, {3.0, 0.0, 0.5}});
  // Rate 3/year for 30 days, nothing until day 180, then 0.5/year.
  check_survival(p, [&](double t) {
    const double cumulative = 3.0 * std::min(t, 30.0) / days_per_year + 0.5 * std::max(0.0, t - 180.0) / days_per_year;
    return std::exp(-cumulative);
  });
}

TEST_CASE("cumulative hazards invert exactly", "[engine][sampler]") {
  const std::vector<BaselineHazard> shapes{BaselineHazard(WeibullBaseline{0.7, 0.6}),
                                           BaselineHazard(LogLogisticBaseline{0.9, 120.0, 2.0}),
                                           BaselineHazard(PiecewiseConstantBaseline{{0.0, 30.0, 180.0}, {3.0, 0.0, 0.5}})};
  for (const auto& b : shapes) {
    for (double t : {0.5, 10.0, 29.0, 100.0, 250.0, 1000.0}) {
      if (b.hazard(t) == 0.0) continue;  // flat stretches invert to their start
      CHECK(b.inverse_cumulative(b.cumulative(t)) == Approx(t).epsilon(1e-10));
    }
  }
  // A baseline that stops never reaches a higher cumulative hazard.
  const BaselineHazard stops(PiecewiseConstantBaseline{{0.0, 10.0}, {1.0, 0.0}});
  CHECK(stops.inverse_cumulative(1.0) == infinite_time);
}

TEST_CASE("gamma frailty and a never-reoffending share", "[engine][sampler]") {
  const double a = 1.2, v = 1.5;
  Parameters p = simple_parameters(a, people);
  p.offending.frailty_variance = v;
  // Population survival with gamma frailty of mean 1, variance v: (1 + vΛ)^(−1/v).
  check_survival(p, [&](double t) { return std::pow(1.0 + v * a * t / days_per_year, -1.0 / v); });

  p.offending.frailty_variance = 0.0;
  p.offending.never_reoffend_share = 0.3;
  check_survival(p, [&](double t) { return 0.3 + 0.7 * std::exp(-a * t / days_per_year); });
}

TEST_CASE("competing risks: offending against death", "[engine][sampler]") {
  const double a = 0.6, d = 0.4, horizon_years = 3.0;
  Parameters p = simple_parameters(a, people);
  p.mortality.rate = d;
  p.mortality.post_release_multiplier = 1.0;
  const FirstEvents f = first_events(p);
  double offended_first = 0, died_first = 0;
  for (std::size_t i = 0; i < people; ++i) {
    offended_first += f.offence[i] < f.death[i] ? 1 : 0;
    died_first += f.death[i] < f.offence[i] ? 1 : 0;
  }
  const double any = 1.0 - std::exp(-(a + d) * horizon_years);
  const double expect_offence = a / (a + d) * any, expect_death = d / (a + d) * any;
  CHECK(offended_first / people == Approx(expect_offence).margin(tolerance(expect_offence, people)));
  CHECK(died_first / people == Approx(expect_death).margin(tolerance(expect_death, people)));
}

TEST_CASE("a rate that changes part-way: supervision ends", "[engine][sampler]") {
  // Everyone starts a 200-day order; offending is halved while supervised.
  const double a = 1.0, m = 0.5, order = 200.0;
  Parameters p = simple_parameters(a, people);
  p.cohort.groups[0].index_event = IndexEvent::order_start;
  p.cohort.groups[0].sentence_days = TruncatedLogNormal{order, 0.0, 1.0, 1000.0};
  p.offending.supervision_multiplier = m;
  check_survival(p, [&](double t) {
    const double cumulative = a / days_per_year * (m * std::min(t, order) + std::max(0.0, t - order));
    return std::exp(-cumulative);
  });
}

TEST_CASE("results are bit-identical for any thread count", "[engine][reproducibility]") {
  Parameters p = simple_parameters(1.5, 30000);
  p.offending.frailty_variance = 1.0;
  p.mortality.rate = 0.01;
  p.cohort.groups[0].index_event = IndexEvent::release;
  p.cohort.groups[0].sentence_days = TruncatedLogNormal{400.0, 0.8, 14.0, 3000.0};
  p.recall.licence_breach_rate = 0.5;
  p.sentencing.custody_intercept = 0.0;
  auto log_with = [&](int threads) {
    ThreadArena arena(threads);
    return arena.execute([&] {
      const Cohort c = synthesise_cohort(p, 11, 3);
      return simulate(p, c, SimulationKey{11, 3});
    });
  };
  const EventLog one = log_with(1), two = log_with(2);
  REQUIRE(one.events.size() == two.events.size());
  REQUIRE(one.events.size() > 30000);
  CHECK(one.person_start == two.person_start);
  CHECK(std::memcmp(one.events.data(), two.events.data(), one.events.size() * sizeof(Event)) == 0);
  CHECK(one.checksum() == two.checksum());
  // Counting without a log runs the same simulation.
  CHECK(count_events(p, synthesise_cohort(p, 11, 3), SimulationKey{11, 3}) == one.events.size());
  // The checksum sees a change to any event.
  EventLog changed = one;
  changed.events[changed.events.size() / 2].time = std::nextafter(changed.events[changed.events.size() / 2].time, 1e9);
  CHECK(changed.checksum() != one.checksum());
}

TEST_CASE("common random numbers: a policy leaves untouched channels alone", "[engine][reproducibility]") {
  // Changing the licence breach rate can only change the histories of people
  // who are ever on licence; everyone else's must be identical.
  Parameters a = simple_parameters(1.5, 20000);
  a.sentencing.custody_intercept = 0.5;
  a.sentencing.custody_length_days = TruncatedLogNormal{500.0, 0.5, 14.0, 3000.0};
  a.recall.licence_breach_rate = 0.3;
  Parameters b = a;
  b.recall.licence_breach_rate = 1.5;
  const Cohort cohort = synthesise_cohort(a, 5, 0);
  const EventLog la = simulate(a, cohort, SimulationKey{5, 0});
  const EventLog lb = simulate(b, cohort, SimulationKey{5, 0});
  std::size_t on_licence = 0, identical = 0, untouched = 0;
  for (std::size_t i = 0; i < cohort.size(); ++i) {
    bool licensed = false;
    for (const Event* e = la.begin(i); e != la.end(i); ++e)
      licensed |= e->kind == EventKind::release && static_cast<Supervision>(e->detail) == Supervision::licence;
    const std::size_t n = la.end(i) - la.begin(i);
    const bool same = n == static_cast<std::size_t>(lb.end(i) - lb.begin(i)) &&
                      std::memcmp(la.begin(i), lb.begin(i), n * sizeof(Event)) == 0;
    if (licensed) {
      ++on_licence;
      identical += same ? 1 : 0;
    } else {
      ++untouched;
      CHECK(same);
    }
  }
  CHECK(on_licence > 500);
  CHECK(untouched > 5000);
  CHECK(identical < on_licence);  // the policy did change something
}

TEST_CASE("replicates differ and rerun identically", "[engine][reproducibility]") {
  Parameters p = simple_parameters(1.0, 5000);
  Scenario s;
  s.parameters = p;
  RunOptions o;
  o.seed = 99;
  o.replicates = 3;
  const RunResult r1 = run_scenario(s, o);
  o.threads = 1;
  const RunResult r2 = run_scenario(s, o);
  REQUIRE(r1.replicates.size() == 3);
  for (std::size_t k = 0; k < 3; ++k) {
    CHECK(r1.replicates[k].overall.reoffences == r2.replicates[k].overall.reoffences);
    CHECK(r1.replicates[k].overall.custody_days == r2.replicates[k].overall.custody_days);
  }
  CHECK(r1.replicates[0].overall.reoffences != r1.replicates[1].overall.reoffences);
}

TEST_CASE("the age term changes as people age", "[engine][sampler]") {
  // Everyone is 30 at index; the hazard halves from age 30.5 (day 182.6).
  const double a = 1.0, change = 0.5 * days_per_year;
  Parameters p = simple_parameters(a, people);
  p.cohort.groups[0].age = ShiftedGamma{30.0, 0.0, 18.0, 90.0};
  p.offending.age_multipliers = {{18.0, 1.0}, {30.5, 0.5}};
  check_survival(p, [&](double t) {
    return std::exp(-a / days_per_year * (std::min(t, change) + 0.5 * std::max(0.0, t - change)));
  });
}

TEST_CASE("a pathway need raises offending until it is resolved", "[engine][sampler]") {
  // Pathway 1 ("id") is always met and doubles pathway 0's resolve rate; pathway
  // 0 ("housing") is a need for everyone at index, multiplies offending by M
  // while present, and is resolved at rate 2r, never relapsing. With R the time
  // of resolution, S(t) = E exp(−a(M min(t,R) + (t−R)⁺)) in closed form.
  const double a = 0.8, m = 3.0, r = 1.5;
  Parameters p = simple_parameters(a, people);
  PathwayParameters housing;
  housing.name = "housing";
  housing.resolve_rate = r;
  housing.offending_multiplier = m;
  housing.resolve_multiplier_when_met = {1.0, 2.0};
  PathwayParameters id;
  id.name = "id";
  id.resolve_multiplier_when_met = {1.0, 1.0};
  p.pathways = {housing, id};
  p.cohort.groups[0].need_prevalence = {1.0, 0.0};
  const double aa = a / days_per_year, rr = 2.0 * r / days_per_year;
  check_survival(p, [&](double t) {
    const double k = aa * m + rr - aa;
    return std::exp(-(aa * m + rr) * t) + rr * std::exp(-aa * t) * (1.0 - std::exp(-k * t)) / k;
  });
}

TEST_CASE("mortality is raised just after release", "[engine][sampler]") {
  const double d = 0.2, multiplier = 20.0, window = 30.0;
  Parameters p = simple_parameters(0.0, people);
  p.cohort.groups[0].index_event = IndexEvent::release;
  p.cohort.groups[0].sentence_days = TruncatedLogNormal{100.0, 0.0, 1.0, 1000.0};
  p.mortality = MortalityParameters{d, multiplier, window};
  const FirstEvents f = first_events(p);
  for (double t : {10.0, 30.0, 200.0}) {
    const double expected =
        1.0 - std::exp(-d / days_per_year * (multiplier * std::min(t, window) + std::max(0.0, t - window)));
    INFO("day " << t);
    CHECK(share_before(f.death, t) == Approx(expected).margin(tolerance(expected, people)));
  }
}

TEST_CASE("a run asked to stop throws Cancelled", "[engine]") {
  Scenario s;
  s.parameters = simple_parameters(1.0, 50000);
  const std::atomic<bool> cancel{true};
  RunOptions o;
  o.cancel = &cancel;
  CHECK_THROWS_AS(run_scenario(s, o), Cancelled);
}
