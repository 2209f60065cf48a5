#include "daily_reference.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>

#include "desist/distributions.hpp"
#include "desist/model.hpp"
#include "desist/release.hpp"
#include "desist/rng.hpp"

namespace desist::reference {

namespace {

constexpr double never = infinite_time;
constexpr double long_ago = -infinite_time;
constexpr int offending_channel = 0;
constexpr int death_channel = 1;
constexpr int breach_channel = 2;
constexpr int first_pathway_channel = 3;

// What every person of a run shares: the length distributions and the cohort's covariate attributes.
struct RunConstants {
  RunConstants(const Parameters& p, const Cohort& cohort)
      : court_lag(p.court.disposal_lag_days), custody_length(p.sentencing.custody_length_days),
        order_length(p.sentencing.order_length_days), standard_recall(p.recall.standard_recall_days),
        covariates(covariate_attributes(p.offending, cohort)) {}
  TruncatedLogNormalQuantile court_lag, custody_length, order_length, standard_recall;
  std::vector<int> covariates;
};

StreamId channel_stream(int c) {
  switch (c) {
    case offending_channel: return StreamId::offending;
    case death_channel: return StreamId::death;
    case breach_channel: return StreamId::recall;
    default:
      return static_cast<StreamId>(static_cast<std::uint64_t>(StreamId::pathway_base) + (c - first_pathway_channel));
  }
}

// One person, step by step from the index date to the horizon.
class PersonSteps {
 public:
  PersonSteps(const Parameters& p, const RunConstants& k, const Cohort& cohort, std::size_t person, SimulationKey key,
              double step, std::vector<Event>& out)
      : p_(p), k_(k), cohort_(cohort), person_(static_cast<std::uint32_t>(person)), key_(key), h_(step), out_(out),
        channels_(first_pathway_channel + static_cast<int>(p.pathways.size())),
        court_(key.seed, key.replicate, person, StreamId::court),
        losses_(key.seed, key.replicate, person, StreamId::custody_losses) {}

  void run() {
    start();
    const auto steps = static_cast<long>(std::ceil(p_.horizon_days / h_));
    for (step_ = 0; step_ < steps; ++step_) {
      now_ = static_cast<double>(step_) * h_;
      // Deterministic events of this step, in the engine's order for ties.
      while (true) {
        if (court_at_ <= now_) dispose_of_case();
        else if (in_custody_ && release_at_ <= now_) released();
        else if (next_age_change_ <= now_) update_age_band();
        else break;
        log_supervision_change(EventKind::supervision);
      }
      log_supervision_change(EventKind::supervision);  // ends of licence, supervision or an order
      if (!draw_step(std::min(h_, p_.horizon_days - now_))) return;  // died
    }
  }

 private:
  // The step boundary at which something due at time t is handled: the start
  // of the step holding t, and never the current step, already under way.
  double on_step(double t) const {
    if (!(t > now_) || t >= never) return t;
    return std::max(std::floor(t / h_), static_cast<double>(step_ + 1)) * h_;
  }

  // As the engine's start() for a person with no interventions.
  void start() {
    const SentenceGroup& g = p_.cohort.groups[cohort_.group[person_]];
    RandomStream latent(key_.seed, key_.replicate, person_, StreamId::latent);
    const LatentTraits traits = draw_latent_traits(p_, k_.covariates, cohort_, person_, latent);
    who_ = traits.profile;
    needs_ = cohort_.needs[person_];
    previous_sanctions_ = cohort_.previous_sanctions[person_];
    update_age_band();
    const double length = cohort_.sentence_days[person_];
    if (g.index_event == IndexEvent::release) {
      const ReleaseDates d = release_dates(-p_.release.automatic_release_fraction * length, length, p_.release);
      licence_end_ = on_step(d.licence_end);
      supervision_end_ = on_step(d.supervision_end);
      short_sentence_ = length < p_.release.licence_minimum_sentence_days;
      released();
    } else if (g.index_event == IndexEvent::order_start) {
      order_end_ = on_step(length);
    }
    log_supervision_change(EventKind::supervision);
  }

  Supervision current_supervision() const {
    if (in_custody_) return Supervision::none;
    if (now_ < licence_end_) return Supervision::licence;
    if (now_ < supervision_end_) return Supervision::post_sentence;
    if (now_ < order_end_) return Supervision::community_order;
    return Supervision::none;
  }

  double age_now() const { return cohort_.age[person_] + now_ / days_per_year; }

