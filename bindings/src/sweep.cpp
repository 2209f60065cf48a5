// Sweeps (docs/sweeps.md): the library's sweep job with the GIL released, its
// progress in rows and its cancellation, and its results as the bytes of the
// sweep file, so the package reads a sweep in memory and a sweep file through
// the same code.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "desist/sweep.hpp"
#include "desist/sweep_job.hpp"
#include "desist/sweep_results.hpp"

namespace desist::python {

namespace {

// A sweep read and checked, with its points.
struct SweepPlan {
  Sweep sweep;
  std::vector<SweepPoint> points;
};

struct SweepControl {
  std::atomic<std::size_t> rows_done{0};
  std::atomic<bool> cancel{false};
};

struct SweepOutcome {
  std::shared_ptr<const SweepPlan> plan;
  SweepJobResult result;
};

std::shared_ptr<const SweepPlan> plan(Sweep sweep) {
  auto p = std::make_shared<SweepPlan>();
  p->sweep = std::move(sweep);
  p->points = sweep_points(p->sweep);
  return p;
}

std::shared_ptr<const SweepPlan> load(const std::string& path, const std::vector<std::string>& overrides) {
  py::gil_scoped_release release;
  return plan(load_sweep(path, overrides));
}

std::shared_ptr<const SweepPlan> parse(const std::string& text, const std::string& name,
                                       const std::vector<std::string>& overrides) {
  py::gil_scoped_release release;
  return plan(parse_sweep(text, name, overrides));
}

std::size_t row_count(const SweepPlan& p) {
  return p.points.size() * static_cast<std::size_t>(p.sweep.design.replicates);
}

// Images built at the same time need different names inside HDF5.
std::atomic<std::size_t> images{0};

py::bytes image(const SweepOutcome& o) {
  std::vector<char> bytes;
  {
    py::gil_scoped_release release;
    bytes = sweep_hdf5_image("<memory " + std::to_string(images++) + ">", o.plan->sweep, o.plan->points,
                             o.result.rows, o.result.analysis);
  }
  return {bytes.data(), bytes.size()};
}

// Rows already done in `out` (resume), so that the progress bar knows the rest.
std::size_t resumable_rows(const std::shared_ptr<const SweepPlan>& p, const std::string& out) {
  py::gil_scoped_release release;
  SweepRows rows(row_count(*p), sweep_columns(p->sweep).size());
  resume_sweep_rows(rows, p->sweep, p->points, out);
  return rows.completed();
}

SweepOutcome run(const std::shared_ptr<const SweepPlan>& p, const std::string& out, bool resume, int threads,
                 double checkpoint_seconds, SweepControl& control) {
  if (threads < 0) throw py::value_error("threads must be 0 (all cores) or more");
  if (resume && out.empty()) throw py::value_error("resume=True needs out=, the sweep file to continue");
  if (!(checkpoint_seconds >= 0)) throw py::value_error("checkpoint_seconds must be 0 or more");
  SweepOutcome o{p, {}};
  {
    py::gil_scoped_release release;
    SweepRows rows(row_count(*p), sweep_columns(p->sweep).size());
    if (resume) resume_sweep_rows(rows, p->sweep, p->points, out);
    SweepJobOptions options;
    options.out = out;
    options.checkpoint_seconds = checkpoint_seconds;
    options.rows_done = &control.rows_done;
    options.cancel = &control.cancel;
    o.result = run_sweep_job(p->sweep, p->points, rows, options, local_sweep_work(p->sweep, p->points, threads));
  }
  if (o.result.cancelled) {
    std::size_t done = 0;
    for (std::uint8_t d : o.result.rows.done) done += d;
    throw Cancelled("the sweep was cancelled: " + std::to_string(done) + " of " + std::to_string(row_count(*p)) +
                    " rows done" +
                    (out.empty() ? " (nothing saved: no out=)"
                                 : " and saved in " + out + "; continue with the same call and resume=True"));
  }
  return o;
}

}  // namespace

void bind_sweeps(py::module_& m) {
  py::class_<SweepPlan, std::shared_ptr<SweepPlan>>(m, "SweepPlan", "A sweep file read and checked, with its points.")
      .def_property_readonly(
          "file", [](const SweepPlan& p) { return p.sweep.file; }, "The sweep file (the name used in messages).")
      .def_property_readonly(
          "name", [](const SweepPlan& p) { return p.sweep.name; }, "sweep.name")
      .def_property_readonly(
          "points", [](const SweepPlan& p) { return p.points.size(); }, "Points of the design (tornado included).")
      .def_property_readonly(
          "replicates", [](const SweepPlan& p) { return p.sweep.design.replicates; }, "Replicates per point.")
      .def_property_readonly("rows", &row_count, "Rows: points x replicates.")
      .def_property_readonly(
          "columns", [](const SweepPlan& p) { return sweep_columns(p.sweep); }, "Columns of each row.")
      .def_property_readonly(
          "cohort_size",
          [](const SweepPlan& p) { return parse_scenario(p.sweep.scenario_text, p.sweep.scenario_file, p.sweep.set)
                                       .parameters.cohort.size; },
          "People in each scenario's cohort at every point (after the sweep's set:).")
      .def_property_readonly(
          "scenarios", [](const SweepPlan& p) { return 1 + p.sweep.option_files.size(); },
          "Scenarios run per row: the base and each option.");

  py::class_<SweepControl>(m, "SweepControl", "Progress and cancellation of a sweep in progress (thread-safe).")
      .def(py::init<>())
      .def_property_readonly(
          "rows_done", [](const SweepControl& c) { return c.rows_done.load(); },
          "Rows finished so far by this call (not those resumed from its file).")
      .def("cancel", [](SweepControl& c) { c.cancel = true; },
           "Asks the sweep to stop; the rows in progress stop within a block of people.")
      .def_property_readonly(
          "cancelled", [](const SweepControl& c) { return c.cancel.load(); }, "Whether cancel() was called.");

  py::class_<SweepOutcome>(m, "SweepResult", "The results of a sweep (read-only).")
      .def("image", &image, "The bytes of the sweep file that write_hdf5 writes (docs/sweeps.md).")
      .def(
          "to_json",
          [](const SweepOutcome& o) {
            return sweep_json(o.plan->sweep, o.plan->points, o.result.rows, o.result.analysis);
          },
          "The JSON summary `desist sweep --json` writes.")
      .def(
          "write_hdf5",
          [](const SweepOutcome& o, const std::string& path) {
            py::gil_scoped_release release;
            write_sweep_hdf5(path, o.plan->sweep, o.plan->points, o.result.rows, o.result.analysis);
          },
          py::arg("path"), "Writes the sweep file atomically (docs/sweeps.md).");

  m.def("load_sweep", &load, py::arg("path"), py::arg("overrides") = std::vector<std::string>{},
        "Reads and checks a sweep file, its scenario and options, after overrides ('path.to.key=value') of the "
        "sweep file's keys, exactly as `desist sweep` does. Raises desist.InputError.");
  m.def("parse_sweep", &parse, py::arg("text"), py::arg("name"), py::arg("overrides") = std::vector<std::string>{},
        "The same from text; `name` stands for the file in messages and paths are relative to its folder.");
  m.def("resumable_rows", &resumable_rows, py::arg("plan"), py::arg("out"),
        "Rows done in the sweep file `out` (0 when it does not exist). Raises desist.InputError for another "
        "sweep's file.");
  m.def("run_sweep", &run, py::arg("plan"), py::arg("out"), py::arg("resume"), py::arg("threads"),
        py::arg("checkpoint_seconds"), py::arg("control"),
        "Runs the sweep's rows (those not done in `out` with resume) with the GIL released, writing `out` as its "
        "checkpoint and at the end. Raises desist.Cancelled when control.cancel() is called, after saving `out`.");
}

}  // namespace desist::python
