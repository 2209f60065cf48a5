// Calibration: the targets file and its errors, the optimiser, recovery of
// known parameters of a simulated scenario, and rewriting a scenario in place.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "desist/calibration.hpp"
#include "desist/error.hpp"
#include "desist/scenario.hpp"

using namespace desist;

namespace {

const std::string baseline_path = std::string(DESIST_SOURCE_DIR) + "/scenarios/baseline.yaml";
const std::string shipped_targets = std::string(DESIST_SOURCE_DIR) + "/scenarios/targets/england_wales_2011.yaml";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A targets file with one valid target and one parameter, with `target` and
// `parameter` lines put in their places (for error tests).
std::string targets_text(const std::string& target_extra, const std::string& parameter_extra = "") {
  return "targets:\n"
         "  - measure: binary_rate\n"
         "    observed: 0.256\n"
         "    se: 0.005\n"
         "    source: test\n" +
         target_extra +
         "parameters:\n"
         "  - key: cohort.groups.other_disposal.offending_multiplier\n"
         "    lower: 0.01\n"
         "    upper: 5\n" +
         parameter_extra;
}

}  // namespace

TEST_CASE("the shipped targets file reads, and every target has a source", "[calibration]") {
  const CalibrationTargets t = load_calibration_targets(shipped_targets);
  REQUIRE(t.targets.size() == 6);
  REQUIRE(t.parameters.size() == 6);
  for (const auto& target : t.targets) {
    CHECK_FALSE(target.source.empty());
    CHECK(target.se > 0.0);
  }
  CHECK(t.targets[0].measure == TargetMeasure::binary_rate);
  CHECK(t.targets[0].observed == 0.256);
  CHECK(t.targets[1].measure == TargetMeasure::reoffences_per_reoffender);
  CHECK(t.targets[5].categories == std::vector<std::string>{"community_order", "suspended_sentence_order"});
  CHECK(t.parameters[3].keys.size() == 2);  // court orders tied
  CHECK(t.parameters[5].log_scale);
  check_targets(t, load_scenario(baseline_path).parameters);  // every group and category exists
}

