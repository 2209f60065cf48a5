#include "desist/yaml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "desist/yaml_schema.hpp"

namespace desist {

bool Range::contains(double x) const {
  if (min_open ? !(x > min) : !(x >= min)) return false;
  if (max_open ? !(x < max) : !(x <= max)) return false;
  return true;
}

std::string readable_number(double x) {
  // Whole numbers in full ("1000000", not "1e+06"): ranges, defaults and messages are read by people.
  if (x == std::floor(x) && std::abs(x) < 1e16) return std::to_string(static_cast<long long>(x));
  std::ostringstream s;
  s << x;
  return s.str();
}

std::string Range::describe() const {
  const bool has_min = std::isfinite(min), has_max = std::isfinite(max);
  if (has_min && has_max) {
    return "between " + readable_number(min) + (min_open ? " (exclusive)" : "") + " and " + readable_number(max) +
           (max_open ? " (exclusive)" : "");
  }
  if (has_min) return (min_open ? "greater than " : "at least ") + readable_number(min);
  if (has_max) return (max_open ? "less than " : "at most ") + readable_number(max);
  return "a finite number";
}

// ---- the document -----------------------------------------------------------

namespace {
YAML::Node parse(const std::string& text, const std::string& name) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError({name, e.mark.line + 1, e.mark.column + 1, ""}, "malformed YAML: " + e.msg);
  }
}

// The item number `part` names in a list of `size` items: digits only, written
// as the key path of the item is ("0", not "00", "+0" or "0x").
std::size_t item_number(const std::string& part, std::size_t size, const SourceLocation& where) {
  std::size_t index = 0;
  try {
    index = std::stoul(part);
  } catch (...) {
    throw InputError(where, "'" + part + "' should be an item number of the list");
  }
  if (std::to_string(index) != part) throw InputError(where, "'" + part + "' should be an item number of the list");
  if (index >= size) throw InputError(where, "item " + part + " is past the end of the list");
  return index;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(path);
  while (std::getline(in, part, '.')) parts.push_back(part);
  if (!path.empty() && path.back() == '.') parts.emplace_back();  // getline drops a trailing empty key
  return parts;
}
}  // namespace

YamlDocument YamlDocument::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0, ""}, "cannot open the file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return load_string(buffer.str(), path);
}

YamlDocument YamlDocument::load_string(const std::string& text, const std::string& name) {
  YamlDocument doc;
  doc.file = name;
  doc.text = text;
  doc.root = parse(text, name);
  if (!doc.root.IsMap()) throw InputError({name, 1, 1, ""}, "a scenario must be a YAML map of keys to values");
  return doc;
}

void YamlDocument::apply_override(const std::string& expression) {
  const auto eq = expression.find('=');
  const SourceLocation where{"--set " + expression, 0, 0, eq == std::string::npos ? "" : expression.substr(0, eq)};
  if (eq == std::string::npos || eq == 0) throw InputError(where, "an override must look like path.to.key=value");
  const std::string path = expression.substr(0, eq);
  const std::vector<std::string> parts = split_path(path);
  if (std::any_of(parts.begin(), parts.end(), [](const std::string& s) { return s.empty(); }))
    throw InputError(where, "empty key in the path");
  YAML::Node value;
  try {
    value = YAML::Load(expression.substr(eq + 1));
  } catch (const YAML::Exception& e) {
    throw InputError(where, "the value is not valid YAML: " + e.msg);
  }
  // Walk down, creating maps for keys the file leaves out (validation then
  // checks that each created key is known).
  YAML::Node node = root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (node.IsSequence()) {
      node.reset(node[item_number(parts[i], node.size(), where)]);
    } else {
      if (node.IsScalar()) throw InputError(where, "'" + parts[i - 1] + "' holds a value, not keys");
      if (!node[parts[i]]) node[parts[i]] = YAML::Node(YAML::NodeType::Map);
      node.reset(node[parts[i]]);
    }
  }
  if (node.IsScalar()) throw InputError(where, "'" + parts[parts.size() - 2] + "' holds a value, not keys");
  if (node.IsSequence()) {
    node[item_number(parts.back(), node.size(), where)] = value;
  } else {
    node[parts.back()] = value;
  }
  overrides.emplace_back(path, "--set " + expression);
}

