// A fixed time-step reference of the baseline model, kept in benchmarks/ to
// show the exact event engine (sim/src/engine.cpp) beside the straightforward
// alternative: its speed, and the discretisation bias the alternative carries.
//
// Time moves in steps of `step_days` (one day by default). At the start of each
// step the deterministic events that fall in it (court dates, release, ends of
// licence, supervision and orders, age bands) are handled; then each stochastic
// channel (offending, death, breach, each pathway) fires with probability
// 1 − exp(−rate × exposure), one Bernoulli draw per person-step, with the rates
// of the step's start. The offending exposure is the baseline's integrated
// hazard over the step, Λ(t + h) − Λ(t), so the step is the only approximation.
// Events are time-stamped at the step's start. What the step merges: at most
// one offence (and one event per channel) per step, and every time that
// follows an event (court lag, custody, recall, post-release window) starts on
// the next step boundary.
//
// The hazards and decisions are the kernel's own (model.hpp, release.hpp,
// distributions.hpp); the event handling follows engine.cpp's. Interventions are
// not modelled: the reference is of the baseline model only.
#pragma once

#include "desist/cohort.hpp"
#include "desist/engine.hpp"
#include "desist/event_log.hpp"
#include "desist/parameters.hpp"

namespace desist::reference {

// Simulates every person of the cohort from their index date to the horizon in
// fixed steps, on the calling TBB arena (the log is the same for any number of
// threads). Throws std::invalid_argument when the scenario has interventions or
// the step is not positive.
EventLog simulate_fixed_step(const Parameters& p, const Cohort& cohort, SimulationKey key, double step_days = 1.0);

}  // namespace desist::reference
