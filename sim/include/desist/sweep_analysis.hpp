// What a sweep's rows say: per-point summaries over replicates, and the
// analyses of the design (docs/sweeps.md): Sobol indices (a sobol design),
// one-way tornado swings (the tornado points), and the expected value of
// perfect information for the choice between the options (Monte Carlo or
// Latin hypercube designs, whose points are draws from the factors' joint
// distribution).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "desist/sensitivity.hpp"
#include "desist/statistics.hpp"
#include "desist/sweep.hpp"

namespace desist {

struct TornadoBar {
  std::string dimension;
  double low_output = 0.0, high_output = 0.0;  // the output with the factor at its low / high quantile
  double swing() const { return high_output - low_output; }
};

struct TornadoTable {
  std::string output;
  double centre = 0.0;            // every factor at its median
  std::vector<TornadoBar> bars;   // largest |swing| first
};

struct SobolAnalysis {
  std::string output;
  SobolIndices indices;  // index for index with Sweep::dimension_names
};

// The choice between doing nothing ("base", net benefit 0) and each option,
// by expected net benefit (the option measure Sweep::net_benefit).
struct DecisionAnalysis {
  std::vector<std::string> choices;             // "base", then the options
  std::vector<double> expected_net_benefit;     // per choice
  std::vector<double> probability_best;         // share of points where each choice is best
  std::string best;                             // highest expected net benefit
  double evpi = 0.0;                            // per cohort simulated, in the scenario's currency
  std::vector<double> evppi;                    // per dimension: EVPPI by binning (upward-biased by noise)
};

struct SweepAnalysis {
  std::vector<std::string> columns;
  // [point][column]: mean and interval over the point's replicates done so far
  // (replicates 0 where none is done).
  std::vector<std::vector<Estimate>> summary;
  std::vector<SobolAnalysis> sobol;        // when the design is sobol and every row is done
  std::vector<TornadoTable> tornado;       // when the design has tornado points and they are done
  std::optional<DecisionAnalysis> decision;  // latin_hypercube or monte_carlo with options, every row done
};

SweepAnalysis analyse_sweep(const Sweep& sweep, const std::vector<SweepPoint>& points,
                            const SweepRows::Snapshot& rows);

}  // namespace desist
