"""Claims: validate the input table of SPEC §3 and account for every row.

Structural problems (not a DataFrame, a required column missing, a wholly tz-naive
``reported_at`` without ``assume_tz=``) raise :class:`~casualtyrec.errors.SchemaError`. Every
other problem rejects its row: the row stays in the output with ``status`` ``rejected`` and a
``reason`` naming row, column, value and what was expected. Rows are numbered by position
(0-based, what ``DataFrame.iloc`` takes), which is the index label for a default
``RangeIndex``; the output keeps the input's index. All work is vectorized or done once per
distinct value (figures, places, categories, timestamps), never once per row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from casualtyrec import kinds
from casualtyrec._claim_checks import EARLIEST, LATEST
from casualtyrec._claim_checks import Problems as _Problems
from casualtyrec._claim_checks import check_cells as _check_cells
from casualtyrec._claim_checks import check_range as _check_range
from casualtyrec._claim_checks import duplicate_ids as _duplicate_ids
from casualtyrec._claim_figures import figures as _figures
from casualtyrec._claim_times import ISO_HINT as _ISO_HINT
from casualtyrec._claim_times import _expand, _uniques
from casualtyrec._claim_times import booleans as _booleans
from casualtyrec._claim_times import dates as _dates
from casualtyrec._claim_times import instants as _instants
from casualtyrec._claim_times import quote as _quote
from casualtyrec._frame import normalize_name
from casualtyrec._types import CLAIM_STATUSES, DTYPES, PLACE_COLUMNS, STRING, UTC_US
from casualtyrec.errors import SchemaError
from casualtyrec.policy import DEFAULT_POLICY, Policy

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy.typing as npt

    from casualtyrec.places import Gazetteer

    Ints = npt.NDArray[np.int64]
    Bools = npt.NDArray[np.bool_]
    Resolver = Callable[[pd.Series], pd.DataFrame]

__all__ = [
    "ADDED_COLUMNS",
    "EARLIEST",
    "LATEST",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "validate_claims",
]

#: Required in every claims table, plus ``figure`` or all of ``low``, ``best``, ``high``.
REQUIRED_COLUMNS: Final = ("source", "reported_at", "place", "category")
#: Read when present (SPEC §3).
OPTIONAL_COLUMNS: Final = (
    "claim_id",
    "figure",
    "low",
    "best",
    "high",
    "subgroup",
    "event_date",
    "incident",
    "cumulative",
    "text",
    "url",
    "language",
)
_PLACE_OUT: Final = {"status": "place_status", "candidates": "place_candidates"}
#: Columns :func:`validate_claims` adds (or normalizes), in order.
ADDED_COLUMNS: Final = (
    "claim_id",
    "subgroup",
    "event_date",
    "cumulative",
    "low",
    "best",
    "high",
    "qualifier",
    *(_PLACE_OUT.get(c, c) for c in PLACE_COLUMNS),
    "incident",
    "status",
    "reason",
)
_QUALIFIER: Final = cast("pd.CategoricalDtype", DTYPES["qualifier"])


def _dtype(column: str) -> Any:  # noqa: ANN401 - any pandas dtype
    return DTYPES.get(column, STRING)


def _text(series: pd.Series) -> pd.Series:
    """Strings, stripped; blank is missing. Vectorized (no per-value work)."""
    arr = pa.array(series.astype(STRING).array)
    trimmed = pc.utf8_trim_whitespace(arr)
    cleaned = pc.if_else(pc.equal(trimmed, ""), pa.nulls(len(arr), arr.type), trimmed)
    return pd.Series(pd.array(cleaned, dtype=STRING))


def _match_columns(claims: pd.DataFrame) -> dict[str, object]:
    """Map canonical names to the input's columns (case-insensitive, stripped)."""
    found: dict[str, object] = {}
    for column in claims.columns:
        if not isinstance(column, str):
            continue
        name = normalize_name(column)
        if name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
            if name in found:
                raise SchemaError(
                    f"columns {found[name]!r} and {column!r} both match {name!r}; keep one of them",
                    column=name,
                    found=tuple(map(str, claims.columns)),
                )
            found[name] = column
    return found


