#include "desist/measures.hpp"

#include "desist/history.hpp"

#include "desist/parallel.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace desist {

void OutcomeTotals::add(const OutcomeTotals& o) {
  people += o.people;
  reoffenders += o.reoffenders;
  reoffences += o.reoffences;
  conviction_events += o.conviction_events;
  custody_days += o.custody_days;
  recalls += o.recalls;
  deaths += o.deaths;
}

const std::vector<std::string>& breakdown_dimensions() {
  static const std::vector<std::string> names{"sentence", "sex", "age_band", "ogrs_band"};
  return names;
}

ProvenHistory proven_history(const Event* begin, const Event* end, const MeasureParameters& m) {
  ProvenHistory h;
  const double proven_by = m.followup_days + m.waiting_days;
  int pending = 0;             // offences of the open case committed within the follow-up
  double first_pending = -1.0;
  for (const Event* e = begin; e != end; ++e) {
    if (e->kind == EventKind::offence) {
      if (e->time <= m.followup_days) {
        if (pending == 0) first_pending = e->time;
        ++pending;
      }
    } else if (e->kind == EventKind::caution || e->kind == EventKind::court) {
      // One disposal settles every open offence; those in the window count if
      // the disposal falls within follow-up plus the waiting period.
      if (pending > 0 && e->time <= proven_by) {
        h.proven_reoffences += pending;
        ++(e->kind == EventKind::court ? h.conviction_events : h.cautions);
        if (h.first_proven_offence < 0.0) h.first_proven_offence = first_pending;
      }
      pending = 0;
    }
  }
  return h;
}

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t block_size = 4096;

std::size_t band_of(const std::vector<double>& starts, double x) {
  std::size_t b = 0;
  for (std::size_t i = 0; i < starts.size(); ++i)
    if (x >= starts[i]) b = i;
  return b;
}

std::vector<std::string> age_band_labels(const std::vector<double>& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto from = static_cast<long>(s[i]);
    out.push_back(i + 1 < s.size() ? std::to_string(from) + "-" + std::to_string(static_cast<long>(s[i + 1]) - 1)
                                   : std::to_string(from) + "+");
  }
  return out;
}

std::vector<std::string> ogrs_band_labels(const std::vector<double>& s) {
  static const std::vector<std::string> names{"low", "medium", "high", "very_high"};
  const bool standard = s == std::vector<double>{0.0, 0.5, 0.75, 0.9};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto from = std::lround(s[i] * 100);
    std::string range = i + 1 < s.size() ? std::to_string(from) + "-" + std::to_string(std::lround(s[i + 1] * 100) - 1)
                                         : std::to_string(from) + "+";
    out.push_back(standard ? names[i] : "ogrs_" + range);
  }
  return out;
}

// Adds the interval [a, b) of calendar days to monthly bins.
void add_interval(std::vector<double>& bins, double month_days, double a, double b) {
  if (b <= a) return;
  auto m = static_cast<std::size_t>(a / month_days);
  while (a < b && m < bins.size()) {
    const double month_end = (m + 1) * month_days;
    const double to = std::min(b, month_end);
    bins[m] += to - a;
    a = to;
    ++m;
  }
}

void add_point(std::vector<double>& bins, double month_days, double t) {
  const auto m = static_cast<std::size_t>(t / month_days);
  if (m < bins.size()) bins[m] += 1.0;
}

struct BlockSeries {
  std::vector<double> custody, supervision, recalls, releases;
  std::vector<InterventionThroughput> interventions;
  std::vector<std::vector<double>> waits;  // per intervention
  BlockSeries(std::size_t months, std::size_t interventions)
      : custody(months), supervision(months), recalls(months), releases(months),
        interventions(interventions), waits(interventions) {
    for (auto& t : this->interventions) t.in_service_by_month.assign(months, 0.0);
  }
};

