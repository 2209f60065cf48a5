#include "desist/contract_run.hpp"

#include <algorithm>

#include "desist/economics.hpp"
#include "desist/parallel.hpp"

namespace desist {

namespace {
constexpr std::size_t block_size = 4096;

// Whether any of the service's interventions started for the person.
bool took_part(const Event* begin, const Event* end, const std::vector<std::size_t>& service) {
  for (const Event* e = begin; e != end; ++e)
    if (e->kind == EventKind::intervention_start &&
        std::find(service.begin(), service.end(), static_cast<std::size_t>(e->detail)) != service.end())
      return true;
  return false;
}
}  // namespace

WorldOutcomes world_outcomes(const Contract& contract, const Parameters& p, const Cohort& cohort, const EventLog& log,
                             const std::vector<std::size_t>& service) {
  const std::size_t n = cohort.size(), outcomes = contract.outcomes.size();
  WorldOutcomes w;
  w.value.assign(outcomes, std::vector<double>(n));
  w.counted.assign(outcomes, std::vector<std::uint8_t>(n));
  w.participated.assign(n, 0);
  const DemandPrices prices = demand_prices(p.economics);
  parallel_loop((n + block_size - 1) / block_size, [&](std::size_t b) {
    for (std::size_t i = b * block_size; i < std::min(n, (b + 1) * block_size); ++i) {
      for (std::size_t k = 0; k < outcomes; ++k) {
        const PersonValue v = person_outcome(contract.outcomes[k], prices, log.begin(i), log.end(i));
        w.value[k][i] = v.value;
        w.counted[k][i] = v.counted ? 1 : 0;
      }
      w.participated[i] = took_part(log.begin(i), log.end(i), service) ? 1 : 0;
    }
  });
  return w;
}

ReplicateWorlds::ReplicateWorlds(const Contract& contract, SimulationKey key, const std::atomic<bool>* cancel)
    : contract_(contract), key_(key), cancel_(cancel) {
  const Parameters& p = contract.scenario.parameters;
  cohort_ = make_cohort(p, key.seed, key.replicate);
  without_log_ = simulate(p, cohort_, key, nullptr, cancel);
  without_ = world_outcomes(contract, p, cohort_, without_log_, {});
}

ContractReplicate ReplicateWorlds::with_service(const Option& service) const {
  const Parameters& base = contract_.scenario.parameters;
  const Parameters& p = service.scenario.parameters;
  const EventLog log = simulate(p, cohort_, key_, nullptr, cancel_);
  std::vector<std::size_t> interventions;
  for (std::size_t i = base.interventions.size(); i < p.interventions.size(); ++i) interventions.push_back(i);

  ContractReplicate r;
  r.replicate = key_.replicate;
  r.cohort = cohort_;
  r.without_service = without_;
  r.with_service = world_outcomes(contract_, p, cohort_, log, interventions);

  // Costs: the service's own categories, and what every agency saves elsewhere.
  const CostLedger without = cost_ledger(base, cohort_, without_log_);
  const CostLedger with = cost_ledger(p, cohort_, log);
  std::vector<std::string> service_categories;
  for (std::size_t i : interventions) service_categories.push_back(intervention_category_prefix + p.interventions[i].name);
  const auto is_service = [&](const CostLedger& l, std::size_t c) {
    return std::find(service_categories.begin(), service_categories.end(), l.categories[c]) != service_categories.end();
  };
  const auto years = static_cast<std::size_t>(with.years);
  r.service_cost_by_year.assign(years, 0.0);
  r.agencies = with.agencies;
  r.savings_by_agency_year.assign(with.agencies.size(), std::vector<double>(years, 0.0));
  for (std::size_t c = 0; c < with.categories.size(); ++c)
    for (std::size_t a = 0; a < with.agencies.size(); ++a)
      for (std::size_t y = 0; y < years; ++y) {
        const double cost = with.at(c, a, static_cast<int>(y));
        if (is_service(with, c))
          r.service_cost_by_year[y] += cost;
        else
          r.savings_by_agency_year[a][y] -= cost;
      }
  // The world without the service has the same agencies (an option adds none
  // that its own costs do not name) and no service categories.
  for (std::size_t c = 0; c < without.categories.size(); ++c)
    for (std::size_t a = 0; a < without.agencies.size(); ++a) {
      const int k = with.agency_index(without.agencies[a]);
      if (k < 0) continue;
      for (std::size_t y = 0; y < years && y < static_cast<std::size_t>(without.years); ++y)
        r.savings_by_agency_year[static_cast<std::size_t>(k)][y] += without.at(c, a, static_cast<int>(y));
    }
  return r;
}

}  // namespace desist
