#include "desist/pbr.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "desist/economics.hpp"
#include "desist/matching.hpp"
#include "desist/model.hpp"
#include "desist/parallel.hpp"

namespace desist {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double normal_quantile(double p) { return boost::math::quantile(boost::math::normal(), p); }
double normal_cdf(double x) { return boost::math::cdf(boost::math::normal(), x); }

InputError contract_error(const Contract& c, const std::string& key, const std::string& message) {
  const auto at = c.locations.find(key);
  return InputError(at != c.locations.end() ? at->second : SourceLocation{c.file, 0, 0, key}, message);
}

std::vector<std::uint32_t> eligible_in_window(const Eligibility& e, const Cohort& cohort, double from, double to) {
  std::vector<std::uint32_t> people;
  for (std::size_t i = 0; i < cohort.size(); ++i)
    if (cohort.index_day[i] >= from && cohort.index_day[i] <= to && eligible_at_index(e, cohort, i))
      people.push_back(static_cast<std::uint32_t>(i));
  // In index order; people indexed the same day stay in cohort order.
  std::stable_sort(people.begin(), people.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return cohort.index_day[a] < cohort.index_day[b]; });
  return people;
}

CohortValue value_of(const WorldOutcomes& w, std::size_t outcome, const std::vector<std::uint32_t>& people) {
  CohortValueSum sum;
  for (std::uint32_t i : people) sum.add({w.value[outcome][i], w.counted[outcome][i] != 0});
  return sum.result();
}

// A weighted mean over the counted people, and its standard error with the
// weights taken as fixed: √(Σ w²(v − m)²) / Σ w.
CohortValue weighted_value(const WorldOutcomes& w, std::size_t outcome, const std::vector<std::uint32_t>& people,
                           const std::vector<double>& weight) {
  double total = 0.0, sum = 0.0;
  for (std::size_t j = 0; j < people.size(); ++j)
    if (weight[j] > 0.0 && w.counted[outcome][people[j]]) {
      total += weight[j];
      sum += weight[j] * w.value[outcome][people[j]];
    }
  CohortValue v;
  if (total <= 0.0) return {0.0, nan, nan};
  v.value = sum / total;
  double squares = 0.0;
  for (std::size_t j = 0; j < people.size(); ++j)
    if (weight[j] > 0.0 && w.counted[outcome][people[j]]) {
      const double d = w.value[outcome][people[j]] - v.value;
      squares += weight[j] * weight[j] * d * d;
    }
  v.denominator = total;
  v.standard_error = std::sqrt(squares) / total;
  return v;
}

Eigen::MatrixXd covariate_matrix(const Cohort& cohort, const std::vector<std::string>& covariates,
                                 const std::vector<std::uint32_t>& treated, const std::vector<std::uint32_t>& pool) {
  Eigen::MatrixXd x(static_cast<Eigen::Index>(treated.size() + pool.size()), static_cast<Eigen::Index>(covariates.size()));
  for (std::size_t k = 0; k < covariates.size(); ++k) {
    Eigen::Index row = 0;
    for (std::uint32_t i : treated) x(row++, static_cast<Eigen::Index>(k)) = cohort.attribute(covariates[k], i);
    for (std::uint32_t i : pool) x(row++, static_cast<Eigen::Index>(k)) = cohort.attribute(covariates[k], i);
  }
  return x;
}

