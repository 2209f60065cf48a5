#include "desist/calibration.hpp"

#include <Eigen/Cholesky>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>

#include "desist/cohort.hpp"
#include "desist/designs.hpp"
#include "desist/event_log.hpp"
#include "desist/measures.hpp"
#include "desist/yaml_reader.hpp"

namespace desist {

// ---- measures -------------------------------------------------------------------

const std::vector<std::string>& target_measure_names() {
  static const std::vector<std::string> names{"binary_rate",
                                              "reoffences_per_offender",
                                              "reoffences_per_reoffender",
                                              "conviction_events_per_offender",
                                              "custody_days_per_offender",
                                              "recalls_per_offender",
                                              "rate_at_day",
                                              "custody_population"};
  return names;
}

const std::string& to_string(TargetMeasure m) { return target_measure_names()[static_cast<std::size_t>(m)]; }

bool is_rate(TargetMeasure m) { return m == TargetMeasure::binary_rate || m == TargetMeasure::rate_at_day; }

std::string CalibrationParameter::label() const {
  if (keys.size() <= 1) return keys.empty() ? std::string() : keys.front();
  return keys.front() + " (+ " + std::to_string(keys.size() - 1) + " tied)";
}

// ---- the targets file --------------------------------------------------------------

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// The location an error at this node would carry.
SourceLocation location_of(const YamlNode& n) { return n.error("").where(); }

bool whole_cohort_only(TargetMeasure m) {
  return m == TargetMeasure::rate_at_day || m == TargetMeasure::custody_population;
}

CalibrationTarget read_target(const YamlNode& t) {
  t.expect_keys({"name", "measure", "group", "day", "month", "observed", "se", "weight", "source"});
  CalibrationTarget target;
  target.where = location_of(t);
  const YamlNode measure = t.required("measure");
  const std::string m = measure.choice(target_measure_names());
  target.measure = static_cast<TargetMeasure>(
      std::find(target_measure_names().begin(), target_measure_names().end(), m) - target_measure_names().begin());

  if (auto g = t.optional("group")) {
    if (whole_cohort_only(target.measure))
      throw g->error(m + " is computed for the whole cohort only: remove 'group'");
    g->expect_keys({"dimension", "category", "categories"});
    target.dimension = g->required("dimension").choice(breakdown_dimensions());
    const bool one = g->has("category"), several = g->has("categories");
    if (one == several) throw g->error("give either 'category' (one) or 'categories' (a list, pooled)");
    if (one) {
      const YamlNode c = g->required("category");
      target.categories.push_back(c.text());
      target.category_where.push_back(location_of(c));
    } else {
      const YamlNode list = g->required("categories");
      for (const YamlNode& c : list.items()) {
        const std::string name = c.text();
        if (std::find(target.categories.begin(), target.categories.end(), name) != target.categories.end())
          throw c.error("category '" + name + "' is listed twice");
        target.categories.push_back(name);
        target.category_where.push_back(location_of(c));
      }
      if (target.categories.empty()) throw list.error("at least one category is needed");
    }
  }

  if (auto d = t.optional("day")) {
    if (target.measure != TargetMeasure::rate_at_day) throw d->error("'day' belongs to rate_at_day targets only");
    target.day = static_cast<int>(d->integer(0, 36525));
    target.day_where = location_of(*d);
  } else if (target.measure == TargetMeasure::rate_at_day) {
    throw t.error("a rate_at_day target needs 'day' (the day of follow-up, e.g. 365)");
  }
  if (auto mo = t.optional("month")) {
    if (target.measure != TargetMeasure::custody_population)
      throw mo->error("'month' belongs to custody_population targets only");
    target.month = static_cast<int>(mo->integer(1, 1'000'000));
    target.month_where = location_of(*mo);
  }

  const YamlNode observed = t.required("observed");
  if (is_rate(target.measure)) {
    const double x = observed.number();
    if (x > 1.0 && x <= 100.0)
      throw observed.error("a rate is a proportion between 0 and 1: write " + format_value(x / 100.0, 6) + ", not " +
                           observed.text());
    target.observed = observed.number(Range::probability());
  } else {
    target.observed = observed.number(Range::non_negative());
  }

  const bool has_se = t.has("se"), has_weight = t.has("weight");
  if (has_se && has_weight) throw t.required("weight").error("give 'se' or 'weight', not both");
  if (has_se) {
    target.se = t.required("se").number(Range::positive());
  } else if (has_weight) {
    target.se = 1.0 / std::sqrt(t.required("weight").number(Range::positive()));
  } else {
    throw t.error("missing 'se' (the observed value's standard error, or a stated tolerance) or 'weight'");
  }

  target.source = t.required("source").text();
  if (target.source.empty()) throw t.required("source").error("say where the observed value comes from");

  if (auto name = t.optional("name")) {
    target.label = name->text();
  } else {
    target.label = m;
    if (!target.dimension.empty()) {
      target.label += " [" + target.dimension + ": ";
      for (std::size_t i = 0; i < target.categories.size(); ++i)
        target.label += (i ? " + " : "") + target.categories[i];
      target.label += "]";
    }
    if (target.measure == TargetMeasure::rate_at_day) target.label += " (day " + std::to_string(target.day) + ")";
    if (target.measure == TargetMeasure::custody_population)
      target.label += target.month > 0 ? " (month " + std::to_string(target.month) + ")" : " (mean over months)";
  }
  return target;
}

CalibrationParameter read_parameter(const YamlNode& n) {
  n.expect_keys({"key", "keys", "lower", "upper", "log"});
  CalibrationParameter p;
  p.where = location_of(n);
  const bool one = n.has("key"), several = n.has("keys");
  if (one == several)
    throw n.error("give either 'key' (a scenario key path, as --set takes) or 'keys' (a list of paths tied to one value)");
  auto check_path = [](const YamlNode& k) {
    const std::string path = k.text();
    if (path.empty() || path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos ||
        path.find('=') != std::string::npos)
      throw k.error("'" + path + "' is not a key path (write it as --set takes it, e.g. offending.frailty_variance)");
    return path;
  };
  if (one) {
    p.keys.push_back(check_path(n.required("key")));
  } else {
    const YamlNode list = n.required("keys");
    for (const YamlNode& k : list.items()) {
      const std::string path = check_path(k);
      if (std::find(p.keys.begin(), p.keys.end(), path) != p.keys.end()) throw k.error("'" + path + "' is listed twice");
      p.keys.push_back(path);
    }
    if (p.keys.empty()) throw list.error("at least one key is needed");
  }
  const YamlNode lower = n.required("lower"), upper = n.required("upper");
  p.lower = lower.number();
  p.upper = upper.number();
  if (!(p.upper > p.lower)) throw upper.error("'upper' must be above 'lower' (" + lower.text() + ")");
  p.log_scale = n.boolean_or("log", false);
  if (p.log_scale && !(p.lower > 0.0)) throw lower.error("a parameter searched on the log scale needs lower > 0");
  return p;
}

}  // namespace

