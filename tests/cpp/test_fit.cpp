// `desist fit`: maximum-likelihood fits of the offending hazard against closed
// forms, published results on the Rossi recidivism data, and data simulated by
// desist itself; overlay fragments that round-trip; located input errors.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "desist/cohort.hpp"
#include "desist/engine.hpp"
#include "desist/error.hpp"
#include "desist/fit.hpp"
#include "desist/scenario.hpp"
#include "test_support.hpp"

using namespace desist;
using desist::testing::simple_parameters;

namespace {

const std::string shared_data = DESIST_SHARED_DATA_DIR;
const std::string rossi = shared_data + "/rossi.csv";
const std::string rossi_long = shared_data + "/rossi_long.csv";
const std::string baseline_scenario = std::string(DESIST_SOURCE_DIR) + "/scenarios/baseline.yaml";

// A file in the temporary directory, removed when the object goes.
class TempFile {
 public:
  TempFile(const std::string& content, const std::string& extension = ".csv") {
    static std::atomic<int> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = (std::filesystem::temp_directory_path() /
             ("desist_fit_" + std::to_string(stamp) + "_" + std::to_string(counter++) + extension))
                .string();
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

FitDataSpec rossi_spec(std::vector<std::string> covariates) {
  FitDataSpec s;
  s.people_file = rossi;
  s.time_column = "week";
  s.event_column = "arrest";
  s.covariates = std::move(covariates);
  s.time_unit = TimeUnit::weeks;
  return s;
}

// The InputError `f` throws; fails the test when it throws nothing.
template <class F>
InputError input_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e;
  }
  FAIL("expected an InputError");
  throw std::logic_error("unreachable");
}

// Each person's first offence day, censored at `censor` days.
SurvivalData first_offences(const Parameters& p, const Cohort& cohort, double censor,
                            const std::vector<std::string>& names,
                            const std::vector<std::vector<double>>& columns) {
  const EventLog log = simulate(p, cohort, SimulationKey{11, 0});
  std::vector<double> time(cohort.size(), censor);
  std::vector<int> event(cohort.size(), 0);
  for (std::size_t i = 0; i < cohort.size(); ++i) {
    for (const Event* e = log.begin(i); e != log.end(i); ++e) {
      if (e->kind == EventKind::offence) {
        if (e->time <= censor) time[i] = e->time, event[i] = 1;
        break;
      }
    }
  }
  return make_survival_data(time, event, names, columns);
}

// A cohort with two extra covariate columns: z (standard normal) and b (0/1).
Cohort cohort_with_covariates(const Parameters& p, std::vector<std::vector<double>>& columns) {
  Cohort cohort = synthesise_cohort(p, 5, 0);
  std::mt19937_64 rng(2024);
  std::normal_distribution<double> normal;
  std::bernoulli_distribution bernoulli(0.4);
  columns.assign(2, std::vector<double>(cohort.size()));
  for (std::size_t i = 0; i < cohort.size(); ++i) {
    columns[0][i] = normal(rng);
    columns[1][i] = bernoulli(rng) ? 1.0 : 0.0;
  }
  cohort.extra_names = {"z", "b"};
  cohort.extra_columns = columns;
  return cohort;
}

void check_within_3_se(const FitResult& r, const std::string& name, double truth) {
  const FitParameter& q = r.parameter(name);
  INFO(name << ": estimate " << q.estimate << ", SE " << q.se << ", truth " << truth);
  CHECK(std::isfinite(q.se));
  CHECK(std::abs(q.estimate - truth) < 3.0 * q.se);
}

}  // namespace