// Propensity weights of the pool (and which treated people were matched) for
// treated people against a pool, on observed covariates.
struct PoolWeights {
  std::vector<std::uint32_t> treated;  // those kept (matched, or all with odds weights)
  std::vector<double> pool_weight;     // per pool member
};
PoolWeights propensity_weights(const Cohort& cohort, const std::vector<std::string>& covariates,
                               const MatchOptions& matching, PoolWeighting weighting,
                               const std::vector<std::uint32_t>& treated, const std::vector<std::uint32_t>& pool) {
  const Eigen::MatrixXd x = covariate_matrix(cohort, covariates, treated, pool);
  std::vector<std::uint8_t> y(treated.size() + pool.size(), 0);
  std::fill(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(treated.size()), 1);
  const LogisticFit fit = fit_logistic(x, y);
  const Eigen::VectorXd logit = logistic_logit(fit, x);
  const auto n = static_cast<Eigen::Index>(treated.size());
  PoolWeights out;
  if (weighting == PoolWeighting::odds) {
    out.treated = treated;
    for (std::size_t j = 0; j < pool.size(); ++j) out.pool_weight.push_back(std::exp(logit(n + static_cast<Eigen::Index>(j))));
    return out;
  }
  const Matching m = match_nearest(logit.head(n), logit.tail(static_cast<Eigen::Index>(pool.size())), matching);
  for (std::size_t i = 0; i < treated.size(); ++i)
    if (!m.matches[i].empty()) out.treated.push_back(treated[i]);
  out.pool_weight = m.pool_weight;
  return out;
}

double mean_ogrs(const Cohort& cohort, const std::vector<std::uint32_t>& people) {
  double s = 0.0;
  for (std::uint32_t i : people) s += cohort.ogrs3_two_year[i];
  return people.empty() ? nan : s / static_cast<double>(people.size());
}

double discounted(const std::vector<double>& by_year, double rate) {
  double total = 0.0;
  for (std::size_t y = 0; y < by_year.size(); ++y) total += by_year[y] * discount_factor(rate, static_cast<int>(y));
  return total;
}

}  // namespace

std::vector<ContractCohort> form_cohorts(const Contract& c, const Cohort& cohort, std::size_t size) {
  const CohortRule& rule = c.cohort;
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<ContractCohort> out;
  if (rule.close_by_size || size > 0) {
    const std::size_t n = size > 0 ? size : rule.size;
    const std::vector<std::uint32_t> people = eligible_in_window(rule.eligible, cohort, rule.first_index_day, inf);
    const std::size_t needed = n * static_cast<std::size_t>(rule.count);
    if (people.size() < needed)
      throw contract_error(c, "cohorts.close",
                           std::to_string(rule.count) + " cohorts of " + std::to_string(n) + " need " +
                               std::to_string(needed) + " eligible people, and the scenario indexes " +
                               std::to_string(people.size()) +
                               ": raise cohort.size or cohort.index_period_days in the scenario");
    for (int k = 0; k < rule.count; ++k) {
      ContractCohort cc;
      cc.label = "cohort " + std::to_string(k + 1);
      cc.people.assign(people.begin() + static_cast<std::ptrdiff_t>(k * n),
                       people.begin() + static_cast<std::ptrdiff_t>((k + 1) * n));
      cc.open_day = cohort.index_day[cc.people.front()];
      cc.close_day = cohort.index_day[cc.people.back()];
      out.push_back(std::move(cc));
    }
    return out;
  }
  for (int k = 0; k < rule.count; ++k) {
    ContractCohort cc;
    cc.label = "cohort " + std::to_string(k + 1);
    cc.open_day = rule.first_index_day + k * rule.period_days;
    cc.close_day = cc.open_day + rule.period_days;
    // A period takes index dates in [open, close): the next one starts at close.
    cc.people = eligible_in_window(rule.eligible, cohort, cc.open_day, std::nextafter(cc.close_day, -inf));
    if (cc.people.empty())
      throw contract_error(c, "cohorts.close",
                           cc.label + " (index days " + exact_number(cc.open_day) + " to " + exact_number(cc.close_day) +
                               ") has no eligible people: raise cohort.size in the scenario or lengthen the period");
    out.push_back(std::move(cc));
  }
  return out;
}

