// Fuzz target: scenario text -> parse_scenario (YAML reading, schema, validation).
// InputError is the loader's answer to bad input; anything else escaping, a
// crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "desist/error.hpp"
#include "desist/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    // Named as a file of scenarios/, so relative paths in it resolve as in a shipped scenario.
    desist::parse_scenario(text, DESIST_SOURCE_DIR "/scenarios/fuzz.yaml");
  } catch (const desist::InputError&) {
  }
  return 0;
}
