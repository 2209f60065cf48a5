// The Python module desist._core: the kernel's scenarios, runs and results for
// the pure-Python package in bindings/desist. Front-end side of the layering:
// it uses the library (desist_core, desist_io) and nothing depends on it.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>

#include "desist/comparison.hpp"
#include "desist/experiment.hpp"
#include "desist/option.hpp"
#include "desist/scenario.hpp"

namespace desist::python {

namespace py = pybind11;

// One run's results and the scenario it ran, kept alive together (a run of its
// own, or the base or an option of a comparison, sharing the comparison's memory).
struct RunView {
  std::shared_ptr<const Scenario> scenario;
  std::shared_ptr<const RunResult> result;
};

// Everything a comparison produced, for its views and its files.
struct ComparisonData {
  Scenario base;
  std::vector<Option> options;
  ComparisonRun run;
  std::vector<OptionComparison> comparisons;
};

void bind_errors(py::module_& m);
void bind_scenarios(py::module_& m);
void bind_runs(py::module_& m);
void bind_sweeps(py::module_& m);
void bind_contracts(py::module_& m);
void bind_fits(py::module_& m);
void bind_calibration(py::module_& m);

// Nested dicts in the layout of the HDF5 results file (docs/output.md): a
// group is a dict, a dataset a NumPy array (strings: a list of str), and an
// attribute a key "@name". The per-person table is left out (RunView.people).
py::dict run_tables(const Scenario& scenario, const RunResult& result);
py::dict comparison_tables(const ComparisonData& c);

}  // namespace desist::python
