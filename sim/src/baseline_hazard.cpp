#include "desist/baseline_hazard.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace desist {

namespace {
template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;
}  // namespace

BaselineHazard::BaselineHazard(Shape shape) : shape_(std::move(shape)) {
  if (auto* ll = std::get_if<LogLogisticBaseline>(&shape_)) {
    loglogistic_norm_ = std::log1p(std::pow(days_per_year / ll->scale_days, ll->shape));
  } else if (auto* pw = std::get_if<PiecewiseConstantBaseline>(&shape_)) {
    if (pw->start_day.empty() || pw->start_day.size() != pw->rate_per_year.size() || pw->start_day[0] != 0.0)
      throw std::invalid_argument("piecewise baseline needs matching start_day and rate_per_year, starting at day 0");
    piecewise_cumulative_.assign(pw->start_day.size(), 0.0);
    for (std::size_t i = 1; i < pw->start_day.size(); ++i)
      piecewise_cumulative_[i] = piecewise_cumulative_[i - 1] + pw->rate_per_year[i - 1] / days_per_year *
                                                                      (pw->start_day[i] - pw->start_day[i - 1]);
  }
}

double BaselineHazard::cumulative(double u) const {
  if (u <= 0.0) return 0.0;
  return std::visit(
      overloaded{
          [&](const WeibullBaseline& w) { return w.first_year_hazard * std::pow(u / days_per_year, w.shape); },
          [&](const LogLogisticBaseline& l) {
            return l.first_year_hazard * std::log1p(std::pow(u / l.scale_days, l.shape)) / loglogistic_norm_;
          },
          [&](const PiecewiseConstantBaseline& p) {
            std::size_t i = std::upper_bound(p.start_day.begin(), p.start_day.end(), u) - p.start_day.begin() - 1;
            return piecewise_cumulative_[i] + p.rate_per_year[i] / days_per_year * (u - p.start_day[i]);
          }},
      shape_);
}

double BaselineHazard::inverse_cumulative(double target) const {
  if (target <= 0.0) return 0.0;
  return std::visit(
      overloaded{
          [&](const WeibullBaseline& w) {
            if (w.first_year_hazard <= 0.0) return infinite_time;
            return days_per_year * std::pow(target / w.first_year_hazard, 1.0 / w.shape);
          },
          [&](const LogLogisticBaseline& l) {
            if (l.first_year_hazard <= 0.0) return infinite_time;
            return l.scale_days * std::pow(std::expm1(target * loglogistic_norm_ / l.first_year_hazard), 1.0 / l.shape);
          },
          [&](const PiecewiseConstantBaseline& p) {
            std::size_t i = std::upper_bound(piecewise_cumulative_.begin(), piecewise_cumulative_.end(), target) -
                            piecewise_cumulative_.begin() - 1;
            // Skip intervals of zero rate that end exactly at the target's level.
            while (i + 1 < p.start_day.size() && p.rate_per_year[i] <= 0.0 && piecewise_cumulative_[i + 1] <= target)
              ++i;
            if (p.rate_per_year[i] <= 0.0) return infinite_time;
            return p.start_day[i] + (target - piecewise_cumulative_[i]) * days_per_year / p.rate_per_year[i];
          }},
      shape_);
}

double BaselineHazard::hazard(double u) const {
  return std::visit(
      overloaded{[&](const WeibullBaseline& w) {
                   if (u <= 0.0) return w.shape < 1.0 ? infinite_time : (w.shape == 1.0 ? w.first_year_hazard / days_per_year : 0.0);
                   return w.first_year_hazard * w.shape / days_per_year * std::pow(u / days_per_year, w.shape - 1.0);
                 },
                 [&](const LogLogisticBaseline& l) {
                   double r = std::pow(std::max(u, 0.0) / l.scale_days, l.shape);
                   double x = u > 0.0 ? l.shape * r / u : 0.0;
                   return l.first_year_hazard * x / (1.0 + r) / loglogistic_norm_;
                 },
                 [&](const PiecewiseConstantBaseline& p) {
                   std::size_t i =
                       std::upper_bound(p.start_day.begin(), p.start_day.end(), std::max(u, 0.0)) - p.start_day.begin() - 1;
                   return p.rate_per_year[i] / days_per_year;
                 }},
      shape_);
}

}  // namespace desist
