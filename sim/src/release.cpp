#include "desist/release.hpp"

#include <algorithm>

namespace desist {

ReleaseDates release_dates(double start, double length_days, const ReleaseParameters& p) {
  ReleaseDates d;
  d.release = start + p.automatic_release_fraction * length_days;
  const double sentence_end = start + length_days;
  // ORA 2014 applies to sentences of more than one day.
  const bool ora = p.ora_2014 && length_days > 1.0;
  const bool licence = length_days >= p.licence_minimum_sentence_days || ora;
  d.licence_end = licence ? sentence_end : d.release;
  d.supervision_end = d.licence_end;
  if (ora && length_days < p.pss_maximum_sentence_days)
    d.supervision_end = std::max(d.licence_end, d.release + p.supervision_after_release_days);
  return d;
}

}  // namespace desist
