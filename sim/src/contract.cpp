#include "desist/contract.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "desist/cohort.hpp"
#include "desist/yaml_reader.hpp"
#include "input_files.hpp"
#include "scenario_interventions.hpp"

namespace desist {

const std::vector<std::string>& comparison_method_names() {
  static const std::vector<std::string> names{"baseline", "matched", "randomised", "counterfactual"};
  return names;
}

const std::vector<std::string>& strategy_names() {
  static const std::vector<std::string> names{"as_written", "first_come",  "highest_risk",
                                              "lowest_risk", "random",     "park_hardest",
                                              "stop_when_unreachable"};
  return names;
}

int Contract::outcome_index(const std::string& n) const {
  for (std::size_t i = 0; i < outcomes.size(); ++i)
    if (outcomes[i].name == n) return static_cast<int>(i);
  return -1;
}

std::vector<std::size_t> Contract::service_interventions() const {
  std::vector<std::size_t> out;
  for (std::size_t i = scenario.parameters.interventions.size(); i < service.scenario.parameters.interventions.size(); ++i)
    out.push_back(i);
  return out;
}

namespace {

template <class Enum>
Enum choice_of(const YamlNode& n, const std::vector<std::string>& words) {
  const std::string w = n.choice(words);
  return static_cast<Enum>(std::find(words.begin(), words.end(), w) - words.begin());
}

// `file` and `set` of the scenario or the service.
struct FileWithSet {
  std::string file;
  SourceLocation at;  // of the file key, for "cannot open"
  std::vector<std::string> set;
};
FileWithSet read_file_with_set(const YamlNode& n, const std::string& contract_file, bool file_required) {
  n.expect_keys({"file", "set"});
  FileWithSet f;
  f.at = n.location();
  if (file_required || n.has("file")) {
    const YamlNode file = n.required("file");
    f.file = relative_to(contract_file, file.text());
    f.at = file.location();
  }
  if (auto set = n.optional("set")) read_set(*set, "", f.set);
  return f;
}

CohortRule read_cohorts(const YamlNode& n, const Parameters& p) {
  n.expect_keys({"eligible", "close", "count", "first_index_day"});
  CohortRule c;
  c.eligible.groups.assign(p.cohort.groups.size(), 1);
  c.eligible.areas.assign(p.cohort.areas.size(), 1);
  if (auto e = n.optional("eligible")) c.eligible = read_eligibility(*e, p);
  const YamlNode close = n.required("close");
  close.expect_keys({"size", "period_days"});
  if (close.has("size") == close.has("period_days")) throw close.error("give one of size or period_days");
  c.close_by_size = close.has("size");
  if (c.close_by_size)
    c.size = static_cast<std::size_t>(close.required("size").integer(1, 100'000'000));
  else
    c.period_days = close.required("period_days").number(Range{0.0, 36525.0, true});
  c.count = static_cast<int>(n.required("count").integer(1, 1000));
  c.first_index_day = n.number_or("first_index_day", 0.0, Range::non_negative());
  const double period = p.cohort.index_period_days;
  if (c.first_index_day >= period)
    throw n.required("first_index_day").error("the scenario's index dates end on day " + exact_number(period));
  if (!c.close_by_size && c.first_index_day + c.count * c.period_days > period + 1e-9)
    throw n.required("count").error(std::to_string(c.count) + " cohorts of " + exact_number(c.period_days) +
                                    " days from day " + exact_number(c.first_index_day) +
                                    " run past the scenario's index dates (cohort.index_period_days " +
                                    exact_number(period) + ")");
  return c;
}

std::vector<OutcomeDefinition> read_outcomes(const YamlNode& n, const Parameters& p) {
  std::vector<OutcomeDefinition> out;
  for (const auto& [name, o] : n.entries()) {
    o.expect_keys({"measure", "followup_days", "waiting_days", "per"});
    OutcomeDefinition d;
    d.name = name;
    d.measure = choice_of<ContractMeasure>(o.required("measure"), contract_measure_names());
    d.followup_days = o.number_or("followup_days", 365.0, Range{0.0, 36525.0, true});
    d.waiting_days = o.number_or("waiting_days", 183.0, Range::between(0.0, 36525.0));
    d.per = o.number_or("per", 1.0, Range::positive());
    // Each person is followed from their own index date to the horizon.
    const double needed = d.followup_days + d.waiting_days;
    if (needed > p.horizon_days)
      throw o.error("the follow-up and waiting (" + readable_number(needed) + " days) run past the scenario's horizon (" +
                    readable_number(p.horizon_days) + " days after each index date); lengthen run.horizon_years");
    out.push_back(d);
  }
  if (out.empty()) throw n.error("a contract needs at least one outcome");
  return out;
}

ComparisonRule read_comparison(const YamlNode& n, const Parameters& p, const CohortRule& cohorts,
                               const std::vector<OutcomeDefinition>& outcomes) {
  n.expect_keys({"method", "baseline", "case_mix", "baseline_predicted", "pool_areas", "covariates", "ratio",
                 "caliper_sd", "weighting"});
  ComparisonRule c;
  c.method = choice_of<ComparisonMethod>(n.required("method"), comparison_method_names());
  const auto only_for = [&](const std::string& key, std::initializer_list<ComparisonMethod> methods) {
    if (!n.has(key)) return false;
    if (std::find(methods.begin(), methods.end(), c.method) == methods.end())
      throw n.required(key).error("a " + comparison_method_names()[static_cast<std::size_t>(c.method)] +
                                  " comparison has no '" + key + "'");
    return true;
  };
  only_for("baseline", {ComparisonMethod::baseline});
  only_for("case_mix", {ComparisonMethod::baseline});
  only_for("baseline_predicted", {ComparisonMethod::baseline});
  only_for("pool_areas", {ComparisonMethod::matched, ComparisonMethod::randomised});
  only_for("covariates", {ComparisonMethod::matched});
  only_for("ratio", {ComparisonMethod::matched});
  only_for("caliper_sd", {ComparisonMethod::matched});
  only_for("weighting", {ComparisonMethod::matched});

  if (c.method == ComparisonMethod::baseline) {
    const YamlNode b = n.required("baseline");
    std::vector<std::string> names;
    for (const auto& o : outcomes) names.push_back(o.name);
    b.expect_keys(names);
    for (const auto& o : outcomes) {
      const YamlNode v = b.required(o.name);
      v.expect_keys({"value", "standard_error"});
      c.baseline_value.push_back(v.required("value").number(is_proportion(o.measure) ? Range::probability()
                                                                                     : Range::non_negative()));
      c.baseline_standard_error.push_back(v.number_or("standard_error", 0.0, Range::non_negative()));
    }
    if (auto m = n.optional("case_mix")) c.case_mix = choice_of<CaseMix>(*m, {"none", "ogrs_ratio", "ogrs_difference"});
    if (c.case_mix != CaseMix::none)
      c.baseline_predicted = n.required("baseline_predicted").number(Range{0.0, 1.0, true});
    else if (n.has("baseline_predicted"))
      throw n.required("baseline_predicted").error("only a case-mix adjusted baseline has baseline_predicted");
  }
  if (c.method == ComparisonMethod::matched || c.method == ComparisonMethod::randomised) {
    const YamlNode areas = n.required("pool_areas");
    c.pool_areas.assign(p.cohort.areas.size(), 0);
    for (const YamlNode& item : areas.items()) {
      const std::string a = item.text();
      auto it = std::find(p.cohort.areas.begin(), p.cohort.areas.end(), a);
      if (it == p.cohort.areas.end()) throw item.error("unknown area '" + a + "'; " + suggestion(a, p.cohort.areas));
      const auto k = static_cast<std::size_t>(it - p.cohort.areas.begin());
      if (cohorts.eligible.areas[k])
        throw item.error("area '" + a + "' is also the cohort's: a pool must be people the service does not count");
      c.pool_areas[k] = 1;
    }
    if (std::none_of(c.pool_areas.begin(), c.pool_areas.end(), [](std::uint8_t x) { return x != 0; }))
      throw areas.error("name at least one area for the pool");
  }
  if (c.method == ComparisonMethod::matched) {
    const YamlNode cov = n.required("covariates");
    const auto& builtin = Cohort::builtin_attributes();
    for (const YamlNode& item : cov.items()) {
      const std::string a = item.text();
      if (std::find(builtin.begin(), builtin.end(), a) == builtin.end())
        throw item.error("unknown person attribute '" + a + "'; " + suggestion(a, builtin));
      c.covariates.push_back(a);
    }
    if (c.covariates.empty()) throw cov.error("name at least one covariate to match on");
    if (auto r = n.optional("ratio")) c.matching.ratio = static_cast<int>(r->integer(1, 100));
    c.matching.caliper_sd = n.number_or("caliper_sd", 0.2, Range::non_negative());
    if (auto w = n.optional("weighting")) c.weighting = choice_of<PoolWeighting>(*w, {"nearest", "odds"});
  }
  return c;
}

EvaluationSettings read_evaluation(const YamlNode& n) {
  n.expect_keys({"replicates", "seed", "power", "strategies"});
  EvaluationSettings e;
  if (auto r = n.optional("replicates")) e.replicates = static_cast<int>(r->integer(1, 100000));
  if (auto s = n.optional("seed")) {
    e.seed = static_cast<std::uint64_t>(s->integer(0, std::numeric_limits<long long>::max()));
    e.seed_given = true;
  }
  if (auto pw = n.optional("power")) {
    pw->expect_keys({"cohort_sizes", "service_multipliers", "level", "target"});
    for (const YamlNode& s : pw->required("cohort_sizes").items())
      e.power_cohort_sizes.push_back(static_cast<std::size_t>(s.integer(2, 100'000'000)));
    for (const YamlNode& m : pw->required("service_multipliers").items())
      e.power_service_multipliers.push_back(m.number(Range::between(0.0, 10.0)));
    e.power_level = pw->number_or("level", 0.05, Range{0.0, 0.5, true});
    e.power_target = pw->number_or("target", 0.8, Range{0.0, 1.0, true, true});
  }
  if (auto s = n.optional("strategies"))
    for (const YamlNode& item : s->items()) e.strategies.push_back(choice_of<Strategy>(item, strategy_names()));
  return e;
}

}  // namespace

Contract parse_contract(const std::string& text, const std::string& file, const ContractInputs& inputs) {
  auto doc = std::make_shared<YamlDocument>(YamlDocument::load_string(text, file));
  for (const std::string& o : inputs.overrides) doc->apply_override(o);
  const YamlNode root(doc, doc->root, "");
  root.expect_keys({"contract", "scenario", "service", "cohorts", "outcomes", "comparison", "payments", "fees",
                    "timing", "evaluation"});
  Contract c;
  c.file = file;
  c.text = text;
  const YamlNode about = root.required("contract");
  about.expect_keys({"name", "source", "description", "commissioner"});
  c.name = about.required("name").text();
  c.source = about.required("source").text();
  const YamlNode commissioner = about.required("commissioner");

  const YamlNode scenario_node = root.required("scenario");
  const FileWithSet scenario = read_file_with_set(scenario_node, file, inputs.scenario_file.empty());
  const std::string scenario_file = inputs.scenario_file.empty() ? scenario.file : inputs.scenario_file;
  std::vector<std::string> scenario_set = scenario.set;
  scenario_set.insert(scenario_set.end(), inputs.scenario_overrides.begin(), inputs.scenario_overrides.end());
  const std::string scenario_text = read_text_file(scenario_file, "scenario", scenario.at);
  c.scenario = parse_scenario(scenario_text, scenario_file, scenario_set);
  const Parameters& p = c.scenario.parameters;
  c.commissioner = commissioner.text();
  if (p.economics.agency_index(c.commissioner) < 0)
    throw commissioner.error("unknown agency '" + c.commissioner + "'; " + suggestion(c.commissioner, p.economics.agencies));

  const YamlNode service_node = root.required("service");
  const FileWithSet service = read_file_with_set(service_node, file, true);
  const std::string service_text = read_text_file(service.file, "service's option file", service.at);
  c.service = parse_option(c.scenario, service_text, service.file, service.set);
  if (c.service_interventions().empty()) throw service_node.error("the service's option file adds no intervention");

  c.cohort = read_cohorts(root.required("cohorts"), p);
  c.locations["cohorts.close"] = root.required("cohorts").required("close").error("").where();
  const YamlNode comparison = root.required("comparison");
  for (const char* key : {"pool_areas", "covariates", "caliper_sd"})
    c.locations[std::string("comparison.") + key] =
        (comparison.has(key) ? comparison.required(key) : comparison).error("").where();
  c.outcomes = read_outcomes(root.required("outcomes"), p);
  c.comparison = read_comparison(root.required("comparison"), p, c.cohort, c.outcomes);
  std::vector<std::string> outcome_names;
  for (const auto& o : c.outcomes) outcome_names.push_back(o.name);
  c.payments = read_payment_terms(root.required("payments"), root.optional("fees"), root.optional("timing"),
                                  outcome_names);
  if (auto e = root.optional("evaluation")) c.evaluation = read_evaluation(*e);
  if (!c.evaluation.seed_given) c.evaluation.seed = c.scenario.seed;
  return c;
}

Contract load_contract(const std::string& path, const ContractInputs& inputs) {
  const SourceLocation at{path, 0, 0, ""};
  return parse_contract(read_text_file(path, "contract", at), path, inputs);
}

Option service_for(const Contract& c, Strategy s, double park_above_ogrs, double last_index_day) {
  Option o = c.service;
  for (std::size_t i : c.service_interventions()) {
    InterventionParameters& iv = o.scenario.parameters.interventions[i];
    switch (s) {
      case Strategy::first_come: iv.capacity.priority = PriorityRule::first_come; break;
      case Strategy::highest_risk: iv.capacity.priority = PriorityRule::highest_risk; break;
      case Strategy::lowest_risk: iv.capacity.priority = PriorityRule::lowest_risk; break;
      case Strategy::random: iv.capacity.priority = PriorityRule::random; break;
      case Strategy::park_hardest: iv.eligibility.max_ogrs = std::min(iv.eligibility.max_ogrs, park_above_ogrs); break;
      case Strategy::stop_when_unreachable:
        iv.eligibility.last_index_day = std::min(iv.eligibility.last_index_day, last_index_day);
        break;
      case Strategy::as_written: break;
    }
  }
  return o;
}

}  // namespace desist
