// Reading a contract's payment terms from its `payments`, `fees` and `timing`
// sections (the rules themselves: payment.hpp; the keys: docs/pbr.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "desist/payment.hpp"
#include "desist/yaml_reader.hpp"

namespace desist {

// `measures` are the names the contract's `outcomes` section defines: a
// component naming another is an error naming the nearest. Absent `fees` pay
// none; absent `timing` means no reporting lag and a 3.5% discount rate.
PaymentTerms read_payment_terms(const YamlNode& payments, const std::optional<YamlNode>& fees,
                                const std::optional<YamlNode>& timing, const std::vector<std::string>& measures);

}  // namespace desist
