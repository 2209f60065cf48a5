// Suggesting the valid name a user probably meant, for every "unknown X" error
// (scenario keys and references, person-file columns and values).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace desist {

// Levenshtein distance.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is close enough to be a likely typo, else "".
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

// Text to follow "unknown name 'x'; ": "did you mean 'y'?" for a likely typo,
// "did you mean one of 'a', 'b'?" when several names contain the word (e.g.
// "burglary"), otherwise the list of valid names ("none are defined" if empty).
// `prefix` is put before each suggested name (e.g. "need_" for person-file columns).
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates,
                       std::string_view prefix = {});

}  // namespace desist
