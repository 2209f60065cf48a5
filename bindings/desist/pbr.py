"""Payment-by-Results contracts (docs/pbr.md): :func:`evaluate` simulates and
prices a contract with the library's evaluation (the same as ``desist pbr``);
:func:`open` reads a contract file (``desist pbr --out``). Both give
:class:`PbrResults`, built from the same JSON (the file's ``evaluation``
attribute is what ``desist pbr --json`` writes), so they give identical numbers::

    import desist, desist.plot
    pbr = desist.pbr.evaluate("scenarios/contracts/doncaster_prison.yaml", replicates=10)
    pbr.expected_payment              # mean, ci_low, ci_high, sd of the outcome payments
    pbr.power                         # the power curve (one row per cohort size and effect)
    desist.plot.payment_distribution(pbr)
"""
from __future__ import annotations

import json
import os
import threading
from typing import Any, Iterable

import numpy as np
import pandas as pd

from . import _core
from ._run import Progress, _execute
from ._scenario import Scenario

__all__ = ["evaluate", "open", "PbrResults"]

_PER_REPLICATE = ("outcome_payments", "present_value", "provider_profit")


def _series(d: dict[str, Any], name: str) -> pd.Series:
    return pd.Series({k: np.nan if v is None else float(v) for k, v in d.items()}, name=name, dtype=float)


def _frame(d: dict[str, dict[str, Any]], index: str) -> pd.DataFrame:
    df = pd.DataFrame({k: {s: np.nan if x is None else x for s, x in v.items()} for k, v in d.items()}).T
    df.index.name = index
    return df.astype(float)


