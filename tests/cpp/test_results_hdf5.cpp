// Tests for desist::write_results_hdf5: the layout of docs/output.md read back
// with the HDF5 C API, byte-for-byte reproducibility, and atomic replacement
// (a failed write leaves neither a partial file nor a temporary one).
#include <catch2/catch.hpp>

#include <hdf5.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "desist/experiment.hpp"
#include "desist/measures.hpp"
#include "desist/results_hdf5.hpp"
#include "desist/scenario.hpp"
#include "desist/version.hpp"

namespace fs = std::filesystem;
using desist::OutcomeTotals;
using desist::PersonOutcome;
using desist::RunResult;
using desist::Scenario;

namespace {

constexpr float none = std::numeric_limits<float>::quiet_NaN();

// A fresh directory under the system's temporary directory, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    static std::atomic<int> counter{0};
    path = fs::temp_directory_path() /
           ("desist_test_hdf5_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path)) out.push_back(e.path().filename().string());
    return out;
  }
  bool has_temporary() const {
    for (const std::string& n : names())
      if (n.find(".tmp") != std::string::npos) return true;
    return false;
  }
};

OutcomeTotals totals(double people, double reoffenders, double reoffences, double seed) {
  OutcomeTotals t;
  t.people = people;
  t.reoffenders = reoffenders;
  t.reoffences = reoffences;
  t.conviction_events = reoffences - 1 + seed;
  t.custody_days = 100 * seed + people;
  t.recalls = seed;
  t.deaths = seed > 1 ? 1 : 0;
  return t;
}

Scenario make_scenario() {
  Scenario s;
  s.file = "scenarios/test.yaml";
  s.text = "name: hdf5 test\ncohort:\n  size: 4\n  groups:\n    custody: {share: 0.5}\n    community: {share: 0.5}\n";
  s.parameters.name = "hdf5 test";
  s.parameters.horizon_days = 730.5;
  s.parameters.measures.followup_days = 365.0;
  s.parameters.measures.waiting_days = 183.0;
  s.parameters.cohort.size = 4;
  s.parameters.cohort.groups.resize(2);
  s.parameters.cohort.groups[0].name = "custody";
  s.parameters.cohort.groups[1].name = "community";
  s.seed = 42;
  s.replicates = 2;
  return s;
}

// Two replicates, two sentence groups, four people, a 4-day survival curve and 3 months.
RunResult make_result(int replicates = 2, bool people = true) {
  RunResult result;
  result.seed = 42;
  result.cohort_size = 4;
  for (int r = 0; r < replicates; ++r) {
    const double k = r + 1;
    desist::ReplicateMeasures m;
    m.overall = totals(4, 1 + r, 3 + 2 * r, k);
    m.breakdowns = {
        {"sentence", {"custody", "community"}, {totals(2, 1, 2 + r, k), totals(2, r, 1 + r, k + 10)}},
        {"sex", {"male", "female"}, {totals(3, 1, 3, k), totals(1, r, r, k)}},
        {"age_band", {"18-20", "21-24", "25+"}, {totals(1, 0, 0, k), totals(1, 1, 1, k), totals(2, r, 2, k)}},
        {"ogrs_band", {"low", "high"}, {totals(2, 0, 0, k), totals(2, 1 + r, 3 + 2 * r, k)}},
    };
    m.survival.day = {0, 1, 2, 3};
    m.survival.reoffended = {0, 0.25 * k / 2, 0.25 * k, 0.25 * k};
    m.survival.lower = {0, 0, 0.1 * k, 0.1 * k};
    m.survival.upper = {0, 0.5, 0.6, 0.7};
    m.survival.at_risk = {4, 4, 4 - k, 4 - k};
    m.monthly.month_days = 30.4375;
    m.monthly.custody_population = {1.0 * k, 2.0 * k, 3.0 * k};
    m.monthly.supervision_caseload = {4, 5, 6 + k};
    m.monthly.bed_days = {30.4375 * k, 60.875 * k, 91.3125 * k};
    m.monthly.recalls = {0, k, 0};
    m.monthly.releases = {2, 1, k};
    m.events = 100 + r;
    if (r == 0 && people) {
      m.people = {
          PersonOutcome{0.5f, 0, 19.0f, 0, 0.25f, 12.0f, 2, 1, 30.0f, 0, none},
          PersonOutcome{10.0f, 1, 33.5f, 1, 0.75f, none, 0, 0, 0.0f, 1, 400.25f},
          PersonOutcome{100.0f, 0, 45.0f, 0, 0.95f, 300.5f, 1, 1, 14.0f, 2, none},
          PersonOutcome{364.0f, 1, 22.0f, 1, 0.5f, none, 65535, 3, 0.5f, 0, none},
      };
    }
    result.replicates.push_back(m);
    result.diagnostics.push_back({0.75 * k, 0.5 * k, static_cast<std::uint64_t>(1000 * k),
                                  static_cast<std::uint64_t>(7 * k), 0, static_cast<std::uint64_t>(11 * k)});
    result.diagnostics.back().replicate = 40 + r;
    result.diagnostics.back().people_by_events[r] = 3;
    result.diagnostics.back().people_by_events.back() = 1;  // someone with 64 events or more
  }
  return result;
}