namespace {
void merge(YAML::Node into, const YAML::Node& from, const std::string& path, const std::string& file,
           std::vector<std::pair<std::string, std::string>>& overlaid) {
  for (const auto& kv : from) {
    const std::string key = kv.first.as<std::string>();
    const std::string at = path.empty() ? key : path + "." + key;
    YAML::Node existing = into[key];
    // Sections merge key by key; each key's value is replaced whole (a fitted
    // baseline replaces the base's, whatever its shape).
    if (path.empty() && existing && existing.IsMap() && kv.second.IsMap()) {
      merge(existing, kv.second, at, file, overlaid);
    } else {
      // A new key keeps its own node, so an unknown key is located in the overlay.
      if (existing) into[key] = kv.second;
      else into.force_insert(kv.first, kv.second);
      overlaid.emplace_back(at, file);
    }
  }
}
}  // namespace

void YamlDocument::apply_overlay(const YamlDocument& overlay) {
  merge(root, overlay.root, "", overlay.file, overlaid);
  text += "\n# ---- overlay " + overlay.file + "\n" + overlay.text;
}

std::string exact_number(double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

std::string YamlDocument::effective_text() const {
  if (overrides.empty()) return text;
  YAML::Emitter out;
  out << root;
  std::string s = "# " + file + " with overrides:";
  for (const auto& o : overrides) s += " " + o.second;
  return s + "\n" + out.c_str() + "\n";
}

// ---- nodes ------------------------------------------------------------------

YamlNode::YamlNode(std::shared_ptr<const YamlDocument> doc, YAML::Node node, std::string path)
    : doc_(std::move(doc)), node_(std::move(node)), path_(std::move(path)), schema_path_(path_) {}

// The schema is recorded only while a SchemaRecording is in scope; callers check
// SchemaRecording::active() first, so ordinary reading formats no range texts.

std::string YamlNode::schema_path_of(const std::string& key) const {
  return schema_path_.empty() ? key : schema_path_ + "." + key;
}

void YamlNode::record(const std::string& type, const std::string& range) const {
  SchemaKey& key = SchemaRecording::active()->at(schema_path_);
  key.types.insert(type);
  if (!range.empty()) key.ranges.insert(range);
}

void YamlNode::record_default(const std::string& key, const std::string& type, const std::string& range,
                              const std::string& fallback) const {
  SchemaKey& k = SchemaRecording::active()->at(schema_path_of(key));
  k.types.insert(type);
  if (!range.empty()) k.ranges.insert(range);
  k.defaults.insert(fallback);
}

SourceLocation YamlNode::location() const {
  // An overridden key (or anything under it) is reported as the override.
  const YAML::Mark m = node_.Mark();
  for (const auto& [path, expression] : doc_->overrides) {
    if (path_ == path || path_.rfind(path + ".", 0) == 0) return {expression, 0, 0, path_};
    // A key or map the override created on its way down to the key it sets (not in the file).
    if (m.is_null() && path.rfind(path_ + ".", 0) == 0) return {expression, 0, 0, path_};
  }
  // Anything an overlay file set is reported in that file.
  std::string file = doc_->file;
  for (const auto& [path, overlay] : doc_->overlaid)
    if (path_ == path || path_.rfind(path + ".", 0) == 0) file = overlay;
  if (m.is_null()) return {file, 0, 0, path_};
  return {file, m.line + 1, m.column + 1, path_};
}

InputError YamlNode::error(const std::string& message) const { return InputError(location(), message); }

YamlNode YamlNode::child(const YAML::Node& node, const std::string& key, const std::string& schema_key) const {
  YamlNode out(doc_, node, path_.empty() ? key : path_ + "." + key);
  out.schema_path_ = schema_path_of(schema_key);
  return out;
}

void YamlNode::expect_keys(const std::vector<std::string>& allowed) const {
  if (SchemaRecorder* schema = SchemaRecording::active()) {
    record("map");
    // The union: a scenario's root and an option file's root share the path "".
    auto& known = schema->at(schema_path_).allowed;
    for (const auto& key : allowed)
      if (std::find(known.begin(), known.end(), key) == known.end()) known.push_back(key);
  }
  if (!node_.IsMap()) throw error("expected a map of keys (key: value)");
  std::vector<std::string> seen;
  for (const auto& kv : node_) {
    if (kv.first.IsSequence() || kv.first.IsMap())  // as<std::string>() would throw YAML::BadConversion
      throw YamlNode(doc_, kv.first, path_).error("a key must be a word, not a list or a map");
    const std::string key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      YamlNode at(doc_, kv.first, path_.empty() ? key : path_ + "." + key);
      throw at.error("unknown key '" + key + "'; " + suggestion(key, allowed));
    }
    // yaml-cpp keeps both entries of a repeated key, and lookups see the first.
    if (std::find(seen.begin(), seen.end(), key) != seen.end())
      throw child(kv.first, key).error("duplicate key '" + key + "'");
    seen.push_back(key);
  }
}

