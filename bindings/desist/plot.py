"""Plots of desist results and comparisons, for reports and notebooks.

Every function draws on a matplotlib Axes (a new figure when ``ax`` is None) and
returns that Axes, so plots can be combined, restyled and saved with the usual
matplotlib calls::

    import desist, desist.plot
    results = desist.run(scenario, replicates=5, seed=1)
    ax = desist.plot.survival(results)
    ax.figure.savefig("survival.png", dpi=200)

Colours are the Okabe–Ito palette, which readers with the common colour-vision
deficiencies can tell apart; lines also differ in dash pattern, points in marker
and bars in hatching, so the plots still read when printed in black and white.
Shaded bands are 95% intervals unless the docstring says otherwise.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal, Sequence

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover - imported for type hints only
    from matplotlib.axes import Axes

__all__ = [
    "OKABE_ITO",
    "survival",
    "custody_population",
    "reoffending_by_option",
    "survival_by_option",
    "custody_by_option",
    "places_used",
    "cost_effectiveness_plane",
    "savings_by_agency",
    "tornado",
    "sobol_indices",
    "payment_distribution",
    "power_curve",
]

#: The Okabe–Ito palette (Okabe and Ito 2008), in the order the plots use it.
#: Yellow comes last: it is hard to see on white paper.
OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "bluish_green": "#009E73",
    "orange": "#E69F00",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "black": "#000000",
    "yellow": "#F0E442",
}
_COLOURS = list(OKABE_ITO.values())
# Fills of stacked bars: no black, so the black net-value markers stay visible.
_FILLS = [c for c in _COLOURS if c != OKABE_ITO["black"]] + [OKABE_ITO["black"]]
_LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)), (0, (1, 3)), (0, (3, 1, 1, 1))]
_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
_HATCHES = ["", "//", "..", "xx", "\\\\", "++", "oo", "--"]
_GREY = "#555555"


def _colour(i: int) -> str:
    return _COLOURS[i % len(_COLOURS)]


def _axes(ax: "Axes | None", height: float = 4.2) -> "Axes":
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(7.0, height), layout="constrained")
    return ax


def _legend_below(ax: "Axes", ncol: int = 2) -> None:
    """A legend under the plot, clear of the data."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=ncol, frameon=False, fontsize="small")


def _pounds(x: float, _pos: Any = None) -> str:
    """Formats an amount in pounds compactly: £1.2m, £350k, −£40k."""
    if abs(x) < 0.5:
        return "£0"
    sign = "\u2212" if x < 0 else ""
    x = abs(x)
    if x >= 1e6:
        return f"{sign}£{x / 1e6:.3g}m"
    if x >= 1e3:
        return f"{sign}£{x / 1e3:.3g}k"
    return f"{sign}£{x:.0f}"


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with any named index levels turned into columns."""
    names = [n for n in (df.index.names or []) if n is not None]
    return df.reset_index(level=names) if names else df.reset_index(drop=True)


def _column(df: pd.DataFrame, *candidates: str) -> str:
    for name in candidates:
        if name in df.columns:
            return name
    raise KeyError(f"none of the columns {candidates} in {list(df.columns)}")


def _label(comparison: Any, key: str) -> str:
    """The option's name for a legend, falling back on its key."""
    try:
        option = comparison.option(key)
    except Exception:  # noqa: BLE001 - a missing or odd option() only costs the nicer label
        return str(key)
    name = getattr(option, "name", None)
    if isinstance(name, str) and name:
        return name
    return str(key)


def _by_replicate(df: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """Wide frame: one row per x value, one column per replicate."""
    if "replicate" in df.columns:
        return df.pivot_table(index=x, columns="replicate", values=y, aggfunc="first").sort_index()
    return df.set_index(x)[[y]].sort_index()


#: Two-sided 95% quantiles of Student's t (the 97.5th percentile) by degrees of freedom.
_T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
         11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093,
         20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048,
         29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}


def _t_quantile(df: int) -> float:
    """97.5th percentile of Student's t with `df` degrees of freedom (SciPy's when
    installed; otherwise tabulated, rounding `df` down: never too narrow)."""
    try:
        from scipy.stats import t  # type: ignore[import-not-found]

        return float(t.ppf(0.975, df))
    except ImportError:
        below = [k for k in _T975 if k <= df]
        return _T975[max(below)] if df < 1000 else 1.960


