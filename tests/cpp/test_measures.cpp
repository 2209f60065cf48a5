#include <catch2/catch.hpp>

#include <vector>

#include "desist/measures.hpp"

using namespace desist;

namespace {
Event offence(double t) { return Event{t, 0, EventKind::offence, 0, 0}; }
Event court(double t, int n) { return Event{t, 0, EventKind::court, static_cast<std::uint8_t>(Disposal::other), static_cast<std::uint16_t>(n)}; }
Event caution(double t) { return Event{t, 0, EventKind::caution, 0, 1}; }
ProvenHistory history(const std::vector<Event>& e) {
  MeasureParameters m;  // 365 days + 183 days
  return proven_history(e.data(), e.data() + e.size(), m);
}
}  // namespace

TEST_CASE("the 12 + 6 month window of proven reoffending", "[measures]") {
  SECTION("an offence in the year, convicted within 18 months") {
    const auto h = history({offence(100), court(200, 1)});
    CHECK(h.proven_reoffences == 1);
    CHECK(h.conviction_events == 1);
    CHECK(h.first_proven_offence == 100);
  }
  SECTION("the window's edges are inclusive") {
    const auto h = history({offence(365), court(548, 1)});
    CHECK(h.proven_reoffences == 1);
  }
  SECTION("convicted after the waiting period: not proven") {
    const auto h = history({offence(360), court(548.5, 1)});
    CHECK(h.proven_reoffences == 0);
    CHECK(h.conviction_events == 0);
    CHECK(h.first_proven_offence < 0);
  }
  SECTION("committed after the follow-up: not counted, even if convicted in time") {
    const auto h = history({offence(366), court(400, 1)});
    CHECK(h.proven_reoffences == 0);
  }
  SECTION("one court appearance disposing of several offences: one conviction event") {
    const auto h = history({offence(10), offence(20), offence(30), court(90, 3)});
    CHECK(h.proven_reoffences == 3);
    CHECK(h.conviction_events == 1);
    CHECK(h.first_proven_offence == 10);
  }
  SECTION("a case straddling the end of follow-up counts only its offences inside it") {
    const auto h = history({offence(300), offence(370), court(420, 2)});
    CHECK(h.proven_reoffences == 1);
    CHECK(h.conviction_events == 1);
  }
  SECTION("a caution proves the offence but is no conviction event") {
    const auto h = history({offence(50), caution(80)});
    CHECK(h.proven_reoffences == 1);
    CHECK(h.conviction_events == 0);
  }
  SECTION("separate cases each count") {
    const auto h = history({offence(50), court(80, 1), offence(200), offence(210), court(300, 2)});
    CHECK(h.proven_reoffences == 3);
    CHECK(h.conviction_events == 2);
    CHECK(h.first_proven_offence == 50);
  }
  SECTION("the first proven offence skips an earlier offence proven too late") {
    const auto h = history({offence(40), court(600, 1), offence(700)});
    CHECK(h.proven_reoffences == 0);
    CHECK(h.first_proven_offence < 0);
  }
}
