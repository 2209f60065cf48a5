// Tests for desist::ogrs3 (OGRS3, Howard et al. 2009) against the Ministry of
// Justice's published worked cases.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "desist/ogrs3.hpp"

using desist::Ogrs3Input;
using desist::Ogrs3Offence;
using desist::Ogrs3Score;
using desist::Sex;
namespace coef = desist::ogrs3_coefficients;

namespace {

struct Date {
  int y, m, d;
};

// Completed years from `birth` to `on`, as the MoJ calculator computes ages
// from dates (lib/calculateOGRS3.js, dateDiff).
double completed_years(Date birth, Date on) {
  int years = on.y - birth.y;
  if (on.m < birth.m || (on.m == birth.m && on.d < birth.d)) --years;
  return static_cast<double>(years);
}

struct PublishedCase {
  const char* id;
  Sex sex;
  Ogrs3Offence offence;
  int previous_sanctions;
  Date birth, conviction, first_sanction;
  double one_year, two_year;
};

// Every case's assessment date in the fixture file.
constexpr Date assessment_date{2013, 3, 31};

// NOMS-DIGITAL-STUDIO/rsr-calculator, test/data/ogrs3.json (the MoJ OGRS3
// calculator's "sample data from the spreadsheet", checked there by
// test/withSampleData_All_ogrs3.spec.js). Fields: testNumber, sex,
// currentOffenceType (as the enumerator), allSanctions (previous sanctions),
// birthDate, convictionDate, firstSanctionDate, output_ogrs3_year_1,
// output_ogrs3_year_2. T0 is also the example response in
// ministryofjustice/rsr-calculator-service docs/ogrs3.md. T37 (79 previous
// sanctions) exercises the cap at 50. A subset of the file's cases, covering
// all 20 offence categories, both sexes and every adult age band.
// clang-format off
const PublishedCase published_cases[] = {
    {"T0", Sex::male, Ogrs3Offence::taking_and_driving_away, 25, {1989, 4, 22}, {2013, 2, 20}, {2001, 9, 10}, 0.8117432421743183, 0.8984865665141756},
    {"T1", Sex::male, Ogrs3Offence::burglary_domestic, 1, {1982, 8, 25}, {2012, 8, 15}, {2007, 11, 27}, 0.11723581441581604, 0.21421089930055945},
    {"T2", Sex::male, Ogrs3Offence::sexual_against_child, 1, {1987, 6, 8}, {2010, 6, 18}, {2006, 7, 28}, 0.0840104334717582, 0.15843475438264157},
    {"T3", Sex::male, Ogrs3Offence::burglary_domestic, 12, {1978, 5, 25}, {2010, 1, 5}, {2000, 5, 3}, 0.46922446754762887, 0.644714376187492},
    {"T4", Sex::male, Ogrs3Offence::absconding_or_bail, 1, {1975, 9, 13}, {2006, 8, 8}, {2005, 11, 2}, 0.31374919836399257, 0.4841288507907977},
    {"T5", Sex::male, Ogrs3Offence::public_order, 0, {1994, 7, 22}, {2013, 1, 4}, {2013, 1, 4}, 0.14242394961276345, 0.2542336920964693},
    {"T6", Sex::male, Ogrs3Offence::drug_possession_supply, 2, {1991, 3, 14}, {2012, 5, 3}, {2009, 10, 5}, 0.2802354102097292, 0.444195729020836},
    {"T7", Sex::male, Ogrs3Offence::drug_possession_supply, 3, {1982, 5, 21}, {2005, 11, 14}, {2003, 7, 27}, 0.31914882402401723, 0.49036546174083756},
    {"T8", Sex::male, Ogrs3Offence::public_order, 24, {1978, 4, 2}, {2012, 6, 11}, {1996, 8, 12}, 0.6620619648381874, 0.8008539143629657},
    {"T9", Sex::male, Ogrs3Offence::drug_possession_supply, 21, {1955, 2, 22}, {2012, 8, 9}, {1973, 10, 30}, 0.25268499367164093, 0.4097014096951596},
    {"T10", Sex::male, Ogrs3Offence::robbery, 8, {1974, 11, 23}, {2012, 7, 26}, {1992, 1, 13}, 0.16198442487921613, 0.2840635949086492},
    {"T11", Sex::male, Ogrs3Offence::burglary_other, 4, {1988, 3, 15}, {2011, 8, 12}, {2002, 11, 8}, 0.32504065841370877, 0.4971103114099357},
    {"T12", Sex::male, Ogrs3Offence::drug_possession_supply, 0, {1985, 1, 18}, {2009, 7, 23}, {2009, 7, 23}, 0.08005282893012408, 0.151551205932349},
    {"T13", Sex::male, Ogrs3Offence::theft_from_vehicles, 0, {1971, 1, 16}, {2012, 11, 15}, {2012, 11, 15}, 0.08131734645235947, 0.15375635254664644},
    {"T14", Sex::male, Ogrs3Offence::drug_possession_supply, 4, {1993, 11, 18}, {2013, 2, 22}, {2009, 10, 23}, 0.5073758118011589, 0.6788841823855085},
    {"T15", Sex::male, Ogrs3Offence::drink_driving, 1, {1936, 12, 2}, {2013, 3, 4}, {1995, 2, 8}, 0.03919595074873526, 0.07726836999906724},
    {"T16", Sex::male, Ogrs3Offence::drug_possession_supply, 0, {1981, 7, 7}, {2012, 12, 19}, {2012, 12, 19}, 0.06907880117506317, 0.1321841583003083},
    {"T17", Sex::male, Ogrs3Offence::theft_from_vehicles, 4, {1970, 1, 14}, {2013, 3, 21}, {2008, 3, 12}, 0.35862411724625387, 0.5343961919566298},
    {"T18", Sex::male, Ogrs3Offence::drink_driving, 0, {1955, 2, 20}, {2011, 11, 3}, {2011, 11, 3}, 0.04248667743123184, 0.08347778278860565},
    {"T19", Sex::male, Ogrs3Offence::other_motoring, 0, {1992, 3, 21}, {2010, 4, 14}, {2010, 4, 14}, 0.07411922520761047, 0.1411310774661894},
    {"T20", Sex::female, Ogrs3Offence::handling_stolen_goods, 0, {1969, 6, 30}, {2012, 9, 28}, {2012, 9, 28}, 0.07413083934321996, 0.1411515912406195},
    {"T21", Sex::male, Ogrs3Offence::theft_from_vehicles, 12, {1992, 11, 29}, {2013, 3, 28}, {2008, 7, 6}, 0.8158846027396971, 0.9009525443269565},
    {"T22", Sex::male, Ogrs3Offence::drug_possession_supply, 7, {1979, 1, 13}, {2012, 6, 1}, {1997, 11, 28}, 0.30815487744059544, 0.4776109021023713},
    {"T23", Sex::female, Ogrs3Offence::drug_possession_supply, 2, {1990, 4, 1}, {2013, 1, 10}, {2006, 12, 15}, 0.2350431567417117, 0.38677068477622517},
    {"T24", Sex::male, Ogrs3Offence::drug_possession_supply, 19, {1967, 1, 18}, {2007, 2, 12}, {1988, 10, 17}, 0.49455717465627297, 0.66760466094413},
    {"T25", Sex::male, Ogrs3Offence::other_motoring, 13, {1965, 10, 5}, {2009, 10, 7}, {1981, 12, 9}, 0.2680008830065821, 0.42907019500883764},
    {"T26", Sex::male, Ogrs3Offence::criminal_damage, 11, {1985, 12, 12}, {2012, 5, 18}, {2006, 7, 19}, 0.6327378470241626, 0.7795633460615766},
    {"T27", Sex::female, Ogrs3Offence::drug_possession_supply, 1, {1979, 5, 13}, {2012, 7, 23}, {2008, 11, 27}, 0.16507903558310938, 0.28868701879459263},
    {"T28", Sex::male, Ogrs3Offence::burglary_domestic, 7, {1943, 3, 31}, {2008, 3, 7}, {1964, 6, 2}, 0.06603408104441474, 0.1267366714481688},
    {"T29", Sex::male, Ogrs3Offence::drug_possession_supply, 2, {1970, 7, 1}, {2012, 3, 2}, {1997, 6, 16}, 0.09889051053261294, 0.18385116462240508},
    {"T30", Sex::male, Ogrs3Offence::sexual_against_child, 0, {1947, 11, 5}, {2011, 2, 4}, {2011, 2, 4}, 0.017450000087421036, 0.03517306049241023},
    {"T31", Sex::female, Ogrs3Offence::taking_and_driving_away, 0, {1965, 3, 17}, {2012, 7, 5}, {2012, 7, 5}, 0.07608922486010569, 0.1446040001807248},
    {"T32", Sex::male, Ogrs3Offence::robbery, 13, {1990, 2, 20}, {2012, 8, 28}, {2003, 5, 8}, 0.4494838778706309, 0.6263025476942482},
    {"T33", Sex::male, Ogrs3Offence::drug_possession_supply, 7, {1991, 11, 7}, {2011, 2, 16}, {2002, 8, 26}, 0.4524086394574807, 0.6290631504740714},
    {"T34", Sex::male, Ogrs3Offence::criminal_damage, 18, {1986, 2, 4}, {2013, 1, 3}, {1998, 8, 10}, 0.648311422349041, 0.790967709335713},
    {"T35", Sex::female, Ogrs3Offence::drug_possession_supply, 7, {1967, 2, 13}, {2012, 9, 14}, {2000, 4, 7}, 0.29995758968932484, 0.4679548522037119},
    {"T36", Sex::male, Ogrs3Offence::drug_possession_supply, 1, {1980, 5, 15}, {2012, 10, 23}, {1999, 12, 15}, 0.08025660619672369, 0.15190693166435426},
    {"T37", Sex::male, Ogrs3Offence::public_order, 79, {1970, 1, 5}, {2012, 11, 13}, {1983, 6, 27}, 0.7075436366487633, 0.8323852423623939},
    {"T38", Sex::male, Ogrs3Offence::criminal_damage, 38, {1980, 12, 24}, {2013, 3, 1}, {1996, 3, 4}, 0.7693560288165316, 0.8725640150561167},
    {"T39", Sex::male, Ogrs3Offence::criminal_damage, 1, {1993, 3, 31}, {2012, 3, 23}, {2006, 7, 4}, 0.25437515364418506, 0.4118630028074812},
    {"T40", Sex::male, Ogrs3Offence::drug_possession_supply, 1, {1987, 3, 26}, {2005, 2, 18}, {2003, 6, 8}, 0.20477060230584032, 0.3457899448692036},
    {"T42", Sex::male, Ogrs3Offence::other_motoring, 8, {1980, 10, 28}, {2011, 5, 20}, {2001, 2, 28}, 0.35874317448705123, 0.5345249706644734},
    {"T43", Sex::male, Ogrs3Offence::burglary_domestic, 2, {1981, 12, 4}, {2013, 2, 18}, {2000, 9, 5}, 0.10596010847084633, 0.19567561116153695},
    {"T44", Sex::male, Ogrs3Offence::drug_possession_supply, 3, {1987, 1, 6}, {2012, 12, 19}, {2005, 9, 23}, 0.26227762694729645, 0.4218897223105362},
    {"T45", Sex::male, Ogrs3Offence::theft_from_vehicles, 1, {1992, 7, 7}, {2013, 1, 3}, {2012, 5, 13}, 0.3857755076517994, 0.563170243759646},
    {"T46", Sex::male, Ogrs3Offence::drink_driving, 0, {1968, 1, 6}, {2006, 8, 18}, {2006, 8, 18}, 0.06981214456614478, 0.13349136489554664},
    {"T47", Sex::male, Ogrs3Offence::robbery, 9, {1993, 5, 26}, {2012, 5, 11}, {2006, 10, 17}, 0.5245897292718316, 0.6937227449920216},
    {"T48", Sex::male, Ogrs3Offence::handling_stolen_goods, 0, {1977, 2, 8}, {2011, 4, 8}, {2011, 4, 8}, 0.08562253104377118, 0.16122363050421556},
    {"T49", Sex::male, Ogrs3Offence::criminal_damage, 16, {1984, 1, 28}, {2012, 3, 22}, {1997, 5, 5}, 0.603816917285646, 0.757778383375877},
    {"T50", Sex::male, Ogrs3Offence::robbery, 1, {1993, 4, 15}, {2011, 10, 17}, {2010, 3, 8}, 0.16301165292455258, 0.28560114942783205},
    {"T51", Sex::male, Ogrs3Offence::handling_stolen_goods, 16, {1969, 12, 7}, {2012, 3, 12}, {1986, 10, 15}, 0.4449924284879486, 0.6220406526385966},
    {"T52", Sex::female, Ogrs3Offence::drug_possession_supply, 7, {1961, 11, 3}, {2012, 10, 29}, {1988, 10, 12}, 0.08969849729107139, 0.16823634076523758},
    {"T53", Sex::male, Ogrs3Offence::drug_possession_supply, 1, {1986, 6, 16}, {2012, 11, 5}, {2008, 6, 30}, 0.15996828997363058, 0.28103757051186684},
    {"T54", Sex::male, Ogrs3Offence::drug_import_export_production, 10, {1992, 5, 19}, {2013, 1, 17}, {2011, 7, 14}, 0.6094414969045171, 0.76207844516655},
    {"T55", Sex::male, Ogrs3Offence::drug_possession_supply, 1, {1966, 9, 4}, {2013, 1, 23}, {2007, 1, 5}, 0.10353587632305758, 0.1916387754970412},
    {"T56", Sex::male, Ogrs3Offence::criminal_damage, 10, {1977, 1, 11}, {2012, 11, 12}, {2001, 7, 26}, 0.4734072805558737, 0.6485500685418208},
    {"T57", Sex::male, Ogrs3Offence::drug_possession_supply, 18, {1980, 2, 21}, {2013, 2, 28}, {1994, 8, 17}, 0.5219279110707659, 0.6914509171829906},
    {"T58", Sex::male, Ogrs3Offence::sexual_against_child, 20, {1989, 10, 21}, {2012, 10, 15}, {2000, 8, 5}, 0.525596032647551, 0.6945794769832949},
    {"T59", Sex::male, Ogrs3Offence::public_order, 12, {1985, 10, 18}, {2011, 8, 26}, {2000, 4, 27}, 0.5697566227918439, 0.7310588822003964},
    {"T60", Sex::male, Ogrs3Offence::burglary_other, 16, {1952, 8, 27}, {2005, 12, 16}, {1983, 9, 1}, 0.32951127823123005, 0.5021867344888108},
    {"T61", Sex::male, Ogrs3Offence::burglary_other, 19, {1986, 11, 3}, {2013, 1, 11}, {2000, 5, 16}, 0.6823712749532584, 0.8151509893290904},
    {"T62", Sex::male, Ogrs3Offence::public_order, 6, {1989, 7, 3}, {2013, 3, 4}, {2005, 2, 2}, 0.45373002761388803, 0.6303065999236923},
    {"T63", Sex::male, Ogrs3Offence::drug_possession_supply, 7, {1989, 11, 25}, {2012, 12, 20}, {2006, 3, 11}, 0.4870563020443212, 0.6609110796169562},
    {"T64", Sex::male, Ogrs3Offence::drug_possession_supply, 3, {1980, 4, 8}, {2008, 3, 5}, {1999, 1, 26}, 0.2087265880677763, 0.3512668971713335},
    {"T65", Sex::male, Ogrs3Offence::robbery, 8, {1993, 2, 10}, {2012, 10, 19}, {2009, 4, 7}, 0.5363498014969627, 0.7036624251943661},
    {"T66", Sex::male, Ogrs3Offence::drug_possession_supply, 24, {1973, 2, 13}, {2007, 3, 23}, {1987, 4, 22}, 0.5535422063301556, 0.7179137230120555},
    {"T67", Sex::male, Ogrs3Offence::robbery, 6, {1993, 1, 8}, {2013, 2, 21}, {2003, 11, 26}, 0.33010006895982574, 0.5028526683449324},
    {"T68", Sex::male, Ogrs3Offence::absconding_or_bail, 2, {1990, 4, 26}, {2012, 11, 12}, {2012, 10, 25}, 0.5102907856972122, 0.6814215229165586},
    {"T69", Sex::male, Ogrs3Offence::drug_possession_supply, 16, {1978, 8, 24}, {2010, 11, 18}, {1994, 1, 10}, 0.5095025774218404, 0.6807364264123678},
    {"T70", Sex::male, Ogrs3Offence::burglary_other, 0, {1980, 8, 1}, {2012, 10, 26}, {2012, 10, 26}, 0.08035834267459284, 0.1520844762570831},
    {"T71", Sex::male, Ogrs3Offence::drink_driving, 0, {1937, 11, 10}, {2009, 11, 9}, {2009, 11, 9}, 0.04248667743123184, 0.08347778278860565},
    {"T72", Sex::female, Ogrs3Offence::taking_and_driving_away, 0, {1986, 5, 15}, {2012, 10, 1}, {2012, 10, 1}, 0.11662002555146135, 0.21320876701743496},
    {"T73", Sex::male, Ogrs3Offence::drink_driving, 0, {1932, 9, 7}, {2012, 1, 6}, {2012, 1, 6}, 0.04248667743123184, 0.08347778278860565},
    {"T74", Sex::male, Ogrs3Offence::drug_import_export_production, 7, {1991, 12, 14}, {2012, 1, 23}, {2004, 11, 14}, 0.2697244795946517, 0.431219439146029},
    {"T75", Sex::male, Ogrs3Offence::theft_from_vehicles, 6, {1978, 1, 29}, {2012, 6, 14}, {1995, 3, 1}, 0.3177521174152599, 0.4887573482493261},
    {"T76", Sex::male, Ogrs3Offence::burglary_other, 0, {1982, 12, 6}, {2011, 8, 9}, {2011, 8, 9}, 0.08035834267459284, 0.1520844762570831},
    {"T77", Sex::male, Ogrs3Offence::sexual_against_child, 0, {1992, 11, 3}, {2012, 6, 14}, {2012, 6, 14}, 0.06719146472453193, 0.1288112565591109},
    {"T78", Sex::male, Ogrs3Offence::burglary_other, 6, {1989, 7, 28}, {2012, 6, 11}, {2004, 9, 30}, 0.48615049451139464, 0.6600980290941375},
    {"T79", Sex::male, Ogrs3Offence::public_order, 8, {1981, 1, 10}, {2011, 7, 29}, {2001, 12, 5}, 0.431075149584633, 0.6086586435841624},
    {"T80", Sex::male, Ogrs3Offence::other_motoring, 17, {1969, 6, 9}, {2009, 12, 10}, {1982, 3, 18}, 0.333952237321502, 0.5071944761731239},
    {"T81", Sex::male, Ogrs3Offence::absconding_or_bail, 1, {1973, 9, 24}, {2012, 11, 26}, {2011, 11, 14}, 0.2886614100658653, 0.45443902545942627},
    {"T82", Sex::male, Ogrs3Offence::other_motoring, 6, {1960, 12, 24}, {2012, 5, 22}, {1997, 2, 11}, 0.13311254458721405, 0.23965518106459777},
    {"T83", Sex::male, Ogrs3Offence::public_order, 15, {1993, 7, 5}, {2012, 6, 12}, {2007, 3, 8}, 0.8180490653004342, 0.9022367792234389},
    {"T90", Sex::male, Ogrs3Offence::violence, 18, {1988, 5, 31}, {2012, 6, 13}, {2001, 11, 2}, 0.6657206785084535, 0.8034560696593694},
    {"T98", Sex::male, Ogrs3Offence::drug_possession_supply, 38, {1962, 6, 15}, {2011, 2, 28}, {1978, 7, 12}, 0.4563144955269979, 0.6327318747648821},
    {"T99", Sex::male, Ogrs3Offence::other_offence, 6, {1965, 7, 1}, {2013, 1, 14}, {1983, 10, 11}, 0.13661085387545113, 0.24516165274910573},
    {"T104", Sex::male, Ogrs3Offence::fraud_and_forgery, 21, {1973, 7, 17}, {2012, 3, 30}, {1988, 12, 9}, 0.5374800915330239, 0.7046094737959936},
    {"T114", Sex::female, Ogrs3Offence::taking_and_driving_away, 19, {1993, 11, 28}, {2012, 5, 5}, {2006, 7, 28}, 0.8358109617623717, 0.9126578045976805},
    {"T119", Sex::female, Ogrs3Offence::fraud_and_forgery, 11, {1973, 7, 2}, {2012, 10, 24}, {1988, 11, 3}, 0.3319612372872255, 0.5049536631833832},
    {"T130", Sex::male, Ogrs3Offence::drug_possession_supply, 1, {1946, 8, 28}, {1993, 11, 1}, {1978, 3, 13}, 0.03586251510798823, 0.0709361027183699},
    {"T133", Sex::female, Ogrs3Offence::other_offence, 16, {1973, 6, 2}, {2012, 4, 4}, {2001, 11, 14}, 0.5448172182015733, 0.7107222888946023},
    {"T141", Sex::female, Ogrs3Offence::sexual_against_child, 32, {1983, 5, 20}, {2012, 11, 12}, {1999, 8, 27}, 0.6481884769946329, 0.7908785481717523},
    {"T150", Sex::male, Ogrs3Offence::sexual_not_against_child, 25, {1960, 12, 22}, {2011, 8, 18}, {1971, 3, 1}, 0.27398379841727394, 0.43650464785414256},
    {"T159", Sex::female, Ogrs3Offence::soliciting_or_prostitution, 0, {1971, 10, 5}, {2013, 2, 18}, {2013, 2, 18}, 0.10753610443598224, 0.19829003522285144},
    {"T162", Sex::female, Ogrs3Offence::drug_possession_supply, 1, {1985, 2, 15}, {2001, 10, 29}, {1999, 8, 26}, 0.2055924403707743, 0.3469308428474336},
    {"T171", Sex::female, Ogrs3Offence::soliciting_or_prostitution, 1, {1981, 9, 26}, {2012, 9, 21}, {2012, 9, 9}, 0.3736707637325981, 0.5504879049266591},
    {"T188", Sex::female, Ogrs3Offence::other_offence, 0, {1965, 10, 1}, {2013, 3, 4}, {2013, 3, 4}, 0.050333701460501284, 0.09811980105508725},
    {"T213", Sex::male, Ogrs3Offence::soliciting_or_prostitution, 19, {1988, 12, 18}, {2013, 2, 21}, {2004, 10, 11}, 0.8373842871948712, 0.9135708995835914},
    {"T214", Sex::male, Ogrs3Offence::theft_non_motor, 27, {1981, 11, 5}, {2012, 10, 10}, {1995, 7, 12}, 0.776674915782673, 0.8771309007853261},
    {"T224", Sex::female, Ogrs3Offence::soliciting_or_prostitution, 2, {1967, 11, 29}, {2012, 4, 3}, {1983, 11, 9}, 0.10837105065169358, 0.19967197448324636},
    {"T227", Sex::male, Ogrs3Offence::sexual_not_against_child, 11, {1982, 7, 3}, {2013, 3, 20}, {1997, 3, 11}, 0.3954567387064289, 0.5731491827272845},
    {"T229", Sex::male, Ogrs3Offence::fraud_and_forgery, 0, {1993, 6, 2}, {2012, 11, 16}, {2012, 11, 16}, 0.13975702776743765, 0.2500836542748286},
    {"T234", Sex::male, Ogrs3Offence::violence, 2, {1992, 1, 17}, {2012, 9, 13}, {2011, 1, 18}, 0.30758061204793835, 0.47693854293624377},
};
// clang-format on

Ogrs3Input input_for(const PublishedCase& c) {
  Ogrs3Input in{c.sex,
                completed_years(c.birth, c.conviction),
                c.offence,
                c.previous_sanctions,
                completed_years(c.birth, c.first_sanction),
                completed_years(c.birth, assessment_date)};
  return in;
}

Ogrs3Input adult_male(Ogrs3Offence offence = Ogrs3Offence::violence, int previous = 3) {
  return Ogrs3Input{Sex::male, 30.0, offence, previous, 18.0};
}

}  // namespace