TEST_CASE("exponential fit equals events / exposure, with SE sqrt(events) / exposure", "[fit]") {
  // Times in weeks through a file, so the unit conversion is exercised too.
  std::string csv = "t,d\n";
  double exposure_days = 0.0;
  int events = 0;
  std::mt19937_64 rng(3);
  std::exponential_distribution<double> draw(1.0 / 30.0);  // weeks
  for (int i = 0; i < 300; ++i) {
    const double t = draw(rng);
    const bool event = t < 52.0;
    const double shown = event ? t : 52.0;
    csv += std::to_string(shown) + "," + (event ? "1" : "0") + "\n";
    exposure_days += std::stod(std::to_string(shown)) * 7.0;
    events += event ? 1 : 0;
  }
  const TempFile file(csv);
  FitDataSpec spec;
  spec.people_file = file.path();
  spec.time_column = "t";
  spec.event_column = "d";
  spec.time_unit = TimeUnit::weeks;
  const SurvivalData data = read_survival_data(spec);
  REQUIRE(data.events() == static_cast<std::size_t>(events));
  CHECK(data.exposure_days() == Approx(exposure_days).epsilon(1e-12));

  const FitResult r = fit_hazard(data, FitModel{HazardModel::exponential, {}, false});
  REQUIRE(r.converged);
  const double exposure_years = exposure_days / days_per_year;
  const FitParameter& a = r.parameter("first_year_hazard");
  CHECK(a.estimate == Approx(events / exposure_years).epsilon(1e-8));
  CHECK(a.se == Approx(std::sqrt(static_cast<double>(events)) / exposure_years).epsilon(1e-6));
  // Log-likelihood at the maximum, with densities per week: D log(rate per week) − D.
  const double rate_per_week = events / (exposure_days / 7.0);
  CHECK(r.log_likelihood == Approx(events * std::log(rate_per_week) - events).epsilon(1e-10));
  CHECK(r.aic == Approx(2.0 - 2.0 * r.log_likelihood));

  // Piecewise constant without covariates: events / exposure in each interval.
  const std::vector<double> breaks{0.0, 60.0, 150.0};
  const FitResult pw = fit_hazard(data, FitModel{HazardModel::piecewise_constant, breaks, false});
  for (std::size_t j = 0; j < breaks.size(); ++j) {
    double e = 0.0, d = 0.0;
    const double hi = j + 1 < breaks.size() ? breaks[j + 1] : 1e300;
    for (std::size_t i = 0; i < data.people(); ++i) {
      e += std::max(0.0, std::min(data.stop[i], hi) - breaks[j]);
      d += (data.event[i] && data.stop[i] >= breaks[j] && data.stop[i] < hi) ? 1.0 : 0.0;
    }
    INFO("interval " << j);
    CHECK(pw.parameters[j].estimate == Approx(d / (e / days_per_year)).epsilon(1e-8));
    CHECK(pw.parameters[j].se == Approx(std::sqrt(d) / (e / days_per_year)).epsilon(1e-6));
  }
}

TEST_CASE("analytic gradients agree with finite differences", "[fit]") {
  // One spell per person; and spells with late entry and a gap (x varies
  // within a person), checked only without cure, as fit_hazard allows.
  const SurvivalData single = make_survival_data({200, 50, 400, 10, 365, 90}, {1, 0, 1, 1, 0, 1}, {"x", "w"},
                                                 {{0.5, -1.0, 2.0, 0.0, 1.0, -0.5}, {1, 0, 1, 1, 0, 0}});
  SurvivalData spells;
  spells.covariates = {"x", "w"};
  spells.start = {0, 50, 20, 0, 60, 0, 15};
  spells.stop = {50, 200, 80, 30, 400, 15, 300};
  spells.event = {0, 1, 0, 0, 1, 0, 0};
  spells.person_begin = {0, 2, 3, 5, 7};
  spells.x.resize(7, 2);
  spells.x << 0.5, 1, -0.5, 1, 1.5, 0, 0.2, 1, -1.0, 0, 0.0, 1, 2.0, 1;
  const std::vector<FitModel> models{
      {HazardModel::exponential, {}, false},  {HazardModel::weibull, {}, false},
      {HazardModel::weibull, {}, true},       {HazardModel::log_logistic, {}, false},
      {HazardModel::log_logistic, {}, true},  {HazardModel::piecewise_constant, {0, 30, 100, 300}, false},
      {HazardModel::piecewise_constant, {0, 30, 100, 300}, true}};
  for (const SurvivalData* d : std::vector<const SurvivalData*>{&single, &spells}) {
    for (const auto& m : models) {
      if (m.cure && d == &spells) continue;
      const std::size_t size = (m.model == HazardModel::exponential    ? 1
                                : m.model == HazardModel::weibull      ? 2
                                : m.model == HazardModel::log_logistic ? 3
                                                                       : m.breaks_days.size()) +
                               (m.cure ? 1 : 0) + 2;
      Eigen::VectorXd theta(static_cast<Eigen::Index>(size));
      for (Eigen::Index k = 0; k < theta.size(); ++k) theta[k] = 0.3 * std::sin(1.7 * static_cast<double>(k) + 0.4);
      if (m.model == HazardModel::log_logistic) theta[1] = std::log(150.0);
      Eigen::VectorXd g;
      fit_log_likelihood(*d, m, theta, &g);
      for (Eigen::Index k = 0; k < theta.size(); ++k) {
        const double h = 1e-6;
        Eigen::VectorXd up = theta, down = theta;
        up[k] += h;
        down[k] -= h;
        const double numeric = (fit_log_likelihood(*d, m, up) - fit_log_likelihood(*d, m, down)) / (2 * h);
        INFO(to_string(m.model) << (m.cure ? " cure" : "") << (d == &spells ? " spells" : "") << " parameter " << k);
        CHECK(g[k] == Approx(numeric).epsilon(1e-6).margin(1e-7));
      }
    }
  }
}

