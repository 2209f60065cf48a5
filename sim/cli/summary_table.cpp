#include "summary_table.hpp"

#include <cmath>
#include <cstdio>
#include <string>

namespace desist::cli {

namespace {

std::string format(const char* fmt, double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, fmt, x);
  return buffer;
}

// "25.6%" or "0.74", with " (lo–hi)" when there is an interval.
std::string cell(const Estimate& e, bool percent) {
  const char* fmt = percent ? "%.1f%%" : "%.2f";
  const double scale = percent ? 100.0 : 1.0;
  std::string s = format(fmt, e.mean * scale);
  if (std::isfinite(e.ci_low))
    s += " (" + format(percent ? "%.1f" : "%.2f", e.ci_low * scale) + "-" + format(percent ? "%.1f" : "%.2f", e.ci_high * scale) + ")";
  return s;
}

std::string thousands(double x) {
  std::string digits = std::to_string(static_cast<long long>(std::llround(x)));
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

std::string pad(const std::string& s, std::size_t width) { return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' '); }

}  // namespace

std::string summary_table(const Scenario& scenario, const RunResult& result) {
  const Parameters& p = scenario.parameters;
  const MeasureEstimates all = overall_estimates(result);
  std::string out;
  out += "desist: " + (p.name.empty() ? scenario.file : p.name) + "\n";
  out += "  " + thousands(static_cast<double>(result.cohort_size)) + " people, " + std::to_string(result.replicates.size()) +
         (result.replicates.size() == 1 ? " replicate" : " replicates") + ", seed " + std::to_string(result.seed) +
         "; proven reoffending: offences within " + format("%.0f", p.measures.followup_days) + " days, proven within " +
         format("%.0f", p.measures.waiting_days) + " more; horizon " + format("%.1f", p.horizon_days / days_per_year) +
         " years\n";
  if (result.replicates.size() > 1) out += "  (brackets: 95% confidence interval of the mean over replicates)\n";
  out += "\n";
  out += "  proven reoffending rate          " + cell(all.binary_rate, true) + "\n";
  out += "  proven reoffences per offender   " + cell(all.reoffences_per_offender, false) + "\n";
  out += "  proven reoffences per reoffender " + cell(all.reoffences_per_reoffender, false) + "\n";
  out += "  conviction events per offender   " + cell(all.conviction_events_per_offender, false) + "\n";
  out += "  custody days per offender        " + cell(all.custody_days_per_offender, false) + "  (over the horizon)\n";
  out += "  recalls per offender             " + cell(all.recalls_per_offender, false) + "\n";
  if (result.replicates.empty()) return out;
  const auto& breakdowns = result.replicates.front().breakdowns;
  for (std::size_t d = 0; d < breakdowns.size(); ++d) {
    const bool wide = result.replicates.size() > 1;
    const std::size_t w = wide ? 22 : 12;
    out += "\n  by " + breakdowns[d].dimension + "\n";
    out += "  " + pad("", 26) + pad("people", 11) + pad("reoffending", w) + pad("per reoffender", w) +
           pad("custody days", w) + "recalls\n";
    for (std::size_t c = 0; c < breakdowns[d].categories.size(); ++c) {
      const MeasureEstimates g = group_estimates(result, d, c);
      out += "  " + pad(breakdowns[d].categories[c], 26) + pad(thousands(g.people), 11) + pad(cell(g.binary_rate, true), w) +
             pad(cell(g.reoffences_per_reoffender, false), w) + pad(cell(g.custody_days_per_offender, false), w) +
             cell(g.recalls_per_offender, false) + "\n";
    }
  }
  // Prison places the cohort uses: average custody population in each of the first years.
  const auto& monthly = result.replicates.front().monthly;
  out += "\n  custody population of the cohort (first replicate, average by year from the first index date)\n  ";
  for (std::size_t y = 0; y * 12 < monthly.custody_population.size(); ++y) {
    double sum = 0.0;
    std::size_t months = 0;
    for (std::size_t m = y * 12; m < std::min(monthly.custody_population.size(), (y + 1) * 12); ++m, ++months)
      sum += monthly.custody_population[m];
    out += "  year " + std::to_string(y + 1) + ": " + thousands(sum / static_cast<double>(months));
  }
  out += "\n";
  return out;
}