CalibrationTargets parse_calibration_targets(const std::string& text, const std::string& name) {
  YAML::Node probe;
  try {
    probe = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError({name, e.mark.line + 1, e.mark.column + 1, ""}, "malformed YAML: " + e.msg);
  }
  if (!probe.IsMap())
    throw InputError({name, 1, 1, ""}, "a targets file must be a YAML map with the keys 'targets' and 'parameters'");
  auto doc = std::make_shared<YamlDocument>(YamlDocument::load_string(text, name));
  const YamlNode root(doc, doc->root, "");
  root.expect_keys({"targets", "parameters"});
  CalibrationTargets out;
  out.file = name;
  const YamlNode targets = root.required("targets");
  for (const YamlNode& t : targets.items()) out.targets.push_back(read_target(t));
  if (out.targets.empty()) throw targets.error("at least one target is needed");
  const YamlNode parameters = root.required("parameters");
  for (const YamlNode& p : parameters.items()) {
    CalibrationParameter parameter = read_parameter(p);
    for (const auto& key : parameter.keys)
      for (const auto& earlier : out.parameters)
        if (std::find(earlier.keys.begin(), earlier.keys.end(), key) != earlier.keys.end())
          throw p.error("'" + key + "' is already a free parameter");
    out.parameters.push_back(std::move(parameter));
  }
  if (out.parameters.empty()) throw parameters.error("at least one free parameter is needed");
  return out;
}

CalibrationTargets load_calibration_targets(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0, ""}, "cannot open the targets file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_calibration_targets(buffer.str(), path);
}

// ---- simulated values ----------------------------------------------------------------

void check_targets(const CalibrationTargets& targets, const Parameters& p) {
  // The categories of every dimension, as the measures name them.
  const ReplicateMeasures empty = measure(p, Cohort{}, EventLog{}, false);
  const double month_days = empty.monthly.month_days;
  const auto months = static_cast<int>(std::ceil((p.cohort.index_period_days + p.horizon_days) / month_days));
  for (const CalibrationTarget& t : targets.targets) {
    if (!t.dimension.empty()) {
      const auto& dims = breakdown_dimensions();
      const std::size_t d = static_cast<std::size_t>(std::find(dims.begin(), dims.end(), t.dimension) - dims.begin());
      const std::vector<std::string>& names = empty.breakdowns.at(d).categories;
      for (std::size_t i = 0; i < t.categories.size(); ++i)
        if (std::find(names.begin(), names.end(), t.categories[i]) == names.end())
          throw InputError(t.category_where[i], "the scenario has no " + t.dimension + " category '" + t.categories[i] +
                                                    "'; " + suggestion(t.categories[i], names));
    }
    if (t.measure == TargetMeasure::rate_at_day && t.day > p.measures.followup_days)
      throw InputError(t.day_where, "day " + std::to_string(t.day) + " is past the follow-up (" +
                                        format_value(p.measures.followup_days, 6) + " days)");
    if (t.measure == TargetMeasure::custody_population && t.month > months)
      throw InputError(t.month_where, "month " + std::to_string(t.month) + " is past the last month simulated (" +
                                          std::to_string(months) + ")");
  }
}

