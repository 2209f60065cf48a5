// Loading a cohort from a CSV file of person records (columns in docs/cohort.md).
//
// The file is tokenised and checked as CSV by csv::read_table (csv_table.hpp):
// quoting, UTF-8, the header's names and every record's number of fields. This
// file checks the columns and values, record by record as they are read.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "csv_table.hpp"
#include "desist/cohort.hpp"
#include "desist/error.hpp"
#include "desist/names.hpp"

namespace desist {
namespace {

// ---------------------------------------------------------------- text helpers

using csv::trim;

// A value as it appears in a message: quoted, control characters escaped,
// long values shortened.
std::string shown(std::string_view text) {
  constexpr std::size_t max_shown = 40;
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < max_shown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      out += '?';
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > max_shown) out += "...";
  return out + "'";
}

std::string number_text(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

bool close_enough(std::string_view word, std::string_view candidate) {
  std::string a(word), b(candidate);
  for (auto& ch : a) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (auto& ch : b) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return edit_distance(a, b) <= std::max<std::size_t>(2, b.size() / 4);
}

enum class NumberStatus { ok, empty, not_a_number, not_finite };

struct ParsedNumber {
  NumberStatus status = NumberStatus::empty;
  double value = 0.0;
};

// A decimal number filling the whole (trimmed) text; an optional leading '+'.
ParsedNumber parse_number(std::string_view text) {
  text = trim(text);
  if (text.empty()) return {NumberStatus::empty, 0.0};
  if (text.size() > 1 && text.front() == '+' && text[1] != '-' && text[1] != '+') {
    text.remove_prefix(1);
  }
  double value = 0.0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(first, last, value, std::chars_format::general);
  if (ptr != last) return {NumberStatus::not_a_number, 0.0};
  if (ec == std::errc::result_out_of_range) return {NumberStatus::not_finite, 0.0};
  if (ec != std::errc()) return {NumberStatus::not_a_number, 0.0};
  if (!std::isfinite(value)) return {NumberStatus::not_finite, value};
  return {NumberStatus::ok, value};
}

// ------------------------------------------------------------------- columns

enum Column : int {
  col_group = 0,
  col_sex,
  col_age,
  col_offence,
  col_previous_sanctions,
  col_age_at_first_sanction,
  col_iom,
  col_index_day,
  col_sentence_days,
  col_ogrs3,
  col_area,
  column_count,
};

constexpr std::array<const char*, column_count> column_names = {
    "group", "sex",       "age",           "offence", "previous_sanctions", "age_at_first_sanction",
    "iom",   "index_day", "sentence_days", "ogrs3", "area",
};

constexpr std::array<bool, column_count> column_required = {
    true, true, true, true, true, false, false, false, false, false, false,
};

constexpr std::string_view need_prefix = "need_";

constexpr double min_age = 10.0;
constexpr double max_age = 110.0;
constexpr double max_previous_sanctions = 65535.0;
constexpr double max_float = static_cast<double>(std::numeric_limits<float>::max());

const char* to_text(IndexEvent e) {
  switch (e) {
    case IndexEvent::release:
      return "release";
    case IndexEvent::order_start:
      return "order_start";
    case IndexEvent::other:
      return "other";
  }
  return "other";
}

// One field of a record, or a column the file does not have (column == 0).
struct Cell {
  int line = 0;
  int column = 0;         // 1-based; 0 when the file has no such column
  std::string name;       // column name
  std::string_view text;  // raw value; empty when absent
  bool present() const { return column > 0; }
  bool blank() const { return trim(text).empty(); }
};

// ------------------------------------------------------------------- loader

// Turns the records csv::read_table hands over into a Cohort: the header, then
// one person per record.
class Loader {
 public:
  Loader(const std::string& path, const Parameters& p) : path_(path), p_(p) {
    pos_.fill(-1);
    for (const auto& g : p_.cohort.groups) group_names_.push_back(g.name);
    for (const auto& w : p_.pathways) pathway_names_.push_back(w.name);
    for (int i = 0; i < ogrs3_offence_count; ++i) {
      offence_names_.emplace_back(to_string(static_cast<Ogrs3Offence>(i)));
    }
  }

  Cohort finish() { return std::move(cohort_); }

  // The header (csv::read_table has checked its names are non-empty and
  // unique): which column is which.
  void header(const csv::Table& table) {
    const int line = table.header_line;
    names_ = table.names;
    need_pos_.assign(p_.pathways.size(), -1);
    for (std::size_t i = 0; i < names_.size(); ++i) {
      const int col = static_cast<int>(i) + 1;
      const std::string& name = names_[i];
      const auto builtin = std::find_if(column_names.begin(), column_names.end(),
                                        [&](const char* n) { return name == n; });
      if (builtin != column_names.end()) {
        pos_[static_cast<std::size_t>(builtin - column_names.begin())] = static_cast<int>(i);
      } else if (name.compare(0, need_prefix.size(), need_prefix) == 0) {
        const std::string pathway = name.substr(need_prefix.size());
        const auto k = std::find(pathway_names_.begin(), pathway_names_.end(), pathway);
        if (k == pathway_names_.end()) {
          std::string message = "column '" + name + "' does not name a pathway";
          if (pathway_names_.empty()) {
            message += ": the scenario defines no pathways";
          } else {
            message += "; " + suggestion(pathway, pathway_names_, need_prefix) +
                       " (pathways: " + join(pathway_names_) + ")";
          }
          fail(line, col, name, message);
        }
        const auto index = static_cast<std::size_t>(k - pathway_names_.begin());
        if (index >= static_cast<std::size_t>(max_pathways)) {
          fail(line, col, name,
               "at most " + std::to_string(max_pathways) +
                   " pathways can be read from a person file");
        }
        need_pos_[index] = static_cast<int>(i);
      } else {
        const auto& attributes = Cohort::builtin_attributes();
        if (std::find(attributes.begin(), attributes.end(), name) != attributes.end()) {
          fail(line, col, name,
               "column '" + name +
                   "' has the name of a built-in person attribute, which is "
                   "derived from the other columns; give the column another name");
        }
        extra_pos_.push_back(static_cast<int>(i));
        cohort_.extra_names.push_back(name);
      }
    }

    for (int k = 0; k < column_count; ++k) {
      if (!column_required[static_cast<std::size_t>(k)] || pos_[static_cast<std::size_t>(k)] >= 0) {
        continue;
      }
      const std::string wanted = column_names[static_cast<std::size_t>(k)];
      std::string message = "missing required column '" + wanted + "'";
      for (const int e : extra_pos_) {
        if (close_enough(names_[static_cast<std::size_t>(e)], wanted)) {
          message += " (column " + std::to_string(e + 1) + " is named '" +
                     names_[static_cast<std::size_t>(e)] + "'; did you mean '" + wanted +
                     "'? column names are case-sensitive)";
          break;
        }
      }
      message += "; the header has: " + join(names_);
      fail(line, 0, wanted, message);
    }

    if (p_.cohort.groups.size() > 256) {
      fail(0, 0, "", "a person file can be used only with at most 256 sentence groups");
    }
    // The scenario's covariates may name columns of this file; each must exist.
    std::vector<std::string> attributes = Cohort::builtin_attributes();
    attributes.insert(attributes.end(), cohort_.extra_names.begin(), cohort_.extra_names.end());
    for (const Covariate& cov : p_.offending.covariates) {
      if (std::find(attributes.begin(), attributes.end(), cov.attribute) != attributes.end()) {
        continue;
      }
      fail(line, 0, "offending.covariates." + cov.attribute,
           "the scenario's offending covariate '" + cov.attribute +
               "' is neither a built-in person attribute nor a column of this file; " +
               suggestion(cov.attribute, attributes) + " (extra columns: " +
               (cohort_.extra_names.empty() ? std::string("none") : join(cohort_.extra_names)) +
               ")");
    }
    cohort_.extra_columns.assign(extra_pos_.size(), {});
  }

  // A record after the header, as many fields as it has, each valid UTF-8
  // (csv::read_table): one person.
  void record(const csv::Row& row) {
    const int line = row.line;
    const std::vector<std::string>& fields = row.fields;

    // Sentence group.
    const Cell group_cell = cell(line, fields, col_group);
    const std::string group_name = name_value(group_cell, "the name of a sentence group");
    const auto g = std::find(group_names_.begin(), group_names_.end(), group_name);
    if (g == group_names_.end()) {
      if (group_names_.empty()) {
        fail(group_cell, "unknown sentence group " + shown(group_name) +
                             ": the scenario defines no sentence groups");
      }
      fail(group_cell, "unknown sentence group " + shown(group_name) + "; " +
                           suggestion(group_name, group_names_) +
                           " (groups: " + join(group_names_) + ")");
    }
    const auto group = static_cast<std::size_t>(g - group_names_.begin());
    const SentenceGroup& sg = p_.cohort.groups[group];

    // Sex.
    const Cell sex_cell = cell(line, fields, col_sex);
    const std::string sex_text = name_value(sex_cell, "male or female (or m / f)");
    const std::optional<Sex> sex = parse_sex(sex_text);
    if (!sex) fail(sex_cell, "expected male or female (or m / f), got " + shown(sex_text));

    // Age.
    const double age =
        number(cell(line, fields, col_age), "a number between 10 and 110", min_age, max_age);

    // Offence.
    const Cell offence_cell = cell(line, fields, col_offence);
    const std::string offence_text = name_value(offence_cell, "an OGRS3 offence category");
    const std::optional<Ogrs3Offence> offence = parse_ogrs3_offence(offence_text);
    if (!offence) {
      fail(offence_cell, "unknown OGRS3 offence category " + shown(offence_text) + "; " +
                             suggestion(offence_text, offence_names_) +
                             " (categories are listed in docs/cohort.md)");
    }

    // Sanction history.
    const double previous =
        whole_number(cell(line, fields, col_previous_sanctions),
                     "a whole number between 0 and 65535", 0.0, max_previous_sanctions);
    const Cell first_cell = cell(line, fields, col_age_at_first_sanction);
    double first = age;
    if (first_cell.present() && !first_cell.blank()) {
      first = number(first_cell, "a number between 10 and the age (" + number_text(age) + ")",
                     min_age, age);
    } else if (previous > 0.0) {
      fail(first_cell, std::string("missing value: age_at_first_sanction is required when "
                                   "previous_sanctions is greater than 0") +
                           (first_cell.present() ? "" : " (the file has no such column)"));
    }

    // Area: one of the scenario's; the first when the file has none.
    std::size_t area = 0;
    const Cell area_cell = cell(line, fields, col_area);
    if (area_cell.present() && !area_cell.blank()) {
      const std::string area_name = name_value(area_cell, "the name of an area");
      const auto a = std::find(p_.cohort.areas.begin(), p_.cohort.areas.end(), area_name);
      if (a == p_.cohort.areas.end())
        fail(area_cell, "unknown area " + shown(area_name) + "; " + suggestion(area_name, p_.cohort.areas));
      area = static_cast<std::size_t>(a - p_.cohort.areas.begin());
    }

    // Supervision and timing.
    const std::uint8_t iom = flag(cell(line, fields, col_iom));
    const Cell day_cell = cell(line, fields, col_index_day);
    double index_day = 0.0;
    if (day_cell.present() && !day_cell.blank()) {
      index_day = number(day_cell, "a number of days, 0 or more", 0.0, max_float);
    }
    const Cell sentence_cell = cell(line, fields, col_sentence_days);
    const bool needs_sentence =
        sg.index_event == IndexEvent::release || sg.index_event == IndexEvent::order_start;
    double sentence_days = 0.0;
    if (needs_sentence) {
      const std::string expected = "a number of days greater than 0 (group '" + sg.name +
                                   "' has index event " + to_text(sg.index_event) + ")";
      if (!sentence_cell.present()) {
        fail(sentence_cell,
             "missing value: expected " + expected + " but the file has no sentence_days column");
      }
      sentence_days = number(sentence_cell, expected, 0.0, max_float, false);
      if (sentence_days <= 0.0) {
        fail(sentence_cell, "expected " + expected + ", got " + shown(sentence_cell.text));
      }
    } else if (sentence_cell.present() && !sentence_cell.blank()) {
      sentence_days = number(sentence_cell, "a number of days, 0 or more", 0.0, max_float);
    }

    // Needs at index.
    std::uint8_t needs = 0;
    for (std::size_t k = 0; k < need_pos_.size(); ++k) {
      if (need_pos_[k] < 0) continue;
      if (flag(cell_at(line, fields, need_pos_[k])) != 0) {
        needs = static_cast<std::uint8_t>(needs | (1u << k));
      }
    }

    // Extra numeric columns.
    std::vector<double> extras(extra_pos_.size());
    for (std::size_t e = 0; e < extra_pos_.size(); ++e) {
      const Cell c = cell_at(line, fields, extra_pos_[e]);
      const ParsedNumber r = parse_number(c.text);
      if (r.status == NumberStatus::ok) {
        extras[e] = r.value;
        continue;
      }
      std::string message =
          "column '" + c.name +
          "' is not a known column, so it is read as a numeric covariate: "
          "expected a finite number in every row, got " +
          (r.status == NumberStatus::empty ? std::string("an empty value") : shown(c.text));
      for (const char* known : column_names) {
        if (close_enough(c.name, known)) {
          message += std::string(" (did you mean '") + known + "'?)";
          break;
        }
      }
      fail(c, message);
    }

    // Stored values (OGRS3 is computed from them, so it agrees with the cohort).
    const auto age_f = static_cast<float>(age);
    const auto first_f = static_cast<float>(first);
    const auto previous_u = static_cast<std::uint16_t>(previous);

    const Cell ogrs_cell = cell(line, fields, col_ogrs3);
    double two_year = 0.0;
    if (ogrs_cell.present() && !ogrs_cell.blank()) {
      two_year =
          number(ogrs_cell, "an OGRS3 2-year probability strictly between 0 and 1", 0.0, 1.0, true);
    } else {
      Ogrs3Input in{};
      in.sex = *sex;
      in.age_years = static_cast<double>(age_f);
      in.offence = *offence;
      in.previous_sanctions = static_cast<int>(previous_u);
      in.age_at_first_sanction_years = static_cast<double>(first_f);
      try {
        two_year = ogrs3(in).two_year;
      } catch (const std::invalid_argument& e) {
        fail(line, 0, "ogrs3", std::string("cannot compute OGRS3 for this person: ") + e.what());
      }
    }

    cohort_.group.push_back(static_cast<std::uint8_t>(group));
    cohort_.sex.push_back(*sex);
    cohort_.age.push_back(age_f);
    cohort_.offence.push_back(*offence);
    cohort_.previous_sanctions.push_back(previous_u);
    cohort_.age_at_first_sanction.push_back(first_f);
    cohort_.iom.push_back(iom);
    cohort_.area.push_back(static_cast<std::uint8_t>(area));
    cohort_.index_day.push_back(static_cast<float>(index_day));
    cohort_.sentence_days.push_back(static_cast<float>(sentence_days));
    cohort_.needs.push_back(needs);
    cohort_.ogrs3_two_year.push_back(two_year);
    for (std::size_t e = 0; e < extras.size(); ++e) cohort_.extra_columns[e].push_back(extras[e]);
  }

 private:
  [[noreturn]] void fail(int line, int column, const std::string& key,
                         const std::string& message) const {
    throw InputError(SourceLocation{path_, line, column, key}, message);
  }

  [[noreturn]] void fail(const Cell& c, const std::string& message) const {
    fail(c.line, c.column, c.name, message);
  }

  Cell cell(int line, const std::vector<std::string>& fields, Column k) const {
    Cell c;
    c.line = line;
    c.name = column_names[static_cast<std::size_t>(k)];
    const int pos = pos_[static_cast<std::size_t>(k)];
    if (pos >= 0) {
      c.column = pos + 1;
      c.text = fields[static_cast<std::size_t>(pos)];
    }
    return c;
  }

  Cell cell_at(int line, const std::vector<std::string>& fields, int pos) const {
    Cell c;
    c.line = line;
    c.column = pos + 1;
    c.name = names_[static_cast<std::size_t>(pos)];
    c.text = fields[static_cast<std::size_t>(pos)];
    return c;
  }

  // A number in [lo, hi] (or (lo, hi) when open); `expected` describes it.
  double number(const Cell& c, const std::string& expected, double lo, double hi,
                bool open = false) const {
    const ParsedNumber r = parse_number(c.text);
    switch (r.status) {
      case NumberStatus::empty:
        fail(c, "missing value: expected " + expected);
      case NumberStatus::not_a_number:
        fail(c, "expected " + expected + ", got " + shown(c.text));
      case NumberStatus::not_finite:
        fail(c,
             "expected " + expected + ", got " + shown(c.text) + ", which is not a finite number");
      case NumberStatus::ok:
        break;
    }
    const bool inside = open ? (r.value > lo && r.value < hi) : (r.value >= lo && r.value <= hi);
    if (!inside) fail(c, "expected " + expected + ", got " + shown(c.text) + " (out of range)");
    return r.value;
  }

  double whole_number(const Cell& c, const std::string& expected, double lo, double hi) const {
    const double v = number(c, expected, lo, hi);
    if (v != std::floor(v)) fail(c, "expected " + expected + ", got " + shown(c.text));
    return v;
  }

  // 0 or 1; an absent column or empty value is 0.
  std::uint8_t flag(const Cell& c) const {
    if (!c.present() || c.blank()) return 0;
    const ParsedNumber r = parse_number(c.text);
    if (r.status != NumberStatus::ok || (r.value != 0.0 && r.value != 1.0)) {
      fail(c, "expected 0 or 1, got " + shown(c.text));
    }
    return r.value == 1.0 ? 1 : 0;
  }

  std::string name_value(const Cell& c, const char* what) const {
    const std::string_view v = trim(c.text);
    if (v.empty()) fail(c, std::string("missing value: expected ") + what);
    return std::string(v);
  }

  const std::string& path_;
  const Parameters& p_;
  std::vector<std::string> group_names_;
  std::vector<std::string> pathway_names_;
  std::vector<std::string> offence_names_;

  std::vector<std::string> names_;
  std::array<int, column_count> pos_{};  // 0-based position of each built-in column, -1 if absent
  std::vector<int> need_pos_;            // per pathway
  std::vector<int> extra_pos_;
  Cohort cohort_;
};

}  // namespace

Cohort load_cohort_csv(const std::string& path, const Parameters& p) {
  Loader loader(path, p);
  csv::read_table(
      path, csv::Options{"person file", "person"}, [&](const csv::Table& header) { loader.header(header); },
      [&](csv::Row&& row) { loader.record(row); });
  return loader.finish();
}

}  // namespace desist
