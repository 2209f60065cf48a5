#include "desist/sweep_analysis.hpp"

#include <algorithm>
#include <cmath>

namespace desist {

namespace {

// Mean over a point's replicates of a column: the model output the analyses
// see (replicates average out the Monte Carlo noise of one run).
double point_mean(const std::vector<std::vector<Estimate>>& summary, std::size_t point, std::size_t column) {
  return summary[point][column].mean;
}

std::size_t column_index(const std::vector<std::string>& columns, const std::string& name) {
  return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
}

}  // namespace

SweepAnalysis analyse_sweep(const Sweep& sweep, const std::vector<SweepPoint>& points,
                            const SweepRows::Snapshot& rows) {
  SweepAnalysis a;
  a.columns = sweep_columns(sweep);
  const std::size_t columns = a.columns.size();
  const auto replicates = static_cast<std::size_t>(sweep.design.replicates);
  bool complete = true;
  for (std::size_t p = 0; p < points.size(); ++p) {
    std::vector<Estimate> summary;
    for (std::size_t c = 0; c < columns; ++c) {
      std::vector<double> values;
      for (std::size_t r = 0; r < replicates; ++r) {
        const std::size_t row = p * replicates + r;
        if (rows.done[row]) values.push_back(rows.values[row * columns + c]);
      }
      summary.push_back(values.empty() ? Estimate{std::nan(""), std::nan(""), std::nan(""), std::nan(""), 0}
                                       : estimate(values));
    }
    for (std::size_t r = 0; r < replicates; ++r) complete = complete && rows.done[p * replicates + r];
    a.summary.push_back(std::move(summary));
  }
  if (!complete) return a;

  const std::size_t dims = sweep.dimension_names.size();
  std::vector<std::size_t> design_points;
  for (std::size_t p = 0; p < points.size(); ++p)
    if (points[p].role != PointRole::centre && points[p].role != PointRole::low && points[p].role != PointRole::high)
      design_points.push_back(p);

  if (sweep.design.kind == DesignKind::sobol)
    for (const std::string& output : sweep.outputs) {
      const std::size_t c = column_index(a.columns, output);
      std::vector<double> y;
      for (std::size_t p : design_points) y.push_back(point_mean(a.summary, p, c));
      a.sobol.push_back({output, sobol_indices(y, sweep.design.points, dims, 500, sweep.design.seed)});
    }

  if (sweep.design.tornado) {
    std::size_t centre = 0;
    while (points[centre].role != PointRole::centre) ++centre;
    for (const std::string& output : sweep.outputs) {
      const std::size_t c = column_index(a.columns, output);
      TornadoTable t{output, point_mean(a.summary, centre, c), {}};
      for (std::size_t j = 0; j < dims; ++j)
        t.bars.push_back({sweep.dimension_names[j], point_mean(a.summary, centre + 1 + 2 * j, c),
                          point_mean(a.summary, centre + 2 + 2 * j, c)});
      std::stable_sort(t.bars.begin(), t.bars.end(),
                       [](const TornadoBar& x, const TornadoBar& y) { return std::abs(x.swing()) > std::abs(y.swing()); });
      a.tornado.push_back(std::move(t));
    }
  }

  const bool probabilistic =
      sweep.design.kind == DesignKind::latin_hypercube || sweep.design.kind == DesignKind::monte_carlo;
  if (probabilistic && !sweep.option_keys.empty()) {
    DecisionAnalysis d;
    d.choices.push_back("base");
    d.choices.insert(d.choices.end(), sweep.option_keys.begin(), sweep.option_keys.end());
    std::vector<std::vector<double>> net_benefit;  // [point][choice]
    for (std::size_t p : design_points) {
      std::vector<double> nb{0.0};
      for (const std::string& key : sweep.option_keys)
        nb.push_back(point_mean(a.summary, p, column_index(a.columns, key + "." + sweep.net_benefit)));
      net_benefit.push_back(std::move(nb));
    }
    const std::size_t choices = d.choices.size();
    d.expected_net_benefit.assign(choices, 0.0);
    d.probability_best.assign(choices, 0.0);
    const double n = static_cast<double>(net_benefit.size());
    for (const auto& nb : net_benefit) {
      for (std::size_t k = 0; k < choices; ++k) d.expected_net_benefit[k] += nb[k] / n;
      d.probability_best[static_cast<std::size_t>(std::max_element(nb.begin(), nb.end()) - nb.begin())] += 1.0 / n;
    }
    d.best = d.choices[static_cast<std::size_t>(
        std::max_element(d.expected_net_benefit.begin(), d.expected_net_benefit.end()) - d.expected_net_benefit.begin())];
    d.evpi = expected_value_of_perfect_information(net_benefit);
    for (std::size_t j = 0; j < dims; ++j) {
      // A coordinate's factors move together: the first one orders the points.
      std::size_t k = 0;
      while (sweep.factors[k].dimension != static_cast<int>(j)) ++k;
      std::vector<double> parameter;
      for (std::size_t p : design_points) parameter.push_back(points[p].values[k]);
      d.evppi.push_back(expected_value_of_partial_perfect_information(parameter, net_benefit));
    }
    a.decision = std::move(d);
  }
  return a;
}

}  // namespace desist
