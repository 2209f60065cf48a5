// ThreadArena and parallel_loop (desist/parallel.hpp): the same meaning on TBB
// and, in the ThreadSanitizer build, on std::threads.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "desist/error.hpp"
#include "desist/parallel.hpp"

using namespace desist;

namespace {
// Waits until `flag` is set, or 10 s have passed.
void wait_for(const std::atomic<bool>& flag) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!flag && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::microseconds(100));
}
}  // namespace

TEST_CASE("parallel_loop runs each index once, on several threads but no more than the arena's", "[threads]") {
  for (const int threads : {1, 2, 4}) {
    CAPTURE(threads);
    std::vector<std::atomic<int>> runs(1000);
    std::atomic<int> active{0}, most{0};
    std::mutex mutex;
    std::condition_variable seen_two;
    std::set<std::thread::id> ids;
    ThreadArena(threads).execute([&] {
      parallel_loop(runs.size(), [&](std::size_t i) {
        const int now = ++active;
        for (int m = most; now > m && !most.compare_exchange_weak(m, now);) {
        }
        {
          // Hold each body until a second thread has joined in (10 s at most),
          // so a busy machine cannot leave the loop to one thread.
          std::unique_lock lock(mutex);
          ids.insert(std::this_thread::get_id());
          if (threads > 1) {
            seen_two.notify_all();
            seen_two.wait_for(lock, std::chrono::seconds(10), [&] { return ids.size() >= 2; });
          }
        }
        ++runs[i];
        --active;
      });
    });
    std::size_t once = 0;
    for (const auto& r : runs) once += r == 1 ? 1 : 0;
    CHECK(once == runs.size());
    CHECK(most <= threads);
    CHECK(ids.size() >= (threads > 1 ? 2u : 1u));
  }
}

TEST_CASE("an exception from a loop body leaves the loop", "[threads]") {
  auto loop = [] {
    ThreadArena(2).execute([] {
      parallel_loop(1000, [](std::size_t i) {
        if (i == 500) throw std::runtime_error("index 500");
      });
    });
  };
  CHECK_THROWS_WITH(loop(), "index 500");
}

TEST_CASE("a loop inside a loop that is stopping throws Cancelled, not a short result", "[threads]") {
  // Index 0 of the outer loop throws once index 1's inner loop is under way;
  // the inner loop would take 10 s to finish, so it can only end early, and
  // must say so.
  std::atomic<bool> inner_started{false}, thrown{false};
  std::atomic<int> inner_runs{0}, inner_whole{0};
  std::atomic<bool> inner_cancelled{false};
  auto loop = [&] {
    ThreadArena(2).execute([&] {
      parallel_loop(2, [&](std::size_t i) {
        if (i == 0) {
          wait_for(inner_started);
          thrown = true;
          throw std::runtime_error("outer stops");
        }
        try {
          parallel_loop(10000, [&](std::size_t) {
            inner_started = true;
            wait_for(thrown);
            ++inner_runs;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          });
        } catch (const Cancelled&) {
          inner_cancelled = true;
          throw;
        }
        ++inner_whole;
      });
    });
  };
  CHECK_THROWS_WITH(loop(), "outer stops");
  CHECK(inner_started);
  CHECK(inner_cancelled);
  CHECK(inner_whole == 0);
  CHECK(inner_runs < 10000);
}
