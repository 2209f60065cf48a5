// The schema a YAML reader enforces, recorded while it reads: every key it asks
// for, the type and range it accepts, whether it is required and the default it
// falls back on. The reader stays the one source of truth; reading files that
// use every key yields the reference (desist schema, docs/scenario-reference.md).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace desist {

// One key of the schema. Its path is generic: a key the file names freely (a
// sentence group, a pathway, an offence) is `<name>`, an item of a list `[]`.
struct SchemaKey {
  std::string path;
  std::set<std::string> types;     // number, integer, true or false, text, one of ..., map, list
  std::set<std::string> ranges;    // Range::describe(), or the words allowed
  std::set<std::string> defaults;  // used when the key is absent
  bool required = false;
  std::vector<std::string> allowed;  // for a map of fixed keys: the keys it allows
};

class SchemaRecorder {
 public:
  // The keys in the order they were first read.
  std::vector<SchemaKey> keys() const;
  // Keys a map allows that no read asked for: what the recorded files leave out.
  std::vector<std::string> unread() const;

  SchemaKey& at(const std::string& path);

 private:
  std::vector<SchemaKey> keys_;
  std::map<std::string, std::size_t> index_;
};

// While one lives, every YamlNode read on this thread records into `recorder`
// (scoped, so ordinary reading pays one null check and needs no extra argument).
class SchemaRecording {
 public:
  explicit SchemaRecording(SchemaRecorder& recorder);
  ~SchemaRecording();
  SchemaRecording(const SchemaRecording&) = delete;
  SchemaRecording& operator=(const SchemaRecording&) = delete;

  // The recorder of this thread, or null.
  static SchemaRecorder* active();

 private:
  SchemaRecorder* previous_;
};

}  // namespace desist
