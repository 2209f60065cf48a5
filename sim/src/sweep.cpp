#include "desist/sweep.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>

#include "csv_table.hpp"
#include "desist/comparison.hpp"
#include "desist/designs.hpp"
#include "desist/experiment.hpp"
#include "desist/measures.hpp"
#include "desist/parallel.hpp"
#include "desist/rng.hpp"
#include "desist/uncertainty.hpp"
#include "desist/yaml_reader.hpp"
#include "input_files.hpp"
#include "scenario_interventions.hpp"

namespace desist {

namespace {

const std::vector<std::string> design_kinds{"grid", "latin_hypercube", "sobol", "monte_carlo"};

// The option measures of a row, after each option's rates.
const std::vector<std::string> option_measures{"reoffenders_averted",  "reoffences_averted",
                                               "conviction_events_averted", "prison_places_saved",
                                               "recalls_averted",      "intervention_cost",
                                               "benefits",             "net_present_value"};

bool is_factor_spec(const YamlNode& n) {
  if (!n.is_map()) return true;  // read_factor says what a factor may be
  for (const auto& [key, value] : n.entries()) {
    (void)value;
    if (key == "values" || key == "draws" ||
        std::find(distribution_names().begin(), distribution_names().end(), key) != distribution_names().end())
      return true;
  }
  return false;
}

// The column `column` of a CSV of draws, every row a number.
std::vector<double> read_draws(const std::string& file, const std::string& column, const YamlNode& at) {
  const csv::Table table = csv::read_table(file, csv::Options{"draws file", "draw", true});
  const std::size_t c = table.require(column, "the draws column (factors.…draws.column)");
  std::vector<double> draws;
  for (const csv::Row& row : table.rows) {
    const std::string text(csv::trim(row.fields[c]));
    char* end = nullptr;
    const double x = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(x))
      throw InputError({file, row.line, static_cast<int>(c) + 1, column}, "not a finite number: '" + text + "'");
    draws.push_back(x);
  }
  if (draws.empty()) throw at.error("the draws file has no rows");
  return draws;
}

SweepFactor read_factor(const std::string& path, const YamlNode& n, const Sweep& sweep) {
  SweepFactor f;
  f.path = path;
  f.key = path;
  f.where = n.error("").where();
  if (path.rfind("options.", 0) == 0) {
    const std::string rest = path.substr(8);
    const std::size_t dot = rest.find('.');
    const std::string key = rest.substr(0, dot);
    auto it = std::find(sweep.option_keys.begin(), sweep.option_keys.end(), key);
    if (it == sweep.option_keys.end() || dot == std::string::npos)
      throw n.error("a factor under 'options.' names an option of the sweep (its file name without .yaml) and a key "
                    "in it; " + suggestion(key, sweep.option_keys));
    f.target = static_cast<int>(it - sweep.option_keys.begin());
    f.key = rest.substr(dot + 1);
  }
  if (!n.is_map()) throw n.error("give a distribution ({uniform: [low, high]}, …), {values: [...]} or {draws: {file, column}}");
  if (auto values = n.optional("values")) {
    n.expect_keys({"values"});
    for (const YamlNode& v : values->items()) f.levels.push_back(v.number());
    if (f.levels.empty()) throw values->error("give at least one value");
  } else if (auto draws = n.optional("draws")) {
    n.expect_keys({"draws"});
    draws->expect_keys({"file", "column"});
    f.draws_file = relative_to(sweep.file, draws->required("file").text());
    f.draws = read_draws(f.draws_file, draws->required("column").text(), *draws);
  } else {
    f.distribution = read_uncertainty(n);
  }
  return f;
}

// Every `{value: x, uncertainty: {...}}` in a document, by key path.
void find_uncertain(const std::shared_ptr<const YamlDocument>& doc, const YAML::Node& node, const std::string& path,
                    int target, const std::string& prefix, std::vector<SweepFactor>& out) {
  if (!node.IsMap()) return;
  if (node["value"] && node["uncertainty"]) {
    SweepFactor f;
    f.path = prefix + path;
    f.target = target;
    f.key = path;
    const YamlNode uncertainty(doc, node["uncertainty"], path + ".uncertainty");
    f.distribution = read_uncertainty(uncertainty);
    f.from_scenario = true;
    f.where = uncertainty.error("").where();
    out.push_back(std::move(f));
    return;
  }
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    find_uncertain(doc, entry.second, path.empty() ? key : path + "." + key, target, prefix, out);
  }
}

