// The shipped baseline reproduces the published national figures with its
// default seed (issue 2's acceptance figures; the tolerances are those asked
// for, well above the Monte Carlo error of a 540,000-person cohort, which is
// about 0.06 percentage points on the overall rate), and every calibration
// target it was fitted to (issue 7).
#include <catch2/catch.hpp>

#include <cmath>

#include "desist/calibration.hpp"
#include "desist/experiment.hpp"
#include "desist/scenario.hpp"

using namespace desist;

TEST_CASE("the baseline reproduces the 2010/11 national figures", "[baseline]") {
  const Scenario s = load_scenario(std::string(DESIST_SOURCE_DIR) + "/scenarios/baseline.yaml");
  RunOptions o;
  o.seed = s.seed;
  o.replicates = 1;
  o.keep_people = false;
  const RunResult r = run_scenario(s, o);
  REQUIRE(r.cohort_size == 540000);
  const OutcomeTotals& all = r.replicates[0].overall;
  CHECK(all.binary_rate() == Approx(0.256).margin(0.010));
  CHECK(all.reoffences_per_reoffender() == Approx(2.90).margin(0.15));
  const Breakdown& sentence = r.replicates[0].breakdowns[0];
  auto rate = [&](const std::string& group) {
    for (std::size_t c = 0; c < sentence.categories.size(); ++c)
      if (sentence.categories[c] == group) return sentence.totals[c].binary_rate();
    FAIL("no group " << group);
    return 0.0;
  };
  CHECK(rate("custody_under_12m") == Approx(0.58).margin(0.02));
  CHECK(rate("community_order") == Approx(0.34).margin(0.02));
  CHECK(rate("suspended_sentence_order") == Approx(0.34).margin(0.02));

  // Every target the baseline is calibrated to (scenarios/targets/england_wales_2011.yaml,
  // docs/calibration.md), within 1.96 of its stated tolerance.
  const CalibrationTargets targets =
      load_calibration_targets(std::string(DESIST_SOURCE_DIR) + "/scenarios/targets/england_wales_2011.yaml");
  for (const TargetFit& f : fit_targets(targets, r)) {
    INFO(f.target->label << ": simulated " << f.simulated.mean << ", observed " << f.target->observed << " (se "
                         << f.target->se << ")");
    CHECK(std::abs(f.residual) <= 1.96);
  }
}