// The published outputs are printed to full double precision (shortest
// round-trip form), so any disagreement can only come from libm exp/log and
// summation rounding, a few units of 1e-16. 1e-12 leaves ample room for that
// and is still far below the 1e-6 a single rounded coefficient would cause.
constexpr double exact_tolerance = 1e-12;

TEST_CASE("ogrs3 reproduces the MoJ calculator's published sample cases", "[ogrs3]") {
  for (const PublishedCase& c : published_cases) {
    INFO("case " << c.id);
    const Ogrs3Score s = desist::ogrs3(input_for(c));
    CHECK(s.one_year == Approx(c.one_year).margin(exact_tolerance).epsilon(0));
    CHECK(s.two_year == Approx(c.two_year).margin(exact_tolerance).epsilon(0));
  }
}

TEST_CASE("published sample cases cover every offence category", "[ogrs3]") {
  bool seen[desist::ogrs3_offence_count] = {};
  for (const PublishedCase& c : published_cases) seen[static_cast<int>(c.offence)] = true;
  for (int i = 0; i < desist::ogrs3_offence_count; ++i) {
    INFO("category " << i);
    CHECK(seen[i]);
  }
}

TEST_CASE("ogrs3 reproduces the MoJ calculator's 1st..5th sanction cases", "[ogrs3]") {
  // NOMS-DIGITAL-STUDIO/rsr-calculator, test/OGRS3.spec.js: male, violence,
  // born 1997-02-01, convicted, first sanctioned and assessed 2017-02-01
  // (age 20 throughout), allSanctions = 0..4.
  const double expected[5][2] = {{0.12161553504714574, 0.22130521140511314},
                                 {0.3158120100020924, 0.48651769565917},
                                 {0.43393890261473633, 0.6114342480551298},
                                 {0.5235145926731711, 0.6928061177628605},
                                 {0.5922581047904114, 0.7488430658491833}};
  for (int previous = 0; previous < 5; ++previous) {
    INFO("previous sanctions " << previous);
    const Ogrs3Score s =
        desist::ogrs3(Ogrs3Input{Sex::male, 20.0, Ogrs3Offence::violence, previous, 20.0});
    CHECK(s.one_year == Approx(expected[previous][0]).margin(exact_tolerance).epsilon(0));
    CHECK(s.two_year == Approx(expected[previous][1]).margin(exact_tolerance).epsilon(0));
  }
}

