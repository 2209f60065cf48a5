// The fixed-step reference (benchmarks/daily_reference) is a faithful
// discretisation of the model the engine simulates exactly: with a small step
// the two agree within sampling error, and the comparison is sharp enough to
// see the bias of a daily step where the hazard is high.
#include <catch2/catch.hpp>

#include <tbb/task_arena.h>

#include <cmath>

#include "daily_reference.hpp"
#include "desist/cohort.hpp"
#include "desist/engine.hpp"
#include "desist/scenario.hpp"
#include "proven_outcome.hpp"

using namespace desist;
using reference::ProvenOutcome;

namespace {

// The shipped baseline with its offending hazard × hazard_x, run only as far
// as the proven-reoffending measures look (follow-up plus waiting), on
// `people` people.
Parameters baseline(std::size_t people, double hazard_x = 1.0) {
  Parameters p = load_scenario(std::string(DESIST_SOURCE_DIR) + "/scenarios/baseline.yaml").parameters;
  p.cohort.size = people;
  p.horizon_days = p.measures.followup_days + p.measures.waiting_days;
  for (SentenceGroup& g : p.cohort.groups) g.offending_multiplier *= hazard_x;
  return p;
}

struct Outcomes {
  ProvenOutcome exact, stepped;
};

// The engine and the reference on one cohort, with independent random
// streams (replicates 0 and 1), so their difference is the discretisation
// bias plus the sampling error of two independent estimates.
Outcomes run_both(const Parameters& p, double step_days) {
  const std::uint64_t seed = 20101001;
  const Cohort cohort = synthesise_cohort(p, seed, 0);
  return {reference::proven_outcome(p, cohort, simulate(p, cohort, {seed, 0})),
          reference::proven_outcome(p, cohort, reference::simulate_fixed_step(p, cohort, {seed, 1}, step_days))};
}

// Four standard errors of the difference (binomial for shares, sample sd / √n
// for the frequency; the cohort is the same in both, which only lowers the
// true variance): a faithful discretisation fails a check with probability
// about 6e-5.
double tolerance(double se_a, double se_b) { return 4.0 * reference::difference_se(se_a, se_b); }

}  // namespace

TEST_CASE("with a small step the reference's measures are the engine's", "[reference]") {
  const Outcomes r = run_both(baseline(20000), 0.25);
  REQUIRE(r.exact.people == 20000);
  REQUIRE(r.stepped.people == 20000);
  const ProvenOutcome &e = r.exact, &s = r.stepped;
  INFO("binary rate: exact " << e.rate << ", quarter-day steps " << s.rate);
  INFO("reoffences per offender: exact " << e.frequency << ", quarter-day steps " << s.frequency);
  INFO("deaths per person: exact " << e.deaths << ", quarter-day steps " << s.deaths);
  CHECK(e.rate > 0.15);  // rates far from 0, so the comparisons mean something
  CHECK(e.deaths > 0.0);
  CHECK(std::abs(s.rate - e.rate) <= tolerance(e.rate_se, s.rate_se));
  CHECK(std::abs(s.frequency - e.frequency) <= tolerance(e.frequency_se, s.frequency_se));
  CHECK(std::abs(s.deaths - e.deaths) <= tolerance(e.deaths_se, s.deaths_se));
}

TEST_CASE("with a high hazard a daily step undercounts offences", "[reference]") {
  // At ten times the baseline's offending hazard the prolific offend more than
  // once a day at times, and a daily step keeps one offence a day: the bias on
  // the frequency is then many standard errors (about 1 offence per offender
  // in 100,000 people in benchmarks/RESULTS.md, against a standard error of 0.09).
  const Outcomes r = run_both(baseline(20000, 10.0), 1.0);
  INFO("reoffences per offender: exact " << r.exact.frequency << ", daily steps " << r.stepped.frequency);
  CHECK(r.exact.frequency - r.stepped.frequency > tolerance(r.exact.frequency_se, r.stepped.frequency_se));
}

TEST_CASE("with no offending hazard neither reoffends", "[reference]") {
  const Outcomes r = run_both(baseline(5000, 0.0), 1.0);
  CHECK(r.exact.people == 5000);
  CHECK(r.stepped.people == 5000);
  CHECK(r.exact.rate == 0);
  CHECK(r.stepped.rate == 0);
  CHECK(r.stepped.frequency == 0);
}

TEST_CASE("the reference's log is the same for any number of threads", "[reference]") {
  const Parameters p = baseline(6000);
  const Cohort cohort = synthesise_cohort(p, 7, 0);
  auto run = [&](int threads) {
    tbb::task_arena arena(threads);
    return arena.execute([&] { return reference::simulate_fixed_step(p, cohort, {7, 0}).checksum(); });
  };
  CHECK(run(1) == run(2));
}

TEST_CASE("the reference refuses what it does not model", "[reference]") {
  Parameters p = baseline(10);
  const Cohort cohort = synthesise_cohort(p, 1, 0);
  CHECK_THROWS_WITH(reference::simulate_fixed_step(p, cohort, {1, 0}, 0.0), Catch::Contains("step must be positive"));
  p.interventions.emplace_back();
  CHECK_THROWS_WITH(reference::simulate_fixed_step(p, cohort, {1, 0}), Catch::Contains("no interventions"));
}
