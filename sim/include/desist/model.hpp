// The model: hazards and decisions as pure functions of the parameters and a
// person's state. Nothing here knows about threads, files or event queues.
#pragma once

#include <array>
#include <cstdint>

#include "desist/cohort.hpp"
#include "desist/event_log.hpp"
#include "desist/parameters.hpp"
#include "desist/rng.hpp"

namespace desist {

// Per-person constants of the hazards, fixed at the index date.
struct PersonProfile {
  double offending_scale = 0.0;  // group term × exp(covariate terms) × frailty; 0 = never reoffends
  double breach_scale = 1.0;     // exp(risk_coefficient × covariate score)
};

// What the hazards depend on at a moment.
struct Situation {
  bool in_custody = false;
  Supervision supervision = Supervision::none;
  std::uint8_t needs = 0;        // bit k: pathway k's need present
  double age_multiplier = 1.0;   // from the current age band
  bool just_released = false;    // inside the raised-mortality window
  bool before_index = false;     // in custody before the index release (through-the-gate work only)
  // Interventions in service (or decaying after completion):
  double intervention_offending = 1.0;                  // product of their offending multipliers
  std::array<double, max_pathways> resolve_effect{};    // × resolve rate (0 entries mean 1)
  std::array<double, max_pathways> relapse_effect{};    // × relapse rate (0 entries mean 1)
  std::uint8_t resolves_in_custody = 0;                 // bit k: pathway k's need is worked on in custody
};

// The attribute of each covariate of the offending hazard (Cohort::attribute_id),
// looked up once per cohort rather than once per person.
std::vector<int> covariate_attributes(const OffendingParameters& p, const Cohort& cohort);
// Exp of the covariate terms of the offending hazard (the log-linear score);
// `attributes` from covariate_attributes.
double covariate_score(const OffendingParameters& p, const std::vector<int>& attributes, const Cohort& cohort,
                       std::size_t person);

// What a person brings that nobody observes, drawn at their start from their
// latent stream (the never-reoffend draw, the frailty, readiness to change), and
// the hazards' constants it makes with their covariates.
struct LatentTraits {
  PersonProfile profile;
  double readiness = 0.5;  // in [0, 1]
};
LatentTraits draw_latent_traits(const Parameters& p, const std::vector<int>& covariates, const Cohort& cohort,
                                std::size_t person, RandomStream& latent);

// Multiplier of the offending baseline hazard (per day once the baseline is applied).
double offending_multiplier(const Parameters& p, const PersonProfile& who, const Situation& now);
// Rate per day of death.
double death_rate(const MortalityParameters& p, const Situation& now);
// Rate per day of a breach that leads to recall (licence) or committal (PSS).
double breach_rate(const RecallParameters& p, const PersonProfile& who, const Situation& now);
// Rate per day of pathway k changing state (need resolved, or need returning).
double pathway_rate(const std::vector<PathwayParameters>& pathways, int k, const Situation& now);
// Multiplier of the current age band (1 when the scenario has none).
double age_multiplier(const OffendingParameters& p, double age_years);
// Age at which the band after the one holding age_years starts; +∞ if last.
double next_age_band_start(const OffendingParameters& p, double age_years);

// Whether a person may be referred to an intervention now.
bool eligible(const Eligibility& e, const Cohort& cohort, std::size_t person, const Situation& now, double age_years);

// Whether a person meets every condition at their index date (needs and age
// as they were then): membership of a contract's cohort.
bool eligible_at_index(const Eligibility& e, const Cohort& cohort, std::size_t person);

// The effect on the offending hazard of an intervention completed `k` whole
// half-lives ago: the log of its multiplier halves each half-life, taken at
// the middle of each (m^(2^-(k+1/2))); 1 after `decay_steps` half-lives.
double decayed_multiplier(double multiplier, int k);
inline constexpr int decay_steps = 10;

// Probability that a court appearance ends in custody.
double custody_probability(const SentencingParameters& p, Ogrs3Offence offence, int previous_sanctions,
                           int offences, bool under_supervision);

}  // namespace desist
