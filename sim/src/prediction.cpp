#include "desist/prediction.hpp"

#include <algorithm>
#include <array>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csv_table.hpp"
#include "desist/error.hpp"
#include "desist/names.hpp"

namespace desist {

// ---- chance alone ---------------------------------------------------------------

namespace {

using binomial = boost::math::binomial_distribution<double>;

// P(X ≤ k)
double cdf_at(const binomial& b, std::uint64_t k) { return boost::math::cdf(b, static_cast<double>(k)); }

// min{k : P(X ≤ k) ≥ q}, from Boost's quantile adjusted by exact CDF checks.
std::uint64_t quantile_at_least(const binomial& b, std::uint64_t n, double q) {
  double guess = 0.0;
  try {
    guess = boost::math::quantile(b, q);
  } catch (const std::exception&) {
    guess = q < 0.5 ? 0.0 : static_cast<double>(n);
  }
  auto k = static_cast<std::uint64_t>(std::clamp(std::floor(guess), 0.0, static_cast<double>(n)));
  while (k > 0 && cdf_at(b, k - 1) >= q) --k;
  while (k < n && cdf_at(b, k) < q) ++k;
  return k;
}

}  // namespace

BinomialInterval binomial_interval(std::uint64_t n, double p, double level) {
  if (n == 0) return {0, 0};
  if (p <= 0.0) return {0, 0};
  if (p >= 1.0) return {n, n};
  const binomial b(static_cast<double>(n), p);
  const double tail = (1.0 - level) / 2.0;
  return {quantile_at_least(b, n, tail), quantile_at_least(b, n, 1.0 - tail)};
}

const char* to_string(ChanceFlag f) {
  switch (f) {
    case ChanceFlag::above: return "above";
    case ChanceFlag::below: return "below";
    default: return "within";
  }
}

AreaComparison compare_area(const std::string& area, std::uint64_t cohort_size, double predicted_rate,
                            double actual_rate, double level) {
  AreaComparison c;
  c.area = area;
  c.cohort_size = cohort_size;
  c.predicted_rate = predicted_rate;
  c.actual_rate = actual_rate;
  const double n = static_cast<double>(cohort_size);
  const BinomialInterval i = binomial_interval(cohort_size, predicted_rate, level);
  c.lower_rate = n > 0 ? static_cast<double>(i.lower) / n : 0.0;
  c.upper_rate = n > 0 ? static_cast<double>(i.upper) / n : 0.0;
  // Rates read from a file are rounded: compare with a little slack.
  const double slack = 1e-9;
  if (actual_rate < c.lower_rate - slack)
    c.flag = ChanceFlag::below;
  else if (actual_rate > c.upper_rate + slack)
    c.flag = ChanceFlag::above;
  const double variance = predicted_rate * (1.0 - predicted_rate) / n;
  c.z = variance > 0 ? (actual_rate - predicted_rate) / std::sqrt(variance)
                     : (actual_rate == predicted_rate ? 0.0 : std::numeric_limits<double>::quiet_NaN());
  if (predicted_rate > 0.0 && predicted_rate < 1.0 && cohort_size > 0) {
    const binomial b(n, predicted_rate);
    const auto k = static_cast<std::uint64_t>(std::llround(std::clamp(actual_rate, 0.0, 1.0) * n));
    const double at_most = cdf_at(b, k);
    const double at_least = k == 0 ? 1.0 : boost::math::cdf(boost::math::complement(b, static_cast<double>(k - 1)));
    c.p_value = std::min(1.0, 2.0 * std::min(at_most, at_least));
  } else {
    c.p_value = c.flag == ChanceFlag::within ? 1.0 : 0.0;
  }
  return c;
}

// ---- the CSV file --------------------------------------------------------------------

namespace {

using csv::trim;

const std::array<std::string, 4> column_names{"area", "cohort_size", "predicted_rate", "actual_rate"};

// Checks the columns and values of the records csv::read_table hands over.
class Reader {
 public:
  Reader(std::string path, double level) : path_(std::move(path)), level_(level) {}

