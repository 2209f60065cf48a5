// Checked reading of YAML input (scenarios now; contracts and sweeps later).
// Every read names the file, line, column and key path of a bad value, unknown
// keys are errors naming the nearest valid key, and command-line overrides
// (--set path.to.key=value) are applied to the tree first and reported as such.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "desist/error.hpp"
#include "desist/names.hpp"

namespace desist {

// An allowed numeric range; bounds are inclusive unless marked open.
struct Range {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_open = false;
  bool max_open = false;

  static Range any() { return {}; }
  static Range non_negative() { return {0.0}; }
  static Range positive() { return {0.0, std::numeric_limits<double>::infinity(), true}; }
  static Range probability() { return {0.0, 1.0}; }
  static Range between(double lo, double hi) { return {lo, hi}; }
  // An event rate per year: at most once a day on average. Every event is
  // simulated one by one, so an unbounded rate could make a run endless.
  static Range rate_per_year() { return {0.0, 365.0}; }
  bool contains(double x) const;
  std::string describe() const;
};

// The parsed document and what was overridden from the command line.
struct YamlDocument {
  std::string file;
  std::string text;  // as read from disk, before overrides
  YAML::Node root;
  std::vector<std::pair<std::string, std::string>> overrides;  // key path, "--set" expression
  std::vector<std::pair<std::string, std::string>> overlaid;   // key path, file it came from

  static YamlDocument load_file(const std::string& path);
  static YamlDocument load_string(const std::string& text, const std::string& name);
  // Applies "path.to.key=value"; the value is read as YAML (a number, a word, [a, list], {a: map}).
  void apply_override(const std::string& expression);
  // Merges another document into this one (an overlay file, e.g. a fitted
  // `offending` section): top-level sections merge key by key, and each key of
  // a section is replaced whole. Errors in what an overlay set are reported at
  // its own file, line and column.
  void apply_overlay(const YamlDocument& overlay);
  // Text of the document after overrides, for the record of what was run.
  std::string effective_text() const;
};

// A number as text that reads back as the same double, for "path=value"
// overrides of values computed by the program (calibration, sweeps).
std::string exact_number(double x);
// A number for people to read: whole numbers in full, others to 6 significant digits.
std::string readable_number(double x);

// A node of the document with its key path, for reading with checks.
class YamlNode {
 public:
  YamlNode(std::shared_ptr<const YamlDocument> doc, YAML::Node node, std::string path);

  const std::string& path() const { return path_; }
  bool is_map() const { return node_.IsMap(); }
  bool is_sequence() const { return node_.IsSequence(); }
  bool is_scalar() const { return node_.IsScalar(); }

  // Errors unless this is a map whose keys are all among `allowed`.
  void expect_keys(const std::vector<std::string>& allowed) const;
  bool has(const std::string& key) const;
  YamlNode required(const std::string& key) const;
  std::optional<YamlNode> optional(const std::string& key) const;
  // Entries of a map, in file order, with each key.
  std::vector<std::pair<std::string, YamlNode>> entries() const;
  // Items of a sequence.
  std::vector<YamlNode> items() const;

  double number(const Range& range = Range::any()) const;
  long long integer(long long min, long long max) const;
  bool boolean() const;
  std::string text() const;
  // One of the given words; an error names the nearest.
  std::string choice(const std::vector<std::string>& words) const;

  // Shorthands for optional keys with a default used only when the key is absent.
  double number_or(const std::string& key, double fallback, const Range& range = Range::any()) const;
  long long integer_or(const std::string& key, long long fallback, long long min, long long max) const;
  bool boolean_or(const std::string& key, bool fallback) const;
  std::string text_or(const std::string& key, const std::string& fallback) const;
  std::string choice_or(const std::string& key, const std::string& fallback, const std::vector<std::string>& words) const;

  // An InputError located at this node (or at the override that set it).
  InputError error(const std::string& message) const;
  // Where this node is (or the override that set it).
  SourceLocation location() const;

 private:
  YamlNode child(const YAML::Node& node, const std::string& key, const std::string& schema_key) const;
  YamlNode child(const YAML::Node& node, const std::string& key) const { return child(node, key, key); }
  // required() without recording it in the schema (optional() is built on it).
  YamlNode lookup(const std::string& key) const;
  double parse_number(const Range& range) const;
  // Record this node's (or child key's) type, range and default in the active
  // schema recorder (yaml_schema.hpp); call only while one is active.
  std::string schema_path_of(const std::string& key) const;
  void record(const std::string& type, const std::string& range = "") const;
  void record_default(const std::string& key, const std::string& type, const std::string& range,
                      const std::string& fallback) const;

  std::shared_ptr<const YamlDocument> doc_;
  YAML::Node node_;
  std::string path_;
  std::string schema_path_;  // path_ with <name> for freely named keys and [] for list items
};

}  // namespace desist
