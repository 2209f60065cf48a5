// Maximum-likelihood fit of the offending hazard (see fit.hpp, docs/fitting.md).
#include "desist/fit.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Dense>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

#include "csv_table.hpp"
#include "desist/error.hpp"
#include "desist/names.hpp"

namespace desist {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double z95 = 1.959963984540054;  // Φ⁻¹(0.975)

// ------------------------------------------------------------------ text helpers

std::string trimmed(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string shown(std::string_view text) {
  constexpr std::size_t max_shown = 40;
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < max_shown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out += (c < 0x20 || c == 0x7F) ? '?' : static_cast<char>(c);
  }
  if (text.size() > max_shown) out += "...";
  return out + "'";
}

// Shortest text that reads back as the same double.
std::string exact(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// v to `digits` significant figures (general format).
std::string sig(double v, int digits = 4) {
  if (std::isnan(v)) return "NaN";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

std::string fixed(double v, int decimals) {
  if (std::isnan(v)) return "NaN";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

double softplus(double s) { return s > 0 ? s + std::log1p(std::exp(-s)) : std::log1p(std::exp(s)); }
double sigmoid(double s) { return s >= 0 ? 1.0 / (1.0 + std::exp(-s)) : std::exp(s) / (1.0 + std::exp(s)); }

// ------------------------------------------------------------------- reading

enum class CellStatus { ok, empty, not_a_number };

// A number, or yes/no/true/false as 1/0 (R-coded data).
CellStatus parse_value(std::string_view raw, double& value, bool allow_words) {
  std::string text = trimmed(raw);
  if (text.empty()) return CellStatus::empty;
  if (allow_words) {
    const std::string w = lower(text);
    if (w == "yes" || w == "true") return value = 1.0, CellStatus::ok;
    if (w == "no" || w == "false") return value = 0.0, CellStatus::ok;
  }
  std::string_view t = text;
  if (t.size() > 1 && t.front() == '+' && t[1] != '-' && t[1] != '+') t.remove_prefix(1);
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value, std::chars_format::general);
  if (ptr != t.data() + t.size() || ec != std::errc() || !std::isfinite(value)) return CellStatus::not_a_number;
  return CellStatus::ok;
}

struct Cell {
  const csv::Table* table;
  const csv::Row* row;
  std::size_t col;
  std::string_view text() const { return row->fields[col]; }
  [[noreturn]] void fail(const std::string& message) const {
    throw InputError(SourceLocation{table->file, row->line, static_cast<int>(col) + 1, table->names[col]}, message);
  }
};

double time_value(const Cell& c, const char* what) {
  double v = 0.0;
  switch (parse_value(c.text(), v, false)) {
    case CellStatus::empty:
      c.fail(std::string("missing value: expected ") + what + " (a number, 0 or more)");
    case CellStatus::not_a_number:
      c.fail(std::string("expected ") + what + " (a number, 0 or more), got " + shown(c.text()));
    case CellStatus::ok:
      break;
  }
  if (v < 0.0) c.fail(std::string("negative time: expected ") + what + " of 0 or more, got " + shown(c.text()));
  return v;
}

std::uint8_t event_value(const Cell& c) {
  double v = 0.0;
  const CellStatus s = parse_value(c.text(), v, true);
  if (s == CellStatus::empty) c.fail("missing value: expected the event indicator, 1 (event) or 0 (censored)");
  if (s != CellStatus::ok || (v != 0.0 && v != 1.0))
    c.fail("expected the event indicator, 1 (event) or 0 (censored) (yes/no and true/false are read as 1/0), got " +
           shown(c.text()));
  return v == 1.0 ? 1 : 0;
}

double covariate_value(const Cell& c) {
  double v = 0.0;
  switch (parse_value(c.text(), v, true)) {
    case CellStatus::empty:
      c.fail("missing value: covariate '" + c.table->names[c.col] + "' needs a number in every row");
    case CellStatus::not_a_number:
      c.fail("covariate '" + c.table->names[c.col] +
             "' must be numeric (yes/no and true/false are read as 1/0), got " + shown(c.text()) +
             "; code a category as 0/1 columns");
    case CellStatus::ok:
      break;
  }
  return v;
}

[[noreturn]] void option_error(const std::string& option, const std::string& message) {
  throw InputError(SourceLocation{option, 0, 0, ""}, message);
}

void check_spec(const FitDataSpec& spec) {
  if (spec.people_file.empty()) option_error("PEOPLE", "no people file given");
  if (spec.time_column.empty()) option_error("--time", "name the column of times to the event or censoring");
  if (spec.event_column.empty()) option_error("--event", "name the column of event indicators (1 event, 0 censored)");
  if (spec.time_column == spec.event_column) option_error("--event", "the event column cannot be the time column");
  for (std::size_t j = 0; j < spec.covariates.size(); ++j) {
    const std::string& c = spec.covariates[j];
    if (c.empty()) option_error("--covariates", "empty covariate name (give names separated by commas)");
    if (std::find(spec.covariates.begin(), spec.covariates.begin() + static_cast<std::ptrdiff_t>(j), c) !=
        spec.covariates.begin() + static_cast<std::ptrdiff_t>(j))
      option_error("--covariates", "covariate '" + c + "' is named twice");
    for (const std::string* role : {&spec.time_column, &spec.event_column})
      if (c == *role) option_error("--covariates", "'" + c + "' is the time or event column, not a covariate");
  }
  if (!spec.spells_file.empty()) {
    if (spec.id_column.empty()) option_error("--id", "--spells needs --id, the column naming each spell's person");
    if (spec.start_column.empty()) option_error("--start", "--spells needs --start, the column of spell starts");
    if (spec.stop_column.empty()) option_error("--stop", "--spells needs --stop, the column of spell ends");
    for (const auto& c : spec.covariates)
      if (c == spec.id_column || c == spec.start_column || c == spec.stop_column)
        option_error("--covariates", "'" + c + "' is a spell's id, start or stop column, not a covariate");
  } else if (!spec.id_column.empty() || !spec.start_column.empty() || !spec.stop_column.empty()) {
    option_error("--spells", "--id, --start and --stop describe a spells file: give it with --spells");
  }
}

}  // namespace

double days_per_unit(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::days:
      return 1.0;
    case TimeUnit::weeks:
      return 7.0;
    case TimeUnit::months:
      return days_per_year / 12.0;
  }
  return 1.0;
}

const char* to_string(HazardModel m) {
  switch (m) {
    case HazardModel::exponential:
      return "exponential";
    case HazardModel::weibull:
      return "weibull";
    case HazardModel::log_logistic:
      return "loglogistic";
    case HazardModel::piecewise_constant:
      return "piecewise";
  }
  return "?";
}

const char* to_string(TimeUnit u) {
  switch (u) {
    case TimeUnit::days:
      return "days";
    case TimeUnit::weeks:
      return "weeks";
    case TimeUnit::months:
      return "months";
  }
  return "?";
}

std::size_t SurvivalData::events() const {
  return static_cast<std::size_t>(std::count(event.begin(), event.end(), std::uint8_t{1}));
}

double SurvivalData::exposure_days() const {
  double e = 0.0;
  for (std::size_t r = 0; r < start.size(); ++r) e += stop[r] - start[r];
  return e;
}

SurvivalData read_survival_data(const FitDataSpec& spec) {
  check_spec(spec);
  const double unit = days_per_unit(spec.time_unit);
  const csv::Table people = csv::read_table(spec.people_file, "people file");
  const std::size_t time_col = people.require(spec.time_column, "the time column (--time)");
  const std::size_t event_col = people.require(spec.event_column, "the event column (--event)");
  const std::size_t n = people.rows.size();
  const std::size_t p = spec.covariates.size();

  SurvivalData d;
  d.covariates = spec.covariates;
  d.time_unit = spec.time_unit;
  std::vector<double> time(n);
  std::vector<std::uint8_t> event(n);
  for (std::size_t i = 0; i < n; ++i) {
    const csv::Row& row = people.rows[i];
    time[i] = time_value(Cell{&people, &row, time_col}, "a time");
    event[i] = event_value(Cell{&people, &row, event_col});
    if (event[i] == 1 && time[i] == 0.0)
      Cell{&people, &row, time_col}.fail("an event at time 0 has no probability under a continuous hazard; "
                                         "record it at a positive time");
  }
  std::size_t events = 0;
  for (auto e : event) events += e;
  d.description = spec.people_file + " (" + std::to_string(n) + " people, " + std::to_string(events) +
                  " events; time '" + spec.time_column + "' in " + to_string(spec.time_unit) + ", event '" +
                  spec.event_column + "'";

  if (spec.spells_file.empty()) {
    std::vector<std::size_t> cols;
    for (const auto& c : spec.covariates) cols.push_back(people.require(c, "covariate '" + c + "' (--covariates)"));
    d.start.assign(n, 0.0);
    d.stop.resize(n);
    d.event = event;
    d.x.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(p));
    d.person_begin.resize(n + 1);
    for (std::size_t i = 0; i < n; ++i) {
      d.stop[i] = time[i] * unit;
      d.person_begin[i] = i;
      for (std::size_t j = 0; j < p; ++j)
        d.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
            covariate_value(Cell{&people, &people.rows[i], cols[j]});
    }
    d.person_begin[n] = n;
    d.description += ")";
    return d;
  }

