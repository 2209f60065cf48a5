#include "desist/results_json.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "desist/version.hpp"

namespace desist {

namespace {

using nlohmann::ordered_json;

ordered_json to_json(const Estimate& e) {
  return ordered_json{{"mean", e.mean}, {"ci_low", e.ci_low}, {"ci_high", e.ci_high}, {"sd", e.sd}};
}

ordered_json to_json(const MeasureEstimates& m) {
  return ordered_json{{"people", m.people},
                      {"binary_rate", to_json(m.binary_rate)},
                      {"reoffences_per_offender", to_json(m.reoffences_per_offender)},
                      {"reoffences_per_reoffender", to_json(m.reoffences_per_reoffender)},
                      {"conviction_events_per_offender", to_json(m.conviction_events_per_offender)},
                      {"custody_days_per_offender", to_json(m.custody_days_per_offender)},
                      {"recalls_per_offender", to_json(m.recalls_per_offender)}};
}

ordered_json to_json(const PairedDifference& d) {
  return ordered_json{{"mean", d.mean},
                      {"ci_low", d.ci_low},
                      {"ci_high", d.ci_high},
                      {"unpaired_ci_low", d.unpaired_ci_low},
                      {"unpaired_ci_high", d.unpaired_ci_high}};
}

ordered_json run_header(const Scenario& scenario, const RunResult& result) {
  return ordered_json{{"program", "desist"},
                      {"version", std::string(program_version())},
                      {"scenario", scenario.parameters.name},
                      {"scenario_file", scenario.file},
                      {"cohort_size", result.cohort_size},
                      {"replicates", result.replicates.size()},
                      {"seed", result.seed},
                      {"windows",
                       {{"followup_days", scenario.parameters.measures.followup_days},
                        {"waiting_days", scenario.parameters.measures.waiting_days},
                        {"horizon_days", scenario.parameters.horizon_days}}}};
}

ordered_json overall_json(const RunResult& result) {
  ordered_json overall = to_json(overall_estimates(result));
  overall.erase("people");
  return overall;
}

ordered_json economics_json(const EconomicComparison& e) {
  ordered_json j{{"net_present_value", to_json(e.net_present_value)},
                 {"benefit_cost_ratio", to_json(e.benefit_cost_ratio)},
                 {"cost_per_reoffence_averted", to_json(e.cost_per_reoffence_averted)},
                 {"probability_net_benefit_positive", e.probability_net_benefit_positive},
                 {"intervention_cost", to_json(e.intervention_cost)},
                 {"benefits", to_json(e.benefits)}};
  ordered_json savings = ordered_json::object(), ledger = ordered_json::object();
  for (std::size_t a = 0; a < e.agencies.size(); ++a) {
    savings[e.agencies[a]] = to_json(e.savings_by_agency[a]);
    ledger[e.agencies[a]] = e.ledger_by_agency_year[a];
  }
  j["savings_by_agency"] = savings;
  j["savings_by_agency_by_year"] = ledger;
  return j;
}

}  // namespace

std::string comparison_json(const Scenario& base, const std::vector<Option>& options, const ComparisonRun& run,
                            const std::vector<OptionComparison>& comparisons) {
  ordered_json j = run_header(base, run.base);
  j["measures"] = overall_json(run.base);
  ordered_json all = ordered_json::object();
  for (std::size_t o = 0; o < options.size(); ++o) {
    const OptionComparison& c = comparisons[o];
    ordered_json option{{"name", c.name}, {"file", c.file}};
    for (const auto& m : c.measures) option[m.name] = to_json(m.value);
    ordered_json throughput = ordered_json::object();
    for (const auto& t : c.throughput) {
      throughput[t.name] = {{"referrals", to_json(t.referrals)},         {"starts", to_json(t.starts)},
                            {"completions", to_json(t.completions)},     {"dropouts", to_json(t.dropouts)},
                            {"declined", to_json(t.declined)},           {"lapsed", to_json(t.lapsed)},
                            {"interrupted", to_json(t.interrupted)},     {"mean_wait_days", to_json(t.mean_wait_days)},
                            {"p90_wait_days", to_json(t.p90_wait_days)}, {"in_service_by_month", t.in_service_by_month}};
    }
    option["throughput"] = throughput;
    option["economics"] = economics_json(c.economics);
    option["measures"] = overall_json(run.options[o]);
    all[option_key(options[o])] = option;
  }
  j["options"] = all;
  return j.dump(2) + "\n";
}

std::string results_json(const Scenario& scenario, const RunResult& result) {
  ordered_json j = run_header(scenario, result);
  j["measures"] = overall_json(result);
  ordered_json by_group = ordered_json::object();
  if (!result.replicates.empty()) {
    const auto& breakdowns = result.replicates.front().breakdowns;
    for (std::size_t d = 0; d < breakdowns.size(); ++d) {
      ordered_json dimension = ordered_json::object();
      for (std::size_t c = 0; c < breakdowns[d].categories.size(); ++c)
        dimension[breakdowns[d].categories[c]] = to_json(group_estimates(result, d, c));
      by_group[breakdowns[d].dimension] = dimension;
    }
  }
  j["by_group"] = by_group;
  double seconds = 0.0, engine_seconds = 0.0, events = 0.0;
  const double people = static_cast<double>(result.cohort_size) * static_cast<double>(result.diagnostics.size());
  for (const auto& d : result.diagnostics) {
    seconds += d.seconds;
    engine_seconds += d.engine_seconds;
    events += static_cast<double>(d.events);
  }
  std::vector<std::string> checksums;
  for (const auto& d : result.diagnostics) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(d.checksum));
    checksums.emplace_back(hex);
  }
  j["diagnostics"] = {{"seconds", seconds},
                      {"engine_seconds", engine_seconds},
                      {"events", events},
                      {"events_per_second", engine_seconds > 0 ? events / engine_seconds : 0.0},
                      {"events_per_person", people > 0 ? events / people : 0.0},
                      {"checksums", checksums}};
  return j.dump(2) + "\n";
}

}  // namespace desist