TEST_CASE("ogrs3 agrees with the hmpps-arns-risk-actuarial-api worked cases", "[ogrs3]") {
  // ministryofjustice/hmpps-arns-risk-actuarial-api,
  // src/test/kotlin/.../service/OGRS3RiskProducerServiceTest.kt, "ACT-62"
  // scenarios. That service reports whole percentages (rounded half up) and
  // takes the TOTAL number of sanctions including the current one (2 here,
  // so 1 previous). Its offence weightings 0.7606 and 0.1599 are
  // soliciting_or_prostitution and fraud_and_forgery.
  const auto percent = [](double p) { return static_cast<int>(std::floor(100.0 * p + 0.5)); };

  // Scenario 1: born 1965-12-07, convicted 2025-05-13 (59), follow-up from
  // 2026-12-06 (60: band 50+ either way), first sanction at 47.
  const Ogrs3Score s1 = desist::ogrs3(
      Ogrs3Input{Sex::male, 59.0, Ogrs3Offence::soliciting_or_prostitution, 1, 47.0, 60.0});
  CHECK(percent(s1.one_year) == 8);
  CHECK(percent(s1.two_year) == 16);

  // Scenario 2: born 1991-07-17, convicted 2021-08-05 (30), follow-up from
  // 2021-12-12 (30), first sanction at 21.
  const Ogrs3Score s2 =
      desist::ogrs3(Ogrs3Input{Sex::male, 30.0, Ogrs3Offence::fraud_and_forgery, 1, 21.0, 30.0});
  CHECK(percent(s2.one_year) == 11);
  CHECK(percent(s2.two_year) == 20);
}

