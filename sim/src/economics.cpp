#include "desist/economics.hpp"

#include "desist/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "desist/history.hpp"

namespace desist {

bool is_intervention_category(const std::string& category) {
  return category.rfind(intervention_category_prefix, 0) == 0;
}

int CostLedger::category_index(const std::string& name) const {
  const auto it = std::find(categories.begin(), categories.end(), name);
  return it == categories.end() ? -1 : static_cast<int>(it - categories.begin());
}

int CostLedger::agency_index(const std::string& name) const {
  const auto it = std::find(agencies.begin(), agencies.end(), name);
  return it == agencies.end() ? -1 : static_cast<int>(it - agencies.begin());
}

double discount_factor(double rate, int year) { return std::pow(1.0 + rate, -static_cast<double>(year)); }

double CostLedger::discounted_total(double rate, const Selection& selected) const {
  std::vector<double> factor(static_cast<std::size_t>(years));
  for (int y = 0; y < years; ++y) factor[static_cast<std::size_t>(y)] = discount_factor(rate, y);
  double total = 0.0;
  for (std::size_t c = 0; c < categories.size(); ++c)
    for (std::size_t a = 0; a < agencies.size(); ++a) {
      if (selected && !selected(c, a)) continue;
      for (int y = 0; y < years; ++y) total += at(c, a, y) * factor[static_cast<std::size_t>(y)];
    }
  return total;
}

namespace {

constexpr std::size_t block_size = 4096;

// The fixed categories, in ledger order; interventions follow.
enum Category : std::size_t { crime = 0, police, courts, cautions, prison, probation, first_intervention };

const std::vector<std::string>& fixed_categories() {
  static const std::vector<std::string> names{"crime", "police", "courts", "cautions", "prison", "probation"};
  return names;
}

// Calendar year of a calendar day, clamped to the ledger's years.
int year_of(double day, int years) {
  const double y = std::floor(day / days_per_year);
  if (!(y > 0.0)) return 0;
  if (y >= static_cast<double>(years - 1)) return years - 1;
  return static_cast<int>(y);
}

// Adds costs to one block's cells of a ledger of the given shape.
class Pricer {
 public:
  Pricer(const CostLedger& shape, std::vector<double>& cells) : shape_(shape), cells_(cells) {}

  // `cost` once, on calendar day `day`.
  void once(std::size_t category, const std::vector<Cost>& shares, double day) {
    for (const Cost& c : shares) once(category, c, day);
  }
  void spread(std::size_t category, const std::vector<Cost>& shares, double unit_days, double from, double to) {
    for (const Cost& c : shares) spread(category, c, unit_days, from, to);
  }
  void once(std::size_t category, const Cost& cost, double day) {
    if (cost.amount == 0.0) return;
    cells_[shape_.offset(category, static_cast<std::size_t>(cost.agency), year_of(day, shape_.years))] += cost.amount;
  }

  // `cost` for every `unit_days` days from calendar day `from` to `to`, split
  // by calendar year.
  void spread(std::size_t category, const Cost& cost, double unit_days, double from, double to) {
    if (cost.amount == 0.0 || !(to > from)) return;
    const int y0 = year_of(from, shape_.years), y1 = year_of(to, shape_.years);
    for (int y = y0; y <= y1; ++y) {
      const double lo = y == y0 ? from : y * days_per_year;
      const double hi = y == y1 ? to : (y + 1) * days_per_year;
      if (hi > lo)
        cells_[shape_.offset(category, static_cast<std::size_t>(cost.agency), y)] += cost.amount * (hi - lo) / unit_days;
    }
  }

