// desist._core: module definition and the translation of desist's errors into
// Python exceptions.
#include <pybind11/pybind11.h>

#include <exception>
#include <string>

#include "bindings.hpp"
#include "desist/error.hpp"
#include "desist/version.hpp"

namespace desist::python {

namespace {

// Exception types, created once and kept for the life of the process (never
// released, so no destructor runs after the interpreter has gone).
PyObject* input_error_type = nullptr;
PyObject* cancelled_type = nullptr;

py::object line_or_none(int n) { return n > 0 ? py::object(py::int_(n)) : py::object(py::none()); }

// Raises desist.InputError carrying the message exactly as the command line
// prints it, and its parts as attributes.
void raise_input_error(const InputError& e) {
  try {
    py::object type = py::reinterpret_borrow<py::object>(input_error_type);
    py::object error = type(std::string(e.what()));
    error.attr("file") = e.where().file;
    error.attr("line") = line_or_none(e.where().line);
    error.attr("column") = line_or_none(e.where().column);
    error.attr("key") = e.where().key_path.empty() ? py::object(py::none()) : py::object(py::str(e.where().key_path));
    error.attr("detail") = e.message();
    PyErr_SetObject(input_error_type, error.ptr());
  } catch (const py::error_already_set&) {
    PyErr_SetString(input_error_type, e.what());
  }
}

PyObject* new_exception(const char* name, const char* doc, PyObject* base) {
  PyObject* type = PyErr_NewExceptionWithDoc(name, doc, base, nullptr);
  if (type == nullptr) throw py::error_already_set();
  return type;
}

}  // namespace

void bind_errors(py::module_& m) {
  input_error_type = new_exception(
      "desist.InputError",
      "A mistake in a scenario, an option file, an override or a person file.\n\n"
      "str(error) is the command line's message: 'file:line:column: 'key': message'.\n"
      "Attributes: file (path, or '--set key=value' for an override), line and column\n"
      "(1-based, None when unknown), key (the key path, None when none) and detail\n"
      "(the message without its location).",
      PyExc_ValueError);
  cancelled_type = new_exception("desist.Cancelled",
                                 "A run was cancelled (Ctrl-C, or the cancel event given to it was set).\n\n"
                                 "A KeyboardInterrupt, so code that handles Ctrl-C handles it too.",
                                 PyExc_KeyboardInterrupt);
  m.add_object("InputError", py::handle(input_error_type));
  m.add_object("Cancelled", py::handle(cancelled_type));
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      raise_input_error(e);
    } catch (const Cancelled& e) {
      PyErr_SetString(cancelled_type, e.what());
    }
  });
}

}  // namespace desist::python

PYBIND11_MODULE(_core, m) {
  m.doc() = "desist's simulation kernel (C++). Use the desist package, which wraps this module.";
  m.attr("__version__") = std::string(desist::program_version());
  desist::python::bind_errors(m);
  desist::python::bind_scenarios(m);
  desist::python::bind_runs(m);
  desist::python::bind_sweeps(m);
  desist::python::bind_contracts(m);
  desist::python::bind_fits(m);
  desist::python::bind_calibration(m);
}
