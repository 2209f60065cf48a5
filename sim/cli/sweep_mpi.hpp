// A sweep across MPI ranks. Rank 0 coordinates: it hands row indices to the
// other ranks one at a time as they ask (a dynamic queue, so slow points do
// not hold up fast ones), stores what comes back and writes the file. Every
// rank reads the sweep itself; a fingerprint check makes sure they all read
// the same inputs. Without an MPI build, or when not launched by mpirun, the
// world is one rank and none of this runs.
#pragma once

#include <atomic>
#include <functional>
#include <vector>

#include "desist/sweep.hpp"

namespace desist::cli::mpi {

struct World {
  int rank = 0;
  int size = 1;
};

// Starts MPI when this process was launched by mpirun (and desist was built
// with it); otherwise the world of one rank.
World start();
// Ends MPI if start() began it.
void finish();

// Rank 0: runs the rows not yet done on ranks 1…size−1; `tick` is called
// after each row arrives (for checkpoints). Stops handing out rows once
// `cancel` is set, gathers those still running, and throws Cancelled.
void coordinate(const Sweep& sweep, const std::vector<SweepPoint>& points, SweepRows& rows,
                std::atomic<std::size_t>* rows_done, const std::atomic<bool>* cancel,
                const std::function<void()>& tick);

// Ranks 1…size−1: run rows as rank 0 hands them out, until it says stop.
void work(const Sweep& sweep, const std::vector<SweepPoint>& points, int threads);

}  // namespace desist::cli::mpi
