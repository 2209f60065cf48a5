// OGRS3: Offender Group Reconviction Scale, version 3 (Howard, Francis,
// Soothill & Humphreys 2009, Ministry of Justice Research Summary 7/09).
//
// Formula and coefficients as in the Ministry of Justice public RSR/OGRS3
// calculator (source cited in src/ogrs3.cpp):
//
//   s = age_sex[sex][band(assessment age)]
//     + (previous > 0 ? repeat_sanction : first_sanction)
//     + copas * ln((1 + previous) / (10 + age - age_at_first_sanction))
//     + offence[category]
//   one_year = logistic(intercept_one_year + s)
//   two_year = logistic(intercept_two_year + s)
//
// where every age is in completed whole years, `previous` is the number of
// previous sanctions capped at 50, and logistic(x) = e^x / (1 + e^x).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "desist/attributes.hpp"

namespace desist {

// OGRS3 current-offence categories. The enumerator values equal the MoJ
// calculator's `currentOffenceType` index (0..19), in the same order.
enum class Ogrs3Offence : std::uint8_t {
  violence = 0,
  robbery = 1,
  public_order = 2,
  sexual_not_against_child = 3,
  sexual_against_child = 4,
  soliciting_or_prostitution = 5,
  burglary_domestic = 6,
  burglary_other = 7,
  theft_non_motor = 8,
  handling_stolen_goods = 9,
  fraud_and_forgery = 10,
  absconding_or_bail = 11,
  taking_and_driving_away = 12,  // taking and driving away and related offences
  theft_from_vehicles = 13,
  drink_driving = 14,
  other_motoring = 15,
  criminal_damage = 16,
  drug_import_export_production = 17,
  drug_possession_supply = 18,
  other_offence = 19,
};

inline constexpr int ogrs3_offence_count = 20;

// snake_case name of the category (the enumerator's name). Throws
// std::invalid_argument for a value outside the enumeration.
std::string_view to_string(Ogrs3Offence offence);

// Exact snake_case name -> category; std::nullopt for anything else.
std::optional<Ogrs3Offence> parse_ogrs3_offence(std::string_view name);

// Published OGRS3 coefficients (MoJ calculator, full precision).
namespace ogrs3_coefficients {

inline constexpr double intercept_one_year = 1.402562384;
inline constexpr double intercept_two_year = 2.121705678;

// Sanction-history term: first sanction (no previous) vs repeat offender.
inline constexpr double first_sanction = 0.126142106;
inline constexpr double repeat_sanction = 0.463062792;

// Multiplier of the Copas rate ln((1 + previous) / (10 + career years)).
inline constexpr double copas = 1.251124464;

// Previous sanctions above this count are treated as this count.
inline constexpr int max_previous_sanctions = 50;

// Youngest age (completed years) the scale accepts.
inline constexpr int min_age_years = 10;

// Age bands (completed years at assessment): 10-11, 12-13, 14-15, 16-17,
// 18-20, 21-24, 25-29, 30-34, 35-39, 40-49, 50+. Entry i is the upper
// bound (inclusive) of band i; band 10 is everything above 49.
inline constexpr int age_band_count = 11;
inline constexpr std::array<int, age_band_count - 1> age_band_upper = {11, 13, 15, 17, 20,
                                                                       24, 29, 34, 39, 49};

// Age band x sex table, indexed by age band.
inline constexpr std::array<double, age_band_count> male_age_band = {
    0.0,          0.083922902,  0.075775765,  -0.061594199, -0.625103618, -1.051515067,
    -1.166679288, -1.325976554, -1.368045933, -1.499690953, -2.025261458};
inline constexpr std::array<double, age_band_count> female_age_band = {
    -0.785038489, -0.613852078, -0.669521331, -0.959179629, -0.897480934, -1.028488454,
    -1.052777806, -1.129127959, -1.42187494,  -1.524652221, -2.44983716};

// Current-offence table, indexed by static_cast<int>(Ogrs3Offence).
inline constexpr std::array<double, ogrs3_offence_count> offence = {
    0.0,           // violence
    -0.634795912,  // robbery
    0.181917975,   // public_order
    0.003276327,   // sexual_not_against_child
    -0.653434071,  // sexual_against_child
    0.760608858,   // soliciting_or_prostitution
    -0.12394352,   // burglary_domestic
    0.240604429,   // burglary_other
    0.661244321,   // theft_non_motor
    0.351866973,   // handling_stolen_goods
    0.159910192,   // fraud_and_forgery
    0.733378677,   // absconding_or_bail
    0.380059431,   // taking_and_driving_away
    0.427225615,   // theft_from_vehicles
    0.262228428,   // drink_driving
    -0.121439408,  // other_motoring
    0.204960477,   // criminal_damage
    -0.795556373,  // drug_import_export_production
    0.077165871,   // drug_possession_supply
    -0.060667525,  // other_offence
};

}  // namespace ogrs3_coefficients

// Every age is truncated to completed whole years before use, as the MoJ
// calculator does when it derives ages from dates; so fractional ages are fine.
struct Ogrs3Input {
  Sex sex;
  // Age at the current conviction (for sentenced offenders, age at sentence;
  // for a pre-sentence report, current age). At least 10. Enters the Copas
  // rate as the end of the criminal career.
  double age_years;
  // Category of the current offence.
  Ogrs3Offence offence;
  // Sanctions (cautions, reprimands, final warnings, or court appearances
  // resulting in conviction) BEFORE the current one; 0 for a first sanction.
  // Counts above 50 are treated as 50.
  int previous_sanctions;
  // Age at the first ever sanction; equals age_years when this is the first
  // sanction. At least 10 and not above age_years (in completed years).
  double age_at_first_sanction_years;
  // Age at the assessment date, i.e. when the offender could next reoffend
  // in the community (start of follow-up). Selects the age x sex band. At
  // least 10. When empty, age_years is used.
  std::optional<double> age_at_assessment_years{};
};

// Probabilities of proven reoffending within one and two years, in (0, 1).
struct Ogrs3Score {
  double one_year;
  double two_year;
};

// OGRS3 score. Throws std::invalid_argument on out-of-range input: an age
// that is not finite, below 10 or above 120 (completed years); a first
// sanction after the current conviction; negative previous sanctions; an
// offence outside the enumeration.
Ogrs3Score ogrs3(const Ogrs3Input& input);

// The linear predictor s of the header formula (everything but the
// intercepts). Validates like ogrs3().
double ogrs3_linear_score(const Ogrs3Input& input);

// Probabilities for a given linear predictor s.
Ogrs3Score ogrs3_from_linear_score(double s);

}  // namespace desist
