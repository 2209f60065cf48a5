#include "desist/statistics.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <algorithm>
#include <cmath>
#include <limits>

namespace desist {

Estimate estimate(const std::vector<double>& values) {
  Estimate e;
  e.replicates = static_cast<int>(values.size());
  if (values.empty()) {
    e.mean = e.ci_low = e.ci_high = e.sd = std::numeric_limits<double>::quiet_NaN();
    return e;
  }
  double sum = 0.0;
  for (double v : values) sum += v;
  e.mean = sum / static_cast<double>(values.size());
  if (values.size() < 2) {
    e.ci_low = e.ci_high = e.sd = std::numeric_limits<double>::quiet_NaN();
    return e;
  }
  double squares = 0.0;
  for (double v : values) squares += (v - e.mean) * (v - e.mean);
  const double n = static_cast<double>(values.size());
  e.sd = std::sqrt(squares / (n - 1.0));
  const boost::math::students_t t(n - 1.0);
  const double half = boost::math::quantile(boost::math::complement(t, 0.025)) * e.sd / std::sqrt(n);
  e.ci_low = e.mean - half;
  e.ci_high = e.mean + half;
  return e;
}

double quantile_of_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(h));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (h - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

}  // namespace desist
