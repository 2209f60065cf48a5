// A contract evaluation's files: JSON (the summaries) and HDF5 (the summaries
// and, per replicate, the records a contract is priced from, so that
// `desist pbr --results FILE.h5` prices a contract again without simulating).
// Layout reference: docs/pbr.md.
#pragma once

#include <string>
#include <vector>

#include "desist/contract.hpp"
#include "desist/pbr.hpp"

namespace desist {

std::string contract_json(const ContractEvaluation& e);

// Written atomically (atomic_file.hpp); throws std::runtime_error naming `path`.
void write_contract_hdf5(const std::string& path, const Contract& c, const ContractRun& run);

// The recorded replicates of a contract file, with their outcomes in the
// order of `c`'s outcomes: each must have been recorded (same measure and
// windows), or an InputError names it and what the file holds. `seed` gets
// the seed the file was run with. Throws std::runtime_error for a file that
// is not a contract results file.
std::vector<ContractReplicate> read_contract_replicates(const std::string& path, const Contract& c,
                                                        std::uint64_t* seed = nullptr);

}  // namespace desist