TEST_CASE("ogrs3_from_linear_score agrees with the hmpps-arns-risk-actuarial-api helper tests",
          "[ogrs3]") {
  // ministryofjustice/hmpps-arns-risk-actuarial-api,
  // src/test/kotlin/.../service/transformation/OGRS3TransformationHelperTest.kt
  // (getOgrs3OneYear / getOgrs3TwoYear; -2.776835807 "matches OASys
  // spreadsheet"). Those outputs are rounded to 5 decimals (error <= 5e-6)
  // and use intercepts rounded to 1.40256 / 2.1217 (error <= 0.25 * 5.7e-6),
  // hence 1e-5.
  constexpr double tol = 1e-5;
  const Ogrs3Score zero = desist::ogrs3_from_linear_score(0.0);
  CHECK(zero.one_year == Approx(0.80259).margin(tol).epsilon(0));
  CHECK(zero.two_year == Approx(0.89299).margin(tol).epsilon(0));
  CHECK(desist::ogrs3_from_linear_score(1.0).one_year == Approx(0.91702).margin(tol).epsilon(0));
  const Ogrs3Score oasys = desist::ogrs3_from_linear_score(-2.776835807);
  CHECK(oasys.one_year == Approx(0.20193).margin(tol).epsilon(0));
  CHECK(oasys.two_year == Approx(0.34183).margin(tol).epsilon(0));
}