TEST_CASE("targets file errors name file, line, column, key and the nearest word", "[calibration]") {
  const std::string f = "t.yaml";
  auto parse = [&](const std::string& text) { return parse_calibration_targets(text, f); };

  CHECK_NOTHROW(parse(targets_text("")));
  // Unknown keys and words, with the nearest valid one.
  CHECK_THROWS_WITH(parse(targets_text("    mesure: binary_rate\n")),
                    Catch::Contains("t.yaml:6:5: 'targets.0.mesure': unknown key 'mesure'") &&
                        Catch::Contains("did you mean 'measure'?"));
  CHECK_THROWS_WITH(parse("targets:\n  - measure: binary_rat\n    observed: 0.2\n    se: 0.01\n    source: x\n"
                          "parameters:\n  - {key: a.b, lower: 0, upper: 1}\n"),
                    Catch::Contains("t.yaml:2:14: 'targets.0.measure'") && Catch::Contains("did you mean 'binary_rate'?"));
  CHECK_THROWS_WITH(parse("target:\n  - measure: binary_rate\n"),
                    Catch::Contains("t.yaml:1:1: 'target'") && Catch::Contains("did you mean 'targets'?"));
  CHECK_THROWS_WITH(parse(targets_text("    group: {dimension: sentense, category: x}\n")),
                    Catch::Contains("t.yaml:6:24: 'targets.0.group.dimension'") &&
                        Catch::Contains("did you mean 'sentence'?"));
  // Standard errors.
  CHECK_THROWS_WITH(parse("targets:\n  - measure: binary_rate\n    observed: 0.2\n    source: x\n"
                          "parameters:\n  - {key: a.b, lower: 0, upper: 1}\n"),
                    Catch::Contains("t.yaml:2:5: 'targets.0'") && Catch::Contains("missing 'se'"));
  CHECK_THROWS_WITH(parse(targets_text("    weight: 4\n")), Catch::Contains("t.yaml:6:13: 'targets.0.weight'") &&
                                                                   Catch::Contains("not both"));
  CHECK_THROWS_WITH(parse("targets:\n  - measure: binary_rate\n    observed: 0.2\n    se: 0\n    source: x\n"
                          "parameters:\n  - {key: a.b, lower: 0, upper: 1}\n"),
                    Catch::Contains("t.yaml:4:9: 'targets.0.se'") && Catch::Contains("greater than 0"));
  // Rates are proportions.
  CHECK_THROWS_WITH(parse("targets:\n  - measure: binary_rate\n    observed: 25.6\n    se: 0.5\n    source: x\n"
                          "parameters:\n  - {key: a.b, lower: 0, upper: 1}\n"),
                    Catch::Contains("t.yaml:3:15: 'targets.0.observed'") && Catch::Contains("write 0.256, not 25.6"));
  // Whole-cohort measures take no group; day and month belong to their measures.
  CHECK_THROWS_WITH(parse("targets:\n  - measure: rate_at_day\n    day: 90\n    group: {dimension: sex, category: male}\n"
                          "    observed: 0.1\n    se: 0.01\n    source: x\n"
                          "parameters:\n  - {key: a.b, lower: 0, upper: 1}\n"),
                    Catch::Contains("t.yaml:4:12: 'targets.0.group'") && Catch::Contains("whole cohort only"));
  CHECK_THROWS_WITH(parse(targets_text("    day: 30\n")), Catch::Contains("'targets.0.day'") &&
                                                               Catch::Contains("rate_at_day targets only"));
  CHECK_THROWS_WITH(parse("targets:\n  - measure: rate_at_day\n    observed: 0.1\n    se: 0.01\n    source: x\n"
                          "parameters:\n  - {key: a.b, lower: 0, upper: 1}\n"),
                    Catch::Contains("t.yaml:2:5") && Catch::Contains("needs 'day'"));
  // Groups: one of category or categories.
  CHECK_THROWS_WITH(parse(targets_text("    group: {dimension: sex}\n")),
                    Catch::Contains("'targets.0.group'") && Catch::Contains("either 'category'"));
  CHECK_THROWS_WITH(parse(targets_text("    group: {dimension: sex, categories: [male, male]}\n")),
                    Catch::Contains("'targets.0.group.categories.1'") && Catch::Contains("listed twice"));
  // Sources are required.
  CHECK_THROWS_WITH(parse("targets:\n  - measure: binary_rate\n    observed: 0.2\n    se: 0.01\n"
                          "parameters:\n  - {key: a.b, lower: 0, upper: 1}\n"),
                    Catch::Contains("missing required key 'source'"));
  // Parameters.
  CHECK_THROWS_WITH(parse(targets_text("", "    lowr: 1\n")),
                    Catch::Contains("t.yaml:10:5: 'parameters.0.lowr'") && Catch::Contains("did you mean 'lower'?"));
  CHECK_THROWS_WITH(parse("targets:\n  - {measure: binary_rate, observed: 0.2, se: 0.01, source: x}\n"
                          "parameters:\n  - {key: a.b, lower: 2, upper: 1}\n"),
                    Catch::Contains("t.yaml:4:33: 'parameters.0.upper'") && Catch::Contains("above 'lower'"));
  CHECK_THROWS_WITH(parse("targets:\n  - {measure: binary_rate, observed: 0.2, se: 0.01, source: x}\n"
                          "parameters:\n  - {key: a.b, lower: 0, upper: 1, log: true}\n"),
                    Catch::Contains("'parameters.0.lower'") && Catch::Contains("lower > 0"));
  CHECK_THROWS_WITH(parse("targets:\n  - {measure: binary_rate, observed: 0.2, se: 0.01, source: x}\n"
                          "parameters:\n  - {key: a.b, lower: 0, upper: 1}\n  - {keys: [c.d, a.b], lower: 0, upper: 1}\n"),
                    Catch::Contains("t.yaml:5:5: 'parameters.1'") && Catch::Contains("'a.b' is already a free parameter"));
  CHECK_THROWS_WITH(parse("targets:\n  - {measure: binary_rate, observed: 0.2, se: 0.01, source: x}\n"
                          "parameters:\n  - {key: a.b=3, lower: 0, upper: 1}\n"),
                    Catch::Contains("'parameters.0.key'") && Catch::Contains("not a key path"));
  CHECK_THROWS_WITH(parse("targets: []\nparameters: []\n"), Catch::Contains("at least one target"));
  CHECK_THROWS_WITH(parse("- a\n- b\n"), Catch::Contains("t.yaml:1:1") && Catch::Contains("a targets file must be"));
  CHECK_THROWS_WITH(parse("targets: [\n"), Catch::Contains("malformed YAML"));
}

