#include "desist/comparison.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

namespace desist {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double t_quantile(double df) {
  return boost::math::quantile(boost::math::complement(boost::math::students_t(df), 0.025));
}

double variance(const std::vector<double>& x, double mean) {
  double s = 0.0;
  for (double v : x) s += (v - mean) * (v - mean);
  return s / static_cast<double>(x.size() - 1);
}
}  // namespace

PairedDifference paired_difference(const std::vector<double>& base, const std::vector<double>& option) {
  if (base.size() != option.size() || base.empty())
    throw std::invalid_argument("paired_difference needs the same number of base and option replicates");
  std::vector<double> d(base.size());
  for (std::size_t r = 0; r < base.size(); ++r) d[r] = base[r] - option[r];
  const Estimate paired = estimate(d);
  PairedDifference out{paired.mean, paired.ci_low, paired.ci_high, nan, nan, paired.replicates};
  const std::size_t n = base.size();
  if (n < 2) return out;
  const Estimate b = estimate(base), o = estimate(option);
  const double vb = variance(base, b.mean) / static_cast<double>(n), vo = variance(option, o.mean) / static_cast<double>(n);
  const double se = std::sqrt(vb + vo);
  if (se == 0.0) {
    out.unpaired_ci_low = out.unpaired_ci_high = out.mean;
    return out;
  }
  // Welch–Satterthwaite degrees of freedom.
  const double df = (vb + vo) * (vb + vo) / (vb * vb / static_cast<double>(n - 1) + vo * vo / static_cast<double>(n - 1));
  const double half = t_quantile(df) * se;
  out.unpaired_ci_low = out.mean - half;
  out.unpaired_ci_high = out.mean + half;
  return out;
}

const PairedDifference& OptionComparison::measure(const std::string& wanted) const {
  for (const auto& m : measures)
    if (m.name == wanted) return m.value;
  throw std::out_of_range("no measure '" + wanted + "' in the comparison");
}

OptionComparison compare_option(const Parameters& base_parameters, const RunResult& base, const std::string& name,
                                const std::string& file, const RunResult& option) {
  if (base.replicates.size() != option.replicates.size())
    throw std::invalid_argument("base and option must have the same replicates");
  OptionComparison c;
  c.name = name;
  c.file = file;
  const double horizon = base_parameters.horizon_days;
  auto series = [](const RunResult& r, const std::function<double(const OutcomeTotals&)>& f) {
    std::vector<double> v;
    for (const auto& rep : r.replicates) v.push_back(f(rep.overall));
    return v;
  };
  auto add = [&](const std::string& measure, const std::function<double(const OutcomeTotals&)>& f) {
    c.measures.push_back({measure, paired_difference(series(base, f), series(option, f))});
  };
  add("reoffenders_averted", [](const OutcomeTotals& t) { return t.reoffenders; });
  add("binary_rate_points_averted", [](const OutcomeTotals& t) { return 100.0 * t.binary_rate(); });
  add("reoffences_averted", [](const OutcomeTotals& t) { return t.reoffences; });
  add("conviction_events_averted", [](const OutcomeTotals& t) { return t.conviction_events; });
  add("prison_bed_days_saved", [](const OutcomeTotals& t) { return t.custody_days; });
  add("prison_places_saved", [&](const OutcomeTotals& t) { return t.custody_days / horizon; });
  add("recalls_averted", [](const OutcomeTotals& t) { return t.recalls; });

  const std::size_t interventions = option.replicates.empty() ? 0 : option.replicates.front().interventions.size();
  for (std::size_t j = 0; j < interventions; ++j) {
    ThroughputEstimates t;
    auto of = [&](const std::function<double(const InterventionThroughput&)>& f, bool needs_starts = false) {
      std::vector<double> v;
      for (const auto& rep : option.replicates)
        if (!needs_starts || rep.interventions[j].starts > 0) v.push_back(f(rep.interventions[j]));
      return estimate(v);
    };
    t.name = option.replicates.front().interventions[j].name;
    t.referrals = of([](const InterventionThroughput& x) { return x.referrals; });
    t.starts = of([](const InterventionThroughput& x) { return x.starts; });
    t.completions = of([](const InterventionThroughput& x) { return x.completions; });
    t.dropouts = of([](const InterventionThroughput& x) { return x.dropouts; });
    t.declined = of([](const InterventionThroughput& x) { return x.declined; });
    t.lapsed = of([](const InterventionThroughput& x) { return x.lapsed; });
    t.interrupted = of([](const InterventionThroughput& x) { return x.interrupted; });
    // A wait is only defined in replicates where someone started: the
    // estimate is over those (none: undefined, docs/edge-cases.md).
    t.mean_wait_days = of([](const InterventionThroughput& x) { return x.mean_wait_days; }, true);
    t.p90_wait_days = of([](const InterventionThroughput& x) { return x.p90_wait_days; }, true);
    const std::size_t months = option.replicates.front().interventions[j].in_service_by_month.size();
    t.in_service_by_month.assign(months, 0.0);
    for (const auto& rep : option.replicates)
      for (std::size_t m = 0; m < months; ++m)
        t.in_service_by_month[m] += rep.interventions[j].in_service_by_month[m] / static_cast<double>(option.replicates.size());
    c.throughput.push_back(std::move(t));
  }

  std::vector<double> averted;
  for (std::size_t r = 0; r < base.replicates.size(); ++r)
    averted.push_back(base.replicates[r].overall.reoffences - option.replicates[r].overall.reoffences);
  c.economics = compare_economics(base_parameters.economics.discount_rate, base.ledgers, option.ledgers, averted);
  return c;
}

}  // namespace desist
