#include "desist/model.hpp"

#include <cmath>

#include "desist/distributions.hpp"

namespace desist {

std::vector<int> covariate_attributes(const OffendingParameters& p, const Cohort& cohort) {
  std::vector<int> ids;
  for (const Covariate& c : p.covariates) ids.push_back(cohort.attribute_id(c.attribute));
  return ids;
}

double covariate_score(const OffendingParameters& p, const std::vector<int>& attributes, const Cohort& cohort,
                       std::size_t person) {
  double linear = 0.0;
  for (std::size_t k = 0; k < p.covariates.size(); ++k) {
    const Covariate& c = p.covariates[k];
    linear += c.coefficient * (cohort.attribute(attributes[k], person) - c.centre);
  }
  return std::exp(linear);
}

LatentTraits draw_latent_traits(const Parameters& p, const std::vector<int>& covariates, const Cohort& cohort,
                                std::size_t person, RandomStream& latent) {
  const SentenceGroup& g = p.cohort.groups[cohort.group[person]];
  const double u_cure = latent.uniform();
  const double score = covariate_score(p.offending, covariates, cohort, person);
  const double v = p.offending.frailty_variance;
  const double frailty = v > 0.0 ? sample_gamma(1.0 / v, v, latent) : 1.0;  // mean 1, variance v
  LatentTraits t;
  t.readiness = sample_beta(p.cohort.readiness_alpha, p.cohort.readiness_beta, latent);
  PersonProfile& who = t.profile;
  who.offending_scale = u_cure < p.offending.never_reoffend_share ? 0.0 : g.offending_multiplier * score * frailty;
  if (p.offending.readiness_log_rate != 0.0)
    who.offending_scale *= std::exp(p.offending.readiness_log_rate * (t.readiness - 0.5));
  who.breach_scale = std::pow(score, p.recall.risk_coefficient);
  return t;
}

double offending_multiplier(const Parameters& p, const PersonProfile& who, const Situation& now) {
  if (now.in_custody || who.offending_scale <= 0.0) return 0.0;
  double m = who.offending_scale * now.age_multiplier;
  for (std::size_t k = 0; k < p.pathways.size(); ++k)
    if (now.needs >> k & 1u) m *= p.pathways[k].offending_multiplier;
  if (now.supervision != Supervision::none) m *= p.offending.supervision_multiplier;
  return m * now.intervention_offending;
}

double death_rate(const MortalityParameters& p, const Situation& now) {
  if (now.before_index) return 0.0;  // the cohort is defined from its index date
  return p.rate / days_per_year * (now.just_released ? p.post_release_multiplier : 1.0);
}

double breach_rate(const RecallParameters& p, const PersonProfile& who, const Situation& now) {
  if (now.in_custody) return 0.0;
  switch (now.supervision) {
    case Supervision::licence: return p.licence_breach_rate / days_per_year * who.breach_scale;
    case Supervision::post_sentence: return p.pss_breach_rate / days_per_year * who.breach_scale;
    default: return 0.0;
  }
}

namespace {
double effect(double e) { return e == 0.0 ? 1.0 : e; }
}  // namespace

double pathway_rate(const std::vector<PathwayParameters>& pathways, int k, const Situation& now) {
  const bool need = now.needs >> k & 1u;
  // In custody nothing changes, unless an intervention works on this need there.
  if (now.in_custody && !(need && (now.resolves_in_custody >> k & 1u))) return 0.0;
  const PathwayParameters& pw = pathways[k];
  if (!need) return pw.relapse_rate / days_per_year * effect(now.relapse_effect[k]);
  double rate = pw.resolve_rate / days_per_year * effect(now.resolve_effect[k]);
  for (std::size_t j = 0; j < pathways.size(); ++j)
    if (static_cast<int>(j) != k && !(now.needs >> j & 1u)) rate *= pw.resolve_multiplier_when_met[j];
  return rate;
}

namespace {
bool who_they_are_fits(const Eligibility& e, const Cohort& cohort, std::size_t person) {
  const double ogrs = cohort.ogrs3_two_year[person];
  return e.groups[cohort.group[person]] && ogrs >= e.min_ogrs && ogrs <= e.max_ogrs &&
         (e.sex < 0 || e.sex == static_cast<int>(cohort.sex[person])) && (e.iom < 0 || e.iom == cohort.iom[person]) &&
         e.areas[cohort.area[person]] && cohort.index_day[person] >= e.first_index_day &&
         cohort.index_day[person] <= e.last_index_day;
}
}  // namespace

bool eligible_at_index(const Eligibility& e, const Cohort& cohort, std::size_t person) {
  const double age = cohort.age[person];
  return who_they_are_fits(e, cohort, person) && (e.needs_any == 0 || (cohort.needs[person] & e.needs_any) != 0) &&
         age >= e.min_age && age <= e.max_age;
}

bool eligible(const Eligibility& e, const Cohort& cohort, std::size_t person, const Situation& now, double age_years) {
  return who_they_are_fits(e, cohort, person) && (e.needs_any == 0 || (now.needs & e.needs_any) != 0) &&
         age_years >= e.min_age && age_years <= e.max_age;
}

double decayed_multiplier(double multiplier, int k) {
  if (k >= decay_steps) return 1.0;
  return std::pow(multiplier, std::ldexp(1.0, -k) * 0.5 * std::sqrt(2.0));
}

double age_multiplier(const OffendingParameters& p, double age_years) {
  double m = 1.0;
  for (const AgeMultiplier& band : p.age_multipliers) {
    if (age_years < band.from_age) break;
    m = band.multiplier;
  }
  return m;
}

double next_age_band_start(const OffendingParameters& p, double age_years) {
  for (const AgeMultiplier& band : p.age_multipliers)
    if (band.from_age > age_years) return band.from_age;
  return infinite_time;
}

double custody_probability(const SentencingParameters& p, Ogrs3Offence offence, int previous_sanctions,
                           int offences, bool under_supervision) {
  double logit = p.custody_intercept + p.custody_per_previous_sanction * previous_sanctions +
                 p.custody_per_additional_offence * (offences - 1) +
                 (under_supervision ? p.custody_if_under_supervision : 0.0) +
                 p.custody_offence_shift[static_cast<std::size_t>(offence)];
  return 1.0 / (1.0 + std::exp(-logit));
}

}  // namespace desist