TEST_CASE("coefficients agree with the rounded hmpps-arns-risk-actuarial-api ones", "[ogrs3]") {
  // OGRS3TransformationHelper.kt prints the same coefficients to 4 decimals
  // (or 5 significant figures), so each must agree within 5e-5. Its female
  // 10-11, 12-13 and 14-15 values (+0.785, +0.61385, +0.66952) differ in sign
  // from the calculator's and are deliberately not compared.
  constexpr double tol = 5e-5;
  CHECK(coef::intercept_one_year == Approx(1.40256).margin(tol).epsilon(0));
  CHECK(coef::intercept_two_year == Approx(2.1217).margin(tol).epsilon(0));
  CHECK(coef::copas == Approx(1.25112).margin(tol).epsilon(0));
  CHECK(coef::repeat_sanction == Approx(0.46306).margin(tol).epsilon(0));
  CHECK(coef::first_sanction == Approx(0.12614).margin(tol).epsilon(0));
  const double male[11] = {0.0,     0.08392, 0.07578, -0.0616, -0.6251, -1.0515,
                           -1.1667, -1.326,  -1.368,  -1.4997, -2.0253};
  for (std::size_t i = 0; i < 11; ++i)
    CHECK(coef::male_age_band[i] == Approx(male[i]).margin(tol).epsilon(0));
  const double female_16_plus[8] = {-0.9592, -0.8975, -1.0285, -1.0528,
                                    -1.1291, -1.4219, -1.5247, -2.4498};
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(coef::female_age_band[i + 3] == Approx(female_16_plus[i]).margin(tol).epsilon(0));
  }
  CHECK(coef::offence[static_cast<int>(Ogrs3Offence::soliciting_or_prostitution)] ==
        Approx(0.7606).margin(tol).epsilon(0));
  CHECK(coef::offence[static_cast<int>(Ogrs3Offence::fraud_and_forgery)] ==
        Approx(0.1599).margin(tol).epsilon(0));
}