def _check_structure(claims: object) -> dict[str, object]:
    if not isinstance(claims, pd.DataFrame):
        raise SchemaError(
            f"claims must be a pandas DataFrame (got {type(claims).__name__}); expected "
            f"columns {', '.join(map(repr, REQUIRED_COLUMNS))} and 'figure' "
            "(or 'low', 'best', 'high')"
        )
    columns = _match_columns(claims)
    found = [str(c) for c in claims.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    numbers = [c for c in ("low", "best", "high") if c not in columns]
    if "figure" not in columns and numbers:
        if len(numbers) == 3:  # noqa: PLR2004 - none of low/best/high
            if missing:
                raise SchemaError.missing_columns([*missing, "figure"], found)
            have = ", ".join(map(repr, found)) or "none"
            raise SchemaError(
                "missing required column 'figure' (or all of 'low', 'best', 'high'); "
                f"found columns: {have}",
                column="figure",
                missing=("figure",),
                found=tuple(found),
            )
        missing += numbers
    if missing:
        raise SchemaError.missing_columns(missing, found)
    return columns


def _places(place: pd.Series, problems: _Problems, resolve: Resolver) -> pd.DataFrame:
    """Resolve each distinct place string once; per-row place columns."""
    codes, found = pd.factorize(place, use_na_sentinel=True)
    codes = codes.astype(np.int64)
    uniques = pd.Series(np.asarray(found, dtype=object), dtype=STRING)
    problems.add(codes < 0, "place", "missing value (expected a place name such as 'Kharkiv')")
    present = uniques.notna().to_numpy()
    names = uniques[present].reset_index(drop=True)
    resolved = (
        resolve(names.astype(STRING)).reset_index(drop=True)
        if len(names)
        else pd.DataFrame({c: pd.Series([], dtype=_dtype(c)) for c in PLACE_COLUMNS})
    )
    where = np.full(len(uniques), -1, dtype=np.int64)
    where[np.flatnonzero(present)] = np.arange(len(names))
    k = np.where(codes >= 0, where[np.maximum(codes, 0)], -1)
    out = {}
    for column in PLACE_COLUMNS:
        values = resolved[column] if column in resolved.columns else pd.Series([pd.NA] * len(names))
        target = _PLACE_OUT.get(column, column)
        dtype = _dtype(column)
        if column == "status":
            dtype = pd.CategoricalDtype(["resolved", "ambiguous", "unresolved"])
        if column == "candidates" and not isinstance(values.dtype, pd.StringDtype):
            values = values.map(
                lambda v: v if isinstance(v, str) or v is None else "; ".join(map(str, v))
            )
        taken = values.astype(dtype).array.take(k, allow_fill=True)
        out[target] = pd.Series(taken, dtype=dtype)
    return pd.DataFrame(out)


def _default_resolver(gazetteer: Gazetteer | None, policy: Policy) -> Resolver:
    def resolve(names: pd.Series) -> pd.DataFrame:
        from casualtyrec.places import resolve_places  # noqa: PLC0415

        return resolve_places(names, policy=policy, gazetteer=gazetteer)

    return resolve


def validate_claims(
    claims: pd.DataFrame,
    *,
    policy: Policy = DEFAULT_POLICY,
    assume_tz: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> pd.DataFrame:
    """Validate a claims table (SPEC §3): one output row per input row, accepted or rejected.

    Parameters
    ----------
    claims : pandas.DataFrame
        Required columns ``source``, ``reported_at``, ``place``, ``category`` and ``figure``
        (or ``low``, ``best``, ``high``); optional ``claim_id``, ``subgroup``,
        ``event_date``, ``incident``, ``cumulative``, ``text``, ``url``, ``language``.
        Names match case-insensitively after stripping; other columns are carried through.
    policy : Policy, default DEFAULT_POLICY
        Used to parse figures and resolve places.
    assume_tz : str, optional
        Time zone of tz-naive ``reported_at`` values (``"UTC"``, ``"Europe/Kyiv"``).
    gazetteer : Gazetteer, optional
        Passed to :func:`casualtyrec.resolve_places`.

    Returns
    -------
    pandas.DataFrame
        The input (same index and order; known columns renamed to their canonical names and
        normalized: ``reported_at`` in UTC, ``category`` and ``subgroup`` lower case) plus
        ``low``, ``best``, ``high``, ``qualifier``, the place columns of
        :func:`casualtyrec.resolve_places` (``status`` and ``candidates`` renamed
        ``place_status`` and ``place_candidates``), ``incident`` (the user's id or <NA>),
        ``status`` (``accepted``/``rejected``) and ``reason``. An input column whose name
        one of these takes is kept with the suffix ``_input``.

    Raises
    ------
    SchemaError
        If `claims` is not a DataFrame, lacks a required column, or has a wholly tz-naive
        ``reported_at`` and no `assume_tz`.

    Examples
    --------
    >>> import pandas as pd
    >>> from casualtyrec.claims import validate_claims
    >>> claims = pd.DataFrame({
    ...     "Source": ["governor", "agency"],
    ...     "reported_at": ["2023-12-30T21:05+03:00", "2023-12-30T21:10+03:00"],
    ...     "place": ["Belgorod", "Belgorod"],
    ...     "category": ["people.killed", "people.kiled"],
    ...     "low": [18, 14], "best": [18, 14], "high": [18, None],
    ... })
    >>> out = validate_claims(claims)
    >>> out[["source", "low", "high", "place_id", "status"]]
         source  low  high  place_id    status
    0  governor   18    18    578072  accepted
    1    agency   14  <NA>    578072  rejected
    >>> print(out.loc[1, "reason"])
    row 1, column 'category': unknown category 'people.kiled' (expected one of ...)
    """
    return _validate(
        claims, policy=policy, assume_tz=assume_tz, resolve=_default_resolver(gazetteer, policy)
    )


def _claim_ids(claim_id: pd.Series | None, n: int, offset: int) -> pd.Series:
    """Return the cleaned ids; a missing one is ``c<position>`` (rows from `offset`)."""
    if claim_id is None:
        claim_id = pd.Series(pd.NA, index=range(n), dtype=STRING)
    no_id = claim_id.isna().to_numpy()
    if no_id.any():
        positions = np.flatnonzero(no_id) + offset
        claim_id[no_id] = "c" + pd.Series(positions).astype(STRING).to_numpy()
    return claim_id


def _strings(frame: pd.DataFrame, problems: _Problems) -> dict[str, pd.Series]:
    """Text columns: stripped (blank is missing); ids, subgroup and source defaults."""
    n = len(frame)
    out: dict[str, pd.Series] = {}
    for name in ("source", "claim_id", "subgroup", "incident", "place"):
        if name in frame.columns:
            out[name] = _text(frame[name])
    for name in ("text", "url", "language", "figure"):  # carried as written
        if name in frame.columns:
            out[name] = frame[name].astype(STRING)
    problems.add(
        out["source"].isna().to_numpy(),
        "source",
        "missing value (expected the name of who made the claim)",
    )
    out["claim_id"] = _claim_ids(out.get("claim_id"), n, problems.offset)
    subgroup = out.get("subgroup", pd.Series(pd.NA, index=range(n), dtype=STRING))
    out["subgroup"] = subgroup.str.lower().fillna("all")
    out.setdefault("incident", pd.Series(pd.NA, index=range(n), dtype=STRING))
    return out


def _times(
    frame: pd.DataFrame,
    problems: _Problems,
    *,
    assume_tz: str | None,
    aware_elsewhere: bool = False,
) -> dict[str, pd.Series]:
    """``reported_at`` in UTC, ``event_date`` (default: its UTC date), ``cumulative``."""
    reported, missing, problem = _instants(
        frame["reported_at"],
        column="reported_at",
        assume_tz=assume_tz,
        aware_elsewhere=aware_elsewhere,
    )
    problems.add(missing, "reported_at", f"missing value ({_ISO_HINT})")
    problems.add(problem.notna().to_numpy(), "reported_at", problem)
    _check_range(reported, frame["reported_at"], "reported_at", problems)
    event = reported.dt.floor("D")
    if "event_date" in frame.columns:
        given, missing, problem = _dates(frame["event_date"])
        problems.add(problem.notna().to_numpy(), "event_date", problem)
        _check_range(given, frame["event_date"], "event_date", problems)
        event = given.where(~missing, event)
    if "cumulative" in frame.columns:
        cumulative, problem = _booleans(frame["cumulative"])
        problems.add(problem.notna().to_numpy(), "cumulative", problem)
    else:
        cumulative = pd.Series(pd.array(np.ones(len(frame), dtype=bool), dtype="boolean"))
    return {
        "reported_at": reported,
        "event_date": event.astype(UTC_US),
        "cumulative": cumulative,
    }


def _categories(frame: pd.DataFrame, problems: _Problems) -> pd.Series:
    """Lower-cased categories; unknown or missing ones reject their rows."""
    category = _text(frame["category"]).str.lower()
    known = sorted(kinds.categories())
    expected = ", ".join(known)
    missing = category.isna().to_numpy()
    problems.add(missing, "category", f"missing value (expected one of {expected})")
    unknown = ~category.isin(known).to_numpy(dtype=bool, na_value=False) & ~missing
    if unknown.any():
        codes, uniques = _uniques(frame["category"][unknown])
        detail = (
            "unknown category "
            + uniques.map(_quote).astype(STRING)
            + f" (expected one of {expected}; register others with "
            "casualtyrec.kinds.register_category())"
        )
        problems.add(unknown, "category", _expand(codes, detail))
    return category.astype("category")


def _validate(
    claims: pd.DataFrame,
    *,
    policy: Policy,
    assume_tz: str | None,
    resolve: Resolver,
    offset: int = 0,
    aware_elsewhere: bool = False,
    first_rows: pd.Series | None = None,
) -> pd.DataFrame:
    """Validate `claims`; `offset` numbers its rows from there (a Dask partition's start).

    `aware_elsewhere` says that other partitions of the same column hold tz-aware text, so
    naive text here rejects its rows instead of raising. `first_rows` maps the duplicated
    ids of the whole table to their first row (duplicates across Dask partitions).
    """
    columns = _check_structure(claims)
    frame = pd.DataFrame(
        {name: claims[col].reset_index(drop=True) for name, col in columns.items()}
    )
    problems = _Problems(len(claims), offset)
    frame = _check_cells(frame, problems, policy)
    out = _strings(frame, problems)
    _duplicate_ids(out["claim_id"], problems, first_rows=first_rows)
    out.update(_times(frame, problems, assume_tz=assume_tz, aware_elsewhere=aware_elsewhere))
    out["category"] = _categories(frame, problems)
    out["subgroup"] = out["subgroup"].astype("category")
    out.update(_figures(frame, columns, problems, policy))
    places = _places(out["place"], problems, resolve)
    out.update({column: places[column] for column in places.columns})
    out["status"] = pd.Series(
        pd.Categorical.from_codes(
            problems.rejected.astype(np.int8), dtype=pd.CategoricalDtype(list(CLAIM_STATUSES))
        )
    )
    out["reason"] = pd.Series(pd.array(problems.reason, dtype=STRING))
    return _assemble(claims, columns, out)


def _assemble(
    claims: pd.DataFrame, columns: dict[str, object], out: dict[str, pd.Series]
) -> pd.DataFrame:
    """Put the input's columns in order (known ones normalized), then the added ones."""
    rename = {col: name for name, col in columns.items()}
    result: dict[object, pd.Series] = {}
    for column in claims.columns:
        name = rename.get(column)
        if name is not None:
            result[name] = out.pop(name)
        elif column in ADDED_COLUMNS or column in result:
            result[f"{column}_input"] = claims[column].reset_index(drop=True)
        else:
            result[column] = claims[column].reset_index(drop=True)
    result.update({name: out[name] for name in ADDED_COLUMNS if name in out})
    validated = pd.DataFrame(result)
    validated.index = claims.index
    return validated