ReplicatePricing price_replicate(const Contract& c, const ContractReplicate& r, std::size_t cohort_size) {
  ReplicatePricing out;
  out.cohorts = form_cohorts(c, r.cohort, cohort_size);
  const ComparisonRule& cmp = c.comparison;
  const std::size_t outcomes = c.outcomes.size(), cohorts = out.cohorts.size();
  out.measured_improvement.assign(outcomes, std::vector<double>(cohorts));
  out.true_improvement.assign(outcomes, std::vector<double>(cohorts));
  out.true_relative_improvement.assign(outcomes, std::vector<double>(cohorts));
  for (std::size_t k = 0; k < cohorts; ++k) {
    const ContractCohort& cc = out.cohorts[k];
    // The comparison group of this cohort, where the method has one.
    std::vector<std::uint32_t> pool, treated = cc.people;
    std::vector<double> pool_weight;
    if (cmp.method == ComparisonMethod::matched || cmp.method == ComparisonMethod::randomised) {
      Eligibility e = c.cohort.eligible;
      e.areas = cmp.pool_areas;
      pool = eligible_in_window(e, r.cohort, cc.open_day, cc.close_day);
      if (pool.empty())
        throw contract_error(c, "comparison.pool_areas",
                             "no one in the pool areas was indexed with " + cc.label + ": give the pool areas a larger share");
      pool_weight.assign(pool.size(), 1.0);
    }
    if (cmp.method == ComparisonMethod::matched) {
      try {
        PoolWeights w = propensity_weights(r.cohort, cmp.covariates, cmp.matching, cmp.weighting, cc.people, pool);
        treated = std::move(w.treated);
        pool_weight = std::move(w.pool_weight);
      } catch (const std::runtime_error& e) {
        throw contract_error(c, "comparison.covariates", cc.label + ": the propensity score cannot be fitted: " + e.what());
      }
      if (treated.empty()) throw contract_error(c, "comparison.caliper_sd", cc.label + ": no one could be matched within the caliper");
    }
    for (std::size_t j = 0; j < outcomes; ++j) {
      const OutcomeDefinition& d = c.outcomes[j];
      const CohortValue with_all = value_of(r.with_service, j, cc.people);
      const CohortValue without_all = value_of(r.without_service, j, cc.people);
      out.true_improvement[j][k] = without_all.value - with_all.value;
      out.true_relative_improvement[j][k] = without_all.value > 0.0 ? out.true_improvement[j][k] / without_all.value : nan;

      CohortOutcome row;
      row.label = cc.label;
      row.close_day = cc.close_day;
      row.result_day = cc.close_day + d.followup_days + d.waiting_days;
      const CohortValue measured = value_of(r.with_service, j, treated);
      row.denominator = measured.denominator;
      row.measured = measured.value;
      row.measured_se = measured.standard_error;
      switch (cmp.method) {
        case ComparisonMethod::counterfactual:
          row.comparison = without_all.value;
          row.comparison_se = without_all.standard_error;
          break;
        case ComparisonMethod::baseline: {
          double b = cmp.baseline_value[j];
          const double predicted = mean_ogrs(r.cohort, cc.people);
          if (cmp.case_mix == CaseMix::ogrs_ratio) b *= predicted / cmp.baseline_predicted;
          if (cmp.case_mix == CaseMix::ogrs_difference) b += predicted - cmp.baseline_predicted;
          row.comparison = b;
          row.comparison_se = cmp.baseline_standard_error[j];
          break;
        }
        case ComparisonMethod::randomised:
        case ComparisonMethod::matched: {
          const CohortValue v = weighted_value(r.with_service, j, pool, pool_weight);
          row.comparison = v.value;
          row.comparison_se = v.standard_error;
          break;
        }
      }
      out.measured_improvement[j][k] = row.comparison - row.measured;
      out.tables[d.name].push_back(row);
    }
  }
  out.schedule = contract_payments(c.payments, out.tables);
  const double rate = c.payments.discount_rate;
  out.service_cost = discounted(r.service_cost_by_year, rate);
  out.provider_profit = out.schedule.present_value - out.service_cost;
  for (const auto& by_year : r.savings_by_agency_year) out.savings_by_agency.push_back(discounted(by_year, rate));
  const auto a = std::find(r.agencies.begin(), r.agencies.end(), c.commissioner);
  const double saved = a == r.agencies.end() ? 0.0 : out.savings_by_agency[static_cast<std::size_t>(a - r.agencies.begin())];
  out.commissioner_net = saved - out.schedule.present_value;
  return out;
}

