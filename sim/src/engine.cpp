#include "desist/engine.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <boost/random/gamma_distribution.hpp>

#include "desist/distributions.hpp"
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

// One person's life from index date to horizon.
class PersonRun {
 public:
  PersonRun(const Parameters& p, const Cohort& cohort, std::size_t person, SimulationKey key, std::vector<Event>& out)
      : p_(p),
        cohort_(cohort),
        person_(static_cast<std::uint32_t>(person)),
        out_(out),
        offending_rng_(key.seed, key.replicate, person, StreamId::offending),
        death_rng_(key.seed, key.replicate, person, StreamId::death),
        breach_rng_(key.seed, key.replicate, person, StreamId::recall),
        court_rng_(key.seed, key.replicate, person, StreamId::court),
        losses_rng_(key.seed, key.replicate, person, StreamId::custody_losses),
        channels_(first_pathway_channel + static_cast<int>(p.pathways.size())) {
    for (int k = 0; k < static_cast<int>(p.pathways.size()); ++k)
      pathway_rng_[k].emplace(key.seed, key.replicate, person,
                              static_cast<StreamId>(static_cast<std::uint64_t>(StreamId::pathway_base) + k));
    init_profile(key);
  }

  void run() {
    start_at_index();
    while (true) {
      int channel = 0;
      for (int c = 1; c < channels_; ++c)
        if (fire_at_[c] < fire_at_[channel]) channel = c;
      const double scheduled = next_scheduled();
      const double t = std::min({fire_at_[channel], scheduled, p_.horizon_days});
      advance_to(t);
      if (t >= p_.horizon_days) return;
      if (fire_at_[channel] <= scheduled) {
        if (!fire(channel)) return;  // death ends the run
      } else {
        handle_scheduled();
      }
      refresh_rates();
    }
  }

 private:
  // ---- set-up -------------------------------------------------------------
  void init_profile(SimulationKey key) {
    const SentenceGroup& g = p_.cohort.groups[cohort_.group[person_]];
    RandomStream latent(key.seed, key.replicate, person_, StreamId::latent);
    const double u_cure = latent.uniform();
    const double score = covariate_score(p_.offending, cohort_, person_);
    double frailty = 1.0;
    if (p_.offending.frailty_variance > 0.0) {
      const double v = p_.offending.frailty_variance;
      boost::random::gamma_distribution<double> gamma(1.0 / v, v);
      frailty = gamma(latent);
    }
    const bool cured = u_cure < p_.offending.never_reoffend_share;
    who_.offending_scale = cured ? 0.0 : g.offending_multiplier * score * frailty;
    who_.breach_scale = std::pow(score, p_.recall.risk_coefficient);
    who_.age_at_index = cohort_.age[person_];
    who_.offence = cohort_.offence[person_];
    situation_.needs = cohort_.needs[person_];
    previous_sanctions_ = cohort_.previous_sanctions[person_];
    update_age_band();
    for (int c = 0; c < channels_; ++c) residual_[c] = rng_for(c).unit_exponential();
  }

  void start_at_index() {
    const SentenceGroup& g = p_.cohort.groups[cohort_.group[person_]];
    const double length = cohort_.sentence_days[person_];
    if (g.index_event == IndexEvent::release) {
      // The index is the automatic release point of a sentence begun earlier.
      const ReleaseDates d = release_dates(-p_.release.automatic_release_fraction * length, length, p_.release);
      licence_end_ = d.licence_end;
      supervision_end_ = d.supervision_end;
      short_sentence_ = length < p_.release.licence_minimum_sentence_days;
      released(0.0);
    } else if (g.index_event == IndexEvent::order_start) {
      order_end_ = length;
    }
    log_supervision_change(EventKind::supervision);
    refresh_rates(true);
  }

