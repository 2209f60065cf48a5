// What a model's outputs owe to its uncertain inputs: variance-based (Sobol)
// sensitivity indices from runs on a Saltelli design (designs.hpp), and the
// expected value of perfect and of partial perfect information for a choice
// between options from probabilistic-sensitivity-analysis samples.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace desist {

// A point estimate and its 95% bootstrap percentile interval.
struct IndexEstimate {
  double value = 0, ci_low = 0, ci_high = 0;
};

// One first-order and one total index per input, and the output's variance.
struct SobolIndices {
  std::vector<IndexEstimate> first, total;
  double variance = 0;  // of the outputs over A ∪ B (2N of them, divided by 2N)
};

// y: model outputs in saltelli_design row order (base_points × (dimensions + 2)
// values: f(A), f(B), f(AB_1) … f(AB_d)). First order: Saltelli et al. (2010),
// V_i = mean(f(B)·(f(AB_i) − f(A))); total: Jansen (1999),
// E_i = mean((f(A) − f(AB_i))²)/2; both divided by the variance over A ∪ B.
// The intervals bootstrap the base rows (the same resample of row indices for
// every index), `resamples` times from std::mt19937_64(seed), so they are
// reproducible; with resamples = 0 they are NaN. They treat the rows as
// independent, so on a Sobol design they are usually conservative. An output with
// zero variance has every index 0, not 0/0. Throws std::invalid_argument on a
// size mismatch or a non-finite output.
SobolIndices sobol_indices(const std::vector<double>& y, std::size_t base_points, std::size_t dimensions,
                           std::size_t resamples = 500, std::uint64_t seed = 1);

// Expected value of perfect information for a choice between options.
// net_benefit[s][o]: net benefit of option o in parameter sample s (every row
// the same length). EVPI = mean_s max_o nb − max_o mean_s nb (≥ 0).
double expected_value_of_perfect_information(const std::vector<std::vector<double>>& net_benefit);

// EVPPI of one parameter by binning, a nonparametric regression of net benefit
// on the parameter (Strong and Oakley 2013): sort the S samples by `parameter`,
// split them into `bins` groups of near-equal size (0: round(√S)), and
// EVPPI = Σ_bins (n_b/S)·max_o mean_{s∈b} nb − max_o mean nb, clipped at 0.
// Bias: noise within a bin makes its best mean look better than it is, so the
// estimate is biased upwards. For two options whose incremental net benefit has
// sd σ and mean near 0, and a parameter that does not affect it, the bias is
// about σ·√(bins/(2πS)) (the mean of max(0, X̄_b) with X̄_b ~ N(0, σ²·bins/S));
// fewer bins shrink it but average away real dependence (a downward bias for a
// parameter that matters); √S bins balance the two. Bins = S gives the EVPI.
double expected_value_of_partial_perfect_information(const std::vector<double>& parameter,
                                                     const std::vector<std::vector<double>>& net_benefit,
                                                     std::size_t bins = 0);

}  // namespace desist
