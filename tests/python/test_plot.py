"""Tests of desist.plot: each function returns its Axes with the expected artists,
drawing the numbers of the results it was given."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.container import BarContainer, ErrorbarContainer  # noqa: E402

import desist  # noqa: E402
import desist.plot  # noqa: E402
from conftest import BASELINE, ROOT  # noqa: E402

OPTIONS = ROOT / "scenarios" / "options"
PALETTE = set(desist.plot.OKABE_ITO.values())


def _scenario(size):
    scenario = desist.Scenario.load(BASELINE)
    scenario.set("cohort.size", size)
    return scenario


@pytest.fixture(scope="module")
def results():
    return desist.run(_scenario(3000), replicates=3, seed=5, threads=2, progress=False)


@pytest.fixture(scope="module")
def single():
    return desist.run(_scenario(2000), replicates=1, seed=5, threads=2, progress=False)


@pytest.fixture(scope="module")
def comparison():
    # housing: one intervention; IOM: two (its "or" of eligibility).
    return desist.compare(_scenario(8000), OPTIONS / "housing_ttg.yaml", OPTIONS / "iom_wraparound.yaml",
                          replicates=3, seed=5)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _bands(ax):
    return [c for c in ax.collections if isinstance(c, PolyCollection)]


def test_survival_draws_the_mean_curve_and_its_band(results):
    ax = desist.plot.survival(results)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert len(ax.lines) == 1 and len(_bands(ax)) == 1
    line = ax.lines[0]
    x, y = line.get_xdata(), line.get_ydata()
    df = results.survival()
    expected = df.groupby("day")["reoffended"].mean().sort_index()
    np.testing.assert_allclose(x, expected.index.to_numpy())
    np.testing.assert_allclose(y, expected.to_numpy())
    assert np.all(np.diff(y) >= -1e-12) and 0.0 <= y.min() and y.max() <= 1.0
    assert to_hex(line.get_color()) in {c.lower() for c in PALETTE}
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_legend() is not None


def test_plots_draw_on_the_axes_they_are_given(results):
    _, ax = plt.subplots()
    assert desist.plot.survival(results, ax=ax) is ax
    _, ax = plt.subplots()
    assert desist.plot.custody_population(results, ax=ax) is ax


def test_custody_population_has_a_band_across_replicates(results):
    ax = desist.plot.custody_population(results)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert len(ax.lines) == 1 and len(_bands(ax)) == 1
    ts = results.timeseries()
    month = "month" if "month" in ts.columns else ts.index.names[0]
    expected = ts.reset_index().groupby(month)["custody_population"].mean().sort_index()
    np.testing.assert_allclose(ax.lines[0].get_ydata(), expected.to_numpy())
    # The band holds the mean: the confidence interval by default, the range on request.
    band = _bands(ax)[0].get_paths()[0].vertices[:, 1]
    assert band.min() <= expected.min() + 1e-9 and band.max() >= expected.max() - 1e-9
    ax = desist.plot.custody_population(results, band="range")
    assert len(_bands(ax)) == 1
    with pytest.raises(ValueError):
        desist.plot.custody_population(results, band="sd")


def test_custody_population_of_one_replicate_has_no_band(single):
    ax = desist.plot.custody_population(single)
    assert len(ax.lines) == 1 and len(_bands(ax)) == 0
    ax = desist.plot.survival(single)
    assert len(ax.lines) == 1 and len(_bands(ax)) == 1  # the Greenwood band of the one replicate


def test_places_used_has_one_line_per_intervention(comparison):
    ax = desist.plot.places_used(comparison)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert len(ax.lines) == 3  # housing_ttg, iom_wraparound, iom_wraparound_flagged
    labels = [line.get_label() for line in ax.lines]
    assert any("iom_wraparound_flagged" in label for label in labels)
    for line in ax.lines:
        y = np.asarray(line.get_ydata(), dtype=float)
        assert np.all(y >= 0) and y.max() > 0
    # Housing has 100 places, the two IOM interventions 45 and 15.
    assert max(ax.lines[0].get_ydata()) <= 100 + 1e-9
    assert len({to_hex(line.get_color()) for line in ax.lines}) == 3
    assert len({str(line.get_linestyle()) for line in ax.lines}) == 3
    ax = desist.plot.places_used(comparison, options=["housing_ttg"])
    assert len(ax.lines) == 1
    with pytest.raises(KeyError):
        desist.plot.places_used(comparison, options=["no_such_option"])


def test_plots_by_option_draw_the_base_and_each_option(comparison):
    runs = [comparison.base, comparison.option("housing_ttg"), comparison.option("iom_wraparound")]
    ax = desist.plot.reoffending_by_option(comparison)
    points = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert len(points) == 3
    for container, run in zip(points, runs):
        rate = run.summary.loc["binary_rate"]
        assert np.isclose(container.lines[0].get_xdata()[0], rate["mean"])
        low, high = container.lines[2][0].get_segments()[0][:, 0]
        assert np.isclose(low, rate["ci_low"]) and np.isclose(high, rate["ci_high"])
    ax = desist.plot.survival_by_option(comparison)
    assert len(ax.lines) == 3
    for line, run in zip(ax.lines, runs):
        expected = run.survival().groupby("day")["reoffended"].mean().sort_index()
        np.testing.assert_allclose(line.get_ydata(), expected.to_numpy())
    ax = desist.plot.custody_by_option(comparison)
    assert len(ax.lines) == 3 and len({str(line.get_linestyle()) for line in ax.lines}) == 3
    for line, run in zip(ax.lines, runs):
        expected = run.timeseries().groupby("month")["custody_population"].mean().sort_index()
        np.testing.assert_allclose(line.get_ydata(), expected.to_numpy())


def test_cost_effectiveness_plane_has_a_point_per_option_and_quadrant_lines(comparison):
    ax = desist.plot.cost_effectiveness_plane(comparison)
    assert isinstance(ax, matplotlib.axes.Axes)
    points = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert len(points) == 2
    table = comparison.table()
    economics = comparison.economics()
    for container, key in zip(points, ["housing_ttg", "iom_wraparound"]):
        data_line = container.lines[0]
        x, y = data_line.get_xdata()[0], data_line.get_ydata()[0]
        assert np.isclose(x, desist.plot._estimate(table, key, "reoffences_averted")["mean"])
        npv = desist.plot._estimate(economics, key, "net_present_value")["mean"]
        assert np.isclose(y, -npv)
        assert container.has_xerr and container.has_yerr
    # The two zero lines: one horizontal, one vertical, through the origin.
    zero = [line for line in ax.lines if list(line.get_xdata()) == [0, 0] or list(line.get_ydata()) == [0, 0]]
    assert len(zero) == 2
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    assert x0 < 0 < x1 and y0 < 0 < y1
    assert len(ax.get_legend().get_texts()) == 2


def test_savings_by_agency_stacks_each_option_to_its_net_present_value(comparison):
    ax = desist.plot.savings_by_agency(comparison)
    assert isinstance(ax, matplotlib.axes.Axes)
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    agencies = [c.get_label() for c in bars]  # one container per agency, one bar per option
    assert "victims and society" in agencies and "local authority" in agencies
    assert "NHS" not in agencies  # nothing saved or spent by the NHS under these two options
    options = [t.get_text() for t in ax.get_yticklabels()]
    assert [o.replace("\n", " ") for o in options] == [comparison.option("housing_ttg").name,
                                                      comparison.option("iom_wraparound").name]
    economics = comparison.economics()
    savings = comparison.savings_by_agency()
    for row, key in enumerate(["housing_ttg", "iom_wraparound"]):
        widths = np.array([c.patches[row].get_width() for c in bars])
        npv = desist.plot._estimate(economics, key, "net_present_value")["mean"]
        assert np.isclose(widths.sum(), npv, rtol=1e-9, atol=1e-6)
        assert np.isclose(widths.sum(), savings.loc[key, "mean"].sum(), rtol=1e-9, atol=1e-6)
        # Investments stack leftwards from zero, savings rightwards.
        lefts = [c.patches[row].get_x() for c in bars]
        assert all(x <= 1e-9 for x, w in zip(lefts, widths) if w < 0)
        assert all(x >= -1e-9 for x, w in zip(lefts, widths) if w >= 0)
    # Housing is paid for by the council: its segment is an investment (negative).
    housing = dict(zip(agencies, [c.patches[0].get_width() for c in bars]))
    assert housing["local authority"] < 0 and housing["victims and society"] > 0
    # The net present values, as points with intervals.
    (net,) = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    np.testing.assert_allclose(net.lines[0].get_xdata(), [
        desist.plot._estimate(economics, key, "net_present_value")["mean"] for key in ["housing_ttg", "iom_wraparound"]])
    # Agencies differ in hatching as well as colour (print).
    assert len({c.patches[0].get_hatch() for c in bars}) == len(bars)
    assert len({to_hex(c.patches[0].get_facecolor()) for c in bars}) == len(bars)
    ax = desist.plot.savings_by_agency(comparison, options=["iom_wraparound"])
    assert len(ax.get_yticklabels()) == 1
    with pytest.raises(KeyError):
        desist.plot.savings_by_agency(comparison, options=["no_such_option"])


def test_payment_distribution_counts_every_replicate_and_marks_the_mean():
    payments = np.array([0.0, 0.0, 0.0, 120_000.0, 150_000.0, 400_000.0])
    ax = desist.plot.payment_distribution(payments)
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == len(payments) and heights[0] == 3  # the spike at nothing
    assert np.isclose(ax.lines[0].get_xdata()[0], payments.mean())


def test_power_curve_draws_both_powers_for_each_cohort_size():
    power = pd.DataFrame({"cohort_size": [500, 500, 1000, 1000], "true_relative_effect": [0.1, 0.05, 0.05, 0.1],
                          "simulated_power": [0.5, 0.2, 0.4, 0.8], "analytic_power": [0.45, 0.25, 0.35, 0.85]})
    ax = desist.plot.power_curve(power)
    lines = [line for line in ax.lines if line.get_label().startswith("cohort")]
    assert len(lines) == 4  # per cohort size: the approximation and the simulation
    approximation_500 = next(line for line in lines if line.get_label() == "cohort of 500: normal approximation")
    np.testing.assert_allclose(approximation_500.get_xdata(), [0.05, 0.1])  # sorted by effect
    np.testing.assert_allclose(approximation_500.get_ydata(), [0.25, 0.45])
