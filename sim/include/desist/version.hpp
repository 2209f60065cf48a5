// The program's version, recorded in every results file.
#pragma once

#include <string_view>

namespace desist {
std::string_view program_version();
}
