// Tests for the scenario reader (desist::parse_scenario, sim/src/scenario.cpp on
// top of sim/src/yaml_reader.cpp): every class of input error is an InputError
// whose what() names the file, the 1-based line and column of the offending
// node, its key path and what is wrong; --set overrides are reported as the
// override. Each case varies one small, valid scenario.
#include <catch2/catch.hpp>
#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "desist/error.hpp"
#include "desist/ogrs3.hpp"
#include "desist/parameters.hpp"
#include "desist/scenario.hpp"

using desist::InputError;
using desist::Ogrs3Offence;
using desist::Parameters;
using desist::parse_scenario;

namespace {

const std::string file = "name.yaml";

// A small valid scenario: two pathways, two sentence groups, every section the
// error cases below vary. Line numbers are for orientation only; the checks
// find positions with at().
const std::string minimal =  //
    "run:\n"                                                             //  1
    "  horizon_years: 3\n"                                               //  2
    "pathways:\n"                                                        //  3
    "  housing:\n"                                                       //  4
    "    prevalence: 0.2\n"                                              //  5
    "    resolve_rate: 1.0\n"                                            //  6
    "    resolve_multiplier_when_met:\n"                                 //  7
    "      work: 1.5\n"                                                  //  8
    "  work:\n"                                                          //  9
    "    prevalence: 0.4\n"                                              // 10
    "    relapse_rate: 0.3\n"                                            // 11
    "cohort:\n"                                                          // 12
    "  size: 1000\n"                                                     // 13
    "  need_correlation:\n"                                              // 14
    "    - [1.0, 0.3]\n"                                                 // 15
    "    - [0.3, 1.0]\n"                                                 // 16
    "  groups:\n"                                                        // 17
    "    released:\n"                                                    // 18
    "      share: 0.6\n"                                                 // 19
    "      index_event: release\n"                                       // 20
    "      sentence_days: {median: 100, sigma: 0.5, min: 14, max: 364}\n"// 21
    "      female_share: 0.1\n"                                          // 22
    "      age: {mean: 30, sd: 9, min: 18, max: 80}\n"                   // 23
    "      previous_sanctions: {mean: 10, dispersion: 1.0}\n"            // 24
    "      age_at_first_sanction: {mean: 17, sd: 4, min: 10, max: 70}\n" // 25
    "      offences:\n"                                                  // 26
    "        violence: 0.5\n"                                            // 27
    "        theft_non_motor: 0.5\n"                                     // 28
    "      needs:\n"                                                     // 29
    "        housing: 0.3\n"                                             // 30
    "    cautioned:\n"                                                   // 31
    "      share: 0.4\n"                                                 // 32
    "      index_event: other\n"                                         // 33
    "      female_share: 0.2\n"                                          // 34
    "      age: {mean: 33, sd: 12, min: 18, max: 90}\n"                  // 35
    "      previous_sanctions: {mean: 4, dispersion: 0.5}\n"             // 36
    "      age_at_first_sanction: {mean: 22, sd: 8, min: 10, max: 90}\n" // 37
    "      offences: {other_offence: 1.0}\n"                             // 38
    "offending:\n"                                                       // 39
    "  baseline:\n"                                                      // 40
    "    weibull:\n"                                                     // 41
    "      first_year_hazard: 1.0\n"                                     // 42
    "      shape: 0.8\n"                                                 // 43
    "  covariates:\n"                                                    // 44
    "    ogrs3_logit: 0.8\n"                                             // 45
    "sentencing:\n"                                                      // 46
    "  custody:\n"                                                       // 47
    "    offence_shift:\n"                                               // 48
    "      burglary_domestic: 0.5\n"                                     // 49
    "measures:\n"                                                        // 50
    "  followup_days: 365\n"                                             // 51
    "  waiting_days: 183\n";                                             // 52

std::size_t find_once(const std::string& text, const std::string& part) {
  const std::size_t i = text.find(part);
  INFO("looking for '" << part << "'");
  REQUIRE(i != std::string::npos);
  REQUIRE(text.find(part, i + 1) == std::string::npos);
  return i;
}

// `text` with its one occurrence of `from` replaced by `to`.
std::string with(std::string text, const std::string& from, const std::string& to) {
  return text.replace(find_once(text, from), from.size(), to);
}

// "name.yaml:LINE:COLUMN" (1-based) of `token` inside the one occurrence of
// `context` in `text` (of `context` itself when no token is given).
std::string at(const std::string& text, const std::string& context, const std::string& token = "") {
  std::size_t i = find_once(text, context);
  if (!token.empty()) {
    const std::size_t j = context.find(token);
    REQUIRE(j != std::string::npos);
    i += j;
  }
  std::size_t line = 1, line_start = 0;
  for (std::size_t k = 0; k < i; ++k)
    if (text[k] == '\n') ++line, line_start = k + 1;
  return file + ":" + std::to_string(line) + ":" + std::to_string(i - line_start + 1);
}

// what() of the InputError parse_scenario throws; fails when it throws none
// (any other exception fails the test too).
std::string input_error(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    parse_scenario(text, file, overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("no InputError was thrown");
  return {};
}

// Checks that reading `text` (with `overrides`) throws an InputError whose
// what() contains every one of `parts`.
void check_error(const std::string& text, const std::vector<std::string>& overrides,
                 const std::vector<std::string>& parts) {
  const std::string what = input_error(text, overrides);
  INFO("what(): " << what);
  for (const auto& part : parts) CHECK_THAT(what, Catch::Contains(part));
}

void check_error(const std::string& text, const std::vector<std::string>& parts) { check_error(text, {}, parts); }

std::size_t offence(Ogrs3Offence o) { return static_cast<std::size_t>(o); }

}  // namespace

TEST_CASE("the position helper counts lines and columns from 1", "[scenario]") {
  CHECK(at(minimal, "run:") == "name.yaml:1:1");
  CHECK(at(minimal, "  size: 1000", "1000") == "name.yaml:13:9");
  CHECK(at(minimal, "burglary_domestic: 0.5", "0.5") == "name.yaml:49:26");
}

TEST_CASE("a minimal valid scenario is read into Parameters", "[scenario]") {
  const desist::Scenario s = parse_scenario(minimal, file);
  const Parameters& p = s.parameters;
  CHECK(s.file == file);
  CHECK(s.text == minimal);
  CHECK(p.horizon_days == Approx(3 * 365.25));
  CHECK(p.cohort.size == 1000);
  REQUIRE(p.pathways.size() == 2);
  CHECK(p.pathways[0].name == "housing");
  CHECK(p.pathways[0].resolve_multiplier_when_met == std::vector<double>{1.0, 1.5});
  CHECK(p.pathways[1].relapse_rate == 0.3);
  CHECK(p.cohort.need_correlation == std::vector<double>{1.0, 0.3, 0.3, 1.0});
  REQUIRE(p.cohort.groups.size() == 2);
  const desist::SentenceGroup& released = p.cohort.groups[0];
  CHECK(released.name == "released");
  CHECK(released.share == 0.6);
  CHECK(released.index_event == desist::IndexEvent::release);
  CHECK(released.sentence_days.maximum == 364);
  CHECK(released.offence_mix[offence(Ogrs3Offence::violence)] == 0.5);
  CHECK(released.need_prevalence == std::vector<double>{0.3, 0.4});  // work: the pathway's default
  CHECK(p.cohort.groups[1].index_event == desist::IndexEvent::other);
  CHECK(std::holds_alternative<desist::WeibullBaseline>(p.offending.baseline.shape()));
  REQUIRE(p.offending.covariates.size() == 1);
  CHECK(p.offending.covariates[0].attribute == "ogrs3_logit");
  CHECK(p.offending.covariates[0].coefficient == 0.8);
  CHECK(p.sentencing.custody_offence_shift[offence(Ogrs3Offence::burglary_domestic)] == 0.5);
  CHECK(p.measures.followup_days == 365);
}

TEST_CASE("malformed YAML is reported with its line", "[scenario]") {
  SECTION("bad indentation") {
    // "relapse_rate" is indented less than the key before it and more than "work".
    const std::string text = with(minimal, "    relapse_rate: 0.3\n", "   relapse_rate: 0.3\n");
    check_error(text, {at(text, "   relapse_rate", "relapse_rate") + ": malformed YAML: end of map not found"});
  }
  SECTION("unclosed bracket") {
    // The flow sequence runs on into the next line, where the parser gives up.
    const std::string text = with(minimal, "    - [1.0, 0.3]\n", "    - [1.0, 0.3\n");
    check_error(text, {at(text, "    - [0.3, 1.0]", "[0.3") + ": malformed YAML: end of sequence flow not found"});
  }
  SECTION("unclosed bracket at the end of the file") {
    check_error("run: {seed: 1\n", {"name.yaml:2:1: malformed YAML: end of map flow not found"});
  }
  SECTION("a document that is not a map") {
    check_error("- cohort\n- offending\n", {"name.yaml:1:1: a scenario must be a YAML map of keys to values"});
    check_error("", {"name.yaml:1:1: a scenario must be a YAML map"});
  }
}

TEST_CASE("unknown keys name the nearest valid key", "[scenario]") {
  SECTION("top level") {
    const std::string text = with(minimal, "cohort:\n", "cohrt:\n");
    check_error(text, {at(text, "cohrt:") + ": 'cohrt': unknown key 'cohrt'; did you mean 'cohort'?"});
  }
  SECTION("nested") {
    const std::string text = with(minimal, "size: 1000", "sise: 1000");
    check_error(text, {at(text, "sise") + ": 'cohort.sise': unknown key 'sise'; did you mean 'size'?"});
  }
  SECTION("inside a sentence group") {
    const std::string text = with(minimal, "female_share: 0.2", "femail_share: 0.2");
    check_error(text, {at(text, "femail_share") + ": 'cohort.groups.cautioned.femail_share': unknown key",
                       "did you mean 'female_share'?"});
  }
  SECTION("inside a flow map") {
    const std::string text = with(minimal, "{median: 100,", "{medain: 100,");
    check_error(text, {at(text, "medain") + ": 'cohort.groups.released.sentence_days.medain':",
                       "did you mean 'median'?"});
  }
  SECTION("far from any valid key: the valid keys are listed") {
    const std::string text = minimal + "jitter: 2\n";
    check_error(text, {at(text, "jitter") + ": 'jitter': unknown key 'jitter'; expected one of: 'scenario', 'run', "
                                            "'cohort', 'offending', 'court', 'sentencing', 'release', 'recall', "
                                            "'pathways', 'mortality', 'measures'"});
  }
  SECTION("a list or a map as a key") {
    const std::string text = minimal + "[a, b]: 1\n";
    check_error(text, {at(text, "[a, b]") + ": a key must be a word, not a list or a map"});
  }
}

TEST_CASE("values of the wrong type", "[scenario]") {
  SECTION("text where a number is expected") {
    const std::string text = with(minimal, "female_share: 0.1", "female_share: lots");
    check_error(text, {at(text, "lots") + ": 'cohort.groups.released.female_share': expected a number, got 'lots'"});
  }
  SECTION("a map where a number is expected") {
    const std::string text = with(minimal, "female_share: 0.1", "female_share: {a: 1}");
    check_error(text, {at(text, "{a: 1}") + ": 'cohort.groups.released.female_share': expected a number, "
                                            "between 0 and 1"});
  }
  SECTION("a map where a list is expected") {
    const std::string text = with(minimal, "    - [1.0, 0.3]\n    - [0.3, 1.0]\n", "    {a: 1}\n");
    check_error(text, {at(text, "{a: 1}") + ": 'cohort.need_correlation': expected a list"});
  }
  SECTION("a list where a map is expected") {
    const std::string text = with(minimal, "age: {mean: 30, sd: 9, min: 18, max: 80}", "age: [30, 9, 18, 80]");
    check_error(text, {at(text, "[30, 9") + ": 'cohort.groups.released.age': expected a map of keys"});
  }
  SECTION("a list of groups instead of a map of them") {
    const std::string text = "cohort:\n  size: 10\n  groups:\n    - released\n    - cautioned\noffending: {}\n";
    check_error(text, {"name.yaml:4:5: 'cohort.groups': expected a map of keys"});
  }
  SECTION("a list where a word is expected") {
    const std::string text = with(minimal, "index_event: release", "index_event: [release]");
    check_error(text, {at(text, "[release]") + ": 'cohort.groups.released.index_event': expected text"});
  }
  SECTION("not a boolean") {
    const std::string text = minimal + "release:\n  ora_2014: maybe\n";
    check_error(text, {at(text, "maybe") + ": 'release.ora_2014': expected true or false"});
  }
}

TEST_CASE("numbers out of range", "[scenario]") {
  SECTION(".nan and infinities are not finite numbers") {
    for (const std::string bad : {".nan", ".NaN", ".NAN", "nan", ".inf", ".Inf", "+.inf", "-.inf", "-.INF"}) {
      const std::string text = with(minimal, "resolve_rate: 1.0", "resolve_rate: " + bad);
      check_error(text, {at(text, "resolve_rate: " + bad, bad) + ": 'pathways.housing.resolve_rate': "
                         "expected a finite number, got '" + bad + "'"});
    }
  }
  SECTION("negative rates") {
    const std::string text = with(minimal, "relapse_rate: 0.3", "relapse_rate: -0.3");
    check_error(text, {at(text, "-0.3") + ": 'pathways.work.relapse_rate': must be between 0 and 365, got -0.3"});
  }
  SECTION("probabilities above 1") {
    const std::string text = with(minimal, "female_share: 0.2", "female_share: 1.5");
    check_error(text, {at(text, "female_share: 1.5", "1.5") + ": 'cohort.groups.cautioned.female_share': must be "
                                                               "between 0 and 1, got 1.5"});
  }
  SECTION("a need prevalence above 1") {
    const std::string text = with(minimal, "housing: 0.3", "housing: 3");
    check_error(text, {at(text, "housing: 3", "3") + ": 'cohort.groups.released.needs.housing': must be between 0 "
                                                     "and 1, got 3"});
  }
  SECTION("whole-number keys given 2.5") {
    const std::string size = with(minimal, "size: 1000", "size: 2.5");
    check_error(size, {at(size, "2.5") + ": 'cohort.size': expected a whole number, got 2.5"});
    const std::string replicates = with(minimal, "horizon_years: 3", "horizon_years: 3\n  replicates: 2.5");
    check_error(replicates, {at(replicates, "2.5") + ": 'run.replicates': expected a whole number, got 2.5"});
  }
  SECTION("a cohort of nobody") {
    const std::string text = with(minimal, "size: 1000", "size: 0");
    check_error(text, {at(text, "size: 0", "0") + ": 'cohort.size': must be between 1 and"});
  }
  SECTION("a horizon of zero years (the bound is open)") {
    const std::string text = with(minimal, "horizon_years: 3", "horizon_years: 0");
    check_error(text, {at(text, "horizon_years: 0", "0") + ": 'run.horizon_years': must be between 0 (exclusive) "
                                                           "and 100, got 0"});
  }
  SECTION("a distribution whose minimum is above its maximum") {
    const std::string text = with(minimal, "{mean: 30, sd: 9, min: 18,", "{mean: 30, sd: 9, min: 81,");
    check_error(text, {at(text, "{mean: 30") + ": 'cohort.groups.released.age': min is above max"});
  }
}

TEST_CASE("missing required keys are reported at their parent", "[scenario]") {
  SECTION("cohort.size") {
    const std::string text = with(minimal, "  size: 1000\n", "");
    // A block map is located at its first key.
    check_error(text, {at(text, "  need_correlation", "need_correlation") + ": 'cohort': missing required key 'size'"});
  }
  SECTION("a group's share") {
    const std::string text = with(minimal, "      share: 0.6\n", "");
    check_error(text, {at(text, "index_event: release") + ": 'cohort.groups.released': missing required key 'share'"});
  }
  SECTION("offending.baseline") {
    const std::string text =
        with(minimal, "  baseline:\n    weibull:\n      first_year_hazard: 1.0\n      shape: 0.8\n", "");
    check_error(text, {at(text, "  covariates", "covariates") + ": 'offending': missing required key 'baseline'"});
  }
  SECTION("a key inside a flow map") {
    const std::string text = with(minimal, "{mean: 4, dispersion: 0.5}", "{mean: 4}");
    check_error(text, {at(text, "{mean: 4}") + ": 'cohort.groups.cautioned.previous_sanctions': missing required "
                                               "key 'dispersion'"});
  }
  SECTION("the cohort section") {
    const std::string text = "offending: {}\n";
    check_error(text, {"name.yaml:1:1: missing required key 'cohort'"});
  }
  SECTION("a key given with no value is reported at the key") {
    const std::string text = with(minimal, "size: 1000", "size:");
    check_error(text, {at(text, "size:") + ": 'cohort.size': a value is required"});
    const std::string last = with(minimal, "waiting_days: 183", "waiting_days:");
    check_error(last, {at(last, "waiting_days:") + ": 'measures.waiting_days': a value is required"});
  }
  SECTION("a pathway given with no value") {
    const std::string text = with(minimal, "  work:\n    prevalence: 0.4\n    relapse_rate: 0.3\n", "  work:\n");
    check_error(text, {at(text, "  work:\n", "work") + ": 'pathways.work': a value is required"});
  }
}

TEST_CASE("unknown references name the nearest valid name", "[scenario]") {
  // Names given as keys of a map of values are located at the value.
  SECTION("a pathway in a group's needs") {
    const std::string text = with(minimal, "housing: 0.3", "hosing: 0.3");
    check_error(text, {at(text, "hosing: 0.3", "0.3") + ": 'cohort.groups.released.needs.hosing': unknown pathway "
                                                         "'hosing'; did you mean 'housing'?"});
  }
  SECTION("a pathway in resolve_multiplier_when_met") {
    const std::string text = with(minimal, "work: 1.5", "wrok: 1.5");
    check_error(text, {at(text, "wrok: 1.5", "1.5") + ": 'pathways.housing.resolve_multiplier_when_met.wrok': "
                                                       "unknown pathway 'wrok'; did you mean 'work'?"});
  }
  SECTION("a pathway that modifies itself") {
    const std::string text = with(minimal, "work: 1.5", "housing: 1.5");
    check_error(text, {at(text, "housing: 1.5", "1.5") + ": 'pathways.housing.resolve_multiplier_when_met.housing': "
                                                          "a pathway cannot modify itself"});
  }
  SECTION("needs when no pathways are defined") {
    const std::size_t from = minimal.find("pathways:"), to = minimal.find("cohort:");
    const std::string text = with(minimal.substr(0, from) + minimal.substr(to),
                                  "  need_correlation:\n    - [1.0, 0.3]\n    - [0.3, 1.0]\n", "");
    check_error(text, {at(text, "housing: 0.3", "0.3") + ": 'cohort.groups.released.needs.housing': unknown pathway "
                                                         "'housing'; none are defined"});
  }
  SECTION("an offence in a group's offences") {
    const std::string text = with(minimal, "violence: 0.5", "violense: 0.5");
    check_error(text, {at(text, "violense: 0.5", "0.5") + ": 'cohort.groups.released.offences.violense': unknown "
                                                           "name 'violense'; did you mean 'violence'?"});
  }
  SECTION("an offence in sentencing.custody.offence_shift") {
    const std::string text = with(minimal, "burglary_domestic: 0.5", "burglary_domestc: 0.5");
    check_error(text, {at(text, "burglary_domestc: 0.5", "0.5") + ": 'sentencing.custody.offence_shift."
                                                                   "burglary_domestc': unknown offence "
                                                                   "'burglary_domestc'; did you mean "
                                                                   "'burglary_domestic'?"});
  }
  SECTION("a covariate attribute") {
    const std::string text = with(minimal, "ogrs3_logit: 0.8", "ogrs_logit: 0.8");
    check_error(text, {at(text, "ogrs_logit: 0.8", "0.8") + ": 'offending.covariates.ogrs_logit': unknown person "
                                                             "attribute 'ogrs_logit'; did you mean 'ogrs3_logit'?"});
  }
  SECTION("an index_event word") {
    const std::string text = with(minimal, "index_event: release", "index_event: relase");
    check_error(text, {at(text, "relase") + ": 'cohort.groups.released.index_event': 'relase' is not allowed; did "
                                            "you mean 'release'?"});
    const std::string far = with(minimal, "index_event: other", "index_event: probation");
    check_error(far, {at(far, "probation") + ": 'cohort.groups.cautioned.index_event': 'probation' is not allowed; "
                                             "expected one of: 'release', 'order_start', 'other'"});
  }
  SECTION("a sentence for a group that has none") {
    const std::string text = with(minimal, "index_event: release", "index_event: other");
    // Both groups are now "other"; the first has a sentence_days it may not have.
    check_error(text, {at(text, "{median: 100") + ": 'cohort.groups.released.sentence_days': only groups whose "
                                                  "index_event is release or order_start have a sentence"});
  }
}

TEST_CASE("shares and correlations that do not add up", "[scenario]") {
  SECTION("group shares") {
    const std::string text = with(minimal, "share: 0.4", "share: 0.5");
    check_error(text, {at(text, "    released:", "released") + ": 'cohort.groups': group shares must add up to 1, "
                                                               "they add up to 1.1"});
  }
  SECTION("offence shares") {
    const std::string text = with(minimal, "theft_non_motor: 0.5", "theft_non_motor: 0.4");
    check_error(text, {at(text, "violence: 0.5", "violence") + ": 'cohort.groups.released.offences': shares must add "
                                                                "up to 1, they add up to 0.9"});
  }
  SECTION("offence shares in a flow map") {
    const std::string text = with(minimal, "{other_offence: 1.0}", "{other_offence: 0.5}");
    check_error(text, {at(text, "{other_offence") + ": 'cohort.groups.cautioned.offences': shares must add up to 1"});
  }
  SECTION("a correlation matrix that is not symmetric") {
    const std::string text = with(minimal, "- [1.0, 0.3]", "- [1.0, 0.2]");
    check_error(text, {at(text, "- [0.3, 1.0]", "0.3") + ": 'cohort.need_correlation.1.0': the correlation matrix "
                                                          "must be symmetric: 0.3 here but 0.2 at "
                                                          "cohort.need_correlation.0.1"});
  }
  SECTION("a correlation matrix that is not positive definite") {
    const std::string text = with(minimal, "- [1.0, 0.3]\n    - [0.3, 1.0]", "- [1.0, 1.0]\n    - [1.0, 1.0]");
    check_error(text, {at(text, "- [1.0, 1.0]\n    -", "-") + ": 'cohort.need_correlation': the correlation matrix "
                                                              "is not positive definite"});
  }
  SECTION("a correlation matrix of the wrong size") {
    const std::string rows = with(minimal, "    - [0.3, 1.0]\n", "    - [0.3, 1.0]\n    - [0.0, 0.0]\n");
    check_error(rows, {at(rows, "- [1.0, 0.3]", "-") + ": 'cohort.need_correlation': needs 2 rows, one per "
                                                       "pathway in order"});
    const std::string cells = with(minimal, "- [0.3, 1.0]", "- [0.3, 1.0, 0.0]");
    check_error(cells, {at(cells, "[0.3, 1.0, 0.0]") + ": 'cohort.need_correlation.1': needs 2 entries"});
  }
  SECTION("a correlation matrix whose diagonal is not 1") {
    const std::string text = with(minimal, "- [0.3, 1.0]", "- [0.3, 0.9]");
    check_error(text, {at(text, "- [0.3, 0.9]", "0.9") + ": 'cohort.need_correlation.1.1': the diagonal of a "
                                                          "correlation matrix must be 1"});
  }
  SECTION("a correlation outside [-1, 1]") {
    const std::string text = with(minimal, "- [1.0, 0.3]", "- [1.0, 1.3]");
    check_error(text, {at(text, "1.3") + ": 'cohort.need_correlation.0.1': must be between -1 and 1, got 1.3"});
  }
}

TEST_CASE("contradictory windows", "[scenario]") {
  SECTION("follow-up plus waiting period longer than the horizon") {
    const std::string text = with(minimal, "followup_days: 365", "followup_days: 1000");
    // Three keys together are at fault: the message is placed at the horizon, the one it suggests changing.
    check_error(text, {at(text, "horizon_years: 3", "3") + ": 'run.horizon_years': follow-up (1000 days) plus waiting "
                       "period (183 days) is longer than the horizon (1095.75 days): lengthen run.horizon_years or "
                       "shorten the windows"});
  }
  SECTION("the default windows and a short horizon") {
    const std::string text =
        with(with(minimal, "measures:\n  followup_days: 365\n  waiting_days: 183\n", ""), "horizon_years: 3",
             "horizon_years: 1");
    check_error(text, {at(text, "horizon_years: 1", "1") + ": 'run.horizon_years': follow-up (365 days) plus waiting "
                       "period (183 days) is longer than the horizon (365.25 days)"});
  }
  SECTION("with no horizon given, at the first window the file gives") {
    const std::string text = with(with(minimal, "run:\n  horizon_years: 3\n", ""), "followup_days: 365", "followup_days: 1000");
    check_error(text, {at(text, "followup_days: 1000", "1000") + ": 'measures.followup_days': follow-up (1000 days)"});
  }
  SECTION("made contradictory by an override") {
    check_error(minimal, {"run.horizon_years=1"},
                {"--set run.horizon_years=1: 'measures': follow-up (365 days) plus waiting period"});
    check_error(minimal, {"measures.waiting_days=800"}, {"--set measures.waiting_days=800: 'measures': follow-up"});
  }
}

TEST_CASE("the baseline hazard", "[scenario]") {
  const std::string weibull = "    weibull:\n      first_year_hazard: 1.0\n      shape: 0.8\n";
  SECTION("two shapes given") {
    const std::string text = with(minimal, weibull, weibull + "    log_logistic: {first_year_hazard: 1, scale_days: "
                                                              "180, shape: 1.5}\n");
    check_error(text, {at(text, "    weibull:", "weibull") + ": 'offending.baseline': give exactly one of weibull, "
                                                             "log_logistic, piecewise_constant"});
  }
  SECTION("no shape given") {
    const std::string text = with(minimal, weibull, "    {}\n");
    check_error(text, {at(text, "{}") + ": 'offending.baseline': give exactly one of"});
  }
  SECTION("an unknown shape") {
    const std::string text = with(minimal, "    weibull:\n", "    weibul:\n");
    check_error(text, {at(text, "weibul:") + ": 'offending.baseline.weibul': unknown key 'weibul'; did you mean "
                                             "'weibull'?"});
  }
  auto piecewise = [&](const std::string& starts, const std::string& rates) {
    return with(minimal, weibull, "    piecewise_constant:\n      start_day: " + starts + "\n      rate_per_year: " +
                                      rates + "\n");
  };
  SECTION("a valid piecewise baseline") {
    const Parameters p = parse_scenario(piecewise("[0, 90, 365]", "[2, 1, 0.5]"), file).parameters;
    const auto* pw = std::get_if<desist::PiecewiseConstantBaseline>(&p.offending.baseline.shape());
    REQUIRE(pw != nullptr);
    CHECK(pw->start_day == std::vector<double>{0, 90, 365});
    CHECK(pw->rate_per_year == std::vector<double>{2, 1, 0.5});
  }
  SECTION("start days not increasing") {
    const std::string text = piecewise("[0, 90, 90]", "[2, 1, 0.5]");
    check_error(text, {at(text, "[0, 90, 90]", "90]") + ": 'offending.baseline.piecewise_constant.start_day.2': "
                                                         "start days must increase"});
  }
  SECTION("start days not starting at 0") {
    const std::string text = piecewise("[7, 90, 365]", "[2, 1, 0.5]");
    check_error(text, {at(text, "[7, 90", "7") + ": 'offending.baseline.piecewise_constant.start_day.0': the first "
                                                  "interval must start at day 0"});
  }
  SECTION("one rate per start day") {
    const std::string text = piecewise("[0, 90, 365]", "[2, 1]");
    check_error(text, {at(text, "[2, 1]") + ": 'offending.baseline.piecewise_constant.rate_per_year': needs one rate "
                                            "per start day (3)"});
  }
  SECTION("no intervals") {
    const std::string text = piecewise("[]", "[]");
    check_error(text, {at(text, "start_day: []", "[]") + ": 'offending.baseline.piecewise_constant.start_day': at "
                                                          "least one interval is needed"});
  }
  SECTION("a negative rate") {
    const std::string text = piecewise("[0, 90]", "[2, -1]");
    check_error(text, {at(text, "[2, -1]", "-1") + ": 'offending.baseline.piecewise_constant.rate_per_year.1': must "
                                                    "be between 0 and 365, got -1"});
  }
  SECTION("a rate above once a day") {
    // Every offence is simulated, so a bounded rate keeps runs finite (docs/edge-cases.md).
    const std::string text = piecewise("[0, 90]", "[2, 366]");
    check_error(text, {at(text, "[2, 366]", "366") + ": 'offending.baseline.piecewise_constant.rate_per_year.1': "
                                                     "must be between 0 and 365, got 366"});
  }
}

TEST_CASE("overrides given with --set", "[scenario]") {
  SECTION("a valid override changes the value") {
    const desist::Scenario s = parse_scenario(minimal, file,
                                              {"cohort.size=5000", "cohort.groups.released.needs.work=0.9",
                                               "offending.baseline.weibull.shape=1.2", "mortality.rate=0.01"});
    const Parameters& p = s.parameters;
    CHECK(p.cohort.size == 5000);
    CHECK(p.cohort.groups[0].need_prevalence == std::vector<double>{0.3, 0.9});
    CHECK(std::get<desist::WeibullBaseline>(p.offending.baseline.shape()).shape == 1.2);
    CHECK(p.mortality.rate == 0.01);
    CHECK_THAT(s.text, Catch::StartsWith("# name.yaml with overrides: --set cohort.size=5000"));
  }
  SECTION("a map or a list as the value") {
    const Parameters p = parse_scenario(minimal, file,
                                        {"offending.baseline={log_logistic: {first_year_hazard: 1, scale_days: 90, "
                                         "shape: 2}}",
                                         "cohort.need_correlation=[[1, 0.5], [0.5, 1]]"})
                             .parameters;
    CHECK(std::get<desist::LogLogisticBaseline>(p.offending.baseline.shape()).scale_days == 90);
    CHECK(p.cohort.need_correlation == std::vector<double>{1.0, 0.5, 0.5, 1.0});
  }
  SECTION("indexing into a list") {
    const Parameters p =
        parse_scenario(minimal, file, {"cohort.need_correlation.0.1=0.5", "cohort.need_correlation.1.0=0.5"})
            .parameters;
    CHECK(p.cohort.need_correlation == std::vector<double>{1.0, 0.5, 0.5, 1.0});
    // One side only: the error names the cell the override made different.
    check_error(minimal, {"cohort.need_correlation.0.1=0.5"},
                {at(minimal, "- [0.3, 1.0]", "0.3") + ": 'cohort.need_correlation.1.0': the correlation matrix must be "
                                                      "symmetric: 0.3 here but 0.5 at cohort.need_correlation.0.1"});
    check_error(minimal, {"cohort.need_correlation.1.0=2"},
                {"--set cohort.need_correlation.1.0=2: 'cohort.need_correlation.1.0': must be between -1 and 1, "
                 "got 2"});
    check_error(minimal, {"cohort.need_correlation.2.0=1"},
                {"--set cohort.need_correlation.2.0=1: 'cohort.need_correlation.2.0': item 2 is past the end of the "
                 "list"});
    check_error(minimal, {"cohort.need_correlation.first.0=1"},
                {"--set cohort.need_correlation.first.0=1: 'cohort.need_correlation.first.0': 'first' should be an "
                 "item number of the list"});
    for (const std::string bad : {"0x", "00", "-1", "+1"})
      check_error(minimal, {"cohort.need_correlation.0." + bad + "=1"},
                  {"'" + bad + "' should be an item number of the list"});
  }
  SECTION("an unknown key is reported as the --set, with the nearest key") {
    check_error(minimal, {"cohort.sise=5"},
                {"--set cohort.sise=5: 'cohort.sise': unknown key 'sise'; did you mean 'size'?"});
    // Maps the override creates on the way down are the override's too.
    check_error(minimal, {"cohrt.size=5"},
                {"--set cohrt.size=5: 'cohrt': unknown key 'cohrt'; did you mean 'cohort'?"});
    check_error(minimal, {"mortalty.rate=0.1"},
                {"--set mortalty.rate=0.1: 'mortalty': unknown key 'mortalty'; did you mean 'mortality'?"});
    check_error(minimal, {"cohort.groups.new_group.share=0.1"},
                {"--set cohort.groups.new_group.share=0.1: 'cohort.groups.new_group': missing required key "
                 "'index_event'"});
  }
  SECTION("a bad value is reported as the --set") {
    check_error(minimal, {"cohort.groups.released.female_share=1.5"},
                {"--set cohort.groups.released.female_share=1.5: 'cohort.groups.released.female_share': must be "
                 "between 0 and 1, got 1.5"});
    check_error(minimal, {"cohort.size=.nan"}, {"--set cohort.size=.nan: 'cohort.size': expected a finite number"});
    check_error(minimal, {"cohort.size=many"}, {"--set cohort.size=many: 'cohort.size': expected a number"});
    check_error(minimal, {"cohort.size="}, {"--set cohort.size=: 'cohort.size': a value is required"});
    check_error(minimal, {"cohort=5"}, {"--set cohort=5: 'cohort': expected a map of keys"});
    // Within a map given as the value.
    check_error(minimal, {"cohort.groups.cautioned.age={mean: 33, sd: 12, min: 18, max: 200}"},
                {"--set cohort.groups.cautioned.age={mean: 33, sd: 12, min: 18, max: 200}: "
                 "'cohort.groups.cautioned.age.max': must be between 18 and 110, got 200"});
  }
  SECTION("malformed expressions") {
    check_error(minimal, {"cohort.size"}, {"--set cohort.size: an override must look like path.to.key=value"});
    check_error(minimal, {"=5"}, {"--set =5: an override must look like path.to.key=value"});
    check_error(minimal, {"cohort..size=5"}, {"--set cohort..size=5: 'cohort..size': empty key in the path"});
    check_error(minimal, {"cohort.=5"}, {"--set cohort.=5: 'cohort.': empty key in the path"});
    check_error(minimal, {".cohort=5"}, {"--set .cohort=5: '.cohort': empty key in the path"});
    check_error(minimal, {"cohort.size=[1, 2"},
                {"--set cohort.size=[1, 2: 'cohort.size': the value is not valid YAML"});
    check_error(minimal, {"cohort.size.small=5"}, {"--set cohort.size.small=5: 'cohort.size.small': 'size' holds a "
                                                   "value, not keys"});
    check_error(minimal, {"cohort.size.a.b=5"}, {"--set cohort.size.a.b=5: 'cohort.size.a.b': 'size' holds a value, "
                                                 "not keys"});
  }
}

TEST_CASE("duplicate keys in a map", "[scenario]") {
  SECTION("in a section read key by key") {
    const std::string text = with(minimal, "size: 1000\n", "size: 1000\n  size: 2000\n");
    check_error(text, {at(text, "size: 2000") + ": 'cohort.size': duplicate key 'size'"});
  }
  SECTION("at top level") {
    const std::string text = minimal + "run: {seed: 3}\n";
    check_error(text, {at(text, "run: {seed") + ": 'run': duplicate key 'run'"});
  }
  SECTION("in a flow map") {
    const std::string text = with(minimal, "{mean: 4, dispersion: 0.5}", "{mean: 4, dispersion: 0.5, mean: 5}");
    check_error(text, {at(text, "mean: 5") + ": 'cohort.groups.cautioned.previous_sanctions.mean': duplicate key"});
  }
  SECTION("in a map of names") {
    const std::string groups = with(minimal, "    cautioned:\n", "    released:\n");
    check_error(groups, {at(groups, "    released:\n      share: 0.4", "released") +
                         ": 'cohort.groups.released': duplicate key 'released'"});
    const std::string offences = with(minimal, "theft_non_motor: 0.5", "violence: 0.5");
    check_error(offences, {at(offences, "        violence: 0.5\n      needs", "violence") +
                           ": 'cohort.groups.released.offences.violence': duplicate key 'violence'"});
  }
}

TEST_CASE("the shipped baseline scenario loads as its file says", "[scenario]") {
  const desist::Scenario s = desist::load_scenario(std::string(DESIST_SOURCE_DIR) + "/scenarios/baseline.yaml");
  const Parameters& p = s.parameters;
  CHECK(s.seed == 20101001);
  CHECK(s.replicates == 1);
  CHECK(p.horizon_days == Approx(3 * 365.25));
  CHECK(p.cohort.size == 540000);

  REQUIRE(p.pathways.size() == 4);
  CHECK(p.pathways[0].name == "accommodation");
  CHECK(p.pathways[3].name == "drug_misuse");
  CHECK(p.pathways[1].resolve_multiplier_when_met == std::vector<double>{1.5, 1.0, 1.5, 1.0});
  CHECK(p.pathways[0].offending_multiplier == 1.25);
  REQUIRE(p.cohort.need_correlation.size() == 16);
  CHECK(p.cohort.need_correlation[3] == 0.35);

  REQUIRE(p.cohort.groups.size() == 6);
  const std::vector<std::string> names{"custody_under_12m", "custody_12m_to_4y",       "custody_4y_plus",
                                       "community_order",   "suspended_sentence_order", "other_disposal"};
  const std::vector<double> shares{0.10, 0.04, 0.012, 0.22, 0.08, 0.548};
  double total = 0.0;
  for (std::size_t g = 0; g < names.size(); ++g) {
    CHECK(p.cohort.groups[g].name == names[g]);
    CHECK(p.cohort.groups[g].share == shares[g]);
    total += p.cohort.groups[g].share;
  }
  CHECK(total == Approx(1.0));

  const desist::SentenceGroup& short_custody = p.cohort.groups[0];
  CHECK(short_custody.index_event == desist::IndexEvent::release);
  CHECK(short_custody.sentence_days.median == 100);
  CHECK(short_custody.sentence_days.maximum == 364);
  CHECK(short_custody.female_share == 0.09);
  CHECK(short_custody.age.mean == 31);
  CHECK(short_custody.previous_sanctions.mean == 22);
  CHECK(short_custody.offence_mix[offence(Ogrs3Offence::theft_non_motor)] == 0.30);
  CHECK(short_custody.offence_mix[offence(Ogrs3Offence::robbery)] == 0.0);
  CHECK(short_custody.need_prevalence == std::vector<double>{0.33, 0.75, 0.30, 0.55});
  CHECK(short_custody.offending_multiplier == 0.4404);  // as calibrated (docs/calibration.md)

  const desist::SentenceGroup& other = p.cohort.groups[5];
  CHECK(other.index_event == desist::IndexEvent::other);
  CHECK(other.female_share == 0.22);
  CHECK(other.offence_mix[offence(Ogrs3Offence::drink_driving)] == 0.12);
  CHECK(other.iom_share == 0.0);
  CHECK(other.offending_multiplier == 0.1622);

  CHECK(p.cohort.groups[3].index_event == desist::IndexEvent::order_start);
  CHECK(p.cohort.groups[3].sentence_days.maximum == 1095);

  const auto& weibull = std::get<desist::WeibullBaseline>(p.offending.baseline.shape());
  CHECK(weibull.shape == 0.8);
  CHECK(p.offending.frailty_variance == 1.283);
  CHECK(p.release.ora_2014 == false);
  CHECK(p.measures.followup_days == 365);
  CHECK(p.measures.waiting_days == 183);
}
