#include "desist/parameters.hpp"

namespace desist {

namespace {
template <class Items>
int index_by_name(const Items& items, const std::string& name) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].name == name) return static_cast<int>(i);
  return -1;
}
}  // namespace

int Parameters::group_index(const std::string& name) const { return index_by_name(cohort.groups, name); }
int Parameters::pathway_index(const std::string& name) const { return index_by_name(pathways, name); }

}  // namespace desist
