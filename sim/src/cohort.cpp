#include "desist/cohort.hpp"

#include "desist/parallel.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <stdexcept>

#include "desist/distributions.hpp"
#include "desist/rng.hpp"

namespace desist {

void Cohort::resize(std::size_t n) {
  group.resize(n);
  sex.resize(n);
  age.resize(n);
  offence.resize(n);
  previous_sanctions.resize(n);
  age_at_first_sanction.resize(n);
  iom.resize(n);
  area.resize(n);
  index_day.resize(n);
  sentence_days.resize(n);
  needs.resize(n);
  ogrs3_two_year.resize(n);
  for (auto& column : extra_columns) column.resize(n);
}

const std::vector<std::string>& Cohort::builtin_attributes() {
  static const std::vector<std::string> names{"age",         "female", "previous_sanctions", "age_at_first_sanction",
                                              "iom",         "ogrs3",  "ogrs3_logit",        "sentence_days"};
  return names;
}

bool Cohort::has_attribute(const std::string& name) const {
  const auto& b = builtin_attributes();
  return std::find(b.begin(), b.end(), name) != b.end() ||
         std::find(extra_names.begin(), extra_names.end(), name) != extra_names.end();
}

int Cohort::attribute_id(const std::string& name) const {
  const auto& b = builtin_attributes();
  const auto builtin = std::find(b.begin(), b.end(), name);
  if (builtin != b.end()) return static_cast<int>(builtin - b.begin());
  const auto extra = std::find(extra_names.begin(), extra_names.end(), name);
  if (extra != extra_names.end()) return static_cast<int>(b.size() + (extra - extra_names.begin()));
  throw std::out_of_range("unknown person attribute '" + name + "'");
}

double Cohort::attribute(int id, std::size_t i) const {
  // In the order of builtin_attributes(), then the extra columns.
  switch (id) {
    case 0: return age[i];
    case 1: return sex[i] == Sex::female ? 1.0 : 0.0;
    case 2: return previous_sanctions[i];
    case 3: return age_at_first_sanction[i];
    case 4: return iom[i];
    case 5: return ogrs3_two_year[i];
    case 6: return std::log(ogrs3_two_year[i] / (1.0 - ogrs3_two_year[i]));
    case 7: return sentence_days[i];
    default: return extra_columns[static_cast<std::size_t>(id) - builtin_attributes().size()][i];
  }
}

double Cohort::attribute(const std::string& name, std::size_t i) const { return attribute(attribute_id(name), i); }

namespace {

// Sized at most max_pathways, so a person's draws need no heap allocation.
using NeedVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, max_pathways, 1>;
using NeedMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, max_pathways, max_pathways>;

// Lower-triangular factor of the needs' correlation matrix (identity if none given).
NeedMatrix copula_factor(const Parameters& p) {
  const auto k = static_cast<Eigen::Index>(p.pathways.size());
  if (p.cohort.need_correlation.empty()) return NeedMatrix::Identity(k, k);
  Eigen::MatrixXd r(k, k);
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < k; ++j) r(i, j) = p.cohort.need_correlation[i * k + j];
  Eigen::LLT<Eigen::MatrixXd> llt(r);
  if (llt.info() != Eigen::Success) throw std::invalid_argument("need correlation matrix is not positive definite");
  return llt.matrixL();
}

}  // namespace

Cohort synthesise_cohort(const Parameters& p, std::uint64_t seed, std::uint64_t replicate) {
  Cohort c;
  const std::size_t n = p.cohort.size;
  c.resize(n);
  std::vector<double> group_shares;
  for (const auto& g : p.cohort.groups) group_shares.push_back(g.share);
  const NeedMatrix factor = copula_factor(p);
  const std::size_t pathways = p.pathways.size();
  const boost::math::normal_distribution<double> unit;
  std::vector<std::vector<double>> thresholds;  // per group, per pathway: z below which the need is present
  std::vector<TruncatedLogNormalQuantile> sentence_quantile;  // per group
  for (const auto& g : p.cohort.groups) {
    sentence_quantile.emplace_back(g.sentence_days);
    std::vector<double> t;
    for (double prevalence : g.need_prevalence)
      t.push_back(prevalence <= 0.0   ? -infinite_time
                  : prevalence >= 1.0 ? infinite_time
                                      : boost::math::quantile(unit, prevalence));
    thresholds.push_back(std::move(t));
  }

  parallel_loop(n, [&](std::size_t i) {
    RandomStream rng(seed, replicate, i, StreamId::cohort);
    const std::size_t gi = sample_index(group_shares, rng);
    const SentenceGroup& g = p.cohort.groups[gi];
    c.group[i] = static_cast<std::uint8_t>(gi);
    c.sex[i] = rng.uniform() < g.female_share ? Sex::female : Sex::male;
    c.offence[i] = static_cast<Ogrs3Offence>(sample_index(g.offence_mix, rng));
    c.index_day[i] = static_cast<float>(rng.uniform() * p.cohort.index_period_days);
    c.iom[i] = rng.uniform() < g.iom_share ? 1 : 0;
    c.sentence_days[i] =
        g.index_event == IndexEvent::other ? 0.0f : static_cast<float>(sentence_quantile[gi](rng.uniform()));
    const double age = sample(g.age, rng);
    const int sanctions = std::min(sample(g.previous_sanctions, rng), 65535);
    const double first = sanctions == 0 ? age : std::min(sample(g.age_at_first_sanction, rng), age);
    c.age[i] = static_cast<float>(age);
    c.previous_sanctions[i] = static_cast<std::uint16_t>(sanctions);
    c.age_at_first_sanction[i] = static_cast<float>(first);
    NeedVector normals(static_cast<Eigen::Index>(pathways));
    for (std::size_t k = 0; k < pathways; ++k) normals[static_cast<Eigen::Index>(k)] = standard_normal(rng);
    NeedVector z(static_cast<Eigen::Index>(pathways));
    z.noalias() = factor * normals;
    std::uint8_t needs = 0;
    for (std::size_t k = 0; k < pathways; ++k)
      if (z[static_cast<Eigen::Index>(k)] < thresholds[gi][k]) needs |= static_cast<std::uint8_t>(1u << k);
    c.needs[i] = needs;
    c.area[i] = static_cast<std::uint8_t>(sample_index(p.cohort.area_shares, rng));
    c.ogrs3_two_year[i] = ogrs3(Ogrs3Input{c.sex[i], c.age[i], c.offence[i], sanctions, c.age_at_first_sanction[i]}).two_year;
  });
  return c;
}

Cohort make_cohort(const Parameters& p, std::uint64_t seed, std::uint64_t replicate) {
  return p.cohort.person_file.empty() ? synthesise_cohort(p, seed, replicate) : load_cohort_csv(p.cohort.person_file, p);
}

}  // namespace desist