Spread spread(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
  Spread s;
  s.mean = estimate(values);
  std::sort(values.begin(), values.end());
  s.q05 = quantile_of_sorted(values, 0.05);
  s.q25 = quantile_of_sorted(values, 0.25);
  s.q50 = quantile_of_sorted(values, 0.50);
  s.q75 = quantile_of_sorted(values, 0.75);
  s.q95 = quantile_of_sorted(values, 0.95);
  return s;
}

namespace {

double outcome_paid(const PaymentSchedule& s) { return s.outcome_payments; }

// Outcome payments due, and when (amount-weighted), and the first.
struct PaymentTiming {
  double weighted_day = nan, first_day = nan;
};
PaymentTiming timing_of(const PaymentSchedule& s) {
  double amount = 0.0, weighted = 0.0, first = std::numeric_limits<double>::infinity();
  for (const Payment& p : s.payments)
    if (p.kind == PaymentKind::outcome && p.amount > 0.0) {
      amount += p.amount;
      weighted += p.amount * p.due_day;
      first = std::min(first, p.due_day);
    }
  if (amount <= 0.0) return {};
  return {weighted / amount, first};
}

// True units of the first outcome averted over the cohorts: improvement × people.
double true_units_averted(const ReplicatePricing& p, const std::string& first_outcome) {
  double total = 0.0;
  const auto& rows = p.tables.at(first_outcome);
  for (std::size_t k = 0; k < rows.size(); ++k) total += p.true_improvement[0][k] * static_cast<double>(p.cohorts[k].people.size());
  return total;
}

// The first outcome's improvement and its standard error for the first cohort.
struct FirstCohortTest {
  double improvement = 0.0, standard_error = 0.0, true_improvement = 0.0, true_relative = 0.0, comparison = 0.0;
};
FirstCohortTest first_cohort_test(const Contract& c, const ReplicatePricing& p, const ContractReplicate& r) {
  const CohortOutcome& row = p.tables.at(c.outcomes[0].name).front();
  FirstCohortTest t;
  t.improvement = p.measured_improvement[0][0];
  t.true_improvement = p.true_improvement[0][0];
  t.true_relative = p.true_relative_improvement[0][0];
  t.comparison = row.comparison;
  if (c.comparison.method == ComparisonMethod::counterfactual) {
    // The same people in both worlds: the paired differences' error.
    CohortValueSum d;
    for (std::uint32_t i : p.cohorts[0].people)
      d.add({r.without_service.value[0][i] - r.with_service.value[0][i],
             r.without_service.counted[0][i] && r.with_service.counted[0][i]});
    t.standard_error = d.result().standard_error;
  } else {
    t.standard_error = std::sqrt(row.measured_se * row.measured_se + row.comparison_se * row.comparison_se);
  }
  return t;
}

const std::vector<std::string> default_participant_covariates{"age", "previous_sanctions", "age_at_first_sanction",
                                                              "ogrs3"};

// One replicate of the participant evaluation; false when it cannot be made
// (no participants, or a score that cannot be fitted).
struct ParticipantReading {
  double participants = 0.0, estimated = 0.0, standard_error = 0.0, truth = 0.0;
};
bool read_participants(const Contract& c, const ReplicatePricing& p, const ContractReplicate& r,
                       const std::vector<std::string>& covariates, ParticipantReading& out) {
  std::vector<std::uint32_t> treated, pool;
  std::vector<std::uint8_t> in_cohort(r.cohort.size(), 0);
  for (const ContractCohort& cc : p.cohorts)
    for (std::uint32_t i : cc.people) in_cohort[i] = 1;
  Eligibility anywhere = c.cohort.eligible;
  std::fill(anywhere.areas.begin(), anywhere.areas.end(), 1);
  const double first = p.cohorts.front().open_day, last = p.cohorts.back().close_day;
  for (std::size_t i = 0; i < r.cohort.size(); ++i) {
    if (r.with_service.participated[i] && in_cohort[i])
      treated.push_back(static_cast<std::uint32_t>(i));
    else if (!r.with_service.participated[i] && r.cohort.index_day[i] >= first && r.cohort.index_day[i] <= last &&
             eligible_at_index(anywhere, r.cohort, i))
      pool.push_back(static_cast<std::uint32_t>(i));
  }
  if (treated.size() < 2 || pool.size() < 2) return false;
  try {
    const PoolWeights w = propensity_weights(r.cohort, covariates, MatchOptions{}, PoolWeighting::nearest, treated, pool);
    if (w.treated.size() < 2) return false;
    const CohortValue with = value_of(r.with_service, 0, w.treated);
    const CohortValue without = value_of(r.without_service, 0, w.treated);
    const CohortValue matched = weighted_value(r.with_service, 0, pool, w.pool_weight);
    out.participants = static_cast<double>(w.treated.size());
    out.estimated = matched.value - with.value;
    out.standard_error = std::sqrt(matched.standard_error * matched.standard_error + with.standard_error * with.standard_error);
    out.truth = without.value - with.value;
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

// The participant evaluation's covariates: the contract's matching ones, or
// a default set less any that do not vary among the eligible.
std::vector<std::string> participant_covariates(const Contract& c, const Cohort& cohort) {
  if (c.comparison.method == ComparisonMethod::matched) return c.comparison.covariates;
  std::vector<std::string> out;
  for (const std::string& name : default_participant_covariates) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t i = 0; i < cohort.size(); ++i)
      if (eligible_at_index(c.cohort.eligible, cohort, i)) {
        lo = std::min(lo, cohort.attribute(name, i));
        hi = std::max(hi, cohort.attribute(name, i));
      }
    if (hi > lo) out.push_back(name);
  }
  return out;
}

}  // namespace