  RandomStream& rng_for(int channel) {
    switch (channel) {
      case offending_channel: return offending_rng_;
      case death_channel: return death_rng_;
      case breach_channel: return breach_rng_;
      default: return *pathway_rng_[channel - first_pathway_channel];
    }
  }

  // ---- the clocks ---------------------------------------------------------
  // Integrated baseline of a channel at time t: the offending baseline runs in
  // time since the latest release or index; the others are constant rates.
  double integrated_baseline(int channel, double t) const {
    return channel == offending_channel ? p_.offending.baseline.cumulative(t - episode_start_) : t;
  }

  double rate_of(int channel) const {
    switch (channel) {
      case offending_channel: return offending_multiplier(p_, who_, situation_);
      case death_channel: return death_rate(p_.mortality, situation_);
      case breach_channel: return breach_rate(p_.recall, who_, situation_);
      default: return pathway_rate(p_.pathways, channel - first_pathway_channel, situation_);
    }
  }

  void schedule(int channel) {
    const double r = rate_[channel];
    if (r <= 0.0) {
      fire_at_[channel] = never;
    } else if (channel == offending_channel) {
      const double target = p_.offending.baseline.cumulative(now_ - episode_start_) + residual_[channel] / r;
      fire_at_[channel] = std::max(now_, episode_start_ + p_.offending.baseline.inverse_cumulative(target));
    } else {
      fire_at_[channel] = now_ + residual_[channel] / r;
    }
  }

  // Consumes each running clock's integrated hazard up to t.
  void advance_to(double t) {
    if (t <= now_) return;
    for (int c = 0; c < channels_; ++c) {
      if (rate_[c] <= 0.0) continue;
      residual_[c] = std::max(0.0, residual_[c] - rate_[c] * (integrated_baseline(c, t) - integrated_baseline(c, now_)));
    }
    now_ = t;
    situation_.just_released = now_ < post_release_until_;
  }

  // Recomputes the rates after a change of state; only channels whose rate
  // changed get a new firing time (all of them when `all` is set).
  void refresh_rates(bool all = false) {
    situation_.supervision = current_supervision();
    for (int c = 0; c < channels_; ++c) {
      const double r = rate_of(c);
      if (all || r != rate_[c] || fire_at_[c] <= now_) {
        rate_[c] = r;
        schedule(c);
      }
    }
  }

  // ---- deterministic events -----------------------------------------------
  double next_scheduled() const {
    double t = std::min({court_at_, next_age_change_, post_release_until_ > now_ ? post_release_until_ : never});
    if (situation_.in_custody) return std::min(t, release_at_);
    for (double end : {licence_end_, supervision_end_, order_end_})
      if (end > now_) t = std::min(t, end);
    return t;
  }

  void handle_scheduled() {
    if (court_at_ <= now_) {
      dispose_of_case();
    } else if (situation_.in_custody && release_at_ <= now_) {
      released(now_);
    } else if (next_age_change_ <= now_) {
      update_age_band();
    }
    // End of licence, supervision or the post-release window change rates
    // only; the supervision event records the new state.
    log_supervision_change(EventKind::supervision);
  }

  Supervision current_supervision() const {
    if (situation_.in_custody) return Supervision::none;
    if (now_ < licence_end_) return Supervision::licence;
    if (now_ < supervision_end_) return Supervision::post_sentence;
    if (now_ < order_end_) return Supervision::community_order;
    return Supervision::none;
  }

  void update_age_band() {
    const double age = who_.age_at_index + now_ / days_per_year;
    situation_.age_multiplier = age_multiplier(p_.offending, age);
    const double next = next_age_band_start(p_.offending, age);
    next_age_change_ = next == never ? never : (next - who_.age_at_index) * days_per_year;
    if (next_age_change_ <= now_) next_age_change_ = std::nextafter(now_, never);
  }

