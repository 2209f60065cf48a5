// Payment-by-Results contracts end to end: outcome definitions on hand-built
// histories, contract files and their errors, comparisons, the power curve
// against its closed form, the participant evaluation's bias, pricing from a
// results file, and reproducibility. The payment rules themselves are tested
// in test_payment.cpp.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>

#include "desist/contract.hpp"
#include "desist/contract_outcomes.hpp"
#include "desist/pbr.hpp"
#include "desist/pbr_results.hpp"

using namespace desist;

namespace {

// Where the test contracts stand: their scenario and services are relative to it.
const std::string contract_file = std::string(DESIST_SOURCE_DIR) + "/tests/cpp/data/contracts/test.yaml";

// A small world of short-sentence releases in two areas drawn at random (so
// being in the contract's area is random assignment), a contract on the
// `site` area, and the given service, comparison and evaluation sections.
std::string contract_text(const std::string& service, const std::string& comparison,
                          const std::string& evaluation = "", const std::string& scenario_set = "") {
  return R"(contract: {name: test contract, source: tests, commissioner: hmpps}
scenario:
  file: ../../../../scenarios/baseline.yaml
  set:
    run.horizon_years: 1.6
    cohort.size: 6000
    cohort.areas: {site: 0.3, pool: 0.7}
    cohort.groups.custody_under_12m.share: 1
    cohort.groups.custody_12m_to_4y.share: 0
    cohort.groups.custody_4y_plus.share: 0
    cohort.groups.community_order.share: 0
    cohort.groups.suspended_sentence_order.share: 0
    cohort.groups.other_disposal.share: 0
)" + scenario_set +
         "service: {file: services/" + service + R"(.yaml}
cohorts:
  eligible: {groups: [custody_under_12m], areas: [site]}
  close: {size: 600}
  count: 2
outcomes:
  binary: {measure: proven_binary}
  events: {measure: conviction_events, per: 100}
comparison:
)" + comparison + R"(
payments:
  components:
    - name: cohort
      measure: binary
      threshold: {points: 2}
      price: {per: percentage_point, amount: 1000}
)" + evaluation;
}

const std::string matched = R"(  method: matched
  pool_areas: [pool]
  covariates: [age, previous_sanctions, age_at_first_sanction, ogrs3, sentence_days]
  ratio: 3)";
const std::string randomised = "  method: randomised\n  pool_areas: [pool]";

ContractRunOptions quick(int replicates) {
  ContractRunOptions o;
  o.replicates = replicates;
  o.power = false;
  o.gaming = false;
  o.threads = 2;
  return o;
}

Event event(double t, EventKind k, std::uint16_t count = 1, std::uint8_t detail = 0) { return Event{t, 0, k, detail, count}; }

