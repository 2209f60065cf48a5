// Predicted against actual reoffending by area: what local partnerships do
// with OGRS-predicted and actual proven reoffending rates (domain.md). For each
// area, the interval of actual rates that chance alone would give around the
// predicted rate for a cohort of that size (exact binomial quantiles), a flag
// when the actual rate lies outside it, and a z-score. Reference:
// docs/calibration.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace desist {

// The central interval of Binomial(n, p) holding at least `level` of its
// probability: lower = min{k : P(X ≤ k) ≥ (1 − level)/2},
// upper = min{k : P(X ≤ k) ≥ (1 + level)/2}.
struct BinomialInterval {
  std::uint64_t lower = 0;
  std::uint64_t upper = 0;
};
BinomialInterval binomial_interval(std::uint64_t n, double p, double level = 0.95);

enum class ChanceFlag { within, above, below };
const char* to_string(ChanceFlag f);

struct AreaComparison {
  std::string area;
  int line = 0;                  // of the row in its file (0 for the total)
  std::uint64_t cohort_size = 0;
  double predicted_rate = 0.0;
  double actual_rate = 0.0;
  double lower_rate = 0.0;       // the interval of actual rates chance alone gives (counts / size)
  double upper_rate = 0.0;
  double z = 0.0;                // (actual − predicted) / √(predicted (1 − predicted) / size); NaN when undefined
  double p_value = 1.0;          // exact two-sided: min(1, 2 min(P(X ≤ k), P(X ≥ k))), k the actual count
  ChanceFlag flag = ChanceFlag::within;
};

// Compares one area's actual rate with its prediction.
AreaComparison compare_area(const std::string& area, std::uint64_t cohort_size, double predicted_rate,
                            double actual_rate, double level = 0.95);

struct PredictionComparison {
  std::string file;
  double level = 0.95;
  std::vector<AreaComparison> areas;
  AreaComparison total;  // all areas pooled (size-weighted rates)
};

// Reads a CSV with the columns area, cohort_size, predicted_rate, actual_rate
// (rates as proportions, 0.33, or percentages, 33%; lines starting with '#'
// are comments) and compares each area. Throws InputError naming the row
// (line) and column of any bad value.
PredictionComparison load_predicted_vs_actual(const std::string& path, double level = 0.95);

std::string prediction_table(const PredictionComparison& c);
std::string prediction_json(const PredictionComparison& c);

}  // namespace desist
