#include "sweep_command.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <sstream>

#include "desist/atomic_file.hpp"
#include "desist/error.hpp"
#include "desist/sweep.hpp"
#include "desist/sweep_analysis.hpp"
#include "desist/sweep_job.hpp"
#include "desist/sweep_results.hpp"
#include "interrupt.hpp"
#include "progress.hpp"
#include "sweep_mpi.hpp"

namespace desist::cli {

namespace {

std::string format(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", x);
  return buffer;
}

std::string summary_text(const Sweep& sweep, const std::vector<SweepPoint>& points, const SweepAnalysis& a,
                         std::size_t rows_done, std::size_t rows) {
  std::ostringstream out;
  out << "sweep " << sweep.name << ": " << points.size() << " points x " << sweep.design.replicates
      << " replicates, " << rows_done << " of " << rows << " rows done\n";
  out << "factors:";
  for (const std::string& d : sweep.dimension_names) out << "\n  " << d;
  out << "\n";
  // The spread of each analysed output across the design's points.
  for (const std::string& output : sweep.outputs) {
    const auto c = static_cast<std::size_t>(std::find(a.columns.begin(), a.columns.end(), output) - a.columns.begin());
    std::vector<double> means;
    for (std::size_t p = 0; p < points.size(); ++p)
      if (a.summary[p][c].replicates > 0 && points[p].role != PointRole::low && points[p].role != PointRole::high &&
          points[p].role != PointRole::centre)
        means.push_back(a.summary[p][c].mean);
    std::sort(means.begin(), means.end());
    if (means.empty()) continue;
    auto at = [&](double q) { return means[static_cast<std::size_t>(q * static_cast<double>(means.size() - 1) + 0.5)]; };
    out << output << ": median " << format(at(0.5)) << " across points (2.5%-97.5% " << format(at(0.025)) << " to "
        << format(at(0.975)) << ")\n";
  }
  for (const SobolAnalysis& s : a.sobol) {
    out << "Sobol indices of " << s.output << " (first order, total; 95% bootstrap intervals):\n";
    for (std::size_t k = 0; k < sweep.dimension_names.size(); ++k)
      out << "  " << sweep.dimension_names[k] << ": " << format(s.indices.first[k].value) << " ["
          << format(s.indices.first[k].ci_low) << ", " << format(s.indices.first[k].ci_high) << "], "
          << format(s.indices.total[k].value) << " [" << format(s.indices.total[k].ci_low) << ", "
          << format(s.indices.total[k].ci_high) << "]\n";
  }
  for (const TornadoTable& t : a.tornado) {
    out << "tornado of " << t.output << " (centre " << format(t.centre) << "; factor at its "
        << format(100 * sweep.design.tornado_low) << "% and " << format(100 * sweep.design.tornado_high)
        << "% quantiles):\n";
    for (const TornadoBar& b : t.bars)
      out << "  " << b.dimension << ": " << format(b.low_output) << " to " << format(b.high_output) << "\n";
  }
  if (a.decision) {
    const DecisionAnalysis& d = *a.decision;
    out << "decision by expected " << sweep.net_benefit << ": best is " << d.best << "\n";
    for (std::size_t k = 0; k < d.choices.size(); ++k)
      out << "  " << d.choices[k] << ": expected " << format(d.expected_net_benefit[k]) << ", best at "
          << format(100 * d.probability_best[k]) << "% of points\n";
    out << "  expected value of perfect information: " << format(d.evpi) << "\n";
    for (std::size_t k = 0; k < d.evppi.size(); ++k)
      out << "    of " << sweep.dimension_names[k] << " alone: " << format(d.evppi[k]) << "\n";
  }
  return out.str();
}

}  // namespace

void add_sweep_command(CLI::App& app, SweepCommand& c) {
  c.command = app.add_subcommand(
      "sweep", "Run a scenario over a design of uncertain parameters: rows, per-point summaries, Sobol indices, "
               "tornado, value of information");
  c.command->add_option("sweep", c.sweep, "Sweep YAML file (docs/sweeps.md)")->required()->check(CLI::ExistingFile);
  c.command->add_option("--out", c.out, "Write the sweep's HDF5 file here; it is also the checkpoint");
  c.command->add_option("--json", c.json, "Write per-point summaries and the analyses as JSON to this file, or - for stdout");
  c.command->add_flag("--resume", c.resume, "Continue the sweep in --out: only rows not done there are run");
  c.command->add_option("--threads", c.threads, "Worker threads (default: all cores); results do not depend on it")
      ->check(CLI::Range(0, 4096));
  c.command->add_option("--checkpoint-seconds", c.checkpoint_seconds,
                        "Rewrite --out with the rows done at most this often (default 60)")
      ->check(CLI::Range(0.0, 1e9));
  c.command->add_option("--set", c.overrides, "Override a key of the sweep file: path.to.key=value (repeatable)");
  c.command->add_flag("--quiet", c.quiet, "No progress bar or summary");
}

int run_sweep_command(const SweepCommand& c) {
  if (!c.command || !*c.command) return -1;
  if (c.resume && c.out.empty()) throw InputError({"--resume", 0, 0, ""}, "--resume needs --out, the file to continue");
  const Sweep sweep = load_sweep(c.sweep, c.overrides);
  const std::vector<SweepPoint> points = sweep_points(sweep);
  const mpi::World world = mpi::start();
  if (world.rank > 0) {
    mpi::work(sweep, points, c.threads);
    mpi::finish();
    return 0;
  }

  SweepRows rows(points.size() * static_cast<std::size_t>(sweep.design.replicates), sweep_columns(sweep).size());
  if (c.resume && !resume_sweep_rows(rows, sweep, points, c.out) && !c.quiet)
    std::cerr << "note: " << c.out << " does not exist yet: starting the sweep from the beginning\n";

  std::atomic<std::size_t> rows_done{0};
  SweepJobOptions options;
  options.out = c.out;
  options.checkpoint_seconds = c.checkpoint_seconds;
  options.rows_done = &rows_done;
  options.cancel = &interrupted;
  const SweepWork work =
      world.size > 1 ? SweepWork([&](SweepRows& r, std::atomic<std::size_t>* done, const std::atomic<bool>* cancel,
                                     const std::function<void()>& tick) {
        mpi::coordinate(sweep, points, r, done, cancel, tick);
      })
                     : local_sweep_work(sweep, points, c.threads);
  SweepJobResult result;
  {
    const StopOnSignals signals;
    ProgressBar bar(rows_done, rows.rows() - rows.completed(), !c.quiet);
    try {
      result = run_sweep_job(sweep, points, rows, options, work);
    } catch (...) {
      mpi::finish();
      throw;
    }
  }
  mpi::finish();

  const std::size_t done = rows.completed();
  if (result.cancelled) {
    std::cerr << "interrupted: " << done << " of " << rows.rows() << " rows done"
              << (c.out.empty() ? " (nothing saved: no --out)\n"
                                : " and saved in " + c.out + "; continue with the same command and --resume\n");
    return exit_interrupted;
  }
  if (!c.json.empty()) {
    const std::string json = sweep_json(sweep, points, result.rows, result.analysis);
    if (c.json == "-")
      std::cout << json;
    else
      write_file_atomically(c.json, json);
  }
  const SweepAnalysis& analysis = result.analysis;
  if (!c.quiet && c.json != "-") std::cout << summary_text(sweep, points, analysis, done, rows.rows());
  return 0;
}

}  // namespace desist::cli