namespace {

std::string difference(const PairedDifference& d, const char* fmt) {
  std::string s = format(fmt, d.mean);
  if (std::isfinite(d.ci_low)) s += " (" + format(fmt, d.ci_low) + " to " + format(fmt, d.ci_high) + ")";
  return s;
}

std::string unpaired(const PairedDifference& d, const char* fmt) {
  if (!std::isfinite(d.unpaired_ci_low)) return "";
  return "[" + format(fmt, d.unpaired_ci_low) + " to " + format(fmt, d.unpaired_ci_high) + "]";
}

std::string pounds(double x) {
  if (!std::isfinite(x)) return "-";
  const double a = std::abs(x);
  const char* sign = x < 0 ? "-" : "";
  if (a >= 1e6) return sign + format("£%.2fm", a / 1e6);
  if (a >= 1e3) return sign + format("£%.0fk", a / 1e3);
  return sign + format("£%.0f", a);
}

std::string money(const Estimate& e) {
  std::string s = pounds(e.mean);
  if (std::isfinite(e.ci_low)) s += " (" + pounds(e.ci_low) + " to " + pounds(e.ci_high) + ")";
  return s;
}

}  // namespace

std::string comparison_table(const Scenario& base, const std::vector<Option>& options, const ComparisonRun& run,
                             const std::vector<OptionComparison>& comparisons) {
  std::string out = summary_table(base, run.base);
  const std::size_t replicates = run.base.replicates.size();
  out += "\n";
  out += "Options against the base (" + std::to_string(replicates) + " paired replicates, common random numbers;\n";
  out += "  (a to b): paired 95% interval; [a to b]: the interval without pairing, for comparison)\n";
  for (std::size_t o = 0; o < options.size(); ++o) {
    const OptionComparison& c = comparisons[o];
    out += "\n  " + c.name + "  (" + c.file + ")\n";
    const std::pair<const char*, const char*> rows[] = {
        {"reoffenders_averted", "%.1f"},        {"binary_rate_points_averted", "%.3f"},
        {"reoffences_averted", "%.1f"},         {"conviction_events_averted", "%.1f"},
        {"prison_bed_days_saved", "%.0f"},      {"prison_places_saved", "%.2f"},
        {"recalls_averted", "%.1f"}};
    for (const auto& [name, fmt] : rows) {
      const PairedDifference& d = c.measure(name);
      out += "    " + pad(name, 28) + pad(difference(d, fmt), 30) + unpaired(d, fmt) + "\n";
    }
    for (const ThroughputEstimates& t : c.throughput) {
      out += "    " + pad(t.name, 28) + format("%.0f referred, ", t.referrals.mean) + format("%.0f started, ", t.starts.mean) +
             format("%.0f completed, ", t.completions.mean) + format("%.0f dropped out", t.dropouts.mean);
      if (std::isfinite(t.mean_wait_days.mean))
        out += format("; wait %.0f days", t.mean_wait_days.mean) + format(" (90%% within %.0f)", t.p90_wait_days.mean);
      out += "\n";
    }
    const EconomicComparison& e = c.economics;
    out += "    " + pad("intervention cost", 28) + money(e.intervention_cost) + "\n";
    out += "    " + pad("savings to others", 28) + money(e.benefits) + "\n";
    out += "    " + pad("net present value", 28) + money(e.net_present_value) +
           format("; chance it is positive %.0f%%", 100.0 * e.probability_net_benefit_positive) + "\n";
    out += "    " + pad("benefit-cost ratio", 28) + cell(e.benefit_cost_ratio, false) + "\n";
    out += "    " + pad("cost per reoffence averted", 28) + money(e.cost_per_reoffence_averted) + "\n";
    out += "    who invests, who saves (discounted):";
    for (std::size_t a = 0; a < e.agencies.size(); ++a)
      if (e.savings_by_agency[a].mean != 0.0) out += "  " + e.agencies[a] + " " + pounds(e.savings_by_agency[a].mean);
    out += "\n";
  }
  return out;
}

}  // namespace desist::cli