  // Spells: (start, stop] per person, joined to the people file by id.
  const csv::Table spells = csv::read_table(spec.spells_file, "spells file");
  const std::size_t id_col = spells.require(spec.id_column, "the person id (--id)");
  const std::size_t start_col = spells.require(spec.start_column, "spell starts (--start)");
  const std::size_t stop_col = spells.require(spec.stop_column, "spell ends (--stop)");
  struct Source {
    bool from_spells;
    std::size_t col;
  };
  std::vector<Source> sources;
  for (const auto& c : spec.covariates) {
    const int s = spells.find(c);
    if (s >= 0) {
      sources.push_back({true, static_cast<std::size_t>(s)});
      continue;
    }
    const int q = people.find(c);
    if (q >= 0) {
      sources.push_back({false, static_cast<std::size_t>(q)});
      continue;
    }
    std::vector<std::string> all = spells.names;
    all.insert(all.end(), people.names.begin(), people.names.end());
    throw InputError(SourceLocation{spec.spells_file, spells.header_line, 0, c},
                     "no column '" + c + "' for covariate '" + c + "' (--covariates) in the spells file or in " +
                         spec.people_file + "; " + suggestion(c, all));
  }

  // People's ids: their own column, or row numbers 1, 2, ...
  std::map<std::string, std::size_t> person_of;
  const int people_id = people.find(spec.id_column);
  for (std::size_t i = 0; i < n; ++i) {
    std::string id;
    if (people_id >= 0) {
      const Cell c{&people, &people.rows[i], static_cast<std::size_t>(people_id)};
      id = trimmed(c.text());
      if (id.empty()) c.fail("missing person id");
      if (!person_of.emplace(id, i).second) c.fail("person id " + shown(id) + " appears twice in the people file");
    } else {
      person_of.emplace(std::to_string(i + 1), i);
    }
  }

  struct SpellRow {
    double start, stop;
    const csv::Row* row;
  };
  std::vector<std::vector<SpellRow>> by_person(n);
  for (const csv::Row& row : spells.rows) {
    const Cell id_cell{&spells, &row, id_col};
    const std::string id = trimmed(id_cell.text());
    if (id.empty()) id_cell.fail("missing person id");
    const auto it = person_of.find(id);
    if (it == person_of.end())
      id_cell.fail("person id " + shown(id) + " is not in the people file " + spec.people_file +
                   (people_id >= 0 ? std::string(" (column '") + spec.id_column + "')"
                                   : std::string(" (it has no column '") + spec.id_column +
                                         "', so its people are numbered 1 to " + std::to_string(n) + " by row)"));
    const double start = time_value(Cell{&spells, &row, start_col}, "a spell start") * unit;
    const Cell stop_cell{&spells, &row, stop_col};
    const double stop = time_value(stop_cell, "a spell end") * unit;
    if (stop <= start) stop_cell.fail("a spell must end after it starts: (start, stop] needs stop > start");
    by_person[it->second].push_back({start, stop, &row});
  }

