// Results as nested dicts of NumPy arrays in the layout of the HDF5 results
// file (docs/output.md), so the Python package reads a run in memory and a run
// read back from its file through the same code.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "desist/measures.hpp"
#include "desist/version.hpp"

namespace desist::python {

namespace {

using Totals = OutcomeTotals;

template <class T>
py::array_t<T> vector(const std::vector<T>& values) {
  py::array_t<T> a(static_cast<py::ssize_t>(values.size()));
  T* out = a.mutable_data();
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = values[i];
  return a;
}

// rows × columns, value(r, c).
py::array_t<double> matrix(std::size_t rows, std::size_t columns,
                           const std::function<double(std::size_t, std::size_t)>& value) {
  py::array_t<double> a({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(columns)});
  double* out = a.mutable_data();
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < columns; ++c) out[r * columns + c] = value(r, c);
  return a;
}

// Rows of equal length (one per replicate) stacked; ragged rows are an error.
py::array_t<double> stack(const std::string& name, std::size_t rows,
                          const std::function<const std::vector<double>&(std::size_t)>& row) {
  const std::size_t columns = rows > 0 ? row(0).size() : 0;
  for (std::size_t r = 1; r < rows; ++r)
    if (row(r).size() != columns) throw std::runtime_error("'" + name + "' differs in length between replicates");
  return matrix(rows, columns, [&](std::size_t r, std::size_t c) { return row(r)[c]; });
}

py::array_t<double> estimate_array(const Estimate& e) { return vector(std::vector<double>{e.mean, e.ci_low, e.ci_high, e.sd}); }

// The totals and rates of each replicate (matrix: per category too).
void totals(py::dict& into, std::size_t replicates, std::size_t categories,
            const std::function<const Totals&(std::size_t, std::size_t)>& at, bool as_matrix) {
  const auto put = [&](const char* name, const std::function<double(const Totals&)>& f) {
    py::array_t<double> a = matrix(replicates, categories, [&](std::size_t r, std::size_t c) { return f(at(r, c)); });
    into[name] = as_matrix ? py::object(a) : py::object(a.attr("reshape")(replicates));
  };
  for (const OutcomeTotalField& f : outcome_total_fields) put(f.name, [&](const Totals& t) { return t.*f.member; });
  for (const OutcomeRateField& f : outcome_rate_fields) put(f.name, [&](const Totals& t) { return (t.*f.rate)(); });
}

}  // namespace

py::dict run_tables(const Scenario& scenario, const RunResult& result) {
  const Parameters& p = scenario.parameters;
  const auto& reps = result.replicates;
  const std::size_t n = reps.size();
  py::dict d;
  d["@program"] = "desist";
  d["@version"] = std::string(program_version());
  d["@seed"] = result.seed;
  d["@replicates"] = n;
  d["@cohort_size"] = result.cohort_size;
  d["@scenario_file"] = scenario.file;
  d["@scenario"] = scenario.text;
  d["@scenario_name"] = p.name;
  d["@followup_days"] = p.measures.followup_days;
  d["@waiting_days"] = p.measures.waiting_days;
  d["@horizon_days"] = p.horizon_days;

  py::dict replicates;
  totals(replicates, n, 1, [&](std::size_t r, std::size_t) -> const Totals& { return reps[r].overall; }, false);
  d["replicates"] = replicates;

  py::dict summary;
  const MeasureEstimates estimates = overall_estimates(result);
  for (std::size_t i = 0; i < std::size(outcome_rate_fields); ++i)
    summary[outcome_rate_fields[i].name] = estimate_array(estimates.*rate_estimates[i]);
  d["summary"] = summary;

  py::dict by_group;
  const std::vector<std::string>& dimensions = breakdown_dimensions();
  for (std::size_t k = 0; k < dimensions.size(); ++k) {
    py::dict g;
    const std::vector<std::string> categories = n > 0 ? reps[0].breakdowns.at(k).categories : std::vector<std::string>{};
    for (std::size_t r = 0; r < n; ++r)
      if (reps[r].breakdowns.at(k).categories != categories)
        throw std::runtime_error("breakdown by " + dimensions[k] + " differs between replicates");
    g["categories"] = categories;
    totals(g, n, categories.size(),
           [&](std::size_t r, std::size_t c) -> const Totals& { return reps[r].breakdowns[k].totals.at(c); }, true);
    by_group[py::str(dimensions[k])] = g;
  }
  d["by_group"] = by_group;

  py::dict survival;
  survival["day"] = vector(n > 0 ? reps[0].survival.day : std::vector<double>{});
  const auto curve = [&](const char* name, std::vector<double> SurvivalCurve::*member) {
    survival[name] = stack(std::string("survival/") + name, n,
                           [&](std::size_t r) -> const std::vector<double>& { return reps[r].survival.*member; });
  };
  curve("reoffended", &SurvivalCurve::reoffended);
  curve("lower", &SurvivalCurve::lower);
  curve("upper", &SurvivalCurve::upper);
  curve("at_risk", &SurvivalCurve::at_risk);
  d["survival"] = survival;

  py::dict timeseries;
  const double month_days = n > 0 ? reps[0].monthly.month_days : MonthlySeries{}.month_days;
  const std::size_t months = n > 0 ? reps[0].monthly.custody_population.size() : 0;
  timeseries["@month_days"] = month_days;
  std::vector<double> start(months);
  for (std::size_t m = 0; m < months; ++m) start[m] = static_cast<double>(m) * month_days;
  timeseries["month_start_day"] = vector(start);
  const auto series = [&](const char* name, std::vector<double> MonthlySeries::*member) {
    timeseries[name] = stack(std::string("timeseries/") + name, n,
                             [&](std::size_t r) -> const std::vector<double>& { return reps[r].monthly.*member; });
  };
  series("custody_population", &MonthlySeries::custody_population);
  series("supervision_caseload", &MonthlySeries::supervision_caseload);
  series("bed_days", &MonthlySeries::bed_days);
  series("recalls", &MonthlySeries::recalls);
  series("releases", &MonthlySeries::releases);
  d["timeseries"] = timeseries;

  py::dict diagnostics;
  const DiagnosticsColumns c = diagnostics_columns(result);
  diagnostics["seconds"] = vector(c.seconds);
  diagnostics["engine_seconds"] = vector(c.engine_seconds);
  diagnostics["events"] = vector(c.events);
  diagnostics["events_per_second"] = vector(c.events_per_second);
  diagnostics["most_events"] = vector(c.most_events);
  diagnostics["busiest_person"] = vector(c.busiest_person);
  diagnostics["replicate_key"] = vector(c.replicate_key);
  diagnostics["checksum"] = vector(c.checksum);
  diagnostics["events_per_person"] = vector(c.events_per_person);
  py::array_t<std::uint64_t> people_by_events = vector(c.people_by_events);
  diagnostics["people_by_events"] =
      people_by_events.attr("reshape")(c.checksum.size(), event_count_bins);
  d["diagnostics"] = diagnostics;
  return d;
}

