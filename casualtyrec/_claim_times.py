"""Times and flags of the claims table (SPEC §3): reported_at, event_date, cumulative.

Text is read once per distinct value; datetime columns are converted as a whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
import pyarrow as pa

from casualtyrec._types import STRING, UTC_US
from casualtyrec.errors import SchemaError

if TYPE_CHECKING:
    import numpy.typing as npt

    Bools = npt.NDArray[np.bool_]
    Ints = npt.NDArray[np.int64]

__all__ = ["ISO_HINT", "NUMBER_HINT", "booleans", "dates", "instants", "quote", "unreadable"]

ISO_HINT: Final = "expected ISO 8601 such as '2023-12-30T18:40:00+03:00'"
_OFFSET: Final = r"(?i)\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:z|utc|gmt|[+-]\d{2}(?::?\d{2})?)$"
_OFFSET_TAIL: Final = (
    r"(?i)(\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?:z|utc|gmt|[+-]\d{2}(?::?\d{2})?)$"
)
#: A bare number in a time column: Excel serials ("45290") and years ("2023") are not times.
_NUMBER: Final = r"[+-]?(?:\d{1,7}|\d{9,})(?:[.,]\d*)?|[+-]?\d*[.,]\d+"
#: Said of a bare number in a time column.
NUMBER_HINT: Final = (
    "a number, not a time (expected ISO 8601 such as '2023-12-30T18:40:00+03:00'; "
    "convert Excel serial dates first with "
    "pd.to_datetime(column, unit='D', origin='1899-12-30'))"
)
_TRUE: Final = frozenset({"true", "t", "yes", "y", "1", "1.0"})
_FALSE: Final = frozenset({"false", "f", "no", "n", "0", "0.0"})


def quote(value: object, limit: int = 60) -> str:
    """``repr`` of a value, shortened to about `limit` characters (a cell may be 10 MB)."""
    if isinstance(value, str) and len(value) > limit:
        value = value[: limit - 3] + "..."
    text = repr(value)
    return text if len(text) <= limit + 20 else text[:limit] + "..."


def _uniques(series: pd.Series) -> tuple[Ints, pd.Series]:
    """Codes (-1 for missing) and the distinct values as stripped strings (blank is NA)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    values = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    text = values.astype(STRING).str.strip()
    return codes.astype(np.int64), text.mask(text == "")


def _missing(codes: Ints, uniques: pd.Series) -> Bools:
    """Rows whose value is missing or blank."""
    if not len(uniques):
        return np.ones(len(codes), dtype=np.bool_)
    return (codes < 0) | uniques.isna().to_numpy(dtype=bool)[np.maximum(codes, 0)]


def _expand(codes: Ints, values: pd.Series) -> pd.Series:
    """Per-row values from per-unique values (code -1 is missing)."""
    arr = pa.array(values.astype(STRING).array) if len(values) else pa.array([], pa.string())
    taken = arr.take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.array(taken, dtype=STRING))


def parse_strings(text: pd.Series, *, utc: bool) -> pd.Series:
    """Parse timestamp strings: ISO 8601 first, then any format pandas reads.

    A bare number ("45290", "2023") is never read as a time (see :data:`NUMBER_HINT`). With
    ``utc=False`` a value that turns out to carry a zone the caller did not expect is NaT
    (unreadable), never an error.
    """
    dtype = UTC_US if utc else "datetime64[us]"
    number = text.str.fullmatch(_NUMBER).fillna(value=False).to_numpy(dtype=bool)
    parsed = _coerce(_parse(text, utc=utc, how="ISO8601"), dtype, len(text))
    retry = parsed.isna().to_numpy() & text.notna().to_numpy() & ~number
    if retry.any():
        again = _parse(text[retry], utc=utc, how="mixed")
        if again is None or again.dtype != dtype:  # odd zones among naive text: one by one
            again = pd.Series([_one(v, utc=utc) for v in text[retry]], dtype=dtype)
        parsed[retry] = again.to_numpy()
    parsed[number] = pd.NaT
    parsed.index = text.index
    return parsed


def _parse(text: pd.Series, *, utc: bool, how: str) -> pd.Series | None:
    try:
        parsed = pd.to_datetime(text, utc=utc, format=how, errors="coerce")
    except (TypeError, ValueError, OverflowError):
        return None
    return pd.Series(parsed).reset_index(drop=True)