TEST_CASE("targets are checked against the scenario, errors located in the targets file", "[calibration]") {
  const Parameters p = load_scenario(baseline_path).parameters;
  const auto with_group = parse_calibration_targets(
      targets_text("    group: {dimension: sentence, categories: [community_order, suspended_order]}\n"), "t.yaml");
  CHECK_THROWS_WITH(check_targets(with_group, p), Catch::Contains("t.yaml:6:64: 'targets.0.group.categories.1'") &&
                                                      Catch::Contains("'suspended_sentence_order'"));
  const auto late = parse_calibration_targets(
      "targets:\n  - {measure: rate_at_day, day: 400, observed: 0.2, se: 0.01, source: x}\n"
      "parameters:\n  - {key: a.b, lower: 0, upper: 1}\n",
      "t.yaml");
  CHECK_THROWS_WITH(check_targets(late, p), Catch::Contains("t.yaml:2:33: 'targets.0.day'") &&
                                                Catch::Contains("past the follow-up (365 days)"));
  // A free parameter the scenario does not set, or sets outside the bounds.
  const std::string text = read_text(baseline_path);
  CalibrationOptions o;
  o.size = 1000;
  o.max_evaluations = 1;
  const auto missing = parse_calibration_targets(
      targets_text("", "  - {key: offending.never_reoffend_shar, lower: 0, upper: 1}\n"), "t.yaml");
  CHECK_THROWS_WITH(calibrate(text, "b.yaml", missing, o),
                    Catch::Contains("t.yaml:10:5") && Catch::Contains("does not set 'offending.never_reoffend_shar'"));
  const auto outside = parse_calibration_targets(
      "targets:\n  - {measure: binary_rate, observed: 0.2, se: 0.01, source: x}\n"
      "parameters:\n  - {key: offending.frailty_variance, lower: 2, upper: 3}\n",
      "t.yaml");
  CHECK_THROWS_WITH(calibrate(text, "b.yaml", outside, o),
                    Catch::Contains("t.yaml:4:5") && Catch::Contains("(1.") && Catch::Contains("outside the bounds [2, 3]"));
}

