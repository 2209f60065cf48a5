#include "scenario_interventions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "scenario_economics.hpp"

namespace desist {

namespace {

std::vector<std::uint8_t> read_name_set(const YamlNode& n, const std::vector<std::string>& names, const char* what) {
  std::vector<std::uint8_t> allowed(names.size(), 0);
  for (const YamlNode& item : n.items()) {
    const std::string name = item.text();
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) throw item.error("unknown " + std::string(what) + " '" + name + "'; " + suggestion(name, names));
    allowed[static_cast<std::size_t>(it - names.begin())] = 1;
  }
  return allowed;
}

// The index of pathway `name`; an error located at `at` if there is none.
int pathway_named(const std::string& name, const YamlNode& at, const Parameters& p) {
  const int k = p.pathway_index(name);
  if (k < 0) {
    std::vector<std::string> names;
    for (const auto& pw : p.pathways) names.push_back(pw.name);
    throw at.error("unknown pathway '" + name + "'; " + suggestion(name, names));
  }
  return k;
}

int read_pathway(const YamlNode& n, const Parameters& p) { return pathway_named(n.text(), n, p); }

std::pair<double, double> read_band(const YamlNode& n, const Range& range, double lo, double hi) {
  n.expect_keys({"min", "max"});
  const double a = n.number_or("min", lo, range), b = n.number_or("max", hi, range);
  if (a > b) throw n.error("min is above max");
  return {a, b};
}

}  // namespace

Eligibility read_eligibility(const YamlNode& n, const Parameters& p) {
  n.expect_keys({"groups", "ogrs", "needs_any", "age", "sex", "iom", "areas", "index_day"});
  Eligibility e;
  std::vector<std::string> groups, areas;
  for (const auto& g : p.cohort.groups) groups.push_back(g.name);
  e.groups.assign(groups.size(), 1);
  if (auto g = n.optional("groups")) e.groups = read_name_set(*g, groups, "sentence group");
  if (auto o = n.optional("ogrs")) std::tie(e.min_ogrs, e.max_ogrs) = read_band(*o, Range::probability(), 0.0, 1.0);
  if (auto needs = n.optional("needs_any"))
    for (const YamlNode& item : needs->items()) e.needs_any |= static_cast<std::uint8_t>(1u << read_pathway(item, p));
  if (auto a = n.optional("age")) std::tie(e.min_age, e.max_age) = read_band(*a, Range::between(0.0, 200.0), 0.0, 200.0);
  if (auto s = n.optional("sex")) {
    const std::string sex = s->choice({"any", "male", "female"});
    e.sex = sex == "any" ? -1 : sex == "male" ? 0 : 1;
  }
  if (auto i = n.optional("iom")) e.iom = i->boolean() ? 1 : 0;
  e.areas.assign(p.cohort.areas.size(), 1);
  if (auto a = n.optional("areas")) e.areas = read_name_set(*a, p.cohort.areas, "area");
  if (auto d = n.optional("index_day"))
    std::tie(e.first_index_day, e.last_index_day) =
        read_band(*d, Range::any(), -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity());
  return e;
}

