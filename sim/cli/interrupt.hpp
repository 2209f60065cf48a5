// Ctrl-C for long commands (sweep, pbr): the first Ctrl-C (or SIGTERM) asks
// the work to stop and keep what is done; a second one ends the process at
// once (files on disk are always whole: they are written atomically).
#pragma once

#include <atomic>

namespace desist::cli {

inline constexpr int exit_interrupted = 130;  // 128 + SIGINT, as shells report it

// Set by Ctrl-C or SIGTERM while a StopOnSignals lives; pass it as the work's cancel flag.
extern std::atomic<bool> interrupted;

struct StopOnSignals {
  StopOnSignals();
  ~StopOnSignals();
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;
};

}  // namespace desist::cli