// The value of a factor at design coordinate u ∈ (0, 1).
double factor_value(const SweepFactor& f, double u) {
  if (f.distribution) return quantile(*f.distribution, u);
  const std::vector<double>& list = f.levels.empty() ? f.draws : f.levels;
  const auto i = std::min(list.size() - 1, static_cast<std::size_t>(u * static_cast<double>(list.size())));
  return list[i];
}

std::size_t grid_levels(const Sweep& sweep, int dimension, std::size_t levels_of_distributions) {
  for (const SweepFactor& f : sweep.factors)
    if (f.dimension == dimension) {
      if (!f.levels.empty()) return f.levels.size();
      if (!f.draws.empty()) return f.draws.size();
      return levels_of_distributions;
    }
  return 1;
}

SweepPoint point_at(const Sweep& sweep, const std::vector<double>& u, PointRole role, int dimension = -1) {
  SweepPoint p;
  p.role = role;
  p.dimension = dimension;
  for (const SweepFactor& f : sweep.factors) p.values.push_back(factor_value(f, u[static_cast<std::size_t>(f.dimension)]));
  return p;
}

std::uint64_t fnv1a(std::uint64_t h, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    h ^= bytes[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}
std::uint64_t fnv1a(std::uint64_t h, const std::string& s) { return fnv1a(h, s.data(), s.size() + 1); }

}  // namespace

const char* point_role_name(PointRole role) {
  switch (role) {
    case PointRole::design: return "design";
    case PointRole::sobol_a: return "sobol_a";
    case PointRole::sobol_b: return "sobol_b";
    case PointRole::sobol_ab: return "sobol_ab";
    case PointRole::centre: return "centre";
    case PointRole::low: return "low";
    case PointRole::high: return "high";
  }
  return "?";
}

// ---- reading ---------------------------------------------------------------------------------

