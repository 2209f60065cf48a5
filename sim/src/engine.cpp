#include "desist/engine.hpp"

#include "desist/parallel.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <new>
#include <optional>
#include <type_traits>

#include "desist/distributions.hpp"
#include "desist/error.hpp"
#include "desist/model.hpp"
#include "desist/release.hpp"
#include "desist/rng.hpp"

namespace desist {

namespace {

constexpr int offending_channel = 0;
constexpr int death_channel = 1;
constexpr int breach_channel = 2;
constexpr int first_pathway_channel = 3;
constexpr int max_channels = first_pathway_channel + max_pathways;
constexpr double never = infinite_time;
constexpr double long_ago = -infinite_time;

// Random streams a person keeps a position in (the latent stream is read once, at the start).
enum StreamSlot : int { slot_offending, slot_death, slot_breach, slot_court, slot_losses, slot_pathway0,
                        slot_intervention0 = slot_pathway0 + max_pathways, slot_count = slot_intervention0 + max_interventions };

enum class InterventionStatus : std::uint8_t {
  idle,       // not referred, or finished
  scheduled,  // a referral is due at next_at (before release)
  queued,     // waiting for a place at a panel; lapses at next_at
  offered,    // a place from a panel, taken up or declined at next_at
  active,     // in service until next_at
  decaying,   // completed; the effect steps down at next_at
};

struct InterventionState {
  InterventionStatus status = InterventionStatus::idle;
  std::uint8_t referrals = 0;
  std::uint8_t decay_step = 0;
  bool started_in_custody = false;
  bool drops_out = false;  // an active service ends in drop-out rather than completion
  double next_at = never;
};

// Everything about a person that must outlast a stretch of simulation, so the
// engine can stop someone waiting for a place at an allocation panel and
// resume them after.
struct PersonState {
  double now = 0.0;
  double episode_start = 0.0;
  // Each clock's residual unit-exponential, as of its anchor time (the last
  // time its rate changed): residual at t = anchor_residual − rate·(Λ(t) − Λ(anchor)).
  // Consuming lazily means events that change no rate leave clocks bit-for-bit alone.
  // Λ(anchor) is kept rather than the anchor time, so the offending baseline's
  // cumulative hazard is worked out once per re-anchoring (Λ(t) = t for the others).
  std::array<double, max_channels> anchor_integrated{};
  std::array<double, max_channels> anchor_residual{};
  std::array<double, max_channels> rate{};
  std::array<double, max_channels> fire_at{};
  double court_at = never;
  double release_at = long_ago;
  double licence_end = long_ago;
  double supervision_end = long_ago;
  double order_end = long_ago;
  double post_release_until = long_ago;
  double next_age_change = never;
  double offending_scale = 0.0;
  double breach_scale = 1.0;
  double readiness = 0.5;
  std::array<std::uint32_t, slot_count> draws{};
  std::array<InterventionState, max_interventions> interventions{};
  std::uint16_t case_offences = 0;
  std::uint16_t previous_sanctions = 0;
  std::uint8_t needs = 0;
  bool in_custody = false;
  bool short_sentence = false;
  bool alive = true;
  bool index_pending = true;
  bool finished = false;
  Supervision logged_supervision = Supervision::none;
  double next_time = 0.0;  // of the next event, when a run stops before it
};

// Where the events go: kept in a log, or only counted (timing the engine alone).
void record(std::vector<Event>& log, const Event& e) { log.push_back(e); }
void record(std::uint64_t& count, const Event&) { ++count; }

// Calendar days of the allocation panels of every capacity-limited
// intervention, ascending, then +∞ (the stretch after the last panel).
std::vector<double> panel_days(const Parameters& p) {
  std::vector<double> days;
  const double end = p.cohort.index_period_days + p.horizon_days;
  for (const auto& iv : p.interventions) {
    if (!iv.capacity.limited) continue;
    for (double t = iv.capacity.cadence_days; t < end; t += iv.capacity.cadence_days) days.push_back(t);
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  days.push_back(infinite_time);
  return days;
}

// Counts per intervention, one set per panel window.
using PanelCounts = std::vector<std::array<std::int64_t, max_interventions>>;

// Where a stretch of simulation writes: events, referrals waiting for a
// panel, and places given back, each counted at the panel that follows it.
template <class Log>
struct Sink {
  Log* events;
  std::vector<QueueEntry>* queue;
  PanelCounts* places_freed;  // services ended, offers declined
  PanelCounts* declined;      // offers declined
};

// What the engine derives from the parameters once per run rather than per draw.
struct RunConstants {
  RunConstants(const Parameters& p, const Cohort& cohort)
      : court_lag(p.court.disposal_lag_days), custody_length(p.sentencing.custody_length_days),
        order_length(p.sentencing.order_length_days), standard_recall(p.recall.standard_recall_days),
        covariates(covariate_attributes(p.offending, cohort)), panel_days(desist::panel_days(p)) {}
  TruncatedLogNormalQuantile court_lag, custody_length, order_length, standard_recall;
  std::vector<int> covariates;  // attribute of each offending covariate
  std::vector<double> panel_days;

  // The panel window of a person's local time t (days since their index date,
  // calendar day index_day): the first panel on or after t. Events at a
  // panel's own time come before its allocation.
  std::size_t panel_window(double t, double index_day) const {
    return static_cast<std::size_t>(
        std::partition_point(panel_days.begin(), panel_days.end(), [&](double day) { return day - index_day < t; }) -
        panel_days.begin());
  }
};

// Runs one person from their current state to the horizon, or to the next
// allocation panel while they wait for a place.
template <class Log>
class PersonRun {
 public:
  PersonRun(const Parameters& p, const RunConstants& k, const Cohort& cohort, std::size_t person, SimulationKey key,
            PersonState& s, Sink<Log> sink)
      : p_(p), k_(k), cohort_(cohort), person_(static_cast<std::uint32_t>(person)), key_(key), s_(s), sink_(sink),
        channels_(first_pathway_channel + static_cast<int>(p.pathways.size())) {}

  // Sets up the person at their start: the index date, or before it in custody
  // when an intervention refers people before release.
  void start(double pre_release_days) {
    const SentenceGroup& g = p_.cohort.groups[cohort_.group[person_]];
    RandomStream latent(key_.seed, key_.replicate, person_, StreamId::latent);
    const LatentTraits traits = draw_latent_traits(p_, k_.covariates, cohort_, person_, latent);
    s_.readiness = traits.readiness;
    s_.offending_scale = traits.profile.offending_scale;
    s_.breach_scale = traits.profile.breach_scale;
    s_.needs = cohort_.needs[person_];
    s_.previous_sanctions = cohort_.previous_sanctions[person_];
    // Through-the-gate work starts in custody, no earlier than the sentence's start.
    const double served = p_.release.automatic_release_fraction * cohort_.sentence_days[person_];
    const bool through_the_gate = g.index_event == IndexEvent::release && pre_release_days > 0.0 && served > 0.0;
    s_.now = through_the_gate ? -std::min(pre_release_days, served) : 0.0;
    update_age_band();
    for (int c = 0; c < channels_; ++c) {
      s_.anchor_residual[c] = stream(slot_for_channel(c)).unit_exponential();
      s_.anchor_integrated[c] = integrated_baseline(c, s_.now);
    }
    const double length = cohort_.sentence_days[person_];
    if (g.index_event == IndexEvent::release) {
      // The index is the automatic release point of a sentence begun earlier.
      const ReleaseDates d = release_dates(-p_.release.automatic_release_fraction * length, length, p_.release);
      s_.licence_end = d.licence_end;
      s_.supervision_end = d.supervision_end;
      s_.short_sentence = length < p_.release.licence_minimum_sentence_days;
      if (through_the_gate) {
        s_.in_custody = true;
        s_.release_at = 0.0;
        schedule_pre_release_referrals(0.0);
      } else {
        released();
      }
    } else {
      if (g.index_event == IndexEvent::order_start) s_.order_end = length;
      reach_index();
    }
    log_supervision_change(EventKind::supervision);
    refresh_rates(true);
  }

  // Processes events to the horizon, where the person is finished. Someone
  // waiting for a place stops before their first event after the next
  // allocation panel still to be held (`next_panel` indexes panel_days), at
  // next_time, since what they do next depends on it; nothing else a person
  // does depends on anyone else, so everyone else runs on through the panels.
  void run(std::size_t next_panel) {
    if (s_.finished) return;
    next_panel_ = next_panel;
    while (true) {
      int channel = 0;
      for (int c = 1; c < channels_; ++c)
        if (s_.fire_at[c] < s_.fire_at[channel]) channel = c;
      const double scheduled = next_scheduled();
      const double t = std::min(s_.fire_at[channel], scheduled);
      if (waiting_for_a_place() && std::min(t, p_.horizon_days) > next_panel_time()) {
        s_.next_time = t;
        return;
      }
      if (t >= p_.horizon_days) break;
      advance_to(t);
      if (s_.fire_at[channel] <= scheduled) {
        if (!fire(channel)) return;  // death ends the run
      } else {
        handle_scheduled();
      }
      refresh_rates();
    }
    advance_to(p_.horizon_days);
    end_all_services(InterventionEnd::horizon);
    s_.finished = true;
  }

 private:
  // ---- random streams -------------------------------------------------------
  static int slot_for_channel(int c) {
    switch (c) {
      case offending_channel: return slot_offending;
      case death_channel: return slot_death;
      case breach_channel: return slot_breach;
      default: return slot_pathway0 + (c - first_pathway_channel);
    }
  }

  static StreamId id_of(int slot) {
    if (slot >= slot_intervention0)
      return static_cast<StreamId>(static_cast<std::uint64_t>(StreamId::intervention_base) + (slot - slot_intervention0));
    if (slot >= slot_pathway0)
      return static_cast<StreamId>(static_cast<std::uint64_t>(StreamId::pathway_base) + (slot - slot_pathway0));
    switch (slot) {
      case slot_offending: return StreamId::offending;
      case slot_death: return StreamId::death;
      case slot_breach: return StreamId::recall;
      case slot_court: return StreamId::court;
      default: return StreamId::custody_losses;
    }
  }

  // A stream positioned where the person left it; positions are saved back
  // when the run ends.
  // Made on first use, in storage left uninitialised: most runs of a person
  // between panels touch one or two streams.
  RandomStream& stream(int slot) {
    if (!(streams_made_ >> slot & 1u)) {
      new (&stream_storage_[slot]) RandomStream(key_.seed, key_.replicate, person_, id_of(slot), s_.draws[slot]);
      streams_made_ |= 1u << slot;
    }
    return *std::launder(reinterpret_cast<RandomStream*>(&stream_storage_[slot]));
  }

 public:
  ~PersonRun() {
    for (int slot = 0; slot < slot_count; ++slot)
      if (streams_made_ >> slot & 1u)
        s_.draws[slot] =
            static_cast<std::uint32_t>(std::launder(reinterpret_cast<RandomStream*>(&stream_storage_[slot]))->position());
  }
  PersonRun(const PersonRun&) = delete;
  PersonRun& operator=(const PersonRun&) = delete;

 private:
  // ---- the clocks -----------------------------------------------------------
  double integrated_baseline(int channel, double t) const {
    return channel == offending_channel ? p_.offending.baseline.cumulative(t - s_.episode_start) : t;
  }

  Situation situation() const {
    Situation now;
    now.in_custody = s_.in_custody;
    now.supervision = current_supervision();
    now.needs = s_.needs;
    now.age_multiplier = age_multiplier_;
    now.just_released = s_.now < s_.post_release_until;
    now.before_index = s_.index_pending;
    for (int j = 0; j < static_cast<int>(p_.interventions.size()); ++j) {
      const InterventionParameters& iv = p_.interventions[j];
      const InterventionState& st = s_.interventions[j];
      if (st.status == InterventionStatus::active) {
        now.intervention_offending *= iv.offending_multiplier.value;
        for (const PathwayEffect& e : iv.pathway_effects) {
          auto& resolve = now.resolve_effect[e.pathway];
          auto& relapse = now.relapse_effect[e.pathway];
          resolve = (resolve == 0.0 ? 1.0 : resolve) * e.resolve_multiplier.value;
          relapse = (relapse == 0.0 ? 1.0 : relapse) * e.relapse_multiplier.value;
          if (e.in_custody) now.resolves_in_custody |= static_cast<std::uint8_t>(1u << e.pathway);
        }
      } else if (st.status == InterventionStatus::decaying) {
        now.intervention_offending *= decayed_multiplier(iv.offending_multiplier.value, st.decay_step);
      }
    }
    return now;
  }

  // Everything situation() is made from, packed so that telling whether it
  // changed costs two integer compares and a double's.
  struct SituationKey {
    std::uint64_t state;     // custody, supervision, needs, post-release window, before index
    std::uint64_t services;  // per intervention, 6 bits: in service, or decaying and at which step
    double age_multiplier;
    bool operator==(const SituationKey& o) const {
      return state == o.state && services == o.services && age_multiplier == o.age_multiplier;
    }
  };
  static_assert(6 * max_interventions <= 64 && decay_steps < 16, "a service's code fits 6 bits");

  SituationKey situation_key() const {
    const std::uint64_t state = std::uint64_t{s_.in_custody} | std::uint64_t{static_cast<std::uint8_t>(current_supervision())} << 1 |
                                std::uint64_t{s_.needs} << 8 | std::uint64_t{s_.now < s_.post_release_until} << 16 |
                                std::uint64_t{s_.index_pending} << 17;
    std::uint64_t services = 0;
    for (int j = 0; j < static_cast<int>(p_.interventions.size()); ++j) {
      const InterventionState& st = s_.interventions[j];
      const std::uint64_t code = st.status == InterventionStatus::active     ? 1u
                                 : st.status == InterventionStatus::decaying ? 2u | std::uint64_t{st.decay_step} << 2
                                                                             : 0u;
      services |= code << (6 * j);
    }
    return SituationKey{state, services, age_multiplier_};
  }

  double rate_of(int channel, const Situation& now) const {
    PersonProfile who;
    who.offending_scale = s_.offending_scale;
    who.breach_scale = s_.breach_scale;
    switch (channel) {
      case offending_channel: return offending_multiplier(p_, who, now);
      case death_channel: return death_rate(p_.mortality, now);
      case breach_channel: return breach_rate(p_.recall, who, now);
      default: return pathway_rate(p_.pathways, channel - first_pathway_channel, now);
    }
  }

  // Firing time of a clock from its anchor: solves rate·(Λ(τ) − Λ(anchor)) = residual.
  void schedule(int c) {
    const double r = s_.rate[c];
    if (r <= 0.0) {
      s_.fire_at[c] = never;
    } else if (c == offending_channel) {
      const double target = s_.anchor_integrated[c] + s_.anchor_residual[c] / r;
      s_.fire_at[c] = std::max(s_.now, s_.episode_start + p_.offending.baseline.inverse_cumulative(target));
    } else {
      s_.fire_at[c] = std::max(s_.now, s_.anchor_integrated[c] + s_.anchor_residual[c] / r);
    }
  }

  void advance_to(double t) { s_.now = std::max(s_.now, t); }

  // Recomputes the rates after a change of state. A clock whose rate changed
  // is re-anchored now and gets a new firing time; the others are untouched.
  // Most events (an offence, a referral) leave the situation as it was: the
  // rates are then those already worked out for it.
  void refresh_rates(bool all = false) {
    const SituationKey key = situation_key();
    if (!rated_ || !(key == rated_key_)) {
      const Situation now = situation();
      for (int c = 0; c < channels_; ++c) situation_rates_[c] = rate_of(c, now);
      rated_key_ = key;
      rated_ = true;
    }
    for (int c = 0; c < channels_; ++c) {
      const double r = situation_rates_[c];
      if (c == fired_) {
        s_.rate[c] = r;
        schedule(c);
      } else if (all || r != s_.rate[c]) {
        // A clock that was stopped (rate ≤ 0) keeps its residual; the episode
        // (origin of the offending baseline) only changes while it is stopped.
        const bool running = s_.rate[c] > 0.0;
        const double integrated = running || r > 0.0 ? integrated_baseline(c, s_.now) : s_.anchor_integrated[c];
        if (running)
          s_.anchor_residual[c] =
              std::max(0.0, s_.anchor_residual[c] - s_.rate[c] * (integrated - s_.anchor_integrated[c]));
        s_.anchor_integrated[c] = integrated;
        s_.rate[c] = r;
        schedule(c);
      }
    }
    fired_ = -1;
  }

  // ---- deterministic events -------------------------------------------------
  double next_scheduled() const {
    double t = std::min({s_.court_at, s_.next_age_change, s_.post_release_until > s_.now ? s_.post_release_until : never});
    for (int j = 0; j < static_cast<int>(p_.interventions.size()); ++j) t = std::min(t, s_.interventions[j].next_at);
    if (s_.in_custody) return std::min(t, s_.release_at);
    for (double end : {s_.licence_end, s_.supervision_end, s_.order_end})
      if (end > s_.now) t = std::min(t, end);
    return t;
  }

  void handle_scheduled() {
    if (s_.court_at <= s_.now) {
      dispose_of_case();
    } else if (s_.in_custody && s_.release_at <= s_.now) {
      released();
    } else if (s_.next_age_change <= s_.now) {
      update_age_band();
    } else {
      for (int j = 0; j < static_cast<int>(p_.interventions.size()); ++j) {
        if (s_.interventions[j].next_at <= s_.now) {
          intervention_due(j);
          break;
        }
      }
    }
    // End of licence, supervision or the post-release window change rates
    // only; the supervision event records the new state.
    log_supervision_change(EventKind::supervision);
  }

  Supervision current_supervision() const {
    if (s_.in_custody) return Supervision::none;
    if (s_.now < s_.licence_end) return Supervision::licence;
    if (s_.now < s_.supervision_end) return Supervision::post_sentence;
    if (s_.now < s_.order_end) return Supervision::community_order;
    return Supervision::none;
  }

  double age_now() const { return cohort_.age[person_] + s_.now / days_per_year; }

  void update_age_band() {
    const double age = age_now();
    age_multiplier_ = age_multiplier(p_.offending, age);
    const double next = next_age_band_start(p_.offending, age);
    s_.next_age_change = next == never ? never : (next - cohort_.age[person_]) * days_per_year;
    if (s_.next_age_change <= s_.now) s_.next_age_change = std::nextafter(s_.now, never);
  }

  // ---- stochastic events ----------------------------------------------------
  // Returns false when the person dies.
  bool fire(int channel) {
    // The clock is re-anchored now with a fresh residual. It fired where its
    // integrated hazard reached the old residual's target, so that is Λ(now)
    // for the offending baseline, known without evaluating it again.
    s_.anchor_integrated[channel] = channel == offending_channel
                                        ? s_.anchor_integrated[channel] + s_.anchor_residual[channel] / s_.rate[channel]
                                        : s_.now;
    s_.anchor_residual[channel] = stream(slot_for_channel(channel)).unit_exponential();
    fired_ = channel;  // refresh_rates() gives it a new firing time
    switch (channel) {
      case offending_channel: offend(); return true;
      case death_channel:
        log(EventKind::death, 0, 0);
        end_all_services(InterventionEnd::death);
        s_.alive = false;
        s_.finished = true;
        return false;
      case breach_channel: breach(); return true;
      default: {
        const int k = channel - first_pathway_channel;
        s_.needs ^= static_cast<std::uint8_t>(1u << k);
        const bool arisen = s_.needs >> k & 1u;
        log(EventKind::pathway, static_cast<std::uint8_t>(k), arisen);
        if (arisen && !s_.in_custody) refer_all(ReferralPoint::on_need_arising, k);
        return true;
      }
    }
  }

  void offend() {
    log(EventKind::offence, 0, 0);
    // Offences committed before the open case is heard are disposed of with it.
    if (s_.case_offences == 0) s_.court_at = s_.now + k_.court_lag(stream(slot_court).uniform());
    if (s_.case_offences < 65535) ++s_.case_offences;
  }

  void dispose_of_case() {
    // A fixed number of draws per disposal keeps the court stream aligned
    // between scenarios (common random numbers).
    RandomStream& court = stream(slot_court);
    const double u_caution = court.uniform(), u_custody = court.uniform();
    const double u_length = court.uniform(), u_order = court.uniform();
    const int offences = s_.case_offences;
    const auto count = static_cast<std::uint16_t>(offences);
    s_.case_offences = 0;
    s_.court_at = never;
    if (offences == 1 && u_caution < p_.court.caution_share) {
      log(EventKind::caution, 0, count);
    } else {
      const SentencingParameters& sp = p_.sentencing;
      const bool supervised = s_.in_custody || current_supervision() != Supervision::none;
      if (u_custody < custody_probability(sp, cohort_.offence[person_], s_.previous_sanctions, offences, supervised)) {
        log(EventKind::court, static_cast<std::uint8_t>(Disposal::custody), count);
        sentence_to_custody(k_.custody_length(u_length));
      } else if (u_order < sp.community_order_share) {
        log(EventKind::court, static_cast<std::uint8_t>(Disposal::community_order), count);
        s_.order_end = std::max(s_.order_end, s_.now + k_.order_length(u_length));
        refer_all(ReferralPoint::at_order_start);
      } else {
        log(EventKind::court, static_cast<std::uint8_t>(Disposal::other), count);
      }
    }
    if (s_.previous_sanctions < 65535) ++s_.previous_sanctions;
  }

  void sentence_to_custody(double length) {
    const ReleaseDates d = release_dates(s_.now, length, p_.release);
    enter_custody();
    // A new sentence served alongside a current one: the later dates stand.
    s_.release_at = std::max(s_.release_at, d.release);
    s_.licence_end = std::max(s_.licence_end, d.licence_end);
    s_.supervision_end = std::max(s_.supervision_end, d.supervision_end);
    s_.order_end = long_ago;  // custody replaces a community order
    s_.short_sentence = length < p_.release.licence_minimum_sentence_days;
    schedule_pre_release_referrals(s_.release_at);
  }

  void breach() {
    RandomStream& rng = stream(slot_breach);
    const double u_kind = rng.uniform(), u_length = rng.uniform();
    const RecallParameters& r = p_.recall;
    RecallKind kind;
    double until;
    if (current_supervision() == Supervision::post_sentence) {
      kind = RecallKind::pss_committal;
      until = std::min(s_.now + r.pss_committal_days, s_.supervision_end);
    } else if (u_kind < r.fixed_term_share) {
      kind = RecallKind::fixed_term;
      until = std::min(s_.now + (s_.short_sentence ? r.fixed_term_days_short : r.fixed_term_days), s_.licence_end);
    } else {
      kind = RecallKind::standard;
      until = std::min(s_.now + k_.standard_recall(u_length), s_.licence_end);
    }
    log(EventKind::recall, static_cast<std::uint8_t>(kind), 0);
    enter_custody();
    s_.release_at = until;
  }

  void enter_custody() {
    if (s_.in_custody) return;
    s_.in_custody = true;
    s_.logged_supervision = Supervision::none;
    // Custody can cost a person their home, job, ...: each met need may return.
    RandomStream& losses = stream(slot_losses);
    for (int k = 0; k < static_cast<int>(p_.pathways.size()); ++k) {
      const double u = losses.uniform();
      if (!(s_.needs >> k & 1u) && u < p_.pathways[k].lost_on_custody) {
        s_.needs |= static_cast<std::uint8_t>(1u << k);
        log(EventKind::pathway, static_cast<std::uint8_t>(k), 1);
      }
    }
    for (int j = 0; j < static_cast<int>(p_.interventions.size()); ++j) {
      const InterventionState& st = s_.interventions[j];
      if (st.status == InterventionStatus::active && p_.interventions[j].ends_on_custody && !st.started_in_custody)
        end_service(j, InterventionEnd::custody);
    }
  }

  void released() {
    s_.in_custody = false;
    s_.release_at = long_ago;
    s_.episode_start = s_.now;
    s_.post_release_until = s_.now + p_.mortality.post_release_days;
    log_supervision_change(EventKind::release);
    // The offending clock restarts its baseline from the new origin.
    s_.rate[offending_channel] = -1.0;
    if (s_.index_pending) reach_index();
    refer_all(ReferralPoint::at_release);
  }

  // The index date: referrals made there.
  void reach_index() {
    s_.index_pending = false;
    refer_all(ReferralPoint::at_index);
    if (p_.cohort.groups[cohort_.group[person_]].index_event == IndexEvent::order_start)
      refer_all(ReferralPoint::at_order_start);
  }

  // ---- interventions --------------------------------------------------------
  void schedule_pre_release_referrals(double release) {
    for (int j = 0; j < static_cast<int>(p_.interventions.size()); ++j) {
      const InterventionParameters& iv = p_.interventions[j];
      InterventionState& st = s_.interventions[j];
      if (iv.referral != ReferralPoint::before_release || st.status != InterventionStatus::idle) continue;
      st.status = InterventionStatus::scheduled;
      st.next_at = std::max(s_.now, release - iv.days_before_release);
    }
  }

  void refer_all(ReferralPoint point, int pathway = -1) {
    for (int j = 0; j < static_cast<int>(p_.interventions.size()); ++j) {
      const InterventionParameters& iv = p_.interventions[j];
      if (iv.referral == point && (point != ReferralPoint::on_need_arising || iv.trigger_pathway == pathway)) refer(j);
    }
  }

  void refer(int j) {
    const InterventionParameters& iv = p_.interventions[j];
    InterventionState& st = s_.interventions[j];
    const bool free = st.status == InterventionStatus::idle || st.status == InterventionStatus::decaying ||
                      st.status == InterventionStatus::scheduled;
    if (!free || st.referrals >= iv.max_referrals) {
      if (st.status == InterventionStatus::scheduled) st = InterventionState{InterventionStatus::idle, st.referrals};
      return;
    }
    st.status = InterventionStatus::idle;
    st.next_at = never;
    if (!eligible(iv.eligibility, cohort_, person_, situation(), age_now())) return;
    ++st.referrals;
    RandomStream& rng = stream(slot_intervention0 + j);
    const double priority_draw = rng.uniform();  // drawn always, so the stream stays aligned
    if (!iv.capacity.limited) {
      log(EventKind::referral, static_cast<std::uint8_t>(j), static_cast<std::uint16_t>(ReferralOutcome::offered));
      offer(j);
      return;
    }
    log(EventKind::referral, static_cast<std::uint8_t>(j), static_cast<std::uint16_t>(ReferralOutcome::queued));
    st.status = InterventionStatus::queued;
    st.next_at = iv.capacity.max_wait_days > 0.0 ? s_.now + iv.capacity.max_wait_days : never;
    sink_.queue->push_back(QueueEntry{static_cast<std::uint32_t>(person_), static_cast<std::uint8_t>(j),
                                      st.referrals, cohort_.index_day[person_] + s_.now,
                                      cohort_.ogrs3_two_year[person_], priority_draw});
  }

  // A place is offered now: taken up, or declined.
  void offer(int j) {
    const InterventionParameters& iv = p_.interventions[j];
    InterventionState& st = s_.interventions[j];
    RandomStream& rng = stream(slot_intervention0 + j);
    const double u_uptake = rng.uniform(), u_dropout = rng.uniform();
    const double readiness = s_.readiness - 0.5;
    const double log_odds = std::log(iv.uptake / (1.0 - iv.uptake)) + iv.uptake_readiness * readiness;
    const double uptake = iv.uptake >= 1.0 ? 1.0 : iv.uptake <= 0.0 ? 0.0 : 1.0 / (1.0 + std::exp(-log_odds));
    if (!(u_uptake < uptake)) {
      log(EventKind::referral, static_cast<std::uint8_t>(j), static_cast<std::uint16_t>(ReferralOutcome::declined));
      st.status = InterventionStatus::idle;
      st.next_at = never;
      if (iv.capacity.limited) {
        const std::size_t panel = panel_window();
        ++(*sink_.places_freed)[panel][j];
        ++(*sink_.declined)[panel][j];
      }
      return;
    }
    // Drop-out is a constant hazard while in service: its time is drawn now.
    const double dropout_rate = iv.dropout_rate / days_per_year * std::exp(iv.dropout_readiness * readiness);
    const double dropout_after = dropout_rate > 0.0 ? -std::log(u_dropout) / dropout_rate : never;
    log(EventKind::intervention_start, static_cast<std::uint8_t>(j), 0);
    st.status = InterventionStatus::active;
    st.started_in_custody = s_.in_custody;
    st.drops_out = dropout_after < iv.duration_days;
    st.next_at = s_.now + std::min(dropout_after, iv.duration_days);
  }

  void intervention_due(int j) {
    InterventionState& st = s_.interventions[j];
    switch (st.status) {
      case InterventionStatus::scheduled: refer(j); break;
      case InterventionStatus::queued:
        log(EventKind::referral, static_cast<std::uint8_t>(j), static_cast<std::uint16_t>(ReferralOutcome::lapsed));
        st.status = InterventionStatus::idle;
        st.next_at = never;
        break;
      case InterventionStatus::offered: offer(j); break;
      case InterventionStatus::active:
        end_service(j, st.drops_out ? InterventionEnd::dropped_out : InterventionEnd::completed);
        break;
      case InterventionStatus::decaying:
        if (++st.decay_step >= decay_steps) {
          st.status = InterventionStatus::idle;
          st.next_at = never;
        } else {
          st.next_at += p_.interventions[j].persistence_half_life_days;
        }
        break;
      case InterventionStatus::idle: st.next_at = never; break;
    }
  }

  void end_service(int j, InterventionEnd how) {
    const InterventionParameters& iv = p_.interventions[j];
    InterventionState& st = s_.interventions[j];
    log(EventKind::intervention_end, static_cast<std::uint8_t>(j), static_cast<std::uint16_t>(how));
    if (iv.capacity.limited) ++(*sink_.places_freed)[panel_window()][j];
    const bool persists = how == InterventionEnd::completed && iv.persistence_half_life_days > 0.0 &&
                          iv.offending_multiplier.value != 1.0;
    st.status = persists ? InterventionStatus::decaying : InterventionStatus::idle;
    st.decay_step = 0;
    st.next_at = persists ? s_.now + iv.persistence_half_life_days : never;
  }

  void end_all_services(InterventionEnd how) {
    for (int j = 0; j < static_cast<int>(p_.interventions.size()); ++j)
      if (s_.interventions[j].status == InterventionStatus::active) end_service(j, how);
  }

  // ---- allocation panels ----------------------------------------------------
  // In a queue, or offered a place and not yet answered.
  bool waiting_for_a_place() const {
    for (int j = 0; j < static_cast<int>(p_.interventions.size()); ++j) {
      const InterventionStatus status = s_.interventions[j].status;
      if (status == InterventionStatus::queued || status == InterventionStatus::offered) return true;
    }
    return false;
  }

  // The first panel still to be held on or after now: where a place given
  // back now counts (an offer answered at its panel's own time counts at the next).
  std::size_t panel_window() const {
    return std::max(next_panel_, k_.panel_window(s_.now, cohort_.index_day[person_]));
  }

  double next_panel_time() const { return k_.panel_days[panel_window()] - cohort_.index_day[person_]; }

  // ---- the log --------------------------------------------------------------
  // Records the supervision state when it changes outside custody; a release
  // always records it.
  void log_supervision_change(EventKind kind) {
    const Supervision sv = current_supervision();
    if (kind == EventKind::release || sv != s_.logged_supervision) {
      if (!s_.in_custody || kind == EventKind::release) log(kind, static_cast<std::uint8_t>(sv), 0);
      s_.logged_supervision = sv;
    }
  }

  void log(EventKind kind, std::uint8_t detail, std::uint16_t count) {
    record(*sink_.events, Event{s_.now, person_, kind, detail, count});
  }

  const Parameters& p_;
  const RunConstants& k_;
  const Cohort& cohort_;
  std::uint32_t person_;
  SimulationKey key_;
  PersonState& s_;
  Sink<Log> sink_;
  int channels_;
  double age_multiplier_ = 1.0;  // of the current age band (recomputed on resume)
  // The rates of every channel in the situation they were last worked out for.
  bool rated_ = false;
  SituationKey rated_key_{};
  std::array<double, max_channels> situation_rates_;
  int fired_ = -1;  // the clock that fired in this event, already re-anchored
  std::size_t next_panel_ = 0;  // index in panel_days of the first panel still to be held
  static_assert(std::is_trivially_destructible_v<RandomStream>);
  std::array<std::aligned_storage_t<sizeof(RandomStream), alignof(RandomStream)>, slot_count> stream_storage_;
  std::uint32_t streams_made_ = 0;

 public:
  void resume() {
    age_multiplier_ = age_multiplier(p_.offending, age_now());
  }
};

constexpr std::size_t block_size = 2048;

std::size_t block_count(std::size_t n) { return (n + block_size - 1) / block_size; }

// What each block of people wrote: its events, or only their count.
template <class Log>
struct BlockLogs {
  std::vector<Log> blocks;
  // Each block's events grouped by person. Otherwise a block holds its
  // stretches between allocation panels one after another: each person's
  // events are in time order, but people are interleaved.
  bool in_person_order;
};

// Orders a log by person, keeping each person's events in time order. Blocks
// hold disjoint, ascending ranges of people, so they are placed in parallel.
EventLog group_by_person(BlockLogs<std::vector<Event>>& logs, std::size_t people) {
  std::vector<std::vector<Event>>& blocks = logs.blocks;
  EventLog log;
  log.person_start.assign(people + 1, 0);
  parallel_loop(blocks.size(), [&](std::size_t b) {
    for (const Event& e : blocks[b]) ++log.person_start[e.person + 1];
  });
  for (std::size_t i = 0; i < people; ++i) log.person_start[i + 1] += log.person_start[i];
  log.events.resize(log.person_start[people]);
  parallel_loop(blocks.size(), [&](std::size_t b) {
    if (logs.in_person_order) {
      std::copy(blocks[b].begin(), blocks[b].end(), log.events.begin() + log.person_start[b * block_size]);
    } else {
      const std::size_t first = b * block_size;
      std::vector<std::uint64_t> next(log.person_start.begin() + first,
                                      log.person_start.begin() + std::min(people, first + block_size));
      for (const Event& e : blocks[b]) log.events[next[e.person - first]++] = e;
    }
    std::vector<Event>().swap(blocks[b]);
  });
  return log;
}

bool served_before(const QueueEntry& a, const QueueEntry& b, PriorityRule rule) {
  switch (rule) {
    case PriorityRule::highest_risk:
      if (a.ogrs3 != b.ogrs3) return a.ogrs3 > b.ogrs3;
      break;
    case PriorityRule::lowest_risk:
      if (a.ogrs3 != b.ogrs3) return a.ogrs3 < b.ogrs3;
      break;
    case PriorityRule::random:
      if (a.priority_draw != b.priority_draw) return a.priority_draw < b.priority_draw;
      break;
    case PriorityRule::first_come: break;
  }
  if (a.referred_on != b.referred_on) return a.referred_on < b.referred_on;
  return a.person < b.person;
}

}  // namespace

std::uint64_t EventLog::checksum() const {
  // Two 64-bit words an event, each mixed in as FNV-1a mixes a byte, with an
  // xor-shift so that high bits reach the low ones: a tenth of the cost of
  // hashing byte by byte. The fields are packed explicitly, so padding and
  // byte order play no part.
  std::uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&h](std::uint64_t word) {
    h = (h ^ word) * 0x100000001b3ull;
    h ^= h >> 32;
  };
  for (const Event& e : events) {
    std::uint64_t time_bits;
    std::memcpy(&time_bits, &e.time, sizeof time_bits);
    mix(time_bits);
    mix(std::uint64_t{e.person} | std::uint64_t{static_cast<std::uint8_t>(e.kind)} << 32 |
        std::uint64_t{e.detail} << 40 | std::uint64_t{e.count} << 48);
  }
  return h;
}

void simulate_person(const Parameters& p, const Cohort& cohort, std::size_t person, SimulationKey key,
                     std::vector<Event>& out) {
  // On their own: no panel stops them, and what they queue for or give back
  // is left unallocated.
  const RunConstants constants(p, cohort);
  std::vector<QueueEntry> queue;
  PanelCounts freed(constants.panel_days.size()), declined(constants.panel_days.size());
  PersonState state;
  PersonRun<std::vector<Event>> run(p, constants, cohort, person, key, state,
                                    Sink<std::vector<Event>>{&out, &queue, &freed, &declined});
  run.start(p.earliest_pre_release_referral());
  run.run(constants.panel_days.size() - 1);  // past the last panel
}

namespace {
// The whole cohort, each block of people writing its own log.
template <class Log>
BlockLogs<Log> run_cohort(const Parameters& p, const Cohort& cohort, SimulationKey key,
                          std::atomic<std::size_t>* people_done, const std::atomic<bool>* cancel) {
  auto check_cancel = [cancel] {
    if (cancel && cancel->load(std::memory_order_relaxed)) throw Cancelled();
  };
  const std::size_t n = cohort.size();
  const std::size_t blocks = block_count(n);
  const double pre_release = p.earliest_pre_release_referral();
  const RunConstants constants(p, cohort);
  const std::vector<double>& days = constants.panel_days;
  const std::size_t stretch_count = days.size();
  // Without panels the one stretch runs everyone out, in person order.
  BlockLogs<Log> logs{std::vector<Log>(blocks), stretch_count == 1};

  // Places couple people: whoever is waiting for a place is stopped at each
  // allocation panel, places are allocated in one deterministic pass, and
  // they resume. Everyone else runs on: only a place depends on others.
  // So a state is kept only for those the first stretch leaves stopped, in
  // their block's store (stable once the first stretch is over).
  std::vector<std::vector<PersonState>> kept(blocks);
  std::vector<std::uint32_t> kept_at(n);  // where in its block's store a stopped person's state is
  auto kept_state = [&](std::size_t i) -> PersonState& { return kept[i / block_size][kept_at[i]]; };
  // When each person next has something to do (local days).
  std::vector<double> wake(n, -infinite_time);
  std::vector<std::vector<QueueEntry>> queues(p.interventions.size());
  // The referral each person waits on in each intervention's queue (0: not
  // waiting): what a panel reads to drop stale entries, a byte a person and
  // intervention rather than a cache miss into each one's state.
  const std::size_t interventions = p.interventions.size();
  std::vector<std::uint8_t> waiting_on(n * interventions, 0);
  std::vector<std::int64_t> occupied(p.interventions.size(), 0), started(p.interventions.size(), 0);
  // Stretch k runs everyone due by panel day k (the last runs to the horizon).
  // Each block keeps, per stretch, the people due in it, so a stretch touches
  // only those with something to do.
  auto due_stretch = [&](std::size_t i, double local_wake) {
    return constants.panel_window(std::min(local_wake, p.horizon_days), cohort.index_day[i]);
  };
  std::vector<std::vector<std::vector<std::uint32_t>>> due(blocks, std::vector<std::vector<std::uint32_t>>(stretch_count));
  // Places given back in each block, by the panel they count at.
  std::vector<PanelCounts> freed(blocks, PanelCounts(stretch_count)), declined(blocks, PanelCounts(stretch_count));
  auto stretch = [&](std::size_t k) {
    const bool first = k == 0;
    std::vector<std::vector<QueueEntry>> referred(blocks);
    parallel_loop(blocks, [&](std::size_t b) {
      check_cancel();
      if constexpr (std::is_same_v<Log, std::vector<Event>>)
        if (first) logs.blocks[b].reserve(block_size * 8);
      const Sink<Log> sink{&logs.blocks[b], &referred[b], &freed[b], &declined[b]};
      PersonState fresh;
      std::size_t finished = 0;
      auto run_person = [&](std::size_t i) {
        if (first) fresh = PersonState{};
        PersonState& state = first ? fresh : kept_state(i);
        {
          PersonRun<Log> run(p, constants, cohort, i, key, state, sink);
          if (first) run.start(pre_release);
          else run.resume();
          run.run(k);
        }  // (the run saves its streams' positions in the state as it ends)
        for (std::size_t j = 0; j < interventions; ++j) {
          const InterventionState& st = state.interventions[j];
          const bool waiting = !state.finished && st.status == InterventionStatus::queued;
          waiting_on[i * interventions + j] = waiting ? st.referrals : 0;
        }
        if (state.finished) {
          ++finished;
          return;
        }
        if (first) {
          kept_at[i] = static_cast<std::uint32_t>(kept[b].size());
          kept[b].push_back(state);
        }
        wake[i] = state.next_time;
        due[b][due_stretch(i, wake[i])].push_back(static_cast<std::uint32_t>(i));
      };
      if (first) {
        for (std::size_t i = b * block_size; i < std::min(n, (b + 1) * block_size); ++i) run_person(i);
      } else {
        // In person order, without repeats: states are then read in address
        // order, not at random across the cohort (a cache miss each).
        std::vector<std::uint32_t>& people = due[b][k];
        std::sort(people.begin(), people.end());
        people.erase(std::unique(people.begin(), people.end()), people.end());
        for (const std::uint32_t i : people)
          // Skip entries made stale (the person's next event moved later).
          if (!kept_state(i).finished && due_stretch(i, wake[i]) <= k) run_person(i);
        std::vector<std::uint32_t>().swap(due[b][k]);
      }
      if (people_done) people_done->fetch_add(finished, std::memory_order_relaxed);
    });
    for (std::size_t b = 0; b < blocks; ++b) {
      for (const QueueEntry& q : referred[b]) queues[q.intervention].push_back(q);
      for (std::size_t j = 0; j < p.interventions.size(); ++j) {
        occupied[j] -= freed[b][k][j];
        started[j] -= declined[b][k][j];
      }
    }
  };

  for (std::size_t k = 0; k + 1 < stretch_count; ++k) {
    const double day = days[k];
    stretch(k);
    for (std::size_t j = 0; j < p.interventions.size(); ++j) {
      const Capacity& c = p.interventions[j].capacity;
      if (!c.limited || std::fmod(day, c.cadence_days) != 0.0) continue;
      auto& queue = queues[j];
      // Drop entries that are no longer waiting (lapsed, died, past their horizon, served).
      queue.erase(std::remove_if(queue.begin(), queue.end(),
                                 [&](const QueueEntry& q) {
                                   // (A later referral of the same person has its own entry.)
                                   return waiting_on[q.person * interventions + j] != q.referral;
                                 }),
                  queue.end());
      // People whose index date is after the panel were set up early (their
      // index events are logged at the start); they wait for a later panel.
      const auto waiting_now = std::stable_partition(queue.begin(), queue.end(),
                                                     [&](const QueueEntry& q) { return q.referred_on <= day; });
      std::sort(queue.begin(), waiting_now,
                [&](const QueueEntry& a, const QueueEntry& b) { return served_before(a, b, c.priority); });
      const auto eligible_now = static_cast<std::size_t>(waiting_now - queue.begin());
      std::int64_t free_places;
      if (c.places > 0.0) {
        free_places = static_cast<std::int64_t>(c.places) - occupied[j];
      } else {
        free_places = static_cast<std::int64_t>(std::floor(c.starts_per_year * day / days_per_year)) - started[j];
      }
      const auto offers =
          static_cast<std::size_t>(std::clamp<std::int64_t>(free_places, 0, static_cast<std::int64_t>(eligible_now)));
      for (std::size_t o = 0; o < offers; ++o) {
        InterventionState& st = kept_state(queue[o].person).interventions[j];
        st.status = InterventionStatus::offered;
        st.next_at = day - cohort.index_day[queue[o].person];
        const std::uint32_t person = queue[o].person;
        waiting_on[person * interventions + j] = 0;
        wake[person] = std::min(wake[person], st.next_at);
        due[person / block_size][k + 1].push_back(person);
      }
      occupied[j] += static_cast<std::int64_t>(offers);
      started[j] += static_cast<std::int64_t>(offers);
      queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(offers));
    }
  }
  stretch(stretch_count - 1);
  return logs;
}
}  // namespace

EventLog simulate(const Parameters& p, const Cohort& cohort, SimulationKey key, std::atomic<std::size_t>* people_done,
                  const std::atomic<bool>* cancel) {
  auto logs = run_cohort<std::vector<Event>>(p, cohort, key, people_done, cancel);
  return group_by_person(logs, cohort.size());
}

std::uint64_t count_events(const Parameters& p, const Cohort& cohort, SimulationKey key) {
  std::uint64_t events = 0;
  for (const std::uint64_t block : run_cohort<std::uint64_t>(p, cohort, key, nullptr, nullptr).blocks) events += block;
  return events;
}

}  // namespace desist
