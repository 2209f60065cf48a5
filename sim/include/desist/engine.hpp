// The engine: moves each person of a cohort through custody, release and
// supervision in exact continuous time (modified next reaction method) and
// records what happened in an event log.
//
// Each stochastic channel (offending, death, breach, one per pathway) keeps a
// unit-exponential threshold from its own random stream; the integrated hazard
// is consumed as time passes and a channel's firing time is recomputed only
// when its rate changes. Deterministic events (court dates, release, end of
// licence, age bands) sit beside them. No time step: results do not depend on
// any bookkeeping interval.
#pragma once

#include <atomic>
#include <cstdint>

#include "desist/cohort.hpp"
#include "desist/event_log.hpp"
#include "desist/parameters.hpp"

namespace desist {

struct SimulationKey {
  std::uint64_t seed = 0;
  std::uint64_t replicate = 0;
};

// Simulates every person of the cohort from their index date to the horizon.
// Runs in parallel over blocks of people on the calling TBB arena; the log is
// identical whatever the number of threads. `people_done`, when given, is
// incremented as blocks finish (for progress reporting only).
EventLog simulate(const Parameters& p, const Cohort& cohort, SimulationKey key,
                  std::atomic<std::size_t>* people_done = nullptr);

// Simulates one person (cohort index `person`), appending their events to `out`.
void simulate_person(const Parameters& p, const Cohort& cohort, std::size_t person, SimulationKey key,
                     std::vector<Event>& out);

}  // namespace desist
