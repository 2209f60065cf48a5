// What the engine records: one compact record per event, grouped by person in
// cohort order. Measures, economics and contracts read this log, so they can be
// priced on a simulation that was already run.
#pragma once

#include <cstdint>
#include <vector>

namespace desist {

enum class EventKind : std::uint8_t {
  offence = 0,       // an offence that will be proven if disposed of in time
  caution = 1,       // out-of-court disposal; count = offences disposed
  court = 2,         // conviction event (court appearance); count = offences, detail = Disposal
  release = 3,       // release from custody; detail = Supervision after release
  recall = 4,        // back to custody from licence or PSS; detail = RecallKind
  supervision = 5,   // supervision changes without custody; detail = new Supervision
  pathway = 6,       // detail = pathway index; count = 1 need now present, 0 need met
  death = 7,
  referral = 8,            // detail = intervention; count = ReferralOutcome
  intervention_start = 9,  // detail = intervention
  intervention_end = 10,   // detail = intervention; count = InterventionEnd
};

enum class ReferralOutcome : std::uint16_t {
  queued = 0,    // waits for a place at the next allocation panel
  offered = 1,   // a place at once (unlimited capacity)
  declined = 2,  // offered a place and did not take it up
  lapsed = 3,    // waited longer than the referral lasts
  withdrawn = 4, // died or no longer eligible before a place came
};

enum class InterventionEnd : std::uint16_t { completed = 0, dropped_out = 1, custody = 2, death = 3, horizon = 4 };

enum class Disposal : std::uint8_t { custody = 0, community_order = 1, other = 2 };
enum class Supervision : std::uint8_t { none = 0, licence = 1, post_sentence = 2, community_order = 3 };
enum class RecallKind : std::uint8_t { fixed_term = 0, standard = 1, pss_committal = 2 };

struct Event {
  double time;            // days since the person's index date
  std::uint32_t person;   // index in the cohort
  EventKind kind;
  std::uint8_t detail;
  std::uint16_t count;
};
static_assert(sizeof(Event) == 16, "events are kept compact");

struct EventLog {
  std::vector<Event> events;               // grouped by person, in time order within a person
  std::vector<std::uint64_t> person_start; // events of person i: [person_start[i], person_start[i+1])

  std::size_t people() const { return person_start.empty() ? 0 : person_start.size() - 1; }
  // A hash of every event's fields in order (FNV-1a over 64-bit words):
  // equal logs, equal checksums.
  std::uint64_t checksum() const;
  const Event* begin(std::size_t person) const { return events.data() + person_start[person]; }
  const Event* end(std::size_t person) const { return events.data() + person_start[person + 1]; }
};

}  // namespace desist
