#include <catch2/catch.hpp>

#include "desist/release.hpp"

using desist::release_dates;
using desist::ReleaseParameters;

TEST_CASE("release dates before the 2014 regime", "[release]") {
  ReleaseParameters p;  // halfway release, licence only for 12 months or more
  SECTION("six months: released at the halfway point, no licence") {
    const auto d = release_dates(0.0, 182.0, p);
    CHECK(d.release == Approx(91.0));
    CHECK(d.licence_end == Approx(91.0));
    CHECK(d.supervision_end == Approx(91.0));
  }
  SECTION("two years: licence to the end of the sentence") {
    const auto d = release_dates(10.0, 730.0, p);
    CHECK(d.release == Approx(375.0));
    CHECK(d.licence_end == Approx(740.0));
    CHECK(d.supervision_end == Approx(740.0));
  }
  SECTION("exactly twelve months has a licence") {
    const auto d = release_dates(0.0, 365.0, p);
    CHECK(d.licence_end == Approx(365.0));
  }
}

TEST_CASE("release dates under the Offender Rehabilitation Act 2014", "[release]") {
  ReleaseParameters p;
  p.ora_2014 = true;
  SECTION("six months: licence to sentence end, then supervision to 12 months after release") {
    const auto d = release_dates(0.0, 182.0, p);
    CHECK(d.release == Approx(91.0));
    CHECK(d.licence_end == Approx(182.0));
    CHECK(d.supervision_end == Approx(91.0 + 365.0));
  }
  SECTION("eighteen months: post-sentence supervision tops the licence up to a year after release") {
    const auto d = release_dates(0.0, 548.0, p);
    CHECK(d.release == Approx(274.0));
    CHECK(d.licence_end == Approx(548.0));
    CHECK(d.supervision_end == Approx(274.0 + 365.0));
  }
  SECTION("two years or more: licence only") {
    const auto d = release_dates(0.0, 730.0, p);
    CHECK(d.licence_end == Approx(730.0));
    CHECK(d.supervision_end == Approx(730.0));
  }
  SECTION("a one-day sentence is outside the Act") {
    const auto d = release_dates(0.0, 1.0, p);
    CHECK(d.licence_end == Approx(d.release));
    CHECK(d.supervision_end == Approx(d.release));
  }
}