  void update_age_band() {
    const double age = age_now();
    age_multiplier_ = age_multiplier(p_.offending, age);
    const double next = next_age_band_start(p_.offending, age);
    next_age_change_ = next == never ? never : on_step((next - cohort_.age[person_]) * days_per_year);
    if (next_age_change_ <= now_) next_age_change_ = static_cast<double>(step_ + 1) * h_;
  }

  // One Bernoulli draw per channel with the rates of the step's start, then
  // what fired, in channel order. Returns false when the person dies.
  bool draw_step(double dt) {
    Situation now;
    now.in_custody = in_custody_;
    now.supervision = current_supervision();
    now.needs = needs_;
    now.age_multiplier = age_multiplier_;
    now.just_released = now_ < post_release_until_;
    std::array<bool, first_pathway_channel + max_pathways> fired{};
    for (int c = 0; c < channels_; ++c) {
      double rate = 0.0, exposure = dt;
      switch (c) {
        case offending_channel:
          rate = offending_multiplier(p_, who_, now);
          if (rate > 0.0)
            exposure = p_.offending.baseline.cumulative(now_ + dt - episode_start_) -
                       p_.offending.baseline.cumulative(now_ - episode_start_);
          break;
        case death_channel: rate = death_rate(p_.mortality, now); break;
        case breach_channel: rate = breach_rate(p_.recall, who_, now); break;
        default: rate = pathway_rate(p_.pathways, c - first_pathway_channel, now);
      }
      if (rate > 0.0) fired[c] = stream(c).uniform() < -std::expm1(-rate * exposure);
    }
    if (fired[offending_channel]) offend();
    if (fired[death_channel]) {
      log(EventKind::death, 0, 0);
      return false;
    }
    if (fired[breach_channel]) breach();
    for (int k = 0; k < channels_ - first_pathway_channel; ++k) {
      if (!fired[first_pathway_channel + k]) continue;
      needs_ ^= static_cast<std::uint8_t>(1u << k);
      log(EventKind::pathway, static_cast<std::uint8_t>(k), needs_ >> k & 1u);
    }
    return true;
  }

  RandomStream& stream(int c) {
    if (!clocks_[c]) clocks_[c].emplace(key_.seed, key_.replicate, person_, channel_stream(c));
    return *clocks_[c];
  }

  void offend() {
    log(EventKind::offence, 0, 0);
    if (case_offences_ == 0) court_at_ = on_step(now_ + k_.court_lag(court_.uniform()));
    if (case_offences_ < 65535) ++case_offences_;
  }

  void dispose_of_case() {
    const double u_caution = court_.uniform(), u_custody = court_.uniform();
    const double u_length = court_.uniform(), u_order = court_.uniform();
    const int offences = case_offences_;
    const auto count = static_cast<std::uint16_t>(offences);
    case_offences_ = 0;
    court_at_ = never;
    if (offences == 1 && u_caution < p_.court.caution_share) {
      log(EventKind::caution, 0, count);
    } else {
      const SentencingParameters& sp = p_.sentencing;
      const bool supervised = in_custody_ || current_supervision() != Supervision::none;
      if (u_custody < custody_probability(sp, cohort_.offence[person_], previous_sanctions_, offences, supervised)) {
        log(EventKind::court, static_cast<std::uint8_t>(Disposal::custody), count);
        sentence_to_custody(k_.custody_length(u_length));
      } else if (u_order < sp.community_order_share) {
        log(EventKind::court, static_cast<std::uint8_t>(Disposal::community_order), count);
        order_end_ = std::max(order_end_, on_step(now_ + k_.order_length(u_length)));
      } else {
        log(EventKind::court, static_cast<std::uint8_t>(Disposal::other), count);
      }
    }
    if (previous_sanctions_ < 65535) ++previous_sanctions_;
  }

  void sentence_to_custody(double length) {
    const ReleaseDates d = release_dates(now_, length, p_.release);
    enter_custody();
    release_at_ = std::max(release_at_, on_step(d.release));
    licence_end_ = std::max(licence_end_, on_step(d.licence_end));
    supervision_end_ = std::max(supervision_end_, on_step(d.supervision_end));
    order_end_ = long_ago;
    short_sentence_ = length < p_.release.licence_minimum_sentence_days;
  }

