"""Private helpers of :mod:`casualtyrec.io`: encode frames as text and restore their dtypes.

Everything here works per column (vectorized), never per row.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import re
from typing import IO, TYPE_CHECKING, Final

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from casualtyrec._types import DTYPES, STRING, STRING_LIST, UTC_US
from casualtyrec.errors import SchemaError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "parquet_bytes",
    "read_parquet",
    "restore",
    "to_csv",
    "to_jsonl",
    "write_compressed",
]

#: A timestamp written with a time of day and an offset (``Z``, ``+03:00``, ``+0300``, ``+03``):
#: two separate checks, each linear (one pattern with ``.*`` between them backtracks from
#: every time-like start, quadratic on text such as "1 11:11" repeated).
_TIME_OF_DAY: Final = re.compile(r"\d[T ]\d\d:\d\d")
_OFFSET_AT_END: Final = re.compile(r"(?:[Zz]|[+-]\d\d(?::?\d\d)?)$")
_TRUE: Final = frozenset({"true", "t", "yes", "y", "1"})
_FALSE: Final = frozenset({"false", "f", "no", "n", "0"})
_OPENERS: Final[dict[str, Callable[..., IO[str]]]] = {
    ".gz": gzip.open,
    ".bz2": bz2.open,
    ".xz": lzma.open,
}


def restore(frame: pd.DataFrame, *, csv: bool) -> pd.DataFrame:
    """Give the columns of a frame read from CSV or JSON Lines their dtypes, where lossless."""
    out: dict[str, pd.Series] = {}
    for name in frame.columns:
        column = frame[name]
        want = DTYPES.get(str(name).strip().lower())
        if want in {"Int64", "Float64"}:
            out[name] = _numeric(column, integer=want == "Int64")
        elif want == UTC_US:
            out[name] = _aware_times(column)
        elif want == STRING_LIST:
            out[name] = _string_lists(column, csv=csv)
        elif want == "boolean":
            out[name] = _booleans(column)
        elif want is not None or csv:
            out[name] = column.astype(STRING)
        else:
            out[name] = _maybe_text(column)
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)), columns=frame.columns)


def _maybe_text(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.StringDtype) or pd.api.types.infer_dtype(
        column, skipna=True
    ) in {"string", "empty"}:
        return column.astype(STRING)
    return column


def _numeric(column: pd.Series, *, integer: bool) -> pd.Series:
    target: pd.Int64Dtype | pd.Float64Dtype = pd.Int64Dtype() if integer else pd.Float64Dtype()
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        try:
            return column.astype(target)
        except (TypeError, ValueError):
            return column
    text = column.astype(STRING).str.strip()
    numbers = pd.to_numeric(text, errors="coerce")
    if int(numbers.notna().sum()) != int(text.notna().sum()):
        return text  # a value that is not a number: leave it for validation to reject
    if integer and not bool(((numbers.dropna() % 1) == 0).all()):
        return text
    out: pd.Series = numbers.astype(target)
    return out


def _aware_times(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        utc: pd.Series = column.dt.tz_convert("UTC").astype(UTC_US)
        return utc
    if pd.api.types.is_datetime64_dtype(column.dtype):
        return column  # naive: reconcile() decides with assume_tz=
    text = column.astype(STRING).str.strip()
    present = text.dropna()
    aware = present.str.contains(_TIME_OF_DAY.pattern) & present.str.contains(
        _OFFSET_AT_END.pattern
    )
    if present.empty or not bool(aware.all()):
        return text
    try:
        parsed = pd.to_datetime(text, utc=True, format="ISO8601")
    except (ValueError, OverflowError):
        return text
    return parsed.astype(UTC_US)


def _string_lists(column: pd.Series, *, csv: bool) -> pd.Series:
    if isinstance(column.dtype, pd.ArrowDtype) and pa.types.is_list(column.dtype.pyarrow_dtype):
        return column.astype(STRING_LIST)
    if csv or isinstance(column.dtype, pd.StringDtype):
        array = pa.array(column.astype(STRING), type=pa.string(), from_pandas=True)
        split = pc.split_pattern(array, ";")
        items = pc.utf8_trim_whitespace(split.flatten())
        lists = pa.ListArray.from_arrays(split.offsets, items, mask=split.is_null())
    else:
        values = column.astype(object).where(column.notna(), None)
        try:
            lists = pa.array(values.tolist(), type=pa.list_(pa.string()))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return column
    return pd.Series(pd.arrays.ArrowExtensionArray(lists), index=column.index).astype(STRING_LIST)


def _booleans(column: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(column.dtype):
        return column.astype("boolean")
    text = column.astype(STRING).str.strip().str.lower()
    mapped = text.map(dict.fromkeys(_TRUE, True) | dict.fromkeys(_FALSE, False))
    if int(mapped.notna().sum()) != int(text.notna().sum()):
        return column.astype(STRING)
    return mapped.astype("boolean")


def read_parquet(source: str | IO[bytes] | IO[str]) -> pd.DataFrame:
    """Read Parquet written by pandas, including ``pd.ArrowDtype`` list columns.

    pandas records an ``ArrowDtype`` column's dtype as a string it cannot parse back, so the
    metadata of those columns is dropped and their Arrow type maps to ``pd.ArrowDtype``.
    """
    try:
        table = pq.read_table(source)
    except (pa.ArrowInvalid, OSError) as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise SchemaError(f"not readable as Parquet: {str(err).splitlines()[0]}") from err
    metadata = dict(table.schema.metadata or {})
    if b"pandas" in metadata:
        pandas_meta = json.loads(metadata[b"pandas"])
        for entry in pandas_meta.get("columns", []):
            if str(entry.get("numpy_type", "")).endswith("[pyarrow]"):
                entry["numpy_type"] = "object"
        metadata[b"pandas"] = json.dumps(pandas_meta).encode()
        table = table.replace_schema_metadata(metadata)

    def mapper(arrow_type: pa.DataType) -> object:
        if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
            return pd.ArrowDtype(arrow_type)
        return None

    frame: pd.DataFrame = table.to_pandas(types_mapper=mapper)
    lists = [c for c in frame.columns if DTYPES.get(str(c)) == STRING_LIST and c in frame.columns]
    for column in lists:
        frame[column] = frame[column].astype(STRING_LIST)
    return frame.reset_index(drop=True)


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """Return `frame` as Parquet bytes (index dropped)."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _encoded(frame: pd.DataFrame, *, join_lists: bool) -> pd.DataFrame:
    out = frame.copy(deep=False)
    for name in out.columns:
        column = out[name]
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            out[name] = _iso(column.dt.tz_convert("UTC"), suffix="Z")
        elif pd.api.types.is_datetime64_dtype(column.dtype):
            out[name] = _iso(column, suffix="")
        elif (
            join_lists
            and isinstance(column.dtype, pd.ArrowDtype)
            and pa.types.is_list(column.dtype.pyarrow_dtype)
        ):
            out[name] = _joined(column, str(name))
    return out