# --------------------------------------------------------------------- results


def survival(results: Any, ax: "Axes | None" = None) -> "Axes":
    """Time to first proven reoffence: proportion reoffended by day of follow-up.

    Draws the mean over replicates of 1 − Kaplan–Meier (``results.survival()``,
    censored at death) against the day of follow-up, with the mean of the
    replicates' Greenwood 95% bands shaded around it.

    Parameters
    ----------
    results:
        A :class:`desist.Results` (from :func:`desist.run` or :func:`desist.open`).
    ax:
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes, holding one line (the curve) and one shaded band.
    """
    ax = _axes(ax)
    df = _flat(results.survival())
    day = _column(df, "day")
    mean = df.groupby(day)[["reoffended", "lower", "upper"]].mean().sort_index()
    n = int(df["replicate"].nunique()) if "replicate" in df.columns else 1
    colour = _colour(0)
    ax.fill_between(mean.index, mean["lower"], mean["upper"], color=colour, alpha=0.25, linewidth=0,
                    label="95% band")
    ax.plot(mean.index, mean["reoffended"], color=colour, linewidth=2,
            label="proportion reoffended" + (f" (mean of {n} replicates)" if n > 1 else ""))
    ax.set_xlabel("days since index date (release, order start or caution)")
    ax.set_ylabel("proportion with a proven reoffence")
    ax.set_xlim(0, float(mean.index.max()))
    ax.set_ylim(bottom=0)
    from matplotlib.ticker import PercentFormatter

    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title("Time to first proven reoffence")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.legend(loc="lower right", frameon=False)
    return ax


def custody_population(results: Any, ax: "Axes | None" = None,
                       band: Literal["ci", "range"] = "ci") -> "Axes":
    """Custody population of the cohort by calendar month.

    Draws the average number of the cohort in custody during each month
    (``results.timeseries()``), mean over replicates. With several replicates
    a band is shaded: the 95% confidence interval of the mean (``band="ci"``,
    Student's t, as every other interval in desist) or the lowest to the
    highest replicate (``band="range"``).

    Months are counted from the first possible index date, so the cohort's
    releases and court orders spread over the first twelve.

    Parameters
    ----------
    results:
        A :class:`desist.Results`.
    ax:
        Axes to draw on; a new figure when None.
    band:
        ``"ci"`` or ``"range"`` (ignored with one replicate).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes, holding one line, and one shaded band when there are several
        replicates.
    """
    if band not in ("ci", "range"):
        raise ValueError(f"band must be 'ci' or 'range', not {band!r}")
    ax = _axes(ax)
    df = _flat(results.timeseries())
    month = _column(df, "month", "month_index")
    wide = _by_replicate(df, month, "custody_population")
    n = wide.shape[1]
    mean = wide.mean(axis=1)
    colour = _colour(0)
    if n > 1:
        if band == "ci":
            half = _t_quantile(n - 1) * wide.std(axis=1, ddof=1) / math.sqrt(n)
            low, high, what = mean - half, mean + half, "95% interval of the mean"
        else:
            low, high, what = wide.min(axis=1), wide.max(axis=1), f"range of {n} replicates"
        ax.fill_between(mean.index, low, high, color=colour, alpha=0.25, linewidth=0, label=what)
    ax.plot(mean.index, mean, color=colour, linewidth=2,
            label="in custody" + (f" (mean of {n} replicates)" if n > 1 else ""))
    ax.set_xlabel("month of the cohort period (month 0: first possible index date)")
    ax.set_ylabel("people of the cohort in custody")
    ax.set_xlim(float(mean.index.min()), float(mean.index.max()))
    ax.set_ylim(bottom=0)
    ax.set_title("Custody population of the cohort")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.legend(loc="upper right", frameon=False)
    return ax


# ----------------------------------------------------------------- comparisons


def _runs(comparison: Any) -> list[tuple[str, Any]]:
    """(label, results) of the base and then each option."""
    return [(f"base: {comparison.base.name}", comparison.base)] + [
        (_label(comparison, key), comparison.option(key)) for key in _option_keys(comparison)]


