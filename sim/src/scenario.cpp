#include "desist/scenario.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <utility>

#include "desist/cohort.hpp"
#include "desist/yaml_reader.hpp"
#include "scenario_economics.hpp"
#include "scenario_interventions.hpp"

namespace desist {

namespace {

constexpr double share_tolerance = 1e-6;

std::vector<std::string> offence_names() {
  std::vector<std::string> names;
  for (int i = 0; i < ogrs3_offence_count; ++i) names.emplace_back(to_string(static_cast<Ogrs3Offence>(i)));
  return names;
}

std::vector<std::string> pathway_names(const Parameters& p) {
  std::vector<std::string> names;
  for (const auto& pw : p.pathways) names.push_back(pw.name);
  return names;
}

TruncatedLogNormal read_lognormal(const YamlNode& n, const TruncatedLogNormal& fallback) {
  n.expect_keys({"median", "sigma", "min", "max"});
  TruncatedLogNormal d;
  d.median = n.number_or("median", fallback.median, Range::positive());
  d.sigma = n.number_or("sigma", fallback.sigma, Range::between(0.0, 5.0));
  d.minimum = n.number_or("min", fallback.minimum, Range::positive());
  d.maximum = n.number_or("max", fallback.maximum, Range::positive());
  if (d.minimum > d.maximum) throw n.error("min (" + std::to_string(d.minimum) + ") is above max");
  return d;
}

ShiftedGamma read_shifted_gamma(const YamlNode& n, const Range& allowed) {
  n.expect_keys({"mean", "sd", "min", "max"});
  ShiftedGamma d;
  d.minimum = n.required("min").number(allowed);
  d.maximum = n.required("max").number(allowed);
  d.mean = n.required("mean").number(allowed);
  d.sd = n.required("sd").number(Range::non_negative());
  if (d.minimum > d.maximum) throw n.error("min is above max");
  if (d.mean < d.minimum || d.mean > d.maximum) throw n.required("mean").error("mean must lie between min and max");
  return d;
}

// A map of names to non-negative weights that must sum to 1.
std::vector<double> read_shares(const YamlNode& n, const std::vector<std::string>& names) {
  std::vector<double> shares(names.size(), 0.0);
  double total = 0.0;
  for (const auto& [key, value] : n.entries()) {
    auto it = std::find(names.begin(), names.end(), key);
    if (it == names.end()) throw value.error("unknown name '" + key + "'; " + suggestion(key, names));
    shares[it - names.begin()] = value.number(Range::probability());
    total += shares[it - names.begin()];
  }
  if (std::abs(total - 1.0) > share_tolerance)
    throw n.error("shares must add up to 1, they add up to " + std::to_string(total));
  return shares;
}

BaselineHazard read_baseline(const YamlNode& n) {
  n.expect_keys({"weibull", "log_logistic", "piecewise_constant"});
  const int given = static_cast<int>(n.has("weibull")) + static_cast<int>(n.has("log_logistic")) +
                    static_cast<int>(n.has("piecewise_constant"));
  if (given != 1) throw n.error("give exactly one of weibull, log_logistic, piecewise_constant");
  if (auto weibull = n.optional("weibull")) {
    const YamlNode& b = *weibull;
    b.expect_keys({"first_year_hazard", "shape"});
    return BaselineHazard(WeibullBaseline{b.required("first_year_hazard").number(Range::rate_per_year()),
                                          b.required("shape").number(Range{0.05, 20.0})});
  }
  if (auto log_logistic = n.optional("log_logistic")) {
    const YamlNode& b = *log_logistic;
    b.expect_keys({"first_year_hazard", "scale_days", "shape"});
    return BaselineHazard(LogLogisticBaseline{b.required("first_year_hazard").number(Range::rate_per_year()),
                                              b.required("scale_days").number(Range::positive()),
                                              b.required("shape").number(Range{0.05, 20.0})});
  }
  const YamlNode b = *n.optional("piecewise_constant");  // the one given
  b.expect_keys({"start_day", "rate_per_year"});
  PiecewiseConstantBaseline pw;
  pw.start_day.clear();
  pw.rate_per_year.clear();
  const YamlNode starts = b.required("start_day");
  for (const YamlNode& s : starts.items()) {
    const double day = s.number(Range::non_negative());
    if (pw.start_day.empty() && day != 0.0) throw s.error("the first interval must start at day 0");
    if (!pw.start_day.empty() && day <= pw.start_day.back()) throw s.error("start days must increase");
    pw.start_day.push_back(day);
  }
  const YamlNode rates = b.required("rate_per_year");
  for (const YamlNode& r : rates.items()) pw.rate_per_year.push_back(r.number(Range::rate_per_year()));
  if (pw.start_day.empty()) throw starts.error("at least one interval is needed");
  if (pw.rate_per_year.size() != pw.start_day.size())
    throw rates.error("needs one rate per start day (" + std::to_string(pw.start_day.size()) + ")");
  return BaselineHazard(pw);
}

void read_pathways(const YamlNode& n, Parameters& p) {
  const auto entries = n.entries();
  if (entries.size() > static_cast<std::size_t>(max_pathways))
    throw n.error("at most " + std::to_string(max_pathways) + " pathways are supported");
  for (const auto& entry : entries) {
    PathwayParameters pathway;
    pathway.name = entry.first;
    p.pathways.push_back(pathway);
  }
  const std::vector<std::string> names = pathway_names(p);
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const YamlNode& pw = entries[k].second;
    PathwayParameters& out = p.pathways[k];
    pw.expect_keys({"prevalence", "resolve_rate", "relapse_rate", "lost_on_custody", "offending_multiplier",
                    "resolve_multiplier_when_met"});
    out.prevalence = pw.required("prevalence").number(Range::probability());
    out.resolve_rate = pw.number_or("resolve_rate", 0.0, Range::rate_per_year());
    out.relapse_rate = pw.number_or("relapse_rate", 0.0, Range::rate_per_year());
    out.lost_on_custody = pw.number_or("lost_on_custody", 0.0, Range::probability());
    out.offending_multiplier = pw.number_or("offending_multiplier", 1.0, Range::non_negative());
    out.resolve_multiplier_when_met.assign(names.size(), 1.0);
    if (auto m = pw.optional("resolve_multiplier_when_met")) {
      for (const auto& [other, value] : m->entries()) {
        const int j = p.pathway_index(other);
        if (j < 0) throw value.error("unknown pathway '" + other + "'; " + suggestion(other, names));
        if (j == static_cast<int>(k)) throw value.error("a pathway cannot modify itself");
        out.resolve_multiplier_when_met[j] = value.number(Range::non_negative());
      }
    }
  }
}

SentenceGroup read_group(const std::string& name, const YamlNode& g, const Parameters& p) {
  g.expect_keys({"share", "index_event", "sentence_days", "female_share", "age", "previous_sanctions",
                 "age_at_first_sanction", "offences", "needs", "iom_share", "offending_multiplier"});
  SentenceGroup out;
  out.name = name;
  out.share = g.required("share").number(Range::probability());
  const std::string index = g.required("index_event").choice({"release", "order_start", "other"});
  out.index_event = index == "release"       ? IndexEvent::release
                    : index == "order_start" ? IndexEvent::order_start
                                             : IndexEvent::other;
  if (out.index_event != IndexEvent::other)
    out.sentence_days = read_lognormal(g.required("sentence_days"), TruncatedLogNormal{});
  else if (g.has("sentence_days"))
    throw g.required("sentence_days").error("only groups whose index_event is release or order_start have a sentence");
  out.female_share = g.required("female_share").number(Range::probability());
  out.age = read_shifted_gamma(g.required("age"), Range::between(18.0, 110.0));
  const YamlNode sanctions = g.required("previous_sanctions");
  sanctions.expect_keys({"mean", "dispersion"});
  out.previous_sanctions.mean = sanctions.required("mean").number(Range::between(0.0, 1000.0));
  out.previous_sanctions.dispersion = sanctions.required("dispersion").number(Range{0.01, 1000.0});
  out.age_at_first_sanction = read_shifted_gamma(g.required("age_at_first_sanction"), Range::between(10.0, 110.0));
  out.offence_mix = read_shares(g.required("offences"), offence_names());
  out.need_prevalence.clear();
  for (const auto& pw : p.pathways) out.need_prevalence.push_back(pw.prevalence);
  if (auto needs = g.optional("needs")) {
    for (const auto& [pathway, value] : needs->entries()) {
      const int k = p.pathway_index(pathway);
      if (k < 0) throw value.error("unknown pathway '" + pathway + "'; " + suggestion(pathway, pathway_names(p)));
      out.need_prevalence[k] = value.number(Range::probability());
    }
  }
  out.iom_share = g.number_or("iom_share", 0.0, Range::probability());
  out.offending_multiplier = g.number_or("offending_multiplier", 1.0, Range::non_negative());
  return out;
}

void read_cohort(const YamlNode& n, Parameters& p, const std::string& scenario_file) {
  n.expect_keys({"size", "index_period_days", "groups", "need_correlation", "person_file", "areas", "readiness"});
  if (auto areas = n.optional("areas")) {
    p.cohort.areas.clear();
    p.cohort.area_shares.clear();
    for (const auto& [name, share] : areas->entries()) {
      p.cohort.areas.push_back(name);
      p.cohort.area_shares.push_back(share.number(Range::probability()));
    }
    if (p.cohort.areas.empty() || p.cohort.areas.size() > 255) throw areas->error("give between 1 and 255 areas");
    double total = 0.0;
    for (double x : p.cohort.area_shares) total += x;
    if (std::abs(total - 1.0) > share_tolerance)
      throw areas->error("area shares must add up to 1, they add up to " + std::to_string(total));
  }
  if (auto r = n.optional("readiness")) {
    // Latent readiness to change, in [0, 1]: shifts intervention uptake and drop-out.
    r->expect_keys({"alpha", "beta"});
    p.cohort.readiness_alpha = r->required("alpha").number(Range{0.01, 1000.0});
    p.cohort.readiness_beta = r->required("beta").number(Range{0.01, 1000.0});
  }
  // At most one less than 2^32: the event log numbers people in 32 bits (event_log.hpp).
  // Whether a cohort fits in memory is checked before a run (experiment.hpp).
  p.cohort.size = static_cast<std::size_t>(n.required("size").integer(1, 4'294'967'295LL));
  p.cohort.index_period_days = n.number_or("index_period_days", 365.0, Range::between(0.0, 36525.0));
  double total = 0.0;
  const YamlNode groups = n.required("groups");
  for (const auto& [name, g] : groups.entries()) {
    p.cohort.groups.push_back(read_group(name, g, p));
    total += p.cohort.groups.back().share;
  }
  if (p.cohort.groups.empty()) throw groups.error("at least one sentence group is needed");
  if (p.cohort.groups.size() > 255) throw groups.error("at most 255 sentence groups are supported");
  if (std::abs(total - 1.0) > share_tolerance)
    throw groups.error("group shares must add up to 1, they add up to " + std::to_string(total));
  if (auto c = n.optional("need_correlation")) {
    const std::size_t k = p.pathways.size();
    const auto rows = c->items();
    if (rows.size() != k) throw c->error("needs " + std::to_string(k) + " rows, one per pathway in order");
    for (std::size_t i = 0; i < k; ++i) {
      const auto cells = rows[i].items();
      if (cells.size() != k) throw rows[i].error("needs " + std::to_string(k) + " entries");
      for (std::size_t j = 0; j < k; ++j) {
        const double r = cells[j].number(Range::between(-1.0, 1.0));
        if (i == j && r != 1.0) throw cells[j].error("the diagonal of a correlation matrix must be 1");
        p.cohort.need_correlation.push_back(r);
      }
    }
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (p.cohort.need_correlation[i * k + j] != p.cohort.need_correlation[j * k + i]) {
          // Name the other cell: it may be the one that is wrong (or was overridden).
          const YamlNode other = rows[j].items()[i];
          throw rows[i].items()[j].error("the correlation matrix must be symmetric: " + rows[i].items()[j].text() +
                                         " here but " + other.text() + " at " + other.path());
        }
    Eigen::Map<const Eigen::MatrixXd> r(p.cohort.need_correlation.data(), static_cast<Eigen::Index>(k),
                                        static_cast<Eigen::Index>(k));
    if (Eigen::LLT<Eigen::MatrixXd>(r).info() != Eigen::Success)
      throw c->error("the correlation matrix is not positive definite");
  }
  if (auto f = n.optional("person_file")) {
    std::filesystem::path file = f->text();
    if (file.is_relative()) file = std::filesystem::path(scenario_file).parent_path() / file;
    if (!std::filesystem::exists(file)) throw f->error("no such file: " + file.string());
    p.cohort.person_file = file.string();
  }
}

void read_offending(const YamlNode& n, Parameters& p) {
  n.expect_keys({"baseline", "never_reoffend_share", "frailty_variance", "covariates", "age_multipliers",
                 "supervision_multiplier", "readiness_log_rate"});
  OffendingParameters& o = p.offending;
  o.baseline = read_baseline(n.required("baseline"));
  o.never_reoffend_share = n.number_or("never_reoffend_share", 0.0, Range::probability());
  o.frailty_variance = n.number_or("frailty_variance", 0.0, Range::between(0.0, 100.0));
  o.supervision_multiplier = n.number_or("supervision_multiplier", 1.0, Range::non_negative());
  o.readiness_log_rate = n.number_or("readiness_log_rate", 0.0, Range::between(-20.0, 20.0));
  if (auto cov = n.optional("covariates")) {
    for (const auto& [attribute, value] : cov->entries()) {
      Covariate c{attribute};
      if (value.is_map()) {
        value.expect_keys({"coefficient", "centre"});
        c.coefficient = value.required("coefficient").number(Range::between(-50.0, 50.0));
        c.centre = value.number_or("centre", 0.0);
      } else {
        c.coefficient = value.number(Range::between(-50.0, 50.0));
      }
      // Columns of a person file are checked when it is loaded.
      const auto& builtin = Cohort::builtin_attributes();
      if (p.cohort.person_file.empty() && std::find(builtin.begin(), builtin.end(), attribute) == builtin.end())
        throw value.error("unknown person attribute '" + attribute + "'; " + suggestion(attribute, builtin));
      o.covariates.push_back(c);
    }
  }
  if (auto ages = n.optional("age_multipliers")) {
    for (const YamlNode& band : ages->items()) {
      band.expect_keys({"from_age", "multiplier"});
      AgeMultiplier a{band.required("from_age").number(Range::between(0.0, 120.0)),
                      band.required("multiplier").number(Range::non_negative())};
      if (!o.age_multipliers.empty() && a.from_age <= o.age_multipliers.back().from_age)
        throw band.error("age bands must be in increasing order of from_age");
      o.age_multipliers.push_back(a);
    }
  }
}

void read_justice(const YamlNode& root, Parameters& p) {
  const TruncatedLogNormal days{60.0, 0.8, 1.0, 3650.0};
  if (auto c = root.optional("court")) {
    c->expect_keys({"disposal_lag_days", "caution_share"});
    p.court.disposal_lag_days = days;
    if (auto l = c->optional("disposal_lag_days")) p.court.disposal_lag_days = read_lognormal(*l, days);
    p.court.caution_share = c->number_or("caution_share", 0.0, Range::probability());
  } else {
    p.court.disposal_lag_days = days;
  }
  SentencingParameters& s = p.sentencing;
  s.custody_offence_shift.assign(ogrs3_offence_count, 0.0);
  s.custody_length_days = {120.0, 1.0, 1.0, 36500.0};
  s.order_length_days = {365.0, 0.3, 30.0, 1095.0};
  if (auto sn = root.optional("sentencing")) {
    sn->expect_keys({"custody", "custody_length_days", "community_order_share", "order_length_days"});
    if (auto c = sn->optional("custody")) {
      c->expect_keys({"intercept", "per_previous_sanction", "per_additional_offence", "if_under_supervision",
                      "offence_shift"});
      s.custody_intercept = c->number_or("intercept", s.custody_intercept, Range::between(-50.0, 50.0));
      s.custody_per_previous_sanction = c->number_or("per_previous_sanction", 0.0, Range::between(-5.0, 5.0));
      s.custody_per_additional_offence = c->number_or("per_additional_offence", 0.0, Range::between(-5.0, 5.0));
      s.custody_if_under_supervision = c->number_or("if_under_supervision", 0.0, Range::between(-50.0, 50.0));
      if (auto shift = c->optional("offence_shift")) {
        const auto names = offence_names();
        for (const auto& [offence, value] : shift->entries()) {
          auto it = std::find(names.begin(), names.end(), offence);
          if (it == names.end()) throw value.error("unknown offence '" + offence + "'; " + suggestion(offence, names));
          s.custody_offence_shift[it - names.begin()] = value.number(Range::between(-50.0, 50.0));
        }
      }
    }
    if (auto l = sn->optional("custody_length_days")) s.custody_length_days = read_lognormal(*l, s.custody_length_days);
    s.community_order_share = sn->number_or("community_order_share", 0.5, Range::probability());
    if (auto l = sn->optional("order_length_days")) s.order_length_days = read_lognormal(*l, s.order_length_days);
  }
  ReleaseParameters& r = p.release;
  if (auto rn = root.optional("release")) {
    rn->expect_keys({"automatic_release_fraction", "licence_minimum_sentence_days", "ora_2014",
                     "pss_maximum_sentence_days", "supervision_after_release_days"});
    r.automatic_release_fraction =
        rn->number_or("automatic_release_fraction", r.automatic_release_fraction, Range{0.0, 1.0, true});
    r.licence_minimum_sentence_days =
        rn->number_or("licence_minimum_sentence_days", r.licence_minimum_sentence_days, Range::non_negative());
    r.ora_2014 = rn->boolean_or("ora_2014", r.ora_2014);
    r.pss_maximum_sentence_days = rn->number_or("pss_maximum_sentence_days", r.pss_maximum_sentence_days, Range::non_negative());
    r.supervision_after_release_days =
        rn->number_or("supervision_after_release_days", r.supervision_after_release_days, Range::non_negative());
  }
  RecallParameters& rc = p.recall;
  rc.standard_recall_days = {90.0, 0.7, 1.0, 36500.0};
  if (auto rn = root.optional("recall")) {
    rn->expect_keys({"licence_breach_rate", "pss_breach_rate", "risk_coefficient", "fixed_term_share",
                     "fixed_term_days", "fixed_term_days_short", "standard_recall_days", "pss_committal_days"});
    rc.licence_breach_rate = rn->number_or("licence_breach_rate", 0.0, Range::rate_per_year());
    rc.pss_breach_rate = rn->number_or("pss_breach_rate", 0.0, Range::rate_per_year());
    rc.risk_coefficient = rn->number_or("risk_coefficient", 0.0, Range::between(-10.0, 10.0));
    rc.fixed_term_share = rn->number_or("fixed_term_share", rc.fixed_term_share, Range::probability());
    rc.fixed_term_days = rn->number_or("fixed_term_days", rc.fixed_term_days, Range::non_negative());
    rc.fixed_term_days_short = rn->number_or("fixed_term_days_short", rc.fixed_term_days_short, Range::non_negative());
    if (auto l = rn->optional("standard_recall_days")) rc.standard_recall_days = read_lognormal(*l, rc.standard_recall_days);
    rc.pss_committal_days = rn->number_or("pss_committal_days", rc.pss_committal_days, Range::non_negative());
  }
}

void read_mortality(const YamlNode& root, Parameters& p) {
  auto n = root.optional("mortality");
  if (!n) return;
  n->expect_keys({"rate", "post_release_multiplier", "post_release_days"});
  p.mortality.rate = n->number_or("rate", 0.0, Range::between(0.0, 10.0));
  p.mortality.post_release_multiplier = n->number_or("post_release_multiplier", 1.0, Range::non_negative());
  p.mortality.post_release_days = n->number_or("post_release_days", 14.0, Range::non_negative());
}

std::vector<double> read_band_starts(const YamlNode& n, const Range& range) {
  std::vector<double> starts;
  for (const YamlNode& item : n.items()) {
    const double x = item.number(range);
    if (!starts.empty() && x <= starts.back()) throw item.error("band starts must increase");
    starts.push_back(x);
  }
  if (starts.empty()) throw n.error("at least one band is needed");
  return starts;
}

void read_measures(const YamlNode& root, Parameters& p) {
  MeasureParameters& m = p.measures;
  if (auto n = root.optional("measures")) {
    n->expect_keys({"followup_days", "waiting_days", "age_bands", "ogrs_bands"});
    m.followup_days = n->number_or("followup_days", m.followup_days, Range{0.0, 36525.0, true});
    m.waiting_days = n->number_or("waiting_days", m.waiting_days, Range::between(0.0, 36525.0));
    if (auto a = n->optional("age_bands")) m.age_band_starts = read_band_starts(*a, Range::between(0.0, 120.0));
    if (auto o = n->optional("ogrs_bands")) m.ogrs_band_starts = read_band_starts(*o, Range::probability());
  }
  if (m.followup_days + m.waiting_days > p.horizon_days)
    throw InputError({"", 0, 0, "measures"},
                     "follow-up (" + readable_number(m.followup_days) + " days) plus waiting period (" +
                         readable_number(m.waiting_days) + " days) is longer than the horizon (" +
                         readable_number(p.horizon_days) + " days): lengthen run.horizon_years or shorten the windows");
}

// Where a contradiction between the windows and the horizon is reported: the
// last override that set one of them, else the first of them the file gives.
InputError windows_error(const YamlNode& root, const YamlDocument& doc, const InputError& e) {
  std::string override_source;
  for (const auto& [path, expression] : doc.overrides)
    if (path == "run" || path == "run.horizon_years" || path == "measures" || path == "measures.followup_days" ||
        path == "measures.waiting_days")
      override_source = expression;
  if (!override_source.empty()) return InputError({override_source, 0, 0, e.where().key_path}, e.message());
  for (const auto& [section, key] : {std::pair{"run", "horizon_years"}, std::pair{"measures", "followup_days"},
                                     std::pair{"measures", "waiting_days"}})
    if (auto s = root.optional(section))
      if (auto k = s->optional(key)) return k->error(e.message());
  return InputError({doc.file, 0, 0, e.where().key_path}, e.message());
}

Scenario read(const std::shared_ptr<YamlDocument>& doc) {
  YamlNode root(doc, doc->root, "");
  root.expect_keys({"scenario", "run", "cohort", "offending", "court", "sentencing", "release", "recall",
                    "pathways", "mortality", "measures", "economics", "interventions"});
  Scenario s;
  s.file = doc->file;
  s.text = doc->effective_text();
  Parameters& p = s.parameters;
  if (auto meta = root.optional("scenario")) {
    meta->expect_keys({"name", "description"});
    p.name = meta->text_or("name", "");
    meta->text_or("description", "");  // free text for the reader of the file: checked, not kept
  }
  if (auto run = root.optional("run")) {
    run->expect_keys({"seed", "replicates", "horizon_years"});
    s.seed = static_cast<std::uint64_t>(run->integer_or("seed", 1, 0, 9'007'199'254'740'991LL));
    s.replicates = static_cast<int>(run->integer_or("replicates", 1, 1, 1'000'000));
    p.horizon_days = run->number_or("horizon_years", 3.0, Range{0.0, 100.0, true}) * days_per_year;
  }
  if (auto pw = root.optional("pathways")) read_pathways(*pw, p);
  // Before anything whose costs name agencies (interventions).
  if (auto e = root.optional("economics"))
    read_economics(*e, p);
  else
    p.economics = default_economics();
  read_cohort(root.required("cohort"), p, doc->file);
  s.cohort_size_at = root.required("cohort").required("size").location();
  if (auto iv = root.optional("interventions")) read_interventions(*iv, p);
  read_offending(root.required("offending"), p);
  read_justice(root, p);
  read_mortality(root, p);
  try {
    read_measures(root, p);
  } catch (const InputError& e) {
    if (!e.where().file.empty()) throw;
    throw windows_error(root, *doc, e);
  }
  return s;
}

}  // namespace

Scenario parse_scenario(const std::string& text, const std::string& name, const std::vector<std::string>& overrides) {
  auto doc = std::make_shared<YamlDocument>(YamlDocument::load_string(text, name));
  for (const auto& o : overrides) doc->apply_override(o);
  return read(doc);
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides,
                       const std::vector<std::string>& overlays) {
  auto doc = std::make_shared<YamlDocument>(YamlDocument::load_file(path));
  for (const auto& o : overlays) doc->apply_overlay(YamlDocument::load_file(o));
  for (const auto& o : overrides) doc->apply_override(o);
  return read(doc);
}

}  // namespace desist