ContractEvaluation summarise(const Contract& c, const std::vector<ContractReplicate>& recorded,
                             const std::vector<ReplicatePricing>& priced) {
  ContractEvaluation e;
  e.contract = c.name;
  e.source = c.source;
  e.file = c.file;
  e.replicates = static_cast<int>(priced.size());
  e.commissioner = c.commissioner;
  for (const auto& o : c.outcomes) e.outcome_names.push_back(o.name);
  if (priced.empty()) return e;
  for (const auto& cc : priced.front().cohorts) e.cohort_labels.push_back(cc.label);
  e.agencies = recorded.front().agencies;

  std::vector<double> fees, cost, profit, net, paid_day, first_day;
  std::vector<std::vector<double>> savings(e.agencies.size());
  double any = 0.0;
  for (const ReplicatePricing& p : priced) {
    e.replicate_outcome_payments.push_back(outcome_paid(p.schedule));
    e.replicate_present_value.push_back(p.schedule.present_value);
    e.replicate_provider_profit.push_back(p.provider_profit);
    fees.push_back(p.schedule.fees);
    cost.push_back(p.service_cost);
    profit.push_back(p.provider_profit);
    net.push_back(p.commissioner_net);
    for (std::size_t a = 0; a < savings.size(); ++a) savings[a].push_back(p.savings_by_agency[a]);
    if (outcome_paid(p.schedule) > 0.0) any += 1.0;
    const PaymentTiming t = timing_of(p.schedule);
    paid_day.push_back(t.weighted_day);
    first_day.push_back(t.first_day);
  }
  const double n = static_cast<double>(priced.size());
  e.outcome_payments = spread(e.replicate_outcome_payments);
  e.present_value = spread(e.replicate_present_value);
  e.probability_any_payment = any / n;
  e.payment_day = spread(paid_day);
  e.first_payment_day = spread(first_day);
  e.fees = spread(fees);
  e.service_cost = spread(cost);
  e.provider_profit = spread(profit);
  e.commissioner_net = spread(net);
  for (auto& s : savings) e.savings_by_agency.push_back(spread(s));

  for (std::size_t j = 0; j < c.outcomes.size(); ++j) {
    EffectReading r;
    r.outcome = c.outcomes[j].name;
    std::vector<double> measured, truth, error, se, comparison;
    for (std::size_t i = 0; i < priced.size(); ++i) {
      const ReplicatePricing& p = priced[i];
      const auto& rows = p.tables.at(r.outcome);
      for (std::size_t k = 0; k < rows.size(); ++k) {
        const double m = rows[k].comparison > 0.0 ? p.measured_improvement[j][k] / rows[k].comparison : nan;
        measured.push_back(m);
        truth.push_back(p.true_relative_improvement[j][k]);
        error.push_back(m - p.true_relative_improvement[j][k]);
        comparison.push_back(rows[k].comparison);
      }
      if (j == 0) se.push_back(first_cohort_test(c, p, recorded[i]).standard_error);
      else se.push_back(std::hypot(rows.front().measured_se, rows.front().comparison_se));
    }
    r.measured = spread(measured);
    r.truth = spread(truth);
    const Spread err = spread(error);
    r.bias = err.mean.mean;
    r.noise = err.mean.sd;
    e.effects.push_back(r);

    DetectableEffect d;
    d.outcome = r.outcome;
    d.cohort_size = static_cast<double>(priced.front().cohorts.front().people.size());
    d.comparison_value = spread(comparison).mean.mean;
    d.standard_error = spread(se).mean.mean;
    d.absolute = (normal_quantile(1.0 - c.evaluation.power_level) + normal_quantile(c.evaluation.power_target)) *
                 d.standard_error;
    d.relative = d.comparison_value > 0.0 ? d.absolute / d.comparison_value : nan;
    e.detectable.push_back(d);
  }

  // The participant evaluation, on the contract's own service.
  const std::vector<std::string> covariates = participant_covariates(c, recorded.front().cohort);
  e.participants.covariates = covariates;
  std::vector<double> count, estimated, truth, gap;
  double significant = 0.0;
  for (std::size_t i = 0; i < priced.size(); ++i) {
    ParticipantReading reading;
    if (covariates.empty() || !read_participants(c, priced[i], recorded[i], covariates, reading)) continue;
    count.push_back(reading.participants);
    estimated.push_back(reading.estimated);
    truth.push_back(reading.truth);
    gap.push_back(reading.estimated - reading.truth);
    if (reading.standard_error > 0.0 && reading.estimated / reading.standard_error > normal_quantile(0.975)) significant += 1.0;
  }
  e.participants.participants = estimate(count);
  e.participants.estimated_effect = estimate(estimated);
  e.participants.true_effect = estimate(truth);
  e.participants.bias = estimate(gap);
  e.participants.probability_significant = count.empty() ? nan : significant / static_cast<double>(count.size());
  return e;
}

