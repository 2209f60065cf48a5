// The fixed-step reference (benchmarks/daily_reference) is a faithful
// discretisation of the model the engine simulates exactly: with a small step
// the two agree within sampling error.
#include <catch2/catch.hpp>

#include <tbb/task_arena.h>

#include <cmath>

#include "daily_reference.hpp"
#include "desist/cohort.hpp"
#include "desist/engine.hpp"
#include "desist/measures.hpp"
#include "desist/scenario.hpp"

using namespace desist;

namespace {

// The shipped baseline, run only as far as the binary rate looks (follow-up
// plus waiting), on `people` people.
Parameters baseline(std::size_t people) {
  Parameters p = load_scenario(std::string(DESIST_SOURCE_DIR) + "/scenarios/baseline.yaml").parameters;
  p.cohort.size = people;
  p.horizon_days = p.measures.followup_days + p.measures.waiting_days;
  return p;
}

struct Rates {
  OutcomeTotals exact, stepped;
};

// The engine and the reference on one cohort, with independent random
// streams (replicates 0 and 1), so their difference is the discretisation
// bias plus the sampling error of two independent binomials.
Rates run_both(const Parameters& p, double step_days) {
  const std::uint64_t seed = 20101001;
  const Cohort cohort = synthesise_cohort(p, seed, 0);
  return {measure(p, cohort, simulate(p, cohort, {seed, 0}), false).overall,
          measure(p, cohort, reference::simulate_fixed_step(p, cohort, {seed, 1}, step_days), false).overall};
}

// Four standard errors of the difference of two independent proportions
// (binomial variance of each; the fixed cohort only lowers the true variance):
// a faithful discretisation fails with probability about 6e-5.
double tolerance(double a, double b, double n) { return 4.0 * std::sqrt((a * (1 - a) + b * (1 - b)) / n); }

}  // namespace

TEST_CASE("with a small step the reference's rates are the engine's", "[reference]") {
  const Parameters p = baseline(20000);
  const Rates r = run_both(p, 0.25);
  const double n = r.exact.people;
  REQUIRE(r.stepped.people == n);
  const double exact = r.exact.binary_rate(), stepped = r.stepped.binary_rate();
  INFO("binary rate: exact " << exact << ", quarter-day steps " << stepped);
  CHECK(exact > 0.15);  // the comparison is of a rate far from 0
  CHECK(std::abs(stepped - exact) <= tolerance(exact, stepped, n));
  const double died = r.exact.deaths / n, stepped_died = r.stepped.deaths / n;
  INFO("deaths per person: exact " << died << ", quarter-day steps " << stepped_died);
  CHECK(died > 0.0);
  CHECK(std::abs(stepped_died - died) <= tolerance(died, stepped_died, n));
}

TEST_CASE("with no offending hazard neither reoffends", "[reference]") {
  Parameters p = baseline(5000);
  for (SentenceGroup& g : p.cohort.groups) g.offending_multiplier = 0.0;
  const Rates r = run_both(p, 1.0);
  CHECK(r.exact.people == 5000);
  CHECK(r.stepped.people == 5000);
  CHECK(r.exact.reoffenders == 0);
  CHECK(r.stepped.reoffenders == 0);
  CHECK(r.stepped.reoffences == 0);
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
