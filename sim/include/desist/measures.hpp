// Measures read from an event log: MoJ proven reoffending (binary rate and
// frequencies, with follow-up and waiting windows), by subgroup; time to first
// proven reoffence; custody population, recalls and supervision by month; and
// a per-person outcome table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "desist/cohort.hpp"
#include "desist/event_log.hpp"
#include "desist/parameters.hpp"

namespace desist {

// Sums over a set of people.
struct OutcomeTotals {
  double people = 0;
  double reoffenders = 0;        // with at least one proven reoffence
  double reoffences = 0;         // proven reoffences (offences, MoJ frequency)
  double conviction_events = 0;  // court appearances disposing of proven reoffences
  double custody_days = 0;       // within the horizon, any custody after the index date
  double recalls = 0;            // within the horizon
  double deaths = 0;             // within the horizon

  double binary_rate() const { return people > 0 ? reoffenders / people : 0.0; }
  double reoffences_per_offender() const { return people > 0 ? reoffences / people : 0.0; }
  double reoffences_per_reoffender() const { return reoffenders > 0 ? reoffences / reoffenders : 0.0; }
  double conviction_events_per_offender() const { return people > 0 ? conviction_events / people : 0.0; }
  double custody_days_per_offender() const { return people > 0 ? custody_days / people : 0.0; }
  double recalls_per_offender() const { return people > 0 ? recalls / people : 0.0; }
  void add(const OutcomeTotals& o);
};

// The totals and rates written to results (HDF5 file and Python tables), in order.
struct OutcomeTotalField {
  const char* name;
  double OutcomeTotals::*member;
};
inline constexpr OutcomeTotalField outcome_total_fields[] = {
    {"people", &OutcomeTotals::people},
    {"reoffenders", &OutcomeTotals::reoffenders},
    {"reoffences", &OutcomeTotals::reoffences},
    {"conviction_events", &OutcomeTotals::conviction_events},
    {"custody_days", &OutcomeTotals::custody_days},
    {"recalls", &OutcomeTotals::recalls},
    {"deaths", &OutcomeTotals::deaths},
};

struct OutcomeRateField {
  const char* name;
  double (OutcomeTotals::*rate)() const;
};
inline constexpr OutcomeRateField outcome_rate_fields[] = {
    {"binary_rate", &OutcomeTotals::binary_rate},
    {"reoffences_per_offender", &OutcomeTotals::reoffences_per_offender},
    {"reoffences_per_reoffender", &OutcomeTotals::reoffences_per_reoffender},
    {"conviction_events_per_offender", &OutcomeTotals::conviction_events_per_offender},
    {"custody_days_per_offender", &OutcomeTotals::custody_days_per_offender},
    {"recalls_per_offender", &OutcomeTotals::recalls_per_offender},
};

// Totals by the categories of one dimension (sentence group, sex, age band, OGRS band).
struct Breakdown {
  std::string dimension;
  std::vector<std::string> categories;
  std::vector<OutcomeTotals> totals;
};

// Proportion with a proven reoffence by each day of follow-up (1 − Kaplan–Meier,
// censored at death), with a Greenwood 95% band.
struct SurvivalCurve {
  std::vector<double> day;
  std::vector<double> reoffended;  // proportion with a first proven reoffence by this day
  std::vector<double> lower;
  std::vector<double> upper;
  std::vector<double> at_risk;
};

// Calendar months (of 365.25/12 days) from the first possible index date.
struct MonthlySeries {
  double month_days = days_per_year / 12.0;
  std::vector<double> custody_population;      // average number in custody
  std::vector<double> supervision_caseload;    // average number supervised in the community
  std::vector<double> bed_days;
  std::vector<double> recalls;
  std::vector<double> releases;
};

// One row per person.
struct PersonOutcome {
  float index_day;
  std::uint8_t group;
  float age;
  std::uint8_t sex;            // 0 male, 1 female
  float ogrs3;
  float first_proven_reoffence_day;  // NaN when none
  std::uint16_t proven_reoffences;
  std::uint16_t conviction_events;
  float custody_days;
  std::uint16_t recalls;
  float death_day;             // NaN when alive at the horizon
};

// What one intervention did in a replicate.
struct InterventionThroughput {
  std::string name;
  double referrals = 0;     // people referred (queued or offered at once)
  double starts = 0;
  double completions = 0;
  double dropouts = 0;
  double declined = 0;      // offered a place and did not take it up
  double lapsed = 0;        // waited too long
  double interrupted = 0;   // ended by custody or death
  double mean_wait_days = 0;    // referral to start, over starts (NaN when none)
  double p90_wait_days = 0;
  std::vector<double> in_service_by_month;  // average number in service (months as MonthlySeries)
};

struct ReplicateMeasures {
  OutcomeTotals overall;
  std::vector<Breakdown> breakdowns;  // sentence, sex, age_band, ogrs_band
  SurvivalCurve survival;
  MonthlySeries monthly;
  std::vector<PersonOutcome> people;  // filled when asked for
  std::vector<InterventionThroughput> interventions;  // one per scenario intervention
  std::uint64_t events = 0;
};

// Names of the by-group dimensions, in the order of ReplicateMeasures::breakdowns.
const std::vector<std::string>& breakdown_dimensions();

ReplicateMeasures measure(const Parameters& p, const Cohort& cohort, const EventLog& log, bool keep_people);

// The proven-reoffending part of one person's history (exposed for tests).
struct ProvenHistory {
  int proven_reoffences = 0;
  int conviction_events = 0;
  int cautions = 0;                    // out-of-court disposals of proven reoffences
  double first_proven_offence = -1.0;  // day, or -1 when none
};
ProvenHistory proven_history(const Event* begin, const Event* end, const MeasureParameters& m);

}  // namespace desist