def _coerce(parsed: pd.Series | None, dtype: Any, n: int) -> pd.Series:  # noqa: ANN401
    """Return `parsed` in `dtype`; all NaT when unparsed as a whole or of the other zone kind."""
    if (
        parsed is None
        or parsed.dtype.kind != "M"
        or (isinstance(parsed.dtype, pd.DatetimeTZDtype) != isinstance(dtype, pd.DatetimeTZDtype))
    ):
        empty: pd.Series = pd.Series(pd.NaT, index=range(n), dtype=dtype)
        return empty
    out: pd.Series = parsed.astype(dtype)
    return out


def _one(value: str, *, utc: bool) -> Any:  # noqa: ANN401 - a Timestamp or NaT
    try:
        stamp = pd.to_datetime(value, utc=utc, format="mixed")
    except (TypeError, ValueError, OverflowError):
        return pd.NaT
    return pd.NaT if (stamp.tzinfo is not None) != utc else stamp


def instants(
    series: pd.Series, *, column: str, assume_tz: str | None, aware_elsewhere: bool = False
) -> tuple[pd.Series, Bools, pd.Series]:
    """Timestamps to UTC: (values, missing mask, per-row problem or NA).

    `aware_elsewhere`: other parts of the column (Dask partitions) hold tz-aware text.
    """
    n = len(series)
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype) and pa.types.is_timestamp(dtype.pyarrow_dtype):
        tz = dtype.pyarrow_dtype.tz
        series = series.astype(pd.DatetimeTZDtype("us", tz) if tz else "datetime64[us]")
        dtype = series.dtype
    no_problem = pd.Series(pd.NA, index=range(n), dtype=STRING)
    if isinstance(dtype, pd.DatetimeTZDtype):
        values = series.dt.tz_convert("UTC").astype(UTC_US).reset_index(drop=True)
        return values, values.isna().to_numpy(), no_problem
    if pd.api.types.is_datetime64_dtype(dtype):
        if assume_tz is None:
            if series.notna().any():
                raise naive_error(column, str(dtype))
            values = pd.Series(pd.NaT, index=range(n), dtype=UTC_US)
            return values, np.ones(n, dtype=np.bool_), no_problem
        local = series.dt.tz_localize(assume_tz, ambiguous="NaT", nonexistent="NaT")
        values = local.dt.tz_convert("UTC").astype(UTC_US).reset_index(drop=True)
        missing = series.isna().to_numpy()
        bad = values.isna().to_numpy() & ~missing
        problem = no_problem.copy()
        problem[bad] = f"time does not exist or is ambiguous in {assume_tz!r}"
        return values, missing, problem
    return instants_from_text(
        series, column=column, assume_tz=assume_tz, aware_elsewhere=aware_elsewhere
    )


def instants_from_text(
    series: pd.Series, *, column: str, assume_tz: str | None, aware_elsewhere: bool = False
) -> tuple[pd.Series, Bools, pd.Series]:
    """Timestamps written as text (or objects), read once per distinct value."""
    codes, uniques = _uniques(series)
    aware = uniques.str.contains(_OFFSET, regex=True).fillna(value=False).to_numpy(dtype=bool)
    values_u = pd.Series(pd.NaT, index=range(len(uniques)), dtype=UTC_US)
    problem_u = pd.Series(pd.NA, index=range(len(uniques)), dtype=STRING)
    if aware.any():
        values_u[aware] = parse_strings(uniques[aware], utc=True).astype(UTC_US)
    rest = ~aware & uniques.notna().to_numpy()
    naive = pd.Series(pd.NaT, index=range(len(uniques)), dtype="datetime64[us]")
    if rest.any():
        naive[rest] = parse_strings(uniques[rest], utc=False).astype("datetime64[us]")
    is_naive = naive.notna().to_numpy()
    if is_naive.any():
        if assume_tz is None:
            if not aware.any() and not aware_elsewhere:
                raise naive_error(column, "text without offsets")
            problem_u[is_naive] = (
                "tz-naive time "
                + uniques[is_naive].map(quote).astype(STRING)
                + " in a column of tz-aware times (expected an offset such as '+02:00', "
                "or pass assume_tz=)"
            )
        else:
            local = naive[is_naive].dt.tz_localize(assume_tz, ambiguous="NaT", nonexistent="NaT")
            values_u[is_naive] = local.dt.tz_convert("UTC").astype(UTC_US)
            gap = is_naive & values_u.isna().to_numpy()
            problem_u[gap] = (
                uniques[gap].map(quote).astype(STRING)
                + f" does not exist or is ambiguous in {assume_tz!r}"
            )
    unread = uniques.notna().to_numpy() & values_u.isna().to_numpy() & problem_u.isna().to_numpy()
    problem_u[unread] = unreadable(uniques[unread], f"as a time ({ISO_HINT})")
    values = pd.Series(values_u.array.take(codes, allow_fill=True), dtype=UTC_US)
    missing = _missing(codes, uniques)
    return values, missing, _expand(codes, problem_u)