def reoffending_by_option(comparison: Any, ax: "Axes | None" = None) -> "Axes":
    """Proven reoffending rate of the base and of each option, with 95% intervals.

    One point per run (the mean over replicates of the binary rate,
    ``results.summary``) with the 95% interval of the mean; the dotted line is
    the base. The intervals are each run's own: the paired interval of each
    difference, narrower because the runs share their people and random
    numbers, is in ``comparison.table()``.
    """
    runs = _runs(comparison)
    ax = _axes(ax, height=1.4 + 0.45 * len(runs))
    import textwrap

    y = np.arange(len(runs))[::-1]
    for i, ((label, results), yi) in enumerate(zip(runs, y)):
        row = results.summary.loc["binary_rate"]
        mean, low, high = float(row["mean"]), float(row["ci_low"]), float(row["ci_high"])
        err = [[max(mean - low, 0.0)], [max(high - mean, 0.0)]] if np.isfinite([low, high]).all() else None
        ax.errorbar([mean], [yi], xerr=err, fmt=_MARKERS[i % len(_MARKERS)], color=_colour(i), markersize=7,
                    markeredgecolor="black", markeredgewidth=0.6, capsize=3)
        if i == 0:
            ax.axvline(mean, color=_GREY, linestyle=":", linewidth=1)
    ax.set_yticks(y, [textwrap.fill(label, 34) for label, _ in runs])
    from matplotlib.ticker import PercentFormatter

    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
    ax.set_xlabel("proven reoffending rate (binary measure), 95% interval")
    ax.set_title("Proven reoffending by option")
    ax.grid(True, axis="x", color="#dddddd", linewidth=0.6)
    return ax


def _mean_curve(df: pd.DataFrame, x: str, y: str) -> pd.Series:
    """The mean over replicates of column `y` at each value of `x`."""
    return df.groupby(x)[y].mean().sort_index()


def _lines_by_option(comparison: Any, ax: "Axes", curve: Any) -> None:
    """One line per run (base solid, options dashed), from `curve(results)` → Series."""
    for i, (label, results) in enumerate(_runs(comparison)):
        series = curve(results)
        ax.plot(series.index, series.to_numpy(), color=_colour(i), linestyle=_LINESTYLES[i % len(_LINESTYLES)],
                linewidth=1.8, label=label)


def survival_by_option(comparison: Any, ax: "Axes | None" = None) -> "Axes":
    """Time to first proven reoffence under the base and each option (means over replicates)."""
    ax = _axes(ax, height=5.0)
    _lines_by_option(comparison, ax, lambda r: _mean_curve(_flat(r.survival()), "day", "reoffended"))
    from matplotlib.ticker import PercentFormatter

    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("days since index date (release, order start or caution)")
    ax.set_ylabel("proportion with a proven reoffence")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.set_title("Time to first proven reoffence")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    _legend_below(ax, ncol=1)
    return ax


def custody_by_option(comparison: Any, ax: "Axes | None" = None) -> "Axes":
    """Prison places the cohort fills under the base and each option, by calendar month (means over replicates)."""
    ax = _axes(ax, height=5.0)
    _lines_by_option(comparison, ax, lambda r: _mean_curve(_flat(r.timeseries()), "month", "custody_population"))
    ax.set_xlabel("month of the cohort period (month 0: first possible index date)")
    ax.set_ylabel("people of the cohort in custody")
    ax.set_ylim(bottom=0)
    ax.set_title("Prison places used by the cohort")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    _legend_below(ax, ncol=1)
    return ax


def _in_service(comparison: Any) -> pd.DataFrame:
    """Long frame: option, intervention, month, in_service (mean over replicates)."""
    thr = comparison.throughput()
    df = _flat(thr) if isinstance(thr, pd.DataFrame) else pd.DataFrame(thr)
    option = _column(df, "option", "key")
    intervention = _column(df, "intervention")
    if "month" in df.columns and "in_service" in df.columns:
        return df[[option, intervention, "month", "in_service"]].rename(
            columns={option: "option", intervention: "intervention"})
    col = _column(df, "in_service_by_month")
    rows = []
    for _, row in df.iterrows():
        for m, v in enumerate(np.asarray(row[col], dtype=float)):
            rows.append((row[option], row[intervention], m, v))
    return pd.DataFrame(rows, columns=["option", "intervention", "month", "in_service"])


