// Payment-by-Results contracts (docs/pbr.md): the library's contract
// evaluation with the GIL released, its progress in simulated worlds and its
// cancellation, pricing a recorded file, and the evaluation as the JSON of
// `desist pbr --json`, so the package reads an evaluation in memory and a
// contract file (whose `evaluation` attribute is that JSON) through the same code.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "desist/contract.hpp"
#include "desist/pbr.hpp"
#include "desist/pbr_results.hpp"

namespace desist::python {

namespace {

struct ContractControl {
  std::atomic<std::size_t> worlds_done{0};
  std::atomic<bool> cancel{false};
};

// An evaluation and the contract it priced, kept alive together.
struct ContractOutcome {
  std::shared_ptr<const Contract> contract;
  ContractRun run;
  bool simulated = true;  // false: priced from a recorded file (nothing to write)
};

std::shared_ptr<const Contract> load(const std::string& path, const std::string& scenario_file,
                                     const std::vector<std::string>& overrides,
                                     const std::vector<std::string>& scenario_overrides) {
  py::gil_scoped_release release;
  ContractInputs inputs;
  inputs.scenario_file = scenario_file;
  inputs.overrides = overrides;
  inputs.scenario_overrides = scenario_overrides;
  return std::make_shared<const Contract>(load_contract(path, inputs));
}

ContractRunOptions run_options(int replicates, std::optional<std::uint64_t> seed, int threads, bool power,
                               bool gaming) {
  if (replicates < 0) throw py::value_error("replicates must be 1 or more (0: the contract's own)");
  if (threads < 0) throw py::value_error("threads must be 0 (all cores) or more");
  ContractRunOptions o;
  o.replicates = replicates;
  o.seed = seed.value_or(0);
  o.seed_given = seed.has_value();
  o.threads = threads;
  o.power = power;
  o.gaming = gaming;
  return o;
}

ContractOutcome evaluate(const std::shared_ptr<const Contract>& c, int replicates, std::optional<std::uint64_t> seed,
                         int threads, bool power, bool gaming, ContractControl& control) {
  ContractRunOptions o = run_options(replicates, seed, threads, power, gaming);
  o.worlds_done = &control.worlds_done;
  o.cancel = &control.cancel;
  py::gil_scoped_release release;
  return {c, evaluate_contract(*c, o), true};
}

ContractOutcome price(const std::shared_ptr<const Contract>& c, const std::string& results) {
  py::gil_scoped_release release;
  ContractOutcome out{c, {}, false};
  std::uint64_t seed = 0;
  out.run.recorded = read_contract_replicates(results, *c, &seed);
  out.run.evaluation = price_recorded(*c, out.run.recorded);
  out.run.evaluation.seed = seed;
  return out;
}

py::array_t<double> array(const std::vector<double>& v) { return py::array_t<double>(v.size(), v.data()); }

}  // namespace

void bind_contracts(py::module_& m) {
  py::class_<Contract, std::shared_ptr<Contract>>(m, "Contract", "A contract file read and checked (docs/pbr.md).")
      .def_readonly("file", &Contract::file, "The contract file (the name used in messages).")
      .def_readonly("name", &Contract::name, "contract.name")
      .def_readonly("text", &Contract::text, "The contract file as read.")
      .def_property_readonly(
          "scenario", [](const Contract& c) { return c.scenario; }, "The world without the service.");

  py::class_<ContractControl>(m, "ContractControl", "Progress and cancellation of a contract evaluation (thread-safe).")
      .def(py::init<>())
      .def_property_readonly(
          "worlds_done", [](const ContractControl& c) { return c.worlds_done.load(); }, "Worlds simulated so far.")
      .def("cancel", [](ContractControl& c) { c.cancel = true; }, "Asks the evaluation to stop.")
      .def_property_readonly(
          "cancelled", [](const ContractControl& c) { return c.cancel.load(); }, "Whether cancel() was called.");

  py::class_<ContractOutcome>(m, "ContractEvaluation", "A contract's evaluation (read-only).")
      .def(
          "to_json", [](const ContractOutcome& o) { return contract_json(o.run.evaluation); },
          "The JSON `desist pbr --json` writes.")
      .def(
          "per_replicate",
          [](const ContractOutcome& o) {
            const ContractEvaluation& e = o.run.evaluation;
            py::dict d;
            d["outcome_payments"] = array(e.replicate_outcome_payments);
            d["present_value"] = array(e.replicate_present_value);
            d["provider_profit"] = array(e.replicate_provider_profit);
            return d;
          },
          "Per replicate: outcome_payments, present_value, provider_profit (the file's /per_replicate/).")
      .def_readonly("simulated", &ContractOutcome::simulated, "False when priced from a recorded file.")
      .def(
          "write_hdf5",
          [](const ContractOutcome& o, const std::string& path) {
            if (!o.simulated)
              throw py::value_error("an evaluation priced from a recorded file has no simulated replicates to write");
            py::gil_scoped_release release;
            write_contract_hdf5(path, *o.contract, o.run);
          },
          py::arg("path"), "Writes the file `desist pbr --out` writes, atomically (docs/pbr.md).");

  m.def("load_contract", &load, py::arg("path"), py::arg("scenario_file") = std::string(),
        py::arg("overrides") = std::vector<std::string>{}, py::arg("scenario_overrides") = std::vector<std::string>{},
        "Reads and checks a contract exactly as `desist pbr` does (--scenario, --set, --scenario-set). "
        "Raises desist.InputError.");
  m.def(
      "contract_worlds",
      [](const Contract& c, int replicates, bool power, bool gaming) {
        return worlds_to_simulate(c, run_options(replicates, std::nullopt, 0, power, gaming));
      },
      py::arg("contract"), py::arg("replicates"), py::arg("power"), py::arg("gaming"),
      "Worlds an evaluation simulates (for progress).");
  m.def("evaluate_contract", &evaluate, py::arg("contract"), py::arg("replicates"), py::arg("seed"),
        py::arg("threads"), py::arg("power"), py::arg("gaming"), py::arg("control"),
        "Simulates and prices the contract with the GIL released (replicates 0: the contract's own; seed None: "
        "the contract's, else the scenario's). Raises desist.Cancelled when control.cancel() is called.");
  m.def("price_contract", &price, py::arg("contract"), py::arg("results"),
        "Prices the replicates recorded in a contract file (desist pbr --results) without simulating. Raises "
        "desist.InputError for an outcome the file did not record.");
}

}  // namespace desist::python