TEST_CASE("Nelder-Mead and Levenberg-Marquardt find the minimum of smooth functions", "[calibration]") {
  // A shifted, badly scaled quadratic in 4 dimensions.
  const Eigen::Vector4d centre(1.0, -2.0, 0.5, 3.0);
  auto quadratic = [&](const Eigen::VectorXd& x) {
    const Eigen::Vector4d d = x - centre;
    return d[0] * d[0] + 10 * d[1] * d[1] + 0.1 * d[2] * d[2] + d[3] * d[3] + 0.5 * d[0] * d[3];
  };
  const SearchResult q = minimise_simplex(quadratic, Eigen::VectorXd::Zero(4), 1.0, 5000, 1e-12, 1e-7);
  CHECK(q.converged);
  CHECK((q.x - Eigen::VectorXd(centre)).cwiseAbs().maxCoeff() < 1e-4);
  // Rosenbrock's banana valley, from the usual start.
  auto rosenbrock = [](const Eigen::VectorXd& x) {
    return 100 * std::pow(x[1] - x[0] * x[0], 2) + std::pow(1 - x[0], 2);
  };
  Eigen::VectorXd start(2);
  start << -1.2, 1.0;
  const SearchResult r = minimise_simplex(rosenbrock, start, 0.5, 5000, 1e-14, 1e-8);
  CHECK(r.converged);
  CHECK(r.x[0] == Approx(1.0).margin(1e-4));
  CHECK(r.x[1] == Approx(1.0).margin(1e-4));
  CHECK(r.evaluations < 1000);
  // Rosenbrock as least squares, r = (10 (x1 - x0^2), 1 - x0), with forward
  // differences of a small step.
  auto residuals = [](const Eigen::VectorXd& x) {
    Eigen::VectorXd r(2);
    r << 10 * (x[1] - x[0] * x[0]), 1 - x[0];
    return r;
  };
  const SearchResult lm = minimise_least_squares(residuals, start, 1e-7, 2000, 1e-20, 0.5);
  CHECK(lm.x[0] == Approx(1.0).margin(1e-5));
  CHECK(lm.x[1] == Approx(1.0).margin(1e-5));
  CHECK(lm.evaluations < 200);
  // A linear least-squares problem is solved in one step (3 evaluations for the
  // Jacobian, 1 trial, then the stopping step's).
  const Eigen::Vector3d target(1.0, 2.0, 3.0);
  auto linear = [&](const Eigen::VectorXd& x) {
    Eigen::VectorXd r(3);
    r << x[0] + x[1] - target[0], x[0] - x[1] - target[1], 2 * x[0] - target[2];
    return r;
  };
  const SearchResult l = minimise_least_squares(linear, Eigen::VectorXd::Zero(2), 1e-3, 100, 1e-12, 100.0);
  CHECK(l.converged);
  CHECK(l.x[0] == Approx(1.5).margin(1e-6));  // normal equations: 6 x0 = 9, 2 x1 = -1
  CHECK(l.x[1] == Approx(-0.5).margin(1e-6));
}

TEST_CASE("the box transform maps the real line into the bounds and back", "[calibration]") {
  CalibrationParameter lin;
  lin.lower = -1.0;
  lin.upper = 3.0;
  CalibrationParameter log;
  log.lower = 0.02;
  log.upper = 5.0;
  log.log_scale = true;
  for (double x : {-0.99, 0.0, 1.0, 2.5}) CHECK(from_search_scale(lin, to_search_scale(lin, x)) == Approx(x));
  for (double x : {0.021, 0.1, 1.0, 4.9}) CHECK(from_search_scale(log, to_search_scale(log, x)) == Approx(x));
  CHECK(from_search_scale(lin, 0.0) == Approx(1.0));                  // the middle of the box
  CHECK(from_search_scale(log, 0.0) == Approx(std::sqrt(0.02 * 5.0)));  // its geometric middle
  CHECK(from_search_scale(log, 1e3) == Approx(5.0));
  CHECK(from_search_scale(log, -1e3) == Approx(0.02));
}