def places_used(comparison: Any, ax: "Axes | None" = None,
                options: Sequence[str] | None = None) -> "Axes":
    """Places in use by month, one line per intervention of each option.

    Draws the mean number of people in service in each calendar month
    (``comparison.throughput()``), one line per intervention; an option with
    several interventions (the IOM package) has one line for each.

    Parameters
    ----------
    comparison:
        A :class:`desist.Comparison` (from :func:`desist.compare`).
    ax:
        Axes to draw on; a new figure when None.
    options:
        Keys of the options to draw (file names without ``.yaml``); all when None.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes, holding one line per intervention drawn.
    """
    ax = _axes(ax, height=5.5)
    df = _in_service(comparison)
    keys = list(dict.fromkeys(df["option"]))
    if options is not None:
        missing = [k for k in options if k not in keys]
        if missing:
            raise KeyError(f"no option {missing} in the comparison (options: {keys})")
        keys = list(options)
    i = 0
    for key in keys:
        sub = df[df["option"] == key]
        interventions = list(dict.fromkeys(sub["intervention"]))
        for name in interventions:
            s = sub[sub["intervention"] == name].sort_values("month")
            label = _label(comparison, key)
            if len(interventions) > 1:
                label = f"{label}: {name}"
            ax.plot(s["month"], s["in_service"], color=_colour(i), linestyle=_LINESTYLES[i % len(_LINESTYLES)],
                    linewidth=1.8, label=label)
            i += 1
    ax.set_xlabel("month of the cohort period")
    ax.set_ylabel("people in service (mean over replicates)")
    ax.set_ylim(bottom=0)
    ax.set_title("Places used")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    _legend_below(ax, ncol=1)
    return ax


def _estimate(frame: pd.DataFrame, key: str, name: str) -> pd.Series:
    """One estimate (mean, ci_low, ci_high, ...) of one option from a frame
    indexed by (option, name) or by option with a column per name."""
    if isinstance(frame.index, pd.MultiIndex):
        return frame.loc[(key, name)]
    df = _flat(frame)
    option = _column(df, "option", "key")
    for col in ("measure", "estimate", "agency"):
        if col in df.columns:
            row = df[(df[option] == key) & (df[col] == name)]
            return row.iloc[0]
    raise KeyError(f"cannot find {name!r} of option {key!r}")


def _option_keys(comparison: Any) -> list[str]:
    table = comparison.table()
    if isinstance(table.index, pd.MultiIndex):
        return list(dict.fromkeys(table.index.get_level_values(0)))
    df = _flat(table)
    return list(dict.fromkeys(df[_column(df, "option", "key")]))