  // The header (names trimmed, non-empty and unique): exactly the four columns, in any order.
  void header(const csv::Table& table) {
    pos_.fill(-1);
    const std::vector<std::string> allowed(column_names.begin(), column_names.end());
    for (std::size_t i = 0; i < table.names.size(); ++i) {
      const std::string& name = table.names[i];
      const auto it = std::find(column_names.begin(), column_names.end(), name);
      if (it == column_names.end())
        fail(table.header_line, static_cast<int>(i) + 1, name,
             "unknown column '" + name + "'; " + suggestion(name, allowed));
      pos_[static_cast<std::size_t>(it - column_names.begin())] = static_cast<int>(i);
    }
    for (std::size_t k = 0; k < column_names.size(); ++k)
      if (pos_[k] < 0) fail(table.header_line, 0, column_names[k], "missing column '" + column_names[k] + "'");
  }

  // A record of as many fields as the header: one area.
  void row(const csv::Row& row) {
    const int line = row.line;
    auto pos = [&](int c) { return static_cast<std::size_t>(pos_[static_cast<std::size_t>(c)]); };
    auto cell = [&](int c) { return std::string(trim(row.fields[pos(c)])); };
    auto col = [&](int c) { return static_cast<int>(pos(c)) + 1; };
    const std::string area = cell(0);
    if (area.empty()) fail(line, col(0), "area", "the area needs a name");
    for (const auto& a : out_.areas)
      if (a.area == area) fail(line, col(0), "area", "area '" + area + "' is listed twice (first on line " + std::to_string(a.line) + ")");
    const std::uint64_t size = count(line, col(1), cell(1));
    const double predicted = rate(line, col(2), "predicted_rate", cell(2));
    const double actual = rate(line, col(3), "actual_rate", cell(3));
    AreaComparison c = compare_area(area, size, predicted, actual, level_);
    c.line = line;
    out_.areas.push_back(std::move(c));
  }