def unreadable(values: pd.Series, what: str) -> pd.Series:
    """Why each of `values` (stripped text) is no time: a bare number, or unreadable."""
    shown = values.map(quote).astype(STRING)
    number = values.str.fullmatch(_NUMBER).fillna(value=False).to_numpy(dtype=bool)
    out = "cannot read " + shown + " " + what
    out[number] = shown[number] + " is " + NUMBER_HINT
    return out


def naive_error(column: str, got: str) -> SchemaError:
    return SchemaError(
        f"column {column!r} holds tz-naive times ({got}); pass assume_tz='UTC' if they are "
        "UTC, or the zone they were written in (assume_tz='Europe/Kyiv')",
        column=column,
    )


def dates(series: pd.Series) -> tuple[pd.Series, Bools, pd.Series]:
    """Event dates: the calendar date as written (time and offset ignored), as UTC midnight."""
    n = len(series)
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype) and pa.types.is_timestamp(dtype.pyarrow_dtype):
        series = series.astype("datetime64[us]")
        dtype = series.dtype
    no_problem = pd.Series(pd.NA, index=range(n), dtype=STRING)
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        wall = series.dt.tz_localize(None) if isinstance(dtype, pd.DatetimeTZDtype) else series
        values = wall.dt.floor("D").dt.tz_localize("UTC").astype(UTC_US).reset_index(drop=True)
        return values, values.isna().to_numpy(), no_problem
    codes, uniques = _uniques(series)
    bare = uniques.str.replace(_OFFSET_TAIL, r"\1", regex=True)
    parsed = parse_strings(bare, utc=False)
    values_u = parsed.dt.floor("D").dt.tz_localize("UTC").astype(UTC_US)
    problem_u = pd.Series(pd.NA, index=range(len(uniques)), dtype=STRING)
    bad = uniques.notna().to_numpy() & values_u.isna().to_numpy()
    problem_u[bad] = unreadable(uniques[bad], "as a date (expected ISO 8601 such as '2023-12-30')")
    values = pd.Series(values_u.array.take(codes, allow_fill=True), dtype=UTC_US)
    missing = _missing(codes, uniques)
    return values, missing, _expand(codes, problem_u)


def booleans(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``cumulative``: booleans, 0/1 or yes/no text; missing is True."""
    if pd.api.types.is_bool_dtype(series.dtype):
        values = series.astype("boolean").fillna(value=True).reset_index(drop=True)
        return values, pd.Series(pd.NA, index=range(len(series)), dtype=STRING)
    codes, uniques = _uniques(series)
    lowered = uniques.str.lower()
    truth = pd.Series(pd.NA, index=range(len(uniques)), dtype="boolean")
    truth[lowered.isin(_TRUE).fillna(value=False).to_numpy(dtype=bool)] = True
    truth[lowered.isin(_FALSE).fillna(value=False).to_numpy(dtype=bool)] = False
    truth[uniques.isna().to_numpy()] = True
    problem_u = pd.Series(pd.NA, index=range(len(uniques)), dtype=STRING)
    bad = truth.isna().to_numpy()
    problem_u[bad] = (
        "cannot read " + uniques[bad].map(quote).astype(STRING) + " as true or false "
        "(expected true for a running total, false for an increment)"
    )
    values = pd.Series(truth.array.take(codes, allow_fill=True), dtype="boolean")
    return values.fillna(value=True), _expand(codes, problem_u)
