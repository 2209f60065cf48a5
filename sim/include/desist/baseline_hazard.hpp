// Baseline shapes of the offending hazard in time since the latest index event
// (release from custody or start of an order), with closed-form cumulative
// hazards and their inverses so event times are sampled exactly.
#pragma once

#include <limits>
#include <variant>
#include <vector>

namespace desist {

inline constexpr double days_per_year = 365.25;

// Λ(u) = a · (u / 1 year)^k. k < 1: hazard highest just after release.
struct WeibullBaseline {
  double first_year_hazard = 0.5;  // a = Λ(1 year)
  double shape = 1.0;              // k
};

// Λ(u) = a · ln(1 + (u/α)^β) / ln(1 + (1 year/α)^β): a hazard that rises then
// falls (β > 1), scaled so that Λ(1 year) = a.
struct LogLogisticBaseline {
  double first_year_hazard = 0.5;  // a = Λ(1 year)
  double scale_days = 180.0;       // α
  double shape = 1.5;              // β
};

// Constant rate on each interval [start_day[i], start_day[i+1]); the last runs on.
struct PiecewiseConstantBaseline {
  std::vector<double> start_day{0.0};      // strictly increasing, first is 0
  std::vector<double> rate_per_year{0.5};  // same length, each ≥ 0
};

class BaselineHazard {
 public:
  using Shape = std::variant<WeibullBaseline, LogLogisticBaseline, PiecewiseConstantBaseline>;

  BaselineHazard() = default;
  explicit BaselineHazard(Shape shape);

  // Λ(u) for u ≥ 0 days.
  double cumulative(double u) const;
  // Smallest u with Λ(u) ≥ target; +∞ when Λ never reaches it.
  double inverse_cumulative(double target) const;
  // λ(u) per day.
  double hazard(double u) const;

  const Shape& shape() const { return shape_; }

 private:
  Shape shape_{WeibullBaseline{}};
  double loglogistic_norm_ = 1.0;            // ln(1 + (1 year/α)^β)
  std::vector<double> piecewise_cumulative_;  // Λ at each start_day
};

inline constexpr double infinite_time = std::numeric_limits<double>::infinity();

}  // namespace desist