def cost_effectiveness_plane(comparison: Any, ax: "Axes | None" = None) -> "Axes":
    """Cost-effectiveness plane: reoffences averted against net cost.

    One point per option at (proven reoffences averted, net cost), where net
    cost = intervention cost − savings (the savings to every agency from the
    crime, police, court, prison and probation costs avoided; discounted), the
    negative of the net present value. Bars show the paired 95% intervals of
    each (``comparison.table()`` and ``comparison.economics()``). Lines at zero
    split the plane:

    * bottom right: fewer reoffences and money saved (the option pays for itself);
    * top right: fewer reoffences at a net cost (the slope from the origin is the
      net cost per reoffence averted);
    * left: more reoffences than the base.

    Parameters
    ----------
    comparison:
        A :class:`desist.Comparison`.
    ax:
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes, holding one errorbar container per option and the two zero
        lines.
    """
    ax = _axes(ax, height=5.5)
    table = comparison.table()
    economics = comparison.economics()
    for i, key in enumerate(_option_keys(comparison)):
        x = _estimate(table, key, "reoffences_averted")
        npv = _estimate(economics, key, "net_present_value")
        y, y_low, y_high = -float(npv["mean"]), -float(npv["ci_high"]), -float(npv["ci_low"])
        xm, x_low, x_high = float(x["mean"]), float(x["ci_low"]), float(x["ci_high"])
        xerr = [[max(xm - x_low, 0.0)], [max(x_high - xm, 0.0)]] if np.isfinite([x_low, x_high]).all() else None
        yerr = [[max(y - y_low, 0.0)], [max(y_high - y, 0.0)]] if np.isfinite([y_low, y_high]).all() else None
        ax.errorbar([xm], [y], xerr=xerr, yerr=yerr, fmt=_MARKERS[i % len(_MARKERS)], color=_colour(i),
                    markersize=8, markeredgecolor="black", markeredgewidth=0.6, elinewidth=1.4, capsize=3,
                    label=_label(comparison, key))
    ax.axhline(0.0, color=_GREY, linewidth=1.0, zorder=0)
    ax.axvline(0.0, color=_GREY, linewidth=1.0, zorder=0)
    # Keep the origin in view, so the quadrants are visible.
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    ax.set_xlim(min(x0, -0.05 * (x1 - x0)), max(x1, 0.05 * (x1 - x0)))
    ax.set_ylim(min(y0, -0.05 * (y1 - y0)), max(y1, 0.05 * (y1 - y0)))
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(_pounds))
    ax.text(0.99, 0.02, "saves money,\nfewer reoffences", transform=ax.transAxes, ha="right", va="bottom",
            fontsize="small", color=_GREY)
    ax.text(0.99, 0.98, "costs money,\nfewer reoffences", transform=ax.transAxes, ha="right", va="top",
            fontsize="small", color=_GREY)
    ax.set_xlabel("proven reoffences averted (base − option)")
    ax.set_ylabel("net cost: intervention cost − savings")
    ax.set_title("Cost-effectiveness plane (paired 95% intervals)")
    ax.grid(True, color="#eeeeee", linewidth=0.6)
    _legend_below(ax, ncol=2)
    return ax


#: How agencies are named on plots; others are shown with spaces for underscores.
AGENCY_LABELS: dict[str, str] = {
    "hmpps": "HMPPS (prisons, probation)",
    "police": "police",
    "courts": "courts",
    "local_authority": "local authority",
    "nhs": "NHS",
    "dwp": "DWP",
    "victims_and_society": "victims and society",
}


def _agency_label(agency: str) -> str:
    return AGENCY_LABELS.get(agency, agency.replace("_", " "))


def _savings(comparison: Any) -> pd.DataFrame:
    """Long frame: option, agency, mean, ci_low, ci_high."""
    df = _flat(comparison.savings_by_agency())
    option = _column(df, "option", "key")
    agency = _column(df, "agency")
    out = df.rename(columns={option: "option", agency: "agency"})
    for col in ("ci_low", "ci_high"):
        if col not in out.columns:
            out[col] = np.nan
    return out[["option", "agency", "mean", "ci_low", "ci_high"]]


