// Static person attributes shared by the cohort, the risk score and the model.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace desist {

enum class Sex : std::uint8_t { male = 0, female = 1 };

inline constexpr std::string_view to_string(Sex s) { return s == Sex::male ? "male" : "female"; }

inline std::optional<Sex> parse_sex(std::string_view s) {
  if (s == "male" || s == "m" || s == "M") return Sex::male;
  if (s == "female" || s == "f" || s == "F") return Sex::female;
  return std::nullopt;
}

}  // namespace desist