namespace {

double value_of(const CalibrationTarget& t, const ReplicateMeasures& rep, double scale) {
  switch (t.measure) {
    case TargetMeasure::rate_at_day: {
      const auto& curve = rep.survival.reoffended;
      if (curve.empty()) return 0.0;
      return curve[std::min(static_cast<std::size_t>(t.day), curve.size() - 1)];
    }
    case TargetMeasure::custody_population: {
      const auto& series = rep.monthly.custody_population;
      if (series.empty()) return 0.0;
      if (t.month > 0) return scale * series[std::min(static_cast<std::size_t>(t.month - 1), series.size() - 1)];
      return scale * std::accumulate(series.begin(), series.end(), 0.0) / static_cast<double>(series.size());
    }
    default: break;
  }
  OutcomeTotals totals;
  if (t.dimension.empty()) {
    totals = rep.overall;
  } else {
    const auto& dims = breakdown_dimensions();
    const auto d = static_cast<std::size_t>(std::find(dims.begin(), dims.end(), t.dimension) - dims.begin());
    const Breakdown& b = rep.breakdowns.at(d);
    for (std::size_t i = 0; i < t.categories.size(); ++i) {
      const auto c = std::find(b.categories.begin(), b.categories.end(), t.categories[i]);
      if (c == b.categories.end())
        throw InputError(t.category_where.at(i), "the scenario has no " + t.dimension + " category '" +
                                                     t.categories[i] + "'; " + suggestion(t.categories[i], b.categories));
      totals.add(b.totals[static_cast<std::size_t>(c - b.categories.begin())]);
    }
  }
  switch (t.measure) {
    case TargetMeasure::binary_rate: return totals.binary_rate();
    case TargetMeasure::reoffences_per_offender: return totals.reoffences_per_offender();
    case TargetMeasure::reoffences_per_reoffender: return totals.reoffences_per_reoffender();
    case TargetMeasure::conviction_events_per_offender: return totals.conviction_events_per_offender();
    case TargetMeasure::custody_days_per_offender: return totals.custody_days_per_offender();
    case TargetMeasure::recalls_per_offender: return totals.recalls_per_offender();
    default: return nan;
  }
}

}  // namespace

std::vector<TargetFit> fit_targets(const CalibrationTargets& targets, const RunResult& run, double scale) {
  std::vector<TargetFit> out;
  for (const CalibrationTarget& t : targets.targets) {
    std::vector<double> values;
    for (const ReplicateMeasures& rep : run.replicates) values.push_back(value_of(t, rep, scale));
    TargetFit f;
    f.target = &t;
    f.simulated = estimate(values);
    f.residual = (f.simulated.mean - t.observed) / t.se;
    out.push_back(f);
  }
  return out;
}

double objective(const std::vector<TargetFit>& fit) {
  double sum = 0.0;
  for (const TargetFit& f : fit) sum += f.residual * f.residual;
  return std::isfinite(sum) ? sum : std::numeric_limits<double>::max();
}

std::vector<TargetFit> evaluate_targets(const CalibrationTargets& targets, const Scenario& scenario,
                                        const RunOptions& options) {
  check_targets(targets, scenario.parameters);
  RunOptions o = options;
  o.keep_people = false;
  return fit_targets(targets, run_scenario(scenario, o), 1.0);
}

// ---- the optimiser ----------------------------------------------------------------------