TEST_CASE("Rossi: Weibull fit matches the published Weibull regression", "[fit][rossi]") {
  const SurvivalData data = read_survival_data(rossi_spec({"fin", "age", "race", "wexp", "mar", "paro", "prio"}));
  CHECK(data.people() == 432);
  CHECK(data.events() == 114);
  const FitResult r = fit_hazard(data, FitModel{HazardModel::weibull, {}, false});
  REQUIRE(r.converged);
  const double shape = r.parameter("shape").estimate;
  // Published Weibull AFT: shape ρ ≈ 1.40, fin time ratio exp(0.272); the PH
  // coefficient is −shape × the AFT coefficient.
  CHECK(std::abs(shape - 1.40) < 0.005);
  const double fin = r.parameter("fin").estimate;
  CHECK(std::abs(-fin / shape - 0.272) < 0.0005);
  CHECK(std::abs(r.parameter("fin").hazard_ratio - std::exp(-1.40 * 0.272)) < 0.005);  // 0.68
  CHECK(std::abs(r.parameter("prio").hazard_ratio - 1.10) < 0.005);
  CHECK(std::abs(r.parameter("age").hazard_ratio - 0.94) < 0.005);
  // survreg's log-likelihood for this model (times in weeks): −679.9.
  CHECK(std::abs(r.log_likelihood - (-679.9)) < 0.05);
  // The table and JSON carry the estimates.
  CHECK(fit_table(r).find("fin") != std::string::npos);
  CHECK(fit_json(r, "desist fit rossi.csv").find("\"hazard_ratio\"") != std::string::npos);
}

TEST_CASE("parameters of data simulated by desist are recovered within 3 SE", "[fit][simulated]") {
  constexpr std::size_t people = 20000;
  Parameters p = simple_parameters(0.0, people);
  p.offending.covariates = {Covariate{"z", 0.5, 0.0}, Covariate{"b", -0.4, 0.0}};
  std::vector<std::vector<double>> columns;
  const Cohort cohort = cohort_with_covariates(p, columns);
  const std::vector<std::string> names{"z", "b"};

  SECTION("Weibull") {
    p.offending.baseline = BaselineHazard(WeibullBaseline{0.8, 1.3});
    const FitResult r =
        fit_hazard(first_offences(p, cohort, 365.0, names, columns), FitModel{HazardModel::weibull, {}, false});
    REQUIRE(r.converged);
    check_within_3_se(r, "first_year_hazard", 0.8);
    check_within_3_se(r, "shape", 1.3);
    check_within_3_se(r, "z", 0.5);
    check_within_3_se(r, "b", -0.4);
  }
  SECTION("log-logistic") {
    p.offending.baseline = BaselineHazard(LogLogisticBaseline{0.9, 120.0, 2.0});
    const FitResult r =
        fit_hazard(first_offences(p, cohort, 365.0, names, columns), FitModel{HazardModel::log_logistic, {}, false});
    REQUIRE(r.converged);
    check_within_3_se(r, "first_year_hazard", 0.9);
    check_within_3_se(r, "scale_days", 120.0);
    check_within_3_se(r, "shape", 2.0);
    check_within_3_se(r, "z", 0.5);
    check_within_3_se(r, "b", -0.4);
  }
  SECTION("piecewise constant") {
    const std::vector<double> starts{0.0, 30.0, 180.0};
    const std::vector<double> rates{3.0, 0.8, 0.5};
    p.offending.baseline = BaselineHazard(PiecewiseConstantBaseline{starts, rates});
    const FitResult r = fit_hazard(first_offences(p, cohort, 365.0, names, columns),
                                   FitModel{HazardModel::piecewise_constant, starts, false});
    REQUIRE(r.converged);
    for (std::size_t j = 0; j < rates.size(); ++j)
      check_within_3_se(r, "rate_per_year[" + std::to_string(j) + "]", rates[j]);
    check_within_3_se(r, "z", 0.5);
    check_within_3_se(r, "b", -0.4);
  }
  SECTION("Weibull with a never-reoffending share") {
    p.offending.baseline = BaselineHazard(WeibullBaseline{1.0, 1.3});
    p.offending.never_reoffend_share = 0.3;
    const FitResult r =
        fit_hazard(first_offences(p, cohort, 1095.0, names, columns), FitModel{HazardModel::weibull, {}, true});
    REQUIRE(r.converged);
    check_within_3_se(r, "never_reoffend_share", 0.3);
    check_within_3_se(r, "first_year_hazard", 1.0);
    check_within_3_se(r, "shape", 1.3);
    check_within_3_se(r, "z", 0.5);
    check_within_3_se(r, "b", -0.4);
  }
}