namespace {

Capacity read_capacity(const YamlNode& n) {
  n.expect_keys({"places", "starts_per_year", "budget", "panel_every_days", "priority", "max_wait_days"});
  Capacity c;
  c.limited = true;
  const int given = static_cast<int>(n.has("places")) + static_cast<int>(n.has("starts_per_year")) +
                    static_cast<int>(n.has("budget"));
  if (given != 1) throw n.error("give exactly one of places, starts_per_year or budget");
  if (auto places = n.optional("places")) c.places = static_cast<double>(places->integer(0, 10'000'000));
  if (auto starts = n.optional("starts_per_year")) c.starts_per_year = starts->number(Range::non_negative());
  if (auto budget = n.optional("budget")) {
    // A yearly budget buys concurrent places at a cost per place-year.
    budget->expect_keys({"per_year", "cost_per_place_year"});
    const double per_year = budget->required("per_year").number(Range::non_negative());
    const double unit = budget->required("cost_per_place_year").number(Range::positive());
    c.places = std::floor(per_year / unit);
  }
  c.cadence_days = n.required("panel_every_days").number(Range{0.0, 3650.0, true});
  const std::string priority = n.choice_or("priority", "first_come", {"first_come", "highest_risk", "lowest_risk", "random"});
  c.priority = priority == "first_come"     ? PriorityRule::first_come
               : priority == "highest_risk" ? PriorityRule::highest_risk
               : priority == "lowest_risk"  ? PriorityRule::lowest_risk
                                            : PriorityRule::random;
  c.max_wait_days = n.number_or("max_wait_days", 0.0, Range::non_negative());
  return c;
}

void read_referral(const YamlNode& n, const Parameters& p, InterventionParameters& out) {
  n.expect_keys({"point", "days_before_release", "pathway"});
  const std::string point =
      n.required("point").choice({"before_release", "at_release", "at_order_start", "at_index", "on_need_arising"});
  out.referral = point == "before_release"   ? ReferralPoint::before_release
                 : point == "at_release"     ? ReferralPoint::at_release
                 : point == "at_order_start" ? ReferralPoint::at_order_start
                 : point == "at_index"       ? ReferralPoint::at_index
                                             : ReferralPoint::on_need_arising;
  if (out.referral == ReferralPoint::before_release)
    out.days_before_release = n.required("days_before_release").number(Range::between(0.0, 3650.0));
  else if (n.has("days_before_release"))
    throw n.required("days_before_release").error("only a before_release referral has days_before_release");
  if (out.referral == ReferralPoint::on_need_arising)
    out.trigger_pathway = read_pathway(n.required("pathway"), p);
  else if (n.has("pathway"))
    throw n.required("pathway").error("only an on_need_arising referral names a pathway");
}

void read_effects(const YamlNode& n, const Parameters& p, InterventionParameters& out) {
  n.expect_keys({"offending_multiplier", "persistence_half_life_days", "pathways"});
  if (auto m = n.optional("offending_multiplier")) out.offending_multiplier = read_uncertain(*m, Range::non_negative());
  out.persistence_half_life_days = n.number_or("persistence_half_life_days", 0.0, Range::between(0.0, 36525.0));
  if (auto pathways = n.optional("pathways")) {
    for (const auto& [name, e] : pathways->entries()) {
      PathwayEffect effect;
      effect.pathway = pathway_named(name, e, p);
      e.expect_keys({"resolve_multiplier", "relapse_multiplier", "in_custody"});
      if (auto r = e.optional("resolve_multiplier")) effect.resolve_multiplier = read_uncertain(*r, Range::non_negative());
      if (auto r = e.optional("relapse_multiplier")) effect.relapse_multiplier = read_uncertain(*r, Range::non_negative());
      effect.in_custody = e.boolean_or("in_custody", false);
      out.pathway_effects.push_back(effect);
    }
  }
}

// {amount, agency}, or a list of them for a cost shared between agencies.
std::vector<Cost> read_cost_shares(const YamlNode& n, const EconomicsParameters& economics) {
  if (!n.is_sequence()) return {read_cost(n, economics)};
  std::vector<Cost> shares;
  for (const YamlNode& item : n.items()) shares.push_back(read_cost(item, economics));
  if (shares.empty()) throw n.error("give at least one {amount, agency}");
  return shares;
}


}  // namespace

const std::vector<std::string>& distribution_names() {
  static const std::vector<std::string> names{"normal", "lognormal", "beta", "gamma", "uniform", "triangular"};
  return names;
}

namespace {

std::size_t argument_count(const std::string& distribution) { return distribution == "triangular" ? 3 : 2; }

}  // namespace