py::dict comparison_tables(const ComparisonData& c) {
  py::dict d;
  d["@program"] = "desist";
  d["@version"] = std::string(program_version());
  d["@kind"] = "comparison";
  d["@seed"] = c.run.base.seed;
  d["@replicates"] = c.run.base.replicates.size();
  d["base"] = run_tables(c.base, c.run.base);
  py::dict options, compared;
  for (std::size_t o = 0; o < c.options.size(); ++o) {
    const std::string key = option_key(c.options[o]);
    options[py::str(key)] = run_tables(c.options[o].scenario, c.run.options[o]);
    const OptionComparison& oc = c.comparisons[o];
    py::dict g;
    g["@name"] = oc.name;
    g["@file"] = oc.file;
    py::dict measures;
    for (const NamedDifference& m : oc.measures) {
      const PairedDifference& x = m.value;
      measures[py::str(m.name)] = vector(std::vector<double>{x.mean, x.ci_low, x.ci_high, x.unpaired_ci_low, x.unpaired_ci_high});
    }
    g["measures"] = measures;
    py::dict throughput;
    for (const ThroughputEstimates& t : oc.throughput) {
      py::dict i;
      i["referrals"] = estimate_array(t.referrals);
      i["starts"] = estimate_array(t.starts);
      i["completions"] = estimate_array(t.completions);
      i["dropouts"] = estimate_array(t.dropouts);
      i["declined"] = estimate_array(t.declined);
      i["lapsed"] = estimate_array(t.lapsed);
      i["interrupted"] = estimate_array(t.interrupted);
      i["mean_wait_days"] = estimate_array(t.mean_wait_days);
      i["p90_wait_days"] = estimate_array(t.p90_wait_days);
      i["in_service_by_month"] = vector(t.in_service_by_month);
      throughput[py::str(t.name)] = i;
    }
    g["throughput"] = throughput;
    const EconomicComparison& e = oc.economics;
    py::dict economics;
    economics["net_present_value"] = estimate_array(e.net_present_value);
    economics["benefit_cost_ratio"] = estimate_array(e.benefit_cost_ratio);
    economics["cost_per_reoffence_averted"] = estimate_array(e.cost_per_reoffence_averted);
    economics["intervention_cost"] = estimate_array(e.intervention_cost);
    economics["benefits"] = estimate_array(e.benefits);
    economics["probability_net_benefit_positive"] = vector(std::vector<double>{e.probability_net_benefit_positive});
    economics["agencies"] = e.agencies;
    const auto& s = e.savings_by_agency;
    economics["savings_by_agency"] = matrix(s.size(), 4, [&](std::size_t a, std::size_t k) {
      const Estimate& x = s[a];
      return k == 0 ? x.mean : k == 1 ? x.ci_low : k == 2 ? x.ci_high : x.sd;
    });
    const auto& ledger = e.ledger_by_agency_year;
    const std::size_t years = ledger.empty() ? 0 : ledger.front().size();
    economics["savings_by_agency_by_year"] =
        matrix(ledger.size(), years, [&](std::size_t a, std::size_t y) { return ledger[a].at(y); });
    g["economics"] = economics;
    compared[py::str(key)] = g;
  }
  d["options"] = options;
  d["comparison"] = compared;
  return d;
}

}  // namespace desist::python
