// Threads: how many the kernel's parallel work may use (ThreadArena) and its
// one parallel loop (parallel_loop), behind one seam with two backends.
//
// Production runs on TBB. A ThreadSanitizer build (DESIST_SANITIZE=thread
// defines DESIST_STD_THREADS) runs the same loops on plain std::threads
// instead: Debian's libtbb is not instrumented, so TSan cannot see the
// synchronisation inside its scheduler and reports every hand-off as a race,
// while thread start and join it understands. Both backends give the loop
// bodies the same meaning:
//  - a loop runs each index once, on at most its arena's threads;
//  - an exception from a body stops the loop's remaining indices and leaves
//    the loop (the first one, if several bodies throw);
//  - a loop inside a body of a loop that is stopping throws Cancelled. TBB
//    would skip its remaining iterations silently (in a sweep: another row
//    failed or was stopped), handing back a half-filled result as if it were
//    whole; so a result is either complete or never seen.
#pragma once

#include <cstddef>
#include <utility>

#include "desist/error.hpp"

#ifdef DESIST_STD_THREADS
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>
#else
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>
#endif

namespace desist {

#ifndef DESIST_STD_THREADS

// Runs work with at most `threads` threads for its loops (0: every hardware thread).
class ThreadArena {
 public:
  explicit ThreadArena(int threads) : arena_(threads > 0 ? threads : tbb::task_arena::automatic) {}
  template <class Work>
  decltype(auto) execute(Work&& work) {
    return arena_.execute(std::forward<Work>(work));
  }

 private:
  tbb::task_arena arena_;
};

template <class Body>
void parallel_loop(std::size_t count, const Body& body) {
  tbb::parallel_for(std::size_t{0}, count, body);
  if (tbb::is_current_task_group_canceling()) throw Cancelled();
}

#else

namespace std_threads {

// Threads a loop may start beside its own: the arena's count less those in use,
// shared by nested loops, so an arena never runs more than its count at once.
class Slots {
 public:
  explicit Slots(int threads)
      : spare_((threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))) - 1) {}
  bool take() {
    int s = spare_.load();
    while (s > 0 && !spare_.compare_exchange_weak(s, s - 1)) {
    }
    return s > 0;
  }
  void give_back() { spare_.fetch_add(1); }

 private:
  std::atomic<int> spare_;
};

// One running loop: stopping once a body has thrown or a loop around it is stopping.
struct Loop {
  const Loop* outer = nullptr;
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::exception_ptr error;  // the first body's exception

  bool stopping() const {
    for (const Loop* l = this; l; l = l->outer)
      if (l->failed.load(std::memory_order_relaxed)) return true;
    return false;
  }
  void fail(std::exception_ptr e) {
    std::lock_guard lock(mutex);
    if (!error) error = std::move(e);
    failed = true;
  }
};

// Where the calling thread's loops run: its arena (none: every hardware thread) and the loop it is in.
inline thread_local Slots* current_slots = nullptr;
inline thread_local const Loop* current_loop = nullptr;
inline Slots& process_slots() {
  static Slots slots(0);
  return slots;
}

// Sets the calling thread's arena and loop for a scope.
class Within {
 public:
  Within(Slots* slots, const Loop* loop) : slots_(current_slots), loop_(current_loop) {
    current_slots = slots;
    current_loop = loop;
  }
  ~Within() {
    current_slots = slots_;
    current_loop = loop_;
  }
  Within(const Within&) = delete;
  Within& operator=(const Within&) = delete;

 private:
  Slots* slots_;
  const Loop* loop_;
};

}  // namespace std_threads

class ThreadArena {
 public:
  explicit ThreadArena(int threads) : slots_(threads) {}
  template <class Work>
  decltype(auto) execute(Work&& work) {
    const std_threads::Within within(&slots_, std_threads::current_loop);
    return std::forward<Work>(work)();
  }

 private:
  std_threads::Slots slots_;
};

// The calling thread and as many of its arena's spare threads as the loop has
// indices to share, each taking the next index from one counter.
template <class Body>
void parallel_loop(std::size_t count, const Body& body) {
  using namespace std_threads;
  Slots& slots = current_slots ? *current_slots : process_slots();
  Loop loop;
  loop.outer = current_loop;
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    const Within within(&slots, &loop);
    try {
      for (std::size_t i; !loop.stopping() && (i = next.fetch_add(1)) < count;) body(i);
    } catch (...) {
      loop.fail(std::current_exception());
    }
  };
  std::vector<std::thread> helpers;
  while (helpers.size() + 1 < count && slots.take())
    helpers.emplace_back([&] {
      work();
      slots.give_back();  // now, not at the join: the loop's other threads may still start nested loops
    });
  work();
  for (std::thread& t : helpers) t.join();
  if (loop.error) std::rethrow_exception(loop.error);
  if (loop.outer && loop.outer->stopping()) throw Cancelled();
}

#endif

}  // namespace desist