namespace {

Sweep read_sweep(YamlDocument document, const std::string& path, const std::vector<std::string>& overrides) {
  auto doc = std::make_shared<YamlDocument>(std::move(document));
  for (const auto& o : overrides) doc->apply_override(o);
  YamlNode root(doc, doc->root, "");
  root.expect_keys({"sweep", "scenario", "options", "set", "design", "factors", "analysis"});
  Sweep s;
  s.file = path;
  s.text = doc->effective_text();
  if (auto meta = root.optional("sweep")) {
    meta->expect_keys({"name", "description"});
    s.name = meta->text_or("name", "");
    s.description = meta->text_or("description", "");
  }
  if (s.name.empty()) s.name = std::filesystem::path(path).stem().string();

  const YamlNode scenario = root.required("scenario");
  s.scenario_file = relative_to(path, scenario.text());
  s.scenario_text = read_text_file(s.scenario_file, "scenario", scenario.error("").where());
  if (auto set = root.optional("set")) read_set(*set, "", s.set);
  const Scenario base = parse_scenario(s.scenario_text, s.scenario_file, s.set);

  std::vector<Option> options;
  if (auto list = root.optional("options"))
    for (const YamlNode& item : list->items()) {
      const std::string file = relative_to(path, item.text());
      s.option_files.push_back(file);
      s.option_texts.push_back(read_text_file(file, "option file", item.error("").where()));
      options.push_back(parse_option(base, s.option_texts.back(), file));
      const std::string key = option_key(options.back());
      if (std::find(s.option_keys.begin(), s.option_keys.end(), key) != s.option_keys.end() || key == "base")
        throw item.error("two options are keyed '" + key + "' (their file name): rename one");
      s.option_keys.push_back(key);
    }

  SweepDesign& d = s.design;
  d.seed = base.seed;
  const YamlNode design = root.required("design");
  design.expect_keys({"kind", "points", "levels", "replicates", "seed", "common_random_numbers",
                      "scenario_uncertainty", "tornado"});
  const std::string kind = design.required("kind").choice(design_kinds);
  d.kind = static_cast<DesignKind>(std::find(design_kinds.begin(), design_kinds.end(), kind) - design_kinds.begin());
  if (d.kind != DesignKind::grid)
    d.points = static_cast<std::size_t>(design.required("points").integer(1, 10'000'000));
  else if (design.has("points"))
    throw design.required("points").error("a grid has one point per combination of levels: leave out 'points'");
  if (auto l = design.optional("levels")) {
    if (d.kind != DesignKind::grid) throw l->error("'levels' is for a grid design only");
    d.levels = static_cast<std::size_t>(l->integer(2, 1000));
  }
  d.replicates = static_cast<int>(design.optional("replicates") ? design.required("replicates").integer(1, 1'000'000) : 1);
  if (auto seed = design.optional("seed")) d.seed = static_cast<std::uint64_t>(seed->integer(0, 9'007'199'254'740'991LL));
  // Plain Monte Carlo is probabilistic sensitivity analysis: every draw its own luck by default.
  d.common_random_numbers = design.boolean_or("common_random_numbers", d.kind != DesignKind::monte_carlo);
  d.scenario_uncertainty = design.boolean_or("scenario_uncertainty", false);
  if (auto t = design.optional("tornado")) {
    if (t->is_scalar()) {
      d.tornado = t->boolean();
    } else {
      t->expect_keys({"low", "high"});
      d.tornado_low = t->number_or("low", d.tornado_low, Range{0.0, 0.5, true, true});
      d.tornado_high = t->number_or("high", d.tornado_high, Range{0.5, 1.0, true, true});
    }
  }

  if (auto factors = root.optional("factors")) {
    // Factor paths may be written dotted or as nested maps down to the factor.
    std::function<void(const YamlNode&, const std::string&)> read_factors = [&](const YamlNode& n,
                                                                                const std::string& prefix) {
      for (const auto& [key, value] : n.entries()) {
        const std::string path = prefix.empty() ? key : prefix + "." + key;
        if (is_factor_spec(value)) {
          for (const SweepFactor& g : s.factors)
            if (g.path == path) throw value.error("factor '" + path + "' is given twice");
          s.factors.push_back(read_factor(path, value, s));
        } else {
          read_factors(value, path);
        }
      }
    };
    read_factors(*factors, "");
  }
  if (d.scenario_uncertainty) {
    std::vector<SweepFactor> found;
    auto base_doc = std::make_shared<YamlDocument>(YamlDocument::load_string(s.scenario_text, s.scenario_file));
    for (const auto& o : s.set) base_doc->apply_override(o);
    find_uncertain(base_doc, base_doc->root, "", -1, "", found);
    for (std::size_t o = 0; o < s.option_texts.size(); ++o) {
      auto option_doc = std::make_shared<YamlDocument>(YamlDocument::load_string(s.option_texts[o], s.option_files[o]));
      find_uncertain(option_doc, option_doc->root, "", static_cast<int>(o), "options." + s.option_keys[o] + ".", found);
    }
    // A factor the sweep names itself takes precedence over the file's own distribution.
    for (SweepFactor& f : found) {
      const bool named = std::any_of(s.factors.begin(), s.factors.end(), [&](const SweepFactor& g) { return g.path == f.path; });
      if (!named) s.factors.push_back(std::move(f));
    }
  }
  if (s.factors.empty())
    throw root.error("a sweep needs at least one factor: list them under 'factors', or set "
                     "design.scenario_uncertainty: true to use the distributions in the scenario and options");

  // Factors drawing from the same file share a coordinate (the row of the file).
  std::map<std::string, int> file_dimension;
  for (SweepFactor& f : s.factors) {
    if (!f.draws_file.empty()) {
      auto [it, added] = file_dimension.try_emplace(f.draws_file, static_cast<int>(s.dimension_names.size()));
      f.dimension = it->second;
      // Columns of one file have as many rows (the CSV reader checks every row is whole).
      if (added)
        s.dimension_names.push_back(f.path);
      else
        s.dimension_names[static_cast<std::size_t>(f.dimension)] += " + " + f.path;
    } else {
      f.dimension = static_cast<int>(s.dimension_names.size());
      s.dimension_names.push_back(f.path);
    }
  }
  if (auto analysis = root.optional("analysis")) {
    analysis->expect_keys({"outputs", "net_benefit"});
    const std::vector<std::string> columns = sweep_columns(s);
    if (auto outputs = analysis->optional("outputs"))
      for (const YamlNode& o : outputs->items()) {
        const std::string name = o.text();
        if (std::find(columns.begin(), columns.end(), name) == columns.end())
          throw o.error("unknown output '" + name + "'; " + suggestion(name, columns));
        s.outputs.push_back(name);
      }
    if (auto nb = analysis->optional("net_benefit")) s.net_benefit = nb->choice(option_measures);
  }
  if (s.outputs.empty()) {
    s.outputs.push_back("base.binary_rate");
    for (const std::string& key : s.option_keys) s.outputs.push_back(key + "." + s.net_benefit);
  }
  // Every factor at its median, and (for the tornado) at its low and high
  // quantiles, must make a valid scenario: find out now, not hours into a run.
  const std::vector<SweepPoint> points = sweep_points(s);
  for (std::size_t i = 0; i < points.size(); ++i)
    if (points[i].role == PointRole::centre || points[i].role == PointRole::low || points[i].role == PointRole::high ||
        i == 0)
      point_scenarios(s, points[i], i);
  return s;
}

}  // namespace

Sweep load_sweep(const std::string& path, const std::vector<std::string>& overrides) {
  return read_sweep(YamlDocument::load_file(path), path, overrides);
}

Sweep parse_sweep(const std::string& text, const std::string& name, const std::vector<std::string>& overrides) {
  return read_sweep(YamlDocument::load_string(text, name), name, overrides);
}

// ---- points ----------------------------------------------------------------------------------

std::vector<SweepPoint> sweep_points(const Sweep& sweep) {
  const SweepDesign& d = sweep.design;
  const std::size_t dims = sweep.dimension_names.size();
  std::vector<SweepPoint> points;
  switch (d.kind) {
    case DesignKind::grid: {
      std::vector<std::size_t> levels(dims), at(dims, 0);
      std::size_t total = 1;
      for (std::size_t j = 0; j < dims; ++j) {
        levels[j] = grid_levels(sweep, static_cast<int>(j), d.levels);
        total *= levels[j];
        if (total > 10'000'000) throw std::invalid_argument("the grid has more than 10 million points");
      }
      for (std::size_t i = 0; i < total; ++i) {
        std::vector<double> u(dims);
        for (std::size_t j = 0; j < dims; ++j) u[j] = (static_cast<double>(at[j]) + 0.5) / static_cast<double>(levels[j]);
        points.push_back(point_at(sweep, u, PointRole::design));
        for (std::size_t j = dims; j-- > 0;) {  // the last factor varies fastest
          if (++at[j] < levels[j]) break;
          at[j] = 0;
        }
      }
      break;
    }
    case DesignKind::latin_hypercube:
    case DesignKind::monte_carlo: {
      UnitDesign design;
      if (d.kind == DesignKind::latin_hypercube) {
        design = latin_hypercube(d.points, dims, d.seed);
      } else {
        design.points = d.points;
        design.dimensions = dims;
        for (std::size_t i = 0; i < d.points; ++i) {
          RandomStream draws(d.seed, i, 0, StreamId::parameters);
          for (std::size_t j = 0; j < dims; ++j) design.u.push_back(draws.uniform());
        }
      }
      for (std::size_t i = 0; i < design.points; ++i) {
        std::vector<double> u(design.u.begin() + static_cast<std::ptrdiff_t>(i * dims),
                              design.u.begin() + static_cast<std::ptrdiff_t>((i + 1) * dims));
        points.push_back(point_at(sweep, u, PointRole::design));
      }
      break;
    }
    case DesignKind::sobol: {
      const UnitDesign design = saltelli_design(d.points, dims);
      for (std::size_t i = 0; i < design.points; ++i) {
        const std::size_t block = i / d.points;
        const PointRole role = block == 0 ? PointRole::sobol_a : block == 1 ? PointRole::sobol_b : PointRole::sobol_ab;
        std::vector<double> u(design.u.begin() + static_cast<std::ptrdiff_t>(i * dims),
                              design.u.begin() + static_cast<std::ptrdiff_t>((i + 1) * dims));
        points.push_back(point_at(sweep, u, role, block >= 2 ? static_cast<int>(block - 2) : -1));
      }
      break;
    }
  }
  if (d.tornado) {
    const std::vector<double> centre(dims, 0.5);
    points.push_back(point_at(sweep, centre, PointRole::centre));
    for (std::size_t j = 0; j < dims; ++j)
      for (const auto& [role, q] : {std::pair{PointRole::low, d.tornado_low}, std::pair{PointRole::high, d.tornado_high}}) {
        std::vector<double> u = centre;
        u[j] = q;
        points.push_back(point_at(sweep, u, role, static_cast<int>(j)));
      }
  }
  return points;
}

PointScenarios point_scenarios(const Sweep& sweep, const SweepPoint& point, std::size_t index) {
  // Overrides per file: the sweep's `set` first (scenario), then the point's values.
  std::vector<std::vector<std::string>> overrides(sweep.option_files.size() + 1);
  overrides[0] = sweep.set;
  for (std::size_t k = 0; k < sweep.factors.size(); ++k) {
    const SweepFactor& f = sweep.factors[k];
    overrides[static_cast<std::size_t>(f.target + 1)].push_back(f.key + "=" + exact_number(point.values[k]));
  }
  try {
    PointScenarios s{parse_scenario(sweep.scenario_text, sweep.scenario_file, overrides[0]), {}};
    for (std::size_t o = 0; o < sweep.option_files.size(); ++o)
      s.options.push_back(parse_option(s.base, sweep.option_texts[o], sweep.option_files[o], overrides[o + 1]));
    return s;
  } catch (const InputError& e) {
    const std::string at = "at sweep point " + std::to_string(index) + " (" + point_role_name(point.role) + "): ";
    for (std::size_t k = 0; k < sweep.factors.size(); ++k) {
      const SweepFactor& f = sweep.factors[k];
      const std::string expression = f.key + "=" + exact_number(point.values[k]);
      const std::string& from = e.where().file;  // an override is reported as "--set path=value"
      if (from.size() >= expression.size() && from.compare(from.size() - expression.size(), expression.size(), expression) == 0)
        throw InputError(f.where, at + "the value " + exact_number(point.values[k]) + " is not allowed: " +
                                      e.message());
    }
    throw InputError(e.where(), at + e.message());
  }
}

std::vector<std::string> sweep_columns(const Sweep& sweep) {
  std::vector<std::string> columns;
  std::vector<std::string> scenarios{"base"};
  scenarios.insert(scenarios.end(), sweep.option_keys.begin(), sweep.option_keys.end());
  for (const std::string& s : scenarios)
    for (const OutcomeRateField& f : outcome_rate_fields) columns.push_back(s + "." + f.name);
  for (const std::string& o : sweep.option_keys)
    for (const std::string& m : option_measures) columns.push_back(o + "." + m);
  return columns;
}

// ---- running ---------------------------------------------------------------------------------

SweepRow run_sweep_row(const Sweep& sweep, const PointScenarios& scenarios, std::size_t point, int replicate,
                       std::atomic<std::size_t>* people_done, const std::atomic<bool>* cancel) {
  const SweepDesign& d = sweep.design;
  RunOptions run;
  run.seed = d.seed;
  run.replicates = 1;
  run.first_replicate = d.common_random_numbers
                            ? static_cast<std::uint64_t>(replicate)
                            : static_cast<std::uint64_t>(point) * static_cast<std::uint64_t>(d.replicates) +
                                  static_cast<std::uint64_t>(replicate);
  run.threads = -1;
  run.keep_people = false;
  run.people_done = people_done;
  run.cancel = cancel;
  const ComparisonRun result = run_comparison(scenarios.base, scenarios.options, run);

  SweepRow row;
  row.checksum = result.base.diagnostics.front().checksum;
  row.events = result.base.diagnostics.front().events;
  auto rates = [&](const RunResult& r) {
    for (const OutcomeRateField& f : outcome_rate_fields) row.values.push_back((r.replicates.front().overall.*f.rate)());
  };
  rates(result.base);
  for (const RunResult& o : result.options) {
    rates(o);
    row.checksum = fnv1a(row.checksum, &o.diagnostics.front().checksum, sizeof(std::uint64_t));
    row.events += o.diagnostics.front().events;
  }
  for (std::size_t o = 0; o < result.options.size(); ++o) {
    const OptionComparison c = compare_option(scenarios.base.parameters, result.base, scenarios.options[o].name,
                                              scenarios.options[o].file, result.options[o]);
    for (const std::string& m : option_measures) {
      if (m == "intervention_cost") row.values.push_back(c.economics.intervention_cost.mean);
      else if (m == "benefits") row.values.push_back(c.economics.benefits.mean);
      else if (m == "net_present_value") row.values.push_back(c.economics.net_present_value.mean);
      else row.values.push_back(c.measure(m).mean);
    }
  }
  return row;
}

SweepRows::SweepRows(std::size_t rows, std::size_t columns)
    : columns_(columns), done_(rows, 0), values_(rows * columns, std::numeric_limits<double>::quiet_NaN()),
      checksums_(rows, 0) {}

void SweepRows::store(std::size_t row, SweepRow values) {
  if (row >= done_.size() || values.values.size() != columns_) throw std::invalid_argument("SweepRows::store: bad row");
  std::lock_guard lock(mutex_);
  std::copy(values.values.begin(), values.values.end(), values_.begin() + static_cast<std::ptrdiff_t>(row * columns_));
  checksums_[row] = values.checksum;
  done_[row] = 1;
  events_ += values.events;
}

bool SweepRows::done(std::size_t row) const {
  std::lock_guard lock(mutex_);
  return done_.at(row) != 0;
}

std::size_t SweepRows::completed() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count(done_.begin(), done_.end(), std::uint8_t{1}));
}

