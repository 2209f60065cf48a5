#include "desist/results_json.hpp"

#include <nlohmann/json.hpp>

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

}  // namespace

std::string results_json(const Scenario& scenario, const RunResult& result) {
  ordered_json j;
  j["program"] = "desist";
  j["version"] = std::string(program_version());
  j["scenario"] = scenario.parameters.name;
  j["scenario_file"] = scenario.file;
  j["cohort_size"] = result.cohort_size;
  j["replicates"] = result.replicates.size();
  j["seed"] = result.seed;
  j["windows"] = {{"followup_days", scenario.parameters.measures.followup_days},
                  {"waiting_days", scenario.parameters.measures.waiting_days},
                  {"horizon_days", scenario.parameters.horizon_days}};
  ordered_json overall = to_json(overall_estimates(result));
  overall.erase("people");
  j["measures"] = overall;
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
  for (const auto& d : result.diagnostics) {
    seconds += d.seconds;
    engine_seconds += d.engine_seconds;
    events += static_cast<double>(d.events);
  }
  j["diagnostics"] = {{"seconds", seconds},
                      {"engine_seconds", engine_seconds},
                      {"events", events},
                      {"events_per_second", engine_seconds > 0 ? events / engine_seconds : 0.0}};
  return j.dump(2) + "\n";
}

}  // namespace desist
