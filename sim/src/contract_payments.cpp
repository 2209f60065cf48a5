#include "desist/contract_payments.hpp"

#include <algorithm>

namespace desist {

namespace {

constexpr double max_days = 36525.0;  // a hundred years

bool contains(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// {points: x} or {relative: x}, in a map that may hold `other` keys too.
ImprovementLevel read_level(const YamlNode& n, std::vector<std::string> other) {
  other.insert(other.end(), {"points", "relative"});
  n.expect_keys(other);
  if (n.has("points") == n.has("relative"))
    throw n.error("give exactly one of points (percentage points) or relative (a fraction of the comparison)");
  if (auto points = n.optional("points")) return {ImprovementScale::points, points->number(Range::between(0.0, 100.0))};
  return {ImprovementScale::relative, n.required("relative").number(Range::probability())};
}

SignificanceTest read_significance(const YamlNode& n) {
  n.expect_keys({"level", "sided", "comparison_error"});
  SignificanceTest t;
  t.level = n.number_or("level", 0.05, Range{0.0, 0.5, true});
  if (auto sided = n.optional("sided")) t.two_sided = sided->choice({"one", "two"}) == "two";
  if (auto error = n.optional("comparison_error"))
    t.include_comparison_error = error->choice({"included", "excluded"}) == "included";
  return t;
}

// Each key of `n` must belong to the price's form (`per`, `fixed` or `bands`).
void expect_price_keys(const YamlNode& n, const std::string& form, const std::vector<std::string>& keys) {
  for (const auto& [key, value] : n.entries())
    if (!contains(keys, key)) throw value.error("'" + key + "' does not go with a price given by " + form);
}

std::vector<Band> read_bands(const YamlNode& n, ImprovementScale& scale) {
  std::vector<Band> bands;
  for (const YamlNode& item : n.items()) {
    const ImprovementLevel at = read_level(item, {"amount"});
    if (bands.empty()) scale = at.scale;
    if (at.scale != scale) throw item.error("every band must be on the scale of the first (points or relative)");
    if (!bands.empty() && !(at.value > bands.back().at)) throw item.error("bands must increase strictly");
    bands.push_back({at.value, item.required("amount").number(Range::non_negative())});
  }
  if (bands.empty()) throw n.error("give at least one band");
  return bands;
}

Price read_price(const YamlNode& n, const std::optional<ImprovementLevel>& threshold) {
  n.expect_keys({"per", "amount", "on", "fixed", "bands"});
  const int forms = static_cast<int>(n.has("per")) + static_cast<int>(n.has("fixed")) + static_cast<int>(n.has("bands"));
  if (forms != 1) throw n.error("give exactly one of per (with amount), fixed or bands");
  Price p;
  if (auto fixed = n.optional("fixed")) {
    expect_price_keys(n, "fixed", {"fixed"});
    p.form = Price::Form::fixed;
    p.amount = fixed->number(Range::non_negative());
  } else if (auto bands = n.optional("bands")) {
    expect_price_keys(n, "bands", {"bands"});
    p.form = Price::Form::bands;
    p.bands = read_bands(*bands, p.band_scale);
  } else {
    p.form = Price::Form::per_unit;
    const std::string per = n.required("per").choice(
        {"event_avoided", "reoffender_avoided", "pound_avoided", "percentage_point", "percent"});
    p.unit = per == "percentage_point" ? PriceUnit::percentage_point
             : per == "percent"        ? PriceUnit::percent
                                       : PriceUnit::avoided;
    p.amount = n.required("amount").number(Range::non_negative());
    if (auto on = n.optional("on")) {
      p.above_threshold_only = on->choice({"whole_improvement", "above_threshold"}) == "above_threshold";
      if (p.above_threshold_only && !threshold) throw on->error("above_threshold needs the component's threshold");
    }
  }
  return p;
}

// The index of an earlier component named by `n`.
std::size_t earlier_component(const YamlNode& n, const std::vector<PaymentComponent>& earlier) {
  const std::string name = n.text();
  std::vector<std::string> names;
  for (std::size_t k = 0; k < earlier.size(); ++k) {
    if (earlier[k].name == name) return k;
    names.push_back(earlier[k].name);
  }
  throw n.error("'" + name + "' is not a component listed before this one; " + suggestion(name, names));
}

void read_early_payments(const YamlNode& n, const std::vector<PaymentComponent>& earlier, PaymentComponent& c) {
  n.expect_keys({"component", "paid_cohorts"});
  const YamlNode named = n.required("component");
  const std::size_t k = earlier_component(named, earlier);
  const PaymentComponent& early = earlier[k];
  if (early.assessed != Assessed::per_cohort) throw named.error("'" + early.name + "' must be assessed per_cohort");
  if (early.measure != c.measure)
    throw named.error("'" + early.name + "' judges '" + early.measure + "', not '" + c.measure + "'");
  if (early.deduction != c.deduction) throw named.error("'" + early.name + "' must be of the same kind (payment or deduction)");
  c.early_component = k;
  c.paid_cohorts =
      n.required("paid_cohorts").choice({"net_off", "exclude"}) == "exclude" ? PaidCohorts::exclude : PaidCohorts::net_off;
}

PaymentComponent read_component(const YamlNode& n, const std::vector<PaymentComponent>& earlier,
                                const std::vector<std::string>& measures) {
  n.expect_keys({"name", "measure", "assessed", "kind", "threshold", "significance", "requires", "price",
                 "cap_per_cohort", "early_payments"});
  PaymentComponent c;
  const YamlNode name = n.required("name");
  c.name = name.text();
  for (const PaymentComponent& e : earlier)
    if (e.name == c.name) throw name.error("a component named '" + c.name + "' is already defined");
  const YamlNode measure = n.required("measure");
  c.measure = measure.text();
  if (!contains(measures, c.measure))
    throw measure.error("unknown measure '" + c.measure + "'; " + suggestion(c.measure, measures));
  if (auto assessed = n.optional("assessed"))
    c.assessed = assessed->choice({"per_cohort", "pooled"}) == "pooled" ? Assessed::pooled : Assessed::per_cohort;
  if (auto kind = n.optional("kind")) c.deduction = kind->choice({"payment", "deduction"}) == "deduction";
  if (auto threshold = n.optional("threshold")) c.threshold = read_level(*threshold, {});
  if (auto significance = n.optional("significance")) c.significance = read_significance(*significance);
  if (auto hurdle = n.optional("requires")) {
    c.hurdle = earlier_component(*hurdle, earlier);
    if (earlier[*c.hurdle].assessed != c.assessed)
      throw hurdle->error("'" + earlier[*c.hurdle].name + "' is assessed " +
                          (c.assessed == Assessed::pooled ? "per cohort" : "pooled") +
                          ", so it cannot be a hurdle for this component");
  }
  c.price = read_price(n.required("price"), c.threshold);
  c.cap_per_cohort = n.number_or("cap_per_cohort", c.cap_per_cohort, Range::non_negative());
  if (auto early = n.optional("early_payments")) {
    if (c.assessed != Assessed::pooled) throw early->error("only a pooled component has early_payments");
    read_early_payments(*early, earlier, c);
  }
  return c;
}

Advance read_advance(const YamlNode& n) {
  n.expect_keys({"amount", "day", "unrecovered"});
  Advance a;
  a.amount = n.required("amount").number(Range::non_negative());
  a.day = n.number_or("day", 0.0, Range::between(0.0, max_days));
  a.repay_unrecovered = n.required("unrecovered").choice({"kept", "repaid"}) == "repaid";
  return a;
}

ServiceFees read_fees(const YamlNode& n) {
  n.expect_keys({"per_cohort", "evenly"});
  ServiceFees f;
  f.per_cohort = n.number_or("per_cohort", 0.0, Range::non_negative());
  if (auto evenly = n.optional("evenly")) {
    evenly->expect_keys({"total", "from_day", "to_day", "instalments"});
    f.evenly_total = evenly->required("total").number(Range::non_negative());
    f.from_day = evenly->number_or("from_day", 0.0, Range::between(0.0, max_days));
    f.to_day = evenly->required("to_day").number(Range{f.from_day, max_days, true});
    f.instalments = static_cast<int>(evenly->required("instalments").integer(1, 100000));
  }
  return f;
}

}  // namespace

PaymentTerms read_payment_terms(const YamlNode& payments, const std::optional<YamlNode>& fees,
                                const std::optional<YamlNode>& timing, const std::vector<std::string>& measures) {
  PaymentTerms terms;
  payments.expect_keys({"components", "cap", "advance"});
  const YamlNode components = payments.required("components");
  for (const YamlNode& item : components.items()) terms.components.push_back(read_component(item, terms.components, measures));
  if (terms.components.empty()) throw components.error("give at least one component");
  terms.cap = payments.number_or("cap", terms.cap, Range::non_negative());
  if (auto advance = payments.optional("advance")) terms.advance = read_advance(*advance);
  if (fees) terms.fees = read_fees(*fees);
  if (timing) {
    timing->expect_keys({"reporting_lag_days", "discount_rate"});
    terms.reporting_lag_days = timing->number_or("reporting_lag_days", 0.0, Range::between(0.0, max_days));
    terms.discount_rate = timing->number_or("discount_rate", terms.discount_rate, Range::between(0.0, 0.5));
  }
  return terms;
}

}  // namespace desist