// Referrals, starts, ends and waits of one person's intervention episodes.
void add_interventions(const Event* begin, const Event* end, double offset, double horizon, double month_days,
                       BlockSeries& series) {
  std::array<double, max_interventions> referred_at, started_at;
  referred_at.fill(-infinite_time);
  started_at.fill(-infinite_time);
  for (const Event* e = begin; e != end; ++e) {
    if (e->kind != EventKind::referral && e->kind != EventKind::intervention_start &&
        e->kind != EventKind::intervention_end)
      continue;
    InterventionThroughput& t = series.interventions[e->detail];
    if (e->kind == EventKind::referral) {
      switch (static_cast<ReferralOutcome>(e->count)) {
        case ReferralOutcome::queued:
        case ReferralOutcome::offered:
          t.referrals += 1;
          referred_at[e->detail] = e->time;
          break;
        case ReferralOutcome::declined: t.declined += 1; break;
        case ReferralOutcome::lapsed: t.lapsed += 1; break;
        case ReferralOutcome::withdrawn: break;
      }
    } else if (e->kind == EventKind::intervention_start) {
      t.starts += 1;
      started_at[e->detail] = e->time;
      series.waits[e->detail].push_back(e->time - referred_at[e->detail]);
    } else {
      switch (static_cast<InterventionEnd>(e->count)) {
        case InterventionEnd::completed: t.completions += 1; break;
        case InterventionEnd::dropped_out: t.dropouts += 1; break;
        case InterventionEnd::custody:
        case InterventionEnd::death: t.interrupted += 1; break;
        case InterventionEnd::horizon: break;
      }
      add_interval(t.in_service_by_month, month_days, offset + started_at[e->detail],
                   offset + std::min(e->time, horizon));
    }
  }
}

// The outcome of one person, and their custody and supervision spells in the monthly bins.
PersonOutcome person_outcome(const Parameters& p, const Cohort& cohort, const EventLog& log, std::size_t i,
                             BlockSeries& series, double month_days) {
  const Event* begin = log.begin(i);
  const Event* end = log.end(i);
  const ProvenHistory h = proven_history(begin, end, p.measures);
  const double offset = cohort.index_day[i];
  double custody_days = 0.0;
  int recalls = 0;
  struct Visitor {
    BlockSeries& series;
    double month_days, offset;
    double& custody_days;
    int& recalls;
    void custody(double from, double to) {
      custody_days += to - from;
      add_interval(series.custody, month_days, offset + from, offset + to);
    }
    void supervision(double from, double to) { add_interval(series.supervision, month_days, offset + from, offset + to); }
    void recall(double t) {
      ++recalls;
      add_point(series.recalls, month_days, offset + t);
    }
    void release(double t) { add_point(series.releases, month_days, offset + t); }
  };
  const double death = walk_spells(begin, end, p.horizon_days, Visitor{series, month_days, offset, custody_days, recalls});
  if (!p.interventions.empty()) add_interventions(begin, end, offset, p.horizon_days, month_days, series);
  PersonOutcome o;
  o.index_day = cohort.index_day[i];
  o.group = cohort.group[i];
  o.age = cohort.age[i];
  o.sex = cohort.sex[i] == Sex::female ? 1 : 0;
  o.ogrs3 = static_cast<float>(cohort.ogrs3_two_year[i]);
  o.first_proven_reoffence_day = h.first_proven_offence < 0.0 ? static_cast<float>(nan) : static_cast<float>(h.first_proven_offence);
  o.proven_reoffences = static_cast<std::uint16_t>(std::min(h.proven_reoffences, 65535));
  o.conviction_events = static_cast<std::uint16_t>(std::min(h.conviction_events, 65535));
  o.custody_days = static_cast<float>(custody_days);
  o.recalls = static_cast<std::uint16_t>(std::min(recalls, 65535));
  o.death_day = static_cast<float>(death);
  return o;
}

OutcomeTotals totals_of(const PersonOutcome& o) {
  OutcomeTotals t;
  t.people = 1;
  t.reoffenders = o.proven_reoffences > 0 ? 1 : 0;
  t.reoffences = o.proven_reoffences;
  t.conviction_events = o.conviction_events;
  t.custody_days = o.custody_days;
  t.recalls = o.recalls;
  t.deaths = std::isnan(o.death_day) ? 0 : 1;
  return t;
}

SurvivalCurve survival_curve(const std::vector<PersonOutcome>& people, double followup_days) {
  const auto days = static_cast<std::size_t>(std::ceil(followup_days));
  std::vector<double> events(days + 1, 0.0), censored(days + 1, 0.0);
  for (const PersonOutcome& o : people) {
    const bool event = !std::isnan(o.first_proven_reoffence_day);
    const bool died = !std::isnan(o.death_day) && o.death_day < followup_days;
    if (event) {
      events[std::min(days, static_cast<std::size_t>(std::ceil(o.first_proven_reoffence_day)))] += 1;
    } else if (died) {
      censored[std::min(days, static_cast<std::size_t>(std::ceil(o.death_day)))] += 1;
    }
  }
  SurvivalCurve c;
  double at_risk = static_cast<double>(people.size()), s = 1.0, greenwood = 0.0;
  for (std::size_t d = 0; d <= days; ++d) {
    if (at_risk > 0 && events[d] > 0) {
      s *= 1.0 - events[d] / at_risk;
      if (at_risk > events[d]) greenwood += events[d] / (at_risk * (at_risk - events[d]));
    }
    const double sd = s * std::sqrt(greenwood);
    c.day.push_back(static_cast<double>(d));
    c.reoffended.push_back(1.0 - s);
    c.lower.push_back(std::clamp(1.0 - s - 1.96 * sd, 0.0, 1.0));
    c.upper.push_back(std::clamp(1.0 - s + 1.96 * sd, 0.0, 1.0));
    c.at_risk.push_back(at_risk);
    at_risk -= events[d] + censored[d];
  }
  return c;
}

}  // namespace