SearchResult minimise_simplex(const std::function<double(const Eigen::VectorXd&)>& f, const Eigen::VectorXd& start,
                               double step, int max_evaluations, double f_tolerance, double x_tolerance) {
  const auto n = start.size();
  const double dim = static_cast<double>(std::max<Eigen::Index>(n, 1));
  // Adaptive coefficients (Gao and Han 2012); the standard 1, 2, ½, ½ when n = 2.
  const double reflect = 1.0, expand = 1.0 + 2.0 / dim, contract = 0.75 - 1.0 / (2.0 * dim),
               shrink = 1.0 - 1.0 / dim;
  SearchResult r;
  auto eval = [&](const Eigen::VectorXd& x) {
    ++r.evaluations;
    return f(x);
  };
  std::vector<Eigen::VectorXd> x(static_cast<std::size_t>(n) + 1, start);
  std::vector<double> fx(x.size());
  fx[0] = eval(x[0]);
  for (Eigen::Index i = 0; i < n; ++i) {
    x[static_cast<std::size_t>(i) + 1][i] += step;
    fx[static_cast<std::size_t>(i) + 1] = eval(x[static_cast<std::size_t>(i) + 1]);
  }
  std::vector<std::size_t> order(x.size());
  while (true) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return fx[a] < fx[b]; });
    const std::size_t best = order.front(), worst = order.back();
    const std::size_t second = order.size() >= 2 ? order[order.size() - 2] : best;
    double spread_x = 0.0;
    for (const auto& v : x) spread_x = std::max(spread_x, (v - x[best]).cwiseAbs().maxCoeff());
    if (fx[worst] - fx[best] <= f_tolerance * (1.0 + std::abs(fx[best])) && spread_x <= x_tolerance) {
      r.converged = true;
      break;
    }
    if (r.evaluations >= max_evaluations || n == 0) break;
    Eigen::VectorXd centroid = Eigen::VectorXd::Zero(n);
    for (std::size_t i = 0; i < x.size(); ++i)
      if (i != worst) centroid += x[i];
    centroid /= dim;
    const Eigen::VectorXd xr = centroid + reflect * (centroid - x[worst]);
    const double fr = eval(xr);
    bool shrink_now = false;
    if (fr < fx[best]) {
      const Eigen::VectorXd xe = centroid + expand * (xr - centroid);
      const double fe = eval(xe);
      if (fe < fr) {
        x[worst] = xe;
        fx[worst] = fe;
      } else {
        x[worst] = xr;
        fx[worst] = fr;
      }
    } else if (fr < fx[second]) {
      x[worst] = xr;
      fx[worst] = fr;
    } else if (fr < fx[worst]) {
      const Eigen::VectorXd xc = centroid + contract * (xr - centroid);  // outside contraction
      const double fc = eval(xc);
      if (fc <= fr) {
        x[worst] = xc;
        fx[worst] = fc;
      } else {
        shrink_now = true;
      }
    } else {
      const Eigen::VectorXd xc = centroid + contract * (x[worst] - centroid);  // inside contraction
      const double fc = eval(xc);
      if (fc < fx[worst]) {
        x[worst] = xc;
        fx[worst] = fc;
      } else {
        shrink_now = true;
      }
    }
    if (shrink_now) {
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (i == best) continue;
        x[i] = x[best] + shrink * (x[i] - x[best]);
        fx[i] = eval(x[i]);
      }
    }
  }
  const auto best = static_cast<std::size_t>(std::min_element(fx.begin(), fx.end()) - fx.begin());
  r.x = x[best];
  r.value = fx[best];
  return r;
}

SearchResult minimise_least_squares(const std::function<Eigen::VectorXd(const Eigen::VectorXd&)>& residuals,
                                    const Eigen::VectorXd& start, double step, int max_evaluations,
                                    double f_tolerance, double max_move) {
  const Eigen::Index n = start.size();
  SearchResult r;
  auto eval = [&](const Eigen::VectorXd& x) {
    ++r.evaluations;
    return residuals(x);
  };
  Eigen::VectorXd x = start;
  Eigen::VectorXd res = eval(x);
  double f = res.squaredNorm();
  double lambda = 1e-3;
  while (r.evaluations + n + 1 <= max_evaluations) {
    // Forward differences along each axis.
    Eigen::MatrixXd jacobian(res.size(), n);
    for (Eigen::Index j = 0; j < n; ++j) {
      Eigen::VectorXd xj = x;
      xj[j] += step;
      jacobian.col(j) = (eval(xj) - res) / step;
    }
    const Eigen::MatrixXd a = jacobian.transpose() * jacobian;
    const Eigen::VectorXd g = jacobian.transpose() * res;
    bool accepted = false;
    double decrease = 0.0;
    while (!accepted && r.evaluations < max_evaluations && lambda <= 1e8) {
      // Marquardt's scaling: damp each direction by its own curvature.
      Eigen::MatrixXd damped = a;
      for (Eigen::Index j = 0; j < n; ++j) damped(j, j) += lambda * std::max(a(j, j), 1e-12);
      Eigen::VectorXd delta = damped.ldlt().solve(-g);
      if (!delta.allFinite()) {
        lambda *= 4.0;
        continue;
      }
      // A trust region: no coordinate moves more than max_move at once, so a
      // long Gauss-Newton step cannot throw a box-transformed parameter deep
      // into its bound, where the objective no longer depends on it.
      const double longest = delta.cwiseAbs().maxCoeff();
      if (longest > max_move) delta *= max_move / longest;
      const Eigen::VectorXd trial = x + delta;
      const Eigen::VectorXd trial_res = eval(trial);
      const double trial_f = trial_res.squaredNorm();
      if (trial_f < f) {
        decrease = f - trial_f;
        x = trial;
        res = trial_res;
        f = trial_f;
        lambda = std::max(lambda / 3.0, 1e-9);
        accepted = true;
      } else {
        lambda *= 4.0;
      }
    }
    if (!accepted) {
      r.converged = lambda > 1e8;  // no step lowers the objective: a minimum at this resolution
      break;
    }
    if (decrease <= f_tolerance) {
      r.converged = true;
      break;
    }
  }
  r.x = x;
  r.value = f;
  return r;
}

namespace {
double logistic(double u) { return 1.0 / (1.0 + std::exp(-u)); }
}  // namespace

double from_search_scale(const CalibrationParameter& p, double u) {
  const double s = logistic(u);
  if (p.log_scale) {
    const double a = std::log(p.lower), b = std::log(p.upper);
    return std::clamp(std::exp(a + (b - a) * s), p.lower, p.upper);
  }
  return std::clamp(p.lower + (p.upper - p.lower) * s, p.lower, p.upper);
}