  // ---- stochastic events --------------------------------------------------
  // Returns false when the person dies.
  bool fire(int channel) {
    residual_[channel] = rng_for(channel).unit_exponential();
    fire_at_[channel] = now_;  // forces a new firing time in refresh_rates()
    switch (channel) {
      case offending_channel: offend(); return true;
      case death_channel:
        log(EventKind::death, 0, 0);
        return false;
      case breach_channel: breach(); return true;
      default: {
        const int k = channel - first_pathway_channel;
        situation_.needs ^= static_cast<std::uint8_t>(1u << k);
        log(EventKind::pathway, static_cast<std::uint8_t>(k), situation_.needs >> k & 1u);
        return true;
      }
    }
  }

  void offend() {
    log(EventKind::offence, 0, 0);
    // Offences committed before the open case is heard are disposed of with it.
    if (case_offences_ == 0) court_at_ = now_ + sample(p_.court.disposal_lag_days, court_rng_);
    ++case_offences_;
  }

  void dispose_of_case() {
    // A fixed number of draws per disposal keeps the court stream aligned
    // between scenarios (common random numbers).
    const double u_caution = court_rng_.uniform(), u_custody = court_rng_.uniform();
    const double u_length = court_rng_.uniform(), u_order = court_rng_.uniform();
    const int offences = case_offences_;
    const auto count = static_cast<std::uint16_t>(std::min(offences, 65535));
    case_offences_ = 0;
    court_at_ = never;
    if (offences == 1 && u_caution < p_.court.caution_share) {
      log(EventKind::caution, 0, count);
    } else {
      const SentencingParameters& s = p_.sentencing;
      const bool supervised = situation_.in_custody || current_supervision() != Supervision::none;
      if (u_custody < custody_probability(s, who_.offence, previous_sanctions_, offences, supervised)) {
        log(EventKind::court, static_cast<std::uint8_t>(Disposal::custody), count);
        sentence_to_custody(quantile(s.custody_length_days, u_length));
      } else if (u_order < s.community_order_share) {
        log(EventKind::court, static_cast<std::uint8_t>(Disposal::community_order), count);
        order_end_ = std::max(order_end_, now_ + quantile(s.order_length_days, u_length));
      } else {
        log(EventKind::court, static_cast<std::uint8_t>(Disposal::other), count);
      }
    }
    previous_sanctions_ = std::min(previous_sanctions_ + 1, 65535);
  }

  void sentence_to_custody(double length) {
    const ReleaseDates d = release_dates(now_, length, p_.release);
    enter_custody();
    // A new sentence served alongside a current one: the later dates stand.
    release_at_ = std::max(release_at_, d.release);
    licence_end_ = std::max(licence_end_, d.licence_end);
    supervision_end_ = std::max(supervision_end_, d.supervision_end);
    order_end_ = long_ago;  // custody replaces a community order
    short_sentence_ = length < p_.release.licence_minimum_sentence_days;
  }

  void breach() {
    const double u_kind = breach_rng_.uniform(), u_length = breach_rng_.uniform();
    const RecallParameters& r = p_.recall;
    RecallKind kind;
    double until;
    if (current_supervision() == Supervision::post_sentence) {
      kind = RecallKind::pss_committal;
      until = std::min(now_ + r.pss_committal_days, supervision_end_);
    } else if (u_kind < r.fixed_term_share) {
      kind = RecallKind::fixed_term;
      until = std::min(now_ + (short_sentence_ ? r.fixed_term_days_short : r.fixed_term_days), licence_end_);
    } else {
      kind = RecallKind::standard;
      until = std::min(now_ + quantile(r.standard_recall_days, u_length), licence_end_);
    }
    log(EventKind::recall, static_cast<std::uint8_t>(kind), 0);
    enter_custody();
    release_at_ = until;
  }

