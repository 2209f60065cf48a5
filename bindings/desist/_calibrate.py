"""Calibration to published statistics (docs/calibration.md): :func:`calibrate`
does what ``desist calibrate`` does, :func:`check_targets` what ``desist
check-targets`` does; their fits are the JSON those commands write, as DataFrames."""
from __future__ import annotations

import json
import os
import threading
from typing import Any

import pandas as pd

from . import _core
from ._run import Progress, ScenarioLike, _execute, _scenario
from ._scenario import Scenario

__all__ = ["calibrate", "check_targets", "CalibrationResults", "TargetFit"]

METHODS = ("levenberg-marquardt", "nelder-mead")


class TargetFit:
    """A scenario against calibration targets: one row a target (observed, se, simulated
    mean with its interval, residual, within_tolerance, source) and the objective."""

    def __init__(self, text: str) -> None:
        self._j = json.loads(text)
        self._text = text

    @property
    def summary(self) -> dict[str, Any]:
        """The fit as ``desist check-targets --json`` / ``desist calibrate --json`` writes it (parsed)."""
        return self._j

    @property
    def objective(self) -> float:
        """Σ ((simulated − observed) / se)²."""
        return float(self._j["objective"])

    @property
    def table(self) -> pd.DataFrame:
        """One row per target (index: its name)."""
        rows = []
        for t in self._j["targets"]:
            s = t["simulated"]
            group = t.get("group")
            rows.append({"target": t["name"], "measure": t["measure"],
                         "group": "" if not group else f"{group.get('dimension', '')}: "
                                                      f"{', '.join(group.get('categories', []))}",
                         "observed": t["observed"], "se": t["se"], "simulated": s["mean"],
                         "ci_low": s["ci_low"], "ci_high": s["ci_high"], "residual": t["residual"],
                         "within_tolerance": bool(t["within_tolerance"]), "source": t["source"]})
        return pd.DataFrame(rows).set_index("target")

    def to_json(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"<desist.TargetFit {len(self._j['targets'])} targets, objective {self.objective:.4g}>"


class CalibrationResults:
    """A calibration: the calibrated scenario, the parameters before and after, and the
    fit before, after and (check_replicates > 0) at the scenario's own size."""

    def __init__(self, native: Any, targets: Any, scenario_file: str) -> None:
        self._native = native
        self._targets = targets
        self._file = scenario_file

    @property
    def text(self) -> str:
        """The calibrated scenario's text: the original with the fitted values in place, every comment kept."""
        return self._native.text

    @property
    def scenario(self) -> Scenario:
        """The calibrated scenario (paths in it relative to the original's folder)."""
        return Scenario.from_yaml(self._native.text, name=self._file)

    @property
    def parameters(self) -> pd.DataFrame:
        """One row per free parameter: initial (the scenario's value) and value (fitted, as written)."""
        return pd.DataFrame({"initial": self._native.initial, "value": self._native.values},
                            index=pd.Index(self._targets.parameters, name="parameter"))

    @property
    def objective(self) -> float:
        return float(self._native.objective)

    @property
    def initial_objective(self) -> float:
        return float(self._native.initial_objective)

    @property
    def evaluations(self) -> int:
        return int(self._native.evaluations)

    @property
    def seed(self) -> int:
        return int(self._native.seed)

    @property
    def initial_fit(self) -> TargetFit:
        """The targets at the scenario's values (calibration settings)."""
        return TargetFit(self._native.fit_json("initial", self._file))

    @property
    def fit(self) -> TargetFit:
        """The targets at the fitted values (calibration settings)."""
        return TargetFit(self._native.fit_json("fit", self._file))

    @property
    def check(self) -> TargetFit | None:
        """The targets at the fitted values, the scenario's own size (check_replicates > 0); else None."""
        return TargetFit(self._native.fit_json("check", self._file)) if self._native.has_check else None

    def to_json(self) -> str:
        """The JSON ``desist calibrate --json`` writes: the check when there is one, else the fit."""
        return (self.check or self.fit).to_json()

    def __repr__(self) -> str:
        return (f"<desist.CalibrationResults {len(self._targets.parameters)} parameters: objective "
                f"{self.initial_objective:.4g} → {self.objective:.4g} in {self.evaluations} evaluations>")


def _file(scenario: "Scenario | str | os.PathLike[str]") -> tuple[str, str]:
    """The scenario's text and file: calibration rewrites the text, so overrides cannot be kept."""
    if isinstance(scenario, Scenario):
        if scenario.overrides:
            raise ValueError("calibrate rewrites the scenario's text, so it takes a scenario without overrides "
                             "(put them in the file, or use size= for the cohort size)")
        return scenario.source, scenario.file
    if isinstance(scenario, (str, os.PathLike)):
        path = os.fspath(scenario)
        with open(path, encoding="utf-8") as f:
            return f.read(), path
    raise TypeError(f"expected a desist.Scenario or a scenario file's path, not {type(scenario).__name__}")


def calibrate(scenario: "Scenario | str | os.PathLike[str]", targets: "str | os.PathLike[str]", *,
              out: "str | os.PathLike[str] | None" = None, seed: int | None = None, replicates: int = 1,
              starts: int = 1, size: int | None = None, threads: int | None = None, max_evaluations: int = 400,
              method: str = "levenberg-marquardt", step: float = 0.05, tolerance: float = 0.01, digits: int = 4,
              check_replicates: int = 0, progress: Progress = True,
              cancel: "threading.Event | None" = None) -> CalibrationResults:
    """Fits a scenario's free parameters to published statistics; the same numbers as ``desist calibrate``.

    Parameters
    ----------
    scenario:
        A scenario file's path, or a :class:`desist.Scenario` without overrides.
    targets:
        A targets file (scenarios/targets/*.yaml): observed values with standard
        errors and sources, and the free parameters with their bounds.
    out:
        Write the calibrated scenario here (atomically; may be the scenario itself).
    seed, replicates, starts, size, threads, max_evaluations, method, step, tolerance, digits, check_replicates:
        As the command line's options (docs/calibration.md); seed defaults to the
        scenario's run.seed and size to its cohort.size.
    progress, cancel:
        As :func:`desist.run`; progress counts objective evaluations (the total
        is the budget, starts × max_evaluations, which a search seldom spends).

    Raises
    ------
    desist.InputError
        A mistake in the targets file (file, line, column, key and the nearest
        valid key) or a target the scenario cannot give.
    desist.Cancelled
        Ctrl-C was pressed or `cancel` was set.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    text, file = _file(scenario)
    goals = _core.load_calibration_targets(os.fspath(targets))
    threads = 0 if threads is None else int(threads)
    control = _core.CalibrationControl()
    native = _execute(lambda c: _core.calibrate(text, file, goals, method, seed, int(replicates), int(starts), size,
                                                threads, int(max_evaluations), float(step), float(tolerance),
                                                int(digits), int(check_replicates), c),
                      int(starts) * int(max_evaluations), progress, cancel, "desist calibrate", control=control,
                      unit="evaluations")
    written = file
    if out is not None:
        written = os.fspath(out)
        _core.write_text(written, native.text)
    return CalibrationResults(native, goals, written)


def check_targets(scenario: ScenarioLike, targets: "str | os.PathLike[str]", *, replicates: int | None = None,
                  seed: int | None = None, threads: int | None = None) -> TargetFit:
    """A scenario against calibration targets, without fitting; the same numbers as
    ``desist check-targets`` (replicates and seed default to the scenario's)."""
    s = _scenario(scenario)
    native = s.native()
    goals = _core.load_calibration_targets(os.fspath(targets))
    return TargetFit(_core.check_targets(native, goals, native.seed if seed is None else int(seed),
                                         native.replicates if replicates is None else int(replicates),
                                         0 if threads is None else int(threads), s.file))
