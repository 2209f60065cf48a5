#include "desist/version.hpp"

namespace desist {
std::string_view program_version() { return DESIST_VERSION; }
}  // namespace desist