 private:
  const CostLedger& shape_;
  std::vector<double>& cells_;
};

constexpr double weeks_days = 7.0;

void price_person(const Parameters& p, const Cohort& cohort, const EventLog& log, std::size_t i, Pricer& pricer,
                  std::vector<double>& started) {
  const EconomicsParameters& e = p.economics;
  const double offset = cohort.index_day[i];
  const auto offence = static_cast<std::size_t>(cohort.offence[i]);
  const Cost crime_cost = offence < e.crime_cost.size() ? e.crime_cost[offence] : Cost{};
  constexpr double not_started = -1.0;
  std::fill(started.begin(), started.end(), not_started);
  const Event* begin = log.begin(i);
  const Event* end = log.end(i);
  auto intervention = [&](const Event& ev) -> std::size_t {
    if (static_cast<std::size_t>(ev.detail) >= p.interventions.size())
      throw std::invalid_argument("the event log of person " + std::to_string(i) + " names intervention " +
                                  std::to_string(ev.detail) + " but the parameters have " +
                                  std::to_string(p.interventions.size()));
    return ev.detail;
  };
  for (const Event* ev = begin; ev != end; ++ev) {
    const double day = offset + ev->time;
    switch (ev->kind) {
      case EventKind::offence:
        pricer.once(crime, crime_cost, day);
        pricer.once(police, e.police_per_offence, day);
        break;
      case EventKind::court: pricer.once(courts, e.court_per_appearance, day); break;
      case EventKind::caution: pricer.once(cautions, e.caution_cost, day); break;
      case EventKind::referral: {
        const std::size_t k = intervention(*ev);
        const auto outcome = static_cast<ReferralOutcome>(ev->count);
        if (outcome == ReferralOutcome::queued || outcome == ReferralOutcome::offered)
          pricer.once(first_intervention + k, p.interventions[k].cost_per_referral, day);
        break;
      }
      case EventKind::intervention_start: {
        const std::size_t k = intervention(*ev);
        if (started[k] == not_started) started[k] = day;
        break;
      }
      case EventKind::intervention_end: {
        const std::size_t k = intervention(*ev);
        if (started[k] != not_started)
          pricer.spread(first_intervention + k, p.interventions[k].cost_per_week, weeks_days, started[k], day);
        started[k] = not_started;
        if (static_cast<InterventionEnd>(ev->count) == InterventionEnd::completed)
          pricer.once(first_intervention + k, p.interventions[k].cost_per_completion, day);
        break;
      }
      default: break;
    }
  }
  struct Visitor {
    Pricer& pricer;
    const EconomicsParameters& e;
    double offset;
    void custody(double from, double to) {
      pricer.spread(prison, e.prison_place_year, days_per_year, offset + from, offset + to);
    }
    void supervision(double from, double to) {
      pricer.spread(probation, e.probation_supervision_year, days_per_year, offset + from, offset + to);
    }
    void recall(double) {}
    void release(double) {}
  };
  const double death = walk_spells(begin, end, p.horizon_days, Visitor{pricer, e, offset});
  // A service still open (the log should close it) ends at death or the horizon.
  const double stop = offset + (std::isnan(death) ? p.horizon_days : death);
  for (std::size_t k = 0; k < started.size(); ++k)
    if (started[k] != not_started)
      pricer.spread(first_intervention + k, p.interventions[k].cost_per_week, weeks_days, started[k], stop);
}

void check_agency(const Cost& cost, const EconomicsParameters& e, const std::string& what);

void check_agency(const std::vector<Cost>& shares, const EconomicsParameters& e, const std::string& what) {
  for (const Cost& c : shares) check_agency(c, e, what);
}

void check_agency(const Cost& cost, const EconomicsParameters& e, const std::string& what) {
  if (cost.agency < 0 || static_cast<std::size_t>(cost.agency) >= e.agencies.size())
    throw std::invalid_argument(what + " is borne by agency " + std::to_string(cost.agency) + " but there are " +
                                std::to_string(e.agencies.size()) + " agencies");
}

}  // namespace

CostLedger cost_ledger(const Parameters& p, const Cohort& cohort, const EventLog& log) {
  const EconomicsParameters& e = p.economics;
  if (e.agencies.empty()) throw std::invalid_argument("economics: no agencies are defined");
  for (const Cost& c : e.crime_cost) check_agency(c, e, "crime_cost");
  check_agency(e.police_per_offence, e, "police_per_offence");
  check_agency(e.court_per_appearance, e, "court_per_appearance");
  check_agency(e.caution_cost, e, "caution_cost");
  check_agency(e.prison_place_year, e, "prison_place_year");
  check_agency(e.probation_supervision_year, e, "probation_supervision_year");
  for (const auto& iv : p.interventions) {
    check_agency(iv.cost_per_referral, e, iv.name + " cost_per_referral");
    check_agency(iv.cost_per_week, e, iv.name + " cost_per_week");
    check_agency(iv.cost_per_completion, e, iv.name + " cost_per_completion");
  }
  const std::size_t n = cohort.size();
  if (log.people() != n)
    throw std::invalid_argument("the event log has " + std::to_string(log.people()) + " people, the cohort " +
                                std::to_string(n));

  CostLedger ledger;
  ledger.categories = fixed_categories();
  for (const auto& iv : p.interventions) ledger.categories.push_back(intervention_category_prefix + iv.name);
  ledger.agencies = e.agencies;
  ledger.years = std::max(1, static_cast<int>(std::ceil((p.cohort.index_period_days + p.horizon_days) / days_per_year)));
  const std::size_t cells = ledger.categories.size() * ledger.agencies.size() * static_cast<std::size_t>(ledger.years);
  ledger.cost.assign(cells, 0.0);

  const std::size_t blocks = (n + block_size - 1) / block_size;
  std::vector<std::vector<double>> block_cells(blocks);
  parallel_loop(blocks, [&](std::size_t b) {
    block_cells[b].assign(cells, 0.0);
    Pricer pricer(ledger, block_cells[b]);
    std::vector<double> started(p.interventions.size());
    for (std::size_t i = b * block_size; i < std::min(n, (b + 1) * block_size); ++i)
      price_person(p, cohort, log, i, pricer, started);
  });
  // Sums in block order, so the ledger does not depend on the thread count.
  for (const auto& block : block_cells)
    for (std::size_t k = 0; k < cells; ++k) ledger.cost[k] += block[k];
  return ledger;
}

namespace {

// Where each name of a combined list sits in one ledger (-1: absent).
std::vector<int> positions(const std::vector<std::string>& names, const std::vector<std::string>& in) {
  std::vector<int> out;
  for (const auto& name : names) {
    const auto it = std::find(in.begin(), in.end(), name);
    out.push_back(it == in.end() ? -1 : static_cast<int>(it - in.begin()));
  }
  return out;
}

void append_missing(std::vector<std::string>& names, const std::vector<std::string>& more) {
  for (const auto& name : more)
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

// A ledger read through the combined categories and agencies.
struct LedgerView {
  const CostLedger& ledger;
  std::vector<int> category, agency;
  double at(std::size_t c, std::size_t a, int y) const {
    if (category[c] < 0 || agency[a] < 0 || y >= ledger.years) return 0.0;
    return ledger.at(static_cast<std::size_t>(category[c]), static_cast<std::size_t>(agency[a]), y);
  }
};

}  // namespace

EconomicComparison compare_economics(double discount_rate, const std::vector<CostLedger>& base,
                                     const std::vector<CostLedger>& option,
                                     const std::vector<double>& reoffences_averted) {
  const std::size_t replicates = base.size();
  if (replicates == 0) throw std::invalid_argument("compare_economics: no replicates");
  if (option.size() != replicates || reoffences_averted.size() != replicates)
    throw std::invalid_argument("compare_economics: " + std::to_string(base.size()) + " base ledgers, " +
                                std::to_string(option.size()) + " option ledgers and " +
                                std::to_string(reoffences_averted.size()) + " counts of reoffences averted");
  std::vector<std::string> categories, agencies;
  int years = 0;
  for (std::size_t r = 0; r < replicates; ++r) {
    append_missing(categories, base[r].categories);
    append_missing(agencies, base[r].agencies);
    years = std::max(years, base[r].years);
  }
  for (std::size_t r = 0; r < replicates; ++r) {
    append_missing(categories, option[r].categories);
    append_missing(agencies, option[r].agencies);
    years = std::max(years, option[r].years);
  }
  const std::size_t n_agencies = agencies.size();
  std::vector<double> factor(static_cast<std::size_t>(years));
  for (int y = 0; y < years; ++y) factor[static_cast<std::size_t>(y)] = discount_factor(discount_rate, y);

  EconomicComparison out;
  out.agencies = agencies;
  out.ledger_by_agency_year.assign(n_agencies, std::vector<double>(static_cast<std::size_t>(years), 0.0));
  std::vector<double> npv, bcr, per_averted, extra_cost, benefit;
  std::vector<std::vector<double>> by_agency(n_agencies);
  std::size_t positive = 0;
  for (std::size_t r = 0; r < replicates; ++r) {
    const LedgerView b{base[r], positions(categories, base[r].categories), positions(agencies, base[r].agencies)};
    const LedgerView o{option[r], positions(categories, option[r].categories), positions(agencies, option[r].agencies)};
    double savings = 0.0, intervention = 0.0;  // discounted
    for (std::size_t a = 0; a < n_agencies; ++a) {
      double agency_saving = 0.0;
      for (int y = 0; y < years; ++y) {
        double saving = 0.0;  // undiscounted, this agency and year
        for (std::size_t c = 0; c < categories.size(); ++c) {
          const double d = b.at(c, a, y) - o.at(c, a, y);
          saving += d;
          if (is_intervention_category(categories[c]))
            intervention -= d * factor[static_cast<std::size_t>(y)];
          else
            savings += d * factor[static_cast<std::size_t>(y)];
        }
        out.ledger_by_agency_year[a][static_cast<std::size_t>(y)] += saving;
        agency_saving += saving * factor[static_cast<std::size_t>(y)];
      }
      by_agency[a].push_back(agency_saving);
    }
    const double net = savings - intervention;
    npv.push_back(net);
    benefit.push_back(savings);
    extra_cost.push_back(intervention);
    if (net > 0.0) ++positive;
    if (intervention > 0.0) bcr.push_back(savings / intervention);
    if (reoffences_averted[r] > 0.0) per_averted.push_back(intervention / reoffences_averted[r]);
  }
  for (auto& row : out.ledger_by_agency_year)
    for (double& cell : row) cell /= static_cast<double>(replicates);
  out.net_present_value = estimate(npv);
  out.benefit_cost_ratio = estimate(bcr);
  out.cost_per_reoffence_averted = estimate(per_averted);
  out.probability_net_benefit_positive = static_cast<double>(positive) / static_cast<double>(replicates);
  for (const auto& values : by_agency) out.savings_by_agency.push_back(estimate(values));
  out.intervention_cost = estimate(extra_cost);
  out.benefits = estimate(benefit);
  return out;
}

}  // namespace desist