TEST_CASE("rewriting in place changes only the values and keeps every comment", "[calibration]") {
  const std::string text =
      "# top comment: £ and – survive\n"
      "run:\n"
      "  seed: 7   # a seed\n"
      "cohort:\n"
      "  groups:\n"
      "    a:\n"
      "      offending_multiplier: 0.5      # hand-set (£ assumption)\n"
      "      sentence_days: {median: 100, sigma: 0.6}   # flow map\n"
      "    \"b\":\n"
      "      offending_multiplier: \"0.25\"   # quoted\n"
      "\n"
      "  # a comment line between keys\n"
      "offending:\n"
      "  frailty_variance: 1.3\n"
      "label: {name: \"£5 – note\", value: 2.5}\r\n"
      "tail: x  # last line without a newline";
  std::vector<CalibrationParameter> ps(4);
  ps[0].keys = {"cohort.groups.a.offending_multiplier", "cohort.groups.b.offending_multiplier"};  // tied
  ps[1].keys = {"cohort.groups.a.sentence_days.sigma"};
  ps[2].keys = {"offending.frailty_variance"};
  ps[3].keys = {"label.value"};
  const std::string once = rewrite_scenario_values(text, "x.yaml", ps, {0.43216, 0.75, 2.0, 3.25}, 4, "NOTE {value}");
  const std::string expected =
      "# top comment: £ and – survive\n"
      "run:\n"
      "  seed: 7   # a seed\n"
      "cohort:\n"
      "  groups:\n"
      "    a:\n"
      "      offending_multiplier: 0.4322   # hand-set (£ assumption)  # NOTE 0.4322\n"
      "      sentence_days: {median: 100, sigma: 0.75}   # flow map  # NOTE 0.75\n"
      "    \"b\":\n"
      "      offending_multiplier: 0.4322   # quoted  # NOTE 0.4322\n"
      "\n"
      "  # a comment line between keys\n"
      "offending:\n"
      "  frailty_variance: 2   # NOTE 2\n"
      "label: {name: \"£5 – note\", value: 3.25}   # NOTE 3.25\r\n"
      "tail: x  # last line without a newline";
  CHECK(once == expected);
  CHECK(scenario_value(once, "x.yaml", "cohort.groups.b.offending_multiplier", {}) == 0.4322);
  CHECK(scenario_value(once, "x.yaml", "label.value", {}) == 3.25);

  // Calibrating again replaces the earlier note instead of adding another.
  const std::string calibrated_note = "calibrated: {value} by test";
  const std::string twice = rewrite_scenario_values(once, "x.yaml", ps, {0.5, 0.7, 1.5, 3.0}, 4, calibrated_note);
  const std::string thrice = rewrite_scenario_values(twice, "x.yaml", ps, {0.6, 0.7, 1.5, 3.0}, 4, calibrated_note);
  CHECK(thrice.find("      offending_multiplier: 0.6      # hand-set (£ assumption)  # NOTE 0.4322  # calibrated: 0.6 by test\n") !=
        std::string::npos);
  // "2" became "1.5": two spaces fewer before the comment, one left.
  CHECK(thrice.find("  frailty_variance: 1.5 # NOTE 2  # calibrated: 1.5 by test\n") != std::string::npos);
  CHECK(thrice.find("calibrated: 0.5") == std::string::npos);

  // The shipped baseline: only the free parameters' lines change.
  const std::string base = read_text(baseline_path);
  const CalibrationTargets t = load_calibration_targets(shipped_targets);
  std::vector<double> values;
  for (const auto& p : t.parameters) values.push_back(scenario_value(base, baseline_path, p.keys[0], p.where) * 1.01);
  const std::string rewritten = rewrite_scenario_values(base, baseline_path, t.parameters, values, 4, "calibrated: {value} by test");
  std::istringstream a(base), b(rewritten);
  std::string la, lb;
  int changed = 0;
  while (std::getline(a, la) && std::getline(b, lb)) {
    if (la == lb) continue;
    ++changed;
    CHECK(lb.find("# calibrated: ") != std::string::npos);
    CHECK(la.substr(0, la.find(':')) == lb.substr(0, lb.find(':')));
  }
  CHECK_FALSE(std::getline(b, lb));  // no lines added
  CHECK(changed == 7);               // six parameters, one of them tied to two keys
  const Scenario s = parse_scenario(rewritten, baseline_path);
  CHECK(s.parameters.cohort.groups[0].offending_multiplier ==
        std::stod(format_value(load_scenario(baseline_path).parameters.cohort.groups[0].offending_multiplier * 1.01, 4)));
}

