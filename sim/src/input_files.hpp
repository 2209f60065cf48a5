// What input files that point at other files share (sweeps, contracts): paths
// relative to the file that names them, reading a named file with a located
// error, and `set:` sections turned into "path=value" overrides.
#pragma once

#include <string>
#include <vector>

#include "desist/error.hpp"
#include "desist/yaml_reader.hpp"

namespace desist {

// The whole of a text file; an InputError at `from` names `what` when it cannot be read.
std::string read_text_file(const std::string& path, const std::string& what, const SourceLocation& from);

// `path` as written in `file`: relative to that file's directory unless absolute.
std::string relative_to(const std::string& file, const std::string& path);

// `set:` entries as "path=value": keys may be dotted paths or nested maps, and
// a value a single value or a list of them.
void read_set(const YamlNode& n, const std::string& prefix, std::vector<std::string>& out);

}  // namespace desist