class PbrResults:
    """A contract's evaluation: payments, their odds and timing, the provider's and
    commissioner's positions, measured against true effect, power, gaming and the
    participant evaluation (docs/pbr.md, Output). Spreads are pandas Series with
    mean, ci_low, ci_high, sd and, where the JSON has them, q05 … q95."""

    def __init__(self, evaluation: dict[str, Any], per_replicate: dict[str, np.ndarray], native: Any = None) -> None:
        self._e = evaluation
        self._per_replicate = per_replicate
        self._native = native

    @property
    def evaluation(self) -> dict[str, Any]:
        """The whole evaluation as ``desist pbr --json`` writes it (parsed)."""
        return self._e

    @property
    def contract(self) -> str:
        """contract.name"""
        return str(self._e["contract"])

    @property
    def seed(self) -> int:
        return int(self._e["seed"])

    @property
    def replicates(self) -> int:
        return int(self._e["replicates"])

    @property
    def cohorts(self) -> list[str]:
        """The cohorts' labels."""
        return list(self._e["cohorts"])

    @property
    def outcomes(self) -> list[str]:
        """The contract's outcome names, the first being the one effects, power and gaming read."""
        return list(self._e["outcomes"])

    @property
    def expected_payment(self) -> pd.Series:
        """Outcome payments (net of deductions, nominal): mean, ci_low, ci_high, sd over replicates."""
        return _series(self._e["expected_payment"], "expected_payment")

    @property
    def payment_quantiles(self) -> pd.Series:
        """q05 … q95 of a replicate's outcome payments."""
        return _series(self._e["payment_quantiles"], "payment_quantiles")

    @property
    def probability_any_payment(self) -> float:
        """Share of replicates with any outcome payment."""
        return float(self._e["probability_any_payment"])

    @property
    def money(self) -> pd.DataFrame:
        """One row each for outcome_payments, present_value, fees, service_cost, provider_profit,
        commissioner_net: mean, ci_low, ci_high, sd, q05 … q95."""
        e = self._e
        rows = {"outcome_payments": e["outcome_payments"], "present_value": e["present_value"], "fees": e["fees"],
                "service_cost": e["provider"]["service_cost"], "provider_profit": e["provider"]["profit"],
                "commissioner_net": e["commissioner"]["net"]}
        return _frame(rows, "quantity")

    @property
    def timing(self) -> pd.DataFrame:
        """payment_day (payment-weighted mean due day) and first_payment_day, cohort days, over paying replicates."""
        return _frame(self._e["timing"], "timing")

    @property
    def provider(self) -> pd.DataFrame:
        """The provider's service_cost and profit."""
        return _frame(self._e["provider"], "provider")

    @property
    def commissioner(self) -> str:
        """The agency that pays."""
        return str(self._e["commissioner"]["agency"])

    @property
    def commissioner_net(self) -> pd.Series:
        """The commissioner's savings less what it pays (present value)."""
        return _series(self._e["commissioner"]["net"], "commissioner_net")

    @property
    def savings_by_agency(self) -> pd.DataFrame:
        """Savings (without the service − with it) by agency."""
        return _frame(self._e["commissioner"]["savings_by_agency"], "agency")

    @property
    def measured_effect(self) -> pd.Series:
        """The first outcome's relative improvement as the contract's comparison measures it."""
        return _series(self._e["measured_effect"], "measured_effect")

    @property
    def true_effect(self) -> pd.Series:
        """The same people's true relative improvement (without the service − with it)."""
        return _series(self._e["true_effect"], "true_effect")

    @property
    def effects(self) -> pd.DataFrame:
        """Per outcome: measured and true mean with their intervals, bias and noise (measured − true)."""
        rows = {}
        for outcome, r in self._e["effects"].items():
            row = {f"measured_{k}": r["measured"][k] for k in ("mean", "ci_low", "ci_high")}
            row.update({f"true_{k}": r["true"][k] for k in ("mean", "ci_low", "ci_high")})
            row.update(bias=r["bias"], noise=r["noise"])
            rows[outcome] = row
        return _frame(rows, "outcome")

    @property
    def minimum_detectable_effect(self) -> pd.DataFrame:
        """Per outcome: cohort_size, comparison_value, standard_error, absolute and relative MDE."""
        return _frame(self._e["minimum_detectable_effect"], "outcome")

    @property
    def power(self) -> pd.DataFrame:
        """The power curve: cohort_size, service_multiplier, true_relative_effect, standard_error,
        simulated_power, analytic_power, probability_any_payment, expected_payment (empty without one)."""
        columns = ["cohort_size", "service_multiplier", "true_relative_effect", "standard_error", "simulated_power",
                   "analytic_power", "probability_any_payment", "expected_payment"]
        return pd.DataFrame(self._e.get("power", []), columns=columns)

    @property
    def gaming(self) -> dict[str, Any] | None:
        """The provider strategies: ``strategies`` (a DataFrame of the means, one row per strategy),
        ``rewarded`` (the most provider profit) and ``wanted`` (the most true reduction); None without them."""
        g = self._e.get("gaming")
        if not g or not g.get("strategies"):
            return None
        rows = {name: {k: (v["mean"] if isinstance(v, dict) else v) for k, v in s.items()}
                for name, s in g["strategies"].items()}
        return {"strategies": _frame(rows, "strategy"), "rewarded": str(g["rewarded"]), "wanted": str(g["wanted"])}

    @property
    def participant_evaluation(self) -> dict[str, Any] | None:
        """The Justice-Data-Lab-style evaluation: ``covariates``, ``probability_significant`` and a DataFrame
        ``estimates`` (participants, estimated_effect, true_effect, bias); None without one."""
        p = self._e.get("participant_evaluation")
        if not p:
            return None
        estimates = {k: v for k, v in p.items() if isinstance(v, dict)}
        return {"covariates": list(p["covariates"]), "probability_significant": float(p["probability_significant"]),
                "estimates": _frame(estimates, "quantity")}

    @property
    def per_replicate(self) -> pd.DataFrame:
        """Per replicate: outcome_payments, present_value, provider_profit (the file's /per_replicate/)."""
        df = pd.DataFrame({k: np.asarray(self._per_replicate[k], dtype=float) for k in _PER_REPLICATE})
        df.index.name = "replicate"
        return df

    def to_json(self) -> str:
        """The JSON ``desist pbr --json`` writes."""
        return self._native.to_json() if self._native is not None else json.dumps(self._e, indent=2)

    def to_hdf5(self, path: "str | os.PathLike[str]") -> None:
        """Writes the file ``desist pbr --out`` writes, atomically (a contract simulated in this session)."""
        if self._native is None or not self._native.simulated:
            raise NotImplementedError("to_hdf5() needs a contract simulated in this session (desist.pbr.evaluate "
                                      "without results=)")
        self._native.write_hdf5(os.fspath(path))

    def __repr__(self) -> str:
        return (f"<desist.pbr.PbrResults {self.contract!r}: {self.replicates} replicates, expected payment "
                f"£{self.expected_payment['mean']:,.0f}, P(any payment) {self.probability_any_payment:.0%}>")


