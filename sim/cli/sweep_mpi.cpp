#include "sweep_mpi.hpp"

#include <cstdlib>
#include <stdexcept>

#ifdef DESIST_WITH_MPI
#include <mpi.h>

#include <cstring>
#include <deque>
#include <optional>
#include <string>

#include "desist/parallel.hpp"
#endif

namespace desist::cli::mpi {

namespace {
// Launched by mpirun (Open MPI, or a PMI/PMIx process manager such as Slurm's)?
bool launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMIX_RANK") || std::getenv("PMI_SIZE");
}
}  // namespace

#ifndef DESIST_WITH_MPI

World start() {
  if (launched_by_mpirun())
    throw std::runtime_error("this desist was built without MPI: every rank would run the whole sweep. Install "
                             "libopenmpi-dev and rebuild (scripts/install-deps; CMake option DESIST_WITH_MPI)");
  return {};
}
void finish() {}
void coordinate(const Sweep&, const std::vector<SweepPoint>&, SweepRows&, std::atomic<std::size_t>*,
                const std::atomic<bool>*, const std::function<void()>&) {
  throw std::logic_error("desist was built without MPI");
}
void work(const Sweep&, const std::vector<SweepPoint>&, int) { throw std::logic_error("desist was built without MPI"); }

#else

namespace {

bool started = false;

enum Tag : int { ready = 1, result = 2, assign = 3, stop = 4, failed = 5 };

// A message as bytes: MPI_Probe first, so any length arrives whole.
struct Message {
  int source = 0;
  int tag = 0;
  std::vector<char> bytes;
};

Message receive(int source) {
  MPI_Status status;
  MPI_Probe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  Message m{status.MPI_SOURCE, status.MPI_TAG, std::vector<char>(static_cast<std::size_t>(count))};
  MPI_Recv(m.bytes.data(), count, MPI_BYTE, m.source, m.tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return m;
}

void send(int to, Tag tag, const void* data, std::size_t size) {
  MPI_Send(data, static_cast<int>(size), MPI_BYTE, to, tag, MPI_COMM_WORLD);
}

template <class T>
T read_at(const std::vector<char>& bytes, std::size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

}  // namespace

World start() {
  if (!launched_by_mpirun()) return {};
  int provided = 0;
  // Rank 0 talks to MPI from its sweep thread, never two threads at once.
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    throw std::runtime_error("the MPI library does not allow calls from a thread other than the main one");
  }
  started = true;
  World w;
  MPI_Comm_rank(MPI_COMM_WORLD, &w.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &w.size);
  return w;
}

void finish() {
  if (started) MPI_Finalize();
  started = false;
}

void coordinate(const Sweep& sweep, const std::vector<SweepPoint>& points, SweepRows& rows,
                std::atomic<std::size_t>* rows_done, const std::atomic<bool>* cancel,
                const std::function<void()>& tick) {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const std::uint64_t fingerprint = sweep_fingerprint(sweep, points);
  std::deque<std::uint64_t> queue;
  for (std::size_t row = 0; row < rows.rows(); ++row)
    if (!rows.done(row)) queue.push_back(row);
  std::optional<std::string> error;
  int working = size - 1;
  while (working > 0) {
    const Message m = receive(MPI_ANY_SOURCE);
    if (m.tag == ready) {
      if (m.bytes.size() != sizeof fingerprint || read_at<std::uint64_t>(m.bytes, 0) != fingerprint)
        error = "rank " + std::to_string(m.source) + " read other inputs (the sweep, scenario or option files differ "
                "between machines)";
    } else if (m.tag == result) {
      SweepRow row;
      const auto index = read_at<std::uint64_t>(m.bytes, 0);
      row.checksum = read_at<std::uint64_t>(m.bytes, 8);
      row.values.resize((m.bytes.size() - 16) / sizeof(double));
      std::memcpy(row.values.data(), m.bytes.data() + 16, row.values.size() * sizeof(double));
      rows.store(index, std::move(row));
      if (rows_done) ++*rows_done;
      tick();
    } else if (m.tag == failed) {
      error = "rank " + std::to_string(m.source) + ": " + std::string(m.bytes.begin(), m.bytes.end());
    }
    if (!error && !(cancel && cancel->load()) && !queue.empty()) {
      const std::uint64_t row = queue.front();
      queue.pop_front();
      send(m.source, assign, &row, sizeof row);
    } else {
      send(m.source, stop, nullptr, 0);
      --working;
    }
  }
  if (error) throw std::runtime_error(*error);
  if (!queue.empty()) throw Cancelled();
}

void work(const Sweep& sweep, const std::vector<SweepPoint>& points, int threads) {
  const std::uint64_t fingerprint = sweep_fingerprint(sweep, points);
  send(0, ready, &fingerprint, sizeof fingerprint);
  ThreadArena arena(threads);
  const auto replicates = static_cast<std::size_t>(sweep.design.replicates);
  // Rows come in point order, so one point's scenarios serve its replicates.
  std::optional<PointScenarios> scenarios;
  std::size_t scenarios_point = 0;
  for (;;) {
    const Message m = receive(0);
    if (m.tag != assign) return;
    const auto index = read_at<std::uint64_t>(m.bytes, 0);
    const std::size_t point = index / replicates;
    try {
      if (!scenarios || scenarios_point != point) {
        scenarios = point_scenarios(sweep, points[point], point);
        scenarios_point = point;
      }
      SweepRow row;
      arena.execute([&] { row = run_sweep_row(sweep, *scenarios, point, static_cast<int>(index % replicates)); });
      std::vector<char> bytes(16 + row.values.size() * sizeof(double));
      std::memcpy(bytes.data(), &index, 8);
      std::memcpy(bytes.data() + 8, &row.checksum, 8);
      std::memcpy(bytes.data() + 16, row.values.data(), row.values.size() * sizeof(double));
      send(0, result, bytes.data(), bytes.size());
    } catch (const std::exception& e) {
      const std::string what = e.what();
      send(0, failed, what.data(), what.size());
      // Rank 0 answers with stop.
    }
  }
}

#endif

}  // namespace desist::cli::mpi
