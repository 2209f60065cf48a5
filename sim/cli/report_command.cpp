#include "report_command.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace desist::cli {

void add_report_command(CLI::App& app, ReportCommand& c) {
  c.command = app.add_subcommand(
      "report", "Write a self-contained HTML report (and --pdf) of a run, comparison or sweep file; "
                "desist report --help for its options");
  // Everything after `report` (--help included) is the Python writer's to parse.
  c.command->prefix_command();
  c.command->set_help_flag();
}

namespace {

[[noreturn]] void exec(const std::vector<std::string>& words) {
  std::vector<char*> argv;
  for (const auto& w : words) argv.push_back(const_cast<char*>(w.c_str()));
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  throw std::runtime_error("cannot run " + words[0] + " (" + std::strerror(errno) +
                           "): desist report needs the Python package; install it with `pip install .` (README.md)");
}

}  // namespace

int run_report_command(const ReportCommand& c) {
  if (!*c.command) return -1;
  std::vector<std::string> arguments = c.command->remaining();
#ifdef DESIST_PYTHON_DIR
  // The developer build: the package in the build tree, with the Python it was built for.
  const char* path = std::getenv("PYTHONPATH");
  const std::string python_path = std::string(DESIST_PYTHON_DIR) + (path && *path ? std::string(":") + path : "");
  ::setenv("PYTHONPATH", python_path.c_str(), 1);
  arguments.insert(arguments.begin(), {DESIST_PYTHON, "-m", "desist.report"});
#else
  arguments.insert(arguments.begin(), "desist-report");
#endif
  exec(arguments);
}

}  // namespace desist::cli