  d.x.resize(static_cast<Eigen::Index>(spells.rows.size()), static_cast<Eigen::Index>(p));
  d.person_begin.reserve(n + 1);
  for (std::size_t i = 0; i < n; ++i) {
    auto& list = by_person[i];
    const std::string id = people_id >= 0 ? trimmed(people.rows[i].fields[static_cast<std::size_t>(people_id)])
                                          : std::to_string(i + 1);
    if (list.empty())
      Cell{&people, &people.rows[i], time_col}.fail("person " + shown(id) + " has no spells in " + spec.spells_file);
    std::stable_sort(list.begin(), list.end(), [](const SpellRow& a, const SpellRow& b) { return a.start < b.start; });
    for (std::size_t k = 1; k < list.size(); ++k)
      if (list[k].start < list[k - 1].stop)
        Cell{&spells, list[k].row, start_col}.fail("spell overlaps the previous spell of person " + shown(id) +
                                                   " (line " + std::to_string(list[k - 1].row->line) + ")");
    const double end = time[i] * unit;
    if (std::abs(list.back().stop - end) > 1e-9 * std::max(1.0, end))
      Cell{&people, &people.rows[i], time_col}.fail(
          "the person's time " + shown(people.rows[i].fields[time_col]) + " is not the end of their last spell (id " +
          shown(id) + ", " + spec.spells_file + " line " + std::to_string(list.back().row->line) + ", " +
          spec.stop_column + " " + shown(list.back().row->fields[stop_col]) + ")");
    d.person_begin.push_back(d.start.size());
    for (std::size_t k = 0; k < list.size(); ++k) {
      const auto r = static_cast<Eigen::Index>(d.start.size());
      d.start.push_back(list[k].start);
      d.stop.push_back(list[k].stop);
      d.event.push_back(k + 1 == list.size() ? event[i] : 0);
      for (std::size_t j = 0; j < p; ++j) {
        const Cell c = sources[j].from_spells ? Cell{&spells, list[k].row, sources[j].col}
                                              : Cell{&people, &people.rows[i], sources[j].col};
        try {
          d.x(r, static_cast<Eigen::Index>(j)) = covariate_value(c);
        } catch (const InputError& e) {
          if (!sources[j].from_spells || people.find(spec.covariates[j]) < 0) throw;
          throw InputError(e.where(), e.message() + " (when both files have a covariate's column, the spells "
                                                    "file's is used)");
        }
      }
    }
  }
  d.person_begin.push_back(d.start.size());
  d.description += "; " + std::to_string(d.spells()) + " spells from " + spec.spells_file + ")";
  return d;
}

SurvivalData make_survival_data(const std::vector<double>& time_days, const std::vector<int>& event,
                                const std::vector<std::string>& covariate_names,
                                const std::vector<std::vector<double>>& covariate_columns) {
  const std::size_t n = time_days.size();
  if (event.size() != n) throw std::invalid_argument("make_survival_data: one event indicator per time");
  if (covariate_columns.size() != covariate_names.size())
    throw std::invalid_argument("make_survival_data: one column per covariate name");
  SurvivalData d;
  d.covariates = covariate_names;
  d.start.assign(n, 0.0);
  d.stop = time_days;
  d.x.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(covariate_names.size()));
  for (std::size_t i = 0; i < n; ++i) {
    if (!(time_days[i] >= 0.0) || !std::isfinite(time_days[i]))
      throw std::invalid_argument("make_survival_data: times must be finite and 0 or more");
    if (event[i] != 0 && event[i] != 1) throw std::invalid_argument("make_survival_data: events must be 0 or 1");
    d.event.push_back(static_cast<std::uint8_t>(event[i]));
    d.person_begin.push_back(i);
  }
  d.person_begin.push_back(n);
  for (std::size_t j = 0; j < covariate_columns.size(); ++j) {
    if (covariate_columns[j].size() != n) throw std::invalid_argument("make_survival_data: one value per person");
    for (std::size_t i = 0; i < n; ++i)
      d.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = covariate_columns[j][i];
  }
  std::size_t events = 0;
  for (int e : event) events += static_cast<std::size_t>(e);
  d.description = "data in memory (" + std::to_string(n) + " people, " + std::to_string(events) + " events)";
  return d;
}

// ------------------------------------------------------------------ likelihood

namespace {

constexpr double year = days_per_year;

// The baseline at unconstrained parameters, with derivatives with respect to them.
class Baseline {
 public:
  Baseline(const FitModel& m) : model_(m.model), breaks_(m.breaks_days) {}

  static std::size_t count(const FitModel& m) {
    switch (m.model) {
      case HazardModel::exponential:
        return 1;
      case HazardModel::weibull:
        return 2;
      case HazardModel::log_logistic:
        return 3;
      case HazardModel::piecewise_constant:
        return m.breaks_days.size();
    }
    return 0;
  }

  void set(const double* theta) {
    switch (model_) {
      case HazardModel::exponential:
        log_a_ = theta[0];
        k_ = 1.0;
        break;
      case HazardModel::weibull:
        log_a_ = theta[0];
        k_ = std::exp(theta[1]);
        break;
      case HazardModel::log_logistic: {
        log_a_ = theta[0];
        log_alpha_ = theta[1];
        beta_ = std::exp(theta[2]);
        const double s = beta_ * (std::log(year) - log_alpha_);
        log_n_ = std::log(softplus(s));
        const double n = softplus(s), sg = sigmoid(s);
        n_alpha_ = -beta_ * sg / n;  // ∂ log N / ∂ log α
        n_beta_ = s * sg / n;        // ∂ log N / ∂ log β
        break;
      }
      case HazardModel::piecewise_constant:
        log_rate_.assign(theta, theta + breaks_.size());
        rate_.resize(breaks_.size());
        for (std::size_t j = 0; j < breaks_.size(); ++j) rate_[j] = std::exp(log_rate_[j]);
        break;
    }
  }

  // Λ(u); adds w · ∂Λ/∂θ to grad.
  double cumulative(double u, double w, double* grad) const {
    if (u <= 0.0) return 0.0;
    switch (model_) {
      case HazardModel::exponential:
      case HazardModel::weibull: {
        const double lr = std::log(u / year);
        const double big = std::exp(log_a_ + k_ * lr);
        if (grad) {
          grad[0] += w * big;
          if (model_ == HazardModel::weibull) grad[1] += w * big * k_ * lr;
        }
        return big;
      }
      case HazardModel::log_logistic: {
        const double s = beta_ * (std::log(u) - log_alpha_);
        const double l = softplus(s), sg = sigmoid(s);
        const double big = std::exp(log_a_ - log_n_) * l;
        if (grad) {
          const double c = std::exp(log_a_ - log_n_);
          grad[0] += w * big;
          grad[1] += w * c * (-beta_ * sg - l * n_alpha_);
          grad[2] += w * c * (s * sg - l * n_beta_);
        }
        return big;
      }
      case HazardModel::piecewise_constant: {
        double big = 0.0;
        for (std::size_t j = 0; j < breaks_.size() && breaks_[j] < u; ++j) {
          const double end = j + 1 < breaks_.size() ? std::min(u, breaks_[j + 1]) : u;
          const double part = rate_[j] / year * (end - breaks_[j]);
          big += part;
          if (grad) grad[j] += w * part;
        }
        return big;
      }
    }
    return 0.0;
  }

  // log λ(u) for u > 0; adds w · ∂ log λ/∂θ to grad.
  double log_hazard(double u, double w, double* grad) const {
    switch (model_) {
      case HazardModel::exponential:
      case HazardModel::weibull: {
        const double lr = std::log(u / year);
        if (grad) {
          grad[0] += w;
          if (model_ == HazardModel::weibull) grad[1] += w * (1.0 + k_ * lr);
        }
        return log_a_ + std::log(k_) - std::log(year) + (k_ - 1.0) * lr;
      }
      case HazardModel::log_logistic: {
        const double s = beta_ * (std::log(u) - log_alpha_);
        const double sg = sigmoid(s);
        if (grad) {
          grad[0] += w;
          grad[1] += w * (-n_alpha_ - beta_ * (1.0 - sg));
          grad[2] += w * (-n_beta_ + 1.0 + s * (1.0 - sg));
        }
        return log_a_ - log_n_ + std::log(beta_) + s - std::log(u) - softplus(s);
      }
      case HazardModel::piecewise_constant: {
        const std::size_t j =
            static_cast<std::size_t>(std::upper_bound(breaks_.begin(), breaks_.end(), u) - breaks_.begin()) - 1;
        if (grad) grad[j] += w;
        return log_rate_[j] - std::log(year);
      }
    }
    return 0.0;
  }

