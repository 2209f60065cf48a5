"""Reports a committee can read: one self-contained HTML file (and optionally a
PDF) from a results file of ``desist run``, ``desist compare``, ``desist sweep``
or ``desist pbr``.

From the command line::

    desist-report results/comparison.h5 -o comparison.html --pdf
    desist report results/comparison.h5 -o comparison.html      # the same, through the desist command

From Python::

    import desist.report
    desist.report.write_report("results/comparison.h5", "comparison.html", pdf="comparison.pdf")

The report opens with a summary in plain words, then tables and charts, then
an appendix with the scenario as run, the seed, the program version and the
source of every number the scenario gives. Charts are SVG inside the file, so
it needs no network and prints sharply; colours are the Okabe–Ito palette of
:mod:`desist.plot`. A PDF is printed by headless Chromium (Debian's
``chromium``). Each kind of file is one entry of :data:`KINDS`: a new kind of
results is one function from the file to its sections.
"""
from __future__ import annotations

import argparse
import base64
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

__all__ = ["build", "render", "write_report", "write_pdf", "file_kind", "default_sources", "scenario_sources", "KINDS",
           "main"]


# --------------------------------------------------------------------- the report's parts


@dataclass
class Table:
    """A table: a caption, column headings and rows of already formatted cells."""

    caption: str
    columns: list[str]
    rows: list[list[Any]]  # cells: text, or (estimate, interval) shown one above the other
    numeric: bool = True  # right-align all but the first column


@dataclass
class Figure:
    """A chart: inline SVG as a data URI, with the text alternative a screen reader reads."""

    uri: str
    alt: str
    caption: str


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Report:
    title: str
    kind: str
    summary: list[str]
    sections: list[Section]
    facts: list[tuple[str, str]]               # appendix: what ran (file, seed, version, ...)
    sources: list[tuple[str, str, str]]        # appendix: key, value, source (the scenario's comments)
    texts: list[tuple[str, str]]               # appendix: input files, (heading, text)
    source_notes: list[str] = field(default_factory=list)  # appendix: where the sources came from


# --------------------------------------------------------------------- formatting


def _number(x: float, digits: int = 3) -> str:
    """A figure for prose and tables: thousands separated, sensible precision, true minus sign."""
    if x is None or not np.isfinite(x):
        return "–"
    if abs(x) >= 100:
        text = f"{x:,.0f}"
    else:
        text = f"{x:,.{digits}g}"
    return text.replace("-", "\u2212")


def _pounds(x: float) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    sign = "\u2212" if x < 0 else ""
    x = abs(x)
    if x >= 1e6:
        return f"{sign}£{x / 1e6:,.2f}m"
    return f"{sign}£{x:,.0f}"


def _percent(x: float, digits: int = 1) -> str:
    return "–" if x is None or not np.isfinite(x) else f"{100 * x:.{digits}f}%".replace("-", "\u2212")


def _interval(low: float, high: float, fmt: Callable[[float], str] = _number) -> str:
    if not (np.isfinite(low) and np.isfinite(high)):
        return "no interval (one replicate)"
    return f"{fmt(low)} to {fmt(high)}"


def _estimate(row: Any, fmt: Callable[[float], str] = _number) -> str:
    """'41 (95% interval 18 to 63)'."""
    mean, low, high = float(row["mean"]), float(row["ci_low"]), float(row["ci_high"])
    if not (np.isfinite(low) and np.isfinite(high)):
        return fmt(mean)
    return f"{fmt(mean)} (95% interval {fmt(low)} to {fmt(high)})"


def _cell(row: Any, fmt: Callable[[float], str] = _number) -> "str | tuple[str, str]":
    """A table cell: the estimate, with its 95% interval beneath when there is one."""
    mean, low, high = float(row["mean"]), float(row["ci_low"]), float(row["ci_high"])
    if not (np.isfinite(low) and np.isfinite(high)):
        return fmt(mean)
    return fmt(mean), _interval(low, high, fmt)