bool YamlNode::has(const std::string& key) const {
  const YAML::Node& n = node_;
  return n.IsMap() && static_cast<bool>(n[key]);
}

YamlNode YamlNode::required(const std::string& key) const {
  if (SchemaRecorder* schema = SchemaRecording::active()) schema->at(schema_path_of(key)).required = true;
  return lookup(key);
}

YamlNode YamlNode::lookup(const std::string& key) const {
  if (!node_.IsMap()) throw error("expected a map of keys (key: value)");
  const YAML::Node& n = node_;
  YAML::Node value = n[key];
  if (!value) throw error("missing required key '" + key + "'");
  if (value.IsNull()) {
    // yaml-cpp marks an empty value where the next token starts (often the next
    // line), so point at its key, as entries() does.
    for (const auto& kv : node_)
      if (kv.first.IsScalar() && kv.first.Scalar() == key) throw child(kv.first, key).error("a value is required");
    throw child(value, key).error("a value is required");
  }
  return child(value, key);
}

std::optional<YamlNode> YamlNode::optional(const std::string& key) const {
  if (SchemaRecorder* schema = SchemaRecording::active()) schema->at(schema_path_of(key));  // first read here
  if (!has(key)) return std::nullopt;
  return lookup(key);
}

std::vector<std::pair<std::string, YamlNode>> YamlNode::entries() const {
  if (SchemaRecording::active()) record("map");
  if (!node_.IsMap()) throw error("expected a map of keys (key: value)");
  std::vector<std::pair<std::string, YamlNode>> out;
  for (const auto& kv : node_) {
    if (kv.first.IsSequence() || kv.first.IsMap())  // as<std::string>() would throw YAML::BadConversion
      throw YamlNode(doc_, kv.first, path_).error("a key must be a word, not a list or a map");
    const std::string key = kv.first.as<std::string>();
    for (const auto& seen : out)
      if (seen.first == key) throw child(kv.first, key).error("duplicate key '" + key + "'");
    if (kv.second.IsNull()) throw child(kv.first, key).error("a value is required");
    out.emplace_back(key, child(kv.second, key, "<name>"));
  }
  return out;
}

std::vector<YamlNode> YamlNode::items() const {
  if (SchemaRecording::active()) record("list");
  if (!node_.IsSequence()) throw error("expected a list ([a, b, ...] or lines starting with '-')");
  std::vector<YamlNode> out;
  for (std::size_t i = 0; i < node_.size(); ++i) {
    out.push_back(child(node_[i], std::to_string(i)));
    out.back().schema_path_ = schema_path_ + "[]";
  }
  return out;
}