TEST_CASE("Rossi with weekly employment as a time-varying covariate", "[fit][rossi]") {
  FitDataSpec spec = rossi_spec({"fin", "age", "prio", "emp"});
  spec.spells_file = rossi_long;
  spec.id_column = "id";
  spec.start_column = "tstart";
  spec.stop_column = "tstop";
  const SurvivalData data = read_survival_data(spec);
  CHECK(data.people() == 432);
  CHECK(data.spells() == 1405);
  CHECK(data.events() == 114);
  // The spells cover exactly the same follow-up as the people file.
  CHECK(data.exposure_days() == Approx(read_survival_data(rossi_spec({})).exposure_days()));

  const FitResult r = fit_hazard(data, FitModel{HazardModel::weibull, {}, false});
  REQUIRE(r.converged);
  const FitParameter& emp = r.parameter("emp");
  CHECK(std::isfinite(emp.estimate));
  CHECK(std::isfinite(emp.se));
  CHECK(emp.hazard_ratio < 1.0);
  CHECK(emp.hazard_ratio_upper < 1.0);  // employment is protective, clearly

  // The spells are contiguous from week 0, so a cure model is allowed.
  const FitResult cure = fit_hazard(data, FitModel{HazardModel::weibull, {}, true});
  CHECK(std::isfinite(cure.log_likelihood));
  CHECK(cure.parameter("emp").hazard_ratio < 1.0);
}

