"""Input hygiene of the claims table: broken cells, duplicate ids, out-of-range times.

Each check rejects rows (through the caller's problem list) and never raises; work is done
once per distinct value of a column, never once per row. ``docs/robustness.md`` lists the
rules:

- a cell of a known column that holds bytes, a list or another non-text object, text with
  an unpaired surrogate or a NUL character, or mis-decoded UTF-8 (mojibake: UTF-8 bytes read
  as cp1252) rejects its row, and is read as missing by the later checks;
- a text cell longer than ``Policy.max_phrase_length`` (``Policy.max_text_length`` for
  ``text``) rejects its row;
- a later row with the ``claim_id`` of an earlier row is rejected, naming the first row;
- ``reported_at`` and ``event_date`` must fall in [:data:`EARLIEST`, :data:`LATEST`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from casualtyrec._claim_times import quote
from casualtyrec._frame import factorize_cells
from casualtyrec._types import STRING

if TYPE_CHECKING:
    import numpy.typing as npt

    from casualtyrec.policy import Policy

    Bools = npt.NDArray[np.bool_]

__all__ = ["EARLIEST", "LATEST", "Problems", "check_cells", "check_range", "duplicate_ids"]

#: Earliest ``reported_at`` / ``event_date`` accepted (inclusive). Year 1900 (a spreadsheet's
#: zero date) and earlier are mistakes in a table of modern casualty reports.
EARLIEST: Final = pd.Timestamp("1945-01-01", tz="UTC")
#: Latest ``reported_at`` / ``event_date`` accepted (exclusive): years 1945 to 2099.
LATEST: Final = pd.Timestamp("2100-01-01", tz="UTC")
#: Columns whose cells must be text (or a number, read as its digits) when the column is
#: object- or category-typed.
_TEXT_COLUMNS: Final = (
    "claim_id",
    "source",
    "place",
    "category",
    "subgroup",
    "figure",
    "incident",
    "text",
    "url",
    "language",
)
_OTHER_COLUMNS: Final = ("reported_at", "event_date", "cumulative", "low", "best", "high")
_SCALARS: Final = (str, int, float, bool, np.number, np.bool_, dt.datetime, dt.date)
_MOJIBAKE_CODECS: Final = ("cp1252", "latin-1")


class Problems:
    """Row problems, collected column by column and joined with "; " per row."""

    def __init__(self, n: int, offset: int = 0) -> None:
        self.n = n
        self.offset = offset  # position of the first row (a Dask partition's start)
        self.reason = pa.nulls(n, pa.string())
        self.seen: dict[str, Bools] = {}  # rows with a problem, per column

    def add(self, mask: Bools, column: str, detail: pd.Series | str) -> None:
        """Record `detail` (one string, or one per row) for the rows in `mask`.

        Only the first problem of a row in a column is kept: a cell rejected as broken is
        not also reported as missing.
        """
        mask = np.asarray(mask, dtype=bool)
        seen = self.seen.get(column)
        if seen is not None and (mask & seen).any():
            if not isinstance(detail, str) and len(detail) != self.n:
                detail = detail[~seen[mask]].reset_index(drop=True)
            mask = mask & ~seen
        self.seen[column] = mask if seen is None else (mask | seen)
        rows = np.flatnonzero(mask)
        if not rows.size:
            return
        if isinstance(detail, str):
            details = pa.array([detail] * rows.size, pa.string())
        else:  # one per row of the frame, or one per row in `mask`
            details = pa.array(detail.astype(STRING).array, pa.string())
            if len(details) != rows.size:
                details = details.take(pa.array(rows))
        text = pc.binary_join_element_wise(
            "row ",
            pa.array(rows + self.offset).cast(pa.string()),
            f", column {column!r}: ",
            details,
            "",
        )
        slot = np.zeros(self.n, dtype=np.int64)
        slot[rows] = np.arange(rows.size)
        new = text.take(pa.array(slot, mask=~np.asarray(mask)))
        both = pc.binary_join_element_wise(self.reason, new, "; ")
        self.reason = pc.if_else(
            pc.is_null(self.reason), new, pc.if_else(pc.is_null(new), self.reason, both)
        )

    @property
    def rejected(self) -> Bools:
        return pc.is_valid(self.reason).to_numpy(zero_copy_only=False)  # type: ignore[no-any-return]


def _mojibake(text: str) -> str | None:
    """Return `text` re-read as UTF-8 when it is UTF-8 mis-decoded as Latin-1, else None."""
    if text.isascii():
        return None
    for codec in _MOJIBAKE_CODECS:
        try:
            fixed = text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
        if fixed != text:
            return fixed
    return None


def _cell_problem(value: object, column: str, limit: int) -> str | None:  # noqa: PLR0911
    """Why a cell is unusable, or None."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return (
            f"bytes {quote(bytes(value))} (expected text: decode the column first, "
            f"e.g. df[{column!r}].str.decode('utf-8'))"
        )
    if not isinstance(value, _SCALARS):
        return f"a {type(value).__name__} {quote(value)} (expected one value per cell)"
    if not isinstance(value, str):
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        return (
            f"{quote(value)} holds an unpaired surrogate at position {err.start} "
            "(expected valid Unicode text; re-read the file with its real encoding)"
        )
    if "\x00" in value:
        return (
            f"{quote(value)} holds a NUL character at position {value.index(chr(0))} "
            "(expected text without NUL; a UTF-16 file read as UTF-8 looks like this)"
        )
    if column in _TEXT_COLUMNS and len(value) > limit:
        field = "max_text_length" if column == "text" else "max_phrase_length"
        return (
            f"{quote(value)} is {len(value):,} characters, over Policy.{field} ({limit:,}); "
            f"raise it with attrs.evolve(policy, {field}=...)"
        )
    fixed = _mojibake(value)
    if fixed is not None:
        return (
            f"{quote(value)} is mis-decoded UTF-8 (it reads {quote(fixed)} as UTF-8; "
            "expected text decoded once: re-read the file with encoding='utf-8')"
        )
    return None


