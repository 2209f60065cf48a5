#include "desist/names.hpp"

#include <algorithm>

namespace desist {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(3, word.size() / 2) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates, std::string_view prefix) {
  if (candidates.empty()) return "none are defined";
  auto quoted = [&](const std::string& c) { return "'" + std::string(prefix) + c + "'"; };
  auto list = [&](const std::vector<std::string>& names) {
    std::string s;
    for (const auto& c : names) s += (s.empty() ? "" : ", ") + quoted(c);
    return s;
  };
  const std::string best = nearest(word, candidates);
  std::vector<std::string> containing;
  if (word.size() >= 3)
    for (const auto& c : candidates)
      if (c.find(word) != std::string::npos) containing.push_back(c);
  if (containing.size() > 1) return "did you mean one of " + list(containing) + "?";
  if (!best.empty()) return "did you mean " + quoted(best) + "?";
  if (containing.size() == 1) return "did you mean " + quoted(containing.front()) + "?";
  return "expected one of: " + list(candidates);
}

}  // namespace desist
