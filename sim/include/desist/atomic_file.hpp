// Writing an output file so that an interruption never leaves a partial file
// under its final name: the bytes go to a temporary file beside it, which is
// flushed to disk and then renamed over the final name.
#pragma once

#include <string>
#include <string_view>

namespace desist {

// Throws std::runtime_error "cannot write '<path>': <reason>" (missing
// directory, a directory in the way, disk full, ...); the temporary file is
// removed and any previous file under `path` is left as it was.
void write_file_atomically(const std::string& path, std::string_view contents);

}  // namespace desist