def check_cells(frame: pd.DataFrame, problems: Problems, policy: Policy) -> pd.DataFrame:
    """Reject rows with unusable cells; return `frame` with those cells missing."""
    out = {}
    for column in frame.columns:
        series = frame[column]
        if column not in _TEXT_COLUMNS + _OTHER_COLUMNS or not _may_hold_text(series):
            out[column] = series
            continue
        limit = policy.max_text_length if column == "text" else policy.max_phrase_length
        suspects = np.flatnonzero(_suspects(series, limit if column in _TEXT_COLUMNS else None))
        if suspects.size == 0:
            out[column] = series
            continue
        whole = suspects.size == len(series)
        codes, uniques = factorize_cells(series if whole else series.iloc[suspects])
        reasons = [_cell_problem(v, str(column), limit) for v in uniques]
        bad_u = np.array([r is not None for r in reasons] + [False], dtype=bool)
        bad = bad_u[np.where(codes < 0, len(uniques), codes)]
        rows = np.zeros(len(series), dtype=bool)
        rows[suspects[bad]] = True
        if rows.any():
            detail = pd.Series([r or "" for r in reasons], dtype=STRING)
            problems.add(rows, str(column), detail.take(codes[bad]).reset_index(drop=True))
            series = series.astype(object).mask(rows)
        out[column] = series
    return pd.DataFrame(out)


def _suspects(series: pd.Series, limit: int | None) -> npt.NDArray[np.bool_]:
    """Cells that may be unusable; the rest are known good without looking at them one by one.

    An Arrow-backed string column holds only valid UTF-8 scalars (no bytes, no unpaired
    surrogates), so a cell there can only be bad when it has non-ASCII characters (mojibake),
    a NUL, or more than `limit` characters: one vectorized pass finds those. Any other column
    (object, categorical, Python-backed strings) is checked cell by distinct cell.
    """
    to_arrow = getattr(series.array, "__arrow_array__", None)
    arrow = to_arrow() if to_arrow is not None else None
    if arrow is None or not (
        pa.types.is_string(arrow.type) or pa.types.is_large_string(arrow.type)
    ):
        return np.ones(len(series), dtype=bool)
    suspect = pc.or_(pc.invert(pc.string_is_ascii(arrow)), pc.match_substring(arrow, "\x00"))
    if limit is not None:
        suspect = pc.or_(suspect, pc.greater(pc.utf8_length(arrow), limit))
    return np.asarray(
        pc.fill_null(suspect, fill_value=False).to_numpy(zero_copy_only=False), dtype=bool
    )


def _may_hold_text(series: pd.Series) -> bool:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return True
    if isinstance(dtype, pd.ArrowDtype):
        kind = dtype.pyarrow_dtype
        return bool(
            pa.types.is_string(kind)
            or pa.types.is_large_string(kind)
            or pa.types.is_binary(kind)
            or pa.types.is_large_binary(kind)
            or pa.types.is_dictionary(kind)
        )
    return isinstance(dtype, pd.StringDtype) or pd.api.types.is_object_dtype(dtype)


def duplicate_ids(
    claim_id: pd.Series, problems: Problems, *, first_rows: pd.Series | None = None
) -> None:
    """Reject every row whose ``claim_id`` an earlier row already has, naming that row.

    `first_rows` (a Dask partition's view of the whole table) maps each duplicated id to the
    position of its first row in the whole table; without it the first rows are found here.
    """
    n = len(claim_id)
    position = np.arange(n, dtype=np.int64) + problems.offset
    if first_rows is None:
        codes = np.asarray(pd.factorize(claim_id, use_na_sentinel=True)[0], dtype=np.int64)
        present = codes >= 0
        if not present.any():
            return
        first = np.full(int(codes.max()) + 1, n + problems.offset, dtype=np.int64)
        np.minimum.at(first, codes[present], position[present])
    else:
        at = first_rows.index.get_indexer(pd.Index(claim_id.astype(STRING)))
        codes = np.asarray(at, dtype=np.int64)
        present = codes >= 0
        first = first_rows.to_numpy(dtype=np.int64)
    later = present & (first[np.maximum(codes, 0)] < position) if len(first) else present
    if not later.any():
        return
    detail = (
        "duplicate id "
        + pd.Series([quote(v) for v in claim_id[later]], dtype=STRING)
        + ", first at row "
        + pd.Series(first[codes[later]], dtype="Int64").astype(STRING)
        + " (expected one row per claim_id: rename or drop one of them)"
    )
    problems.add(later, "claim_id", detail)


def check_range(values: pd.Series, raw: pd.Series, column: str, problems: Problems) -> None:
    """Reject times outside [EARLIEST, LATEST), naming the value as written."""
    out = ((values < EARLIEST) | (values >= LATEST)).fillna(value=False).to_numpy(dtype=bool)
    if not out.any():
        return
    written = pd.Series([quote(v) for v in raw.reset_index(drop=True)[out]], dtype=STRING)
    problems.add(
        out,
        column,
        written + f" is out of range (expected a time from {EARLIEST:%Y-%m-%d} to before "
        f"{LATEST:%Y-%m-%d}; see casualtyrec.claims.EARLIEST and LATEST)",
    )