  PredictionComparison finish() {
    out_.file = path_;
    out_.level = level_;
    std::uint64_t people = 0;
    double predicted = 0.0, actual = 0.0;
    for (const auto& a : out_.areas) {
      people += a.cohort_size;
      predicted += a.predicted_rate * static_cast<double>(a.cohort_size);
      actual += a.actual_rate * static_cast<double>(a.cohort_size);
    }
    out_.total = compare_area("all areas", people, predicted / static_cast<double>(people),
                              actual / static_cast<double>(people), level_);
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(int line, int column, const std::string& key, const std::string& message) const {
    throw InputError(SourceLocation{path_, line, column, key}, message);
  }

  std::uint64_t count(int line, int column, const std::string& s) const {
    std::size_t used = 0;
    double x = 0.0;
    try {
      x = std::stod(s, &used);
    } catch (...) {
      used = 0;
    }
    if (s.empty() || used != s.size() || !std::isfinite(x) || x != std::floor(x) || x < 1.0 || x > 1e15)
      fail(line, column, "cohort_size", "expected a whole number of people (at least 1), got '" + s + "'");
    return static_cast<std::uint64_t>(x);
  }

  double rate(int line, int column, const std::string& key, const std::string& s) const {
    std::string number = s;
    const bool percent = !number.empty() && number.back() == '%';
    if (percent) number = std::string(trim(std::string_view(number).substr(0, number.size() - 1)));
    std::size_t used = 0;
    double x = 0.0;
    try {
      x = std::stod(number, &used);
    } catch (...) {
      used = 0;
    }
    if (number.empty() || used != number.size() || !std::isfinite(x))
      fail(line, column, key, "expected a rate (a proportion such as 0.33, or a percentage such as 33%), got '" + s + "'");
    if (percent) x /= 100.0;
    if (!percent && x > 1.0 && x <= 100.0) {
      char proportion[32];
      std::snprintf(proportion, sizeof proportion, "%g", x / 100.0);
      fail(line, column, key, "a rate is a proportion between 0 and 1: write " + s + "% or " + proportion + ", not " + s);
    }
    if (x < 0.0 || x > 1.0) fail(line, column, key, "a rate must lie between 0 and 1 (0% and 100%), got '" + s + "'");
    return x;
  }

  std::string path_;
  double level_;
  std::array<int, 4> pos_{};
  PredictionComparison out_;
};

}  // namespace

PredictionComparison load_predicted_vs_actual(const std::string& path, double level) {
  Reader reader(path, level);
  csv::read_table(
      path, csv::Options{"areas file", "area", true}, [&](const csv::Table& header) { reader.header(header); },
      [&](csv::Row&& row) { reader.row(row); });
  return reader.finish();
}


// ---- output ----------------------------------------------------------------------------

namespace {

std::string percent(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100.0 * x);
  return buffer;
}

std::string thousands(std::uint64_t x) {
  std::string digits = std::to_string(x);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::vector<std::string> row_of(const AreaComparison& a) {
  char z[32], p[32];
  if (std::isfinite(a.z))
    std::snprintf(z, sizeof z, "%+.2f", a.z);
  else
    std::snprintf(z, sizeof z, "-");
  std::snprintf(p, sizeof p, a.p_value < 0.001 ? "%.1e" : "%.3f", a.p_value);
  return {a.area, thousands(a.cohort_size), percent(a.predicted_rate), percent(a.actual_rate),
          percent(a.lower_rate) + " to " + percent(a.upper_rate), z, p,
          a.flag == ChanceFlag::within ? "" : std::string(to_string(a.flag)) + " chance"};
}

nlohmann::ordered_json json_area(const AreaComparison& a) {
  return {{"area", a.area},
          {"cohort_size", a.cohort_size},
          {"predicted_rate", a.predicted_rate},
          {"actual_rate", a.actual_rate},
          {"chance_low", a.lower_rate},
          {"chance_high", a.upper_rate},
          {"outside", a.flag != ChanceFlag::within},
          {"flag", to_string(a.flag)},
          {"z", a.z},
          {"p_value", a.p_value}};
}

}  // namespace

std::string prediction_table(const PredictionComparison& c) {
  char level[32];
  std::snprintf(level, sizeof level, "%g%%", 100.0 * c.level);
  std::vector<std::vector<std::string>> rows{{"area", "cohort", "predicted", "actual",
                                              std::string(level) + " range from chance", "z", "p", ""}};
  for (const auto& a : c.areas) rows.push_back(row_of(a));
  rows.push_back(row_of(c.total));
  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], display_width(r[i]));
  std::string out = "predicted against actual proven reoffending: " + c.file + "\n";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (r + 1 == rows.size()) {
      std::size_t total = 2;
      for (std::size_t w : width) total += w + 2;
      out += "  " + std::string(total - 4, '-') + "\n";
    }
    std::string line = "  ";
    for (std::size_t i = 0; i < rows[r].size(); ++i) {
      const std::string pad(width[i] - display_width(rows[r][i]), ' ');
      line += (i == 0 || i + 1 == rows[r].size()) ? rows[r][i] + pad : pad + rows[r][i];
      if (i + 1 < rows[r].size()) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  std::size_t outside = 0;
  for (const auto& a : c.areas) outside += a.flag != ChanceFlag::within;
  char expected[64];
  std::snprintf(expected, sizeof expected, "%.1f", (1.0 - c.level) * static_cast<double>(c.areas.size()));
  out += "  " + std::to_string(outside) + " of " + std::to_string(c.areas.size()) +
         " areas lie outside the range chance alone gives (about " + expected +
         " would by chance, were every prediction right)\n";
  return out;
}

std::string prediction_json(const PredictionComparison& c) {
  nlohmann::ordered_json out;
  out["program"] = "desist";
  out["file"] = c.file;
  out["level"] = c.level;
  out["areas"] = nlohmann::ordered_json::array();
  for (const auto& a : c.areas) out["areas"].push_back(json_area(a));
  out["total"] = json_area(c.total);
  return out.dump(2) + "\n";
}

}  // namespace desist