 private:
  HazardModel model_;
  std::vector<double> breaks_;
  double log_a_ = 0.0, k_ = 1.0;
  double log_alpha_ = 0.0, beta_ = 1.0, log_n_ = 0.0, n_alpha_ = 0.0, n_beta_ = 0.0;
  std::vector<double> log_rate_, rate_;
};

// The data with covariates as the likelihood sees them (possibly standardised).
struct Problem {
  const SurvivalData& data;
  FitModel model;
  Eigen::MatrixXd x;  // spells × covariates
  std::size_t nb = 0, p = 0, size = 0;
  bool cure = false;

  Problem(const SurvivalData& d, const FitModel& m, Eigen::MatrixXd covariates)
      : data(d), model(m), x(std::move(covariates)) {
    nb = Baseline::count(m);
    p = static_cast<std::size_t>(x.cols());
    cure = m.cure;
    size = nb + (cure ? 1 : 0) + p;
  }

  double log_likelihood(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const {
    Baseline b(model);
    b.set(theta.data());
    const std::size_t cure_at = nb;
    const std::size_t beta_at = nb + (cure ? 1 : 0);
    const Eigen::VectorXd beta = theta.segment(static_cast<Eigen::Index>(beta_at), static_cast<Eigen::Index>(p));
    const double gamma = cure ? theta[static_cast<Eigen::Index>(cure_at)] : 0.0;
    const double pi = cure ? sigmoid(gamma) : 0.0;
    const double log_pi = cure ? -softplus(-gamma) : 0.0;
    const double log_1mpi = cure ? -softplus(gamma) : 0.0;

    Eigen::VectorXd g = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(size));
    Eigen::VectorXd dh(static_cast<Eigen::Index>(size));  // ∂H/∂θ for one person
    double ll = 0.0;
    const std::size_t people = data.people();
    for (std::size_t i = 0; i < people; ++i) {
      const std::size_t first = data.person_begin[i], last = data.person_begin[i + 1] - 1;
      double h = 0.0;
      if (gradient) dh.setZero();
      for (std::size_t r = first; r <= last; ++r) {
        const auto rr = static_cast<Eigen::Index>(r);
        const double eta = p > 0 ? x.row(rr).dot(beta) : 0.0;
        const double e = std::exp(eta);
        const double d_lambda = b.cumulative(data.stop[r], e, gradient ? dh.data() : nullptr) -
                                b.cumulative(data.start[r], -e, gradient ? dh.data() : nullptr);
        // (the second call adds −e · ∂Λ(start)/∂θ)
        h += d_lambda * e;
        if (gradient && p > 0)
          dh.segment(static_cast<Eigen::Index>(beta_at), static_cast<Eigen::Index>(p)) +=
              (d_lambda * e) * x.row(rr).transpose();
        if (data.event[r]) {
          ll += b.log_hazard(data.stop[r], 1.0, gradient ? g.data() : nullptr) + eta;
          if (gradient && p > 0)
            g.segment(static_cast<Eigen::Index>(beta_at), static_cast<Eigen::Index>(p)) += x.row(rr).transpose();
        }
      }
      double w = 1.0;  // ∂ℓ/∂(−H)
      if (!cure) {
        ll -= h;
      } else if (data.event[last]) {
        ll += log_1mpi - h;
        if (gradient) g[static_cast<Eigen::Index>(cure_at)] -= pi;
      } else {
        const double a = log_pi, c = log_1mpi - h;
        const double log_s = std::max(a, c) + std::log1p(std::exp(-std::abs(a - c)));
        ll += log_s;
        w = std::exp(c - log_s);  // P(not immune | survived)
        if (gradient) g[static_cast<Eigen::Index>(cure_at)] += std::exp(a - log_s) - pi;
      }
      if (gradient) g -= w * dh;
    }
    if (gradient) *gradient = g;
    return ll;
  }
};

Eigen::MatrixXd numerical_hessian(const Problem& pr, const Eigen::VectorXd& theta) {
  const auto n = theta.size();
  Eigen::MatrixXd h(n, n);
  Eigen::VectorXd gp, gm;
  for (Eigen::Index j = 0; j < n; ++j) {
    const double step = 1e-5 * std::max(1.0, std::abs(theta[j]));
    Eigen::VectorXd t = theta;
    t[j] = theta[j] + step;
    pr.log_likelihood(t, &gp);
    t[j] = theta[j] - step;
    pr.log_likelihood(t, &gm);
    h.col(j) = (gp - gm) / (2.0 * step);
  }
  return 0.5 * (h + h.transpose());
}

[[noreturn]] void model_error(const std::string& option, const std::string& message) {
  throw InputError(SourceLocation{option, 0, 0, ""}, message);
}

std::string interval_name(const std::vector<double>& breaks, std::size_t j) {
  return "day " + sig(breaks[j], 6) + (j + 1 < breaks.size() ? "-" + sig(breaks[j + 1], 6) : std::string("+"));
}

void check_model(const SurvivalData& d, const FitModel& m) {
  if (d.people() == 0) model_error("data", "no people");
  if (d.events() == 0) model_error("data", "no events: every time is censored, so the hazard cannot be estimated");
  if (m.model == HazardModel::piecewise_constant) {
    const auto& b = m.breaks_days;
    if (b.empty()) model_error("--breaks", "the piecewise model needs --breaks, the interval starts in days (0 first)");
    if (b.front() != 0.0) model_error("--breaks", "the first interval must start at day 0");
    for (std::size_t j = 1; j < b.size(); ++j)
      if (!(b[j] > b[j - 1])) model_error("--breaks", "interval starts must increase");
    std::vector<double> exposure(b.size(), 0.0), events(b.size(), 0.0);
    for (std::size_t r = 0; r < d.spells(); ++r) {
      for (std::size_t j = 0; j < b.size(); ++j) {
        const double hi = j + 1 < b.size() ? b[j + 1] : std::numeric_limits<double>::infinity();
        exposure[j] += std::max(0.0, std::min(d.stop[r], hi) - std::max(d.start[r], b[j]));
      }
      if (d.event[r])
        events[static_cast<std::size_t>(std::upper_bound(b.begin(), b.end(), d.stop[r]) - b.begin()) - 1] += 1;
    }
    for (std::size_t j = 0; j < b.size(); ++j) {
      if (exposure[j] <= 0.0)
        model_error("--breaks", "nobody is followed in " + interval_name(b, j) + ": remove the break at day " +
                                    sig(b[j], 6));
      if (events[j] == 0.0)
        model_error("--breaks", "no events in " + interval_name(b, j) +
                                    ": its rate's estimate would be 0, on the boundary; merge it with a neighbour "
                                    "by removing a break");
    }
  } else if (!m.breaks_days.empty()) {
    model_error("--breaks", "--breaks is for --model piecewise only");
  }
  if (m.cure) {
    for (std::size_t i = 0; i < d.people(); ++i) {
      const std::size_t first = d.person_begin[i], end = d.person_begin[i + 1];
      bool contiguous = d.start[first] == 0.0;
      for (std::size_t r = first + 1; r < end; ++r) contiguous = contiguous && d.start[r] == d.stop[r - 1];
      if (!contiguous)
        model_error("--cure", "with --cure each person's spells must run without gaps from time 0 (person " +
                                  std::to_string(i + 1) +
                                  " starts late or has a gap): the immune share is defined from the index date");
    }
  }
}

std::vector<std::string> theta_names(const FitModel& m, const std::vector<std::string>& covariates) {
  std::vector<std::string> names;
  switch (m.model) {
    case HazardModel::exponential:
      names = {"log_first_year_hazard"};
      break;
    case HazardModel::weibull:
      names = {"log_first_year_hazard", "log_shape"};
      break;
    case HazardModel::log_logistic:
      names = {"log_first_year_hazard", "log_scale_days", "log_shape"};
      break;
    case HazardModel::piecewise_constant:
      for (std::size_t j = 0; j < m.breaks_days.size(); ++j)
        names.push_back("log_rate_per_year[" + std::to_string(j) + "]");
      break;
  }
  if (m.cure) names.push_back("logit_never_reoffend_share");
  names.insert(names.end(), covariates.begin(), covariates.end());
  return names;
}

}  // namespace

