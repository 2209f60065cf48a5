// Release arithmetic for a determinate custodial sentence: when the person is
// released, how long the licence runs, and whether post-sentence supervision
// (Offender Rehabilitation Act 2014) follows.
#pragma once

#include "desist/parameters.hpp"

namespace desist {

struct ReleaseDates {
  double release = 0.0;          // automatic release point
  double licence_end = 0.0;      // == release when there is no licence
  double supervision_end = 0.0;  // end of licence plus any post-sentence supervision
};

// Dates for a sentence of `length_days` imposed on day `start`.
// - release at start + automatic_release_fraction × length;
// - licence to the sentence end if length ≥ licence_minimum_sentence_days, or
//   for any sentence over one day under the 2014 regime;
// - under the 2014 regime, sentences under pss_maximum_sentence_days are
//   supervised (licence, then post-sentence supervision) until
//   supervision_after_release_days after release.
ReleaseDates release_dates(double start, double length_days, const ReleaseParameters& p);

}  // namespace desist