std::string error_of(const std::string& text) {
  try {
    parse_contract(text, contract_file);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("contract outcomes read the windows, offences, conviction events and demand", "[pbr]") {
  // Two offences disposed of at one court appearance, a caution for a third,
  // and an offence whose conviction comes after follow-up + waiting.
  const std::vector<Event> h{event(10, EventKind::offence),  event(20, EventKind::offence),
                             event(60, EventKind::court, 2, static_cast<std::uint8_t>(Disposal::community_order)),
                             event(60, EventKind::supervision, 0, static_cast<std::uint8_t>(Supervision::community_order)),
                             event(70, EventKind::offence),  event(90, EventKind::caution),
                             event(300, EventKind::offence), event(600, EventKind::court, 1)};
  const DemandPrices prices{1000.0, 100.0, 10.0, 1.0};
  const auto value = [&](ContractMeasure m, double followup = 365, double waiting = 183) {
    OutcomeDefinition d;
    d.measure = m;
    d.followup_days = followup;
    d.waiting_days = waiting;
    return person_outcome(d, prices, h.data(), h.data() + h.size());
  };
  CHECK(value(ContractMeasure::proven_binary).value == 1.0);
  CHECK(value(ContractMeasure::proven_frequency).value == 3.0);  // the offence convicted on day 600 is too late
  CHECK(value(ContractMeasure::conviction_events).value == 1.0); // one court occasion for two offences
  CHECK(value(ContractMeasure::reconvicted).value == 1.0);
  CHECK(value(ContractMeasure::frequency_per_reoffender).counted);
  CHECK(value(ContractMeasure::proven_frequency, 365, 500).value == 4.0);  // a longer wait catches it
  // Within 30 days of follow-up: no offence is proven, and a per-reoffender frequency does not count the person.
  CHECK(value(ContractMeasure::proven_binary, 5, 183).value == 0.0);
  CHECK_FALSE(value(ContractMeasure::frequency_per_reoffender, 5, 183).counted);
  // Demand: one court appearance and one caution proven; the community order
  // supervises from day 60 to the end of the 365-day follow-up.
  CHECK(value(ContractMeasure::demand).value == Approx(1000.0 + 100.0 + (365.0 - 60.0) * 1.0).epsilon(1e-12));

  CohortValueSum sum;
  for (double v : {0.0, 1.0, 1.0, 0.0}) sum.add({v, true});
  sum.add({7.0, false});
  const CohortValue c = sum.result();
  CHECK(c.denominator == 4.0);
  CHECK(c.value == 0.5);
  CHECK(c.standard_error == Approx(std::sqrt(1.0 / 3.0 / 4.0)));
}

TEST_CASE("contract files are checked, with the file, line and key of a mistake", "[pbr][input]") {
  const std::string good = contract_text("no_effect", matched);
  CHECK_NOTHROW(parse_contract(good, contract_file));

  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string t = good;
    const auto at = t.find(from);
    REQUIRE(at != std::string::npos);
    return t.replace(at, from.size(), to);
  };
  CHECK_THAT(error_of(replaced("{measure: proven_binary}", "{measure: proven_binery}")),
             Catch::Contains("test.yaml:20:") && Catch::Contains("'outcomes.binary.measure'") &&
                 Catch::Contains("proven_binary"));
  CHECK_THAT(error_of(replaced("pool_areas: [pool]", "pool_areas: [site]")),
             Catch::Contains("also the cohort's"));
  CHECK_THAT(error_of(replaced("pool_areas: [pool]", "pool_areas: [poole]")),
             Catch::Contains("unknown area 'poole'") && Catch::Contains("pool"));
  CHECK_THAT(error_of(replaced("  ratio: 3", "  ratio: 3\n  baseline: {binary: {value: 0.5}}")),
             Catch::Contains("a matched comparison has no 'baseline'"));
  CHECK_THAT(error_of(replaced("commissioner: hmpps", "commissioner: hmps")),
             Catch::Contains("unknown agency 'hmps'") && Catch::Contains("hmpps"));
  CHECK_THAT(error_of(replaced("{measure: proven_binary}", "{measure: proven_binary, followup_days: 730}")),
             Catch::Contains("run past the scenario's horizon"));
  CHECK_THAT(error_of(replaced("covariates: [age,", "covariates: [agee,")), Catch::Contains("unknown person attribute 'agee'"));
  CHECK_THAT(error_of(replaced("count: 2", "count: 2\n  colour: red")), Catch::Contains("'cohorts.colour'"));
  CHECK_THAT(error_of(replaced("close: {size: 600}", "close: {size: 600, period_days: 30}")),
             Catch::Contains("give one of size or period_days"));
  CHECK_THAT(error_of(replaced("measure: binary\n", "measure: binari\n")), Catch::Contains("binary"));

  // Too few eligible people is found once the cohort is drawn, and located at cohorts.close.
  const Contract c = parse_contract(replaced("close: {size: 600}", "close: {size: 5000}"), contract_file);
  try {
    evaluate_contract(c, quick(1));
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("test.yaml:17:") && Catch::Contains("need 10000 eligible people"));
  }
}

TEST_CASE("a service with no effect has no true effect, and matching and randomisation measure none",
          "[pbr][comparison]") {
  // Being in the site is random, so the pool is a fair comparison. The true
  // effect is exactly zero (the same people and random numbers in both
  // worlds); each method's mean measured effect over 40 replicates × 2
  // cohorts must lie within 4 standard errors of the mean of zero.
  for (const std::string& comparison : {matched, randomised}) {
    const Contract c = parse_contract(contract_text("no_effect", comparison), contract_file);
    const ContractRun run = evaluate_contract(c, quick(40));
    for (const ContractReplicate& r : run.recorded) {
      const ReplicatePricing p = price_replicate(c, r);
      for (const auto& by_cohort : p.true_improvement)
        for (double t : by_cohort) CHECK(t == 0.0);
    }
    for (const EffectReading& e : run.evaluation.effects) {
      INFO(comparison << "\n" << e.outcome);
      const double n = static_cast<double>(e.measured.mean.replicates);
      REQUIRE(n == 80);
      CHECK(std::abs(e.measured.mean.mean) < 4.0 * e.measured.mean.sd / std::sqrt(n));
      CHECK(e.truth.mean.mean == 0.0);
    }
  }
}

TEST_CASE("the simulated power curve agrees with the analytic one", "[pbr][power]") {
  // A randomised comparison is unbiased, so the one-sided z test of the first
  // cohort passes with probability Φ(δ/SE − z) (the analytic power). Over R
  // replicates the simulated share is binomial: it must lie within 4 of its
  // standard errors of the analytic value at every point.
  const std::string evaluation = R"(evaluation:
  power: {cohort_sizes: [300, 600], service_multipliers: [1.0, 0.8, 0.5]})";
  const Contract c = parse_contract(contract_text("effective", randomised, evaluation), contract_file);
  ContractRunOptions o = quick(150);
  o.power = true;
  const ContractRun run = evaluate_contract(c, o);
  REQUIRE(run.evaluation.power.size() == 6);
  bool some_power = false;
  for (const PowerPoint& p : run.evaluation.power) {
    INFO("size " << p.cohort_size << ", multiplier " << p.service_multiplier << ": simulated " << p.simulated_power
                 << ", analytic " << p.analytic_power);
    const double a = p.analytic_power;
    CHECK(std::abs(p.simulated_power - a) <= 4.0 * std::sqrt(a * (1.0 - a) / 150.0) + 1e-9);
    some_power = some_power || a > 0.5;
  }
  CHECK(some_power);  // the curve reaches the region where power matters
  // The minimum detectable effect is where the analytic power is the target:
  // at a true effect of that size the curve gives 80%.
  const DetectableEffect& d = run.evaluation.detectable.front();
  CHECK(d.absolute == Approx((1.6448536269514722 + 0.8416212335729143) * d.standard_error).epsilon(1e-9));
}