double to_search_scale(const CalibrationParameter& p, double x) {
  double s = p.log_scale ? (std::log(x) - std::log(p.lower)) / (std::log(p.upper) - std::log(p.lower))
                         : (x - p.lower) / (p.upper - p.lower);
  s = std::clamp(s, 1e-9, 1.0 - 1e-9);
  return std::log(s / (1.0 - s));
}

// ---- rewriting a scenario in place -------------------------------------------------------

std::string format_value(double x, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", std::clamp(digits, 1, 17), x);
  return buffer;
}

namespace {

std::vector<std::string> split_key(const std::string& path) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(path);
  while (std::getline(in, part, '.')) parts.push_back(part);
  return parts;
}

// The node at a key path of the document, or an undefined node.
YAML::Node find_node(const YAML::Node& node, const std::vector<std::string>& parts, std::size_t i) {
  if (i == parts.size()) return node;
  if (node.IsMap()) {
    for (const auto& kv : node)
      if (kv.first.IsScalar() && kv.first.Scalar() == parts[i]) return find_node(kv.second, parts, i + 1);
    return YAML::Node(YAML::NodeType::Undefined);
  }
  if (node.IsSequence()) {
    const std::string& s = parts[i];
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return YAML::Node(YAML::NodeType::Undefined);
    const std::size_t k = std::stoul(s);
    if (k >= node.size()) return YAML::Node(YAML::NodeType::Undefined);
    return find_node(node[k], parts, i + 1);
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

YAML::Node scalar_at(const YamlDocument& doc, const std::string& key, const SourceLocation& where) {
  const YAML::Node node = find_node(doc.root, split_key(key), 0);
  if (!node.IsDefined() || node.IsNull())
    throw InputError(where, "the scenario " + doc.file + " does not set '" + key +
                                "': write its value in the scenario to calibrate it");
  if (!node.IsScalar()) throw InputError(where, "'" + key + "' in " + doc.file + " is not a single value");
  return node;
}

// One replacement on a line: [column, column + length) becomes `replacement`.
struct Edit {
  std::size_t column;
  std::size_t length;
  std::string replacement;
};

// Where the comment of a line starts at or after `from` (a '#' after a space,
// outside quotes), or npos.
std::size_t comment_start(const std::string& line, std::size_t from) {
  char quote = 0;
  for (std::size_t i = from; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') quote = c;
    if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return i;
  }
  return std::string::npos;
}

}  // namespace

double scenario_value(const std::string& text, const std::string& name, const std::string& key,
                      const SourceLocation& where) {
  const YamlDocument doc = YamlDocument::load_string(text, name);
  const YAML::Node node = scalar_at(doc, key, where);
  const std::string s = node.Scalar();
  std::size_t used = 0;
  double x = nan;
  try {
    x = std::stod(s, &used);
  } catch (...) {
    used = 0;
  }
  if (used != s.size() || s.empty() || !std::isfinite(x))
    throw InputError(where, "'" + key + "' in " + name + " is '" + s + "', not a number");
  return x;
}

std::string rewrite_scenario_values(const std::string& text, const std::string& name,
                                    const std::vector<CalibrationParameter>& parameters,
                                    const std::vector<double>& values, int digits, const std::string& note) {
  const YamlDocument doc = YamlDocument::load_string(text, name);
  // The text as lines, each keeping its line ending.
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t nl = text.find('\n', start);
    const std::size_t end = nl == std::string::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  std::map<std::size_t, std::vector<Edit>> edits;  // by line
  for (std::size_t k = 0; k < parameters.size(); ++k) {
    const std::string value = format_value(values.at(k), digits);
    for (const std::string& key : parameters[k].keys) {
      const YAML::Node node = scalar_at(doc, key, parameters[k].where);
      const YAML::Mark m = node.Mark();
      const SourceLocation at{name, m.line + 1, m.column + 1, key};
      if (m.is_null() || m.line < 0 || static_cast<std::size_t>(m.line) >= lines.size())
        throw InputError(at, "cannot locate the value to rewrite it in place");
      const std::string& line = lines[static_cast<std::size_t>(m.line)];
      const auto byte = static_cast<std::size_t>(m.column);  // yaml-cpp counts columns in bytes
      std::size_t length = 0;
      const std::string scalar = node.Scalar();
      if (byte < line.size() && (line[byte] == '"' || line[byte] == '\'')) {
        const char q = line[byte];
        std::size_t i = byte + 1;
        for (; i < line.size(); ++i) {
          if (q == '"' && line[i] == '\\') {
            ++i;
            continue;
          }
          if (line[i] == q) {
            if (q == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
              ++i;
              continue;
            }
            break;
          }
        }
        if (i >= line.size()) throw InputError(at, "cannot rewrite a quoted value that spans lines");
        length = i + 1 - byte;
      } else if (line.compare(byte, scalar.size(), scalar) == 0) {
        length = scalar.size();
      } else {
        throw InputError(at, "cannot find the value '" + scalar + "' of '" + key + "' on its line to rewrite it");
      }
      edits[static_cast<std::size_t>(m.line)].push_back(Edit{byte, length, value});
    }
  }
  for (auto& [index, line_edits] : edits) {
    std::string& line = lines[index];
    std::string ending;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
      ending.insert(ending.begin(), line.back());
      line.pop_back();
    }
    std::sort(line_edits.begin(), line_edits.end(), [](const Edit& a, const Edit& b) { return a.column < b.column; });
    std::string shown;
    for (std::size_t i = 0; i < line_edits.size(); ++i) shown += (i ? ", " : "") + line_edits[i].replacement;
    std::size_t after = 0;
    for (auto e = line_edits.rbegin(); e != line_edits.rend(); ++e) {
      const std::size_t end = e->column + e->length;
      // Keep what follows in its column (aligned comments), leaving at least one space.
      std::size_t spaces = 0;
      while (end + spaces < line.size() && line[end + spaces] == ' ') ++spaces;
      line.replace(e->column, e->length, e->replacement);
      const std::size_t end_now = e->column + e->replacement.size();
      if (spaces > 0 && end + spaces < line.size()) {
        if (e->replacement.size() < e->length)
          line.insert(end_now, e->length - e->replacement.size(), ' ');
        else
          line.erase(end_now, std::min(e->replacement.size() - e->length, spaces - 1));
      }
      after = std::max(after, end_now);
    }
    after = std::min(after, line.size());
    // Drop an earlier calibration note (and the spaces before it); keep any other comment.
    const std::size_t comment = comment_start(line, after);
    if (comment != std::string::npos) {
      const std::size_t old = line.find("# calibrated:", comment);
      if (old != std::string::npos) {
        std::size_t cut = old;
        while (cut > after && (line[cut - 1] == ' ' || line[cut - 1] == '\t')) --cut;
        line.erase(cut);
      }
    }
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
    std::string text_note = note;
    for (std::size_t p = text_note.find("{value}"); p != std::string::npos; p = text_note.find("{value}", p + shown.size())) {
      text_note.replace(p, 7, shown);
    }
    line += (comment_start(line, after) == std::string::npos ? "   # " : "  # ") + text_note + ending;
  }
  std::string out;
  for (const auto& l : lines) out += l;
  return out;
}

