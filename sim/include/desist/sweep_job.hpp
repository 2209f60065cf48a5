// A sweep run to the end or to an interruption, with its file kept as the
// checkpoint (docs/sweeps.md, "Long runs"): the rows a previous file holds are
// restored, the rest run on a worker thread while the calling thread rewrites
// the file with the rows done so far, and the file is written once more at the
// end, also after Ctrl-C or an error. Shared by `desist sweep` and the Python
// package's desist.sweep, which differ only in how they show progress and
// where their cancel flag comes from.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "desist/sweep.hpp"
#include "desist/sweep_analysis.hpp"

namespace desist {

// Runs the rows of `rows` not yet done, counting each one finished in
// `rows_done` and calling `tick` after it; stops with Cancelled once `cancel`
// is set. run_sweep on this process's threads, or the MPI coordinator.
using SweepWork = std::function<void(SweepRows& rows, std::atomic<std::size_t>* rows_done,
                                     const std::atomic<bool>* cancel, const std::function<void()>& tick)>;

// run_sweep with `threads` worker threads (0: all cores).
SweepWork local_sweep_work(const Sweep& sweep, const std::vector<SweepPoint>& points, int threads);

// Puts back in `rows` the rows done in the sweep file `out` (which must be
// this sweep's: read_sweep_rows); false when there is no such file yet.
bool resume_sweep_rows(SweepRows& rows, const Sweep& sweep, const std::vector<SweepPoint>& points,
                       const std::string& out);

struct SweepJobOptions {
  std::string out;                   // the HDF5 file, also the checkpoint; empty: none is written
  double checkpoint_seconds = 60.0;  // rewrite `out` at most this often while rows complete
  std::atomic<std::size_t>* rows_done = nullptr;  // rows finished by this job (not those restored)
  const std::atomic<bool>* cancel = nullptr;
};

struct SweepJobResult {
  SweepRows::Snapshot rows;
  SweepAnalysis analysis;
  bool cancelled = false;  // stopped by `cancel`: `rows` (and `out`) hold the rows done
};

// Runs `work` on `rows` and writes `out` (checkpoints, then the final file).
// An error other than Cancelled is rethrown after `out` is written with the
// rows done before it.
SweepJobResult run_sweep_job(const Sweep& sweep, const std::vector<SweepPoint>& points, SweepRows& rows,
                             const SweepJobOptions& options, const SweepWork& work);

}  // namespace desist