double fit_log_likelihood(const SurvivalData& data, const FitModel& model, const Eigen::VectorXd& theta,
                          Eigen::VectorXd* gradient) {
  if (static_cast<std::size_t>(data.x.rows()) != data.spells() ||
      static_cast<std::size_t>(data.x.cols()) != data.covariates.size() || data.person_begin.empty())
    throw std::invalid_argument("fit_log_likelihood: the data's covariates and spells do not match");
  const Problem pr(data, model, data.x);
  if (static_cast<std::size_t>(theta.size()) != pr.size)
    throw std::invalid_argument("fit_log_likelihood: expected " + std::to_string(pr.size) + " parameters");
  return pr.log_likelihood(theta, gradient);
}

const FitParameter& FitResult::parameter(const std::string& name) const {
  for (const auto& q : parameters)
    if (q.name == name) return q;
  throw std::out_of_range("no fitted parameter '" + name + "'");
}

OffendingParameters FitResult::offending() const {
  OffendingParameters o;
  switch (model.model) {
    case HazardModel::exponential:
      o.baseline = BaselineHazard(WeibullBaseline{parameter("first_year_hazard").estimate, 1.0});
      break;
    case HazardModel::weibull:
      o.baseline =
          BaselineHazard(WeibullBaseline{parameter("first_year_hazard").estimate, parameter("shape").estimate});
      break;
    case HazardModel::log_logistic:
      o.baseline = BaselineHazard(LogLogisticBaseline{parameter("first_year_hazard").estimate,
                                                      parameter("scale_days").estimate, parameter("shape").estimate});
      break;
    case HazardModel::piecewise_constant: {
      PiecewiseConstantBaseline pw;
      pw.start_day = model.breaks_days;
      pw.rate_per_year.clear();
      for (std::size_t j = 0; j < model.breaks_days.size(); ++j)
        pw.rate_per_year.push_back(parameters[j].estimate);
      o.baseline = BaselineHazard(pw);
      break;
    }
  }
  o.never_reoffend_share = model.cure ? parameter("never_reoffend_share").estimate : 0.0;
  o.frailty_variance = 0.0;
  for (const auto& q : parameters)
    if (q.covariate) o.covariates.push_back(Covariate{q.name, q.estimate, 0.0});
  return o;
}

