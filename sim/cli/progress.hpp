// A progress bar on stderr for runs longer than a second (only on a terminal).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <thread>

namespace desist::cli {

class ProgressBar {
 public:
  ProgressBar(const std::atomic<std::size_t>& done, std::size_t total, bool enabled);
  ~ProgressBar();  // stops and clears the line
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

 private:
  void loop();
  void draw(double elapsed);

  const std::atomic<std::size_t>& done_;
  std::size_t total_;
  std::atomic<bool> stop_{false};
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::thread thread_;
};

}  // namespace desist::cli
