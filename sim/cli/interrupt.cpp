#include "interrupt.hpp"

#include <csignal>

namespace desist::cli {

std::atomic<bool> interrupted{false};

namespace {
void on_signal(int signal) {
  interrupted = true;
  std::signal(signal, SIG_DFL);
}
}  // namespace

StopOnSignals::StopOnSignals() {
  interrupted = false;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

StopOnSignals::~StopOnSignals() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

}  // namespace desist::cli