TEST_CASE("ogrs3 age bands follow completed years at assessment", "[ogrs3]") {
  const int lower[11] = {10, 12, 14, 16, 18, 21, 25, 30, 35, 40, 50};
  for (Sex sex : {Sex::male, Sex::female}) {
    const auto& table = sex == Sex::male ? coef::male_age_band : coef::female_age_band;
    for (std::size_t band = 0; band < 11; ++band) {
      INFO("sex " << desist::to_string(sex) << " band " << band);
      // First sanction now, at the band's lower age: Copas rate ln(1/10).
      const double age = lower[band];
      Ogrs3Input in{sex, age, Ogrs3Offence::violence, 0, age};
      const double base = coef::first_sanction + coef::copas * std::log(0.1);
      CHECK(desist::ogrs3_linear_score(in) == Approx(table[band] + base).margin(1e-15).epsilon(0));
      in.age_at_assessment_years = age + 0.999;  // still the same completed year
      CHECK(desist::ogrs3_linear_score(in) == Approx(table[band] + base).margin(1e-15).epsilon(0));
      if (band > 0) {
        in.age_at_assessment_years = age - 0.001;  // previous completed year: previous band
        in.age_years = age - 0.001;
        in.age_at_first_sanction_years = age - 0.001;
        CHECK(desist::ogrs3_linear_score(in) ==
              Approx(table[band - 1] + base).margin(1e-15).epsilon(0));
      }
    }
  }
  // 50 and over all share the last band.
  const Ogrs3Input old{Sex::male, 97.5, Ogrs3Offence::violence, 0, 97.5};
  CHECK(desist::ogrs3_linear_score(old) ==
        Approx(coef::male_age_band[10] + coef::first_sanction + coef::copas * std::log(0.1))
            .margin(1e-15)
            .epsilon(0));
}