FitResult fit_hazard(const SurvivalData& data, const FitModel& model) {
  check_model(data, model);
  const std::size_t p = data.covariates.size();
  if (static_cast<std::size_t>(data.x.cols()) != p || static_cast<std::size_t>(data.x.rows()) != data.spells())
    throw std::invalid_argument("fit_hazard: covariate matrix does not match the data");

  // Standardise covariates: x' = (x − m) / s, so Newton starts well scaled.
  Eigen::MatrixXd xs = data.x;
  std::vector<double> mean(p, 0.0), sd(p, 1.0);
  for (std::size_t j = 0; j < p; ++j) {
    const auto col = xs.col(static_cast<Eigen::Index>(j));
    mean[j] = col.mean();
    sd[j] = std::sqrt((col.array() - mean[j]).square().mean());
    if (!(sd[j] > 1e-12 * std::max(1.0, std::abs(mean[j]))))
      model_error("--covariates", "covariate '" + data.covariates[j] +
                                      "' has the same value for everyone, so its coefficient cannot be estimated");
    xs.col(static_cast<Eigen::Index>(j)) = (col.array() - mean[j]) / sd[j];
  }
  const Problem pr(data, model, xs);
  const auto n = static_cast<Eigen::Index>(pr.size);
  const auto nb = static_cast<Eigen::Index>(pr.nb);

  // Starting values: shape terms at neutral values, the scale matching the
  // number of events; piecewise rates at events / exposure per interval.
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(n);
  const double events = static_cast<double>(data.events());
  const double people = static_cast<double>(data.people());
  switch (model.model) {
    case HazardModel::exponential:
    case HazardModel::weibull:
      break;
    case HazardModel::log_logistic: {
      std::vector<double> times;
      for (std::size_t r = 0; r < data.spells(); ++r)
        if (data.event[r]) times.push_back(data.stop[r]);
      std::nth_element(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2), times.end());
      theta[1] = std::log(times[times.size() / 2]);
      theta[2] = std::log(1.5);
      break;
    }
    case HazardModel::piecewise_constant:
      break;
  }
  {
    // Scale: expected events = observed events (with the cure share's start, among the non-immune).
    Baseline b(model);
    b.set(theta.data());
    if (model.model == HazardModel::piecewise_constant) {
      const auto& br = model.breaks_days;
      std::vector<double> exposure(br.size(), 0.0), count(br.size(), 0.0);
      for (std::size_t r = 0; r < data.spells(); ++r) {
        for (std::size_t j = 0; j < br.size(); ++j) {
          const double hi = j + 1 < br.size() ? br[j + 1] : std::numeric_limits<double>::infinity();
          exposure[j] += std::max(0.0, std::min(data.stop[r], hi) - std::max(data.start[r], br[j]));
        }
        if (data.event[r])
          count[static_cast<std::size_t>(std::upper_bound(br.begin(), br.end(), data.stop[r]) - br.begin()) - 1] += 1;
      }
      for (std::size_t j = 0; j < br.size(); ++j) theta[static_cast<Eigen::Index>(j)] = std::log(count[j] / exposure[j] * year);
    } else {
      double expected = 0.0;
      for (std::size_t r = 0; r < data.spells(); ++r)
        expected += b.cumulative(data.stop[r], 0.0, nullptr) - b.cumulative(data.start[r], 0.0, nullptr);
      theta[0] += std::log(events / expected);
    }
    if (model.cure) {
      const double share = std::clamp(0.5 * (1.0 - events / people), 0.05, 0.9);
      theta[nb] = std::log(share / (1.0 - share));
    }
  }

  // Newton–Raphson on the log-likelihood with a numerical Hessian of the
  // analytic gradient, Levenberg damping where −H is not positive definite,
  // and a backtracking (Armijo) line search.
  constexpr int max_iterations = 200;
  double ll = pr.log_likelihood(theta, nullptr);
  if (!std::isfinite(ll)) throw std::runtime_error("fit: the log-likelihood is not finite at the starting values");
  FitResult result;
  Eigen::VectorXd g;
  int iteration = 0;
  bool converged = false;
  const Eigen::MatrixXd identity = Eigen::MatrixXd::Identity(n, n);
  for (; iteration < max_iterations && !converged; ++iteration) {
    pr.log_likelihood(theta, &g);
    const Eigen::MatrixXd info = -numerical_hessian(pr, theta);
    const double scale = std::max(1e-8, info.diagonal().cwiseAbs().maxCoeff());
    Eigen::VectorXd step;
    double mu = 0.0;
    for (int k = 0; k < 40; ++k) {
      const Eigen::LLT<Eigen::MatrixXd> llt(info + mu * identity);
      if (llt.info() == Eigen::Success) {
        step = llt.solve(g);
        if (step.allFinite()) break;
      }
      step.resize(0);
      mu = mu == 0.0 ? 1e-8 * scale : mu * 10.0;
    }
    if (step.size() == 0) break;
    const double decrement = g.dot(step);  // twice the predicted gain
    const double longest = step.cwiseAbs().maxCoeff();
    if (longest > 5.0) step *= 5.0 / longest;
    if (decrement < 1e-8 && mu == 0.0) {
      // In the quadratic region: the full step, whose gain is below rounding of ℓ.
      theta += step;
      ll = pr.log_likelihood(theta, nullptr);
      converged = decrement < 1e-12;
      continue;
    }
    double t = 1.0;
    bool moved = false;
    for (int k = 0; k < 60; ++k, t *= 0.5) {
      const Eigen::VectorXd trial = theta + t * step;
      const double trial_ll = pr.log_likelihood(trial, nullptr);
      if (std::isfinite(trial_ll) && trial_ll >= ll + 1e-4 * t * g.dot(step)) {
        theta = trial;
        ll = trial_ll;
        moved = true;
        break;
      }
    }
    if (!moved) {
      converged = decrement < 1e-6;  // no further gain to be had within rounding
      break;
    }
  }
  result.iterations = iteration;
  result.converged = converged;
  if (!converged)
    result.warnings.push_back("the maximisation did not converge in " + std::to_string(iteration) +
                              " iterations; the estimates are not the maximum (a parameter may be at a boundary)");

  // Covariance of the standardised parameters, then back to the raw covariates:
  // β = β'/s, and the log scale terms take −Σ β m.
  Eigen::MatrixXd cov_s = Eigen::MatrixXd::Constant(n, n, nan);
  {
    const Eigen::MatrixXd info = -numerical_hessian(pr, theta);
    const Eigen::LLT<Eigen::MatrixXd> llt(info);
    if (llt.info() == Eigen::Success)
      cov_s = llt.solve(identity);
    else
      result.warnings.push_back(
          "the observed information is not positive definite at the estimates: standard errors are not available");
  }
  Eigen::MatrixXd t_raw = identity;
  const Eigen::Index beta_at = n - static_cast<Eigen::Index>(p);
  const Eigen::Index scale_rows = model.model == HazardModel::piecewise_constant ? nb : 1;
  for (std::size_t j = 0; j < p; ++j) {
    const auto c = beta_at + static_cast<Eigen::Index>(j);
    t_raw(c, c) = 1.0 / sd[j];
    for (Eigen::Index r = 0; r < scale_rows; ++r) t_raw(r, c) = -mean[j] / sd[j];
  }
  result.theta = t_raw * theta;
  result.covariance = t_raw * cov_s * t_raw.transpose();

  result.model = model;
  result.covariates = data.covariates;
  result.people = data.people();
  result.spells = data.spells();
  result.events = data.events();
  result.exposure_days = data.exposure_days();
  result.time_unit = data.time_unit;
  result.description = data.description;
  result.log_likelihood = ll + events * std::log(days_per_unit(data.time_unit));
  result.aic = 2.0 * static_cast<double>(n) - 2.0 * result.log_likelihood;

  const auto se_of = [&](Eigen::Index k) {
    const double v = result.covariance(k, k);
    return v >= 0.0 ? std::sqrt(v) : nan;
  };
  const auto positive = [&](Eigen::Index k, const std::string& name, const std::string& note) {
    FitParameter q;
    q.name = name;
    q.note = note;
    const double th = result.theta[k], se = se_of(k);
    q.estimate = std::exp(th);
    q.se = q.estimate * se;
    q.lower = std::exp(th - z95 * se);
    q.upper = std::exp(th + z95 * se);
    result.parameters.push_back(q);
  };
  switch (model.model) {
    case HazardModel::exponential:
      positive(0, "first_year_hazard", "a");
      break;
    case HazardModel::weibull:
      positive(0, "first_year_hazard", "a");
      positive(1, "shape", "k");
      break;
    case HazardModel::log_logistic:
      positive(0, "first_year_hazard", "a");
      positive(1, "scale_days", "alpha");
      positive(2, "shape", "beta");
      break;
    case HazardModel::piecewise_constant:
      for (Eigen::Index j = 0; j < nb; ++j)
        positive(j, "rate_per_year[" + std::to_string(j) + "]",
                 interval_name(model.breaks_days, static_cast<std::size_t>(j)));
      break;
  }
  if (model.cure) {
    FitParameter q;
    q.name = "never_reoffend_share";
    q.note = "pi";
    const double th = result.theta[nb], se = se_of(nb);
    q.estimate = sigmoid(th);
    q.se = q.estimate * (1.0 - q.estimate) * se;
    q.lower = sigmoid(th - z95 * se);
    q.upper = sigmoid(th + z95 * se);
    result.parameters.push_back(q);
    if (q.estimate < 1e-3)
      result.warnings.push_back("never_reoffend_share is at its lower bound (about 0): the data show no plateau of "
                                "survival; fit without --cure");
  }
  for (std::size_t j = 0; j < p; ++j) {
    const auto k = beta_at + static_cast<Eigen::Index>(j);
    FitParameter q;
    q.name = data.covariates[j];
    q.covariate = true;
    q.estimate = result.theta[k];
    q.se = se_of(k);
    q.lower = q.estimate - z95 * q.se;
    q.upper = q.estimate + z95 * q.se;
    q.hazard_ratio = std::exp(q.estimate);
    q.hazard_ratio_lower = std::exp(q.lower);
    q.hazard_ratio_upper = std::exp(q.upper);
    q.p_value = std::erfc(std::abs(q.estimate / q.se) / std::sqrt(2.0));
    result.parameters.push_back(q);
    if (std::abs(q.estimate) > 50.0)
      result.warnings.push_back("the coefficient of '" + q.name +
                                "' is outside the range a scenario accepts (-50 to 50)");
  }
  if (model.model == HazardModel::log_logistic) {
    const double longest = *std::max_element(data.stop.begin(), data.stop.end());
    if (result.parameter("scale_days").estimate > 100.0 * longest)
      result.warnings.push_back("scale_days is far beyond the follow-up: the log-logistic hazard has become a "
                                "Weibull one (it does not turn down within the data); fit --model weibull");
  }
  for (const auto& q : result.parameters)
    if (q.name == "shape" && (q.estimate < 0.05 || q.estimate > 20.0))
      result.warnings.push_back("the shape " + sig(q.estimate) + " is outside the range a scenario accepts (0.05-20)");
  return result;
}

