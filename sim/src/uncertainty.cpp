#include "desist/uncertainty.hpp"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace desist {

double quantile(const UncertaintySpec& d, double u) {
  if (!(u > 0.0 && u < 1.0)) throw std::invalid_argument("quantile: u must lie in (0, 1)");
  const auto& x = d.arguments;
  const auto need = [&](std::size_t n) {
    if (x.size() != n) throw std::invalid_argument(d.distribution + " takes " + std::to_string(n) + " arguments");
  };
  if (d.distribution == "normal") {
    need(2);
    return x[1] == 0.0 ? x[0] : boost::math::quantile(boost::math::normal(x[0], x[1]), u);
  }
  if (d.distribution == "lognormal") {  // [median, sigma of the log]
    need(2);
    return x[1] == 0.0 ? x[0] : boost::math::quantile(boost::math::lognormal(std::log(x[0]), x[1]), u);
  }
  if (d.distribution == "beta") {
    need(2);
    return boost::math::quantile(boost::math::beta_distribution<>(x[0], x[1]), u);
  }
  if (d.distribution == "gamma") {  // [shape, scale]
    need(2);
    return boost::math::quantile(boost::math::gamma_distribution<>(x[0], x[1]), u);
  }
  if (d.distribution == "uniform") {
    need(2);
    return x[0] + u * (x[1] - x[0]);
  }
  if (d.distribution == "triangular") {
    need(3);
    return x[0] == x[2] ? x[0] : boost::math::quantile(boost::math::triangular_distribution<>(x[0], x[1], x[2]), u);
  }
  throw std::invalid_argument("unknown distribution '" + d.distribution + "'");
}

std::string describe(const UncertaintySpec& d) {
  std::string s = d.distribution + " [";
  for (std::size_t i = 0; i < d.arguments.size(); ++i) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", d.arguments[i]);
    s += (i ? ", " : "") + std::string(buffer);
  }
  return s + "]";
}

}  // namespace desist