TEST_CASE("assessment age defaults to the age at conviction", "[ogrs3]") {
  Ogrs3Input in{Sex::female, 23.4, Ogrs3Offence::drug_possession_supply, 4, 15.2};
  const Ogrs3Score implicit = desist::ogrs3(in);
  in.age_at_assessment_years = 23.4;
  const Ogrs3Score explicit_age = desist::ogrs3(in);
  CHECK(implicit.one_year == explicit_age.one_year);
  CHECK(implicit.two_year == explicit_age.two_year);
  in.age_at_assessment_years = 25.0;  // next band (25-29) for the age term only
  CHECK(desist::ogrs3(in).one_year != implicit.one_year);
}

TEST_CASE("more previous sanctions give a higher score, up to the cap of 50", "[ogrs3]") {
  for (int offence = 0; offence < desist::ogrs3_offence_count; ++offence) {
    for (Sex sex : {Sex::male, Sex::female}) {
      INFO("offence " << offence << " sex " << desist::to_string(sex));
      Ogrs3Input in{sex, 35.0, static_cast<Ogrs3Offence>(offence), 0, 14.0};
      Ogrs3Score prev = desist::ogrs3(in);
      for (int n = 1; n <= coef::max_previous_sanctions; ++n) {
        in.previous_sanctions = n;
        const Ogrs3Score s = desist::ogrs3(in);
        CHECK(s.one_year > prev.one_year);
        CHECK(s.two_year > prev.two_year);
        prev = s;
      }
      in.previous_sanctions = 500;  // beyond the cap: same as 50
      const Ogrs3Score capped = desist::ogrs3(in);
      CHECK(capped.one_year == prev.one_year);
      CHECK(capped.two_year == prev.two_year);
    }
  }
}

