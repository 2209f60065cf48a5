"""Running scenarios and comparisons: the C++ engine on a worker thread with the
GIL released, a progress bar polled from Python, and Ctrl-C (or a cancel event)
stopping the engine within a block of people."""
from __future__ import annotations

import os
import threading
import time
from typing import Any, Callable, Iterable, Union

from . import _core
from ._results import Comparison, Results
from ._scenario import Scenario

__all__ = ["run", "compare"]

#: How often the progress counter and the cancel event are looked at.
POLL_SECONDS = 0.05

ScenarioLike = Union[Scenario, str, "os.PathLike[str]"]
Progress = Union[bool, Callable[[int, int], Any]]


def _scenario(scenario: ScenarioLike) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, (str, os.PathLike)):
        return Scenario.load(scenario)
    raise TypeError(f"expected a desist.Scenario or a scenario file's path, not {type(scenario).__name__}")


def _option_path(path: Any) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"options are option files' paths, not {type(path).__name__}")
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no option file {path!r}")
    return path


def _settings(native: Any, replicates: int | None, seed: int | None, threads: int | None) -> tuple[int, int, int]:
    replicates = native.replicates if replicates is None else replicates
    seed = native.seed if seed is None else seed
    threads = 0 if threads is None else threads
    for name, value in (("replicates", replicates), ("seed", seed), ("threads", threads)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if replicates < 1:
        raise ValueError("replicates must be at least 1")
    if not 0 <= seed < 2**64:
        raise ValueError("seed must be between 0 and 2**64 - 1")
    if threads < 0:
        raise ValueError("threads must be 0 or more (0 or None: all cores)")
    return int(replicates), int(seed), int(threads)


def _execute(work: Callable[[Any], Any], total: int, progress: Progress, cancel: Any, description: str,
             control: Any = None, unit: str = "people") -> Any:
    """Runs ``work(control)`` on a worker thread while this thread shows progress and waits.

    Ctrl-C here (KeyboardInterrupt) or `cancel` being set cancels the C++ run,
    which stops within a block of people; then desist.Cancelled (a
    KeyboardInterrupt) is raised. The worker releases the GIL while C++ runs.
    """
    control = _core.RunControl() if control is None else control
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work(control)
        except BaseException as error:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = error

    bar = None
    report: Callable[[int, int], Any] | None = None
    if callable(progress):
        report = progress
    elif progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, desc=description, unit=unit, unit_scale=True, leave=False, mininterval=0.25)

    def show() -> None:
        done = min(getattr(control, f"{unit}_done"), total)  # people_done, rows_done, worlds_done
        if bar is not None and done > bar.n:
            bar.update(done - bar.n)
        if report is not None:
            report(done, total)

    worker = threading.Thread(target=target, name="desist-run", daemon=True)
    try:
        worker.start()
        while worker.is_alive():
            worker.join(POLL_SECONDS)
            show()  # before looking at `cancel`, so a progress function that sets it stops the run at once
            if cancel is not None and not control.cancelled and cancel.is_set():
                control.cancel()
    except KeyboardInterrupt:
        control.cancel()
        _wait(worker)
        if isinstance(outcome.get("error"), _core.Cancelled):
            raise outcome["error"] from None  # its message says what was kept
        raise _core.Cancelled("the run was cancelled") from None
    finally:
        if bar is not None:
            bar.close()
    if "error" in outcome:
        raise outcome["error"]
    show()
    return outcome["value"]


def _wait(worker: threading.Thread) -> None:
    """Joins the worker, through further Ctrl-Cs (the run stops within a block of people)."""
    while worker.is_alive():
        try:
            worker.join()
        except KeyboardInterrupt:
            time.sleep(0)


def run(scenario: ScenarioLike, replicates: int | None = None, seed: int | None = None, threads: int | None = None,
        progress: Progress = True, options: Iterable["str | os.PathLike[str]"] = (), *, keep_people: bool = True,
        cancel: "threading.Event | None" = None) -> Results:
    """Simulates a scenario's replicates; the same numbers as ``desist run``.

    Parameters
    ----------
    scenario:
        A :class:`desist.Scenario` or a scenario file's path. It is validated
        first (:class:`desist.InputError`).
    replicates, seed:
        Default: the scenario's ``run.replicates`` and ``run.seed``. Replicate r
        uses the random streams keyed by (seed, r).
    threads:
        Worker threads; None or 0: all cores. Results do not depend on it.
    progress:
        True: a tqdm progress bar (in a notebook, tqdm's widget); False: none;
        or a function called as ``progress(people_done, total)`` while the run
        goes on and once at the end.
    options:
        Option files (scenarios/options/*.yaml) put in place together, as
        ``desist run --option``.
    keep_people:
        Keep the first replicate's per-person table (:meth:`Results.people`).
    cancel:
        A :class:`threading.Event` (anything with ``is_set()``); setting it,
        from any thread, stops the run.

    Raises
    ------
    desist.InputError
        The scenario or an option file is wrong (message as the command line's).
    desist.Cancelled
        Ctrl-C was pressed or `cancel` was set (a KeyboardInterrupt).
    """
    base = _scenario(scenario)
    native = base.native()
    files = tuple(_option_path(p) for p in options)
    for path in files:
        native = _core.load_option(native, path).scenario
    replicates, seed, threads = _settings(native, replicates, seed, threads)
    total = native.cohort_size * replicates
    result = _execute(lambda control: _core.run(native, seed, replicates, threads, keep_people, control), total,
                      progress, cancel, "desist run")
    return Results(result.tables(), native=result, scenario=base.copy(), option_files=files)


def compare(base: ScenarioLike, *options: "str | os.PathLike[str]", replicates: int = 10, seed: int | None = None,
            threads: int | None = None, progress: Progress = True, keep_people: bool = False,
            cancel: "threading.Event | None" = None) -> Comparison:
    """Compares commissioning options with a base; the same numbers as ``desist compare``.

    The base and every option run replicate by replicate on the same cohorts
    and random numbers (common random numbers), so each option's paired
    interval is far narrower than the unpaired one.

    Parameters
    ----------
    base:
        A :class:`desist.Scenario` or a scenario file's path.
    *options:
        Option files' paths (scenarios/options/*.yaml), at least one; each
        option's key is its file name without ``.yaml``.
    replicates:
        Paired replicates (default 10, as the command line).
    seed:
        Default: the base's ``run.seed``.
    threads, progress, cancel:
        As :func:`desist.run`.
    keep_people:
        Keep the per-person tables of the base and each option (first replicate).

    Raises
    ------
    desist.InputError, desist.Cancelled
        As :func:`desist.run`.
    """
    if not options:
        raise ValueError("compare needs at least one option file")
    scenario = _scenario(base)
    native = scenario.native()
    files = [_option_path(p) for p in options]
    loaded = [_core.load_option(native, path) for path in files]
    keys = [o.key for o in loaded]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"options must have different file names: {duplicates} given more than once")
    replicates, seed, threads = _settings(native, replicates, seed, threads)
    total = native.cohort_size * replicates * (len(loaded) + 1)
    result = _execute(lambda control: _core.compare(native, loaded, seed, replicates, threads, keep_people, control),
                      total, progress, cancel, "desist compare")
    return Comparison(result.tables(), native=result, base_scenario=scenario.copy(),
                      option_files=dict(zip(keys, files)))
