"""Writes the notebooks of this folder from the cells below, without outputs.

The notebooks are stored without outputs or execution counts (as nbstripout
leaves them) and are executed by tests/python/test_notebooks.py. Edit the cells
here, then run

    .venv/bin/python notebooks/generate.py

and commit the .ipynb files it writes. Each notebook runs a reduced cohort with
fixed seeds, so it gives the same numbers every time and runs in seconds.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

# Every notebook starts by finding the project root (the folder holding
# scenarios/), wherever Jupyter was started from.
FIND_ROOT = '''\
from pathlib import Path

ROOT = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "scenarios" / "baseline.yaml").exists())
SCENARIOS = ROOT / "scenarios"'''


def md(text: str):
    return new_markdown_cell(text.strip("\n"))


def code(text: str):
    return new_code_cell(text.strip("\n"))


QUICKSTART = [
    md("""
# Quickstart: run a cohort and read the results

`desist` follows a cohort of people who have offended — released from prison,
starting a community order, cautioned or fined — through custody, release and
supervision, and counts their **proven reoffending** the way the Ministry of
Justice does (an offence in the 12 months after the index date, proven by a
court or a caution within a further 6 months).

This notebook:

1. loads the shipped scenario, the adult cohort of England and Wales in 2010/11;
2. runs it at a reduced size, several times over (*replicates*);
3. reads the headline measures and the reoffending rate by sentence group;
4. plots the time to first proven reoffence and the cohort's prison population.

It runs in a few seconds. The numbers come from a model whose inputs are
sourced where a source exists and marked as assumptions where not: every number
in `scenarios/baseline.yaml` says which.
"""),
    code(FIND_ROOT + '''

import matplotlib.pyplot as plt
import pandas as pd

import desist
import desist.plot

# Counts without decimals, rates with three places.
pd.options.display.float_format = lambda x: f"{x:,.0f}" if abs(x) >= 100 or x == 0 else f"{x:,.3f}"'''),
    md("""
## 1. Load the scenario

A **scenario** is a YAML file describing the cohort (sentence groups, ages,
criminal histories, needs such as housing or drug misuse), how offending,
courts, release, licence and recall work, and the unit costs. Any value can be
changed from Python with `.set("path.to.key", value)`, using the same key paths
as the file (reference: `docs/scenario.md`).

The national cohort is about 540,000 people. To keep this notebook quick we
simulate **20,000 people with the same mix**: rates and shares are the same as
for the full cohort (up to sampling noise), while counts (reoffences, people
in custody) are about 20,000 / 540,000 ≈ 1/27 of the national figures.
"""),
    code('''
scenario = desist.Scenario.load(SCENARIOS / "baseline.yaml")
scenario.set("cohort.size", 20000)
scenario.validate()  # stops here with a clear message if a value is out of range'''),
    md("""
## 2. Run it

A **replicate** is one simulation of the whole cohort with its own random
numbers. Running several and looking at how much they differ tells us how much
of a result is chance (Monte Carlo noise). The **seed** fixes the random
numbers: the same scenario and seed give exactly the same results, on any
number of threads.
"""),
    code('''
results = desist.run(scenario, replicates=5, seed=20101001, progress=False)
results.summary'''),
    md("""
