// Overlay files: a YAML fragment (such as `desist fit` writes) merged into a scenario.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "desist/error.hpp"
#include "desist/scenario.hpp"

using namespace desist;

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("desist_overlay_" + name);
  std::ofstream(path) << text;
  return path.string();
}
const std::string baseline = std::string(DESIST_SOURCE_DIR) + "/scenarios/baseline.yaml";
}  // namespace

TEST_CASE("an overlay replaces whole keys of a section and keeps the rest", "[scenario][overlay]") {
  const std::string overlay = write_temp("ok.yaml",
                                         "offending:\n"
                                         "  baseline:\n"
                                         "    log_logistic: {first_year_hazard: 1.2, scale_days: 100, shape: 1.4}\n"
                                         "  covariates: {ogrs3_logit: 0.5}\n");
  const Scenario s = load_scenario(baseline, {}, {overlay});
  CHECK(std::holds_alternative<LogLogisticBaseline>(s.parameters.offending.baseline.shape()));
  REQUIRE(s.parameters.offending.covariates.size() == 1);
  CHECK(s.parameters.offending.covariates[0].coefficient == 0.5);
  const double base_frailty = load_scenario(baseline).parameters.offending.frailty_variance;
  CHECK(s.parameters.offending.frailty_variance == base_frailty);  // kept from the base
  CHECK(s.text.find("overlay") != std::string::npos);     // the record of what ran says so
}

TEST_CASE("errors in an overlay name the overlay's file, line and column", "[scenario][overlay]") {
  const std::string overlay = write_temp("bad.yaml", "offending:\n  frailty_variance: -1\n");
  CHECK_THROWS_WITH(load_scenario(baseline, {}, {overlay}),
                    Catch::Contains(overlay + ":2:21: 'offending.frailty_variance'"));
  const std::string typo = write_temp("typo.yaml", "ofending:\n  frailty_variance: 1\n");
  CHECK_THROWS_WITH(load_scenario(baseline, {}, {typo}), Catch::Contains(typo + ":1:1") && Catch::Contains("did you mean 'offending'?"));
}
