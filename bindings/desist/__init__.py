"""desist: simulate offender cohorts and the policies meant to reduce their reoffending.

The C++ kernel (the same as the ``desist`` command) driven from Python::

    import desist

    scenario = desist.Scenario.load("scenarios/baseline.yaml").set("cohort.size", 20000)
    results = desist.run(scenario, replicates=5, seed=1)
    results.summary                     # mean, 95% interval and sd of each rate
    results.by_group("sentence")        # totals and rates by sentence group
    comparison = desist.compare(scenario, "scenarios/options/housing_ttg.yaml", replicates=10)
    comparison.table()                  # base − option, paired and unpaired intervals

- :class:`Scenario`: scenario files, overrides and validation (``desist validate``).
- :func:`run` → :class:`Results`: measures, breakdowns, survival, time series, people.
- :func:`compare` → :class:`Comparison`: options against a base with paired intervals, economics.
- :func:`sweep` → :class:`SweepResults`: a sweep file's rows, summaries, Sobol
  indices, tornado and decision (``desist sweep``); :func:`open_sweep` reads its file.
- :func:`pbr.evaluate` → :class:`pbr.PbrResults`: a Payment-by-Results contract's
  payments, power and gaming (``desist pbr``, docs/pbr.md).
- :func:`fit` → :class:`FitResults`: the offending hazard fitted to person-level
  survival data (``desist fit``, docs/fitting.md).
- :func:`calibrate` → :class:`CalibrationResults` and :func:`check_targets` →
  :class:`TargetFit`: a scenario fitted to, or checked against, published
  figures (``desist calibrate``, ``desist check-targets``, docs/calibration.md).
- :func:`open`: reads any HDF5 file desist wrote back: a run, comparison,
  sweep or contract file (docs/output.md).
- :class:`InputError` (a ValueError): a mistake in a scenario, option or override,
  with the command line's message; :class:`Cancelled` (a KeyboardInterrupt): a
  run stopped by Ctrl-C or its cancel event.
- :mod:`desist.plot`: plots of results and comparisons.
"""
from . import _core, pbr
from ._core import Cancelled, InputError
from ._calibrate import CalibrationResults, TargetFit, calibrate, check_targets
from ._fit import FitResults, fit
from ._results import Comparison, Results, open
from ._run import compare, run
from ._scenario import Scenario
from ._sweep import SweepResults, open_sweep, sweep

__version__: str = _core.__version__

# `open` is left out of __all__, so `from desist import *` does not hide the built-in open: use desist.open.
__all__ = ["Scenario", "Results", "Comparison", "SweepResults", "FitResults", "CalibrationResults", "TargetFit",
           "run", "compare", "sweep", "open_sweep", "fit", "calibrate", "check_targets", "pbr", "InputError",
           "Cancelled", "__version__"]
