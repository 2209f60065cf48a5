// Person files: load_cohort_csv reads the documented columns and reports bad
// input as InputError naming file, line and column.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "desist/cohort.hpp"
#include "desist/error.hpp"
#include "desist/ogrs3.hpp"
#include "desist/parameters.hpp"

using namespace desist;

namespace {

Parameters csv_parameters() {
  Parameters p;
  p.name = "csv-test";
  SentenceGroup custody;
  custody.name = "custody_short";
  custody.share = 0.6;
  custody.index_event = IndexEvent::release;
  SentenceGroup caution;
  caution.name = "caution";
  caution.share = 0.4;
  caution.index_event = IndexEvent::other;
  p.cohort.groups = {custody, caution};
  PathwayParameters accommodation;
  accommodation.name = "accommodation";
  PathwayParameters employment;
  employment.name = "employment";
  p.pathways = {accommodation, employment};
  return p;
}

// A file in the temporary directory, removed when the object goes.
class TempCsv {
 public:
  explicit TempCsv(const std::string& content) {
    static std::atomic<int> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ =
        (std::filesystem::temp_directory_path() /
         ("desist_cohort_csv_" + std::to_string(stamp) + "_" + std::to_string(counter++) + ".csv"))
            .string();
    std::ofstream out(path_, std::ios::binary);
    out << content;
  }
  ~TempCsv() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempCsv(const TempCsv&) = delete;
  TempCsv& operator=(const TempCsv&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Cohort load(const std::string& content) {
  const TempCsv file(content);
  return load_cohort_csv(file.path(), csv_parameters());
}

// Loads `content` and checks it fails at `line` in column `key` with a message
// containing `fragment`.
void expect_error(const std::string& content, int line, const std::string& key,
                  const std::string& fragment, int column = -1) {
  const TempCsv file(content);
  INFO("content:\n" << content);
  try {
    load_cohort_csv(file.path(), csv_parameters());
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    const std::string what = e.what();
    INFO("what(): " << what);
    CHECK(what.find(file.path()) != std::string::npos);
    CHECK(e.where().file == file.path());
    CHECK(e.where().line == line);
    if (line > 0) CHECK(what.find(":" + std::to_string(line)) != std::string::npos);
    CHECK(e.where().key_path == key);
    if (!key.empty()) CHECK(what.find("'" + key + "'") != std::string::npos);
    if (column >= 0) CHECK(e.where().column == column);
    CHECK(what.find(fragment) != std::string::npos);
  }
}

const std::string header =
    "group,sex,age,offence,previous_sanctions,age_at_first_sanction,sentence_days\n";

double expected_ogrs3(Sex sex, double age, Ogrs3Offence offence, int previous, double first) {
  Ogrs3Input in{};
  in.sex = sex;
  in.age_years = age;
  in.offence = offence;
  in.previous_sanctions = previous;
  in.age_at_first_sanction_years = first;
  return ogrs3(in).two_year;
}

}  // namespace

TEST_CASE("load_cohort_csv reads every documented column", "[cohort_csv]") {
  const Cohort c = load(
      "sex,group,age,offence,previous_sanctions,age_at_first_sanction,iom,index_day,"
      "sentence_days,need_employment,need_accommodation,ogrs3,score,weight\n"
      "male,custody_short,34.5,burglary_domestic,12,15,1,10.5,180,1,0,,1.25,-3\n"
      "F,caution,22,theft_non_motor,0,,0,0,,0,1,0.42,0,1e3\n"
      "female,caution,60,drink_driving,3,40,,,0,1,1,,+2.5,0.5\n");

  REQUIRE(c.size() == 3);
  CHECK(c.group == std::vector<std::uint8_t>{0, 1, 1});
  CHECK(c.sex == std::vector<Sex>{Sex::male, Sex::female, Sex::female});
  CHECK(c.age == std::vector<float>{34.5f, 22.0f, 60.0f});
  CHECK(c.offence == std::vector<Ogrs3Offence>{Ogrs3Offence::burglary_domestic,
                                               Ogrs3Offence::theft_non_motor,
                                               Ogrs3Offence::drink_driving});
  CHECK(c.previous_sanctions == std::vector<std::uint16_t>{12, 0, 3});
  // No previous sanctions and no value: the first sanction is the index one.
  CHECK(c.age_at_first_sanction == std::vector<float>{15.0f, 22.0f, 40.0f});
  CHECK(c.iom == std::vector<std::uint8_t>{1, 0, 0});
  CHECK(c.index_day == std::vector<float>{10.5f, 0.0f, 0.0f});
  CHECK(c.sentence_days == std::vector<float>{180.0f, 0.0f, 0.0f});
  // Bit 0 accommodation, bit 1 employment (the scenario's pathway order).
  CHECK(c.needs == std::vector<std::uint8_t>{0b10, 0b01, 0b11});

  CHECK(c.ogrs3_two_year[0] ==
        expected_ogrs3(Sex::male, 34.5, Ogrs3Offence::burglary_domestic, 12, 15));
  CHECK(c.ogrs3_two_year[1] == 0.42);
  CHECK(c.ogrs3_two_year[2] == expected_ogrs3(Sex::female, 60, Ogrs3Offence::drink_driving, 3, 40));

  REQUIRE(c.extra_names == std::vector<std::string>{"score", "weight"});
  REQUIRE(c.extra_columns.size() == 2);
  CHECK(c.extra_columns[0] == std::vector<double>{1.25, 0.0, 2.5});
  CHECK(c.extra_columns[1] == std::vector<double>{-3.0, 1000.0, 0.5});
}

TEST_CASE("load_cohort_csv applies defaults for optional columns", "[cohort_csv]") {
  const Cohort c = load(
      "group,sex,age,offence,previous_sanctions\n"
      "caution,m,19,violence,0\n");
  REQUIRE(c.size() == 1);
  CHECK(c.age_at_first_sanction[0] == 19.0f);
  CHECK(c.iom[0] == 0);
  CHECK(c.index_day[0] == 0.0f);
  CHECK(c.sentence_days[0] == 0.0f);
  CHECK(c.needs[0] == 0);
  CHECK(c.extra_names.empty());
  CHECK(c.extra_columns.empty());
  CHECK(c.ogrs3_two_year[0] == expected_ogrs3(Sex::male, 19, Ogrs3Offence::violence, 0, 19));
  CHECK(c.ogrs3_two_year[0] > 0.0);
  CHECK(c.ogrs3_two_year[0] < 1.0);
}

TEST_CASE("load_cohort_csv handles quoting, CRLF, BOM and blank lines", "[cohort_csv]") {
  const Cohort c = load(
      "\xEF\xBB\xBFgroup,sex,age,offence,previous_sanctions,\"note\"\r\n"
      "\r\n"
      "\"caution\", male ,30,\"other_offence\",0,\"7\"\r\n"
      "caution,female,31,robbery,0,8");  // no final line break
  REQUIRE(c.size() == 2);
  CHECK(c.group == std::vector<std::uint8_t>{1, 1});
  CHECK(c.sex[0] == Sex::male);
  CHECK(c.offence[1] == Ogrs3Offence::robbery);
  REQUIRE(c.extra_names == std::vector<std::string>{"note"});
  CHECK(c.extra_columns[0] == std::vector<double>{7.0, 8.0});
}

TEST_CASE("load_cohort_csv reports file-level errors", "[cohort_csv]") {
  SECTION("missing file") {
    const std::string path =
        (std::filesystem::temp_directory_path() / "desist_no_such_person_file.csv").string();
    try {
      load_cohort_csv(path, csv_parameters());
      FAIL("expected an InputError");
    } catch (const InputError& e) {
      CHECK(e.where().file == path);
      CHECK(e.where().line == 0);
      CHECK(std::string(e.what()).find(path) != std::string::npos);
      CHECK(std::string(e.what()).find("cannot open") != std::string::npos);
    }
  }
  SECTION("a directory") {
    const std::string path = std::filesystem::temp_directory_path().string();
    CHECK_THROWS_AS(load_cohort_csv(path, csv_parameters()), InputError);
  }
  SECTION("empty file") { expect_error("", 1, "", "empty"); }
  SECTION("only blank lines") { expect_error("\n\n  \n", 1, "", "empty"); }
  SECTION("header but no rows") { expect_error(header, 1, "", "no person records"); }
  SECTION("header and blank lines but no rows") {
    expect_error("\n" + header + "\n\n", 2, "", "no person records");
  }
}

TEST_CASE("load_cohort_csv reports header errors", "[cohort_csv]") {
  SECTION("missing required column names it and lists the header") {
    expect_error("group,age,offence,previous_sanctions\ncaution,30,violence,0\n", 1, "sex",
                 "the header has: group, age, offence, previous_sanctions", 0);
  }
  SECTION("missing column suggests a near name") {
    expect_error("group,Sex,age,offence,previous_sanctions\ncaution,m,30,violence,0\n", 1, "sex",
                 "column 2 is named 'Sex'");
  }
  SECTION("duplicate column") {
    expect_error("group,sex,age,offence,age,previous_sanctions\n", 1, "age",
                 "duplicate column 'age' (also column 3)", 5);
  }
  SECTION("empty column name") {
    expect_error("group,sex,,age,offence,previous_sanctions\n", 1, "", "empty column name", 3);
  }
  SECTION("need column for an unknown pathway suggests the nearest") {
    expect_error("group,sex,age,offence,previous_sanctions,need_acommodation\n", 1,
                 "need_acommodation", "did you mean 'need_accommodation'?", 6);
  }
  SECTION("invalid UTF-8 in the header") {
    expect_error("group,sex,age,offence,previous_sanctions,sc\xFFore\ncaution,m,30,violence,0,1\n",
                 1, "", "UTF-8", 6);
  }
}

TEST_CASE("load_cohort_csv reports record errors with line and column", "[cohort_csv]") {
  const std::string ok = "custody_short,male,30,violence,2,18,100\n";

  SECTION("too many fields") {
    expect_error(header + ok + "caution,male,30,violence,0,,,9\n", 3, "", "expected 7 fields", 8);
  }
  SECTION("too few fields") {
    expect_error(header + ok + ok + "caution,male,30\n", 4, "", "got 3");
  }
  SECTION("empty required value") {
    expect_error(header + ok + "caution,male,,violence,0,,\n", 3, "age",
                 "missing value: expected a number between 10 and 110", 3);
  }
  SECTION("empty group") {
    expect_error(header + " ,male,30,violence,0,,\n", 2, "group", "missing value");
  }
  SECTION("non-numeric age") {
    expect_error(header + ok + ok + "caution,male,abc,violence,0,,\n", 4, "age",
                 "expected a number between 10 and 110, got 'abc'", 3);
  }
  SECTION("trailing junk") {
    expect_error(header + "caution,male,30x,violence,0,,\n", 2, "age", "got '30x'");
    expect_error(header + "caution,male,\"30 1\",violence,0,,\n", 2, "age", "got '30 1'");
  }
  SECTION("NaN and infinity") {
    expect_error(header + "caution,male,nan,violence,0,,\n", 2, "age", "not a finite number");
    expect_error(header + "caution,male,inf,violence,0,,\n", 2, "age", "not a finite number");
    expect_error(header + "caution,male,30,violence,0,1e999,\n", 2, "age_at_first_sanction",
                 "not a finite number");
  }
  SECTION("age out of range") {
    expect_error(header + "caution,male,9.5,violence,0,,\n", 2, "age", "out of range");
    expect_error(header + "caution,male,111,violence,0,,\n", 2, "age", "out of range");
  }
  SECTION("sex") {
    expect_error(header + ok + "caution,x,30,violence,0,,\n", 3, "sex", "expected male or female",
                 2);
  }
  SECTION("unknown group suggests the nearest") {
    expect_error(header + ok + "custody_shrt,male,30,violence,0,,1\n", 3, "group",
                 "did you mean 'custody_short'?", 1);
  }
  SECTION("unknown offence suggests the nearest") {
    expect_error(header + "caution,male,30,burglary_domestc,0,,\n", 2, "offence",
                 "did you mean 'burglary_domestic'?", 4);
  }
  SECTION("previous sanctions") {
    expect_error(header + "caution,male,30,violence,-1,,\n", 2, "previous_sanctions",
                 "a whole number between 0 and 65535");
    expect_error(header + "caution,male,30,violence,2.5,18,\n", 2, "previous_sanctions",
                 "got '2.5'");
    expect_error(header + "caution,male,30,violence,70000,18,\n", 2, "previous_sanctions",
                 "out of range");
  }
  SECTION("age at first sanction") {
    expect_error(header + "caution,male,30,violence,2,31,\n", 2, "age_at_first_sanction",
                 "between 10 and the age (30)", 6);
    expect_error(header + "caution,male,30,violence,2,9,\n", 2, "age_at_first_sanction",
                 "out of range");
    expect_error(header + "caution,male,30,violence,2,,\n", 2, "age_at_first_sanction",
                 "required when previous_sanctions is greater than 0", 6);
    expect_error(
        "group,sex,age,offence,previous_sanctions\ncaution,male,30,violence,0\n"
        "caution,male,30,violence,1\n",
        3, "age_at_first_sanction", "no such column", 0);
  }
  SECTION("iom and needs must be 0 or 1") {
    expect_error("group,sex,age,offence,previous_sanctions,iom\ncaution,m,30,violence,0,2\n", 2,
                 "iom", "expected 0 or 1, got '2'", 6);
    expect_error(
        "group,sex,age,offence,previous_sanctions,need_employment\n"
        "caution,m,30,violence,0,yes\n",
        2, "need_employment", "expected 0 or 1, got 'yes'", 6);
  }
  SECTION("index day") {
    expect_error("group,sex,age,offence,previous_sanctions,index_day\ncaution,m,30,violence,0,-1\n",
                 2, "index_day", "0 or more");
  }
  SECTION("sentence days for a release group") {
    expect_error(header + "custody_short,male,30,violence,0,,0\n", 2, "sentence_days",
                 "greater than 0", 7);
    expect_error(header + "custody_short,male,30,violence,0,,\n", 2, "sentence_days",
                 "missing value");
    expect_error("group,sex,age,offence,previous_sanctions\ncustody_short,m,30,violence,0\n", 2,
                 "sentence_days", "no sentence_days column", 0);
    // Zero is fine for a group with no sentence at the index date.
    CHECK(load(header + "caution,male,30,violence,0,,0\n").sentence_days[0] == 0.0f);
  }
  SECTION("supplied OGRS3 must be a probability") {
    const std::string h = "group,sex,age,offence,previous_sanctions,ogrs3\n";
    expect_error(h + "caution,m,30,violence,0,0\n", 2, "ogrs3", "strictly between 0 and 1", 6);
    expect_error(h + "caution,m,30,violence,0,1\n", 2, "ogrs3", "out of range");
    expect_error(h + "caution,m,30,violence,0,1.5\n", 2, "ogrs3", "out of range");
  }
  SECTION("extra column must be numeric in every row") {
    const std::string h = "group,sex,age,offence,previous_sanctions,score\n";
    expect_error(h + "caution,m,30,violence,0,1\ncaution,m,30,violence,0,high\n", 3, "score",
                 "got 'high'", 6);
    expect_error(h + "caution,m,30,violence,0,\n", 2, "score", "an empty value", 6);
  }
  SECTION("misspelt optional column read as extra gets a suggestion") {
    expect_error("group,sex,age,offence,previous_sanctions,IOM\ncaution,m,30,violence,0,no\n", 2,
                 "IOM", "did you mean 'iom'?");
  }
  SECTION("invalid UTF-8 in a value") {
    expect_error(header + ok + "caution,male,30,viol\xC3\x28nce,0,,\n", 3, "offence", "UTF-8", 4);
    // Overlong encoding of '/'.
    expect_error(header + "caution,male,30,violence,0,,\xC0\xAF\n", 2, "sentence_days", "UTF-8", 7);
  }
}

TEST_CASE("load_cohort_csv reports malformed CSV and keeps line numbers", "[cohort_csv]") {
  const std::string h = "group,sex,age,offence,previous_sanctions,comment\n";
  SECTION("a quoted field spanning lines does not shift later line numbers") {
    const std::string content = h + "caution,m,30,violence,0,\"\n1\n\"\n" +  // lines 2-4
                                "\n" +                                       // line 5
                                "caution,m,thirty,violence,0,3\n";           // line 6
    expect_error(content, 6, "age", "got 'thirty'", 3);
  }
  SECTION("an error in a multi-line record names the line it starts on") {
    expect_error(h + "caution,m,30,violence,0,1\n" + "caution,\"m\nx\",30,violence,0,1\n", 3, "sex",
                 "expected male or female");
  }
  SECTION("a stray quote") {
    expect_error(h + "caution,m,30,violence,0,1\ncaution,m,3\"0,violence,0,1\n", 3, "age",
                 "malformed quoting", 3);
  }
  SECTION("text after a closing quote") {
    expect_error(h + "caution,m,\"30\"x,violence,0,1\n", 2, "age", "malformed quoting", 3);
  }
  SECTION("an unterminated quoted field") {
    expect_error(h + "caution,m,30,violence,0,1\ncaution,m,30,violence,0,\"1\n2\n", 3, "comment",
                 "unterminated quoted field", 6);
  }
}

TEST_CASE("load_cohort_csv keeps line numbers across read blocks", "[cohort_csv]") {
  // About 200 KB, so the file is read in several blocks.
  std::string content = "group,sex,age,offence,previous_sanctions,comment\n";
  for (int i = 0; i < 5000; ++i) {
    content += "caution,female,45.25,fraud_and_forgery,0,\"" + std::to_string(i) + "\"\n";
  }
  const Cohort c = load(content);
  REQUIRE(c.size() == 5000);
  CHECK(c.extra_columns[0][4999] == 4999.0);
  expect_error(content + "caution,female,45,fraud_and_forgery,0,x\n", 5002, "comment", "got 'x'",
               6);
}

TEST_CASE("load_cohort_csv suggests every category containing a partial name", "[cohort_csv]") {
  expect_error(header + "caution,male,30,burglary,0,,\n", 2, "offence",
               "did you mean one of 'burglary_domestic', 'burglary_other'?", 4);
}

TEST_CASE("load_cohort_csv rejects extra columns named like built-in attributes", "[cohort_csv]") {
  expect_error("group,sex,age,offence,previous_sanctions,female\ncaution,m,30,violence,0,1\n", 1,
               "female", "built-in person attribute", 6);
}

TEST_CASE("load_cohort_csv checks the scenario's covariates against the columns", "[cohort_csv]") {
  Parameters p = csv_parameters();
  p.offending.covariates = {Covariate{"ogrs3_logit", 0.8, 0.0}, Covariate{"score", 0.1, 0.0}};
  {
    const TempCsv file(
        "group,sex,age,offence,previous_sanctions,score\ncaution,m,30,violence,0,2.5\n");
    const Cohort c = load_cohort_csv(file.path(), p);
    CHECK(c.has_attribute("score"));
    CHECK(c.attribute("score", 0) == 2.5);
  }
  const TempCsv file(
      "group,sex,age,offence,previous_sanctions,scor\ncaution,m,30,violence,0,2.5\n");
  try {
    load_cohort_csv(file.path(), p);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    INFO(e.what());
    CHECK(e.where().line == 1);
    CHECK(e.where().key_path == "offending.covariates.score");
    CHECK(std::string(e.what()).find("did you mean 'scor'?") != std::string::npos);
  }
}
