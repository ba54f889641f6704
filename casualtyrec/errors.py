"""Every exception casualtyrec raises.

One ``except CasualtyrecError`` catches them all; each also derives from the builtin it
resembles, so ``except ValueError`` keeps working in code that does not know casualtyrec::

    CasualtyrecError
    ├── SchemaError(ValueError)            missing column, wrong dtype, naive timestamps
    ├── FigureParseError(ValueError)       a phrase that holds no figure; .failures frame
    ├── UnitMismatchError(TypeError)       counts of different entities combined
    ├── PlaceResolutionError(LookupError)  a scalar lookup that found nothing or several
    └── PolicyError(ValueError)            an invalid Policy field

Messages say where (row, column), what (the value, as repr) and what was expected. Every
error keeps those parts as attributes and pickles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CasualtyrecError",
    "FigureParseError",
    "PlaceResolutionError",
    "PolicyError",
    "SchemaError",
    "UnitMismatchError",
]


class CasualtyrecError(Exception):
    """Base class of every casualtyrec error.

    Examples
    --------
    >>> from casualtyrec import CasualtyrecError, parse_figure
    >>> try:
    ...     parse_figure("casualties reported")
    ... except CasualtyrecError as err:
    ...     print(type(err).__name__)
    FigureParseError

    .. versionadded:: 0.1.0
    """

    def __reduce__(self) -> tuple[type[CasualtyrecError], tuple[object, ...]]:
        """Pickle as the class and its fields: ``cls(*fields)`` rebuilds the error.

        Every subclass is an attrs exception whose ``args`` are its field values in order.
        An explicit ``__reduce__`` also keeps the fields when a library such as tblib
        (installed by dask.distributed) registers its own reducer for every exception class.
        """
        return (type(self), tuple(self.args))


@attrs.define(auto_exc=True)
class SchemaError(CasualtyrecError, ValueError):
    """The claims table is structurally unusable: a column is missing or has the wrong type.

    Attributes
    ----------
    message : str
        The whole explanation: where, what was found and what was expected.
    column : str or None
        The column at fault, if one is.
    missing : tuple of str
        Required columns that are absent.
    found : tuple of str
        The columns the table has.

    Examples
    --------
    >>> from casualtyrec.errors import SchemaError
    >>> print(SchemaError.missing_columns(["place"], ["source", "figure"]))
    missing required column 'place'; found columns: 'source', 'figure'

    .. versionadded:: 0.1.0
    """

    message: str
    column: str | None = None
    missing: tuple[str, ...] = ()
    found: tuple[str, ...] = ()

    @classmethod
    def missing_columns(cls, missing: list[str], found: list[str]) -> SchemaError:
        """Build the error for absent required columns, naming what was found."""
        noun = "column" if len(missing) == 1 else "columns"
        names = ", ".join(repr(m) for m in missing)
        have = ", ".join(repr(f) for f in found) or "none"
        return cls(
            f"missing required {noun} {names}; found columns: {have}",
            column=missing[0],
            missing=tuple(missing),
            found=tuple(found),
        )

    def __str__(self) -> str:
        return self.message


@attrs.define(auto_exc=True)
class FigureParseError(CasualtyrecError, ValueError):
    """Text that should hold a casualty figure holds none.

    Raised by :func:`casualtyrec.parse_figure` for one phrase, and by
    :func:`casualtyrec.parse_figures` with ``errors="raise"`` for a whole column, in which
    case `failures` lists every unreadable row.

    Attributes
    ----------
    text : str
        The (first) phrase that could not be read.
    reason : str
        Why it could not be read.
    column : str or None
        The column it came from, when parsing a column.
    row : object
        The index label of the (first) failing row, when parsing a column.
    total : int or None
        How many phrases were parsed, when parsing a column.
    failures : pandas.DataFrame or None
        One row per failure: ``row``, ``value``, ``reason``.

    Examples
    --------
    >>> from casualtyrec.errors import FigureParseError
    >>> print(FigureParseError("casualties reported", "no number in the phrase"))
    cannot read 'casualties reported' as a figure: no number in the phrase (expected a number ...)

    .. versionadded:: 0.1.0
    """

    text: str
    reason: str
    column: str | None = None
    row: object = None
    total: int | None = None
    failures: pd.DataFrame | None = attrs.field(default=None, eq=False, repr=False)

    def __str__(self) -> str:
        expected = (
            "expected a number such as '12', a range such as '10-15', "
            "or a qualifier such as 'at least 40'"
        )
        if self.failures is None or self.total is None:
            where = "" if self.row is None else f"row {self.row}, "
            where += "" if self.column is None else f"column {self.column!r}: "
            return f"{where}cannot read {self.text!r} as a figure: {self.reason} ({expected})"
        column = "" if self.column is None else f"column {self.column!r}: "
        return (
            f"{column}cannot read {len(self.failures)} of {self.total} figures; "
            f"first at row {self.row}: {self.text!r} ({self.reason}; {expected}); "
            "all failures are in err.failures"
        )


@attrs.define(auto_exc=True)
class UnitMismatchError(CasualtyrecError, TypeError):
    """Counts of two different entities (people and drones, say) were combined.

    Attributes
    ----------
    left, right : str
        The two categories (or entities) involved.
    operation : str
        What was attempted: ``"add"``, ``"compare"``.

    Examples
    --------
    >>> from casualtyrec.errors import UnitMismatchError
    >>> print(UnitMismatchError("people.killed", "drones.destroyed", "add"))
    cannot add 'people.killed' (person) and 'drones.destroyed' (drone): they count ...

    .. versionadded:: 0.1.0
    """

    left: str
    right: str
    operation: str = "combine"

    def __str__(self) -> str:
        from casualtyrec.kinds import entity_of  # noqa: PLC0415 - kinds imports this module

        return (
            f"cannot {self.operation} {self.left!r} ({_entity(self.left, entity_of)}) and "
            f"{self.right!r} ({_entity(self.right, entity_of)}): they count different entities"
        )


def _entity(name: str, entity_of: object) -> str:
    try:
        return str(entity_of(name))  # type: ignore[operator]
    except CasualtyrecError:
        return name


@attrs.define(auto_exc=True)
class PlaceResolutionError(CasualtyrecError, LookupError):
    """A place name that must resolve to one gazetteer entry resolved to none or several.

    Attributes
    ----------
    name : str
        The place as written.
    status : str
        ``"unresolved"`` or ``"ambiguous"``.
    candidates : tuple of str
        The candidates, for an ambiguous name.
    best : str or None
        The best (but insufficient) candidate with its score, for an unresolved name.

    Examples
    --------
    >>> from casualtyrec.errors import PlaceResolutionError
    >>> print(PlaceResolutionError("Kirovsk", "ambiguous", ("Kirovsk, RU", "Holubivka, UA")))
    'Kirovsk' is ambiguous: 'Kirovsk, RU', 'Holubivka, UA'; pass country= or add an alias ...

    .. versionadded:: 0.1.0
    """

    name: str
    status: str
    candidates: tuple[str, ...] = ()
    best: str | None = None

    def __str__(self) -> str:
        fix = "pass country= or add an alias with Gazetteer.with_aliases()"
        if self.status == "ambiguous":
            listed = ", ".join(repr(c) for c in self.candidates)
            return f"{self.name!r} is ambiguous: {listed}; {fix}"
        best = f" (best: {self.best})" if self.best else ""
        return f"{self.name!r} matched no place{best}; lower Policy.min_place_score or {fix}"


@attrs.define(auto_exc=True)
class PolicyError(CasualtyrecError, ValueError):
    """A :class:`casualtyrec.Policy` field was given an invalid value.

    Attributes
    ----------
    field : str
        The field's name.
    value : object
        The value given.
    expected : str
        What the field accepts.

    Examples
    --------
    >>> from casualtyrec import Policy
    >>> Policy(range_best="middle")
    Traceback (most recent call last):
    ...
    casualtyrec.errors.PolicyError: Policy field 'range_best' must be one of 'low', 'mid' ...

    .. versionadded:: 0.1.0
    """

    field: str
    value: object
    expected: str

    def __str__(self) -> str:
        return f"Policy field {self.field!r} must be {self.expected} (got {self.value!r})"
