// Summaries of a measure across replicates.
#pragma once

#include <vector>

namespace desist {

// Mean over replicates and the 95% confidence interval of that mean
// (Student's t with n − 1 degrees of freedom). With one replicate the interval
// and sd are NaN: one run says nothing about its own Monte Carlo error.
struct Estimate {
  double mean = 0.0;
  double ci_low = 0.0;
  double ci_high = 0.0;
  double sd = 0.0;  // between replicates
  int replicates = 0;
};

Estimate estimate(const std::vector<double>& values);

// The q quantile of sorted values, interpolating between order statistics
// (Hyndman and Fan's type 7, R's default). NaN when empty.
double quantile_of_sorted(const std::vector<double>& sorted, double q);

}  // namespace desist