TEST_CASE("calibration recovers the parameters a scenario was simulated with", "[calibration]") {
  // Simulate the baseline (10,000 people) with known offending multipliers of
  // three groups, take the simulated rates as targets, start the search
  // elsewhere, and recover the values, with either optimiser. With the same
  // seed the objective is exactly 0 at the truth and, with common random
  // numbers, smooth around it but for the discreteness of counts (a group of
  // 1,000 moves in steps of 0.1 points, 0.2 of a standard error here), so the
  // values come back to within 2%.
  const std::string text = read_text(baseline_path);
  CalibrationTargets t = parse_calibration_targets(
      "targets:\n"
      "  - {measure: binary_rate, group: {dimension: sentence, category: custody_under_12m}, observed: 0, se: 0.005, source: simulated}\n"
      "  - {measure: binary_rate, group: {dimension: sentence, category: community_order}, observed: 0, se: 0.005, source: simulated}\n"
      "  - {measure: binary_rate, group: {dimension: sentence, category: other_disposal}, observed: 0, se: 0.005, source: simulated}\n"
      "parameters:\n"
      "  - {key: cohort.groups.custody_under_12m.offending_multiplier, lower: 0.02, upper: 5, log: true}\n"
      "  - {key: cohort.groups.community_order.offending_multiplier, lower: 0.02, upper: 5, log: true}\n"
      "  - {key: cohort.groups.other_disposal.offending_multiplier, lower: 0.02, upper: 5, log: true}\n",
      "recover.yaml");
  const std::vector<double> truth{0.6, 0.25, 0.12};
  const std::uint64_t seed = 11;
  const std::size_t size = 10000;
  {
    std::vector<std::string> set{"cohort.size=" + std::to_string(size)};
    for (std::size_t k = 0; k < truth.size(); ++k) set.push_back(t.parameters[k].keys[0] + "=" + format_value(truth[k], 17));
    RunOptions o;
    o.seed = seed;
    const auto simulated = evaluate_targets(t, parse_scenario(text, baseline_path, set), o);
    for (std::size_t i = 0; i < simulated.size(); ++i) t.targets[i].observed = simulated[i].simulated.mean;
  }
  // Start away from the truth: the scenario's values become 0.3, 0.5 and 0.3.
  const std::string start = rewrite_scenario_values(text, baseline_path, t.parameters, {0.3, 0.5, 0.3}, 4, "start");
  CalibrationOptions o;
  o.seed = seed;
  o.size = size;
  o.tolerance = 1e-4;
  o.max_evaluations = 400;
  SECTION("Levenberg-Marquardt") { o.method = CalibrationMethod::levenberg_marquardt; }
  SECTION("Nelder-Mead") { o.method = CalibrationMethod::nelder_mead; }
  const CalibrationResult r = calibrate(start, baseline_path, t, o);
  INFO("recovered " << r.values[0] << ", " << r.values[1] << ", " << r.values[2] << " with objective " << r.objective
                    << " after " << r.evaluations << " evaluations");
  CHECK(r.initial_objective > 1000.0);
  CHECK(r.objective < 0.1);
  for (std::size_t k = 0; k < truth.size(); ++k) CHECK(r.values[k] == Approx(truth[k]).epsilon(0.02));
  for (const TargetFit& f : r.fit) CHECK(std::abs(f.residual) < 0.25);
  // The written scenario carries the values and the note.
  const Scenario calibrated = parse_scenario(r.text, baseline_path);
  CHECK(calibrated.parameters.cohort.groups[0].offending_multiplier == r.values[0]);
  CHECK(calibrated.parameters.cohort.groups[5].offending_multiplier == r.values[2]);
  CHECK(r.text.find("# calibrated: ") != std::string::npos);
  CHECK(r.text.find("by desist calibrate --targets recover.yaml (seed 11, size 10000, objective ") != std::string::npos);
}
