// Shared fixtures for the C++ tests.
#pragma once

#include <cmath>

#include "desist/parameters.hpp"

namespace desist::testing {

// A one-group cohort with no supervision, no pathways, no deaths and a
// constant offending hazard of `rate_per_year`: the smallest model whose
// behaviour has closed forms. Tests change what they exercise.
inline Parameters simple_parameters(double rate_per_year, std::size_t people) {
  Parameters p;
  p.name = "test";
  p.horizon_days = 3 * days_per_year;
  p.cohort.size = people;
  SentenceGroup g;
  g.name = "everyone";
  g.share = 1.0;
  g.index_event = IndexEvent::other;
  g.female_share = 0.0;
  g.age = ShiftedGamma{30.0, 0.0, 18.0, 90.0};
  g.previous_sanctions = CountDistribution{5.0, 1.0};
  g.age_at_first_sanction = ShiftedGamma{18.0, 0.0, 10.0, 90.0};
  g.offence_mix.assign(ogrs3_offence_count, 0.0);
  g.offence_mix[static_cast<int>(Ogrs3Offence::theft_non_motor)] = 1.0;
  p.cohort.groups.push_back(g);
  p.offending.baseline = BaselineHazard(WeibullBaseline{rate_per_year, 1.0});
  p.court.disposal_lag_days = TruncatedLogNormal{30.0, 0.0, 1.0, 1000.0};
  p.sentencing.custody_offence_shift.assign(ogrs3_offence_count, 0.0);
  p.sentencing.custody_length_days = TruncatedLogNormal{120.0, 0.5, 7.0, 3650.0};
  p.sentencing.order_length_days = TruncatedLogNormal{365.0, 0.0, 1.0, 3650.0};
  p.recall.standard_recall_days = TruncatedLogNormal{90.0, 0.5, 1.0, 3650.0};
  return p;
}

// Half-width allowed for an empirical proportion around its expected value p
// from n independent draws: 4 binomial standard errors, so a correct sampler
// fails a given check with probability about 6e-5 (fixed seeds make each run
// deterministic; this bounds how unlucky a seed could be).
inline double tolerance(double p, double n) { return 4.0 * std::sqrt(p * (1.0 - p) / n) + 1e-12; }

}  // namespace desist::testing