def _iso(column: pd.Series, *, suffix: str) -> pd.Series:
    fraction = bool(((column.dt.microsecond != 0) | (column.dt.nanosecond != 0)).any())
    pattern = "%Y-%m-%dT%H:%M:%S.%f" if fraction else "%Y-%m-%dT%H:%M:%S"
    text: pd.Series = column.dt.strftime(pattern).astype(STRING)
    if suffix:
        text = text + suffix
    return text


def _joined(column: pd.Series, name: str) -> pd.Series:
    array = pa.array(column.array)
    items = array.flatten()
    bad = pc.match_substring(items, ";")
    if pc.any(bad).as_py():
        first = items.filter(bad)[0].as_py()
        raise SchemaError(
            f"column {name!r}: value {first!r} contains ';', which separates list items in "
            "CSV; write Parquet or JSON Lines instead",
            column=name,
        )
    joined = pc.binary_join(array, ";")
    return pd.Series(pd.arrays.ArrowExtensionArray(joined), index=column.index).astype(STRING)


def to_csv(frame: pd.DataFrame) -> str:
    """Return `frame` as CSV text: ISO 8601 times, ``;``-joined lists, empty cells for NA."""
    return str(_encoded(frame, join_lists=True).to_csv(index=False, na_rep="", lineterminator="\n"))


def to_jsonl(frame: pd.DataFrame) -> str:
    """Return `frame` as JSON Lines: ISO 8601 times, lists as arrays, ``null`` for NA."""
    if frame.empty:
        return ""
    text = _encoded(frame, join_lists=False).to_json(
        orient="records", lines=True, force_ascii=False
    )
    return text if text.endswith("\n") else text + "\n"


def write_compressed(path: str, text: str) -> None:
    """Write `text` to `path`, compressed by its suffix (``.gz``, ``.bz2``, ``.xz``)."""
    opener = _OPENERS[path[path.rfind(".") :].lower()]
    with opener(path, "wt", encoding="utf-8") as handle:
        handle.write(text)