def _figure(ax: Any, alt: str, caption: str) -> Figure:
    """The Axes' figure as an SVG data URI; the figure is closed."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    # No date and a fixed hash salt: the same results give the same bytes.
    ax.figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(ax.figure)
    uri = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return Figure(uri=uri, alt=alt, caption=caption)


# --------------------------------------------------------------------- sources of the numbers

_KEY_LINE = re.compile(r"^(?P<indent>\s*)(?P<dash>-\s+)?(?P<key>[A-Za-z_][\w.]*):\s*(?P<value>[^#]*?)\s*(?:#\s*(?P<note>.*))?$")


def default_sources(text: str) -> list[tuple[str, str, str]]:
    """(key path, value, source) for each value the YAML text gives with a comment beside it.

    The shipped scenarios give the source of every number in a comment on its
    line ("domain.md: ...", "assumption"); the appendix lists them by key.
    """
    out: list[tuple[str, str, str]] = []
    stack: list[tuple[int, str]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _KEY_LINE.match(line)
        if not m:
            continue
        indent = len(m["indent"]) + (len(m["dash"]) if m["dash"] else 0)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = ".".join([k for _, k in stack] + [m["key"]])
        value = m["value"].strip()
        if value:
            if m["note"]:
                out.append((path, value, m["note"].strip()))
        else:
            stack.append((indent, m["key"]))
    return out


_OVERRIDDEN = re.compile(r"^# (?P<file>.+) with overrides:(?P<sets>.*)$", re.MULTILINE)


def scenario_sources(text: str, label: str = "") -> tuple[list[tuple[str, str, str]], list[str]]:
    """The sources of a scenario's numbers, and a note when they had to be found elsewhere.

    A scenario run with --set overrides is stored re-written, without its
    comments; its sources are then read from the scenario file it names, if it
    is at hand, with the overridden keys marked.
    """
    m = _OVERRIDDEN.match(text)
    prefix = f"{label}: " if label else ""
    if m is None:
        return [(prefix + k, v, s) for k, v, s in default_sources(text)], []
    file, sets = m["file"], m["sets"].strip()
    overridden = {e.split("=", 1)[0] for e in re.findall(r"--set (\S+)", sets)}
    note = (f"The scenario was run with overrides ({sets}), which the results file stores without the "
            f"scenario's comments.")
    try:
        with io.open(file, encoding="utf-8") as f:
            original = f.read()
    except OSError:
        return [], [note + f" Its sources are the comments of {file}, which is not at hand."]
    sources = [(prefix + k, v, "overridden by --set: " + s if k in overridden else s)
               for k, v, s in default_sources(original)]
    return sources, [note + f" The sources below are the comments of {file} as it is now."]


# --------------------------------------------------------------------- runs


def _windows_text(results: Any) -> str:
    w = results.windows
    return (f"within {_number(w['followup_days'])} days of the index date (release, start of the order or "
            f"caution), proven by a court or caution within a further {_number(w['waiting_days'])} days")


def _run_sections(results: Any) -> tuple[list[str], list[Section]]:
    from . import plot

    s = results.summary
    rate = s.loc["binary_rate"]
    n = results.cohort_size
    summary = [
        f"In the scenario “{results.scenario_name}”, an estimated {_estimate(rate, _percent)} of the "
        f"{_number(n)} people in the cohort are proven to reoffend {_windows_text(results)}.",
        f"They commit {_estimate(s.loc['reoffences_per_offender'] * 100)} proven reoffences per 100 people, and "
        f"spend {_estimate(s.loc['custody_days_per_offender'])} days in custody each on average.",
    ]
    if results.replicates > 1:
        summary.append(f"Intervals are 95% intervals of the mean over {results.replicates} replicates of the "
                       f"cohort: they show the chance variation of the simulation, not the uncertainty in its inputs.")
    labels = {"binary_rate": ("proven reoffending rate", _percent),
              "reoffences_per_offender": ("reoffences per person", _number),
              "reoffences_per_reoffender": ("reoffences per reoffender", _number),
              "conviction_events_per_offender": ("court appearances per person", _number),
              "custody_days_per_offender": ("custody days per person", _number),
              "recalls_per_offender": ("recalls per person", _number)}
    rows = [[label, fmt(float(s.loc[k, "mean"])), _interval(float(s.loc[k, "ci_low"]), float(s.loc[k, "ci_high"]), fmt)]
            for k, (label, fmt) in labels.items() if k in s.index]
    measures = Section("Proven reoffending", [
        "The Ministry of Justice's proven reoffending measures for the cohort, mean over replicates."],
        tables=[Table("Measures of the cohort", ["measure", "estimate", "95% interval"], rows)])
    groups = results.by_group("sentence").groupby("category", observed=True)
    by_group = groups.agg(people=("people", "mean"), rate=("binary_rate", "mean"),
                          custody=("custody_days_per_offender", "mean"))
    measures.tables.append(Table("By sentence group (means over replicates)",
                                 ["sentence group", "people", "proven reoffending rate", "custody days per person"],
                                 [[str(g), _number(r.people), _percent(r.rate), _number(r.custody)]
                                  for g, r in by_group.iterrows()]))
    curves = Section("Over time", [
        "When the proven reoffences happen, and how many of the cohort are in prison in each month."], figures=[
        _figure(plot.survival(results), "Line chart: the proportion of the cohort with a proven reoffence by each "
                f"day of follow-up, reaching {_percent(float(rate['mean']))}.", "Time to first proven reoffence."),
        _figure(plot.custody_population(results), "Line chart: the number of the cohort in custody in each month.",
                "Prison places used by the cohort, by month."),
    ])
    return summary, [measures, curves]


def _run(path: str) -> Report:
    from . import open as open_results

    results = open_results(path)
    summary, sections = _run_sections(results)
    text = results.scenario_text
    sources, notes = scenario_sources(text)
    return Report(title=f"desist: {results.scenario_name}", kind="run", summary=summary, sections=sections,
                  facts=_facts(path, results.version, results.seed, results.replicates, results.cohort_size),
                  sources=sources, texts=[("Scenario as run", text)], source_notes=notes)


def _facts(path: str, version: str, seed: int, replicates: int, cohort: int | None = None) -> list[tuple[str, str]]:
    facts = [("results file", os.path.basename(path)), ("program version", f"desist {version}"),
             ("seed", str(seed)), ("replicates", str(replicates))]
    if cohort is not None:
        facts.append(("people in each replicate", _number(cohort)))
    return facts


# --------------------------------------------------------------------- comparisons

_DIFFERENCES = {
    "reoffenders_averted": ("reoffenders prevented", _number),
    "binary_rate_points_averted": ("fall in the reoffending rate (percentage points)", _number),
    "reoffences_averted": ("proven reoffences prevented", _number),
    "prison_bed_days_saved": ("prison bed-days saved", _number),
    "prison_places_saved": ("prison places saved", _number),
    "recalls_averted": ("recalls prevented", _number),
}
_ECONOMICS = {
    "intervention_cost": ("cost of the option (discounted)", _pounds),
    "benefits": ("savings from reoffending and custody avoided (discounted)", _pounds),
    "net_present_value": ("net present value (savings − cost)", _pounds),
    "benefit_cost_ratio": ("benefit–cost ratio", _number),
    "cost_per_reoffence_averted": ("cost per reoffence prevented", _pounds),
}


def _option_sentence(comparison: Any, key: str, table: pd.DataFrame, economics: pd.DataFrame) -> str:
    name = comparison.options[key]
    d = table.loc[key]
    e = economics.loc[key]
    sentence = (f"“{name}” prevents an estimated {_estimate(d.loc['reoffenders_averted'])} reoffenders and "
                f"{_estimate(d.loc['reoffences_averted'])} proven reoffences, and frees "
                f"{_estimate(d.loc['prison_places_saved'])} prison places.")
    if "net_present_value" in e.index:
        npv = e.loc["net_present_value"]
        sentence += (f" It costs {_pounds(float(e.loc['intervention_cost', 'mean']))} and its net present value "
                     f"(savings to all agencies minus its cost) is {_estimate(npv, _pounds)}")
        if "probability_net_benefit_positive" in e.index:
            p = float(e.loc["probability_net_benefit_positive", "mean"])
            sentence += f"; the chance that it saves more than it costs is {_percent(p, 0)}"
        sentence += "."
    return sentence


def _comparison(path: str) -> Report:
    from . import open as open_results
    from . import plot

    comparison = open_results(path)
    base = comparison.base
    table, economics = comparison.table(), comparison.economics()
    keys = list(comparison.options)
    summary = [f"Each option was run on the same {_number(base.cohort_size)} people as the base scenario "
               f"(“{base.scenario_name}”), with the same random numbers, over {comparison.replicates} paired "
               f"replicates. Figures are base minus option: a positive figure is an improvement. Reoffending is "
               f"counted {_windows_text(base)}."]
    summary += [_option_sentence(comparison, key, table, economics) for key in keys]
    if comparison.replicates > 1:
        summary.append("The 95% intervals are paired: they show the chance variation of the simulation given its "
                       "inputs, not the uncertainty in the inputs themselves (a sweep estimates that).")

    rates = Section("Proven reoffending by option", [
        "The proven reoffending rate of the base and under each option, each with the 95% interval of its own "
        "mean. The difference an option makes is estimated more precisely than the intervals suggest, because "
        "the runs share their people: the paired intervals are in the next table."],
        figures=[_figure(plot.reoffending_by_option(comparison), "Dot chart of the proven reoffending rate of the "
                         "base and of each option, with 95% intervals.", "Proven reoffending rate by option.")])
    rates.tables.append(Table("What each option changes (base − option; paired 95% interval beneath)",
                              ["option"] + [label for label, _ in _DIFFERENCES.values()],
                              [[comparison.options[k]] + [_cell(table.loc[(k, m)], fmt)
                                                          for m, (_, fmt) in _DIFFERENCES.items()
                                                          if (k, m) in table.index] for k in keys]))
    time = Section("Over time", [
        "When the first proven reoffence happens, and how many of the cohort are in prison each month, under "
        "the base and each option (means over replicates)."], figures=[
        _figure(plot.survival_by_option(comparison), "Line chart: the proportion with a proven reoffence by day of "
                "follow-up, one line for the base and one for each option.", "Time to first proven reoffence."),
        _figure(plot.custody_by_option(comparison), "Line chart: the number of the cohort in custody in each month, "
                "one line for the base and one for each option.", "Prison places used, by month.")])
    money = Section("Costs and savings", [
        "Costs are discounted to present values. The cost-effectiveness plane places each option by the "
        "reoffences it prevents and its net cost (cost minus savings): below the horizontal line an option saves "
        "more than it costs. The ledger shows who pays and who saves."])
    money.tables.append(Table("Economics of each option (paired 95% interval beneath)",
                              ["option"] + [label for label, _ in _ECONOMICS.values()],
                              [[comparison.options[k]] + [_cell(economics.loc[(k, m)], fmt)
                                                          for m, (_, fmt) in _ECONOMICS.items()
                                                          if (k, m) in economics.index] for k in keys]))
    money.figures.append(_figure(plot.cost_effectiveness_plane(comparison), "Scatter chart: each option's proven "
                                 "reoffences prevented against its net cost, with 95% intervals.",
                                 "Cost-effectiveness plane."))
    savings = comparison.savings_by_agency()
    agencies = list(dict.fromkeys(savings.index.get_level_values("agency")))
    money.tables.append(Table("Ledger: discounted saving to each agency (base − option; negative: the agency pays)",
                              ["agency"] + [comparison.options[k] for k in keys],
                              [[plot.AGENCY_LABELS.get(a, a.replace("_", " "))] +
                               [_pounds(float(savings.loc[(k, a), "mean"])) for k in keys] for a in agencies]))
    money.figures.append(_figure(plot.savings_by_agency(comparison), "Stacked bar chart: each agency's saving "
                                 "under each option, with the net present value marked.", "Who invests, who saves."))
    throughput = comparison.throughput()
    if len(throughput):
        money.tables.append(Table("Throughput of each option's services (means over replicates)",
                                  ["option: service", "referrals", "starts", "completions", "drop-outs",
                                   "mean wait (days)"],
                                  [[f"{comparison.options[k]}: {i}", _number(r["referrals"]), _number(r["starts"]),
                                    _number(r["completions"]), _number(r["dropouts"]), _number(r["mean_wait_days"])]
                                   for (k, i), r in throughput.iterrows()]))

    base_text = base.scenario_text
    texts = [("Base scenario as run", base_text)]
    sources, notes = scenario_sources(base_text)
    from ._results import OPTION_MARKER

    for key in keys:
        option_text = comparison.option(key).scenario_text.split(OPTION_MARKER, 1)
        if len(option_text) == 2:
            body = option_text[1].split("\n", 1)[1] if "\n" in option_text[1] else option_text[1]
            texts.append((f"Option “{comparison.options[key]}” ({key})", body))
            sources += scenario_sources(body, key)[0]
    return Report(title=f"desist: options against {base.scenario_name}", kind="comparison", summary=summary,
                  sections=[rates, time, money],
                  facts=_facts(path, base.version, comparison.seed, comparison.replicates, base.cohort_size),
                  sources=sources, texts=texts, source_notes=notes)


# --------------------------------------------------------------------- sweeps


def _sweep(path: str) -> Report:
    from . import open_sweep
    from . import plot

    sweep = open_sweep(path)
    attrs, inputs = sweep.attributes, sweep.inputs
    factors = sweep.factors
    points = sweep.points
    summary = [f"The sweep “{attrs.get('name', '')}” varied {len(factors)} uncertain inputs over {len(points)} "
               f"points of a {attrs.get('design', '')} design, {attrs.get('replicates', '')} replicate(s) each"
               + ("" if sweep.complete else " (not complete: the report covers the rows done)") + "."]
    sections: list[Section] = []
    tornado = sweep.tornado
    if len(tornado):
        output = str(tornado["output"].iloc[0])
        top = tornado[tornado["output"] == output].iloc[0]
        summary.append(f"Of the inputs, “{top['dimension']}” moves {output} the most: from {_number(top['low'])} to "
                       f"{_number(top['high'])} as it goes from its low to its high quantile, with every other input "
                       f"at its median.")
        section = Section("One-way sensitivity", [
            "Each bar runs from the output with one input at its low quantile to the output with it at its high "
            "quantile, every other input at its median; the longest bars matter most."])
        for out in list(dict.fromkeys(tornado["output"])):
            section.figures.append(_figure(plot.tornado(sweep, output=out), f"Tornado chart of {out}: one bar per "
                                           "input, longest first.", f"One-way sensitivity of {out}."))
        sections.append(section)
    sobol = sweep.sobol
    if len(sobol):
        section = Section("Sobol indices", [
            "The share of each output's variance an input explains alone (first order) and with its interactions "
            "(total), with 95% bootstrap intervals."])
        for out in list(dict.fromkeys(sobol["output"])):
            section.figures.append(_figure(plot.sobol_indices(sweep, output=out), f"Bar chart of the first-order and "
                                           f"total Sobol indices of {out}.", f"Sobol indices of {out}."))
        sections.append(section)
    decision = sweep.decision
    if decision is not None:
        choices = decision["choices"]
        best = decision["best"]
        summary.append(f"Taking the uncertainty into account, “{best}” has the highest expected net benefit "
                       f"({_pounds(float(choices.loc[best, 'expected_net_benefit']))}; best at "
                       f"{_percent(float(choices.loc[best, 'probability_best']), 0)} of the points). Resolving all "
                       f"the uncertainty before choosing would be worth {_pounds(decision['evpi'])} (the expected "
                       f"value of perfect information).")
        sections.append(Section("The decision", [
            f"Net benefit is {decision['net_benefit']}. The expected value of perfect information for one input "
            "(EVPPI) is what learning that input alone would be worth."], tables=[
            Table("Choices", ["choice", "expected net benefit", "probability best"],
                  [[str(c), _pounds(float(r["expected_net_benefit"])), _percent(float(r["probability_best"]), 0)]
                   for c, r in choices.iterrows()]),
            Table("Value of information by input", ["input", "EVPPI"],
                  [[str(k), _pounds(float(v))] for k, v in decision["evppi"].items()])]))
    sections.append(Section("The inputs varied", tables=[Table(
        "Factors", ["path", "distribution", "from the scenario"],
        [[str(r["path"]), str(r["distribution"]), "yes" if r["from_scenario"] else "no"]
         for _, r in factors.iterrows()], numeric=False)]))
    texts = [(f"Sweep file ({inputs['sweep_file']})", inputs["sweep"]),
             (f"Scenario ({inputs['scenario_file']})", inputs["scenario"])]
    texts += [(f"Option ({file})", str(text)) for file, text in zip(inputs["option_files"], inputs["options"])]
    sources = [row for (name, text) in texts for row in scenario_sources(text, name)[0]]
    facts = [("results file", os.path.basename(path)), ("program version", f"desist {attrs.get('program_version')}"),
             ("seed", str(attrs.get("seed"))), ("replicates per point", str(attrs.get("replicates"))),
             ("design", str(attrs.get("design"))), ("points", str(len(points)))]
    return Report(title=f"desist sweep: {attrs.get('name', '')}", kind="sweep", summary=summary, sections=sections,
                  facts=facts, sources=sources, texts=texts)


# --------------------------------------------------------------------- contracts


def _contract(path: str) -> Report:
    import json

    import h5py

    from . import plot

    with h5py.File(path, "r") as f:
        attrs = {k: (v.item() if hasattr(v, "item") else v) for k, v in f.attrs.items()}
        payments = f["per_replicate/outcome_payments"][()] if "per_replicate/outcome_payments" in f else np.array([])
    e = json.loads(attrs["evaluation"])
    name = e.get("contract", attrs.get("contract", ""))
    paid = e["outcome_payments"]
    provider, commissioner = e.get("provider", {}), e.get("commissioner", {})
    summary = [f"Under the contract “{name}”, simulated over {e['replicates']} replicates, the provider's outcome "
               f"payments come to an expected {_estimate(paid, _pounds)}; in nine replicates out of ten they lie "
               f"between {_pounds(paid['q05'])} and {_pounds(paid['q95'])}, and the chance of any payment at all is "
               f"{_percent(e.get('probability_any_payment', float('nan')), 0)}."]
    if "profit" in provider:
        summary.append(f"The service costs the provider {_estimate(provider['service_cost'], _pounds)}, so its "
                       f"expected profit is {_estimate(provider['profit'], _pounds)}. The commissioner "
                       f"({commissioner.get('agency', '')}) comes out {_estimate(commissioner['net'], _pounds)} "
                       f"ahead, savings less payments.")
    if "measured_effect" in e:
        summary.append(f"The contract measures an effect of {_estimate(e['measured_effect'])} on its outcome, against "
                       f"a true effect of {_estimate(e['true_effect'])}: the difference is what its comparison "
                       f"gets wrong, and what the provider is paid (or not paid) for.")
    sections = [Section("Payments", [
        "What the contract pays and what it costs, over the replicates: the mean with its 95% interval, and the "
        "range nine replicates in ten fall in (5% to 95%)."], tables=[Table(
        "Money (pounds)", ["", "mean", "5% to 95% of replicates"],
        [[label, _cell(v, _pounds), f"{_pounds(v['q05'])} to {_pounds(v['q95'])}"]
         for label, v in (("outcome payments", paid), ("present value of the payments", e.get("present_value")),
                          ("fees", e.get("fees")), ("provider's service cost", provider.get("service_cost")),
                          ("provider's profit", provider.get("profit")),
                          ("commissioner's net position", commissioner.get("net"))) if v and "q05" in v])])]
    if len(payments):
        sections[0].figures.append(_figure(plot.payment_distribution(payments), "Histogram of the outcome payments of "
                                           "each replicate, with the mean marked.", "Payment distribution."))
    savings = commissioner.get("savings_by_agency", {})
    if savings:
        sections[0].tables.append(Table("Savings by agency (base − contract world)", ["agency", "saving"],
                                        [[plot.AGENCY_LABELS.get(a, a.replace("_", " ")), _cell(v, _pounds)]
                                         for a, v in savings.items()]))
    power = pd.DataFrame(e.get("power", []))
    detectable = e.get("minimum_detectable_effect", {})
    if len(power) or detectable:
        section = Section("Can the contract see the effect?", [
            "The chance that the contract's measurement shows an effect of each true size (its power), and the "
            "smallest relative effect a cohort of its size can show (the minimum detectable effect, at 80% power "
            "and a 5% significance level)."])
        if detectable:
            section.tables.append(Table("Minimum detectable effect", ["outcome", "cohort size", "comparison value",
                                                                      "standard error", "absolute", "relative"],
                                        [[k, _number(d["cohort_size"]), _number(d["comparison_value"]),
                                          _number(d["standard_error"]), _number(d["absolute"]),
                                          _percent(d["relative"])] for k, d in detectable.items()]))
        if len(power):
            section.figures.append(_figure(plot.power_curve(power), "Line chart: the power of the contract's "
                                           "measurement against the true effect, one line per cohort size.",
                                           "Power curve."))
        sections.append(section)
    strategies = e.get("gaming", {}).get("strategies", {})
    if strategies:
        gaming = e["gaming"]
        sections.append(Section("How a provider might play it", [
            f"Each way of choosing whom to serve, with what it would be paid and what it would achieve. The "
            f"contract pays best for “{gaming.get('rewarded')}”; the most reoffending is prevented by "
            f"“{gaming.get('wanted')}”."], tables=[Table(
            "Provider strategies", ["strategy", "chance of any payment", "outcome payments", "provider's profit",
                                    "reoffences truly averted"],
            [[k, _percent(v["probability_any_payment"], 0), _cell(v["outcome_payments"], _pounds),
              _cell(v["provider_profit"], _pounds), _cell(v["true_units_averted"])] for k, v in strategies.items()])]))
    texts = [(f"Contract ({attrs.get('contract_file', '')})", str(attrs.get("contract_text", ""))),
             (f"Scenario ({attrs.get('scenario_file', '')})", str(attrs.get("scenario", "")))]
    sources, notes = scenario_sources(texts[0][1], "contract")
    scenario_rows, scenario_notes = scenario_sources(texts[1][1], "scenario")
    facts = _facts(path, str(attrs.get("version")), int(attrs.get("seed", 0)), int(attrs.get("replicates", 0)))
    facts.append(("source of the terms", str(e.get("source", ""))))
    return Report(title=f"desist contract: {name}", kind="contract evaluation", summary=summary, sections=sections,
                  facts=facts, sources=sources + scenario_rows, texts=texts, source_notes=notes + scenario_notes)


# --------------------------------------------------------------------- dispatch

#: How each kind of results file becomes a report: kind → function(path) → Report.
KINDS: dict[str, Callable[[str], Report]] = {"run": _run, "comparison": _comparison, "sweep": _sweep,
                                             "contract": _contract}


def file_kind(path: "str | os.PathLike[str]") -> str:
    """The kind of a desist results file: ``run``, ``comparison``, ``sweep`` (or the file's own ``kind``)."""
    import h5py

    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(path)
    with h5py.File(path, "r") as f:
        if f.attrs.get("format") == "desist sweep 1":
            return "sweep"
        if f.attrs.get("program") != "desist":
            raise ValueError(f"{path}: not a desist results file")
        return str(f.attrs.get("kind", "run"))


def _environment() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.dirname(os.path.realpath(__file__))),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


