// Predicted against actual reoffending by area: exact binomial ranges from
// chance, flags, z-scores, and reading the CSV file.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "desist/error.hpp"
#include "desist/prediction.hpp"

using namespace desist;

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("desist_prediction_" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}
}  // namespace

TEST_CASE("the range from chance is the exact binomial quantiles", "[prediction]") {
  // Hand-computed with exact rational arithmetic (Python fractions and
  // math.comb): lower = min{k : P(X <= k) >= 0.025}, upper = min{k : P(X <= k) >= 0.975}.
  // Binomial(10, 1/2): P(X <= 1) = 11/1024 < 0.025 <= P(X <= 2) = 56/1024;
  //                    P(X <= 7) = 968/1024 < 0.975 <= P(X <= 8) = 1013/1024.
  struct Case {
    std::uint64_t n;
    double p;
    std::uint64_t lower, upper;
  };
  const Case cases[] = {{10, 0.5, 2, 8},       {20, 0.3, 2, 10},      {250, 0.256, 51, 78}, {1000, 0.256, 229, 283},
                        {40, 0.05, 0, 5},      {7, 0.9, 4, 7},        {3000, 0.33, 940, 1041},
                        {250, 0.58, 130, 160}};
  for (const Case& c : cases) {
    INFO("Binomial(" << c.n << ", " << c.p << ")");
    const BinomialInterval i = binomial_interval(c.n, c.p);
    CHECK(i.lower == c.lower);
    CHECK(i.upper == c.upper);
  }
  CHECK(binomial_interval(100, 0.0).upper == 0);
  CHECK(binomial_interval(100, 1.0).lower == 100);
  // A wider level widens the range.
  const BinomialInterval wide = binomial_interval(1000, 0.256, 0.99);
  CHECK(wide.lower < 229);
  CHECK(wide.upper > 283);
}

TEST_CASE("an area outside the range is flagged, with its z-score and exact p-value", "[prediction]") {
  const AreaComparison within = compare_area("a", 250, 0.256, 0.28);
  CHECK(within.flag == ChanceFlag::within);
  CHECK(within.lower_rate == Approx(51.0 / 250));
  CHECK(within.upper_rate == Approx(78.0 / 250));
  CHECK(within.z == Approx((0.28 - 0.256) / std::sqrt(0.256 * 0.744 / 250)));
  const AreaComparison above = compare_area("b", 250, 0.256, 0.32);  // 80 of 250
  CHECK(above.flag == ChanceFlag::above);
  CHECK(above.p_value == Approx(0.02749176901872857).epsilon(1e-9));  // exact, by hand (fractions)
  CHECK(compare_area("c", 250, 0.256, 0.20).flag == ChanceFlag::below);  // 50 < 51
  CHECK(compare_area("d", 250, 0.256, 51.0 / 250).flag == ChanceFlag::within);  // the bounds are inside
  CHECK(compare_area("e", 250, 0.256, 78.0 / 250).flag == ChanceFlag::within);
  CHECK(compare_area("f", 250, 0.256, 79.0 / 250).flag == ChanceFlag::above);
}

TEST_CASE("the shipped example file reads and compares every area", "[prediction]") {
  const PredictionComparison c =
      load_predicted_vs_actual(std::string(DESIST_SOURCE_DIR) + "/scenarios/examples/predicted_vs_actual.csv");
  REQUIRE(c.areas.size() >= 5);
  std::uint64_t people = 0;
  int outside = 0;
  for (const auto& a : c.areas) {
    people += a.cohort_size;
    outside += a.flag != ChanceFlag::within;
    CHECK(a.lower_rate <= a.predicted_rate);
    CHECK(a.upper_rate >= a.predicted_rate);
  }
  CHECK(c.total.cohort_size == people);
  CHECK(outside >= 1);  // the example shows a flagged area
  const std::string table = prediction_table(c);
  CHECK(table.find("all areas") != std::string::npos);
  CHECK(prediction_json(c).find("\"outside\": true") != std::string::npos);
}

TEST_CASE("predicted-vs-actual files: percentages, comments and errors by row and column", "[prediction]") {
  const std::string ok = write_temp("ok.csv",
                                    "# invented\n"
                                    "actual_rate,area,cohort_size,predicted_rate\n"
                                    "33%,\"Kent, north\",1200,0.30\n"
                                    "\n"
                                    "0.25, Essex ,800,26.5%\n");
  const PredictionComparison c = load_predicted_vs_actual(ok);
  REQUIRE(c.areas.size() == 2);
  CHECK(c.areas[0].area == "Kent, north");
  CHECK(c.areas[0].actual_rate == Approx(0.33));
  CHECK(c.areas[0].line == 3);
  CHECK(c.areas[1].area == "Essex");
  CHECK(c.areas[1].predicted_rate == Approx(0.265));
  CHECK(c.areas[1].line == 5);

  const std::string bad_rate = write_temp("rate.csv", "area,cohort_size,predicted_rate,actual_rate\nA,100,0.3,0.2\nB,100,30,0.2\n");
  CHECK_THROWS_WITH(load_predicted_vs_actual(bad_rate),
                    Catch::Contains(bad_rate + ":3:3: 'predicted_rate'") && Catch::Contains("proportion between 0 and 1"));
  const std::string bad_size = write_temp("size.csv", "area,cohort_size,predicted_rate,actual_rate\nA,12.5,0.3,0.2\n");
  CHECK_THROWS_WITH(load_predicted_vs_actual(bad_size),
                    Catch::Contains(bad_size + ":2:2: 'cohort_size'") && Catch::Contains("whole number"));
  const std::string typo = write_temp("typo.csv", "area,cohort_size,predicted_rate,actual_rat\n");
  CHECK_THROWS_WITH(load_predicted_vs_actual(typo),
                    Catch::Contains(typo + ":1:4: 'actual_rat'") && Catch::Contains("did you mean 'actual_rate'?"));
  const std::string missing = write_temp("missing.csv", "area,cohort_size,predicted_rate\nA,10,0.2\n");
  CHECK_THROWS_WITH(load_predicted_vs_actual(missing), Catch::Contains("missing column 'actual_rate'"));
  const std::string short_row = write_temp("short.csv", "area,cohort_size,predicted_rate,actual_rate\nA,10,0.2\n");
  CHECK_THROWS_WITH(load_predicted_vs_actual(short_row), Catch::Contains(short_row + ":2:") &&
                                                             Catch::Contains("expected 4 fields"));
  const std::string twice = write_temp("twice.csv", "area,cohort_size,predicted_rate,actual_rate\nA,10,0.2,0.3\nA,10,0.2,0.3\n");
  CHECK_THROWS_WITH(load_predicted_vs_actual(twice), Catch::Contains(twice + ":3:1: 'area'") &&
                                                         Catch::Contains("listed twice (first on line 2)"));
  const std::string quote = write_temp("quote.csv", "area,cohort_size,predicted_rate,actual_rate\n\"A,10,0.2,0.3\n");
  CHECK_THROWS_WITH(load_predicted_vs_actual(quote), Catch::Contains("unterminated quoted field"));
  const std::string empty = write_temp("empty.csv", "# nothing\n");
  CHECK_THROWS_WITH(load_predicted_vs_actual(empty), Catch::Contains("is empty"));
  CHECK_THROWS_WITH(load_predicted_vs_actual(write_temp("none.csv", "area,cohort_size,predicted_rate,actual_rate\n")),
                    Catch::Contains("no area records"));
  CHECK_THROWS_WITH(load_predicted_vs_actual("/no/such/file.csv"), Catch::Contains("no such file"));
}
