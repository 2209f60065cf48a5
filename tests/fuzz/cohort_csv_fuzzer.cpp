// Fuzz target: person-record CSV -> load_cohort_csv, against the shipped
// baseline scenario's groups, pathways and areas. The loader reads a path, so
// each input is written to an in-memory file (memfd) and read through
// /proc/self/fd. InputError is expected; anything else escaping, a crash or a
// sanitizer report is a finding.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>

#include "desist/cohort.hpp"
#include "desist/error.hpp"
#include "desist/scenario.hpp"

namespace {

const desist::Parameters& baseline() {
  static const desist::Parameters p = desist::load_scenario(DESIST_SOURCE_DIR "/scenarios/baseline.yaml").parameters;
  return p;
}

int person_file() {
  static const int fd = [] {
    const int f = memfd_create("persons.csv", 0);
    if (f < 0) {
      std::perror("memfd_create");
      std::abort();
    }
    return f;
  }();
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const int fd = person_file();
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) {
    std::perror("writing the person file");
    std::abort();
  }
  try {
    desist::load_cohort_csv("/proc/self/fd/" + std::to_string(fd), baseline());
  } catch (const desist::InputError&) {
  }
  return 0;
}