def _scenario_inputs(scenario: "Scenario | str | os.PathLike[str] | None") -> tuple[str, list[str]]:
    if scenario is None:
        return "", []
    if isinstance(scenario, Scenario):
        if not os.path.isfile(scenario.file):
            raise ValueError(f"a contract reads its scenario from a file; {scenario.file!r} is not one "
                             "(save the scenario with to_yaml() first)")
        return scenario.file, list(scenario.overrides)
    if isinstance(scenario, (str, os.PathLike)):
        return os.fspath(scenario), []
    raise TypeError(f"scenario is a desist.Scenario or a scenario file's path, not {type(scenario).__name__}")


def evaluate(contract: "str | os.PathLike[str]", scenario: "Scenario | str | os.PathLike[str] | None" = None,
             replicates: int | None = None, seed: int | None = None, threads: int | None = None,
             progress: Progress = True, results: "str | os.PathLike[str] | None" = None, *,
             overrides: Iterable[str] = (), scenario_overrides: Iterable[str] = (), power: bool = True,
             gaming: bool = True, cancel: "threading.Event | None" = None) -> PbrResults:
    """Evaluates a Payment-by-Results contract; the same numbers as ``desist pbr``.

    Parameters
    ----------
    contract:
        A contract file (scenarios/contracts/*.yaml).
    scenario:
        Simulate this scenario (a file's path, or a :class:`desist.Scenario` read
        from a file, its overrides kept) instead of the contract's own (``--scenario``).
    replicates, seed:
        Default: the contract's ``evaluation.replicates``; its seed, else the scenario's.
    threads, progress, cancel:
        As :func:`desist.run`; progress counts simulated worlds.
    results:
        Price the replicates recorded in this contract file (``desist pbr --out``)
        instead of simulating (``--results``): no power curve or strategies.
    overrides, scenario_overrides:
        "path.to.key=value" on the contract's keys (``--set``) and the scenario's (``--scenario-set``).
    power, gaming:
        False skips the power curve (``--no-power``) or the provider strategies (``--no-gaming``).

    Raises
    ------
    desist.InputError
        The contract or scenario is wrong, or the scenario indexes too few people
        for the cohorts (the command line's message, with file, line and key).
    desist.Cancelled
        Ctrl-C was pressed or `cancel` was set.
    """
    scenario_file, extra = _scenario_inputs(scenario)
    native = _core.load_contract(os.fspath(contract), scenario_file, [str(o) for o in overrides],
                                 extra + [str(o) for o in scenario_overrides])
    if results is not None:
        if replicates is not None or seed is not None:
            raise ValueError("results= prices the recorded replicates with their seed: give no replicates= or seed=")
        priced = _core.price_contract(native, os.fspath(results))
        return PbrResults(json.loads(priced.to_json()), priced.per_replicate(), native=priced)
    for name, value in (("replicates", replicates), ("seed", seed), ("threads", threads)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if replicates is not None and replicates < 1:
        raise ValueError("replicates must be at least 1")
    count = 0 if replicates is None else int(replicates)
    threads = 0 if threads is None else int(threads)
    control = _core.ContractControl()
    total = _core.contract_worlds(native, count, power, gaming)
    result = _execute(lambda c: _core.evaluate_contract(native, count, seed, threads, power, gaming, c), total,
                      progress, cancel, "desist pbr", control=control, unit="worlds")
    return PbrResults(json.loads(result.to_json()), result.per_replicate(), native=result)


def _read(path: str) -> PbrResults:
    import h5py

    with h5py.File(path, "r") as f:
        if f.attrs.get("kind") != "contract":
            raise ValueError(f"{path}: not a desist contract file (no kind = 'contract' attribute)")
        evaluation = json.loads(f.attrs["evaluation"])
        per_replicate = {k: f[f"per_replicate/{k}"][()] for k in _PER_REPLICATE}
    return PbrResults(evaluation, per_replicate)


def open(path: "str | os.PathLike[str]") -> PbrResults:  # noqa: A001 - as desist.open
    """Reads a contract file written by ``desist pbr --out`` or :meth:`PbrResults.to_hdf5`."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(path)
    return _read(path)