def build(path: "str | os.PathLike[str]") -> Report:
    """The report of a results file, as data (what :func:`render` lays out)."""
    path = os.fspath(path)
    kind = file_kind(path)
    if kind not in KINDS:
        raise ValueError(f"{path}: no report for a {kind!r} file yet (reports: {', '.join(KINDS)})")
    import matplotlib

    matplotlib.use("Agg")
    with matplotlib.rc_context({"svg.hashsalt": "desist", "svg.fonttype": "path", "font.size": 10}):
        return KINDS[kind](path)


def render(path: "str | os.PathLike[str]") -> str:
    """The self-contained HTML report of a results file."""
    report = build(path)
    return _environment().get_template("report.html.j2").render(report=report)


def write_pdf(html_path: "str | os.PathLike[str]", pdf_path: "str | os.PathLike[str]") -> None:
    """Prints an HTML report to PDF with headless Chromium (no network)."""
    browser = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
    if browser is None:
        raise RuntimeError("--pdf needs Chromium (Debian: apt-get install chromium; scripts/install-deps installs it)")
    pdf_path = os.path.abspath(os.fspath(pdf_path))
    tmp = f"{pdf_path}.tmp.{os.getpid()}"
    with tempfile.TemporaryDirectory() as profile:
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--disable-extensions", "--no-first-run", f"--user-data-dir={profile}", "--no-pdf-header-footer",
                   f"--print-to-pdf={tmp}", "file://" + os.path.abspath(os.fspath(html_path))]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or not os.path.exists(tmp):
        raise RuntimeError(f"Chromium could not print the PDF: {done.stderr.strip()[-800:]}")
    os.replace(tmp, pdf_path)


