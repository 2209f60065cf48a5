#include "desist/sensitivity.hpp"

#include "desist/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

namespace desist {

namespace {

void require_finite(const char* function, const char* what, const std::vector<double>& values) {
  for (std::size_t k = 0; k < values.size(); ++k)
    if (!std::isfinite(values[k]))
      throw std::invalid_argument(std::string(function) + ": " + what + "[" + std::to_string(k) + "] is " +
                                  std::to_string(values[k]) + "; every value must be finite");
}

// Sobol indices from the base rows `rows` (all of them, or a bootstrap
// resample); returns the variance over A ∪ B.
double sobol_estimates(const std::vector<double>& y, std::size_t n, std::size_t d, const std::vector<std::size_t>& rows,
                       std::vector<double>& first, std::vector<double>& total) {
  const double* f_a = y.data();
  const double* f_b = f_a + n;
  const double count = static_cast<double>(rows.size());
  double sum = 0.0;
  for (std::size_t r : rows) sum += f_a[r] + f_b[r];
  const double mean = sum / (2.0 * count);
  double squares = 0.0;
  for (std::size_t r : rows) squares += (f_a[r] - mean) * (f_a[r] - mean) + (f_b[r] - mean) * (f_b[r] - mean);
  const double variance = squares / (2.0 * count);
  for (std::size_t i = 0; i < d; ++i) {
    const double* f_ab = f_a + (2 + i) * n;
    double v = 0.0, e = 0.0;
    for (std::size_t r : rows) {
      v += f_b[r] * (f_ab[r] - f_a[r]);
      e += (f_a[r] - f_ab[r]) * (f_a[r] - f_ab[r]);
    }
    // A constant output explains nothing and owes nothing to any input.
    first[i] = variance > 0.0 ? v / count / variance : 0.0;
    total[i] = variance > 0.0 ? e / count / 2.0 / variance : 0.0;
  }
  return variance;
}

IndexEstimate with_interval(double value, std::vector<double>& resampled) {
  IndexEstimate e;
  e.value = value;
  if (resampled.empty()) {
    e.ci_low = e.ci_high = std::numeric_limits<double>::quiet_NaN();
    return e;
  }
  std::sort(resampled.begin(), resampled.end());
  e.ci_low = quantile_of_sorted(resampled, 0.025);
  e.ci_high = quantile_of_sorted(resampled, 0.975);
  return e;
}

// The number of options, after checking that there is at least one sample, at
// least one option, every row the same length and every value finite.
std::size_t options_in(const char* function, const std::vector<std::vector<double>>& net_benefit) {
  if (net_benefit.empty()) throw std::invalid_argument(std::string(function) + ": no parameter samples");
  const std::size_t options = net_benefit.front().size();
  if (options == 0) throw std::invalid_argument(std::string(function) + ": no options in net_benefit[0]");
  for (std::size_t s = 0; s < net_benefit.size(); ++s) {
    if (net_benefit[s].size() != options)
      throw std::invalid_argument(std::string(function) + ": net_benefit[" + std::to_string(s) + "] has " +
                                  std::to_string(net_benefit[s].size()) + " options; expected " +
                                  std::to_string(options) + ", as in net_benefit[0]");
    require_finite(function, ("net_benefit[" + std::to_string(s) + "]").c_str(), net_benefit[s]);
  }
  return options;
}

// max_o mean_{s ∈ [first, last)} nb[s][o]: the net benefit of the option
// chosen knowing only that the parameters are among those samples.
double best_mean(const std::vector<std::vector<double>>& net_benefit, std::size_t options, const std::size_t* first,
                 const std::size_t* last) {
  std::vector<double> sums(options, 0.0);
  for (const std::size_t* s = first; s != last; ++s)
    for (std::size_t o = 0; o < options; ++o) sums[o] += net_benefit[*s][o];
  return *std::max_element(sums.begin(), sums.end()) / static_cast<double>(last - first);
}

std::vector<std::size_t> first_indices(std::size_t n) {
  std::vector<std::size_t> indices(n);
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  return indices;
}

}  // namespace

SobolIndices sobol_indices(const std::vector<double>& y, std::size_t base_points, std::size_t dimensions,
                           std::size_t resamples, std::uint64_t seed) {
  if (base_points < 2) throw std::invalid_argument("sobol_indices: at least 2 base points are needed for a variance");
  if (dimensions == 0) throw std::invalid_argument("sobol_indices: at least one dimension is needed");
  const std::size_t expected = base_points * (dimensions + 2);
  if (y.size() != expected)
    throw std::invalid_argument("sobol_indices: " + std::to_string(y.size()) + " outputs; a Saltelli design of " +
                                std::to_string(base_points) + " base points in " + std::to_string(dimensions) +
                                " dimensions has " + std::to_string(expected) + " (base points × (dimensions + 2))");
  require_finite("sobol_indices", "y", y);

  SobolIndices result;
  std::vector<double> first(dimensions), total(dimensions);
  std::vector<std::size_t> rows = first_indices(base_points);
  result.variance = sobol_estimates(y, base_points, dimensions, rows, first, total);

  // resampled_*[i][r]: index i in resample r.
  std::vector<std::vector<double>> resampled_first(dimensions, std::vector<double>(resamples)),
      resampled_total(dimensions, std::vector<double>(resamples));
  std::mt19937_64 rng(seed);
  std::vector<double> boot_first(dimensions), boot_total(dimensions);
  for (std::size_t r = 0; r < resamples; ++r) {
    // rng() % n rather than std::uniform_int_distribution, whose algorithm
    // differs between standard libraries; the bias is below n / 2^64.
    for (std::size_t& row : rows) row = static_cast<std::size_t>(rng() % base_points);
    sobol_estimates(y, base_points, dimensions, rows, boot_first, boot_total);
    for (std::size_t i = 0; i < dimensions; ++i) {
      resampled_first[i][r] = boot_first[i];
      resampled_total[i][r] = boot_total[i];
    }
  }
  for (std::size_t i = 0; i < dimensions; ++i) {
    result.first.push_back(with_interval(first[i], resampled_first[i]));
    result.total.push_back(with_interval(total[i], resampled_total[i]));
  }
  return result;
}

double expected_value_of_perfect_information(const std::vector<std::vector<double>>& net_benefit) {
  const std::size_t options = options_in("expected_value_of_perfect_information", net_benefit);
  double perfect = 0.0;
  for (const std::vector<double>& sample : net_benefit) perfect += *std::max_element(sample.begin(), sample.end());
  perfect /= static_cast<double>(net_benefit.size());
  const std::vector<std::size_t> all = first_indices(net_benefit.size());
  const double current = best_mean(net_benefit, options, all.data(), all.data() + all.size());
  // Never negative in exact arithmetic (Jensen); rounding can leave it an ulp below.
  return std::max(perfect - current, 0.0);
}

double expected_value_of_partial_perfect_information(const std::vector<double>& parameter,
                                                     const std::vector<std::vector<double>>& net_benefit,
                                                     std::size_t bins) {
  const char* function = "expected_value_of_partial_perfect_information";
  const std::size_t options = options_in(function, net_benefit);
  const std::size_t samples = net_benefit.size();
  if (parameter.size() != samples)
    throw std::invalid_argument(std::string(function) + ": " + std::to_string(parameter.size()) +
                                " parameter values for " + std::to_string(samples) + " net-benefit samples");
  require_finite(function, "parameter", parameter);
  if (bins == 0) bins = static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(samples))));
  if (bins > samples)
    throw std::invalid_argument(std::string(function) + ": " + std::to_string(bins) + " bins for " +
                                std::to_string(samples) + " samples; at most one bin per sample");

  std::vector<std::size_t> order = first_indices(samples);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return parameter[a] < parameter[b]; });
  double partial = 0.0;
  for (std::size_t b = 0; b < bins; ++b) {
    const std::size_t begin = b * samples / bins, end = (b + 1) * samples / bins;
    partial += static_cast<double>(end - begin) / static_cast<double>(samples) *
               best_mean(net_benefit, options, order.data() + begin, order.data() + end);
  }
  const double current = best_mean(net_benefit, options, order.data(), order.data() + samples);
  // As for the EVPI: Σ_b (n_b/S)·max_o ≥ max_o Σ_b (n_b/S)·mean, up to rounding.
  return std::max(partial - current, 0.0);
}

}  // namespace desist