  void enter_custody() {
    if (situation_.in_custody) return;
    situation_.in_custody = true;
    logged_supervision_ = Supervision::none;
    // Custody can cost a person their home, job, ...: each met need may return.
    for (int k = 0; k < static_cast<int>(p_.pathways.size()); ++k) {
      const double u = losses_rng_.uniform();
      if (!(situation_.needs >> k & 1u) && u < p_.pathways[k].lost_on_custody) {
        situation_.needs |= static_cast<std::uint8_t>(1u << k);
        log(EventKind::pathway, static_cast<std::uint8_t>(k), 1);
      }
    }
  }

  void released(double t) {
    situation_.in_custody = false;
    release_at_ = long_ago;
    episode_start_ = t;
    post_release_until_ = t + p_.mortality.post_release_days;
    situation_.just_released = p_.mortality.post_release_days > 0.0;
    log_supervision_change(EventKind::release);
    // The offending clock restarts its baseline: recompute from the new origin.
    rate_[offending_channel] = -1.0;
  }

  // Records the supervision state when it changes outside custody; a release
  // always records it.
  void log_supervision_change(EventKind kind) {
    const Supervision s = current_supervision();
    if (kind == EventKind::release || s != logged_supervision_) {
      if (!situation_.in_custody || kind == EventKind::release) log(kind, static_cast<std::uint8_t>(s), 0);
      logged_supervision_ = s;
    }
  }

  void log(EventKind kind, std::uint8_t detail, std::uint16_t count) {
    out_.push_back(Event{now_, person_, kind, detail, count});
  }

  const Parameters& p_;
  const Cohort& cohort_;
  std::uint32_t person_;
  std::vector<Event>& out_;
  RandomStream offending_rng_, death_rng_, breach_rng_, court_rng_, losses_rng_;
  std::array<std::optional<RandomStream>, max_pathways> pathway_rng_;
  int channels_;

  PersonProfile who_;
  Situation situation_;
  double now_ = 0.0;
  double episode_start_ = 0.0;
  std::array<double, max_channels> rate_{};
  std::array<double, max_channels> residual_{};
  std::array<double, max_channels> fire_at_{};

  double court_at_ = never;
  int case_offences_ = 0;
  int previous_sanctions_ = 0;
  double release_at_ = long_ago;
  double licence_end_ = long_ago;
  double supervision_end_ = long_ago;
  double order_end_ = long_ago;
  double post_release_until_ = long_ago;
  double next_age_change_ = never;
  bool short_sentence_ = false;
  Supervision logged_supervision_ = Supervision::none;
};

constexpr std::size_t block_size = 2048;

}  // namespace

void simulate_person(const Parameters& p, const Cohort& cohort, std::size_t person, SimulationKey key,
                     std::vector<Event>& out) {
  PersonRun(p, cohort, person, key, out).run();
}

EventLog simulate(const Parameters& p, const Cohort& cohort, SimulationKey key, std::atomic<std::size_t>* people_done) {
  const std::size_t n = cohort.size();
  const std::size_t blocks = (n + block_size - 1) / block_size;
  std::vector<std::vector<Event>> block_events(blocks);
  std::vector<std::uint64_t> counts(n, 0);
  // Blocks are fixed by person index, so the log is the same whichever thread runs which block.
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    std::vector<Event>& out = block_events[b];
    out.reserve(block_size * 8);
    const std::size_t end = std::min(n, (b + 1) * block_size);
    for (std::size_t i = b * block_size; i < end; ++i) {
      const std::size_t before = out.size();
      simulate_person(p, cohort, i, key, out);
      counts[i] = out.size() - before;
    }
    if (people_done) people_done->fetch_add(end - b * block_size, std::memory_order_relaxed);
  });
  EventLog log;
  log.person_start.resize(n + 1);
  log.person_start[0] = 0;
  for (std::size_t i = 0; i < n; ++i) log.person_start[i + 1] = log.person_start[i] + counts[i];
  log.events.reserve(log.person_start[n]);
  for (auto& b : block_events) {
    log.events.insert(log.events.end(), b.begin(), b.end());
    std::vector<Event>().swap(b);
  }
  return log;
}

}  // namespace desist
