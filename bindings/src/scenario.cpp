// Scenarios and option files: read and validated by the library exactly as the
// command line does (parse_scenario, load_option).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "bindings.hpp"

namespace desist::python {

void bind_scenarios(py::module_& m) {
  py::class_<Scenario>(m, "Scenario", "A validated scenario (read-only).")
      .def_readonly("file", &Scenario::file, "Where it was read from (the name used in messages).")
      .def_readonly("text", &Scenario::text, "The scenario as run: the text, or re-emitted with overrides applied.")
      .def_readonly("seed", &Scenario::seed, "Default seed of a run (run.seed).")
      .def_readonly("replicates", &Scenario::replicates, "Default number of replicates (run.replicates).")
      .def_property_readonly(
          "name", [](const Scenario& s) { return s.parameters.name; }, "scenario.name")
      .def_property_readonly(
          "cohort_size", [](const Scenario& s) { return s.parameters.cohort.size; }, "People in each replicate's cohort.")
      .def_property_readonly(
          "group_names",
          [](const Scenario& s) {
            std::vector<std::string> names;
            for (const SentenceGroup& g : s.parameters.cohort.groups) names.push_back(g.name);
            return names;
          },
          "Names of the sentence groups, in the order of the per-person 'group' codes.")
      .def_property_readonly(
          "interventions",
          [](const Scenario& s) {
            std::vector<std::string> names;
            for (const InterventionParameters& i : s.parameters.interventions) names.push_back(i.name);
            return names;
          },
          "Names of the scenario's interventions.")
      .def_property_readonly(
          "horizon_days", [](const Scenario& s) { return s.parameters.horizon_days; }, "Length of each history.")
      .def_property_readonly(
          "followup_days", [](const Scenario& s) { return s.parameters.measures.followup_days; }, "Follow-up window.")
      .def_property_readonly(
          "waiting_days", [](const Scenario& s) { return s.parameters.measures.waiting_days; }, "Waiting period.");

  m.def("parse_scenario", &parse_scenario, py::arg("text"), py::arg("name"),
        py::arg("overrides") = std::vector<std::string>{},
        "Reads a scenario from text, applies 'path.to.key=value' overrides and validates it, exactly as\n"
        "`desist validate` does; `name` stands for the file in messages. Raises desist.InputError.");

  py::class_<Option>(m, "Option", "A commissioning option read against a base scenario (read-only).")
      .def_readonly("file", &Option::file)
      .def_readonly("name", &Option::name)
      .def_readonly("description", &Option::description)
      .def_property_readonly("key", [](const Option& o) { return option_key(o); },
                             "The option's key in results: its file name without directory or extension.")
      .def_readonly("scenario", &Option::scenario, "The base with the option's interventions added.");

  m.def("load_option", &load_option, py::arg("base"), py::arg("path"), py::arg("overrides") = std::vector<std::string>{},
        "Reads an option file against a base scenario, after overrides ('path.to.key=value') of its own keys. "
        "Raises desist.InputError.");
}

}  // namespace desist::python
