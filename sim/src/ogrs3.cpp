// OGRS3 (Offender Group Reconviction Scale v3; Howard, Francis, Soothill &
// Humphreys 2009, Ministry of Justice Research Summary 7/09).
//
// Source of the formula and of every coefficient: the Ministry of Justice
// (NOMS Digital Studio) RSR calculator library, the `rsr-calculator` package
// that ministryofjustice/rsr-calculator-service calls for /calculate/ogrs3:
//   NOMS-DIGITAL-STUDIO/rsr-calculator  lib/calculateOGRS3.js
//     (age bands, sanction term, Copas rate, offence term, logistic link,
//      previous sanctions capped at 50, ages as completed years from dates)
//   NOMS-DIGITAL-STUDIO/rsr-calculator  lib/data/coefficients.json, "OGRS3"
//     (intercepts, age x sex table, offence table, firstTimeNoCaution,
//      repeatOffender, copas)
//   NOMS-DIGITAL-STUDIO/rsr-calculator  lib/data/ogrs3/offenceGroupLookup.json
//     (the 20 offence categories and their indices)
// The same model, with coefficients rounded to about 5 significant figures,
// is in ministryofjustice/hmpps-arns-risk-actuarial-api
//   src/main/kotlin/.../service/transformation/OGRS3TransformationHelper.kt
// (that file gives +0.785, +0.61385, +0.66952 for females aged 10-15, where
// the calculator above and other public OGRS3 implementations have negative
// values; the calculator's values are used here).
#include "desist/ogrs3.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace desist {
namespace {

namespace coef = ogrs3_coefficients;

constexpr double max_age_years = 120.0;

constexpr std::array<std::string_view, ogrs3_offence_count> offence_names = {
    "violence",
    "robbery",
    "public_order",
    "sexual_not_against_child",
    "sexual_against_child",
    "soliciting_or_prostitution",
    "burglary_domestic",
    "burglary_other",
    "theft_non_motor",
    "handling_stolen_goods",
    "fraud_and_forgery",
    "absconding_or_bail",
    "taking_and_driving_away",
    "theft_from_vehicles",
    "drink_driving",
    "other_motoring",
    "criminal_damage",
    "drug_import_export_production",
    "drug_possession_supply",
    "other_offence",
};

int offence_index(Ogrs3Offence offence) {
  const int i = static_cast<int>(offence);
  if (i < 0 || i >= ogrs3_offence_count) {
    throw std::invalid_argument("ogrs3: offence category " + std::to_string(i) +
                                " is not an OGRS3 category (0.." +
                                std::to_string(ogrs3_offence_count - 1) + ")");
  }
  return i;
}

// Completed whole years, after checking the age is usable.
int completed_years(double age, const char* what) {
  if (!std::isfinite(age)) {
    throw std::invalid_argument(std::string("ogrs3: ") + what + " is not a finite number");
  }
  if (age < coef::min_age_years) {
    throw std::invalid_argument(std::string("ogrs3: ") + what + " " + std::to_string(age) +
                                " is below the scale's minimum age of " +
                                std::to_string(coef::min_age_years));
  }
  if (age > max_age_years) {
    throw std::invalid_argument(std::string("ogrs3: ") + what + " " + std::to_string(age) +
                                " is above the plausible maximum of 120");
  }
  return static_cast<int>(std::floor(age));
}

int age_band(int completed_age) {
  for (int band = 0; band < coef::age_band_count - 1; ++band) {
    if (completed_age <= coef::age_band_upper[static_cast<std::size_t>(band)]) return band;
  }
  return coef::age_band_count - 1;
}

double logistic(double x) {
  if (x >= 0.0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

}  // namespace

std::string_view to_string(Ogrs3Offence offence) {
  return offence_names[static_cast<std::size_t>(offence_index(offence))];
}

std::optional<Ogrs3Offence> parse_ogrs3_offence(std::string_view name) {
  for (std::size_t i = 0; i < offence_names.size(); ++i) {
    if (offence_names[i] == name) return static_cast<Ogrs3Offence>(i);
  }
  return std::nullopt;
}

double ogrs3_linear_score(const Ogrs3Input& in) {
  const int offence = offence_index(in.offence);
  const int age = completed_years(in.age_years, "age at current conviction");
  const int first = completed_years(in.age_at_first_sanction_years, "age at first sanction");
  const int assessed =
      completed_years(in.age_at_assessment_years.value_or(in.age_years), "age at assessment");
  if (first > age) {
    throw std::invalid_argument("ogrs3: age at first sanction (" + std::to_string(first) +
                                ") is after age at current conviction (" + std::to_string(age) +
                                ")");
  }
  if (in.previous_sanctions < 0) {
    throw std::invalid_argument("ogrs3: previous sanctions " +
                                std::to_string(in.previous_sanctions) + " is negative");
  }
  if (in.sex != Sex::male && in.sex != Sex::female) {
    throw std::invalid_argument("ogrs3: sex is neither male nor female");
  }

  const int previous = in.previous_sanctions < coef::max_previous_sanctions
                           ? in.previous_sanctions
                           : coef::max_previous_sanctions;
  const auto& age_table = in.sex == Sex::female ? coef::female_age_band : coef::male_age_band;
  const double age_term = age_table[static_cast<std::size_t>(age_band(assessed))];
  const double sanction_term = previous > 0 ? coef::repeat_sanction : coef::first_sanction;
  const double copas_rate =
      std::log((1.0 + previous) / (10.0 + static_cast<double>(age) - static_cast<double>(first)));
  const double offence_term = coef::offence[static_cast<std::size_t>(offence)];
  // Same summation order as the MoJ calculator.
  return age_term + sanction_term + coef::copas * copas_rate + offence_term;
}

Ogrs3Score ogrs3_from_linear_score(double s) {
  if (!std::isfinite(s)) throw std::invalid_argument("ogrs3: linear score is not finite");
  return {logistic(coef::intercept_one_year + s), logistic(coef::intercept_two_year + s)};
}

Ogrs3Score ogrs3(const Ogrs3Input& input) {
  return ogrs3_from_linear_score(ogrs3_linear_score(input));
}

}  // namespace desist