std::string bytes_of(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// ---- reading back

struct Id {
  hid_t id;
  herr_t (*closer)(hid_t);
  Id(hid_t i, herr_t (*c)(hid_t)) : id(i), closer(c) { REQUIRE(i >= 0); }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  ~Id() { closer(id); }
  operator hid_t() const { return id; }
};

Id open_file(const std::string& file) { return Id(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose); }

bool exists(hid_t file, const std::string& path) { return H5Lexists(file, path.c_str(), H5P_DEFAULT) > 0; }

std::string string_attribute(hid_t object, const char* name) {
  Id attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  Id type(H5Aget_type(attr), H5Tclose);
  REQUIRE(H5Tget_class(type) == H5T_STRING);
  REQUIRE(H5Tis_variable_str(type) > 0);
  Id mem(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(mem, H5T_VARIABLE);
  H5Tset_cset(mem, H5T_CSET_UTF8);
  char* text = nullptr;
  REQUIRE(H5Aread(attr, mem, &text) >= 0);
  std::string out(text);
  H5free_memory(text);
  return out;
}

// A numeric scalar attribute, with its stored class, size and sign checked.
template <class T>
T number_attribute(hid_t object, const char* name, hid_t mem, H5T_class_t cls, std::size_t size) {
  Id attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  Id type(H5Aget_type(attr), H5Tclose);
  CHECK(H5Tget_class(type) == cls);
  CHECK(H5Tget_size(type) == size);
  Id space(H5Aget_space(attr), H5Sclose);
  CHECK(H5Sget_simple_extent_type(space) == H5S_SCALAR);
  T value{};
  REQUIRE(H5Aread(attr, mem, &value) >= 0);
  return value;
}

std::vector<hsize_t> shape(hid_t file, const std::string& path) {
  Id set(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
  Id space(H5Dget_space(set), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return dims;
}

// The stored type of a dataset: class, size in bytes, and whether signed.
struct StoredType {
  H5T_class_t cls;
  std::size_t size;
  bool is_signed;
};
StoredType stored_type(hid_t file, const std::string& path) {
  Id set(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
  Id type(H5Dget_type(set), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type);
  return {cls, H5Tget_size(type), cls == H5T_INTEGER && H5Tget_sign(type) == H5T_SGN_2};
}

template <class T>
std::vector<T> read(hid_t file, const std::string& path, hid_t mem) {
  Id set(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
  Id space(H5Dget_space(set), H5Sclose);
  std::vector<T> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  if (!values.empty()) REQUIRE(H5Dread(set, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  return values;
}
std::vector<double> doubles(hid_t file, const std::string& path) { return read<double>(file, path, H5T_NATIVE_DOUBLE); }

std::vector<std::string> strings(hid_t file, const std::string& path) {
  Id set(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
  Id space(H5Dget_space(set), H5Sclose);
  Id mem(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(mem, H5T_VARIABLE);
  H5Tset_cset(mem, H5T_CSET_UTF8);
  std::vector<char*> texts(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)), nullptr);
  std::vector<std::string> out;
  if (texts.empty()) return out;
  REQUIRE(H5Dread(set, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()) >= 0);
  for (char* t : texts) out.emplace_back(t);
#if H5_VERSION_GE(1, 12, 0)
  H5Treclaim(mem, space, H5P_DEFAULT, texts.data());
#else
  H5Dvlen_reclaim(mem, space, H5P_DEFAULT, texts.data());
#endif
  return out;
}

// Filters of a dataset's creation property list, in order.
std::vector<H5Z_filter_t> filters(hid_t file, const std::string& path) {
  Id set(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
  Id dcpl(H5Dget_create_plist(set), H5Pclose);
  std::vector<H5Z_filter_t> out;
  const int n = H5Pget_nfilters(dcpl);
  for (int i = 0; i < n; ++i) {
    unsigned flags = 0;
    std::size_t cd_count = 0;
    unsigned config = 0;
    out.push_back(H5Pget_filter2(dcpl, static_cast<unsigned>(i), &flags, &cd_count, nullptr, 0, nullptr, &config));
  }
  return out;
}

void check_summary(hid_t file, const char* name, const desist::Estimate& e) {
  const std::string path = std::string("/summary/") + name;
  CHECK(shape(file, path) == std::vector<hsize_t>{4});
  const std::vector<double> v = doubles(file, path);
  CHECK(v[0] == Approx(e.mean));
  CHECK(v[1] == Approx(e.ci_low));
  CHECK(v[2] == Approx(e.ci_high));
  CHECK(v[3] == Approx(e.sd));
  Id set(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
  CHECK(string_attribute(set, "columns") == "mean,ci_low,ci_high,sd");
}

}  // namespace

TEST_CASE("results file: root attributes", "[results_hdf5]") {
  TempDir dir;
  const Scenario scenario = make_scenario();
  const RunResult result = make_result();
  const std::string path = dir.file("results.h5");
  desist::write_results_hdf5(path, scenario, result);
  REQUIRE(H5Fis_hdf5(path.c_str()) > 0);
  Id f = open_file(path);
  CHECK(string_attribute(f, "program") == "desist");
  CHECK(string_attribute(f, "version") == std::string(desist::program_version()));
  CHECK(number_attribute<std::uint64_t>(f, "seed", H5T_NATIVE_UINT64, H5T_INTEGER, 8) == 42);
  CHECK(number_attribute<int>(f, "replicates", H5T_NATIVE_INT, H5T_INTEGER, 4) == 2);
  CHECK(number_attribute<std::uint64_t>(f, "cohort_size", H5T_NATIVE_UINT64, H5T_INTEGER, 8) == 4);
  CHECK(string_attribute(f, "scenario_file") == "scenarios/test.yaml");
  CHECK(string_attribute(f, "scenario") == scenario.text);
  CHECK(string_attribute(f, "scenario_name") == "hdf5 test");
  CHECK(number_attribute<double>(f, "followup_days", H5T_NATIVE_DOUBLE, H5T_FLOAT, 8) == 365.0);
  CHECK(number_attribute<double>(f, "waiting_days", H5T_NATIVE_DOUBLE, H5T_FLOAT, 8) == 183.0);
  CHECK(number_attribute<double>(f, "horizon_days", H5T_NATIVE_DOUBLE, H5T_FLOAT, 8) == 730.5);
  for (const char* g : {"/replicates", "/summary", "/by_group", "/survival", "/timeseries", "/people", "/diagnostics"})
    CHECK(exists(f, g));
}

TEST_CASE("results file: replicates and summary", "[results_hdf5]") {
  TempDir dir;
  const RunResult result = make_result();
  const std::string path = dir.file("results.h5");
  desist::write_results_hdf5(path, make_scenario(), result);
  Id f = open_file(path);

  const char* fields[] = {"people", "reoffenders", "reoffences", "conviction_events", "custody_days", "recalls",
                          "deaths"};
  const char* rates[] = {"binary_rate", "reoffences_per_offender", "reoffences_per_reoffender",
                         "conviction_events_per_offender", "custody_days_per_offender", "recalls_per_offender"};
  for (const char* name : fields) {
    CHECK(shape(f, std::string("/replicates/") + name) == std::vector<hsize_t>{2});
    const StoredType t = stored_type(f, std::string("/replicates/") + name);
    CHECK(t.cls == H5T_FLOAT);
    CHECK(t.size == 8);
  }
  for (const char* name : rates) CHECK(shape(f, std::string("/replicates/") + name) == std::vector<hsize_t>{2});
  CHECK(doubles(f, "/replicates/people") == std::vector<double>{4, 4});
  CHECK(doubles(f, "/replicates/reoffenders") == std::vector<double>{1, 2});
  CHECK(doubles(f, "/replicates/reoffences") == std::vector<double>{3, 5});
  CHECK(doubles(f, "/replicates/deaths") == std::vector<double>{0, 1});
  const std::vector<double> binary = doubles(f, "/replicates/binary_rate");
  CHECK(binary[0] == Approx(0.25));
  CHECK(binary[1] == Approx(0.5));
  const std::vector<double> per_reoffender = doubles(f, "/replicates/reoffences_per_reoffender");
  CHECK(per_reoffender[0] == Approx(3.0));
  CHECK(per_reoffender[1] == Approx(2.5));
  const std::vector<double> custody = doubles(f, "/replicates/custody_days_per_offender");
  CHECK(custody[0] == Approx(104.0 / 4));
  CHECK(custody[1] == Approx(204.0 / 4));

  const desist::MeasureEstimates e = desist::overall_estimates(result);
  check_summary(f, "binary_rate", e.binary_rate);
  check_summary(f, "reoffences_per_offender", e.reoffences_per_offender);
  check_summary(f, "reoffences_per_reoffender", e.reoffences_per_reoffender);
  check_summary(f, "conviction_events_per_offender", e.conviction_events_per_offender);
  check_summary(f, "custody_days_per_offender", e.custody_days_per_offender);
  check_summary(f, "recalls_per_offender", e.recalls_per_offender);
  const std::vector<double> s = doubles(f, "/summary/binary_rate");
  CHECK(s[0] == Approx(0.375));
  CHECK(s[3] == Approx(std::sqrt(0.03125)));
  CHECK(s[1] < s[0]);
  CHECK(s[2] > s[0]);
}

TEST_CASE("results file: by group", "[results_hdf5]") {
  TempDir dir;
  const RunResult result = make_result();
  const std::string path = dir.file("results.h5");
  desist::write_results_hdf5(path, make_scenario(), result);
  Id f = open_file(path);

  for (const std::string& d : desist::breakdown_dimensions()) {
    INFO(d);
    REQUIRE(exists(f, "/by_group/" + d));
    REQUIRE(exists(f, "/by_group/" + d + "/categories"));
  }
  CHECK(strings(f, "/by_group/sentence/categories") == std::vector<std::string>{"custody", "community"});
  CHECK(strings(f, "/by_group/sex/categories") == std::vector<std::string>{"male", "female"});
  CHECK(strings(f, "/by_group/age_band/categories") == std::vector<std::string>{"18-20", "21-24", "25+"});
  CHECK(strings(f, "/by_group/ogrs_band/categories") == std::vector<std::string>{"low", "high"});

  CHECK(shape(f, "/by_group/sentence/people") == std::vector<hsize_t>{2, 2});
  CHECK(shape(f, "/by_group/age_band/binary_rate") == std::vector<hsize_t>{2, 3});
  CHECK(shape(f, "/by_group/sentence/recalls_per_offender") == std::vector<hsize_t>{2, 2});
  // Row-major [replicate][category].
  CHECK(doubles(f, "/by_group/sentence/reoffences") == std::vector<double>{2, 1, 3, 2});
  CHECK(doubles(f, "/by_group/sentence/recalls") == std::vector<double>{1, 11, 2, 12});
  const std::vector<double> rate = doubles(f, "/by_group/sentence/binary_rate");
  CHECK(rate == std::vector<double>{0.5, 0.0, 0.5, 0.5});
  const std::vector<double> per_reoffender = doubles(f, "/by_group/ogrs_band/reoffences_per_reoffender");
  CHECK(per_reoffender == std::vector<double>{0.0, 3.0, 0.0, 2.5});
}

TEST_CASE("results file: survival, time series and diagnostics", "[results_hdf5]") {
  TempDir dir;
  const RunResult result = make_result();
  const std::string path = dir.file("results.h5");
  desist::write_results_hdf5(path, make_scenario(), result);
  Id f = open_file(path);

  CHECK(doubles(f, "/survival/day") == std::vector<double>{0, 1, 2, 3});
  for (const char* name : {"reoffended", "lower", "upper", "at_risk"})
    CHECK(shape(f, std::string("/survival/") + name) == std::vector<hsize_t>{2, 4});
  CHECK(doubles(f, "/survival/reoffended") == std::vector<double>{0, 0.125, 0.25, 0.25, 0, 0.25, 0.5, 0.5});
  CHECK(doubles(f, "/survival/at_risk") == std::vector<double>{4, 4, 3, 3, 4, 4, 2, 2});

  Id ts(H5Gopen2(f, "/timeseries", H5P_DEFAULT), H5Gclose);
  CHECK(number_attribute<double>(ts, "month_days", H5T_NATIVE_DOUBLE, H5T_FLOAT, 8) == 30.4375);
  CHECK(doubles(f, "/timeseries/month_start_day") == std::vector<double>{0, 30.4375, 60.875});
  for (const char* name : {"custody_population", "supervision_caseload", "bed_days", "recalls", "releases"})
    CHECK(shape(f, std::string("/timeseries/") + name) == std::vector<hsize_t>{2, 3});
  CHECK(doubles(f, "/timeseries/custody_population") == std::vector<double>{1, 2, 3, 2, 4, 6});
  CHECK(doubles(f, "/timeseries/releases") == std::vector<double>{2, 1, 1, 2, 1, 2});

  CHECK(doubles(f, "/diagnostics/seconds") == std::vector<double>{0.75, 1.5});
  CHECK(doubles(f, "/diagnostics/engine_seconds") == std::vector<double>{0.5, 1.0});
  CHECK(read<std::uint64_t>(f, "/diagnostics/checksum", H5T_NATIVE_UINT64) == std::vector<std::uint64_t>{11, 22});
  CHECK(read<std::uint64_t>(f, "/diagnostics/most_events", H5T_NATIVE_UINT64) == std::vector<std::uint64_t>{7, 14});
  CHECK(read<std::uint64_t>(f, "/diagnostics/events", H5T_NATIVE_UINT64) == std::vector<std::uint64_t>{1000, 2000});
  CHECK(stored_type(f, "/diagnostics/events").cls == H5T_INTEGER);
  CHECK(doubles(f, "/diagnostics/events_per_second") == std::vector<double>{2000, 2000});
  CHECK(read<std::uint64_t>(f, "/diagnostics/replicate_key", H5T_NATIVE_UINT64) == std::vector<std::uint64_t>{40, 41});
  CHECK(doubles(f, "/diagnostics/events_per_person") ==
        std::vector<double>{1000.0 / result.cohort_size, 2000.0 / result.cohort_size});
  CHECK(shape(f, "/diagnostics/people_by_events") == std::vector<hsize_t>{2, desist::event_count_bins});
  std::vector<std::uint64_t> histogram(2 * desist::event_count_bins, 0);
  histogram[0] = histogram[desist::event_count_bins + 1] = 3;
  histogram[desist::event_count_bins - 1] = histogram[2 * desist::event_count_bins - 1] = 1;
  CHECK(read<std::uint64_t>(f, "/diagnostics/people_by_events", H5T_NATIVE_UINT64) == histogram);
}

TEST_CASE("results file: people", "[results_hdf5]") {
  TempDir dir;
  const RunResult result = make_result();
  const std::string path = dir.file("results.h5");
  desist::write_results_hdf5(path, make_scenario(), result);
  Id f = open_file(path);

  struct Column {
    const char* name;
    H5T_class_t cls;
    std::size_t size;
  };
  const Column columns[] = {
      {"index_day", H5T_FLOAT, 4},         {"group", H5T_INTEGER, 1},
      {"age", H5T_FLOAT, 4},               {"sex", H5T_INTEGER, 1},
      {"ogrs3", H5T_FLOAT, 4},             {"first_proven_reoffence_day", H5T_FLOAT, 4},
      {"proven_reoffences", H5T_INTEGER, 2}, {"conviction_events", H5T_INTEGER, 2},
      {"custody_days", H5T_FLOAT, 4},      {"recalls", H5T_INTEGER, 2},
      {"death_day", H5T_FLOAT, 4},
  };
  for (const Column& c : columns) {
    const std::string p = std::string("/people/") + c.name;
    INFO(p);
    CHECK(shape(f, p) == std::vector<hsize_t>{4});
    const StoredType t = stored_type(f, p);
    CHECK(t.cls == c.cls);
    CHECK(t.size == c.size);
    CHECK_FALSE(t.is_signed);
    CHECK(filters(f, p) == std::vector<H5Z_filter_t>{H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE});
  }
  // Only the per-person columns are compressed.
  CHECK(filters(f, "/replicates/people").empty());
  CHECK(filters(f, "/survival/reoffended").empty());

  CHECK(read<float>(f, "/people/index_day", H5T_NATIVE_FLOAT) == std::vector<float>{0.5f, 10.0f, 100.0f, 364.0f});
  CHECK(read<std::uint8_t>(f, "/people/group", H5T_NATIVE_UINT8) == std::vector<std::uint8_t>{0, 1, 0, 1});
  CHECK(read<std::uint8_t>(f, "/people/sex", H5T_NATIVE_UINT8) == std::vector<std::uint8_t>{0, 1, 0, 1});
  CHECK(read<float>(f, "/people/ogrs3", H5T_NATIVE_FLOAT) == std::vector<float>{0.25f, 0.75f, 0.95f, 0.5f});
  CHECK(read<std::uint16_t>(f, "/people/proven_reoffences", H5T_NATIVE_UINT16) ==
        std::vector<std::uint16_t>{2, 0, 1, 65535});
  CHECK(read<std::uint16_t>(f, "/people/recalls", H5T_NATIVE_UINT16) == std::vector<std::uint16_t>{0, 1, 2, 0});
  const std::vector<float> first = read<float>(f, "/people/first_proven_reoffence_day", H5T_NATIVE_FLOAT);
  CHECK(first[0] == 12.0f);
  CHECK(std::isnan(first[1]));
  CHECK(first[2] == 300.5f);
  CHECK(std::isnan(first[3]));
  const std::vector<float> death = read<float>(f, "/people/death_day", H5T_NATIVE_FLOAT);
  CHECK(std::isnan(death[0]));
  CHECK(death[1] == 400.25f);
  CHECK(std::isnan(death[2]));
  CHECK(strings(f, "/people/group_names") == std::vector<std::string>{"custody", "community"});
}

TEST_CASE("results file: one replicate, no people", "[results_hdf5]") {
  TempDir dir;
  const std::string path = dir.file("one.h5");
  desist::write_results_hdf5(path, make_scenario(), make_result(1, false));
  Id f = open_file(path);
  CHECK(number_attribute<int>(f, "replicates", H5T_NATIVE_INT, H5T_INTEGER, 4) == 1);
  CHECK_FALSE(exists(f, "/people"));
  CHECK(shape(f, "/by_group/sentence/people") == std::vector<hsize_t>{1, 2});
  // One replicate says nothing about its own Monte Carlo error: the interval
  // and sd are left out and named as undefined, never written as NaN.
  CHECK(shape(f, "/summary/binary_rate") == std::vector<hsize_t>{1});
  CHECK(doubles(f, "/summary/binary_rate")[0] == Approx(0.25));
  Id set(H5Dopen2(f, "/summary/binary_rate", H5P_DEFAULT), H5Dclose);
  CHECK(string_attribute(set, "columns") == "mean");
  CHECK(string_attribute(set, "undefined") == "ci_low,ci_high,sd");
}

TEST_CASE("results file: byte-for-byte reproducible", "[results_hdf5]") {
  TempDir dir;
  const Scenario scenario = make_scenario();
  const RunResult result = make_result();
  desist::write_results_hdf5(dir.file("a.h5"), scenario, result);
  desist::write_results_hdf5(dir.file("b.h5"), scenario, result);
  const std::string a = bytes_of(dir.file("a.h5"));
  CHECK(a.size() > 0);
  CHECK(a == bytes_of(dir.file("b.h5")));
  // Rewriting replaces the file with the same bytes.
  desist::write_results_hdf5(dir.file("a.h5"), scenario, result);
  CHECK(a == bytes_of(dir.file("a.h5")));
  // ... and different inputs give different bytes.
  desist::write_results_hdf5(dir.file("c.h5"), scenario, make_result(1));
  CHECK(a != bytes_of(dir.file("c.h5")));
  CHECK_FALSE(dir.has_temporary());
  CHECK(dir.names().size() == 3);
}

TEST_CASE("results file: a missing directory throws and leaves nothing", "[results_hdf5]") {
  TempDir dir;
  const std::string path = (dir.path / "missing" / "results.h5").string();
  try {
    desist::write_results_hdf5(path, make_scenario(), make_result());
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    CHECK_THAT(e.what(), Catch::Contains(path));
  }
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(dir.path / "missing"));
  CHECK(dir.names().empty());
}

TEST_CASE("results file: a failed write keeps the old file and leaves no temporary", "[results_hdf5]") {
  TempDir dir;
  const std::string path = dir.file("results.h5");
  desist::write_results_hdf5(path, make_scenario(), make_result(1, false));
  const std::string before = bytes_of(path);

  // A full disk, simulated by a file size limit: writes past it fail with EFBIG.
  RunResult big = make_result();
  big.replicates[0].people.resize(200000, big.replicates[0].people[1]);
  for (std::size_t i = 0; i < big.replicates[0].people.size(); ++i)
    big.replicates[0].people[i].index_day = static_cast<float>(i) * 0.001f;
  struct rlimit old_limit {};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  struct rlimit limit = old_limit;
  limit.rlim_cur = 64 * 1024;
  void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
  REQUIRE(setrlimit(RLIMIT_FSIZE, &limit) == 0);
  bool threw = false;
  std::string message;
  try {
    desist::write_results_hdf5(path, make_scenario(), big);
  } catch (const std::runtime_error& e) {
    threw = true;
    message = e.what();
  }
  setrlimit(RLIMIT_FSIZE, &old_limit);
  signal(SIGXFSZ, old_handler);

  CHECK(threw);
  CHECK_THAT(message, Catch::Contains(path));
  CHECK(bytes_of(path) == before);
  CHECK_FALSE(dir.has_temporary());
  CHECK(dir.names() == std::vector<std::string>{"results.h5"});
}

TEST_CASE("results file: ragged replicates are refused", "[results_hdf5]") {
  TempDir dir;
  RunResult result = make_result();
  result.replicates[1].survival.reoffended.pop_back();
  const std::string path = dir.file("ragged.h5");
  CHECK_THROWS_AS(desist::write_results_hdf5(path, make_scenario(), result), std::runtime_error);
  CHECK(dir.names().empty());
}