TEST_CASE("a participant evaluation is biased when readiness drives both uptake and offending", "[pbr][participants]") {
  // Uptake rises steeply with readiness (the service's readiness_log_odds 8);
  // with readiness also lowering offending, participants would have offended
  // less anyway, and matching on observed covariates cannot see it.
  const std::string biased_world = "    offending.readiness_log_rate: -3\n";
  const Contract biased = parse_contract(contract_text("effective", randomised, "", biased_world), contract_file);
  const ParticipantEvaluation b = evaluate_contract(biased, quick(30)).evaluation.participants;
  REQUIRE(b.bias.replicates == 30);
  CHECK(b.bias.ci_low > 0.0);  // the evaluation overstates the effect

  // Without that link the same evaluation is unbiased: its 95% interval holds zero.
  const Contract fair = parse_contract(contract_text("effective", randomised), contract_file);
  const ParticipantEvaluation f = evaluate_contract(fair, quick(30)).evaluation.participants;
  CHECK(f.bias.ci_low < 0.0);
  CHECK(f.bias.ci_high > 0.0);
}

TEST_CASE("pricing from a results file equals pricing during the run", "[pbr][results]") {
  const Contract c = parse_contract(contract_text("effective", matched), contract_file);
  const ContractRun run = evaluate_contract(c, quick(4));
  const auto file = std::filesystem::temp_directory_path() / "desist_test_pbr_results.h5";
  write_contract_hdf5(file.string(), c, run);
  std::uint64_t seed = 0;
  const std::vector<ContractReplicate> read = read_contract_replicates(file.string(), c, &seed);
  ContractEvaluation again = price_recorded(c, read);
  again.seed = seed;
  CHECK(contract_json(again) == contract_json(run.evaluation));

  // Another contract on the same records: other payment terms and comparison
  // are fine; an outcome that was not recorded is named.
  std::string text = contract_text("effective", randomised);
  const Contract other = parse_contract(text, contract_file);
  CHECK(price_recorded(other, read_contract_replicates(file.string(), other)).replicates == 4);
  text.replace(text.find("{measure: conviction_events, per: 100}"), 38, "{measure: conviction_events, waiting_days: 90}");
  const Contract missing = parse_contract(text, contract_file);
  CHECK_THROWS_WITH(read_contract_replicates(file.string(), missing),
                    Catch::Contains("'outcomes.events'") && Catch::Contains("does not hold this outcome"));
  std::filesystem::remove(file);
}

TEST_CASE("a contract evaluation is the same for any number of threads", "[pbr][reproducibility]") {
  const std::string evaluation = R"(evaluation:
  power: {cohort_sizes: [300], service_multipliers: [0.8]}
  strategies: [as_written, lowest_risk, park_hardest, stop_when_unreachable])";
  const Contract c = parse_contract(contract_text("effective", matched, evaluation), contract_file);
  ContractRunOptions o = quick(3);
  o.power = o.gaming = true;
  o.threads = 1;
  const std::string one = contract_json(evaluate_contract(c, o).evaluation);
  o.threads = 2;
  CHECK(contract_json(evaluate_contract(c, o).evaluation) == one);
}

TEST_CASE("gaming strategies change who is served, and stopping saves delivery cost", "[pbr][gaming]") {
  const std::string evaluation = R"(evaluation:
  strategies: [as_written, highest_risk, lowest_risk, park_hardest, stop_when_unreachable])";
  const Contract c = parse_contract(contract_text("capped", randomised, evaluation), contract_file);
  ContractRunOptions o = quick(6);
  o.gaming = true;
  const ContractEvaluation e = evaluate_contract(c, o).evaluation;
  REQUIRE(e.strategies.size() == 5);
  const auto& as_written = e.strategies[0];
  const auto& stop = e.strategies[4];
  CHECK(stop.service_cost.mean <= as_written.service_cost.mean);
  // With few places, whom the provider serves first changes what the service does.
  CHECK(e.strategies[1].true_units_averted.mean != e.strategies[2].true_units_averted.mean);
  CHECK_FALSE(e.strategy_rewarded.empty());
  CHECK_FALSE(e.strategy_wanted.empty());

  // Parking: nobody above the riskiest quarter's threshold starts.
  const Option parked = service_for(c, Strategy::park_hardest, 0.6, std::numeric_limits<double>::infinity());
  for (std::size_t i : c.service_interventions())
    CHECK(parked.scenario.parameters.interventions[i].eligibility.max_ogrs == 0.6);
}