// ---- calibration ----------------------------------------------------------------------------

CalibrationResult calibrate(const std::string& scenario_text, const std::string& scenario_file,
                            const CalibrationTargets& targets, const CalibrationOptions& options) {
  using clock = std::chrono::steady_clock;
  const auto started = clock::now();
  const Scenario base = parse_scenario(scenario_text, scenario_file);
  check_targets(targets, base.parameters);
  const std::size_t n = targets.parameters.size();

  CalibrationResult result;
  result.seed = options.seed.value_or(base.seed);
  result.scenario_size = base.parameters.cohort.size;
  result.size = options.size.value_or(result.scenario_size);
  result.replicates = std::max(1, options.replicates);
  for (const CalibrationParameter& p : targets.parameters) {
    double sum = 0.0;
    for (const std::string& key : p.keys) sum += scenario_value(scenario_text, scenario_file, key, p.where);
    const double x = sum / static_cast<double>(p.keys.size());  // tied keys start at their mean
    if (x < p.lower || x > p.upper)
      throw InputError(p.where, "the scenario's value of '" + p.label() + "' (" + format_value(x, 6) +
                                    ") is outside the bounds [" + format_value(p.lower, 6) + ", " +
                                    format_value(p.upper, 6) + "]");
    result.initial.push_back(x);
  }

  RunOptions run;
  run.seed = result.seed;
  run.replicates = result.replicates;
  run.threads = options.threads;
  run.keep_people = false;
  run.cancel = options.cancel;
  const bool resized = result.size != result.scenario_size;
  const double scale = static_cast<double>(result.scenario_size) / static_cast<double>(std::max<std::size_t>(result.size, 1));
  auto overrides_for = [&](const std::vector<double>* x) {
    std::vector<std::string> o;
    if (resized) o.push_back("cohort.size=" + std::to_string(result.size));
    if (x)
      for (std::size_t k = 0; k < n; ++k)
        for (const std::string& key : targets.parameters[k].keys) o.push_back(key + "=" + exact_number((*x)[k]));
    return o;
  };
  auto fit_at = [&](const std::vector<double>* x) {
    Scenario s;
    try {
      s = parse_scenario(scenario_text, scenario_file, overrides_for(x));
    } catch (const InputError& e) {
      // A value inside the bounds that the scenario rejects: the bounds are wrong.
      for (std::size_t k = 0; x && k < n; ++k)
        for (const std::string& key : targets.parameters[k].keys)
          if (e.where().key_path == key || e.where().file.find("--set " + key + "=") == 0)
            throw InputError(targets.parameters[k].where, "the scenario rejects " + key + " = " +
                                                              format_value((*x)[k], 6) + " (" + e.message() +
                                                              "): narrow the bounds");
      throw;
    }
    return fit_targets(targets, run_scenario(s, run), scale);
  };

  result.initial_fit = fit_at(nullptr);
  result.initial_objective = objective(result.initial_fit);

  // The residuals on the search scale, remembered by point.
  std::map<std::vector<double>, Eigen::VectorXd> seen;
  double best = std::numeric_limits<double>::infinity(), start_best = best;
  std::vector<double> best_x = result.initial;
  int start_index = 0;
  auto to_x = [&](const Eigen::VectorXd& u) {
    std::vector<double> x(n);
    for (std::size_t k = 0; k < n; ++k) x[k] = from_search_scale(targets.parameters[k], u[static_cast<Eigen::Index>(k)]);
    return x;
  };
  auto residuals = [&](const Eigen::VectorXd& u) {
    const std::vector<double> x = to_x(u);
    auto it = seen.find(x);
    if (it == seen.end()) {
      const std::vector<TargetFit> fit = fit_at(&x);
      Eigen::VectorXd r(static_cast<Eigen::Index>(fit.size()));
      for (std::size_t i = 0; i < fit.size(); ++i)
        r[static_cast<Eigen::Index>(i)] = std::isfinite(fit[i].residual) ? fit[i].residual : 1e6;
      it = seen.emplace(x, r).first;
      ++result.evaluations;
    }
    const double value = it->second.squaredNorm();
    start_best = std::min(start_best, value);
    if (value < best) {
      best = value;
      best_x = x;
    }
    if (options.progress)
      options.progress(
          CalibrationProgress{start_index + 1, std::max(1, options.starts), result.evaluations, value, best, start_best});
    return it->second;
  };
  auto f = [&](const Eigen::VectorXd& u) { return residuals(u).squaredNorm(); };

  const int starts = std::max(1, options.starts);
  // Starts after the first spread over the box by a Latin hypercube.
  const UnitDesign lhs =
      starts > 1 ? latin_hypercube(static_cast<std::size_t>(starts - 1), n, result.seed) : UnitDesign{};
  constexpr double step = 0.3;  // initial simplex, on the search scale
  for (start_index = 0; start_index < starts; ++start_index) {
    Eigen::VectorXd u0(static_cast<Eigen::Index>(n));
    CalibrationStart s;
    start_best = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < n; ++k) {
      const CalibrationParameter& p = targets.parameters[k];
      double x;
      if (start_index == 0) {
        x = result.initial[k];
      } else {
        const double fraction = std::clamp(lhs.at(static_cast<std::size_t>(start_index - 1), k), 0.02, 0.98);
        x = p.log_scale ? std::exp(std::log(p.lower) + fraction * (std::log(p.upper) - std::log(p.lower)))
                        : p.lower + fraction * (p.upper - p.lower);
      }
      s.initial.push_back(x);
      u0[static_cast<Eigen::Index>(k)] = to_search_scale(p, x);
    }
    SearchResult r;
    if (options.method == CalibrationMethod::levenberg_marquardt)
      r = minimise_least_squares(residuals, u0, options.step, options.max_evaluations, options.tolerance);
    else
      r = minimise_simplex(f, u0, step, options.max_evaluations, options.tolerance, options.tolerance);
    s.evaluations = r.evaluations;
    // Nelder–Mead: one restart from where it stopped (it can stall on a degenerate simplex).
    if (options.method == CalibrationMethod::nelder_mead && r.converged && r.evaluations < options.max_evaluations) {
      const SearchResult again =
          minimise_simplex(f, r.x, step / 3.0, options.max_evaluations - r.evaluations, options.tolerance,
                           options.tolerance);
      s.evaluations += again.evaluations;
      if (again.value <= r.value) r = SearchResult{again.x, again.value, s.evaluations, again.converged};
    }
    s.values = to_x(r.x);
    s.objective = r.value;
    s.converged = r.converged;
    result.starts.push_back(s);
  }

  // The values as written, and the fit they give.
  result.values.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const CalibrationParameter& p = targets.parameters[k];
    result.values[k] = std::clamp(std::stod(format_value(best_x[k], options.digits)), p.lower, p.upper);
  }
  result.fit = fit_at(&result.values);
  result.objective = objective(result.fit);

  char objective_text[64];
  std::snprintf(objective_text, sizeof objective_text, "%.4g", result.objective);
  const std::string note = "calibrated: {value} by desist calibrate --targets " + targets.file + " (seed " +
                           std::to_string(result.seed) + ", size " + std::to_string(result.size) + ", objective " +
                           objective_text + ")";
  result.text = rewrite_scenario_values(scenario_text, scenario_file, targets.parameters, result.values,
                                        options.digits, note);

  if (options.check_replicates > 0) {
    const Scenario calibrated = parse_scenario(result.text, scenario_file);
    RunOptions check = run;
    check.replicates = options.check_replicates;
    result.check_replicates = options.check_replicates;
    result.check = fit_targets(targets, run_scenario(calibrated, check), 1.0);
  }
  result.seconds = std::chrono::duration<double>(clock::now() - started).count();
  return result;
}

