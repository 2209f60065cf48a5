#include "desist/sweep_results.hpp"

#include <nlohmann/json.hpp>

#include <map>

#include "desist/atomic_file.hpp"
#include "desist/uncertainty.hpp"
#include "desist/version.hpp"
#include "hdf5_file.hpp"

namespace desist {

namespace {

using hdf5::Handle;
using nlohmann::ordered_json;

const char* const design_names[] = {"grid", "latin_hypercube", "sobol", "monte_carlo"};

std::string describe_factor(const SweepFactor& f) {
  if (f.distribution) return describe(*f.distribution);
  if (!f.levels.empty()) return "values (" + std::to_string(f.levels.size()) + ")";
  return "draws from " + f.draws_file + " (" + std::to_string(f.draws.size()) + " rows)";
}

// The fingerprint a file must carry to be resumed: the inputs and the program.
std::uint64_t file_fingerprint(const Sweep& sweep, const std::vector<SweepPoint>& points) {
  std::uint64_t h = sweep_fingerprint(sweep, points);
  for (char c : program_version()) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

// "base.binary_rate" → group "base", dataset "binary_rate".
std::pair<std::string, std::string> split_column(const std::string& column) {
  const std::size_t dot = column.find('.');
  return {column.substr(0, dot), column.substr(dot + 1)};
}

// Groups named by the first part of each column, created once, in column order.
class ColumnGroups {
 public:
  ColumnGroups(const hdf5::Writer& w, hid_t parent) : w_(w), parent_(parent) {}
  hid_t operator()(const std::string& name) {
    auto it = groups_.find(name);
    if (it == groups_.end()) it = groups_.emplace(name, w_.group(parent_, name)).first;
    return it->second.get();
  }

 private:
  const hdf5::Writer& w_;
  hid_t parent_;
  std::map<std::string, Handle> groups_;
};

void write_index_table(const hdf5::Writer& w, hid_t parent, const std::string& name,
                       const std::vector<IndexEstimate>& indices) {
  std::vector<double> values;
  for (const IndexEstimate& i : indices) values.insert(values.end(), {i.value, i.ci_low, i.ci_high});
  w.dataset(parent, name, {static_cast<hsize_t>(indices.size()), 3}, values.data());
}

}  // namespace

std::vector<char> sweep_hdf5_image(const std::string& name, const Sweep& sweep, const std::vector<SweepPoint>& points,
                                   const SweepRows::Snapshot& rows, const SweepAnalysis& analysis) {
  hdf5::QuietErrors quiet;
  hdf5::Writer w(name);
  w.create("desist-sweep:" + name);
  const hid_t root = w.root();
  const std::size_t factors = sweep.factors.size();
  const std::size_t columns = analysis.columns.size();
  const std::size_t row_count = rows.done.size();
  const auto replicates = static_cast<std::size_t>(sweep.design.replicates);
  std::uint64_t done = 0;
  for (std::uint8_t d : rows.done) done += d;

  w.attribute(root, "format", std::string("desist sweep 1"));
  w.attribute(root, "program_version", std::string(program_version()));
  w.attribute(root, "name", sweep.name);
  w.attribute(root, "description", sweep.description);
  w.attribute(root, "design", std::string(design_names[static_cast<int>(sweep.design.kind)]));
  w.attribute(root, "seed", sweep.design.seed);
  w.attribute(root, "replicates", static_cast<std::int32_t>(sweep.design.replicates));
  w.attribute(root, "common_random_numbers", static_cast<std::uint8_t>(sweep.design.common_random_numbers));
  w.attribute(root, "fingerprint", file_fingerprint(sweep, points));
  w.attribute(root, "rows_done", done);
  w.attribute(root, "complete", static_cast<std::uint8_t>(done == row_count));
  {
    Handle inputs = w.group(root, "inputs");
    w.attribute(inputs.get(), "sweep_file", sweep.file);
    w.attribute(inputs.get(), "sweep", sweep.text);
    w.attribute(inputs.get(), "scenario_file", sweep.scenario_file);
    w.attribute(inputs.get(), "scenario", sweep.scenario_text);
    w.strings(inputs.get(), "set", sweep.set);
    w.strings(inputs.get(), "option_files", sweep.option_files);
    w.strings(inputs.get(), "options", sweep.option_texts);
  }
  {
    Handle g = w.group(root, "factors");
    std::vector<std::string> paths, distributions;
    std::vector<std::int32_t> dimension, from_scenario;
    for (const SweepFactor& f : sweep.factors) {
      paths.push_back(f.path);
      distributions.push_back(describe_factor(f));
      dimension.push_back(f.dimension);
      from_scenario.push_back(f.from_scenario);
    }
    w.strings(g.get(), "path", paths);
    w.strings(g.get(), "distribution", distributions);
    w.dataset(g.get(), "dimension", dimension);
    w.dataset(g.get(), "from_scenario", from_scenario);
    w.strings(g.get(), "dimension_names", sweep.dimension_names);
  }
  {
    Handle g = w.group(root, "points");
    std::vector<double> values;
    std::vector<std::string> roles;
    std::vector<std::int32_t> dimension;
    for (const SweepPoint& p : points) {
      values.insert(values.end(), p.values.begin(), p.values.end());
      roles.emplace_back(point_role_name(p.role));
      dimension.push_back(p.dimension);
    }
    w.dataset(g.get(), "values", {static_cast<hsize_t>(points.size()), static_cast<hsize_t>(factors)}, values.data());
    w.strings(g.get(), "role", roles);
    w.dataset(g.get(), "dimension", dimension);
  }
  {
    Handle g = w.group(root, "rows");
    std::vector<std::uint64_t> point(row_count), replicate(row_count);
    std::vector<double> parameters;
    parameters.reserve(row_count * factors);
    for (std::size_t row = 0; row < row_count; ++row) {
      point[row] = row / replicates;
      replicate[row] = row % replicates;
      const auto& v = points[row / replicates].values;
      parameters.insert(parameters.end(), v.begin(), v.end());
    }
    w.dataset(g.get(), "point", point, true);
    w.dataset(g.get(), "replicate", replicate, true);
    w.dataset(g.get(), "done", rows.done, true);
    w.dataset(g.get(), "checksum", rows.checksums, true);
    w.dataset(g.get(), "parameters", {static_cast<hsize_t>(row_count), static_cast<hsize_t>(factors)},
              parameters.data());
    ColumnGroups groups(w, g.get());
    for (std::size_t c = 0; c < columns; ++c) {
      std::vector<double> column(row_count);
      for (std::size_t row = 0; row < row_count; ++row) column[row] = rows.values[row * columns + c];
      const auto [scenario, measure] = split_column(analysis.columns[c]);
      w.dataset(groups(scenario), measure, column, true);
    }
  }
  {
    Handle g = w.group(root, "summary");
    w.attribute(g.get(), "columns", std::string("mean, ci_low, ci_high, sd over the point's replicates"));
    std::vector<std::int32_t> replicates_done;
    for (const auto& s : analysis.summary) replicates_done.push_back(s.empty() ? 0 : s.front().replicates);
    w.dataset(g.get(), "replicates", replicates_done);
    ColumnGroups groups(w, g.get());
    for (std::size_t c = 0; c < columns; ++c) {
      std::vector<double> table;
      for (const auto& s : analysis.summary) table.insert(table.end(), {s[c].mean, s[c].ci_low, s[c].ci_high, s[c].sd});
      const auto [scenario, measure] = split_column(analysis.columns[c]);
      // One replicate a point: no spread (a checkpoint's points not yet run stay NaN, as in /rows).
      static constexpr const char* estimate_columns[] = {"mean", "ci_low", "ci_high", "sd"};
      hdf5::write_columns(w, groups(scenario), measure, table, points.size(), estimate_columns, replicates < 2 ? 1 : 4,
                          true);
    }
  }
  {
    Handle g = w.group(root, "analysis");
    if (!analysis.sobol.empty()) {
      Handle sobol = w.group(g.get(), "sobol");
      w.attribute(sobol.get(), "columns", std::string("index, ci_low, ci_high (95% bootstrap) per dimension"));
      ColumnGroups groups(w, sobol.get());
      for (const SobolAnalysis& s : analysis.sobol) {
        const auto [scenario, measure] = split_column(s.output);
        Handle out = w.group(groups(scenario), measure);
        w.attribute(out.get(), "variance", s.indices.variance);
        write_index_table(w, out.get(), "first", s.indices.first);
        write_index_table(w, out.get(), "total", s.indices.total);
      }
    }
    if (!analysis.tornado.empty()) {
      Handle tornado = w.group(g.get(), "tornado");
      w.attribute(tornado.get(), "low_quantile", sweep.design.tornado_low);
      w.attribute(tornado.get(), "high_quantile", sweep.design.tornado_high);
      ColumnGroups groups(w, tornado.get());
      for (const TornadoTable& t : analysis.tornado) {
        const auto [scenario, measure] = split_column(t.output);
        Handle out = w.group(groups(scenario), measure);
        w.attribute(out.get(), "centre", t.centre);
        std::vector<std::string> names;
        std::vector<double> low, high;
        for (const TornadoBar& b : t.bars) {
          names.push_back(b.dimension);
          low.push_back(b.low_output);
          high.push_back(b.high_output);
        }
        w.strings(out.get(), "dimension", names);
        w.dataset(out.get(), "low", low);
        w.dataset(out.get(), "high", high);
      }
    }
    if (analysis.decision) {
      const DecisionAnalysis& d = *analysis.decision;
      Handle decision = w.group(g.get(), "decision");
      w.attribute(decision.get(), "net_benefit", sweep.net_benefit);
      w.attribute(decision.get(), "best", d.best);
      w.attribute(decision.get(), "evpi", d.evpi);
      w.strings(decision.get(), "choices", d.choices);
      w.dataset(decision.get(), "expected_net_benefit", d.expected_net_benefit);
      w.dataset(decision.get(), "probability_best", d.probability_best);
      w.dataset(decision.get(), "evppi", d.evppi);
    }
  }
  return w.image();
}

void write_sweep_hdf5(const std::string& path, const Sweep& sweep, const std::vector<SweepPoint>& points,
                      const SweepRows::Snapshot& rows, const SweepAnalysis& analysis) {
  const std::vector<char> bytes = sweep_hdf5_image(path, sweep, points, rows, analysis);
  write_file_atomically(path, std::string_view(bytes.data(), bytes.size()));
}

SweepRows::Snapshot read_sweep_rows(const std::string& path, const Sweep& sweep,
                                    const std::vector<SweepPoint>& points) {
  hdf5::Reader r(path);
  const SourceLocation at{path, 0, 0, ""};
  if (!r.exists("rows") || r.string_attribute("/", "format") != "desist sweep 1")
    throw InputError(at, "not a desist sweep file: cannot resume from it");
  if (r.attribute<std::uint64_t>("/", "fingerprint") != file_fingerprint(sweep, points))
    throw InputError(at, "this file was written for another sweep (or another version of this sweep, its scenario, "
                         "its options or of desist): resume needs the same inputs; write to a new file instead");
  const std::vector<std::string> columns = sweep_columns(sweep);
  SweepRows::Snapshot s;
  s.done = r.dataset<std::uint8_t>("rows/done");
  s.checksums = r.dataset<std::uint64_t>("rows/checksum");
  const std::size_t row_count = points.size() * static_cast<std::size_t>(sweep.design.replicates);
  if (s.done.size() != row_count || s.checksums.size() != row_count)
    throw InputError(at, "the rows in the file do not match the sweep's points and replicates");
  s.values.assign(row_count * columns.size(), 0.0);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const auto [scenario, measure] = split_column(columns[c]);
    const std::vector<double> column = r.dataset<double>("rows/" + scenario + "/" + measure);
    if (column.size() != row_count) throw InputError(at, "column '" + columns[c] + "' has the wrong length");
    for (std::size_t row = 0; row < row_count; ++row) s.values[row * columns.size() + c] = column[row];
  }
  return s;
}

std::string sweep_json(const Sweep& sweep, const std::vector<SweepPoint>& points, const SweepRows::Snapshot& rows,
                       const SweepAnalysis& analysis) {
  auto estimate_json = [](const Estimate& e) {
    return ordered_json{{"mean", e.mean}, {"ci_low", e.ci_low}, {"ci_high", e.ci_high}, {"sd", e.sd}};
  };
  auto index_json = [](const IndexEstimate& i) {
    return ordered_json{{"value", i.value}, {"ci_low", i.ci_low}, {"ci_high", i.ci_high}};
  };
  std::uint64_t done = 0;
  for (std::uint8_t d : rows.done) done += d;
  ordered_json j{{"program", "desist"},
                 {"version", std::string(program_version())},
                 {"sweep", sweep.name},
                 {"file", sweep.file},
                 {"design", design_names[static_cast<int>(sweep.design.kind)]},
                 {"seed", sweep.design.seed},
                 {"replicates", sweep.design.replicates},
                 {"rows", rows.done.size()},
                 {"rows_done", done},
                 {"complete", done == rows.done.size()}};
  ordered_json factors = ordered_json::array();
  for (const SweepFactor& f : sweep.factors)
    factors.push_back({{"path", f.path}, {"dimension", f.dimension}, {"distribution", describe_factor(f)},
                       {"from_scenario", f.from_scenario}});
  j["factors"] = factors;
  ordered_json list = ordered_json::array();
  for (std::size_t p = 0; p < points.size(); ++p) {
    ordered_json values, summary;
    for (std::size_t k = 0; k < sweep.factors.size(); ++k) values[sweep.factors[k].path] = points[p].values[k];
    for (std::size_t c = 0; c < analysis.columns.size(); ++c)
      summary[analysis.columns[c]] = estimate_json(analysis.summary[p][c]);
    ordered_json point{{"index", p}, {"role", point_role_name(points[p].role)}};
    if (points[p].dimension >= 0) point["dimension"] = sweep.dimension_names[static_cast<std::size_t>(points[p].dimension)];
    point["values"] = values;
    point["replicates"] = analysis.summary[p].empty() ? 0 : analysis.summary[p].front().replicates;
    point["summary"] = summary;
    list.push_back(point);
  }
  j["points"] = list;
  ordered_json a = ordered_json::object();
  if (!analysis.sobol.empty()) {
    ordered_json sobol = ordered_json::array();
    for (const SobolAnalysis& s : analysis.sobol) {
      ordered_json indices = ordered_json::array();
      for (std::size_t k = 0; k < sweep.dimension_names.size(); ++k)
        indices.push_back({{"dimension", sweep.dimension_names[k]},
                           {"first", index_json(s.indices.first[k])},
                           {"total", index_json(s.indices.total[k])}});
      sobol.push_back({{"output", s.output}, {"variance", s.indices.variance}, {"indices", indices}});
    }
    a["sobol"] = sobol;
  }
  if (!analysis.tornado.empty()) {
    ordered_json tornado = ordered_json::array();
    for (const TornadoTable& t : analysis.tornado) {
      ordered_json bars = ordered_json::array();
      for (const TornadoBar& b : t.bars)
        bars.push_back({{"dimension", b.dimension}, {"low", b.low_output}, {"high", b.high_output}, {"swing", b.swing()}});
      tornado.push_back({{"output", t.output}, {"centre", t.centre}, {"bars", bars}});
    }
    a["tornado"] = {{"low_quantile", sweep.design.tornado_low}, {"high_quantile", sweep.design.tornado_high},
                    {"tables", tornado}};
  }
  if (analysis.decision) {
    const DecisionAnalysis& d = *analysis.decision;
    ordered_json choices = ordered_json::array(), evppi = ordered_json::array();
    for (std::size_t k = 0; k < d.choices.size(); ++k)
      choices.push_back({{"choice", d.choices[k]},
                         {"expected_net_benefit", d.expected_net_benefit[k]},
                         {"probability_best", d.probability_best[k]}});
    for (std::size_t k = 0; k < d.evppi.size(); ++k)
      evppi.push_back({{"dimension", sweep.dimension_names[k]}, {"evppi", d.evppi[k]}});
    a["decision"] = {{"net_benefit", sweep.net_benefit}, {"best", d.best}, {"evpi", d.evpi},
                     {"choices", choices}, {"evppi", evppi}};
  }
  j["analysis"] = a;
  return j.dump(2) + "\n";
}

}  // namespace desist
