// Calibration to published statistics (docs/calibration.md): targets files
// read as `desist calibrate` reads them, the search with the GIL released, its
// progress in evaluations and its cancellation, and `desist check-targets`;
// fits as the JSON those commands write, so the package reads the CLI's numbers.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "bindings.hpp"
#include "desist/atomic_file.hpp"
#include "desist/calibration.hpp"

namespace desist::python {

namespace {

struct CalibrationControl {
  std::atomic<std::size_t> evaluations_done{0};
  std::atomic<bool> cancel{false};
};

// A calibration and the targets it fitted, kept alive together (TargetFit points into them).
struct Calibrated {
  std::shared_ptr<const CalibrationTargets> targets;
  CalibrationResult result;
};

std::shared_ptr<const CalibrationTargets> load(const std::string& path) {
  py::gil_scoped_release release;
  return std::make_shared<const CalibrationTargets>(load_calibration_targets(path));
}

Calibrated run(const std::string& text, const std::string& file, const std::shared_ptr<const CalibrationTargets>& t,
               const std::string& method, std::optional<std::uint64_t> seed, int replicates, int starts,
               std::optional<std::size_t> size, int threads, int max_evaluations, double step, double tolerance,
               int digits, int check_replicates, CalibrationControl& control) {
  if (method != "levenberg-marquardt" && method != "nelder-mead")
    throw py::value_error("method must be 'levenberg-marquardt' or 'nelder-mead', not '" + method + "'");
  if (replicates < 1 || starts < 1 || max_evaluations < 1 || threads < 0 || digits < 1 || check_replicates < 0)
    throw py::value_error("replicates, starts, max_evaluations and digits must be 1 or more; threads and "
                          "check_replicates 0 or more");
  CalibrationOptions o;
  o.method = method == "nelder-mead" ? CalibrationMethod::nelder_mead : CalibrationMethod::levenberg_marquardt;
  o.seed = seed;
  o.replicates = replicates;
  o.starts = starts;
  o.size = size;
  o.threads = threads;
  o.max_evaluations = max_evaluations;
  o.step = step;
  o.tolerance = tolerance;
  o.digits = digits;
  o.check_replicates = check_replicates;
  o.progress = [&control](const CalibrationProgress& p) {
    control.evaluations_done = static_cast<std::size_t>(p.evaluations);
  };
  o.cancel = &control.cancel;
  py::gil_scoped_release release;
  return {t, calibrate(text, file, *t, o)};
}

}  // namespace

void bind_calibration(py::module_& m) {
  py::class_<CalibrationTargets, std::shared_ptr<CalibrationTargets>>(
      m, "CalibrationTargets", "A targets file read and checked (docs/calibration.md).")
      .def_readonly("file", &CalibrationTargets::file)
      .def_property_readonly(
          "parameters",
          [](const CalibrationTargets& t) {
            std::vector<std::string> labels;
            for (const CalibrationParameter& p : t.parameters) labels.push_back(p.label());
            return labels;
          },
          "The free parameters' labels, in the file's order.")
      .def_property_readonly(
          "targets",
          [](const CalibrationTargets& t) {
            std::vector<std::string> labels;
            for (const CalibrationTarget& x : t.targets) labels.push_back(x.label);
            return labels;
          },
          "The targets' labels, in the file's order.");

  py::class_<CalibrationControl>(m, "CalibrationControl", "Progress and cancellation of a calibration (thread-safe).")
      .def(py::init<>())
      .def_property_readonly(
          "evaluations_done", [](const CalibrationControl& c) { return c.evaluations_done.load(); },
          "Objective evaluations so far, over all starts.")
      .def("cancel", [](CalibrationControl& c) { c.cancel = true; }, "Asks the calibration to stop.")
      .def_property_readonly(
          "cancelled", [](const CalibrationControl& c) { return c.cancel.load(); }, "Whether cancel() was called.");

  py::class_<Calibrated>(m, "CalibrationResult", "A calibration's result (read-only).")
      .def_property_readonly("text", [](const Calibrated& c) { return c.result.text; },
                             "The calibrated scenario's text (every comment kept).")
      .def_property_readonly("seed", [](const Calibrated& c) { return c.result.seed; })
      .def_property_readonly("size", [](const Calibrated& c) { return c.result.size; },
                             "Cohort size of each evaluation.")
      .def_property_readonly("scenario_size", [](const Calibrated& c) { return c.result.scenario_size; })
      .def_property_readonly("replicates", [](const Calibrated& c) { return c.result.replicates; })
      .def_property_readonly("initial", [](const Calibrated& c) { return c.result.initial; },
                             "The scenario's values of the parameters.")
      .def_property_readonly("values", [](const Calibrated& c) { return c.result.values; },
                             "The fitted values, rounded to the digits written.")
      .def_property_readonly("initial_objective", [](const Calibrated& c) { return c.result.initial_objective; })
      .def_property_readonly("objective", [](const Calibrated& c) { return c.result.objective; },
                             "Σ ((simulated − observed) / se)² at the rounded values.")
      .def_property_readonly("evaluations", [](const Calibrated& c) { return c.result.evaluations; })
      .def_property_readonly("seconds", [](const Calibrated& c) { return c.result.seconds; })
      .def(
          "fit_json",
          [](const Calibrated& c, const std::string& which, const std::string& scenario_file) {
            const CalibrationResult& r = c.result;
            if (which == "initial")
              return target_fit_json(r.initial_fit, scenario_file, c.targets->file, r.seed, r.size, r.replicates);
            if (which == "fit") return target_fit_json(r.fit, scenario_file, c.targets->file, r.seed, r.size, r.replicates);
            if (which == "check")
              return target_fit_json(r.check, scenario_file, c.targets->file, r.seed, r.scenario_size,
                                     r.check_replicates);
            throw py::value_error("which is 'initial', 'fit' or 'check'");
          },
          py::arg("which"), py::arg("scenario_file"),
          "The JSON of the fit at the scenario's values ('initial'), at the result ('fit') or at the scenario's "
          "own size ('check'), as `desist calibrate --json` writes it.")
      .def_property_readonly("has_check", [](const Calibrated& c) { return !c.result.check.empty(); })
      .def("parameter_table", [](const Calibrated& c) { return parameter_table(*c.targets, c.result); },
           "The table of parameters `desist calibrate` prints.");

  m.def("load_calibration_targets", &load, py::arg("path"),
        "Reads and checks a targets file as `desist calibrate` does. Raises desist.InputError.");
  m.def("calibrate", &run, py::arg("text"), py::arg("file"), py::arg("targets"), py::arg("method"), py::arg("seed"),
        py::arg("replicates"), py::arg("starts"), py::arg("size"), py::arg("threads"), py::arg("max_evaluations"),
        py::arg("step"), py::arg("tolerance"), py::arg("digits"), py::arg("check_replicates"), py::arg("control"),
        "Calibrates the scenario text (read from `file`) with the GIL released, as `desist calibrate`. Raises "
        "desist.InputError and desist.Cancelled.");
  m.def(
      "check_targets",
      [](const Scenario& s, const std::shared_ptr<const CalibrationTargets>& t, std::uint64_t seed, int replicates,
         int threads, const std::string& scenario_file) {
        if (replicates < 1 || threads < 0) throw py::value_error("replicates must be 1 or more, threads 0 or more");
        RunOptions o;
        o.seed = seed;
        o.replicates = replicates;
        o.threads = threads;
        o.keep_people = false;
        py::gil_scoped_release release;
        const std::vector<TargetFit> fit = evaluate_targets(*t, s, o);
        return target_fit_json(fit, scenario_file, t->file, seed, s.parameters.cohort.size, replicates);
      },
      py::arg("scenario"), py::arg("targets"), py::arg("seed"), py::arg("replicates"), py::arg("threads"),
      py::arg("scenario_file"), "The JSON `desist check-targets --json` writes.");
  m.def(
      "write_text",
      [](const std::string& path, const std::string& text) {
        py::gil_scoped_release release;
        write_file_atomically(path, text);
      },
      py::arg("path"), py::arg("text"), "Writes a file atomically (as the command line writes its files).");
}

}  // namespace desist::python
