// The proven-reoffending measures of one run with their sampling errors, as
// the engine and the fixed-step reference are compared on them (the
// benchmarks and the reference's test).
#pragma once

#include <cmath>

#include "desist/cohort.hpp"
#include "desist/event_log.hpp"
#include "desist/parameters.hpp"

namespace desist::reference {

struct ProvenOutcome {
  double people = 0;
  double rate = 0, rate_se = 0;            // binary rate; binomial standard error
  double frequency = 0, frequency_se = 0;  // proven reoffences per offender; sample sd / √n
  double deaths = 0, deaths_se = 0;        // share dead by the horizon; binomial standard error
};

// Measured by desist's own measures pass (measures.hpp), the same for any log.
ProvenOutcome proven_outcome(const Parameters& p, const Cohort& cohort, const EventLog& log);

// Standard error of the difference of two independent estimates.
inline double difference_se(double se_a, double se_b) { return std::hypot(se_a, se_b); }

}  // namespace desist::reference
