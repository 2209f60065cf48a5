// The HDF5 results file of a run. Layout reference: docs/output.md.
#pragma once

#include <string>

#include "desist/comparison.hpp"
#include "desist/experiment.hpp"
#include "desist/option.hpp"
#include "desist/scenario.hpp"

namespace desist {

// Writes the results of a run atomically: to a temporary file in the same
// directory, flushed and fsync'd, then renamed over `path`. An interrupted write
// never leaves a partial file under `path`.
//
// The file is byte-for-byte reproducible for the same inputs: no timestamps,
// fixed chunk sizes, deterministic compression. (The /diagnostics timings are
// inputs too: two runs of a scenario differ there and nowhere else.)
//
// Throws std::runtime_error naming `path` on any failure (missing directory,
// disk full, ragged replicate data); the temporary file is removed and any
// existing file under `path` is left as it was.
void write_results_hdf5(const std::string& path, const Scenario& scenario, const RunResult& result);

// A comparison: /base and /options/<key> in the layout of a run file (as
// groups), and /comparison/<key> with the paired differences, throughput and
// economics of each option (docs/output.md). Written atomically likewise.
void write_comparison_hdf5(const std::string& path, const Scenario& base, const std::vector<Option>& options,
                           const ComparisonRun& run, const std::vector<OptionComparison>& comparisons);

}  // namespace desist
