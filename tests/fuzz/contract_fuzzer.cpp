// Fuzz target: contract text -> parse_contract, which also reads the scenario
// and service files it names (resolved as from scenarios/contracts/, so the
// shipped ../baseline.yaml and services/ are found). InputError is expected;
// anything else escaping, a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "desist/contract.hpp"
#include "desist/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    desist::parse_contract(text, DESIST_SOURCE_DIR "/scenarios/contracts/fuzz.yaml");
  } catch (const desist::InputError&) {
  }
  return 0;
}
