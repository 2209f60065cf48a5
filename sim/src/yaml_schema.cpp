#include "desist/yaml_schema.hpp"

namespace desist {

namespace {
thread_local SchemaRecorder* active_recorder = nullptr;
}

SchemaRecording::SchemaRecording(SchemaRecorder& recorder) : previous_(active_recorder) {
  active_recorder = &recorder;
}

SchemaRecording::~SchemaRecording() { active_recorder = previous_; }

SchemaRecorder* SchemaRecording::active() { return active_recorder; }

SchemaKey& SchemaRecorder::at(const std::string& path) {
  auto [it, added] = index_.emplace(path, keys_.size());
  if (added) keys_.push_back(SchemaKey{path, {}, {}, {}, false, {}});
  return keys_[it->second];
}

std::vector<SchemaKey> SchemaRecorder::keys() const { return keys_; }

std::vector<std::string> SchemaRecorder::unread() const {
  std::vector<std::string> out;
  for (const auto& key : keys_) {
    const std::string prefix = key.path.empty() ? "" : key.path + ".";
    if (index_.count(prefix + "<name>")) continue;  // a map of named entries: its allowed keys are the names
    for (const auto& allowed : key.allowed) {
      auto it = index_.find(prefix + allowed);
      if (it == index_.end() || keys_[it->second].types.empty()) out.push_back(prefix + allowed);
    }
  }
  return out;
}

}  // namespace desist
