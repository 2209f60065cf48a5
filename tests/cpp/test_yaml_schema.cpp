// Tests for the schema the scenario reader records as it reads (yaml_schema.hpp)
// and the scenario reference built from it (scenario_schema.hpp): generic paths
// for named entries and list items, types, ranges, defaults and required keys as
// the reader checks them, and a reference that refuses to be written while the
// files leave a key unread.
#include <catch2/catch.hpp>
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "desist/scenario.hpp"
#include "desist/scenario_schema.hpp"
#include "desist/yaml_schema.hpp"

namespace {

const std::string source_dir = DESIST_SOURCE_DIR;

const desist::SchemaKey* find(const std::vector<desist::SchemaKey>& keys, const std::string& path) {
  for (const auto& k : keys)
    if (k.path == path) return &k;
  return nullptr;
}

}  // namespace

TEST_CASE("reading a scenario records each key's type, range, default and whether it is required", "[schema]") {
  desist::SchemaRecorder recorder;
  {
    desist::SchemaRecording recording(recorder);
    desist::load_scenario(source_dir + "/scenarios/baseline.yaml");
  }
  const auto keys = recorder.keys();

  const auto* share = find(keys, "cohort.groups.<name>.share");  // a group, whatever its name
  REQUIRE(share);
  CHECK(share->required);
  CHECK(share->types == std::set<std::string>{"number"});
  CHECK(share->ranges == std::set<std::string>{"between 0 and 1"});

  const auto* caution = find(keys, "court.caution_share");
  REQUIRE(caution);
  CHECK_FALSE(caution->required);
  CHECK(caution->defaults == std::set<std::string>{"0"});

  const auto* row = find(keys, "cohort.need_correlation[][]");  // items of a list of lists
  REQUIRE(row);
  CHECK(row->ranges == std::set<std::string>{"between -1 and 1"});

  const auto* event = find(keys, "cohort.groups.<name>.index_event");
  REQUIRE(event);
  CHECK(event->ranges == std::set<std::string>{"release, order_start, other"});

  CHECK_FALSE(find(keys, "cohort.groups.custody_under_12m.share"));  // no names of the file's own
  // The baseline gives one of the three baselines, so the others are unread.
  const auto unread = recorder.unread();
  CHECK(std::find(unread.begin(), unread.end(), "offending.baseline.piecewise_constant") != unread.end());
  CHECK(std::find(unread.begin(), unread.end(), "offending.baseline.weibull") == unread.end());
}

TEST_CASE("nothing is recorded without a recording in scope", "[schema]") {
  desist::SchemaRecorder recorder;
  { desist::SchemaRecording recording(recorder); }
  desist::load_scenario(source_dir + "/scenarios/baseline.yaml");
  CHECK(recorder.keys().empty());
}

TEST_CASE("the scenario reference is refused while the files leave keys unread", "[schema]") {
  // The baseline alone gives one baseline hazard and no person file; scripts/scenario-reference
  // reads the files that between them give every key (a ctest checks the document it writes).
  CHECK_THROWS_WITH(desist::scenario_reference({source_dir + "/scenarios/baseline.yaml"}, {}),
                    Catch::Matchers::Contains("no file read 'cohort.person_file'") &&
                        Catch::Matchers::Contains("no file read 'offending.baseline.log_logistic'"));
}
