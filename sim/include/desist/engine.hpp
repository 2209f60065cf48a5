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
#include <vector>

#include "desist/cohort.hpp"
#include "desist/event_log.hpp"
#include "desist/parameters.hpp"

namespace desist {

struct SimulationKey {
  std::uint64_t seed = 0;
  std::uint64_t replicate = 0;
};

// A person waiting for a place on a capacity-limited intervention.
struct QueueEntry {
  std::uint32_t person;
  std::uint8_t intervention;
  std::uint8_t referral;  // the person's how-manieth referral to it
  double referred_on;    // calendar day (cohort day 0 = first possible index date)
  double ogrs3;          // for risk-ordered queues
  double priority_draw;  // for random-ordered queues
};

// Simulates every person of the cohort from their index date to the horizon.
// Runs in parallel over blocks of people on the calling ThreadArena; the log is
// identical whatever the number of threads. When an intervention has limited
// places, whoever is waiting for one is stopped at each allocation panel
// (calendar days that are multiples of its cadence), places are given out in
// one deterministic pass by the queue's priority rule, and they resume; the
// others run on, as nothing else depends on other people. `people_done`, when given,
// counts people finished (progress only). When `cancel` is set (from any
// thread), the run stops at the next block of people and throws Cancelled.
EventLog simulate(const Parameters& p, const Cohort& cohort, SimulationKey key,
                  std::atomic<std::size_t>* people_done = nullptr, const std::atomic<bool>* cancel = nullptr);

// Runs the same simulation as simulate() but keeps no log: only the number of
// events, which equals simulate(...).events.size(). Times the engine without
// the cost of recording (benchmarks).
std::uint64_t count_events(const Parameters& p, const Cohort& cohort, SimulationKey key);

// Simulates one person (cohort index `person`), appending their events to `out`.
void simulate_person(const Parameters& p, const Cohort& cohort, std::size_t person, SimulationKey key,
                     std::vector<Event>& out);

}  // namespace desist
