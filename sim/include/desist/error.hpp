// Errors in what a user wrote: a scenario, an override or a person file.
// They carry where the mistake is so the message can name file, line, column and key.
#pragma once

#include <stdexcept>
#include <string>

namespace desist {

struct SourceLocation {
  std::string file;     // path, or "--set" for a command-line override
  int line = 0;         // 1-based; 0 when unknown
  int column = 0;       // 1-based; 0 when unknown
  std::string key_path; // e.g. "cohort.groups.custody_under_12m.share"
};

// Thrown for any input the user must correct; front-ends exit with status 2.
class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, const std::string& message)
      : std::runtime_error(format(where, message)), where_(std::move(where)), message_(message) {}

  const SourceLocation& where() const { return where_; }
  const std::string& message() const { return message_; }

 private:
  static std::string format(const SourceLocation& w, const std::string& message) {
    std::string s = w.file.empty() ? std::string("<input>") : w.file;
    if (w.line > 0) s += ":" + std::to_string(w.line);
    if (w.column > 0) s += ":" + std::to_string(w.column);
    s += ": ";
    if (!w.key_path.empty()) s += "'" + w.key_path + "': ";
    return s + message;
  }
  SourceLocation where_;
  std::string message_;
};

// Thrown when a run is asked to stop (Ctrl-C, a cancelled Python call).
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("the run was cancelled") {}
  explicit Cancelled(const std::string& what) : std::runtime_error(what) {}  // saying what was kept
};

}  // namespace desist