// -------------------------------------------------------------------- output

namespace {

std::string model_title(const FitModel& m) {
  std::string s;
  switch (m.model) {
    case HazardModel::exponential:
      s = "exponential";
      break;
    case HazardModel::weibull:
      s = "Weibull";
      break;
    case HazardModel::log_logistic:
      s = "log-logistic";
      break;
    case HazardModel::piecewise_constant:
      s = "piecewise-constant";
      break;
  }
  s += " proportional hazards";
  if (m.cure) s += " with a never-reoffending share (split population)";
  return s;
}

std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::string json_number(double v) { return std::isfinite(v) ? exact(v) : "null"; }

std::string yaml_key(const std::string& name) {
  const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  return plain ? name : json_string(name);  // a JSON string is a YAML double-quoted scalar
}

std::string interval_text(const FitParameter& q, int digits = 4) {
  return sig(q.lower, digits) + " to " + sig(q.upper, digits);
}

}  // namespace

std::string fit_table(const FitResult& r) {
  std::string s;
  s += "desist fit: " + model_title(r.model) + ", maximum likelihood\n";
  s += "data: " + r.description + "\n";
  s += "people " + std::to_string(r.people) + ", spells " + std::to_string(r.spells) + ", events " +
       std::to_string(r.events) + ", exposure " + sig(r.exposure_days / days_per_year, 6) + " person-years\n";
  s += "log-likelihood " + fixed(r.log_likelihood, 3) + " (densities per " +
       std::string(r.time_unit == TimeUnit::days ? "day" : r.time_unit == TimeUnit::weeks ? "week" : "month") +
       "), AIC " + fixed(r.aic, 3) + ", " + std::to_string(r.theta.size()) + " parameters, " +
       (r.converged ? "converged" : "NOT converged") + " in " + std::to_string(r.iterations) + " iterations\n\n";

  char line[256];
  std::snprintf(line, sizeof line, "%-32s %12s %11s  %-25s\n", "baseline (days since index)", "estimate", "SE",
                "95% CI");
  s += line;
  for (const auto& q : r.parameters) {
    if (q.covariate) continue;
    const std::string label = q.name + (q.note.empty() ? "" : " (" + q.note + ")");
    std::snprintf(line, sizeof line, "  %-30s %12s %11s  %-25s\n", label.c_str(), sig(q.estimate, 5).c_str(),
                  sig(q.se, 4).c_str(), interval_text(q).c_str());
    s += line;
  }
  if (!r.covariates.empty()) {
    std::snprintf(line, sizeof line, "\n%-32s %12s %11s  %-22s %8s  %-18s %8s\n", "covariate", "coefficient", "SE",
                  "95% CI", "HR", "HR 95% CI", "p");
    s += line;
    for (const auto& q : r.parameters) {
      if (!q.covariate) continue;
      std::snprintf(line, sizeof line, "  %-30s %12s %11s  %-22s %8s  %-18s %8s\n", q.name.c_str(),
                    fixed(q.estimate, 5).c_str(), fixed(q.se, 5).c_str(),
                    (fixed(q.lower, 4) + " to " + fixed(q.upper, 4)).c_str(), fixed(q.hazard_ratio, 4).c_str(),
                    (fixed(q.hazard_ratio_lower, 3) + " to " + fixed(q.hazard_ratio_upper, 3)).c_str(),
                    sig(q.p_value, 3).c_str());
      s += line;
    }
  }
  for (const auto& w : r.warnings) s += "\nwarning: " + w;
  if (!r.warnings.empty()) s += "\n";
  std::string out;  // without the padding at the ends of lines
  for (const char c : s) {
    if (c == '\n')
      while (!out.empty() && out.back() == ' ') out.pop_back();
    out += c;
  }
  return out;
}