CalibrationResult calibrate_file(const std::string& scenario_file, const CalibrationTargets& targets,
                                 const CalibrationOptions& options) {
  const YamlDocument doc = YamlDocument::load_file(scenario_file);
  return calibrate(doc.text, scenario_file, targets, options);
}

// ---- tables and JSON --------------------------------------------------------------------------

namespace {

std::string shown(double x, TargetMeasure m) {
  if (!std::isfinite(x)) return "-";
  char buffer[64];
  if (is_rate(m))
    std::snprintf(buffer, sizeof buffer, "%.2f%%", 100.0 * x);
  else if (std::abs(x) < 10.0)
    std::snprintf(buffer, sizeof buffer, "%.3f", x);
  else if (std::abs(x) < 1000.0)
    std::snprintf(buffer, sizeof buffer, "%.1f", x);
  else
    std::snprintf(buffer, sizeof buffer, "%.0f", x);
  return buffer;
}

std::string interval(double lo, double hi, TargetMeasure m) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return "-";
  return shown(lo, m) + " to " + shown(hi, m);
}

std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      // Display width: count UTF-8 characters.
      std::size_t chars = 0;
      for (unsigned char ch : row[c]) chars += (ch & 0xC0) != 0x80;
      width[c] = std::max(width[c], chars);
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line = "  ";
    for (std::size_t c = 0; c < row.size(); ++c) {
      std::size_t chars = 0;
      for (unsigned char ch : row[c]) chars += (ch & 0xC0) != 0x80;
      const std::string pad(width[c] - chars, ' ');
      line += c == 0 ? row[c] + pad : pad + row[c];
      if (c + 1 < row.size()) line += "  ";
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string target_fit_table(const std::vector<TargetFit>& fit, const std::string& title) {
  std::vector<std::vector<std::string>> rows{
      {"target", "observed", "observed ± 1.96 se", "simulated", "95% interval (replicates)", "residual"}};
  double total = 0.0;
  for (const TargetFit& f : fit) {
    const CalibrationTarget& t = *f.target;
    char z[32];
    std::snprintf(z, sizeof z, "%+.2f", f.residual);
    rows.push_back({t.label, shown(t.observed, t.measure),
                    interval(t.observed - 1.96 * t.se, t.observed + 1.96 * t.se, t.measure),
                    shown(f.simulated.mean, t.measure), interval(f.simulated.ci_low, f.simulated.ci_high, t.measure), z});
    total += f.residual * f.residual;
  }
  char footer[128];
  std::snprintf(footer, sizeof footer, "  objective (sum of squared residuals): %.4g over %zu targets\n", total, fit.size());
  return title + "\n" + table(rows) + footer;
}

std::string parameter_table(const CalibrationTargets& targets, const CalibrationResult& result) {
  std::vector<std::vector<std::string>> rows{{"parameter", "lower", "upper", "scale", "scenario", "calibrated"}};
  for (std::size_t k = 0; k < targets.parameters.size(); ++k) {
    const CalibrationParameter& p = targets.parameters[k];
    for (std::size_t i = 0; i < p.keys.size(); ++i)
      rows.push_back({(i ? "  tied: " : "") + p.keys[i], format_value(p.lower, 6), format_value(p.upper, 6),
                      p.log_scale ? "log" : "linear", i ? "" : format_value(result.initial.at(k), 6),
                      format_value(result.values.at(k), 6)});
  }
  return table(rows);
}

std::string target_fit_json(const std::vector<TargetFit>& fit, const std::string& scenario_file,
                     const std::string& targets_file, std::uint64_t seed, std::size_t size, int replicates) {
  using json = nlohmann::ordered_json;
  json targets = json::array();
  for (const TargetFit& f : fit) {
    const CalibrationTarget& t = *f.target;
    json j;
    j["name"] = t.label;
    j["measure"] = to_string(t.measure);
    j["group"] = nullptr;
    if (!t.dimension.empty()) j["group"] = {{"dimension", t.dimension}, {"categories", t.categories}};
    if (t.measure == TargetMeasure::rate_at_day) j["day"] = t.day;
    if (t.measure == TargetMeasure::custody_population && t.month > 0) j["month"] = t.month;
    j["observed"] = t.observed;
    j["se"] = t.se;
    j["simulated"] = {{"mean", f.simulated.mean},
                      {"ci_low", f.simulated.ci_low},
                      {"ci_high", f.simulated.ci_high},
                      {"sd", f.simulated.sd}};
    j["residual"] = f.residual;
    j["within_tolerance"] = std::abs(f.residual) <= 1.96;
    j["source"] = t.source;
    targets.push_back(std::move(j));
  }
  json out;
  out["program"] = "desist";
  out["scenario_file"] = scenario_file;
  out["targets_file"] = targets_file;
  out["seed"] = seed;
  out["cohort_size"] = size;
  out["replicates"] = replicates;
  out["objective"] = objective(fit);
  out["targets"] = std::move(targets);
  return out.dump(2) + "\n";
}

}  // namespace desist
