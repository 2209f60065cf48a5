// Model parameters: plain structs, no YAML types. The scenario loader fills and
// validates them; the cohort generator, the model and the engine read them.
// Times are in days, rates per year unless a name says otherwise.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "desist/baseline_hazard.hpp"
#include "desist/ogrs3.hpp"

namespace desist {

// What starts a person's follow-up (the MoJ index date).
enum class IndexEvent : std::uint8_t {
  release = 0,      // release from a custodial sentence
  order_start = 1,  // start of a community order or suspended sentence order
  other = 2,        // caution, fine, discharge: no supervision
};

// A positive quantity drawn as minimum + Gamma with the given mean and standard
// deviation, capped at maximum (ages, ages at first sanction).
struct ShiftedGamma {
  double mean = 30.0;
  double sd = 10.0;
  double minimum = 18.0;
  double maximum = 90.0;
};

// Log-normal truncated to [minimum, maximum] (lengths in days).
struct TruncatedLogNormal {
  double median = 90.0;
  double sigma = 0.5;  // sd of the log
  double minimum = 1.0;
  double maximum = 3650.0;
};

// Gamma-Poisson (negative binomial) count with the given mean; dispersion is
// the gamma shape (smaller = more spread).
struct CountDistribution {
  double mean = 5.0;
  double dispersion = 1.0;
};

struct SentenceGroup {
  std::string name;
  double share = 0.0;                 // of the cohort
  IndexEvent index_event = IndexEvent::other;
  TruncatedLogNormal sentence_days;   // custodial term imposed (release) or order length (order_start)
  double female_share = 0.15;
  ShiftedGamma age;                   // at index
  CountDistribution previous_sanctions;
  ShiftedGamma age_at_first_sanction; // capped at the age at index
  std::vector<double> offence_mix;    // per Ogrs3Offence, sums to 1
  std::vector<double> need_prevalence;// per pathway, share with the need at index
  double iom_share = 0.0;             // share flagged for integrated offender management
  double offending_multiplier = 1.0;  // group term of the offending hazard
};

// Log-linear term of the offending hazard: coefficient · (attribute − centre).
struct Covariate {
  std::string attribute;  // a built-in attribute (see cohort.hpp) or a column of a loaded cohort
  double coefficient = 0.0;
  double centre = 0.0;
};

struct AgeMultiplier {
  double from_age = 0.0;  // applies from this age until the next entry's
  double multiplier = 1.0;
};

struct OffendingParameters {
  BaselineHazard baseline;
  double never_reoffend_share = 0.0;  // split-population ("cure") fraction
  double frailty_variance = 0.0;      // gamma frailty with mean 1; 0 = none
  std::vector<Covariate> covariates;
  std::vector<AgeMultiplier> age_multipliers;  // by current age, ascending; empty = none
  double supervision_multiplier = 1.0;         // while on licence, PSS or a community order
  // Log-rate per unit of latent readiness to change above 0.5 (negative: the
  // ready desist sooner). The same readiness shapes intervention uptake, so a
  // non-zero value makes participants differ from non-participants in a way no
  // observed covariate shows: the selection an evaluation must not mistake for an effect.
  double readiness_log_rate = 0.0;
};

struct CourtParameters {
  TruncatedLogNormal disposal_lag_days;  // offence to caution or court disposal
  double caution_share = 0.0;            // of single-offence cases, disposed out of court
};

struct SentencingParameters {
  // Probability of custody at a court appearance: logistic in these terms.
  double custody_intercept = -1.0;
  double custody_per_previous_sanction = 0.0;
  double custody_per_additional_offence = 0.0;
  double custody_if_under_supervision = 0.0;
  std::vector<double> custody_offence_shift;  // per Ogrs3Offence
  TruncatedLogNormal custody_length_days;
  double community_order_share = 0.5;  // of non-custodial court disposals
  TruncatedLogNormal order_length_days;
};

struct ReleaseParameters {
  double automatic_release_fraction = 0.5;  // share of the sentence served in custody
  double licence_minimum_sentence_days = 365.0; // before 2014 only sentences of 12 months+ had a licence
  bool ora_2014 = false;                    // Offender Rehabilitation Act 2014 supervision
  double pss_maximum_sentence_days = 730.0; // ORA 2014: post-sentence supervision for sentences under 2 years
  double supervision_after_release_days = 365.0;  // ORA 2014: licence + PSS last 12 months from release
};

struct RecallParameters {
  double licence_breach_rate = 0.0;   // per year on licence, for a person of average risk
  double pss_breach_rate = 0.0;       // per year on post-sentence supervision
  double risk_coefficient = 0.0;      // log-rate per unit of the offending covariate score
  double fixed_term_share = 0.5;      // of licence recalls
  double fixed_term_days = 28.0;
  double fixed_term_days_short = 14.0;   // sentences under 12 months
  TruncatedLogNormal standard_recall_days;  // custody after a standard recall (capped at sentence end)
  double pss_committal_days = 14.0;
};

struct PathwayParameters {
  std::string name;
  double prevalence = 0.0;            // default share with the need at index
  double resolve_rate = 0.0;          // per year, need → met (in the community)
  double relapse_rate = 0.0;          // per year, met → need (in the community)
  double lost_on_custody = 0.0;       // probability a met need returns on entering custody
  double offending_multiplier = 1.0;  // on the offending hazard while the need is present
  std::vector<double> resolve_multiplier_when_met;  // per pathway: × resolve rate while that need is met
};

struct MortalityParameters {
  double rate = 0.0;                    // per year
  double post_release_multiplier = 1.0; // in the days just after each release
  double post_release_days = 14.0;
};

struct MeasureParameters {
  double followup_days = 365.0;  // offences counted if committed within this
  double waiting_days = 183.0;   // ... and proven within follow-up + waiting
  std::vector<double> age_band_starts{18, 21, 25, 30, 40, 50};
  std::vector<double> ogrs_band_starts{0.0, 0.50, 0.75, 0.90};  // OGRS3 2-year: low, medium, high, very high
};

// A value with an optional uncertainty distribution for probabilistic
// sensitivity analysis; a run uses `value`, Monte Carlo sweeps draw from `uncertainty`.
struct UncertaintySpec {
  std::string distribution;      // normal, lognormal, beta, gamma, uniform, triangular
  std::vector<double> arguments; // in the order docs/scenario.md gives for each
};

struct UncertainValue {
  double value = 1.0;
  std::vector<UncertaintySpec> uncertainty;  // empty, or one distribution
};

// When a person is referred to an intervention.
enum class ReferralPoint : std::uint8_t {
  before_release = 0,  // `days_before_release` before each release from a custodial sentence
  at_release = 1,      // at each release
  at_order_start = 2,  // at the start of each community or suspended sentence order
  at_index = 3,        // at the index date, whatever it is
  on_need_arising = 4, // when the need of `trigger_pathway` arises in the community (e.g. losing accommodation)
};

enum class PriorityRule : std::uint8_t { first_come = 0, highest_risk = 1, lowest_risk = 2, random = 3 };

// Who may be referred; every condition must hold at the referral.
struct Eligibility {
  std::vector<std::uint8_t> groups;  // sentence group allowed (1) or not (0), one per group
  double min_ogrs = 0.0, max_ogrs = 1.0;
  std::uint8_t needs_any = 0;        // bitmask: at least one of these needs present (0: no condition)
  double min_age = 0.0, max_age = 200.0;
  int sex = -1;                      // -1 any, 0 male, 1 female
  int iom = -1;                      // -1 any, 0 not flagged, 1 flagged
  std::vector<std::uint8_t> areas;   // area allowed (1) or not (0), one per area
  // Index dates (cohort days) of the people the service takes: a service
  // starting late, or a provider that stops work.
  double first_index_day = -std::numeric_limits<double>::infinity();
  double last_index_day = std::numeric_limits<double>::infinity();
};

struct Capacity {
  bool limited = false;
  double places = 0.0;           // concurrent places (0 when starts_per_year limits instead)
  double starts_per_year = 0.0;  // 0 when places limit instead
  double cadence_days = 0.0;     // allocation panels every this many days, from calendar day 0
  PriorityRule priority = PriorityRule::first_come;
  double max_wait_days = 0.0;    // a referral lapses after waiting this long (0: never)
};

struct PathwayEffect {
  int pathway = 0;
  UncertainValue resolve_multiplier;  // × resolve rate while active
  UncertainValue relapse_multiplier;  // × relapse rate while active
  bool in_custody = false;            // also resolves the need in custody (base rate × multiplier)
};

// A cost and the agency that bears it (index into EconomicsParameters::agencies).
struct Cost {
  double amount = 0.0;  // pounds
  int agency = 0;
};

struct InterventionParameters {
  std::string name;
  std::vector<int> pathways;          // the pathways it works on (reporting)
  Eligibility eligibility;
  ReferralPoint referral = ReferralPoint::at_release;
  double days_before_release = 0.0;
  int trigger_pathway = -1;           // for on_need_arising
  int max_referrals = 1;              // per person
  Capacity capacity;
  double uptake = 1.0;                // probability an offered place is taken up
  double uptake_readiness = 0.0;      // log-odds of uptake per unit of readiness above 0.5
  double duration_days = 90.0;        // time in service to completion
  double dropout_rate = 0.0;          // per year while in service
  double dropout_readiness = 0.0;     // log-rate of drop-out per unit of readiness above 0.5
  bool ends_on_custody = true;        // custody ends it, unless it started in custody
  UncertainValue offending_multiplier;        // while in service
  double persistence_half_life_days = 0.0;    // after completion the effect's log decays by halves; 0: none
  std::vector<PathwayEffect> pathway_effects;
  // Each cost may be shared between agencies (one Cost per agency's part).
  std::vector<Cost> cost_per_referral, cost_per_week, cost_per_completion;
};

inline constexpr int max_interventions = 8;

// Unit costs for the economics (all in pounds at the price base of the scenario).
struct EconomicsParameters {
  std::vector<std::string> agencies{"victims_and_society"};
  double discount_rate = 0.035;              // a year
  std::vector<Cost> crime_cost;              // per offence, by Ogrs3Offence
  Cost police_per_offence;                   // investigation and arrest
  Cost court_per_appearance;                 // court case to disposal
  Cost caution_cost;                         // out-of-court disposal
  Cost prison_place_year;
  Cost probation_supervision_year;           // licence, PSS or community order
  int agency_index(const std::string& name) const;  // -1 if none
};

struct CohortParameters {
  std::size_t size = 0;
  double index_period_days = 365.0;  // index dates spread evenly over this period
  std::vector<SentenceGroup> groups;
  std::vector<double> need_correlation;  // K×K row-major, Gaussian copula of needs at index
  std::string person_file;               // when set, people come from this CSV instead
  std::vector<std::string> areas{"all"}; // local areas, for eligibility and reporting
  std::vector<double> area_shares{1.0};
  double readiness_alpha = 1.0;          // readiness to change ~ Beta(alpha, beta), in [0, 1]
  double readiness_beta = 1.0;
};

struct Parameters {
  std::string name;
  double horizon_days = 3 * 365.25;
  CohortParameters cohort;
  OffendingParameters offending;
  CourtParameters court;
  SentencingParameters sentencing;
  ReleaseParameters release;
  RecallParameters recall;
  std::vector<PathwayParameters> pathways;
  MortalityParameters mortality;
  MeasureParameters measures;
  std::vector<InterventionParameters> interventions;
  EconomicsParameters economics;

  int group_index(const std::string& name) const;    // -1 if none
  int pathway_index(const std::string& name) const;  // -1 if none
  int intervention_index(const std::string& name) const;  // -1 if none
  // Days before release at which the earliest intervention refers people (0 if none).
  double earliest_pre_release_referral() const;
  // True when some intervention has limited places, so people meet at allocation panels.
  bool has_allocation_panels() const;
};

inline constexpr int max_pathways = 8;

}  // namespace desist
