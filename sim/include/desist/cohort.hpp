// The people of a cohort, as arrays (one entry per person), made by the
// synthetic generator from a scenario's distributions or loaded from a CSV of
// person records with the same columns.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "desist/attributes.hpp"
#include "desist/ogrs3.hpp"
#include "desist/parameters.hpp"

namespace desist {

struct Cohort {
  // Static attributes, all at the index date.
  std::vector<std::uint8_t> group;          // index into Parameters::cohort.groups
  std::vector<Sex> sex;
  std::vector<float> age;                   // years
  std::vector<Ogrs3Offence> offence;        // index offence
  std::vector<std::uint16_t> previous_sanctions;
  std::vector<float> age_at_first_sanction; // years
  std::vector<std::uint8_t> iom;            // integrated offender management flag
  std::vector<std::uint8_t> area;           // index into Parameters::cohort.areas
  std::vector<float> index_day;             // day of the index event within the cohort period
  std::vector<float> sentence_days;         // index sentence (release) or order length; 0 otherwise
  std::vector<std::uint8_t> needs;          // bit k set: pathway k's need present at index
  std::vector<double> ogrs3_two_year;       // OGRS3 probability of proven reoffending in 2 years

  // Extra numeric columns of a loaded person file, usable as covariates.
  std::vector<std::string> extra_names;
  std::vector<std::vector<double>> extra_columns;

  std::size_t size() const { return group.size(); }
  void resize(std::size_t n);

  // Names a covariate may refer to: the built-in attributes and the extra columns.
  static const std::vector<std::string>& builtin_attributes();
  bool has_attribute(const std::string& name) const;
  // Value of a named attribute for one person (see builtin_attributes()).
  double attribute(const std::string& name, std::size_t person) const;
  // The same by number (from attribute_id), for reading one attribute of many
  // people without looking its name up each time.
  int attribute_id(const std::string& name) const;
  double attribute(int id, std::size_t person) const;
};

// Draws a cohort from the scenario's distributions. Person i's attributes come
// from stream (seed, replicate, i, cohort), so any part can be made in parallel.
Cohort synthesise_cohort(const Parameters& p, std::uint64_t seed, std::uint64_t replicate);

// Loads person records from a CSV file (columns documented in docs/cohort.md).
// Throws InputError naming the row and column of any bad value.
Cohort load_cohort_csv(const std::string& path, const Parameters& p);

// Cohort for a replicate: the scenario's person file if it names one, otherwise synthetic.
Cohort make_cohort(const Parameters& p, std::uint64_t seed, std::uint64_t replicate);

}  // namespace desist