std::uint64_t SweepRows::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

SweepRows::Snapshot SweepRows::snapshot() const {
  std::lock_guard lock(mutex_);
  return {done_, values_, checksums_};
}

void SweepRows::restore(const Snapshot& s) {
  if (s.done.size() != done_.size() || s.values.size() != values_.size() || s.checksums.size() != checksums_.size())
    throw std::invalid_argument("SweepRows::restore: the checkpoint has another shape");
  std::lock_guard lock(mutex_);
  for (std::size_t row = 0; row < done_.size(); ++row) {
    if (!s.done[row]) continue;
    std::copy_n(s.values.begin() + static_cast<std::ptrdiff_t>(row * columns_), columns_,
                values_.begin() + static_cast<std::ptrdiff_t>(row * columns_));
    checksums_[row] = s.checksums[row];
    done_[row] = 1;
  }
}

void run_sweep(const Sweep& sweep, const std::vector<SweepPoint>& points, SweepRows& rows,
               const SweepRunOptions& options) {
  const auto replicates = static_cast<std::size_t>(sweep.design.replicates);
  ThreadArena(options.threads).execute([&] {
    // Points in parallel, then replicates, then people inside the engine: the
    // arena balances the three levels, so a sweep of few large points and one of
    // many small ones both keep every core busy.
    parallel_loop(points.size(), [&](std::size_t p) {
      bool pending = false;
      for (std::size_t r = 0; r < replicates; ++r) pending = pending || !rows.done(p * replicates + r);
      if (!pending) return;
      if (options.cancel && options.cancel->load()) throw Cancelled();
      const PointScenarios scenarios = point_scenarios(sweep, points[p], p);
      parallel_loop(replicates, [&](std::size_t r) {
        const std::size_t row = p * replicates + r;
        if (rows.done(row)) return;
        rows.store(row, run_sweep_row(sweep, scenarios, p, static_cast<int>(r), nullptr, options.cancel));
        if (options.rows_done) ++*options.rows_done;
      });
    });
  });
}

std::uint64_t sweep_fingerprint(const Sweep& sweep, const std::vector<SweepPoint>& points) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  h = fnv1a(h, sweep.text);
  h = fnv1a(h, sweep.scenario_text);
  for (const std::string& t : sweep.option_texts) h = fnv1a(h, t);
  for (const std::string& o : sweep.set) h = fnv1a(h, o);
  for (const SweepPoint& p : points) h = fnv1a(h, p.values.data(), p.values.size() * sizeof(double));
  return h;
}

}  // namespace desist