TEST_CASE("ogrs3 probabilities lie in (0,1) with one_year < two_year", "[ogrs3]") {
  const double ages[] = {10.0, 11.5, 13.0, 15.9, 17.0, 19.0, 22.0,
                         27.0, 31.0, 37.0, 45.0, 60.0, 120.0};
  const int previous[] = {0, 1, 2, 5, 10, 25, 50, 1000};
  for (Sex sex : {Sex::male, Sex::female}) {
    for (int offence = 0; offence < desist::ogrs3_offence_count; ++offence) {
      for (double age : ages) {
        for (double first : {10.0, age}) {
          for (int n : previous) {
            const Ogrs3Score s =
                desist::ogrs3(Ogrs3Input{sex, age, static_cast<Ogrs3Offence>(offence), n, first});
            CHECK(s.one_year > 0.0);
            CHECK(s.two_year < 1.0);
            CHECK(s.one_year < s.two_year);
          }
        }
      }
    }
  }
}

TEST_CASE("offence names round-trip", "[ogrs3]") {
  for (int i = 0; i < desist::ogrs3_offence_count; ++i) {
    const auto offence = static_cast<Ogrs3Offence>(i);
    const std::string_view name = desist::to_string(offence);
    INFO("category " << i << " " << std::string(name));
    CHECK_FALSE(name.empty());
    const auto parsed = desist::parse_ogrs3_offence(name);
    REQUIRE(parsed.has_value());
    CHECK(*parsed == offence);
  }
  CHECK(desist::to_string(Ogrs3Offence::violence) == "violence");
  CHECK(desist::to_string(Ogrs3Offence::other_offence) == "other_offence");
  CHECK(desist::parse_ogrs3_offence("taking_and_driving_away") ==
        Ogrs3Offence::taking_and_driving_away);
  CHECK_FALSE(desist::parse_ogrs3_offence("").has_value());
  CHECK_FALSE(desist::parse_ogrs3_offence("Violence").has_value());
  CHECK_FALSE(desist::parse_ogrs3_offence("violence ").has_value());
  CHECK_FALSE(desist::parse_ogrs3_offence("arson").has_value());
}

TEST_CASE("ogrs3 rejects out-of-range input", "[ogrs3]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();

  Ogrs3Input in = adult_male();
  REQUIRE_NOTHROW(desist::ogrs3(in));

  in = adult_male();
  in.age_years = 9.99;  // below the youngest band
  in.age_at_first_sanction_years = 9.99;
  CHECK_THROWS_AS(desist::ogrs3(in), std::invalid_argument);
  CHECK_THROWS_WITH(desist::ogrs3(in), Catch::Contains("minimum age"));

  in = adult_male();
  in.age_at_first_sanction_years = 31.0;  // after the current conviction
  CHECK_THROWS_AS(desist::ogrs3(in), std::invalid_argument);
  CHECK_THROWS_WITH(desist::ogrs3(in), Catch::Contains("first sanction"));

  in = adult_male();
  in.age_at_first_sanction_years = 30.7;  // same completed year as 30.0: allowed
  CHECK_NOTHROW(desist::ogrs3(in));

  in = adult_male();
  in.age_at_first_sanction_years = 8.0;
  CHECK_THROWS_AS(desist::ogrs3(in), std::invalid_argument);

  in = adult_male();
  in.previous_sanctions = -1;
  CHECK_THROWS_AS(desist::ogrs3(in), std::invalid_argument);
  CHECK_THROWS_WITH(desist::ogrs3(in), Catch::Contains("negative"));

  in = adult_male();
  in.age_at_assessment_years = 9.0;
  CHECK_THROWS_AS(desist::ogrs3(in), std::invalid_argument);

  for (double bad : {nan, inf, -inf, -5.0, 121.0}) {
    INFO("bad age " << bad);
    in = adult_male();
    in.age_years = bad;
    CHECK_THROWS_AS(desist::ogrs3(in), std::invalid_argument);
    in = adult_male();
    in.age_at_first_sanction_years = bad;
    CHECK_THROWS_AS(desist::ogrs3(in), std::invalid_argument);
    in = adult_male();
    in.age_at_assessment_years = bad;
    CHECK_THROWS_AS(desist::ogrs3(in), std::invalid_argument);
  }

  in = adult_male();
  in.offence = static_cast<Ogrs3Offence>(desist::ogrs3_offence_count);
  CHECK_THROWS_AS(desist::ogrs3(in), std::invalid_argument);
  CHECK_THROWS_AS(desist::to_string(in.offence), std::invalid_argument);

  CHECK_THROWS_AS(desist::ogrs3_from_linear_score(nan), std::invalid_argument);
}