ReplicateMeasures measure(const Parameters& p, const Cohort& cohort, const EventLog& log, bool keep_people) {
  const std::size_t n = cohort.size();
  ReplicateMeasures r;
  r.events = log.events.size();
  const double month_days = r.monthly.month_days;
  const auto months = static_cast<std::size_t>(std::ceil((p.cohort.index_period_days + p.horizon_days) / month_days));
  std::vector<PersonOutcome> people(n);
  const std::size_t blocks = (n + block_size - 1) / block_size;
  const std::size_t interventions = p.interventions.size();
  std::vector<BlockSeries> block_series(blocks, BlockSeries(months, interventions));
  parallel_loop(blocks, [&](std::size_t b) {
    for (std::size_t i = b * block_size; i < std::min(n, (b + 1) * block_size); ++i)
      people[i] = person_outcome(p, cohort, log, i, block_series[b], month_days);
  });
  // Sums in block order, so totals do not depend on the thread count.
  BlockSeries series(months, interventions);
  for (const BlockSeries& b : block_series) {
    for (std::size_t m = 0; m < months; ++m) {
      series.custody[m] += b.custody[m];
      series.supervision[m] += b.supervision[m];
      series.recalls[m] += b.recalls[m];
      series.releases[m] += b.releases[m];
    }
    for (std::size_t j = 0; j < interventions; ++j) {
      InterventionThroughput& to = series.interventions[j];
      const InterventionThroughput& from = b.interventions[j];
      to.referrals += from.referrals;
      to.starts += from.starts;
      to.completions += from.completions;
      to.dropouts += from.dropouts;
      to.declined += from.declined;
      to.lapsed += from.lapsed;
      to.interrupted += from.interrupted;
      for (std::size_t m = 0; m < months; ++m) to.in_service_by_month[m] += from.in_service_by_month[m];
      series.waits[j].insert(series.waits[j].end(), b.waits[j].begin(), b.waits[j].end());
    }
  }
  for (std::size_t j = 0; j < interventions; ++j) {
    InterventionThroughput t = series.interventions[j];
    t.name = p.interventions[j].name;
    for (double& x : t.in_service_by_month) x /= month_days;
    std::vector<double>& waits = series.waits[j];
    if (waits.empty()) {
      t.mean_wait_days = t.p90_wait_days = nan;
    } else {
      double total = 0.0;
      for (double w : waits) total += w;
      t.mean_wait_days = total / static_cast<double>(waits.size());
      const auto k = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(waits.size()))) - 1;
      std::nth_element(waits.begin(), waits.begin() + static_cast<std::ptrdiff_t>(k), waits.end());
      t.p90_wait_days = waits[k];
    }
    r.interventions.push_back(std::move(t));
  }
  r.monthly.bed_days = series.custody;
  for (std::size_t m = 0; m < months; ++m) {
    r.monthly.custody_population.push_back(series.custody[m] / month_days);
    r.monthly.supervision_caseload.push_back(series.supervision[m] / month_days);
  }
  r.monthly.recalls = std::move(series.recalls);
  r.monthly.releases = std::move(series.releases);

  std::vector<std::string> groups;
  for (const auto& g : p.cohort.groups) groups.push_back(g.name);
  r.breakdowns = {Breakdown{"sentence", groups, {}}, Breakdown{"sex", {"male", "female"}, {}},
                  Breakdown{"age_band", age_band_labels(p.measures.age_band_starts), {}},
                  Breakdown{"ogrs_band", ogrs_band_labels(p.measures.ogrs_band_starts), {}}};
  for (Breakdown& b : r.breakdowns) b.totals.assign(b.categories.size(), OutcomeTotals{});
  for (const PersonOutcome& o : people) {
    const OutcomeTotals t = totals_of(o);
    r.overall.add(t);
    r.breakdowns[0].totals[o.group].add(t);
    r.breakdowns[1].totals[o.sex].add(t);
    r.breakdowns[2].totals[band_of(p.measures.age_band_starts, o.age)].add(t);
    r.breakdowns[3].totals[band_of(p.measures.ogrs_band_starts, o.ogrs3)].add(t);
  }
  r.survival = survival_curve(people, p.measures.followup_days);
  if (keep_people) r.people = std::move(people);
  return r;
}

}  // namespace desist
