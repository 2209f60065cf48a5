// Values of an uncertain parameter: the quantile function of its distribution
// (parameters.hpp UncertaintySpec), so that a design's point on the unit
// hypercube becomes a parameter value by inversion. Inversion keeps a Latin
// hypercube or Sobol design stratified in every parameter's own units.
#pragma once

#include "desist/parameters.hpp"

namespace desist {

// The value with cumulative probability u ∈ (0, 1). A distribution of zero
// spread (sd 0, low = high) gives its one value for every u.
double quantile(const UncertaintySpec& distribution, double u);

// The distribution as written: "lognormal [3, 0.3]".
std::string describe(const UncertaintySpec& distribution);

}  // namespace desist