def savings_by_agency(comparison: Any, ax: "Axes | None" = None,
                      options: Sequence[str] | None = None) -> "Axes":
    """Who invests, who saves: each agency's discounted saving under each option.

    One horizontal bar per option, split by agency: each agency's saving
    (discounted cost in the base minus in the option, over the whole run,
    ``comparison.savings_by_agency()``). Agencies that pay for the option and
    recover less than they spend are stacked to the left of zero; those whose
    costs fall (victims and society, police, courts, prisons) to the right. The
    black diamond is the sum, the option's net present value, with its paired
    95% interval: right of zero, the public and social purse as a whole gains
    even when the agency that pays loses. Agencies with no saving under any
    option drawn are left out.

    Parameters
    ----------
    comparison:
        A :class:`desist.Comparison`.
    ax:
        Axes to draw on; a new figure when None.
    options:
        Keys of the options to draw; all when None.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes, holding one bar container per agency (one bar per option,
        colour and hatching by agency), one errorbar container (the net
        present values) and the zero line.
    """
    df = _savings(comparison)
    keys = list(dict.fromkeys(df["option"]))
    if options is not None:
        missing = [k for k in options if k not in keys]
        if missing:
            raise KeyError(f"no option {missing} in the comparison (options: {keys})")
        keys = list(options)
    df = df[df["option"].isin(keys)]
    means = df.pivot_table(index="option", columns="agency", values="mean", aggfunc="first", sort=False)
    means = means.reindex(index=keys, columns=list(dict.fromkeys(df["agency"]))).fillna(0.0)
    means = means.loc[:, (means != 0).any(axis=0)]
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(8.5, 2.2 + 0.6 * len(keys)), layout="constrained")
    y = np.arange(len(keys), dtype=float)
    right = np.zeros(len(keys))
    left = np.zeros(len(keys))
    for i, agency in enumerate(means.columns):
        values = means[agency].to_numpy(dtype=float)
        start = np.where(values >= 0, right, left)
        ax.barh(y, values, left=start, height=0.6, color=_FILLS[i % len(_FILLS)], edgecolor="black", linewidth=0.5,
                hatch=_HATCHES[i % len(_HATCHES)], label=_agency_label(agency))
        right += np.where(values >= 0, values, 0.0)
        left += np.where(values < 0, values, 0.0)
    npv = [_estimate(comparison.economics(), key, "net_present_value") for key in keys]
    mean = np.array([float(e["mean"]) for e in npv])
    low = np.array([float(e["ci_low"]) for e in npv])
    high = np.array([float(e["ci_high"]) for e in npv])
    err = None
    if np.isfinite(low).all() and np.isfinite(high).all():
        err = np.vstack([np.clip(mean - low, 0, None), np.clip(high - mean, 0, None)])
    ax.errorbar(mean, y, xerr=err, fmt="D", color="black", markerfacecolor="white", markersize=7,
                markeredgewidth=1.5, elinewidth=1.5, capsize=3, label="net (all agencies), 95% interval", zorder=3)
    ax.axvline(0.0, color="black", linewidth=0.8)
    import textwrap

    ax.set_yticks(y, [textwrap.fill(_label(comparison, key), 28) for key in keys])
    ax.invert_yaxis()
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(_pounds))
    ax.set_axisbelow(True)
    ax.set_xlabel("saving (base − option, discounted over the run); left of zero: the agency invests")
    ax.set_title("Who invests, who saves")
    ax.grid(True, axis="x", color="#dddddd", linewidth=0.6)
    _legend_below(ax, ncol=3)
    return ax


# --------------------------------------------------------------------- sweeps


def _sweep_output(table: pd.DataFrame, output: str | None, what: str) -> tuple[str, pd.DataFrame]:
    if table.empty:
        raise ValueError(f"this sweep has no {what} (docs/sweeps.md says which designs give one)")
    outputs = list(dict.fromkeys(table["output"]))
    output = outputs[0] if output is None else output
    if output not in outputs:
        raise ValueError(f"no {what} of {output!r}; the sweep has {outputs}")
    return output, table[table["output"] == output]


def _wrap_path(path: str, width: int = 28) -> str:
    """A long dotted key path on several lines, broken after dots, for a tick label."""
    lines, line = [], ""
    for part in path.split("."):
        piece = part if not line else "." + part
        if line and len(line) + len(piece) > width:
            lines.append(line + ".")
            line = part
        else:
            line += piece
    return "\n".join(lines + [line])


def tornado(sweep: Any, output: str | None = None, ax: "Axes | None" = None) -> "Axes":
    """One-way swings of a sweep's output (:attr:`desist.SweepResults.tornado`).

    One bar per factor, largest swing at the top, from the output with the
    factor at its low quantile to the output at its high quantile (every
    other factor at its median); the vertical line is the centre. `output`:
    a column such as ``"base.binary_rate"`` (default: the first analysed).
    """
    output, t = _sweep_output(sweep.tornado, output, "tornado")
    ax = _axes(ax, height=2.4 + 0.45 * len(t))
    centre = float(t["centre"].iloc[0])
    y = np.arange(len(t))[::-1]
    low, high = t["low"].to_numpy(), t["high"].to_numpy()
    ax.barh(y, low - centre, left=centre, color=_colour(0), label="factor at its low quantile")
    ax.barh(y, high - centre, left=centre, color=_colour(1), hatch=_HATCHES[1], label="factor at its high quantile")
    ax.axvline(centre, color=_GREY, linewidth=1)
    ax.set_yticks(y, [_wrap_path(d) for d in t["dimension"]])
    ax.set_xlabel(f"{output} (centre {centre:.4g})")
    ax.set_title("One-way sensitivity")
    _legend_below(ax)
    return ax


