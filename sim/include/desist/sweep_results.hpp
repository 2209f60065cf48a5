// A sweep's results file (HDF5) and its JSON summary. Layout reference:
// docs/sweeps.md. The file is also the checkpoint: written whole and
// atomically each time, with the rows done so far, so an interrupted sweep
// leaves a valid file that `desist sweep --resume` continues from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "desist/sweep.hpp"
#include "desist/sweep_analysis.hpp"

namespace desist {

// Byte-for-byte reproducible: the same sweep and rows give the same bytes,
// whatever the threads, ranks or interruptions that produced them (no timings
// are stored). Throws std::runtime_error naming `path` on failure; a previous
// file under `path` is then left as it was.
void write_sweep_hdf5(const std::string& path, const Sweep& sweep, const std::vector<SweepPoint>& points,
                      const SweepRows::Snapshot& rows, const SweepAnalysis& analysis);

// The same file's bytes, built in memory (for the Python package, which reads
// a sweep in memory and a sweep file through the same code). `name` labels
// the image in errors and must differ between images built at the same time.
std::vector<char> sweep_hdf5_image(const std::string& name, const Sweep& sweep, const std::vector<SweepPoint>& points,
                                   const SweepRows::Snapshot& rows, const SweepAnalysis& analysis);

// The rows done in a sweep file, for resuming. Throws InputError when the file
// belongs to another sweep (or another version of this one, or of desist).
SweepRows::Snapshot read_sweep_rows(const std::string& path, const Sweep& sweep, const std::vector<SweepPoint>& points);

// Per-point summaries and the analyses, as JSON.
std::string sweep_json(const Sweep& sweep, const std::vector<SweepPoint>& points, const SweepRows::Snapshot& rows,
                       const SweepAnalysis& analysis);

}  // namespace desist
