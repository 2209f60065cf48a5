// The HDF5 results file of a run or a comparison. Layout reference:
// docs/output.md; how the bytes stay reproducible and atomic: hdf5_file.hpp.
#include "desist/results_hdf5.hpp"

#include "desist/atomic_file.hpp"
#include "hdf5_file.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iterator>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "desist/measures.hpp"
#include "desist/version.hpp"

namespace desist {
namespace {

using hdf5::Handle;
using hdf5::QuietErrors;
using hdf5::Writer;

// ---------------------------------------------------------------------------
// Shaping replicate data

// Rows of equal length stacked into an R × n row-major matrix.
struct Matrix {
  std::vector<hsize_t> dims;
  std::vector<double> values;
};

Matrix stack(const Writer& w, const std::string& name, std::size_t rows,
             const std::function<const std::vector<double>&(std::size_t)>& row) {
  Matrix m;
  const std::size_t columns = rows > 0 ? row(0).size() : 0;
  m.dims = {static_cast<hsize_t>(rows), static_cast<hsize_t>(columns)};
  m.values.reserve(rows * columns);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::vector<double>& v = row(r);
    if (v.size() != columns)
      w.fail("'" + name + "' has " + std::to_string(v.size()) + " values in replicate " + std::to_string(r) +
             " but " + std::to_string(columns) + " in replicate 0");
    m.values.insert(m.values.end(), v.begin(), v.end());
  }
  return m;
}

void write_matrix(const Writer& w, hid_t parent, const std::string& name, const Matrix& m) {
  w.dataset(parent, name, m.dims, m.values.data());
}

// ---------------------------------------------------------------------------
// The sections of the file

void write_run_attributes(const Writer& w, hid_t root, const Scenario& scenario, const RunResult& result) {
  const Parameters& p = scenario.parameters;
  w.attribute(root, "program", std::string("desist"));
  w.attribute(root, "version", std::string(program_version()));
  w.attribute(root, "seed", static_cast<std::uint64_t>(result.seed));
  w.attribute(root, "replicates", static_cast<std::int32_t>(result.replicates.size()));
  w.attribute(root, "cohort_size", static_cast<std::uint64_t>(result.cohort_size));
  w.attribute(root, "scenario_file", scenario.file);
  w.attribute(root, "scenario", scenario.text);
  w.attribute(root, "scenario_name", p.name);
  w.attribute(root, "followup_days", p.measures.followup_days);
  w.attribute(root, "waiting_days", p.measures.waiting_days);
  w.attribute(root, "horizon_days", p.horizon_days);
}

// One dataset per totals field and derived rate, from totals(r) for each replicate.
void write_totals(const Writer& w, hid_t parent, std::size_t replicates, std::size_t categories,
                  const std::function<const OutcomeTotals&(std::size_t, std::size_t)>& totals, bool matrix) {
  const std::vector<hsize_t> dims =
      matrix ? std::vector<hsize_t>{replicates, categories} : std::vector<hsize_t>{replicates};
  std::vector<double> values(replicates * categories);
  for (const OutcomeTotalField& f : outcome_total_fields) {
    for (std::size_t r = 0; r < replicates; ++r)
      for (std::size_t c = 0; c < categories; ++c) values[r * categories + c] = totals(r, c).*f.member;
    w.dataset(parent, f.name, dims, values.data());
  }
  for (const OutcomeRateField& f : outcome_rate_fields) {
    for (std::size_t r = 0; r < replicates; ++r)
      for (std::size_t c = 0; c < categories; ++c) values[r * categories + c] = (totals(r, c).*f.rate)();
    w.dataset(parent, f.name, dims, values.data());
  }
}

void write_replicates(const Writer& w, hid_t at, const RunResult& result) {
  const Handle g = w.group(at, "replicates");
  write_totals(
      w, g.get(), result.replicates.size(), 1,
      [&](std::size_t r, std::size_t) -> const OutcomeTotals& { return result.replicates[r].overall; }, false);
}

// Estimates are written without their undefined columns (write_columns): with
// one replicate an interval and an sd say nothing, and with none (a ratio whose
// denominator was 0 in every replicate) neither does the mean.
constexpr const char* estimate_columns[] = {"mean", "ci_low", "ci_high", "sd"};
constexpr const char* difference_columns[] = {"mean", "ci_low", "ci_high", "unpaired_ci_low", "unpaired_ci_high"};

std::size_t defined_columns(const Estimate& e) {
  return e.replicates < 1 ? 0 : e.replicates < 2 ? 1 : std::size(estimate_columns);
}

void write_estimate(const Writer& w, hid_t at, const std::string& name, const Estimate& e) {
  write_columns(w, at, name, {e.mean, e.ci_low, e.ci_high, e.sd}, 1, estimate_columns, defined_columns(e), false);
}

void write_summary(const Writer& w, hid_t at, const RunResult& result) {
  const Handle g = w.group(at, "summary");
  const MeasureEstimates estimates = overall_estimates(result);
  for (std::size_t i = 0; i < std::size(outcome_rate_fields); ++i) {
    const char* name = outcome_rate_fields[i].name;
    write_estimate(w, g.get(), name, estimates.*rate_estimates[i]);
  }
}

void write_by_group(const Writer& w, hid_t at, const RunResult& result) {
  const Handle by_group = w.group(at, "by_group");
  const std::size_t replicates = result.replicates.size();
  const std::vector<std::string>& dimensions = breakdown_dimensions();
  for (std::size_t d = 0; d < dimensions.size(); ++d) {
    const std::string& name = dimensions[d];
    std::vector<const Breakdown*> rows;
    for (std::size_t r = 0; r < replicates; ++r) {
      const auto& b = result.replicates[r].breakdowns;
      if (d >= b.size() || (!b[d].dimension.empty() && b[d].dimension != name))
        w.fail("replicate " + std::to_string(r) + " has no breakdown by " + name);
      if (b[d].totals.size() != b[d].categories.size())
        w.fail("breakdown by " + name + " in replicate " + std::to_string(r) + " has " +
               std::to_string(b[d].categories.size()) + " categories but " + std::to_string(b[d].totals.size()) +
               " totals");
      if (r > 0 && b[d].categories != rows[0]->categories)
        w.fail("breakdown by " + name + " has different categories in replicates 0 and " + std::to_string(r));
      rows.push_back(&b[d]);
    }
    const std::vector<std::string> categories = replicates > 0 ? rows[0]->categories : std::vector<std::string>{};
    const Handle g = w.group(by_group.get(), name);
    w.strings(g.get(), "categories", categories);
    write_totals(
        w, g.get(), replicates, categories.size(),
        [&](std::size_t r, std::size_t c) -> const OutcomeTotals& { return rows[r]->totals[c]; }, true);
  }
}

void write_survival(const Writer& w, hid_t at, const RunResult& result) {
  const Handle g = w.group(at, "survival");
  const auto& reps = result.replicates;
  const std::size_t n = reps.size();
  const std::vector<double> no_days;
  const std::vector<double>& day = n > 0 ? reps[0].survival.day : no_days;
  for (std::size_t r = 1; r < n; ++r)
    if (reps[r].survival.day != day)
      w.fail("survival curves have different days in replicates 0 and " + std::to_string(r));
  w.dataset(g.get(), "day", day);
  // Each column of the curves must line up with `day`.
  const auto curve = [&](const char* name, std::vector<double> SurvivalCurve::*member) {
    const Matrix m = stack(w, std::string("survival/") + name, n,
                           [&](std::size_t r) -> const std::vector<double>& { return reps[r].survival.*member; });
    if (m.dims[1] != day.size() && n > 0)
      w.fail(std::string("survival/") + name + " has " + std::to_string(m.dims[1]) + " values but there are " +
             std::to_string(day.size()) + " days");
    write_matrix(w, g.get(), name, m);
  };
  curve("reoffended", &SurvivalCurve::reoffended);
  curve("lower", &SurvivalCurve::lower);
  curve("upper", &SurvivalCurve::upper);
  curve("at_risk", &SurvivalCurve::at_risk);
}

void write_timeseries(const Writer& w, hid_t at, const RunResult& result) {
  const Handle g = w.group(at, "timeseries");
  const auto& reps = result.replicates;
  const std::size_t n = reps.size();
  const double month_days = n > 0 ? reps[0].monthly.month_days : MonthlySeries{}.month_days;
  for (std::size_t r = 1; r < n; ++r)
    if (reps[r].monthly.month_days != month_days)
      w.fail("monthly series have different month lengths in replicates 0 and " + std::to_string(r));
  w.attribute(g.get(), "month_days", month_days);
  const std::size_t months = n > 0 ? reps[0].monthly.custody_population.size() : 0;
  std::vector<double> start(months);
  for (std::size_t m = 0; m < months; ++m) start[m] = static_cast<double>(m) * month_days;
  w.dataset(g.get(), "month_start_day", start);
  const auto series = [&](const char* name, std::vector<double> MonthlySeries::*member) {
    const Matrix m = stack(w, std::string("timeseries/") + name, n,
                           [&](std::size_t r) -> const std::vector<double>& { return reps[r].monthly.*member; });
    if (m.dims[1] != months && n > 0)
      w.fail(std::string("timeseries/") + name + " has " + std::to_string(m.dims[1]) + " months but " +
             "custody_population has " + std::to_string(months));
    write_matrix(w, g.get(), name, m);
  };
  series("custody_population", &MonthlySeries::custody_population);
  series("supervision_caseload", &MonthlySeries::supervision_caseload);
  series("bed_days", &MonthlySeries::bed_days);
  series("recalls", &MonthlySeries::recalls);
  series("releases", &MonthlySeries::releases);
}

template <class T>
void people_column(const Writer& w, hid_t parent, const char* name, const std::vector<PersonOutcome>& people,
                   T PersonOutcome::*member) {
  std::vector<T> column;
  column.reserve(people.size());
  for (const PersonOutcome& o : people) column.push_back(o.*member);
  w.dataset(parent, name, column, true);
}

void write_people(const Writer& w, hid_t at, const Scenario& scenario, const RunResult& result) {
  if (result.replicates.empty() || result.replicates[0].people.empty()) return;
  const std::vector<PersonOutcome>& people = result.replicates[0].people;
  const Handle g = w.group(at, "people");
  people_column(w, g.get(), "index_day", people, &PersonOutcome::index_day);
  people_column(w, g.get(), "group", people, &PersonOutcome::group);
  people_column(w, g.get(), "age", people, &PersonOutcome::age);
  people_column(w, g.get(), "sex", people, &PersonOutcome::sex);
  people_column(w, g.get(), "ogrs3", people, &PersonOutcome::ogrs3);
  people_column(w, g.get(), "first_proven_reoffence_day", people, &PersonOutcome::first_proven_reoffence_day);
  people_column(w, g.get(), "proven_reoffences", people, &PersonOutcome::proven_reoffences);
  people_column(w, g.get(), "conviction_events", people, &PersonOutcome::conviction_events);
  people_column(w, g.get(), "custody_days", people, &PersonOutcome::custody_days);
  people_column(w, g.get(), "recalls", people, &PersonOutcome::recalls);
  people_column(w, g.get(), "death_day", people, &PersonOutcome::death_day);
  // Codes of `group` index the scenario's sentence groups (the same names as
  // the "sentence" breakdown, which is used when the scenario lists none).
  std::vector<std::string> names;
  for (const SentenceGroup& s : scenario.parameters.cohort.groups) names.push_back(s.name);
  if (names.empty() && !result.replicates[0].breakdowns.empty())
    names = result.replicates[0].breakdowns[0].categories;
  w.strings(g.get(), "group_names", names);
}

void write_diagnostics(const Writer& w, hid_t at, const RunResult& result) {
  const Handle g = w.group(at, "diagnostics");
  const DiagnosticsColumns c = diagnostics_columns(result);
  w.dataset(g.get(), "most_events", c.most_events);
  w.dataset(g.get(), "busiest_person", c.busiest_person);
  w.dataset(g.get(), "replicate_key", c.replicate_key);
  w.dataset(g.get(), "checksum", c.checksum);
  w.dataset(g.get(), "events_per_person", c.events_per_person);
  w.dataset(g.get(), "people_by_events", {static_cast<hsize_t>(c.checksum.size()), event_count_bins},
            c.people_by_events.data());
  w.dataset(g.get(), "seconds", c.seconds);
  w.dataset(g.get(), "engine_seconds", c.engine_seconds);
  w.dataset(g.get(), "events", c.events);
  w.dataset(g.get(), "events_per_second", c.events_per_second);
}

// ---------------------------------------------------------------------------
// Files

// A run's sections under `at` (the root of a run file, or a group of a comparison file).
void write_run(const Writer& w, hid_t at, const Scenario& scenario, const RunResult& result) {
  write_run_attributes(w, at, scenario, result);
  write_replicates(w, at, result);
  write_summary(w, at, result);
  write_by_group(w, at, result);
  write_survival(w, at, result);
  write_timeseries(w, at, result);
  write_people(w, at, scenario, result);
  write_diagnostics(w, at, result);
}

// One option against the base: paired differences, throughput, economics.
void write_option_comparison(const Writer& w, hid_t at, const OptionComparison& c) {
  w.attribute(at, "name", c.name);
  w.attribute(at, "file", c.file);
  const Handle measures = w.group(at, "measures");
  for (const NamedDifference& m : c.measures) {
    const PairedDifference& d = m.value;
    write_columns(w, measures.get(), m.name, {d.mean, d.ci_low, d.ci_high, d.unpaired_ci_low, d.unpaired_ci_high}, 1,
                  difference_columns, d.replicates < 2 ? 1 : std::size(difference_columns), false);
  }
  const Handle throughput = w.group(at, "throughput");
  for (const ThroughputEstimates& t : c.throughput) {
    const Handle g = w.group(throughput.get(), t.name);
    const std::pair<const char*, const Estimate*> fields[] = {
        {"referrals", &t.referrals},   {"starts", &t.starts},   {"completions", &t.completions},
        {"dropouts", &t.dropouts},     {"declined", &t.declined}, {"lapsed", &t.lapsed},
        {"interrupted", &t.interrupted}, {"mean_wait_days", &t.mean_wait_days}, {"p90_wait_days", &t.p90_wait_days}};
    for (const auto& [name, e] : fields) write_estimate(w, g.get(), name, *e);
    w.dataset(g.get(), "in_service_by_month", t.in_service_by_month);
  }
  const EconomicComparison& e = c.economics;
  const Handle economics = w.group(at, "economics");
  write_estimate(w, economics.get(), "net_present_value", e.net_present_value);
  write_estimate(w, economics.get(), "benefit_cost_ratio", e.benefit_cost_ratio);
  write_estimate(w, economics.get(), "cost_per_reoffence_averted", e.cost_per_reoffence_averted);
  write_estimate(w, economics.get(), "intervention_cost", e.intervention_cost);
  write_estimate(w, economics.get(), "benefits", e.benefits);
  w.dataset(economics.get(), "probability_net_benefit_positive", std::vector<double>{e.probability_net_benefit_positive});
  w.strings(economics.get(), "agencies", e.agencies);
  std::vector<double> savings;
  std::size_t defined = std::size(estimate_columns);
  for (const Estimate& s : e.savings_by_agency) {
    savings.insert(savings.end(), {s.mean, s.ci_low, s.ci_high, s.sd});
    defined = std::min(defined, defined_columns(s));
  }
  write_columns(w, economics.get(), "savings_by_agency", savings, e.agencies.size(), estimate_columns, defined, true);
  const std::size_t years = e.ledger_by_agency_year.empty() ? 0 : e.ledger_by_agency_year.front().size();
  std::vector<double> ledger;
  for (const auto& row : e.ledger_by_agency_year) ledger.insert(ledger.end(), row.begin(), row.end());
  w.dataset(economics.get(), "savings_by_agency_by_year", {e.agencies.size(), years}, ledger.data());
}

std::vector<char> run_image(const std::string& path, const std::string& name, const Scenario& scenario,
                            const RunResult& result) {
  const QuietErrors quiet;  // outlives every handle below
  Writer file(path);
  file.create(name);
  write_run(file, file.root(), scenario, result);
  return file.image();
}

std::vector<char> comparison_image(const std::string& path, const std::string& name, const Scenario& base,
                                   const std::vector<Option>& options, const ComparisonRun& run,
                                   const std::vector<OptionComparison>& comparisons) {
  const QuietErrors quiet;
  Writer file(path);
  file.create(name);
  const hid_t root = file.root();
  file.attribute(root, "program", std::string("desist"));
  file.attribute(root, "version", std::string(program_version()));
  file.attribute(root, "kind", std::string("comparison"));
  file.attribute(root, "seed", static_cast<std::uint64_t>(run.base.seed));
  file.attribute(root, "replicates", static_cast<std::int32_t>(run.base.replicates.size()));
  {
    const Handle g = file.group(root, "base");
    write_run(file, g.get(), base, run.base);
  }
  const Handle option_runs = file.group(root, "options");
  const Handle compared = file.group(root, "comparison");
  for (std::size_t o = 0; o < options.size(); ++o) {
    const Handle g = file.group(option_runs.get(), option_key(options[o]));
    write_run(file, g.get(), options[o].scenario, run.options[o]);
    const Handle c = file.group(compared.get(), option_key(options[o]));
    write_option_comparison(file, c.get(), comparisons[o]);
  }
  return file.image();
}

std::string image_name(const std::string& path) {
  static std::atomic<unsigned> images{0};  // in-memory files need distinct names
  return path + ".image." + std::to_string(images++);
}

}  // namespace

void write_results_hdf5(const std::string& path, const Scenario& scenario, const RunResult& result) {
  // HDF5 builds the file in memory (its core driver), so a failure on disk
  // (full, missing directory) is a plain write error and never a half-closed
  // HDF5 handle; the bytes are identical to a file HDF5 writes itself.
  const std::vector<char> bytes = run_image(path, image_name(path), scenario, result);
  write_file_atomically(path, std::string_view(bytes.data(), bytes.size()));
}

void write_comparison_hdf5(const std::string& path, const Scenario& base, const std::vector<Option>& options,
                           const ComparisonRun& run, const std::vector<OptionComparison>& comparisons) {
  const std::vector<char> bytes = comparison_image(path, image_name(path), base, options, run, comparisons);
  write_file_atomically(path, std::string_view(bytes.data(), bytes.size()));
}

}  // namespace desist