def write_report(path: "str | os.PathLike[str]", out: "str | os.PathLike[str]",
                 pdf: "str | os.PathLike[str] | None" = None) -> None:
    """Writes the HTML report of `path` to `out` (atomically), and a PDF to `pdf` if given."""
    from ._results import _write_atomically

    html = render(path)

    def write(tmp: str) -> None:
        with io.open(tmp, "w", encoding="utf-8") as f:
            f.write(html)

    _write_atomically(out, write)
    if pdf is not None:
        write_pdf(out, pdf)


def _check_readable(path: str) -> None:
    """Names the file when HDF5 cannot open it (h5py's messages do not), as desist does."""
    import h5py

    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such results file")
    try:
        with h5py.File(path, "r"):
            pass
    except OSError as e:
        raise ValueError(f"{path}: cannot read it: not an HDF5 file, or truncated or unreadable ({e})") from None


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: ``desist-report RESULTS.h5 -o REPORT.html [--pdf [REPORT.pdf]]``."""
    parser = argparse.ArgumentParser(
        prog="desist report", description="Write a self-contained HTML report (and a PDF) of a desist results file: "
                                          "a run, a comparison, a sweep or a contract evaluation.")
    parser.add_argument("results", help="HDF5 file of desist run/compare/sweep/pbr --out")
    parser.add_argument("-o", "--out", help="HTML file to write (default: the results file's name with .html)")
    parser.add_argument("--pdf", nargs="?", const=True, default=None, metavar="PDF",
                        help="also print a PDF (default name: the HTML file's with .pdf); needs Chromium")
    args = parser.parse_args(argv)
    out = args.out or os.path.splitext(args.results)[0] + ".html"
    pdf = os.path.splitext(out)[0] + ".pdf" if args.pdf is True else args.pdf
    try:
        _check_readable(args.results)
        write_report(args.results, out, pdf)
    except (OSError, ValueError, RuntimeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2 if isinstance(e, (FileNotFoundError, ValueError)) else 1
    print(out if pdf is None else f"{out}\n{pdf}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
