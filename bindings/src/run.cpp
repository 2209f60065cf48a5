// Runs and comparisons with the GIL released, their progress and cancellation,
// and views of their results: tables, the per-person table without copying,
// and the library's HDF5 and JSON writers.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "desist/measures.hpp"
#include "desist/results_hdf5.hpp"
#include "desist/results_json.hpp"

namespace desist::python {

namespace {

// Progress and cancellation of one run, shared with the thread that polls it.
struct RunControl {
  std::atomic<std::size_t> people_done{0};
  std::atomic<bool> cancel{false};
};

RunOptions run_options(std::uint64_t seed, int replicates, int threads, bool keep_people, RunControl& control) {
  if (replicates < 1) throw py::value_error("replicates must be at least 1");
  if (threads < 0) throw py::value_error("threads must be 0 (all cores) or more");
  RunOptions o;
  o.seed = seed;
  o.replicates = replicates;
  o.threads = threads;
  o.keep_people = keep_people;
  o.people_done = &control.people_done;
  o.cancel = &control.cancel;
  return o;
}

RunView run(const Scenario& scenario, std::uint64_t seed, int replicates, int threads, bool keep_people,
            RunControl& control) {
  const RunOptions options = run_options(seed, replicates, threads, keep_people, control);
  auto owned = std::make_shared<std::pair<Scenario, RunResult>>();
  owned->first = scenario;
  {
    py::gil_scoped_release release;
    owned->second = run_scenario(owned->first, options);
  }
  return RunView{std::shared_ptr<const Scenario>(owned, &owned->first),
                 std::shared_ptr<const RunResult>(owned, &owned->second)};
}

std::shared_ptr<ComparisonData> compare(const Scenario& base, const std::vector<Option>& options, std::uint64_t seed,
                                        int replicates, int threads, bool keep_people, RunControl& control) {
  const RunOptions run = run_options(seed, replicates, threads, keep_people, control);
  auto c = std::make_shared<ComparisonData>();
  c->base = base;
  c->options = options;
  {
    py::gil_scoped_release release;
    c->run = run_comparison(c->base, c->options, run);
    for (std::size_t o = 0; o < c->options.size(); ++o)
      c->comparisons.push_back(compare_option(c->base.parameters, c->run.base, c->options[o].name,
                                              c->options[o].file, c->run.options[o]));
  }
  return c;
}

RunView option_view(const std::shared_ptr<ComparisonData>& c, std::size_t o) {
  if (o >= c->options.size()) throw py::index_error("no option " + std::to_string(o));
  return RunView{std::shared_ptr<const Scenario>(c, &c->options[o].scenario),
                 std::shared_ptr<const RunResult>(c, &c->run.options[o])};
}

// The first replicate's per-person table as a read-only structured array over
// the results' own memory (no copy); it keeps the results alive. None when the
// run did not keep it.
py::object people(const py::object& self) {
  const RunView& view = self.cast<const RunView&>();
  if (view.result->replicates.empty() || view.result->replicates[0].people.empty()) return py::none();
  const std::vector<PersonOutcome>& people = view.result->replicates[0].people;
  py::array array(py::dtype::of<PersonOutcome>(), {static_cast<py::ssize_t>(people.size())},
                  {static_cast<py::ssize_t>(sizeof(PersonOutcome))}, people.data(), self);
  array.attr("flags").attr("writeable") = false;
  return std::move(array);
}

// Names of the per-person `group` codes (as in the HDF5 file's group_names).
std::vector<std::string> group_names(const RunView& v) {
  std::vector<std::string> names;
  for (const SentenceGroup& g : v.scenario->parameters.cohort.groups) names.push_back(g.name);
  if (names.empty() && !v.result->replicates.empty() && !v.result->replicates[0].breakdowns.empty())
    names = v.result->replicates[0].breakdowns[0].categories;
  return names;
}

}  // namespace

void bind_runs(py::module_& m) {
  py::class_<RunControl>(m, "RunControl", "Progress and cancellation of a run in progress (thread-safe).")
      .def(py::init<>())
      .def_property_readonly(
          "people_done", [](const RunControl& c) { return c.people_done.load(); },
          "People simulated so far, over all replicates (and options).")
      .def("cancel", [](RunControl& c) { c.cancel = true; },
           "Asks the run to stop; it raises desist.Cancelled within one block of people.")
      .def_property_readonly(
          "cancelled", [](const RunControl& c) { return c.cancel.load(); }, "Whether cancel() was called.");

  // The per-person table's dtype: PersonOutcome's fields at their offsets in memory.
  PYBIND11_NUMPY_DTYPE(PersonOutcome, index_day, group, age, sex, ogrs3, first_proven_reoffence_day,
                       proven_reoffences, conviction_events, custody_days, recalls, death_day);
  m.attr("person_dtype") = py::dtype::of<PersonOutcome>();

  py::class_<RunView>(m, "RunResult", "The results of one run (read-only).")
      .def_property_readonly(
          "scenario", [](const RunView& v) { return *v.scenario; }, "The scenario as run (a copy).")
      .def_property_readonly(
          "seed", [](const RunView& v) { return v.result->seed; }, "Seed of the run.")
      .def_property_readonly(
          "replicates", [](const RunView& v) { return v.result->replicates.size(); }, "Number of replicates.")
      .def_property_readonly(
          "cohort_size", [](const RunView& v) { return v.result->cohort_size; }, "People in each cohort.")
      .def("tables", [](const RunView& v) { return run_tables(*v.scenario, *v.result); },
           "Everything but the per-person table, as nested dicts in the HDF5 file's layout.")
      .def("people", &people, "The first replicate's per-person table (no copy), or None.")
      .def("group_names", &group_names, "Names of the per-person 'group' codes.")
      .def(
          "to_json", [](const RunView& v) { return results_json(*v.scenario, *v.result); },
          "The JSON summary `desist run --json` writes.")
      .def(
          "write_hdf5",
          [](const RunView& v, const std::string& path) {
            py::gil_scoped_release release;
            write_results_hdf5(path, *v.scenario, *v.result);
          },
          py::arg("path"), "Writes the HDF5 results file atomically (docs/output.md).");

  py::class_<ComparisonData, std::shared_ptr<ComparisonData>>(m, "ComparisonResult",
                                                              "The results of a comparison (read-only).")
      .def_property_readonly(
          "base", [](const std::shared_ptr<ComparisonData>& c) {
            return RunView{std::shared_ptr<const Scenario>(c, &c->base), std::shared_ptr<const RunResult>(c, &c->run.base)};
          })
      .def_property_readonly(
          "option_keys",
          [](const ComparisonData& c) {
            std::vector<std::string> keys;
            for (const Option& o : c.options) keys.push_back(option_key(o));
            return keys;
          })
      .def("option", &option_view, py::arg("index"))
      .def("tables", &comparison_tables, "Everything but per-person tables, as nested dicts in the HDF5 layout.")
      .def(
          "to_json",
          [](const ComparisonData& c) { return comparison_json(c.base, c.options, c.run, c.comparisons); },
          "The JSON summary `desist compare --json` writes.")
      .def(
          "write_hdf5",
          [](const ComparisonData& c, const std::string& path) {
            py::gil_scoped_release release;
            write_comparison_hdf5(path, c.base, c.options, c.run, c.comparisons);
          },
          py::arg("path"), "Writes the HDF5 comparison file atomically (docs/output.md).");

  m.def("run", &run, py::arg("scenario"), py::arg("seed"), py::arg("replicates"), py::arg("threads"),
        py::arg("keep_people"), py::arg("control"),
        "Runs a scenario's replicates with the GIL released. Raises desist.Cancelled when control.cancel() is called.");
  m.def("compare", &compare, py::arg("base"), py::arg("options"), py::arg("seed"), py::arg("replicates"),
        py::arg("threads"), py::arg("keep_people"), py::arg("control"),
        "Runs a base and options on shared cohorts and random numbers with the GIL released, and compares them.");
}

}  // namespace desist::python