The summary holds one row per headline measure: the **mean over the
replicates** and the **95% confidence interval** of that mean (how far the
mean could be from the model's long-run value because of chance alone), with
the standard deviation between replicates.

- `binary_rate`: the share of the cohort with at least one proven reoffence
  (the published figure for this cohort is 25.6%);
- `reoffences_per_offender` and `reoffences_per_reoffender`: the frequency
  measures (published: 2.90 reoffences per reoffender);
- `custody_days_per_offender`, `recalls_per_offender`: the cohort's use of
  prison after its index date.

The measures of each replicate are in `results.measures`:
"""),
    code('''
results.measures'''),
    md("""
## 3. Reoffending by sentence group

The cohort is made of **sentence groups**: people released from custodial
sentences of different lengths, people starting community or suspended
sentence orders, and people given other disposals (cautions, fines,
discharges). Their reoffending differs a great deal; the published rates the
baseline is tuned to are 58% after custody of under 12 months and 34% after
starting a court order.
"""),
    code('''
by_sentence = results.by_group("sentence")  # one row per replicate and sentence group
by_sentence.head(7)'''),
    md("""
Averaging over the replicates gives one row per group: how many people, the
share who reoffended, and how often those who reoffended did so.
"""),
    code('''
columns = ["people", "reoffenders", "binary_rate", "reoffences_per_reoffender", "custody_days_per_offender"]
by_sentence.groupby("category", observed=True)[columns].mean()'''),
    md("""
## 4. Time to first proven reoffence

The curve is the proportion of the cohort that has committed a proven
reoffence by each day after their index date (one minus a Kaplan–Meier
estimate, so people who die are counted as long as they were at risk), with its
95% band. It rises fastest in the first weeks after release or sentence — the
period resettlement services aim at.
"""),
    code('''
ax = desist.plot.survival(results)'''),
    md("""
## 5. The cohort in prison

Prison places are a cost and a capacity limit. This is the average number of
*this cohort* in custody in each month: the index dates spread over the first
twelve months, and people return to custody after new sentences and recalls,
so the population builds up and then declines as the cohort's sentences run
out. (It is not the whole prison population: people outside the cohort are not
simulated.) The shaded band is the 95% interval across the replicates.
"""),
    code('''
ax = desist.plot.custody_population(results)'''),
    md("""
## 6. A what-if in one line

The same people and random numbers can be run under another rule. Here the
**Offender Rehabilitation Act 2014**, which put people released from sentences
under 12 months under supervision for a year (with recall for breaches), is
switched on. Because both runs use the same seed, the difference between them
is the rule's doing rather than chance.
"""),
    code('''
ora = desist.Scenario.load(SCENARIOS / "baseline.yaml")
ora.set("cohort.size", 20000)
ora.set("release.ora_2014", True)
ora_results = desist.run(ora, replicates=5, seed=20101001, progress=False)

pd.DataFrame({
    "pre-2014 rules": results.summary["mean"],
    "ORA 2014": ora_results.summary["mean"],
}).loc[["binary_rate", "custody_days_per_offender", "recalls_per_offender"]]'''),
    md("""
In this model, supervising short-sentence prisoners after release changes
reoffending little but brings breaches, recalls and committals to custody:
compare the recalls and the custody days per person. A rule that looks like
rehabilitation can cost prison places.

## Where next

- `02_commissioning_options.ipynb` compares the six shipped commissioning
  options (housing, employment, ID documents, mentoring, drug treatment, IOM)
  with paired replicates, costs and savings by agency.
- `results.to_hdf5("run.h5")` saves everything (layout: `docs/output.md`);
  `desist.open("run.h5")` reads it back.
- `results.people()` is the table of individuals of the first replicate.
- For the national figures drop the `cohort.size` line (about a minute a
  replicate on two cores).
"""),
]


COMMISSIONING = [
    md("""
# Commissioning options: what does £500,000 a year buy?

**The question.** A local partnership — a police and crime commissioner's area
with its councils, probation and health partners — has up to **£500,000 a
year** to commission one resettlement service. Six are on the table. Which
does most for **reoffending**, for **prison places** and for **money**, and
**who saves** the money: the agency that pays, or someone else?

**How.** We simulate the area's cohort of people who have offended twice over
— once as things are (the *base*) and once with the service added (the
*option*) — for each option, and take the differences. Each comparison is
repeated with fresh random numbers (*replicates*) to show how much of a
difference is chance.

All effect sizes, costs and capacities come from the option files in
`scenarios/options/`; each number there says whether it has a source or is an
assumption. Treat the results as what follows from those assumptions, not as
evaluations of real services.

This notebook runs in well under a minute.
"""),
    code(FIND_ROOT + '''

import matplotlib.pyplot as plt
import pandas as pd

import desist
import desist.plot

# Pounds and counts (100 or more) without decimals, small figures with two places.
pd.options.display.float_format = lambda x: f"{x:,.0f}" if abs(x) >= 100 or x == 0 else f"{x:,.2f}"'''),
    md("""
## The options

| option | what | who pays | places | yearly cost at full occupancy |
|---|---|---|---|---|
| Through-the-gate housing (`housing_ttg`) | housing support worker, 6 weeks before to 10 weeks after release from a sentence under 12 months | council | 100 | about £391,000 |
| Employment support (`employment_support`) | employment adviser for 6 months, for those out of work | DWP | 150 | about £352,000 |
| ID documents fund (`id_documents_fund`) | birth certificate and provisional licence sorted before release | council | 100 | about £119,000 |
| Volunteer mentoring (`mentoring`) | a trained volunteer mentor for 6 months, aged 18–25 | HMPPS | 120 | about £219,000 |
| Drug treatment from release (`drug_treatment`) | community drug treatment from the day of release | NHS | 150 | about £430,000 |
| IOM wrap-around (`iom_wraparound`) | police, probation and council case management for a year, highest risk first | police, probation, council | 60 | about £470,000 |

Each fits the budget on its own. The full description of each is at the top of
its file and in `docs/interventions.md`.
"""),
    md("""
## The area's cohort

The options are sized for an area holding about **a tenth of England and
Wales**, so we run a cohort of 54,000 people — a tenth of the national
2010/11 cohort, with the same mix of sentences, ages, histories and needs.
Against the whole country a regional scheme would serve a sliver of the people
eligible and its effect would vanish in the national totals.

We run **6 paired replicates** with a fixed seed, so the notebook gives the
same numbers every time.
"""),
    code('''
base = desist.Scenario.load(SCENARIOS / "baseline.yaml")
base.set("cohort.size", 54000)

options = sorted((SCENARIOS / "options").glob("*.yaml"))
comparison = desist.compare(base, *options, replicates=6, seed=2011, progress=False)
[path.stem for path in options]'''),
    md("""
## Reoffending and prison places

Each row is one option; each figure is the **base minus the option**, so a
positive number is an improvement: reoffenders and proven reoffences averted
over the one-year follow-up, and prison places saved (the average number of
prison places the cohort uses less over the three-year run). `ci_low` and
`ci_high` are the paired 95% interval of the mean difference (see below).

*Reoffenders* counts people, *reoffences* counts offences. A service aimed at
the most prolific people (such as IOM) can avert many reoffences while
changing whether few people reoffend at all: they still reoffend, less often.
"""),
    code('''
table = comparison.table()
measures = ["reoffenders_averted", "reoffences_averted", "prison_places_saved"]
headline = table.loc[(slice(None), measures), ["mean", "ci_low", "ci_high"]].unstack("measure")
headline = headline.swaplevel(axis=1)[measures]
headline'''),
    md("""
## What pairing buys

A difference between two simulations carries the chance variation of both.
For a whole area's cohort that variation is large — several hundred
reoffences either way from one run to the next — while a scheme with a hundred places
changes perhaps a hundred reoffences. Two **independent** runs (the
*unpaired* interval) could not tell such a scheme from nothing.

desist runs the base and the option on the **same people with the same random
numbers** wherever the option does not act (*common random numbers*): someone
never referred to the service has exactly the same history in both runs, and
only the people the service reaches can differ. The chance variation cancels
in the difference, and what is left is the option's doing. The **paired**
interval is much narrower; to narrow an unpaired interval as much we would
need (ratio of widths)² times as many replicates:
"""),
    code('''
averted = table.xs("reoffences_averted", level="measure")
pairing = pd.DataFrame({
    "reoffences averted": averted["mean"],
    "paired 95% interval": averted["ci_low"].round(0).astype(int).astype(str) + " to "
                           + averted["ci_high"].round(0).astype(int).astype(str),
    "unpaired 95% interval": averted["unpaired_ci_low"].round(0).astype(int).astype(str) + " to "
                             + averted["unpaired_ci_high"].round(0).astype(int).astype(str),
    "width ratio": (averted["unpaired_ci_high"] - averted["unpaired_ci_low"])
                   / (averted["ci_high"] - averted["ci_low"]),
})
pairing["replicates needed unpaired for the same width"] = (6 * pairing["width ratio"] ** 2).round(-1).astype(int)
pairing'''),
    md("""
## Money

Costs are discounted at 3.5% a year (HM Treasury Green Book) over the run.

- `intervention_cost`: what the service costs over the run (places actually
  used, not the yearly budget at full occupancy);
- `benefits`: the costs avoided — harm to victims, police, courts, prison and
  probation — because of fewer offences, court cases and days in custody;
- `net_present_value`: benefits − intervention cost (positive: the option
  saves more public and social cost than it spends);
- `benefit_cost_ratio`: benefits ÷ intervention cost;
- `cost_per_reoffence_averted`: intervention cost ÷ proven reoffences averted;
- `probability_net_benefit_positive`: the share of replicates with a positive
  net present value.
"""),
    code('''
economics = comparison.economics()
economics'''),
    md("""
## The cost-effectiveness plane

Each point is an option: how many proven reoffences it averts (across) and its
**net cost** — what it costs minus what it saves — (up). The bars are paired
95% intervals.

- **Below the line**, the option saves more than it costs: it pays for itself
  while cutting reoffending.
- **Above the line**, it cuts reoffending at a net cost; the steeper the line
  from the origin to the point, the more each reoffence averted costs.
- Further **right** is more reoffending averted.
"""),
    code('''
ax = desist.plot.cost_effectiveness_plane(comparison)'''),
    md("""
## Who invests, who saves

The agency that pays for a service is rarely the one that saves. Each option
is one bar, split by agency into its saving (base − option, discounted over the
run). The agency that pays is to the left of zero (what it spends, net of
anything it saves itself); the savings, to the right, fall to victims and
society, the police, the courts and prisons. The diamond is the sum over every
agency, the option's net present value, with its 95% interval.

This is the "wrong pocket" problem of commissioning rehabilitation: an option
with a clear net benefit to the public purse can still be a net cost to the
agency asked to fund it — an argument for pooled budgets, or for the agencies
that save to contribute.
"""),
    code('''
ax = desist.plot.savings_by_agency(comparison)'''),
    md("""
The same figures as a table (pounds, discounted; one row per option, one
column per agency):
"""),
    code('''
comparison.savings_by_agency()["mean"].unstack("agency")'''),
    md("""
## Places used over time

How many of each option's places are in use in each month. Services that refer
people at the index date (employment, mentoring, IOM) fill quickly, stop
taking people after the cohort's first year, when no new index dates arrive,
and empty as their last clients finish. Services that
refer before or at each release (housing, ID documents, drug treatment) keep
taking the cohort's later releases from new sentences and recalls, at a
falling rate. A scheme running below its places has spare capacity; one at its
places is turning people away (see the throughput below).
"""),
    code('''
ax = desist.plot.places_used(comparison)'''),
    md("""
**Throughput** (means over the replicates): people referred, starting,
completing, dropping out, declining the offer, and whose referral *lapsed*
because no place came free in time; and how long people waited for a place.
Many lapsed referrals mean the scheme is far smaller than the need it was set
up for: more places, tighter eligibility or a priority rule would change who
gets served.
"""),
    code('''
comparison.throughput().drop(columns="in_service_by_month")'''),
    md("""
## Putting it together

One row per option, with what the partnership asked about. *Reoffences averted
per £100,000* puts the options on the same budget: what each pound of the
service buys in reoffending, whatever its size. The ranking below is by
reoffences averted; sort by another column to ask a different question. Read
each figure with its interval above: options whose intervals overlap are not
clearly different.
"""),
    code('''
def mean_of(frame, name):
    return frame.xs(name, level=1)["mean"] if isinstance(frame.index, pd.MultiIndex) else frame[name]

summary = pd.DataFrame({
    "option": [comparison.option(key).name for key in averted.index],
    "reoffences averted": averted["mean"],
    "prison places saved": table.xs("prison_places_saved", level="measure")["mean"],
    "intervention cost (£)": mean_of(economics, "intervention_cost"),
    "net present value (£)": mean_of(economics, "net_present_value"),
    "cost per reoffence averted (£)": mean_of(economics, "cost_per_reoffence_averted"),
}, index=averted.index)
summary["reoffences averted per £100,000"] = (
    summary["reoffences averted"] / summary["intervention cost (£)"] * 100_000)
summary.sort_values("reoffences averted", ascending=False)'''),
    code('''
best = summary.sort_values("reoffences averted", ascending=False)
print(f"Most reoffences averted: {best['option'].iloc[0]} ({best['reoffences averted'].iloc[0]:.0f}).")
best = summary.sort_values("prison places saved", ascending=False)
print(f"Most prison places saved: {best['option'].iloc[0]} ({best['prison places saved'].iloc[0]:.1f}).")
best = summary.sort_values("reoffences averted per £100,000", ascending=False)
print(f"Most reoffences averted per £100,000: {best['option'].iloc[0]} "
      f"({best['reoffences averted per £100,000'].iloc[0]:.0f}).")
best = summary.sort_values("net present value (£)", ascending=False)
print(f"Largest net present value: {best['option'].iloc[0]} (£{best['net present value (£)'].iloc[0]:,.0f}).")'''),
    md("""
## Caveats and next steps

- **Assumptions.** The effect of each service on housing, work, drugs and
  offending is an assumption (each marked in its option file). The intervals
  here are Monte Carlo noise given those assumptions, not uncertainty about the
  assumptions themselves; running the options over draws of their uncertain
  effect sizes is the next step.
- **Size.** 54,000 people and 6 replicates keep this notebook quick. For
  tighter intervals raise `replicates`; for the national picture drop the
  `cohort.size` line (the options then serve a small share of the country).
- **Changing an option.** Copy an option file, edit it (places, eligibility,
  cost, effect) and pass the copy to `desist.compare`. Two options can be
  combined by putting their `interventions` in one file.
- **Saving.** `comparison.base` and `comparison.option(key)` are ordinary
  results objects (`.summary`, `.survival()`, `.to_hdf5(...)`); the command
  line `desist compare ... --out comparison.h5` writes the whole comparison
  (layout in `docs/output.md`).
"""),
]


MONTE_CARLO = [
    md("""
# Monte Carlo: how sure are we, and is it worth finding out more?

The effects of the commissioning options are assumptions with uncertainty
(each option file gives a distribution for its effect). This notebook runs the
shipped example sweep, `scenarios/sweeps/example.yaml`, **at reduced size**
(24 Latin hypercube points, one replicate, 3,000 people) so it runs in
seconds: the same calls at the file's own size give the full analysis
(`docs/sweeps.md`). At this size the numbers are noisy; read them as a
demonstration of the method, not as findings.
"""),
    code(FIND_ROOT + '''

import desist
import desist.plot

sweep = desist.sweep(SCENARIOS / "sweeps" / "example.yaml", progress=False,
                     overrides=["design.points=24", "design.replicates=1", "set.cohort.size=3000"])
sweep.factors'''),
    md("""
Each **row** is one point (a draw of every factor) and replicate; the columns
are the base's rates and each option's differences and economics.
"""),
    code('''
sweep.rows.head()'''),
    md("""
## Which parameters matter?

The tornado moves one factor at a time from its 5% to its 95% quantile, the
others at their medians, and shows how far the output moves.
"""),
    code('''
ax = desist.plot.tornado(sweep, "housing_ttg.net_present_value")'''),
    md("""
Sobol indices need a `sobol` design: the same sweep with `design.kind=sobol`
(here tiny, so the bootstrap intervals are wide).
"""),
    code('''
sobol = desist.sweep(SCENARIOS / "sweeps" / "example.yaml", progress=False,
                     overrides=["design.kind=sobol", "design.points=8", "design.replicates=1",
                                "set.cohort.size=2000", "design.tornado=false"])
ax = desist.plot.sobol_indices(sobol, "base.binary_rate")'''),
    md("""
## The decision

Which choice has the highest expected net present value over the parameter
draws, how often each is best, and the **expected value of perfect
information** (EVPI): what it would be worth, per cohort simulated, to know the
uncertain parameters before choosing.
"""),
    code('''
decision = sweep.decision
decision["choices"]'''),
    code('''
choices = decision["choices"]
best = decision["best"]
print(f"Best by expected net present value: {best} "
      f"(£{choices.loc[best, 'expected_net_benefit']:,.0f}, best at "
      f"{100 * choices.loc[best, 'probability_best']:.0f}% of the draws).")
print(f"Expected value of perfect information: £{decision['evpi']:,.0f} for this cohort of "
      f"{3000:,} people. If research to pin down the parameters would cost more than that "
      "(scaled to the cohort that matters), choose now; if less, it may be worth doing first.")
print("EVPPI by factor (small values are noise):")
print(decision["evppi"].round(0).to_string())'''),
]


PAYMENT_BY_RESULTS = [
    md("""
# Payment by Results: what would this contract pay, and for what?

**The question.** A commissioner is about to let a payment-by-results contract:
a provider is paid when the reoffending of the people it supervises falls below
a baseline. Before signing, both sides want to know: **how much** is it likely
to pay, and how likely is it to pay **anything**? Does the measurement see a
real effect, or mostly **noise**? And which way of running the service does it
**reward**?

**How.** desist simulates the contract's world twice over, on the same people
and random numbers: once without the service and once with it. The contract
prices the world with the service as its terms say (cohorts, comparison,
significance test, payment per point); the world without it gives the **true
effect** the measurement is trying to see. Repeating this over replicates gives
the distribution of payments (docs/pbr.md).

We use the shipped Transforming-Rehabilitation-style contract
(`scenarios/contracts/transforming_rehabilitation.yaml`): quarterly cohorts of
everyone a community rehabilitation company starts supervising, paid per
percentage point of fall in the binary reoffending rate against a 2011 baseline
when the fall is statistically significant. Its prices, fees and baseline are
assumptions stated in the file. To run in seconds we take **8 replicates**
(the contract's own default is more), so the chance of any payment below is
rough: its binomial standard error over 8 replicates is up to
√(0.5 × 0.5 / 8) ≈ 18 points.
"""),
    code(FIND_ROOT + '''

import matplotlib.pyplot as plt
import pandas as pd

import desist
import desist.plot

pd.options.display.float_format = lambda x: f"{x:,.0f}" if abs(x) >= 100 or x == 0 else f"{x:,.3f}"'''),
    code('''
CONTRACT = SCENARIOS / "contracts" / "transforming_rehabilitation.yaml"
pbr = desist.pbr.evaluate(CONTRACT, replicates=8, seed=2014, progress=False)
pbr'''),
    md("""
## What it pays

`expected_payment` is the mean outcome payment over the replicates with its 95%
interval and standard deviation; `payment_quantiles` (q05 … q95) the spread of
what **one** contract might see. A threshold contract is lumpy:
some replicates pay nothing at all.
"""),
    code('''
print(f"Probability of any outcome payment: {pbr.probability_any_payment:.0%}")
pd.concat([pbr.expected_payment, pbr.payment_quantiles]).to_frame("outcome payments (£)").T'''),
    code('''
ax = desist.plot.payment_distribution(pbr)'''),
    md("""
The whole money picture: the payments' present value (fees included), the
provider's delivery cost and profit, and the commissioner's position (its
savings less what it pays):
"""),
    code('''
pbr.money[["mean", "ci_low", "ci_high", "q05", "q95"]]'''),
    md("""
## Measured against true

The contract sees the fall in reoffending **measured against its baseline**;
the simulation also knows the **true** fall (the same people without the
service). The difference is the measurement's bias and noise, and it is what
the provider is paid (or not paid) for.
"""),
    code('''
pd.DataFrame({"measured": pbr.measured_effect, "true": pbr.true_effect}).T[["mean", "ci_low", "ci_high", "q05", "q95"]]'''),
    code('''
pbr.effects[["measured_mean", "true_mean", "bias", "noise"]]'''),
    md("""
## Can the contract see the effect? The power curve

For cohorts of each size, and the service made weaker (a *service multiplier*
below 1), the chance that the contract's significance test finds the effect:
simulated (markers) and by the normal approximation (lines). A contract whose
power is low pays mostly on luck.
"""),
    code('''
ax = desist.plot.power_curve(pbr)'''),
    code('''
pbr.power[["cohort_size", "service_multiplier", "true_relative_effect", "simulated_power", "analytic_power",
           "probability_any_payment"]]'''),
    code('''
pbr.minimum_detectable_effect'''),
    md("""
## Gaming: what does the contract reward?

Each row is a way a provider might choose whom to serve: as the contract is
written, the highest-risk first, the lowest-risk first, or *parking* the
hardest cases. What it would be paid, its profit, and the true reoffending it
would avert. When the strategy that pays best is not the one that averts the
most, the contract rewards the wrong thing.
"""),
    code('''
gaming = pbr.gaming
print(f"The contract pays best for '{gaming['rewarded']}'; the most true reduction comes from "
      f"'{gaming['wanted']}'.")
gaming["strategies"][["probability_any_payment", "outcome_payments", "provider_profit", "true_units_averted"]]'''),
    md("""
## A Justice-Data-Lab-style evaluation

Beside the contract, how an evaluation of the **participants** against matched
non-participants would read the service, and how far it is from the truth
(people who choose to take part differ from those who do not):
"""),
    code('''
evaluation = pbr.participant_evaluation
print("matched on:", ", ".join(evaluation["covariates"]))
evaluation["estimates"]'''),
    md("""
## Where next

- `pbr.to_hdf5("tr.h5")` writes the file `desist pbr --out` writes;
  `desist.open("tr.h5")` reads it back, and `desist report tr.h5` makes a
  report of it.
- `desist.pbr.evaluate(CONTRACT, results="tr.h5", overrides=[...])` prices
  other terms (thresholds, prices, comparison) on the same simulated records
  without simulating again.
- `docs/pbr.md` has the contract keys, the measures and the equations.
"""),
]


VALIDATION = [
    md("""
# Validation: the calibrated baseline, and a real experiment

Two checks of desist against the world:

1. **The calibrated baseline against published figures.** The shipped scenario
   (`scenarios/baseline.yaml`) was calibrated to six published Ministry of
   Justice figures for the 2010/11 adult cohort (`scenarios/targets/`,
   docs/calibration.md). Here we run it with **another seed** at a reduced size
   and compare it with those figures, and with one it was not fitted to.
2. **The Rossi et al. (1980) financial-aid experiment.** 432 men released from
   Maryland state prisons were followed for a year; about half, chosen at
   random, received financial aid. We fit **desist's own hazard model** to the
   data with `desist.fit` and set its estimate of the effect of aid against the
   published Cox-model estimate.

The full validation at the national size is in `docs/validation.md`
(`scripts/validation_report`).
"""),
    code(FIND_ROOT + '''

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import desist

pd.options.display.float_format = lambda x: f"{x:,.0f}" if abs(x) >= 1000 else f"{x:,.3f}"'''),
    md("""
## 1. The baseline against the published figures

`desist.check_targets` runs the scenario and measures each target as the
targets file defines it (`desist check-targets`). The **residual** is
(simulated − observed) / standard error: within ±1.96 the model matches the
figure to its stated precision (the grey band below). We run 54,000 people (a tenth of the cohort)
for 3 replicates with seed 1, which is **not** the seed the baseline was
fitted with, so this cohort is new to the fit. At a tenth of the size the
simulated rates carry about √10 ≈ 3 times the Monte Carlo noise of the full
cohort, which shows in the intervals.
"""),
    code('''
scenario = desist.Scenario.load(SCENARIOS / "baseline.yaml").set("cohort.size", 54000)
targets = desist.check_targets(scenario, SCENARIOS / "targets" / "england_wales_2011.yaml", replicates=3, seed=1)
table = targets.table
table[["observed", "simulated", "ci_low", "ci_high", "residual", "within_tolerance"]]'''),
    code('''
fig, ax = plt.subplots(figsize=(7, 3.4))
y = np.arange(len(table))
low, high = ((table[c] - table["observed"]) / table["se"] for c in ("ci_low", "ci_high"))
ax.axvspan(-1.96, 1.96, color="#e8e8e8", label="within tolerance (± 1.96 se)")
ax.axvline(0, color="black", linewidth=0.8)
ax.errorbar(table["residual"], y, xerr=[table["residual"] - low, high - table["residual"]], fmt="o",
            color="#0072B2", label="simulated, with its 95% interval")
ax.set_yticks(y, [t if len(t) < 46 else t[:44] + "…" for t in table.index])
ax.invert_yaxis()
ax.set_xlabel("(simulated − published) / the published figure's standard error")
ax.set_title("The calibrated baseline against its targets")
ax.legend(loc="lower left", bbox_to_anchor=(0, 1.08), ncol=2, frameon=False, fontsize=8)
fig.tight_layout()'''),
    md("""
**A figure not used in fitting.** The Ministry of Justice reports *about
140,000* adult offenders proven to reoffend within a year (rounded to two
significant digits, so ± 5,000). Scaling the simulated share to the 540,000
people of the national cohort:
"""),
    code('''
results = desist.run(scenario, replicates=3, seed=1, progress=False)
rate = results.summary.loc["binary_rate"]
print(f"simulated: {540_000 * rate['mean']:,.0f} "
      f"(95% interval {540_000 * rate['ci_low']:,.0f} to {540_000 * rate['ci_high']:,.0f}); published: about 140,000")'''),
    md("""
This one is not independent of the fit (25.6% of 540,000 is 138,240), which is
why docs/validation.md lists it apart; the figures the model has no comparable
quantity for are listed there too.

## 2. The Rossi et al. (1980) financial-aid experiment

The data (Rossi, Berk and Lenihan 1980, *Money, Work, and Crime*) are a copy of
the `rossi.csv` that ships with the `lifelines` package
(`lifelines.datasets.load_rossi()`); this notebook reads the project's copy in
`../shared/data/`, because lifelines needs pandas < 3, which this environment
does not have. One row per man: `week` of first arrest, `arrest` (1 = arrested,
0 = still free at week 52), financial aid `fin` (randomised), `age`, `race`,
`wexp` (full-time work before prison), `mar` (married), `paro` (released on
parole) and `prio` (prior convictions).
"""),
    code('''
rossi = pd.read_csv(ROOT.parent / "shared" / "data" / "rossi.csv")
print(f"{len(rossi)} men, {rossi['arrest'].sum()} arrested within 52 weeks ({rossi['arrest'].mean():.1%})")
rossi.groupby("fin")["arrest"].agg(["size", "sum", "mean"]).rename(
    index={0: "no aid", 1: "financial aid"}, columns={"size": "men", "sum": "arrested", "mean": "share"})'''),
    md("""
desist's offending hazard is h(u | x) = λ₀(u) · exp(Σ βⱼ xⱼ), here with a
Weibull baseline λ₀ (docs/fitting.md): a proportional-hazards model, so its
coefficients are comparable with a Cox model's. We fit it by maximum
likelihood with all seven covariates, as the published analysis does:
"""),
    code('''
covariates = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]
fit = desist.fit(rossi, time="week", event="arrest", covariates=covariates, time_unit="weeks")
fit'''),
    code('''
fit.covariates[["estimate", "se", "hazard_ratio", "hazard_ratio_ci_low", "hazard_ratio_ci_high", "p_value"]]'''),
    md("""
Against the published Cox model with the same seven covariates (Efron ties;
Fox and Weisberg, *An R Companion to Applied Regression*, appendix on
survival analysis): financial aid coefficient **−0.379** (SE 0.191), hazard
ratio **0.68** (95% interval 0.47 to 1.00); age −0.057 (0.022), hazard ratio
0.94 per year; prior convictions 0.091 (0.029), 1.10 each.
"""),
    code('''
published = pd.DataFrame({"estimate": {"fin": -0.379, "age": -0.057, "prio": 0.091},
                          "se": {"fin": 0.191, "age": 0.022, "prio": 0.029}})
published["hazard_ratio"] = np.exp(published["estimate"])
ours = fit.covariates.loc[published.index, ["estimate", "se", "hazard_ratio"]]
pd.concat({"desist (Weibull PH)": ours, "published Cox": published}, axis=1)'''),
    code('''
fin = fit.covariates.loc["fin"]
print(f"Financial aid: desist {fin['estimate']:+.3f} (hazard ratio {fin['hazard_ratio']:.2f}, "
      f"{fin['hazard_ratio_ci_low']:.2f} to {fin['hazard_ratio_ci_high']:.2f}); "
      "published Cox -0.379 (0.68, 0.47 to 1.00).")
print(f"They differ by {abs(fin['estimate'] + 0.379) / 0.191:.2f} standard errors.")'''),
    md("""
The Weibull shape above 1 says the hazard of arrest **rises** over the first
year after release in these data; the published Weibull fit has ρ ≈ 1.40:
"""),
    code('''
fit.baseline'''),
    md("""
**The fitted model against the data.** The share still free by each week,
observed (Kaplan–Meier, with and without aid) and from the fitted model for
each group at the other covariates' means, S(u) = exp(−a (u / 365.25)ᵏ e^{βx})
with u in days:
"""),
    code('''
def kaplan_meier(weeks, arrested):
    times = np.sort(np.unique(weeks[arrested == 1]))
    at_risk = np.array([(weeks >= t).sum() for t in times])
    events = np.array([((weeks == t) & (arrested == 1)).sum() for t in times])
    return np.concatenate([[0], times]), np.concatenate([[1.0], np.cumprod(1 - events / at_risk)])


a, k = fit.baseline.loc["first_year_hazard", "estimate"], fit.baseline.loc["shape", "estimate"]
beta = fit.covariates["estimate"]
means = rossi[covariates].mean()
weeks = np.linspace(0, 52, 200)
fig, ax = plt.subplots(figsize=(6.5, 4))
for value, label, colour in ((0, "no aid", "#D55E00"), (1, "financial aid", "#0072B2")):
    group = rossi[rossi["fin"] == value]
    t, s = kaplan_meier(group["week"].to_numpy(), group["arrest"].to_numpy())
    ax.step(t, s, where="post", color=colour, label=f"{label}: observed (Kaplan–Meier)")
    x = means.copy()
    x["fin"] = value
    ax.plot(weeks, np.exp(-a * (weeks * 7 / 365.25) ** k * np.exp((beta * x).sum())), "--", color=colour,
            label=f"{label}: desist's fitted model")
ax.set_xlabel("weeks since release")
ax.set_ylabel("share not yet arrested")
ax.set_ylim(0.6, 1.0)
ax.legend(frameon=False, fontsize=8)
ax.set_title("Rossi et al. (1980): time to first arrest")
fig.tight_layout()'''),
    md("""
## Where next

- `fit.fragment()` is the fitted `offending` section as a scenario overlay
  (`desist run --overlay`); with covariates named as desist's person
  attributes (`age`, `previous_sanctions`, ...) it runs as a simulation.
- `desist.calibrate(scenario, targets)` refits the baseline to the targets
  (docs/calibration.md has the one command that made `scenarios/baseline.yaml`).
- `docs/validation.md` is the full validation at the national size.
"""),
]

NOTEBOOKS = {
    "01_quickstart.ipynb": QUICKSTART,
    "02_commissioning_options.ipynb": COMMISSIONING,
    "03_monte_carlo.ipynb": MONTE_CARLO,
    "04_payment_by_results.ipynb": PAYMENT_BY_RESULTS,
    "05_validation.ipynb": VALIDATION,
}


def build(cells) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:02d}"  # stable ids: regenerating changes nothing
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, cells in NOTEBOOKS.items():
        path = HERE / name
        text = nbformat.writes(build(cells)) + "\n"
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            nbformat.validate(nbformat.reads(text, as_version=4))
            path.write_text(text)
            print(f"wrote {path}")
    if stale:
        print("out of date (run notebooks/generate.py):", ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