std::string fit_json(const FitResult& r, const std::string& command) {
  std::string s = "{\n";
  const auto field = [&](const std::string& key, const std::string& value, bool last = false) {
    s += "  " + json_string(key) + ": " + value + (last ? "\n" : ",\n");
  };
  const auto parameter = [&](const FitParameter& q) {
    std::string o = "{\"name\": " + json_string(q.name) + ", \"estimate\": " + json_number(q.estimate) +
                    ", \"se\": " + json_number(q.se) + ", \"ci95\": [" + json_number(q.lower) + ", " +
                    json_number(q.upper) + "]";
    if (q.covariate)
      o += ", \"hazard_ratio\": " + json_number(q.hazard_ratio) + ", \"hazard_ratio_ci95\": [" +
           json_number(q.hazard_ratio_lower) + ", " + json_number(q.hazard_ratio_upper) +
           "], \"p_value\": " + json_number(q.p_value);
    else if (!q.note.empty())
      o += ", \"note\": " + json_string(q.note);
    return o + "}";
  };
  field("command", json_string(command));
  field("data", json_string(r.description));
  field("model", json_string(to_string(r.model.model)));
  field("cure", r.model.cure ? "true" : "false");
  std::string breaks = "[";
  for (std::size_t j = 0; j < r.model.breaks_days.size(); ++j)
    breaks += (j ? ", " : "") + json_number(r.model.breaks_days[j]);
  field("breaks_days", breaks + "]");
  field("time_unit", json_string(to_string(r.time_unit)));
  field("people", std::to_string(r.people));
  field("spells", std::to_string(r.spells));
  field("events", std::to_string(r.events));
  field("exposure_days", json_number(r.exposure_days));
  field("log_likelihood", json_number(r.log_likelihood));
  field("aic", json_number(r.aic));
  field("parameter_count", std::to_string(r.theta.size()));
  field("iterations", std::to_string(r.iterations));
  field("converged", r.converged ? "true" : "false");
  std::string baseline = "[", covariates = "[";
  std::string cure = "null";
  for (const auto& q : r.parameters) {
    if (q.covariate)
      covariates += std::string(covariates.size() > 1 ? ",\n    " : "\n    ") + parameter(q);
    else if (q.name == "never_reoffend_share")
      cure = parameter(q);
    else
      baseline += std::string(baseline.size() > 1 ? ",\n    " : "\n    ") + parameter(q);
  }
  field("baseline", baseline + (baseline.size() > 1 ? "\n  ]" : "]"));
  field("never_reoffend_share", cure);
  field("covariates", covariates + (covariates.size() > 1 ? "\n  ]" : "]"));
  std::string names = "[", matrix = "[";
  const auto tn = theta_names(r.model, r.covariates);
  for (std::size_t k = 0; k < tn.size(); ++k) names += (k ? ", " : "") + json_string(tn[k]);
  for (Eigen::Index i = 0; i < r.covariance.rows(); ++i) {
    matrix += std::string(i ? ",\n      " : "\n      ") + "[";
    for (Eigen::Index j = 0; j < r.covariance.cols(); ++j)
      matrix += (j ? ", " : "") + json_number(r.covariance(i, j));
    matrix += "]";
  }
  std::string theta = "[";
  for (Eigen::Index k = 0; k < r.theta.size(); ++k) theta += (k ? ", " : "") + json_number(r.theta[k]);
  field("unconstrained", "{\n    \"names\": " + names + "],\n    \"estimates\": " + theta +
                             "],\n    \"covariance\": " + matrix + "\n    ]\n  }");
  std::string warnings = "[";
  for (std::size_t k = 0; k < r.warnings.size(); ++k) warnings += (k ? ", " : "") + json_string(r.warnings[k]);
  field("warnings", warnings + "]", true);
  return s + "}\n";
}

std::string fit_fragment(const FitResult& r, const std::string& command) {
  std::string s;
  s += "# Offending hazard fitted by desist fit (maximum likelihood), for\n";
  s += "#   desist run SCENARIO --overlay THIS_FILE\n";
  s += "# command: " + one_line(command) + "\n";
  s += "# data: " + one_line(r.description) + "\n";
  s += "# model: " + model_title(r.model) + "; log-likelihood " + fixed(r.log_likelihood, 3) + ", AIC " +
       fixed(r.aic, 3) + (r.converged ? "" : "; NOT CONVERGED") + "\n";
  s += "# Standard errors from the observed information; 95% intervals of positive\n";
  s += "# terms on the log scale. The scenario's other terms (groups' offending_multiplier,\n";
  s += "# age_multipliers, supervision_multiplier, pathways) still multiply this hazard.\n";
  s += "# Covariates must name attributes the simulated people have: built-ins (age,\n";
  s += "# female, previous_sanctions, ...) or columns of the scenario's person file.\n";
  s += "offending:\n  baseline:\n";
  const auto comment = [](const FitParameter& q) {
    return "   # SE " + sig(q.se, 3) + ", 95% CI " + interval_text(q, 4);
  };
  switch (r.model.model) {
    case HazardModel::exponential: {
      const auto& a = r.parameter("first_year_hazard");
      s += "    weibull:\n";
      s += "      first_year_hazard: " + exact(a.estimate) + comment(a) + "\n";
      s += "      shape: 1   # fixed: exponential model\n";
      break;
    }
    case HazardModel::weibull: {
      const auto& a = r.parameter("first_year_hazard");
      const auto& k = r.parameter("shape");
      s += "    weibull:\n";
      s += "      first_year_hazard: " + exact(a.estimate) + comment(a) + "\n";
      s += "      shape: " + exact(k.estimate) + comment(k) + "\n";
      break;
    }
    case HazardModel::log_logistic: {
      const auto& a = r.parameter("first_year_hazard");
      const auto& al = r.parameter("scale_days");
      const auto& b = r.parameter("shape");
      s += "    log_logistic:\n";
      s += "      first_year_hazard: " + exact(a.estimate) + comment(a) + "\n";
      s += "      scale_days: " + exact(al.estimate) + comment(al) + "\n";
      s += "      shape: " + exact(b.estimate) + comment(b) + "\n";
      break;
    }
    case HazardModel::piecewise_constant: {
      s += "    piecewise_constant:\n      start_day: [";
      for (std::size_t j = 0; j < r.model.breaks_days.size(); ++j)
        s += (j ? ", " : "") + exact(r.model.breaks_days[j]);
      s += "]\n      rate_per_year:\n";
      for (std::size_t j = 0; j < r.model.breaks_days.size(); ++j) {
        const auto& q = r.parameters[j];
        s += "        - " + exact(q.estimate) + "   # " + q.note + ": SE " + sig(q.se, 3) + ", 95% CI " +
             interval_text(q, 4) + "\n";
      }
      break;
    }
  }
  if (r.model.cure) {
    const auto& q = r.parameter("never_reoffend_share");
    s += "  never_reoffend_share: " + exact(q.estimate) + comment(q) + "\n";
  } else {
    s += "  never_reoffend_share: 0   # not fitted (no --cure): the fitted model has no immune share\n";
  }
  s += "  frailty_variance: 0   # the fitted model has no frailty\n";
  if (r.covariates.empty()) {
    s += "  covariates: {}   # none fitted\n";
  } else {
    s += "  covariates:\n";
    for (const auto& q : r.parameters) {
      if (!q.covariate) continue;
      s += "    " + yaml_key(q.name) + ":\n";
      s += "      coefficient: " + exact(q.estimate) + "   # SE " + sig(q.se, 3) + "; hazard ratio " +
           sig(q.hazard_ratio, 4) + " per unit (95% CI " + sig(q.hazard_ratio_lower, 4) + " to " +
           sig(q.hazard_ratio_upper, 4) + ")\n";
      s += "      centre: 0\n";
    }
  }
  return s;
}

}  // namespace desist
