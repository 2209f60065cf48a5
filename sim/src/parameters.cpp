#include "desist/parameters.hpp"

#include <algorithm>

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
int Parameters::intervention_index(const std::string& name) const { return index_by_name(interventions, name); }

int EconomicsParameters::agency_index(const std::string& name) const {
  for (std::size_t i = 0; i < agencies.size(); ++i)
    if (agencies[i] == name) return static_cast<int>(i);
  return -1;
}

double Parameters::earliest_pre_release_referral() const {
  double days = 0.0;
  for (const auto& i : interventions)
    if (i.referral == ReferralPoint::before_release) days = std::max(days, i.days_before_release);
  return days;
}

bool Parameters::has_allocation_panels() const {
  for (const auto& i : interventions)
    if (i.capacity.limited) return true;
  return false;
}

}  // namespace desist