TEST_CASE("the fragment round-trips through a scenario overlay", "[fit][overlay]") {
  // Rossi with its columns named as desist's built-in person attributes.
  std::string text = read_text(rossi);
  text.replace(text.find("prio"), 4, "previous_sanctions");
  const TempFile people(text);
  FitDataSpec spec = rossi_spec({"age", "previous_sanctions"});
  spec.people_file = people.path();
  const SurvivalData data = read_survival_data(spec);

  const std::vector<FitModel> models{{HazardModel::weibull, {}, false},
                                     {HazardModel::exponential, {}, false},
                                     {HazardModel::log_logistic, {}, false},
                                     {HazardModel::piecewise_constant, {0, 91, 182}, true}};
  for (const auto& m : models) {
    INFO(to_string(m.model));
    const FitResult r = fit_hazard(data, m);
    const TempFile fragment(fit_fragment(r, "desist fit people.csv ..."), ".yaml");
    const Scenario s = load_scenario(baseline_scenario, {}, {fragment.path()});
    const OffendingParameters& o = s.parameters.offending;
    const OffendingParameters expected = r.offending();
    CHECK(o.never_reoffend_share == expected.never_reoffend_share);
    CHECK(o.frailty_variance == 0.0);
    REQUIRE(o.covariates.size() == 2);
    for (std::size_t j = 0; j < 2; ++j) {
      CHECK(o.covariates[j].attribute == r.covariates[j]);
      CHECK(o.covariates[j].coefficient == r.parameter(r.covariates[j]).estimate);
      CHECK(o.covariates[j].centre == 0.0);
    }
    switch (m.model) {
      case HazardModel::exponential:
      case HazardModel::weibull: {
        const auto& w = std::get<WeibullBaseline>(o.baseline.shape());
        CHECK(w.first_year_hazard == r.parameter("first_year_hazard").estimate);
        CHECK(w.shape == (m.model == HazardModel::weibull ? r.parameter("shape").estimate : 1.0));
        break;
      }
      case HazardModel::log_logistic: {
        const auto& l = std::get<LogLogisticBaseline>(o.baseline.shape());
        CHECK(l.first_year_hazard == r.parameter("first_year_hazard").estimate);
        CHECK(l.scale_days == r.parameter("scale_days").estimate);
        CHECK(l.shape == r.parameter("shape").estimate);
        break;
      }
      case HazardModel::piecewise_constant: {
        const auto& pw = std::get<PiecewiseConstantBaseline>(o.baseline.shape());
        CHECK(pw.start_day == m.breaks_days);
        for (std::size_t j = 0; j < pw.rate_per_year.size(); ++j)
          CHECK(pw.rate_per_year[j] == r.parameter("rate_per_year[" + std::to_string(j) + "]").estimate);
        CHECK(o.never_reoffend_share == r.parameter("never_reoffend_share").estimate);
        break;
      }
    }
    // The rest of the scenario is kept.
    CHECK(s.parameters.offending.supervision_multiplier == 0.9);
  }
}

