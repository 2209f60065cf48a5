"""Scenarios: YAML read and validated by the C++ library, exactly as the command line does."""
from __future__ import annotations

import copy as _copy
import math
import os
from typing import Any, Iterable, Mapping

import yaml

from . import _core

__all__ = ["Scenario"]


def _yaml_value(value: Any) -> str:
    """The text of an override's value, read by the library as YAML.

    Strings are passed as they are, as on the command line (``"1.5"`` is a
    number, ``"[a, b]"`` a list); bools, numbers, None, lists and dicts are
    written as YAML.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        value = float(value)  # np.float64 too
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict)):  # NumPy scalars
        return _yaml_value(value.item())
    if isinstance(value, (list, tuple, Mapping)):
        data = _plain(value)
        return yaml.safe_dump(data, default_flow_style=True, width=math.inf, sort_keys=False).strip()
    raise TypeError(f"cannot write a {type(value).__name__} as a scenario value")


def _plain(value: Any) -> Any:
    """Lists, tuples, mappings and NumPy scalars as plain Python, for PyYAML."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


class Scenario:
    """A scenario: the YAML text of a scenario file, plus overrides.

    Build one with :meth:`load`, :meth:`from_dict` or :meth:`from_yaml`, change
    values with :meth:`set`, and check it with :meth:`validate`. Reading and
    validation are the C++ library's own (the command line's ``desist validate``),
    so a scenario valid here is valid there, and mistakes raise
    :class:`desist.InputError` with the same message: file, line, column, key,
    and the nearest valid key for a typo.

    Validation is lazy: it happens at :meth:`validate`, at the first use of a
    property that needs the validated scenario (:attr:`name`, :attr:`seed`,
    :attr:`replicates`, :attr:`cohort_size`, :meth:`to_yaml`), and when the
    scenario is run. :meth:`set` changes the scenario in place and returns it
    (so calls chain); :meth:`copy` first to keep the original.

    Example::

        s = desist.Scenario.load("scenarios/baseline.yaml")
        s.set("cohort.size", 20000).set("release.ora_2014", True)
        s.validate()
    """

    def __init__(self, text: str, name: str = "<scenario>", overrides: Iterable[str] = ()) -> None:
        """A scenario from YAML text; `name` stands for the file in messages.

        `overrides` are ``"path.to.key=value"`` expressions, as given to the
        command line's ``--set``. Prefer :meth:`load`, :meth:`from_yaml` and
        :meth:`from_dict`.
        """
        if not isinstance(text, str):
            raise TypeError("a scenario's text must be a str")
        self._text = text
        self._name = os.fspath(name)
        self._overrides: list[str] = [str(o) for o in overrides]
        self._native: _core.Scenario | None = None

    # ---- construction ---------------------------------------------------------

    @classmethod
    def load(cls, path: "str | os.PathLike[str]", overrides: Iterable[str] = ()) -> "Scenario":
        """Reads a scenario file (not yet validated: see :meth:`validate`).

        Relative paths inside it (``cohort.person_file``) are relative to the file.
        Raises FileNotFoundError (OSError) when the file cannot be read.
        """
        path = os.fspath(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return cls(text, path, overrides)

    @classmethod
    def from_yaml(cls, text: str, name: str = "<string>") -> "Scenario":
        """A scenario from YAML text; `name` stands for the file in messages."""
        return cls(text, name)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], name: str = "<dict>") -> "Scenario":
        """A scenario from a dict shaped like a scenario file (keys in docs/scenario.md).

        The dict is written as YAML; messages give line and column in that text
        (see :meth:`source`) under `name`.
        """
        if not isinstance(data, Mapping):
            raise TypeError("from_dict needs a mapping of keys to values")
        text = yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True)
        return cls(text, name)

    def copy(self) -> "Scenario":
        """An independent copy (the same text and overrides)."""
        other = _copy.copy(self)
        other._overrides = list(self._overrides)
        return other

    # ---- changes --------------------------------------------------------------

    def set(self, key: str, value: Any) -> "Scenario":
        """Sets the value at a dotted key path, like the command line's ``--set key=value``.

        Changes this scenario in place and returns it, so calls chain::

            s.set("cohort.size", 20000).set("run.seed", 7)

        `key` is a path of map keys and list item numbers
        (``"cohort.groups.community_order.female_share"``); keys the file leaves
        out are created. `value` may be a bool, number, None, str (read as YAML,
        as on the command line), list or dict. Mistakes in the path or the
        value raise :class:`desist.InputError` naming the override
        (``--set key=value``) when the scenario is validated.
        """
        if not isinstance(key, str) or not key:
            raise TypeError("the key must be a non-empty dotted path, e.g. 'cohort.size'")
        self._overrides.append(f"{key}={_yaml_value(value)}")
        self._native = None
        return self

    def update(self, values: Mapping[str, Any]) -> "Scenario":
        """:meth:`set` for each key and value of a mapping, in order; returns this scenario."""
        for key, value in values.items():
            self.set(key, value)
        return self

    # ---- validation and what it gives -------------------------------------------

    def validate(self) -> "Scenario":
        """Checks the scenario as ``desist validate`` does; returns it.

        Raises :class:`desist.InputError` (a ValueError) whose message names the
        file (or the override), line, column and key, e.g.
        ``scenarios/x.yaml:12:3: 'offending.fraility_variance': unknown key; did you mean 'frailty_variance'?``.
        """
        self.native()
        return self

    def native(self) -> "_core.Scenario":
        """The validated C++ scenario (cached until the next :meth:`set`)."""
        if self._native is None:
            self._native = _core.parse_scenario(self._text, self._name, self._overrides)
        return self._native

    @property
    def file(self) -> str:
        """The file it was read from, or the name given for it."""
        return self._name

    @property
    def overrides(self) -> tuple[str, ...]:
        """The overrides applied so far, as ``"path.to.key=value"``."""
        return tuple(self._overrides)

    def source(self) -> str:
        """The YAML text before overrides (what line and column numbers refer to)."""
        return self._text

    @property
    def name(self) -> str:
        """The scenario's ``scenario.name``."""
        return self.native().name

    @property
    def seed(self) -> int:
        """The default seed of a run (``run.seed``)."""
        return int(self.native().seed)

    @property
    def replicates(self) -> int:
        """The default number of replicates (``run.replicates``)."""
        return int(self.native().replicates)

    @property
    def cohort_size(self) -> int:
        """People in each replicate's cohort (``cohort.size``)."""
        return int(self.native().cohort_size)

    @property
    def group_names(self) -> list[str]:
        """The sentence groups, in the order of the per-person ``group`` codes."""
        return list(self.native().group_names)

    @property
    def interventions(self) -> list[str]:
        """Names of the scenario's interventions."""
        return list(self.native().interventions)

    def to_yaml(self) -> str:
        """The scenario as run: the text as read, or re-emitted with the overrides applied."""
        return self.native().text

    def to_dict(self) -> dict[str, Any]:
        """The scenario as run, as a dict (from :meth:`to_yaml`)."""
        data = yaml.safe_load(self.to_yaml())
        return data if isinstance(data, dict) else {}

    def __repr__(self) -> str:
        extra = f", {len(self._overrides)} override{'s' if len(self._overrides) != 1 else ''}" if self._overrides else ""
        return f"<desist.Scenario {self._name!r}{extra}>"
