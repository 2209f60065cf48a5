#include "desist/pbr_results.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cmath>

#include "desist/atomic_file.hpp"
#include "desist/version.hpp"
#include "hdf5_file.hpp"

namespace desist {

namespace {

using nlohmann::ordered_json;

ordered_json to_json(const Estimate& e) {
  return ordered_json{{"mean", e.mean}, {"ci_low", e.ci_low}, {"ci_high", e.ci_high}, {"sd", e.sd}};
}

// The mean with its 95% interval, and the range single replicates span.
ordered_json to_json(const Spread& s) {
  return ordered_json{{"mean", s.mean.mean}, {"ci_low", s.mean.ci_low}, {"ci_high", s.mean.ci_high},
                      {"sd", s.mean.sd},     {"q05", s.q05},           {"q25", s.q25},
                      {"q50", s.q50},        {"q75", s.q75},           {"q95", s.q95}};
}

ordered_json effect_json(const Spread& s) { return to_json(s); }

}  // namespace

std::string contract_json(const ContractEvaluation& e) {
  ordered_json j{{"program", "desist"},
                 {"version", std::string(program_version())},
                 {"contract", e.contract},
                 {"source", e.source},
                 {"contract_file", e.file},
                 {"seed", e.seed},
                 {"replicates", e.replicates},
                 {"cohorts", e.cohort_labels},
                 {"outcomes", e.outcome_names}};
  j["expected_payment"] = to_json(e.outcome_payments.mean);
  j["payment_quantiles"] = ordered_json{{"q05", e.outcome_payments.q05}, {"q25", e.outcome_payments.q25},
                                        {"q50", e.outcome_payments.q50}, {"q75", e.outcome_payments.q75},
                                        {"q95", e.outcome_payments.q95}};
  j["probability_any_payment"] = e.probability_any_payment;
  j["outcome_payments"] = to_json(e.outcome_payments);
  j["present_value"] = to_json(e.present_value);
  j["timing"] = ordered_json{{"payment_day", to_json(e.payment_day)}, {"first_payment_day", to_json(e.first_payment_day)}};
  j["fees"] = to_json(e.fees);
  j["provider"] = ordered_json{{"service_cost", to_json(e.service_cost)}, {"profit", to_json(e.provider_profit)}};
  ordered_json savings = ordered_json::object();
  for (std::size_t a = 0; a < e.agencies.size(); ++a) savings[e.agencies[a]] = to_json(e.savings_by_agency[a]);
  j["commissioner"] = ordered_json{{"agency", e.commissioner}, {"net", to_json(e.commissioner_net)}, {"savings_by_agency", savings}};
  // The first outcome's effects at the top, as the contract measures them and as they are.
  if (!e.effects.empty()) {
    j["measured_effect"] = effect_json(e.effects.front().measured);
    j["true_effect"] = effect_json(e.effects.front().truth);
  }
  ordered_json effects = ordered_json::object();
  for (const EffectReading& r : e.effects)
    effects[r.outcome] = ordered_json{{"measured", to_json(r.measured)}, {"true", to_json(r.truth)},
                                      {"bias", r.bias},                  {"noise", r.noise}};
  j["effects"] = effects;
  ordered_json detectable = ordered_json::object();
  for (const DetectableEffect& d : e.detectable)
    detectable[d.outcome] = ordered_json{{"cohort_size", d.cohort_size},     {"comparison_value", d.comparison_value},
                                         {"standard_error", d.standard_error}, {"absolute", d.absolute},
                                         {"relative", d.relative}};
  j["minimum_detectable_effect"] = detectable;
  ordered_json power = ordered_json::array();
  for (const PowerPoint& p : e.power)
    power.push_back(ordered_json{{"cohort_size", p.cohort_size},
                                 {"service_multiplier", p.service_multiplier},
                                 {"true_relative_effect", p.true_relative_effect},
                                 {"standard_error", p.standard_error},
                                 {"simulated_power", p.simulated_power},
                                 {"analytic_power", p.analytic_power},
                                 {"probability_any_payment", p.probability_any_payment},
                                 {"expected_payment", p.expected_payment}});
  j["power"] = power;
  ordered_json strategies = ordered_json::object();
  for (const StrategyReading& s : e.strategies)
    strategies[strategy_names()[static_cast<std::size_t>(s.strategy)]] =
        ordered_json{{"probability_any_payment", s.probability_any_payment},
                     {"outcome_payments", to_json(s.outcome_payments)},
                     {"provider_profit", to_json(s.provider_profit)},
                     {"service_cost", to_json(s.service_cost)},
                     {"commissioner_net", to_json(s.commissioner_net)},
                     {"true_units_averted", to_json(s.true_units_averted)}};
  j["gaming"] = ordered_json{{"strategies", strategies},
                             {"rewarded", e.strategy_rewarded.empty() ? ordered_json() : ordered_json(e.strategy_rewarded)},
                             {"wanted", e.strategy_wanted.empty() ? ordered_json() : ordered_json(e.strategy_wanted)}};
  const ParticipantEvaluation& p = e.participants;
  j["participant_evaluation"] = ordered_json{{"covariates", p.covariates},
                                             {"participants", to_json(p.participants)},
                                             {"estimated_effect", to_json(p.estimated_effect)},
                                             {"true_effect", to_json(p.true_effect)},
                                             {"bias", to_json(p.bias)},
                                             {"probability_significant", p.probability_significant}};
  return j.dump(2) + "\n";
}

namespace {

std::string image_name(const std::string& path) {
  static std::atomic<unsigned> images{0};
  return path + ".contract.image." + std::to_string(images++);
}

template <class T, class From>
std::vector<T> column(const std::vector<From>& values) {
  std::vector<T> out;
  out.reserve(values.size());
  for (const From& v : values) out.push_back(static_cast<T>(v));
  return out;
}

void write_world(const hdf5::Writer& w, hid_t parent, const char* name, const Contract& c, const WorldOutcomes& world) {
  const hdf5::Handle g = w.group(parent, name);
  for (std::size_t k = 0; k < c.outcomes.size(); ++k) {
    const hdf5::Handle o = w.group(g.get(), c.outcomes[k].name);
    w.dataset(o.get(), "value", world.value[k], true);
    w.dataset(o.get(), "counted", world.counted[k], true);
  }
  w.dataset(g.get(), "participated", world.participated, true);
}

void write_cohort(const hdf5::Writer& w, hid_t parent, const Cohort& c) {
  const hdf5::Handle g = w.group(parent, "cohort");
  w.dataset(g.get(), "group", c.group, true);
  w.dataset(g.get(), "sex", column<std::uint8_t>(c.sex), true);
  w.dataset(g.get(), "age", c.age, true);
  w.dataset(g.get(), "offence", column<std::uint8_t>(c.offence), true);
  w.dataset(g.get(), "previous_sanctions", c.previous_sanctions, true);
  w.dataset(g.get(), "age_at_first_sanction", c.age_at_first_sanction, true);
  w.dataset(g.get(), "iom", c.iom, true);
  w.dataset(g.get(), "area", c.area, true);
  w.dataset(g.get(), "index_day", c.index_day, true);
  w.dataset(g.get(), "sentence_days", c.sentence_days, true);
  w.dataset(g.get(), "needs", c.needs, true);
  w.dataset(g.get(), "ogrs3_two_year", c.ogrs3_two_year, true);
}

// The groups of a contract file (closed on return, before the image is taken).
void write_contract_groups(const hdf5::Writer& w, const Contract& c, const ContractRun& run) {
  const hid_t root = w.root();
  const ContractEvaluation& e = run.evaluation;
  const hdf5::Handle outcomes = w.group(root, "outcomes");
  std::vector<std::string> names, measures;
  std::vector<double> followup, waiting;
  for (const OutcomeDefinition& d : c.outcomes) {
    names.push_back(d.name);
    measures.push_back(contract_measure_names()[static_cast<std::size_t>(d.measure)]);
    followup.push_back(d.followup_days);
    waiting.push_back(d.waiting_days);
  }
  w.strings(outcomes.get(), "name", names);
  w.strings(outcomes.get(), "measure", measures);
  w.dataset(outcomes.get(), "followup_days", followup);
  w.dataset(outcomes.get(), "waiting_days", waiting);

  const hdf5::Handle per = w.group(root, "per_replicate");
  w.dataset(per.get(), "outcome_payments", e.replicate_outcome_payments);
  w.dataset(per.get(), "present_value", e.replicate_present_value);
  w.dataset(per.get(), "provider_profit", e.replicate_provider_profit);

  const hdf5::Handle reps = w.group(root, "replicates");
  for (const ContractReplicate& r : run.recorded) {
    const hdf5::Handle g = w.group(reps.get(), std::to_string(r.replicate));
    write_cohort(w, g.get(), r.cohort);
    write_world(w, g.get(), "without_service", c, r.without_service);
    write_world(w, g.get(), "with_service", c, r.with_service);
    w.dataset(g.get(), "service_cost_by_year", r.service_cost_by_year);
    w.strings(g.get(), "agencies", r.agencies);
    std::vector<double> savings;
    for (const auto& by_year : r.savings_by_agency_year) savings.insert(savings.end(), by_year.begin(), by_year.end());
    w.dataset(g.get(), "savings_by_agency_year",
              {static_cast<hsize_t>(r.agencies.size()), static_cast<hsize_t>(r.service_cost_by_year.size())},
              savings.data());
  }
}

std::vector<char> contract_image(const std::string& path, const Contract& c, const ContractRun& run) {
  hdf5::Writer w(path);
  w.create(image_name(path));
  const hid_t root = w.root();
  const ContractEvaluation& e = run.evaluation;
  w.attribute(root, "program", std::string("desist"));
  w.attribute(root, "version", std::string(program_version()));
  w.attribute(root, "kind", std::string("contract"));
  w.attribute(root, "contract", c.name);
  w.attribute(root, "contract_file", c.file);
  w.attribute(root, "contract_text", c.text);
  w.attribute(root, "scenario_file", c.scenario.file);
  w.attribute(root, "scenario", c.scenario.text);
  w.attribute(root, "service_file", c.service.file);
  w.attribute(root, "seed", static_cast<std::uint64_t>(e.seed));
  w.attribute(root, "replicates", static_cast<std::int32_t>(run.recorded.size()));
  w.attribute(root, "evaluation", contract_json(e));

  write_contract_groups(w, c, run);
  return w.image();
}

}  // namespace

void write_contract_hdf5(const std::string& path, const Contract& c, const ContractRun& run) {
  const std::vector<char> bytes = contract_image(path, c, run);
  write_file_atomically(path, std::string_view(bytes.data(), bytes.size()));
}

namespace {

template <class T>
std::vector<T> sized(const hdf5::Reader& f, const std::string& name, std::size_t n) {
  std::vector<T> v = f.dataset<T>(name);
  if (v.size() != n) f.fail("'" + name + "' has " + std::to_string(v.size()) + " entries, not " + std::to_string(n));
  return v;
}

std::vector<std::string> read_strings(const hdf5::Reader& f, const std::string& name) {
  hdf5::Handle set(H5Dopen2(f.root(), name.c_str(), H5P_DEFAULT), H5Dclose);
  if (set.get() < 0) f.fail("no dataset '" + name + "'");
  hdf5::Handle type(H5Dget_type(set.get()), H5Tclose);
  hdf5::Handle space(H5Dget_space(set.get()), H5Sclose);
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  std::vector<char*> texts(static_cast<std::size_t>(std::max<hssize_t>(n, 0)), nullptr);
  if (H5Tis_variable_str(type.get()) <= 0 ||
      (n > 0 && H5Dread(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()) < 0))
    f.fail("dataset '" + name + "' is not a list of strings");
  std::vector<std::string> out;
  for (char* t : texts) {
    out.emplace_back(t ? t : "");
    H5free_memory(t);
  }
  return out;
}

Cohort read_cohort(const hdf5::Reader& f, const std::string& at) {
  Cohort c;
  const auto group = f.dataset<std::uint8_t>(at + "/group");
  const std::size_t n = group.size();
  c.resize(n);
  c.group = group;
  const auto sex = sized<std::uint8_t>(f, at + "/sex", n);
  const auto offence = sized<std::uint8_t>(f, at + "/offence", n);
  for (std::size_t i = 0; i < n; ++i) {
    c.sex[i] = static_cast<Sex>(sex[i]);
    c.offence[i] = static_cast<Ogrs3Offence>(offence[i]);
  }
  c.age = sized<float>(f, at + "/age", n);
  c.previous_sanctions = sized<std::uint16_t>(f, at + "/previous_sanctions", n);
  c.age_at_first_sanction = sized<float>(f, at + "/age_at_first_sanction", n);
  c.iom = sized<std::uint8_t>(f, at + "/iom", n);
  c.area = sized<std::uint8_t>(f, at + "/area", n);
  c.index_day = sized<float>(f, at + "/index_day", n);
  c.sentence_days = sized<float>(f, at + "/sentence_days", n);
  c.needs = sized<std::uint8_t>(f, at + "/needs", n);
  c.ogrs3_two_year = sized<double>(f, at + "/ogrs3_two_year", n);
  return c;
}

WorldOutcomes read_world(const hdf5::Reader& f, const std::string& at, const std::vector<std::string>& outcomes,
                         std::size_t n) {
  WorldOutcomes w;
  for (const std::string& o : outcomes) {
    w.value.push_back(sized<double>(f, at + "/" + o + "/value", n));
    w.counted.push_back(sized<std::uint8_t>(f, at + "/" + o + "/counted", n));
  }
  w.participated = sized<std::uint8_t>(f, at + "/participated", n);
  return w;
}

}  // namespace

std::vector<ContractReplicate> read_contract_replicates(const std::string& path, const Contract& c,
                                                        std::uint64_t* seed) {
  const hdf5::Reader f(path);
  if (!H5Aexists(f.root(), "kind") || f.string_attribute("/", "kind") != "contract")
    throw InputError(SourceLocation{path, 0, 0, ""}, "not a contract results file (desist pbr --out writes them)");
  if (seed) *seed = f.attribute<std::uint64_t>("/", "seed");
  // Each of the contract's outcomes must have been recorded with the same definition.
  const auto names = read_strings(f, "/outcomes/name");
  const auto measures = read_strings(f, "/outcomes/measure");
  const auto followup = sized<double>(f, "/outcomes/followup_days", names.size());
  const auto waiting = sized<double>(f, "/outcomes/waiting_days", names.size());
  std::vector<std::string> recorded_as;
  std::string held;
  for (std::size_t k = 0; k < names.size(); ++k)
    held += (k ? "; " : "") + names[k] + " (" + measures[k] + ", " + exact_number(followup[k]) + " + " +
            exact_number(waiting[k]) + " days)";
  for (const OutcomeDefinition& d : c.outcomes) {
    const std::string& measure = contract_measure_names()[static_cast<std::size_t>(d.measure)];
    std::size_t k = 0;
    while (k < names.size() &&
           !(measures[k] == measure && followup[k] == d.followup_days && waiting[k] == d.waiting_days))
      ++k;
    if (k == names.size())
      throw InputError(SourceLocation{c.file, 0, 0, "outcomes." + d.name},
                       "'" + path + "' does not hold this outcome (" + measure + ", " + exact_number(d.followup_days) +
                           " + " + exact_number(d.waiting_days) + " days); it holds: " + held);
    recorded_as.push_back(names[k]);
  }
  const auto replicates = f.attribute<std::int32_t>("/", "replicates");
  std::vector<ContractReplicate> out;
  for (std::int32_t r = 0; r < replicates; ++r) {
    const std::string at = "/replicates/" + std::to_string(r);
    if (!f.exists(at)) f.fail("no group '" + at + "'");
    ContractReplicate rep;
    rep.replicate = static_cast<std::uint64_t>(r);
    rep.cohort = read_cohort(f, at + "/cohort");
    rep.without_service = read_world(f, at + "/without_service", recorded_as, rep.cohort.size());
    rep.with_service = read_world(f, at + "/with_service", recorded_as, rep.cohort.size());
    rep.service_cost_by_year = f.dataset<double>(at + "/service_cost_by_year");
    rep.agencies = read_strings(f, at + "/agencies");
    const std::size_t years = rep.service_cost_by_year.size();
    const auto savings = sized<double>(f, at + "/savings_by_agency_year", rep.agencies.size() * years);
    for (std::size_t a = 0; a < rep.agencies.size(); ++a)
      rep.savings_by_agency_year.emplace_back(savings.begin() + static_cast<std::ptrdiff_t>(a * years),
                                              savings.begin() + static_cast<std::ptrdiff_t>((a + 1) * years));
    out.push_back(std::move(rep));
  }
  return out;
}

}  // namespace desist
