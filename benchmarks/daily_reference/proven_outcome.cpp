#include "proven_outcome.hpp"

#include <vector>

#include "desist/measures.hpp"
#include "desist/statistics.hpp"

namespace desist::reference {

namespace {
double binomial_se(double share, double n) { return std::sqrt(share * (1 - share) / n); }
}  // namespace

ProvenOutcome proven_outcome(const Parameters& p, const Cohort& cohort, const EventLog& log) {
  const ReplicateMeasures m = measure(p, cohort, log, true);
  ProvenOutcome o;
  o.people = m.overall.people;
  o.rate = m.overall.binary_rate();
  o.rate_se = binomial_se(o.rate, o.people);
  std::vector<double> reoffences;
  reoffences.reserve(m.people.size());
  for (const PersonOutcome& person : m.people) reoffences.push_back(person.proven_reoffences);
  o.frequency = m.overall.reoffences_per_offender();
  o.frequency_se = estimate(reoffences).sd / std::sqrt(o.people);
  o.deaths = m.overall.deaths / o.people;
  o.deaths_se = binomial_se(o.deaths, o.people);
  return o;
}

}  // namespace desist::reference