std::size_t worlds_to_simulate(const Contract& c, const ContractRunOptions& options) {
  const int replicates = options.replicates > 0 ? options.replicates : c.evaluation.replicates;
  std::size_t per_replicate = 2;
  if (options.power) per_replicate += c.evaluation.power_service_multipliers.size();
  if (options.gaming)
    for (Strategy s : c.evaluation.strategies) per_replicate += s == Strategy::as_written ? 0 : 1;
  return per_replicate * static_cast<std::size_t>(replicates);
}

namespace {

Option with_service_multiplier(const Contract& c, double multiplier) {
  Option o = c.service;
  for (std::size_t i : c.service_interventions()) {
    auto& m = o.scenario.parameters.interventions[i].offending_multiplier;
    m.value = multiplier;
  }
  return o;
}

// The OGRS3 score above which the riskiest quarter of the contract's eligible people lie.
double riskiest_quarter_from(const Contract& c, const Cohort& cohort) {
  std::vector<double> scores;
  for (std::size_t i = 0; i < cohort.size(); ++i)
    if (eligible_at_index(c.cohort.eligible, cohort, i)) scores.push_back(cohort.ogrs3_two_year[i]);
  std::sort(scores.begin(), scores.end());
  return scores.empty() ? 1.0 : quantile_of_sorted(scores, 0.75);
}

struct StrategySamples {
  std::vector<double> payments, profit, cost, net, averted;
  double any = 0.0;
};

struct PowerSamples {
  std::vector<double> true_relative, standard_error, true_improvement;
  double passed = 0.0, paid = 0.0, payments = 0.0;
  int replicates = 0;
};

}  // namespace

