#include "desist/sweep_job.hpp"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>

#include "desist/error.hpp"
#include "desist/sweep_results.hpp"

namespace desist {

SweepWork local_sweep_work(const Sweep& sweep, const std::vector<SweepPoint>& points, int threads) {
  return [&sweep, &points, threads](SweepRows& rows, std::atomic<std::size_t>* rows_done,
                                    const std::atomic<bool>* cancel, const std::function<void()>&) {
    SweepRunOptions options;
    options.threads = threads;
    options.rows_done = rows_done;
    options.cancel = cancel;
    run_sweep(sweep, points, rows, options);
  };
}

bool resume_sweep_rows(SweepRows& rows, const Sweep& sweep, const std::vector<SweepPoint>& points,
                       const std::string& out) {
  if (!std::filesystem::exists(out)) return false;
  rows.restore(read_sweep_rows(out, sweep, points));
  return true;
}

SweepJobResult run_sweep_job(const Sweep& sweep, const std::vector<SweepPoint>& points, SweepRows& rows,
                             const SweepJobOptions& options, const SweepWork& work) {
  const std::size_t already = rows.completed();
  std::atomic<std::size_t> own_count{0};
  std::atomic<std::size_t>& rows_done = options.rows_done ? *options.rows_done : own_count;
  // The work stops on the caller's cancel flag (passed on within one wait
  // below) or when a checkpoint cannot be written.
  std::atomic<bool> stop{false};
  auto cancel_requested = [&] { return options.cancel && options.cancel->load(); };

  // Every file is written from this thread: checkpoints while the rows run,
  // then the final (or partial) file.
  auto write = [&] {
    SweepJobResult r;
    r.rows = rows.snapshot();
    r.analysis = analyse_sweep(sweep, points, r.rows);
    if (!options.out.empty()) write_sweep_hdf5(options.out, sweep, points, r.rows, r.analysis);
    return r;
  };

  std::mutex mutex;
  std::condition_variable changed;
  bool finished = false;
  std::exception_ptr failure, checkpoint_failure;
  std::thread runner([&] {
    try {
      work(rows, &rows_done, &stop, [&] { changed.notify_one(); });
    } catch (...) {
      failure = std::current_exception();
    }
    std::lock_guard lock(mutex);
    finished = true;
    changed.notify_one();
  });
  std::size_t written = already;
  auto last = std::chrono::steady_clock::now();
  {
    std::unique_lock lock(mutex);
    while (!finished) {
      changed.wait_for(lock, std::chrono::milliseconds(100));
      if (cancel_requested()) stop = true;
      const std::chrono::duration<double> since = std::chrono::steady_clock::now() - last;
      if (finished || stop || options.out.empty() || since.count() < options.checkpoint_seconds) continue;
      const std::size_t now = already + rows_done.load();
      if (now == written) continue;
      lock.unlock();
      try {
        write();
      } catch (...) {
        checkpoint_failure = std::current_exception();
        stop = true;
      }
      written = now;
      last = std::chrono::steady_clock::now();
      lock.lock();
    }
  }
  runner.join();
  if (checkpoint_failure) std::rethrow_exception(checkpoint_failure);

  bool cancelled = false;
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const Cancelled&) {
      cancelled = true;
    } catch (...) {
      // Keep what was done before the error, then report it.
      if (!options.out.empty() && rows.completed() > already) write();
      throw;
    }
  }
  SweepJobResult result = write();
  result.cancelled = cancelled;
  return result;
}

}  // namespace desist