double YamlNode::number(const Range& range) const {
  if (SchemaRecording::active()) record("number", range.describe());
  return parse_number(range);
}

double YamlNode::parse_number(const Range& range) const {
  if (!node_.IsScalar()) throw error("expected a number, " + range.describe());
  const std::string s = node_.Scalar();
  double x = 0.0;
  std::size_t used = 0;
  try {
    x = std::stod(s, &used);
  } catch (...) {
    used = 0;
  }
  // YAML's spellings of NaN and infinity (std::stod reads none of them).
  const std::string magnitude = !s.empty() && (s[0] == '-' || s[0] == '+') ? s.substr(1) : s;
  const bool yaml_special = s == ".nan" || s == ".NaN" || s == ".NAN" || magnitude == ".inf" || magnitude == ".Inf" ||
                            magnitude == ".INF";
  if (used != s.size() || s.empty() || yaml_special || !std::isfinite(x)) {
    if (yaml_special || (used == s.size() && !s.empty()))
      throw error("expected a finite number, got '" + s + "'");
    throw error("expected a number, got '" + s + "'");
  }
  if (!range.contains(x)) throw error("must be " + range.describe() + ", got " + s);
  return x;
}

long long YamlNode::integer(long long min, long long max) const {
  const Range range = Range::between(static_cast<double>(min), static_cast<double>(max));
  if (SchemaRecording::active()) record("integer", range.describe());
  const double x = parse_number(range);
  if (x != std::floor(x)) throw error("expected a whole number, got " + node_.Scalar());
  return static_cast<long long>(x);
}

bool YamlNode::boolean() const {
  if (SchemaRecording::active()) record("true or false");
  if (node_.IsScalar()) {
    const std::string s = node_.Scalar();
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  throw error("expected true or false");
}

std::string YamlNode::text() const {
  if (SchemaRecording::active()) record("text");
  if (!node_.IsScalar()) throw error("expected text");
  return node_.Scalar();
}

namespace {
std::string word_list(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}
}  // namespace

std::string YamlNode::choice(const std::vector<std::string>& words) const {
  if (SchemaRecording::active()) record("word", word_list(words));
  if (!node_.IsScalar()) throw error("expected text");
  const std::string s = node_.Scalar();
  if (std::find(words.begin(), words.end(), s) == words.end())
    throw error("'" + s + "' is not allowed; " + suggestion(s, words));
  return s;
}

double YamlNode::number_or(const std::string& key, double fallback, const Range& range) const {
  if (SchemaRecording::active()) record_default(key, "number", range.describe(), readable_number(fallback));
  if (auto n = optional(key)) return n->number(range);
  return fallback;
}

long long YamlNode::integer_or(const std::string& key, long long fallback, long long min, long long max) const {
  if (SchemaRecording::active())
    record_default(key, "integer", Range::between(static_cast<double>(min), static_cast<double>(max)).describe(),
                   std::to_string(fallback));
  if (auto n = optional(key)) return n->integer(min, max);
  return fallback;
}

bool YamlNode::boolean_or(const std::string& key, bool fallback) const {
  if (SchemaRecording::active()) record_default(key, "true or false", "", fallback ? "true" : "false");
  if (auto n = optional(key)) return n->boolean();
  return fallback;
}

std::string YamlNode::text_or(const std::string& key, const std::string& fallback) const {
  if (SchemaRecording::active()) record_default(key, "text", "", "\"" + fallback + "\"");
  if (auto n = optional(key)) return n->text();
  return fallback;
}

std::string YamlNode::choice_or(const std::string& key, const std::string& fallback,
                                const std::vector<std::string>& words) const {
  if (SchemaRecording::active()) record_default(key, "word", word_list(words), fallback);
  if (auto n = optional(key)) return n->choice(words);
  return fallback;
}

}  // namespace desist

