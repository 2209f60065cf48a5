// Fitting the offending hazard to person-level data (docs/fitting.md): the
// data read from CSV files exactly as `desist fit` reads them, or taken from
// columns in memory, and the fit with the GIL released; its results as the
// JSON `desist fit --json` writes, so the package reads the CLI's numbers.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "bindings.hpp"
#include "desist/fit.hpp"

namespace desist::python {

namespace {

TimeUnit time_unit(const std::string& name) {
  if (name == "days") return TimeUnit::days;
  if (name == "weeks") return TimeUnit::weeks;
  if (name == "months") return TimeUnit::months;
  throw py::value_error("time_unit must be 'days', 'weeks' or 'months', not '" + name + "'");
}

HazardModel hazard_model(const std::string& name) {
  if (name == "exponential") return HazardModel::exponential;
  if (name == "weibull") return HazardModel::weibull;
  if (name == "loglogistic") return HazardModel::log_logistic;
  if (name == "piecewise") return HazardModel::piecewise_constant;
  throw py::value_error("model must be 'exponential', 'weibull', 'loglogistic' or 'piecewise', not '" + name + "'");
}

SurvivalData read(const FitDataSpec& spec) {
  py::gil_scoped_release release;
  return read_survival_data(spec);
}

// Columns in memory: times in `unit`, converted to days as read_survival_data does.
SurvivalData columns(std::vector<double> time, const std::vector<int>& event, const std::string& unit,
                     const std::vector<std::string>& names, const std::vector<std::vector<double>>& values,
                     const std::string& description) {
  const TimeUnit u = time_unit(unit);
  for (double& t : time) t *= days_per_unit(u);
  SurvivalData d;
  try {
    d = make_survival_data(time, event, names, values);
  } catch (const std::invalid_argument& e) {
    throw py::value_error(std::string(e.what()).substr(std::string("make_survival_data: ").size()));
  }
  d.time_unit = u;
  if (!description.empty()) d.description = description;
  return d;
}

FitResult fit(const SurvivalData& data, const std::string& model, const std::vector<double>& breaks, bool cure) {
  FitModel m;
  m.model = hazard_model(model);
  m.breaks_days = breaks;
  m.cure = cure;
  py::gil_scoped_release release;
  return fit_hazard(data, m);
}

}  // namespace

void bind_fits(py::module_& m) {
  py::class_<SurvivalData>(m, "SurvivalData", "Survival data in days, one or more spells per person.")
      .def_property_readonly("people", &SurvivalData::people)
      .def_property_readonly("spells", &SurvivalData::spells)
      .def_property_readonly("events", &SurvivalData::events)
      .def_readonly("description", &SurvivalData::description);

  py::class_<FitResult>(m, "FitResult", "A maximum-likelihood fit of the offending hazard (read-only).")
      .def_readonly("converged", &FitResult::converged)
      .def("to_json", &fit_json, py::arg("command"), "The JSON `desist fit --json` writes.")
      .def("table", &fit_table, "The table `desist fit` prints.")
      .def("fragment", &fit_fragment, py::arg("command"),
           "The overlay fragment `desist fit --out` writes (for desist run --overlay).");

  m.def(
      "read_survival_data",
      [](const std::string& people, const std::string& time, const std::string& event,
         const std::vector<std::string>& covariates, const std::string& unit, const std::string& spells,
         const std::string& id, const std::string& start, const std::string& stop) {
        FitDataSpec spec;
        spec.people_file = people;
        spec.time_column = time;
        spec.event_column = event;
        spec.covariates = covariates;
        spec.time_unit = time_unit(unit);
        spec.spells_file = spells;
        spec.id_column = id;
        spec.start_column = start;
        spec.stop_column = stop;
        return read(spec);
      },
      py::arg("people"), py::arg("time"), py::arg("event"), py::arg("covariates"), py::arg("time_unit"),
      py::arg("spells"), py::arg("id"), py::arg("start"), py::arg("stop"),
      "Reads and checks CSV survival data as `desist fit` does. Raises desist.InputError (file, line, column).");
  m.def("survival_data", &columns, py::arg("time"), py::arg("event"), py::arg("time_unit"), py::arg("names"),
        py::arg("columns"), py::arg("description"),
        "Survival data from columns in memory (one spell per person; times in time_unit).");
  m.def("fit_hazard", &fit, py::arg("data"), py::arg("model"), py::arg("breaks_days"), py::arg("cure"),
        "Fits the hazard with the GIL released. Raises desist.InputError for a model the data cannot identify.");
}

}  // namespace desist::python
