"""Fitting desist's offending hazard to person-level survival data
(docs/fitting.md): :func:`fit` does what ``desist fit`` does, from a CSV file
or a pandas DataFrame, and :class:`FitResults` holds the numbers of
``desist fit --json``."""
from __future__ import annotations

import difflib
import json
import os
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from . import _core

__all__ = ["fit", "FitResults"]


class FitResults:
    """A maximum-likelihood fit of the hazard: estimates, their standard errors and
    95% intervals, hazard ratios, log-likelihood and AIC, as ``desist fit --json``."""

    def __init__(self, native: Any, command: str) -> None:
        self._native = native
        self._command = command
        self._j = json.loads(native.to_json(command))

    @property
    def summary(self) -> dict[str, Any]:
        """The whole fit as ``desist fit --json`` writes it (parsed)."""
        return self._j

    @property
    def covariates(self) -> pd.DataFrame:
        """One row per covariate: estimate (log hazard ratio), se, ci_low, ci_high, hazard_ratio,
        hazard_ratio_ci_low, hazard_ratio_ci_high, p_value."""
        rows = {c["name"]: {"estimate": c["estimate"], "se": c["se"], "ci_low": c["ci95"][0], "ci_high": c["ci95"][1],
                            "hazard_ratio": c["hazard_ratio"], "hazard_ratio_ci_low": c["hazard_ratio_ci95"][0],
                            "hazard_ratio_ci_high": c["hazard_ratio_ci95"][1], "p_value": c["p_value"]}
                for c in self._j["covariates"]}
        columns = ["estimate", "se", "ci_low", "ci_high", "hazard_ratio", "hazard_ratio_ci_low",
                   "hazard_ratio_ci_high", "p_value"]
        df = pd.DataFrame.from_dict(rows, orient="index", columns=columns, dtype=float)
        df.index.name = "covariate"
        return df

    @property
    def baseline(self) -> pd.DataFrame:
        """The baseline's parameters (and never_reoffend_share with cure=True): estimate, se, ci_low, ci_high, note."""
        entries = list(self._j["baseline"])
        if self._j.get("never_reoffend_share"):
            entries.append({"name": "never_reoffend_share", **self._j["never_reoffend_share"]})
        df = pd.DataFrame([{"parameter": p["name"], "estimate": p["estimate"], "se": p["se"],
                            "ci_low": p["ci95"][0], "ci_high": p["ci95"][1], "note": p.get("note", "")}
                           for p in entries]).set_index("parameter")
        return df

    @property
    def covariance(self) -> pd.DataFrame:
        """Covariance of the unconstrained estimates (log baseline terms, logit share, coefficients)."""
        u = self._j["unconstrained"]
        return pd.DataFrame(np.asarray(u["covariance"], dtype=float), index=u["names"], columns=u["names"])

    @property
    def log_likelihood(self) -> float:
        """Log-likelihood with densities per unit of the data's time (comparable with other software)."""
        return float(self._j["log_likelihood"])

    @property
    def aic(self) -> float:
        return float(self._j["aic"])

    @property
    def converged(self) -> bool:
        return bool(self._j["converged"])

    @property
    def people(self) -> int:
        return int(self._j["people"])

    @property
    def events(self) -> int:
        return int(self._j["events"])

    @property
    def warnings(self) -> list[str]:
        return list(self._j["warnings"])

    def table(self) -> str:
        """The table ``desist fit`` prints."""
        return self._native.table()

    def to_json(self) -> str:
        """The JSON ``desist fit --json`` writes."""
        return self._native.to_json(self._command)

    def fragment(self) -> str:
        """The overlay fragment ``desist fit --out`` writes: the fitted ``offending`` section,
        for ``desist run --overlay``."""
        return self._native.fragment(self._command)

    def __repr__(self) -> str:
        return (f"<desist.FitResults {self._j['model']}: {self.people} people, {self.events} events, "
                f"log-likelihood {self.log_likelihood:.2f}{'' if self.converged else ', not converged'}>")


def _columns(data: pd.DataFrame, wanted: Sequence[str]) -> None:
    for name in wanted:
        if name not in data.columns:
            near = difflib.get_close_matches(name, [str(c) for c in data.columns], n=1)
            raise KeyError(f"no column {name!r} in the data" + (f"; did you mean {near[0]!r}?" if near else ""))


def fit(data: "str | os.PathLike[str] | pd.DataFrame", time: str, event: str, covariates: Iterable[str] = (), *,
        model: str = "weibull", breaks: Sequence[float] = (), cure: bool = False, time_unit: str = "days",
        spells: "str | os.PathLike[str] | None" = None, id: str = "", start: str = "",  # noqa: A002 - as --id
        stop: str = "") -> FitResults:
    """Fits desist's offending hazard by maximum likelihood; the same numbers as ``desist fit``.

    Parameters
    ----------
    data:
        A CSV file with one row per person (read as ``desist fit`` reads it), or
        a pandas DataFrame with the same columns (one spell per person).
    time, event:
        Columns of the time to the event or censoring (in `time_unit`) and of the
        event indicator (1 event, 0 censored).
    covariates:
        Covariate columns (log hazard ratios are fitted for each).
    model:
        The baseline: 'exponential', 'weibull', 'loglogistic' or 'piecewise' (with `breaks`, days).
    cure:
        Also fit a never-reoffending share (split population).
    spells, id, start, stop:
        Counting-process spells with time-varying covariates (CSV data only), as
        ``--spells``, ``--id``, ``--start``, ``--stop``.

    Raises
    ------
    desist.InputError
        A missing column, a value that is not a number, a negative time ... (file,
        line, column), or a model the data cannot identify.
    KeyError, ValueError
        A DataFrame without a column, or with values the fit cannot take.
    """
    covariates = [str(c) for c in covariates]
    words = [f"time={time!r}", f"event={event!r}", f"covariates={covariates!r}", f"model={model!r}",
             f"time_unit={time_unit!r}"] + ([f"breaks={list(breaks)!r}"] if breaks else []) + (
        ["cure=True"] if cure else [])
    if isinstance(data, pd.DataFrame):
        if spells is not None:
            raise ValueError("spells= needs the people as a CSV file (as desist fit --spells)")
        _columns(data, [time, event, *covariates])
        survival = _core.survival_data(data[time].to_numpy(dtype=float).tolist(),
                                       data[event].to_numpy(dtype=int).tolist(), time_unit, covariates,
                                       [data[c].to_numpy(dtype=float).tolist() for c in covariates],
                                       f"a DataFrame ({len(data)} people, {int(data[event].sum())} events; time "
                                       f"'{time}' in {time_unit}, event '{event}')")
        command = f"desist.fit(<DataFrame>, {', '.join(words)})"
    else:
        path = os.fspath(data)
        survival = _core.read_survival_data(path, time, event, covariates, time_unit,
                                            "" if spells is None else os.fspath(spells), id, start, stop)
        command = f"desist.fit({path!r}, {', '.join(words)})"
    return FitResults(_core.fit_hazard(survival, model, [float(b) for b in breaks], cure), command)