TEST_CASE("bad inputs give InputError with file, line and column", "[fit][errors]") {
  const auto spec_for = [](const std::string& path) {
    FitDataSpec s;
    s.people_file = path;
    s.time_column = "t";
    s.event_column = "d";
    return s;
  };

  SECTION("an unknown column names the nearest") {
    FitDataSpec s = rossi_spec({"fin", "prior"});
    const InputError e = input_error([&] { read_survival_data(s); });
    CHECK(e.where().file == rossi);
    CHECK(e.where().line == 1);
    CHECK(e.where().key_path == "prior");
    CHECK_THAT(e.what(), Catch::Contains("did you mean 'prio'?"));
    s = rossi_spec({});
    s.time_column = "weeks";
    CHECK_THAT(input_error([&] { read_survival_data(s); }).what(), Catch::Contains("did you mean 'week'?"));
  }
  SECTION("a value that is not a number") {
    const TempFile f("t,d,x\n5,1,2\n7,0,abc\n");
    FitDataSpec s = spec_for(f.path());
    s.covariates = {"x"};
    const InputError e = input_error([&] { read_survival_data(s); });
    CHECK(e.where().line == 3);
    CHECK(e.where().column == 3);
    CHECK_THAT(e.what(), Catch::Contains(f.path() + ":3:3: 'x'") && Catch::Contains("'abc'"));
    const TempFile t("t,d\n5,1\nsoon,0\n");
    CHECK_THAT(input_error([&] { read_survival_data(spec_for(t.path())); }).what(),
               Catch::Contains(t.path() + ":3:1: 't'"));
    const TempFile empty("t,d\n5,1\n,0\n");
    CHECK_THAT(input_error([&] { read_survival_data(spec_for(empty.path())); }).what(),
               Catch::Contains(":3:1") && Catch::Contains("missing value"));
  }
  SECTION("a negative time") {
    const TempFile f("t,d\n5,1\n\n-2,0\n");  // the blank line still counts
    const InputError e = input_error([&] { read_survival_data(spec_for(f.path())); });
    CHECK(e.where().line == 4);
    CHECK(e.where().column == 1);
    CHECK_THAT(e.what(), Catch::Contains("negative time"));
  }
  SECTION("an event that is not 0/1") {
    const TempFile f("d,t\n1,5\n2,7\n");
    const InputError e = input_error([&] { read_survival_data(spec_for(f.path())); });
    CHECK(e.where().line == 3);
    CHECK(e.where().column == 1);
    CHECK(e.where().key_path == "d");
    CHECK_THAT(e.what(), Catch::Contains("1 (event) or 0 (censored)"));
    const TempFile words("t,d\n5,yes\n7,no\n");  // R-coded data read as 1/0
    CHECK(read_survival_data(spec_for(words.path())).events() == 1);
  }
  SECTION("malformed CSV and a wrong number of fields") {
    const TempFile quote("t,d\n5,1\n7,\"0\n");
    CHECK_THAT(input_error([&] { read_survival_data(spec_for(quote.path())); }).what(),
               Catch::Contains(quote.path() + ":3") && Catch::Contains("quoted field"));
    const TempFile fields("t,d\n5,1,3\n");
    CHECK_THAT(input_error([&] { read_survival_data(spec_for(fields.path())); }).what(),
               Catch::Contains(fields.path() + ":2:3") && Catch::Contains("expected 2 fields"));
  }
  SECTION("spells that do not fit the people file") {
    const TempFile people("id,t,d\na,10,1\nb,8,0\n");
    FitDataSpec s = spec_for(people.path());
    s.id_column = "id";
    s.start_column = "from";
    s.stop_column = "to";
    s.covariates = {"x"};

    const TempFile overlap("id,from,to,x\na,0,6,0\na,5,10,1\nb,0,8,0\n");
    s.spells_file = overlap.path();
    InputError e = input_error([&] { read_survival_data(s); });
    CHECK(e.where().file == overlap.path());
    CHECK(e.where().line == 3);
    CHECK_THAT(e.what(), Catch::Contains("overlaps"));

    const TempFile short_spells("id,from,to,x\na,0,6,0\na,6,9,1\nb,0,8,0\n");
    s.spells_file = short_spells.path();
    e = input_error([&] { read_survival_data(s); });
    CHECK(e.where().file == people.path());
    CHECK(e.where().line == 2);
    CHECK_THAT(e.what(), Catch::Contains("not the end of their last spell"));

    const TempFile unknown("id,from,to,x\na,0,10,0\nc,0,8,0\n");
    s.spells_file = unknown.path();
    e = input_error([&] { read_survival_data(s); });
    CHECK(e.where().line == 3);
    CHECK(e.where().column == 1);
    CHECK_THAT(e.what(), Catch::Contains("not in the people file"));

    const TempFile backwards("id,from,to,x\na,0,10,0\nb,8,8,0\n");
    s.spells_file = backwards.path();
    CHECK(input_error([&] { read_survival_data(s); }).where().line == 3);

    const TempFile good("id,from,to,x\na,0,4,0\na,6,10,1\nb,0,8,0\n");
    s.spells_file = good.path();
    const SurvivalData d = read_survival_data(s);
    CHECK(d.spells() == 3);
    CHECK(d.event == std::vector<std::uint8_t>{0, 1, 0});
    // A gap (person a is not followed from day 4 to 6) is fine without --cure, not with it.
    CHECK_THROWS_AS(fit_hazard(d, FitModel{HazardModel::weibull, {}, true}), InputError);
  }
  SECTION("models the data cannot identify") {
    const TempFile f("t,d,x\n5,1,1\n7,0,1\n9,1,1\n");
    FitDataSpec s = spec_for(f.path());
    s.covariates = {"x"};
    CHECK_THAT(input_error([&] { fit_hazard(read_survival_data(s), FitModel{}); }).what(),
               Catch::Contains("same value for everyone"));
    const SurvivalData d = read_survival_data(spec_for(f.path()));
    CHECK_THAT(
        input_error([&] { fit_hazard(d, FitModel{HazardModel::piecewise_constant, {0, 2}, false}); }).what(),
        Catch::Contains("no events in day 0-2"));
    CHECK_THAT(
        input_error([&] { fit_hazard(d, FitModel{HazardModel::piecewise_constant, {0, 100}, false}); }).what(),
        Catch::Contains("nobody is followed"));
    CHECK_THROWS_AS(fit_hazard(d, FitModel{HazardModel::weibull, {0, 6}, false}), InputError);
    const TempFile none("t,d\n5,0\n7,0\n");
    CHECK_THAT(input_error([&] { fit_hazard(read_survival_data(spec_for(none.path())), FitModel{}); }).what(),
               Catch::Contains("no events"));
  }
}