def sobol_indices(sweep: Any, output: str | None = None, ax: "Axes | None" = None) -> "Axes":
    """First-order and total Sobol indices of a sweep's output, with their 95%
    bootstrap intervals (:attr:`desist.SweepResults.sobol`; a ``sobol`` design).

    The first-order index is the share of the output's variance a factor
    explains alone; the total adds its interactions with the others.
    """
    output, t = _sweep_output(sweep.sobol, output, "Sobol indices")
    ax = _axes(ax, height=2.4 + 0.55 * len(t))
    y = np.arange(len(t))[::-1]
    for k, (name, label) in enumerate((("first", "first order"), ("total", "total"))):
        value = t[name].to_numpy()
        err = np.vstack([value - t[f"{name}_ci_low"].to_numpy(), t[f"{name}_ci_high"].to_numpy() - value])
        ax.barh(y + (0.2 if k == 0 else -0.2), value, height=0.4, xerr=np.clip(err, 0, None), color=_colour(k),
                hatch=_HATCHES[k], capsize=3, label=label)
    ax.set_yticks(y, [_wrap_path(d) for d in t["dimension"]])
    ax.axvline(0, color=_GREY, linewidth=1)
    ax.set_xlabel(f"share of the variance of {output}")
    ax.set_title("Sobol indices (95% bootstrap intervals)")
    _legend_below(ax)
    return ax


# --------------------------------------------------------------------- contracts


def payment_distribution(payments: Any, ax: "Axes | None" = None) -> "Axes":
    """The outcome payments of a contract's replicates (a :class:`desist.pbr.PbrResults`,
    or ``desist pbr --out``'s ``/per_replicate/outcome_payments``): a histogram,
    with the mean marked.

    A contract pays on a threshold, so the distribution is often lumpy: a
    spike at nothing, and payments above it.
    """
    ax = _axes(ax)
    if hasattr(payments, "per_replicate"):
        payments = payments.per_replicate["outcome_payments"]
    values = np.asarray(payments, dtype=float)
    bins = min(30, max(5, values.size // 2))
    ax.hist(values, bins=bins, color=_colour(0), edgecolor="black", linewidth=0.5)
    mean = float(values.mean()) if values.size else 0.0
    ax.axvline(mean, color=_colour(1), linestyle="--", linewidth=1.8, label=f"mean {_pounds(mean)}")
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(_pounds))
    ax.set_xlabel("outcome payments of a replicate (the whole contract)")
    ax.set_ylabel("replicates")
    ax.set_title(f"Payment distribution ({values.size} replicates)")
    ax.grid(True, axis="y", color="#dddddd", linewidth=0.6)
    ax.legend(loc="upper right", frameon=False)
    return ax


def power_curve(power: Any, ax: "Axes | None" = None) -> "Axes":
    """The chance a contract's measurement finds a real effect, by the size of the
    true effect, one line per cohort size: the simulated power (markers) and the
    normal approximation (line). `power` has columns cohort_size,
    true_relative_effect, simulated_power and analytic_power (``desist pbr``), or
    is a :class:`desist.pbr.PbrResults`.
    """
    ax = _axes(ax)
    if hasattr(power, "per_replicate"):
        power = power.power
    for i, (size, group) in enumerate(power.groupby("cohort_size", sort=True)):
        g = group.sort_values("true_relative_effect")
        x = g["true_relative_effect"].to_numpy(dtype=float)
        ax.plot(x, g["analytic_power"], color=_colour(i), linestyle=_LINESTYLES[i % len(_LINESTYLES)], linewidth=1.6,
                label=f"cohort of {int(size):,}: normal approximation")
        ax.plot(x, g["simulated_power"], _MARKERS[i % len(_MARKERS)], color=_colour(i), markeredgecolor="black",
                markeredgewidth=0.5, label=f"cohort of {int(size):,}: simulated")
    from matplotlib.ticker import PercentFormatter

    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylim(0, 1.02)
    ax.axhline(0.8, color=_GREY, linestyle=":", linewidth=1)
    ax.set_xlabel("true effect (relative fall in the outcome)")
    ax.set_ylabel("chance the measurement shows it")
    ax.set_title("Power of the contract's measurement")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    _legend_below(ax, ncol=2)
    return ax
