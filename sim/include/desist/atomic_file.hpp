// Writing an output file so that an interruption never leaves a partial file
// under its final name: write to a temporary file beside it, flush it to disk,
// then rename it over the final name.
#pragma once

#include <string>

namespace desist {

class AtomicOutput {
 public:
  explicit AtomicOutput(std::string path);
  ~AtomicOutput();  // removes the temporary file unless committed
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  // Where to write; in the same directory as the final path, so rename is atomic.
  const std::string& temporary_path() const { return temporary_; }
  // fsyncs the temporary file and renames it to the final path. Throws std::runtime_error.
  void commit();

 private:
  std::string path_;
  std::string temporary_;
  bool committed_ = false;
};

// Writes text to `path` atomically. Throws std::runtime_error naming the path.
void write_text_atomically(const std::string& path, const std::string& text);

}  // namespace desist