  void breach() {
    RandomStream& rng = stream(breach_channel);
    const double u_kind = rng.uniform(), u_length = rng.uniform();
    const RecallParameters& r = p_.recall;
    RecallKind kind;
    double until;
    if (current_supervision() == Supervision::post_sentence) {
      kind = RecallKind::pss_committal;
      until = std::min(on_step(now_ + r.pss_committal_days), supervision_end_);
    } else if (u_kind < r.fixed_term_share) {
      kind = RecallKind::fixed_term;
      until = std::min(on_step(now_ + (short_sentence_ ? r.fixed_term_days_short : r.fixed_term_days)), licence_end_);
    } else {
      kind = RecallKind::standard;
      until = std::min(on_step(now_ + k_.standard_recall(u_length)), licence_end_);
    }
    log(EventKind::recall, static_cast<std::uint8_t>(kind), 0);
    enter_custody();
    release_at_ = until;
  }

  void enter_custody() {
    if (in_custody_) return;
    in_custody_ = true;
    logged_supervision_ = Supervision::none;
    for (int k = 0; k < static_cast<int>(p_.pathways.size()); ++k) {
      const double u = losses_.uniform();
      if (!(needs_ >> k & 1u) && u < p_.pathways[k].lost_on_custody) {
        needs_ |= static_cast<std::uint8_t>(1u << k);
        log(EventKind::pathway, static_cast<std::uint8_t>(k), 1);
      }
    }
  }

  void released() {
    in_custody_ = false;
    release_at_ = long_ago;
    episode_start_ = now_;
    post_release_until_ = on_step(now_ + p_.mortality.post_release_days);
    log_supervision_change(EventKind::release);
  }

  void log_supervision_change(EventKind kind) {
    const Supervision sv = current_supervision();
    if (kind == EventKind::release || sv != logged_supervision_) {
      if (!in_custody_ || kind == EventKind::release) log(kind, static_cast<std::uint8_t>(sv), 0);
      logged_supervision_ = sv;
    }
  }

  void log(EventKind kind, std::uint8_t detail, std::uint16_t count) {
    out_.push_back(Event{now_, person_, kind, detail, count});
  }

  const Parameters& p_;
  const RunConstants& k_;
  const Cohort& cohort_;
  std::uint32_t person_;
  SimulationKey key_;
  double h_;
  std::vector<Event>& out_;
  int channels_;
  RandomStream court_, losses_;
  std::array<std::optional<RandomStream>, first_pathway_channel + max_pathways> clocks_;  // made on first use

  PersonProfile who_;
  long step_ = 0;
  double now_ = 0.0;
  double episode_start_ = 0.0;
  double court_at_ = never;
  double release_at_ = long_ago;
  double licence_end_ = long_ago;
  double supervision_end_ = long_ago;
  double order_end_ = long_ago;
  double post_release_until_ = long_ago;
  double next_age_change_ = never;
  double age_multiplier_ = 1.0;
  std::uint16_t case_offences_ = 0;
  std::uint16_t previous_sanctions_ = 0;
  std::uint8_t needs_ = 0;
  bool in_custody_ = false;
  bool short_sentence_ = false;
  Supervision logged_supervision_ = Supervision::none;
};

constexpr std::size_t block_size = 2048;

}  // namespace

EventLog simulate_fixed_step(const Parameters& p, const Cohort& cohort, SimulationKey key, double step_days) {
  if (!p.interventions.empty())
    throw std::invalid_argument("the fixed-step reference models no interventions; scenario '" + p.name + "' has " +
                                std::to_string(p.interventions.size()));
  if (!(step_days > 0.0)) throw std::invalid_argument("the step must be positive days, not " + std::to_string(step_days));
  const RunConstants constants(p, cohort);
  const std::size_t n = cohort.size();
  const std::size_t blocks = (n + block_size - 1) / block_size;
  std::vector<std::vector<Event>> block_events(blocks);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t b = r.begin(); b != r.end(); ++b)
      for (std::size_t i = b * block_size; i < std::min(n, (b + 1) * block_size); ++i)
        PersonSteps(p, constants, cohort, i, key, step_days, block_events[b]).run();
  });
  // Blocks hold people in cohort order, each person's events in time order.
  EventLog log;
  log.person_start.assign(n + 1, 0);
  for (const auto& events : block_events)
    for (const Event& e : events) ++log.person_start[e.person + 1];
  for (std::size_t i = 0; i < n; ++i) log.person_start[i + 1] += log.person_start[i];
  log.events.reserve(log.person_start[n]);
  for (auto& events : block_events) {
    log.events.insert(log.events.end(), events.begin(), events.end());
    std::vector<Event>().swap(events);
  }
  return log;
}

}  // namespace desist::reference
