#include "scenario_economics.hpp"

#include <algorithm>

#include "desist/ogrs3.hpp"

namespace desist {

const std::vector<std::string>& default_agencies() {
  static const std::vector<std::string> names{"hmpps", "police", "courts", "local_authority",
                                              "nhs",   "dwp",    "victims_and_society"};
  return names;
}

EconomicsParameters default_economics() {
  EconomicsParameters e;
  e.agencies = default_agencies();
  e.discount_rate = 0.035;
  e.crime_cost.assign(ogrs3_offence_count, Cost{});
  return e;
}

Cost read_cost(const YamlNode& node, const EconomicsParameters& economics) {
  node.expect_keys({"amount", "agency"});
  Cost cost;
  cost.amount = node.required("amount").number(Range::non_negative());
  const YamlNode agency = node.required("agency");
  const std::string name = agency.text();
  cost.agency = economics.agency_index(name);
  if (cost.agency < 0) throw agency.error("unknown agency '" + name + "'; " + suggestion(name, economics.agencies));
  return cost;
}

void read_economics(const YamlNode& section, Parameters& p) {
  section.expect_keys({"agencies", "discount_rate", "crime_cost", "police_per_offence", "court_per_appearance",
                       "caution_cost", "prison_place_year", "probation_supervision_year"});
  EconomicsParameters e = default_economics();
  if (auto list = section.optional("agencies")) {
    e.agencies.clear();
    for (const YamlNode& item : list->items()) {
      const std::string name = item.text();
      if (name.empty()) throw item.error("an agency needs a name");
      if (std::find(e.agencies.begin(), e.agencies.end(), name) != e.agencies.end())
        throw item.error("duplicate agency '" + name + "'");
      e.agencies.push_back(name);
    }
    if (e.agencies.empty()) throw list->error("at least one agency is needed");
  }
  e.discount_rate = section.number_or("discount_rate", 0.035, Range::between(0.0, 0.5));
  if (auto crime = section.optional("crime_cost")) {
    std::vector<std::string> keys{"default"};
    for (int i = 0; i < ogrs3_offence_count; ++i) keys.emplace_back(to_string(static_cast<Ogrs3Offence>(i)));
    crime->expect_keys(keys);
    // The default first, wherever it stands; then each offence named.
    if (auto d = crime->optional("default")) e.crime_cost.assign(ogrs3_offence_count, read_cost(*d, e));
    for (const auto& [offence, value] : crime->entries()) {
      if (offence == "default") continue;
      const auto category = parse_ogrs3_offence(offence);
      e.crime_cost[static_cast<std::size_t>(*category)] = read_cost(value, e);
    }
  }
  if (auto c = section.optional("police_per_offence")) e.police_per_offence = read_cost(*c, e);
  if (auto c = section.optional("court_per_appearance")) e.court_per_appearance = read_cost(*c, e);
  if (auto c = section.optional("caution_cost")) e.caution_cost = read_cost(*c, e);
  if (auto c = section.optional("prison_place_year")) e.prison_place_year = read_cost(*c, e);
  if (auto c = section.optional("probation_supervision_year")) e.probation_supervision_year = read_cost(*c, e);
  p.economics = std::move(e);
}

}  // namespace desist