ContractRun evaluate_contract(const Contract& c, const ContractRunOptions& options) {
  const int replicates = options.replicates > 0 ? options.replicates : c.evaluation.replicates;
  const std::uint64_t seed = options.seed_given ? options.seed : c.evaluation.seed;
  const std::vector<double>& multipliers = c.evaluation.power_service_multipliers;
  std::vector<std::size_t> sizes = c.evaluation.power_cohort_sizes;
  std::vector<Strategy> strategies;
  if (options.gaming) strategies = c.evaluation.strategies;

  ContractRun run;
  std::vector<ReplicatePricing> priced;
  std::vector<StrategySamples> strategy_samples(strategies.size());
  std::vector<std::vector<PowerSamples>> power_samples;
  const auto world_done = [&] {
    if (options.worlds_done) options.worlds_done->fetch_add(1);
  };

  auto body = [&] {
    for (int rep = 0; rep < replicates; ++rep) {
      const SimulationKey key{seed, static_cast<std::uint64_t>(rep)};
      const ReplicateWorlds worlds(c, key, options.cancel);
      world_done();
      ContractReplicate recorded = worlds.with_service(c.service);
      world_done();
      ReplicatePricing pricing = price_replicate(c, recorded, 0);
      if (sizes.empty()) sizes.push_back(pricing.cohorts.front().people.size());
      if (options.power && power_samples.empty()) {
        power_samples.assign(multipliers.size(), std::vector<PowerSamples>(sizes.size()));
        // Every power size must fit in the scenario: find out now, not after the first variant.
        for (std::size_t size : sizes) form_cohorts(c, worlds.cohort(), size);
      }

      if (options.power)
        for (std::size_t m = 0; m < multipliers.size(); ++m) {
          const ContractReplicate variant = worlds.with_service(with_service_multiplier(c, multipliers[m]));
          world_done();
          for (std::size_t s = 0; s < sizes.size(); ++s) {
            const ReplicatePricing p = price_replicate(c, variant, sizes[s]);
            const FirstCohortTest t = first_cohort_test(c, p, variant);
            PowerSamples& ps = power_samples[m][s];
            ps.true_relative.push_back(t.true_relative);
            ps.true_improvement.push_back(t.true_improvement);
            ps.standard_error.push_back(t.standard_error);
            if (t.standard_error > 0.0 && t.improvement / t.standard_error > normal_quantile(1.0 - c.evaluation.power_level))
              ps.passed += 1.0;
            if (p.schedule.outcome_payments > 0.0) ps.paid += 1.0;
            ps.payments += p.schedule.outcome_payments;
            ++ps.replicates;
          }
        }

      for (std::size_t s = 0; s < strategies.size(); ++s) {
        const Strategy strategy = strategies[s];
        ReplicatePricing p;
        if (strategy == Strategy::as_written) {
          p = pricing;
        } else {
          // Stopping is decided on the first cohort's result as written: the
          // provider stops only where that cohort earned nothing.
          bool stop = false;
          if (strategy == Strategy::stop_when_unreachable) {
            const std::string& first = pricing.cohorts.front().label;
            double earned = 0.0;
            for (const Assessment& a : pricing.schedule.assessments)
              if (a.cohort == first) earned += a.amount;
            stop = earned <= 0.0;
          }
          const double stop_day = pricing.cohorts.front().close_day;
          const Option service =
              service_for(c, strategy, riskiest_quarter_from(c, worlds.cohort()),
                          strategy == Strategy::stop_when_unreachable && !stop ? std::numeric_limits<double>::infinity()
                                                                                : stop_day);
          const ContractReplicate variant = worlds.with_service(service);
          world_done();
          p = price_replicate(c, variant, 0);
        }
        StrategySamples& ss = strategy_samples[s];
        ss.payments.push_back(p.schedule.outcome_payments);
        ss.profit.push_back(p.provider_profit);
        ss.cost.push_back(p.service_cost);
        ss.net.push_back(p.commissioner_net);
        ss.averted.push_back(true_units_averted(p, c.outcomes[0].name));
        if (p.schedule.outcome_payments > 0.0) ss.any += 1.0;
      }
      run.recorded.push_back(std::move(recorded));
      priced.push_back(std::move(pricing));
    }
  };
  if (options.threads < 0) body();
  else ThreadArena(options.threads).execute(body);

  run.evaluation = summarise(c, run.recorded, priced);
  run.evaluation.seed = seed;
  const double z = normal_quantile(1.0 - c.evaluation.power_level);
  for (std::size_t m = 0; m < power_samples.size(); ++m)
    for (std::size_t s = 0; s < sizes.size(); ++s) {
      const PowerSamples& ps = power_samples[m][s];
      PowerPoint pt;
      pt.cohort_size = sizes[s];
      pt.service_multiplier = multipliers[m];
      const double n = static_cast<double>(ps.replicates);
      pt.true_relative_effect = estimate(ps.true_relative).mean;
      pt.standard_error = estimate(ps.standard_error).mean;
      pt.simulated_power = ps.passed / n;
      pt.analytic_power = normal_cdf(estimate(ps.true_improvement).mean / pt.standard_error - z);
      pt.probability_any_payment = ps.paid / n;
      pt.expected_payment = ps.payments / n;
      run.evaluation.power.push_back(pt);
    }
  double best_profit = -std::numeric_limits<double>::infinity(), best_averted = best_profit;
  for (std::size_t s = 0; s < strategies.size(); ++s) {
    const StrategySamples& ss = strategy_samples[s];
    StrategyReading r;
    r.strategy = strategies[s];
    r.probability_any_payment = ss.any / static_cast<double>(replicates);
    r.outcome_payments = estimate(ss.payments);
    r.provider_profit = estimate(ss.profit);
    r.service_cost = estimate(ss.cost);
    r.commissioner_net = estimate(ss.net);
    r.true_units_averted = estimate(ss.averted);
    const std::string& name = strategy_names()[static_cast<std::size_t>(r.strategy)];
    if (r.provider_profit.mean > best_profit) {
      best_profit = r.provider_profit.mean;
      run.evaluation.strategy_rewarded = name;
    }
    if (r.true_units_averted.mean > best_averted) {
      best_averted = r.true_units_averted.mean;
      run.evaluation.strategy_wanted = name;
    }
    run.evaluation.strategies.push_back(r);
  }
  return run;
}

ContractEvaluation price_recorded(const Contract& c, const std::vector<ContractReplicate>& recorded) {
  std::vector<ReplicatePricing> priced;
  for (const ContractReplicate& r : recorded) priced.push_back(price_replicate(c, r, 0));
  return summarise(c, recorded, priced);
}

}  // namespace desist