UncertaintySpec read_uncertainty(const YamlNode& n) {
  n.expect_keys(distribution_names());
  const auto entries = n.entries();
  if (entries.size() != 1) throw n.error("give exactly one distribution: " + suggestion("", distribution_names()));
  const auto& [name, arguments] = entries.front();
  UncertaintySpec u{name, {}};
  for (const YamlNode& a : arguments.items()) u.arguments.push_back(a.number());
  if (u.arguments.size() != argument_count(name))
    throw arguments.error(name + " takes " + std::to_string(argument_count(name)) + " numbers");
  const auto& x = u.arguments;
  const bool valid = name == "normal"       ? x[1] >= 0
                     : name == "lognormal"  ? x[0] > 0 && x[1] >= 0
                     : name == "beta"       ? x[0] > 0 && x[1] > 0
                     : name == "gamma"      ? x[0] > 0 && x[1] > 0
                     : name == "uniform"    ? x[0] <= x[1]
                                            : x[0] <= x[1] && x[1] <= x[2];
  if (!valid) {
    static const char* forms = "normal: [mean, sd ≥ 0]; lognormal: [median > 0, sigma ≥ 0]; beta: [alpha > 0, beta > 0]; "
                               "gamma: [shape > 0, scale > 0]; uniform: [low ≤ high]; triangular: [low ≤ mode ≤ high]";
    throw arguments.error(std::string("invalid arguments for ") + name + " (" + forms + ")");
  }
  return u;
}

UncertainValue read_uncertain(const YamlNode& n, const Range& range) {
  UncertainValue v;
  if (!n.is_map()) {
    v.value = n.number(range);
    return v;
  }
  n.expect_keys({"value", "uncertainty"});
  v.value = n.required("value").number(range);
  if (auto u = n.optional("uncertainty")) v.uncertainty.push_back(read_uncertainty(*u));
  return v;
}

void read_interventions(const YamlNode& section, Parameters& p) {
  for (const auto& [name, n] : section.entries()) {
    if (p.intervention_index(name) >= 0) throw n.error("an intervention named '" + name + "' is already defined");
    if (p.interventions.size() >= static_cast<std::size_t>(max_interventions))
      throw n.error("at most " + std::to_string(max_interventions) + " interventions can run together");
    n.expect_keys({"description", "pathways", "eligibility", "referral", "max_referrals", "capacity", "uptake",
                   "duration_days", "dropout", "ends_on_custody", "effects", "costs"});
    InterventionParameters i;
    i.name = name;
    n.text_or("description", "");  // free text for the reader of the file: checked, not kept
    if (auto pw = n.optional("pathways"))
      for (const YamlNode& item : pw->items()) i.pathways.push_back(read_pathway(item, p));
    i.eligibility.groups.assign(p.cohort.groups.size(), 1);  // everyone, unless the scenario says otherwise
    i.eligibility.areas.assign(p.cohort.areas.size(), 1);
    if (auto e = n.optional("eligibility")) i.eligibility = read_eligibility(*e, p);
    read_referral(n.required("referral"), p, i);
    i.max_referrals = static_cast<int>(n.integer_or("max_referrals", 1, 1, 255));
    if (auto c = n.optional("capacity")) i.capacity = read_capacity(*c);
    if (auto u = n.optional("uptake")) {
      u->expect_keys({"probability", "readiness_log_odds"});
      i.uptake = u->required("probability").number(Range::probability());
      i.uptake_readiness = u->number_or("readiness_log_odds", 0.0, Range::between(-20.0, 20.0));
    }
    i.duration_days = n.required("duration_days").number(Range{0.0, 36525.0, true});
    if (auto d = n.optional("dropout")) {
      d->expect_keys({"rate_per_year", "readiness_log_rate"});
      i.dropout_rate = d->required("rate_per_year").number(Range::rate_per_year());
      i.dropout_readiness = d->number_or("readiness_log_rate", 0.0, Range::between(-20.0, 20.0));
    }
    i.ends_on_custody = n.boolean_or("ends_on_custody", true);
    if (auto e = n.optional("effects")) read_effects(*e, p, i);
    if (auto costs = n.optional("costs")) {
      costs->expect_keys({"per_referral", "per_week", "per_completion"});
      if (auto c = costs->optional("per_referral")) i.cost_per_referral = read_cost_shares(*c, p.economics);
      if (auto c = costs->optional("per_week")) i.cost_per_week = read_cost_shares(*c, p.economics);
      if (auto c = costs->optional("per_completion")) i.cost_per_completion = read_cost_shares(*c, p.economics);
    }
    p.interventions.push_back(std::move(i));
  }
}

}  // namespace desist
