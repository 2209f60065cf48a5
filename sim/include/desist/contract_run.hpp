// Simulating a contract's two worlds, replicate by replicate: the scenario
// without the service and with it, on the same cohort and random streams
// (common random numbers), so each person's outcome without the service is
// the true counterfactual of their outcome with it. What a contract needs of a
// replicate is recorded in a ContractReplicate, from which it is priced; the
// same records written to a file price it again without simulating
// (desist pbr --results).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "desist/cohort.hpp"
#include "desist/contract.hpp"
#include "desist/engine.hpp"

namespace desist {

// One world's outcomes, person by person.
struct WorldOutcomes {
  std::vector<std::vector<double>> value;          // [outcome][person], in the contract's outcome order
  std::vector<std::vector<std::uint8_t>> counted;  // [outcome][person]: in the outcome's denominator
  std::vector<std::uint8_t> participated;          // started any of the service's interventions
};

struct ContractReplicate {
  std::uint64_t replicate = 0;
  Cohort cohort;  // everyone in the scenario's cohort, as at the index date
  WorldOutcomes without_service, with_service;
  // Undiscounted pounds by calendar year from contract start (cohort day 0),
  // so a contract with another discount rate can price the same record.
  std::vector<double> service_cost_by_year;  // the service's delivery cost
  std::vector<std::string> agencies;
  std::vector<std::vector<double>> savings_by_agency_year;  // [agency][year]: without − with, outside the service's costs
};

// The cohort of one replicate and its world without the service; each call of
// with_service() simulates one version of the service on them.
class ReplicateWorlds {
 public:
  // `cancel`, when set from another thread, stops the run (Cancelled).
  ReplicateWorlds(const Contract& contract, SimulationKey key, const std::atomic<bool>* cancel = nullptr);

  const Cohort& cohort() const { return cohort_; }
  // The service as run by `service` (the contract's own, or a variant of it:
  // a gaming strategy, another effect size for the power curve).
  ContractReplicate with_service(const Option& service) const;

 private:
  const Contract& contract_;
  SimulationKey key_;
  const std::atomic<bool>* cancel_;
  Cohort cohort_;
  EventLog without_log_;
  WorldOutcomes without_;
};

// The outcomes of every person of `log` under the contract's definitions;
// `service` lists the intervention indices whose start counts as taking part.
WorldOutcomes world_outcomes(const Contract& contract, const Parameters& p, const Cohort& cohort, const EventLog& log,
                             const std::vector<std::size_t>& service);

}  // namespace desist
