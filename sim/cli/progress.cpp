#include "progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace desist::cli {

ProgressBar::ProgressBar(const std::atomic<std::size_t>& done, std::size_t total, bool enabled)
    : done_(done), total_(total), start_(std::chrono::steady_clock::now()) {
  if (enabled && total_ > 0 && ::isatty(STDERR_FILENO)) thread_ = std::thread([this] { loop(); });
}

ProgressBar::~ProgressBar() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (drawn_) std::fprintf(stderr, "\r\033[K");
}

void ProgressBar::loop() {
  while (!stop_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
    if (elapsed.count() >= 1.0) draw(elapsed.count());
  }
}

void ProgressBar::draw(double elapsed) {
  const double fraction = std::min(1.0, static_cast<double>(done_.load()) / static_cast<double>(total_));
  constexpr int width = 30;
  const int filled = static_cast<int>(fraction * width);
  const std::string bar = std::string(filled, '#') + std::string(width - filled, '-');
  const double left = fraction > 0 ? elapsed * (1.0 - fraction) / fraction : 0.0;
  std::fprintf(stderr, "\r[%s] %5.1f%%  %.0fs elapsed, about %.0fs left\033[K", bar.c_str(), 100.0 * fraction, elapsed,
               left);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace desist::cli
