"""Reading and writing: the bundled sample, claims tables and timelines.

Three file formats, chosen by the file's extension or by ``format=``:

========  =========================  =====================================================
format    extensions                 dtypes after a round trip
========  =========================  =====================================================
parquet   ``.parquet``, ``.pq``      kept exactly (strings, ``Int64``, categories with their
                                     order, ``datetime64[us, UTC]``, ``claim_ids`` lists)
csv       ``.csv`` (``.gz`` ...)     restored by :func:`read_timeline`; see below
jsonl     ``.jsonl``, ``.ndjson``    restored like CSV; ``claim_ids`` is a JSON array
========  =========================  =====================================================

CSV and JSON Lines carry no types, so writing and reading back follows these rules:

- a missing value is an empty cell (CSV) or ``null`` (JSON);
- timestamps are written in ISO 8601 UTC with a ``Z`` (``2023-12-30T15:40:00Z``; fractions
  of a second only when there are any) and read back as ``datetime64[us, UTC]`` when every
  value in the column carries an offset; a column with naive or unparseable values stays
  text, for :func:`casualtyrec.reconcile` to judge (naive times need ``assume_tz=``);
- ``claim_ids`` is written ``;``-joined in CSV (``s02;s07``) and split back on reading; a
  claim id that itself contains ``;`` cannot be written to CSV and raises ``SchemaError``;
- integer columns (``low``, ``best``, ``high``, ``place_id``, ``n_sources``) come back as
  ``Int64`` and ``score``, ``lat``, ``lon`` as ``Float64`` when every value is a number;
  otherwise they stay text, so that a bad value becomes a rejected row, not a read error;
- every other column comes back as ``string[pyarrow]``; :func:`read_timeline` also restores
  the ``category`` columns of SPEC §7 (``status`` with the four statuses, weakest first;
  ``category`` and ``subgroup`` with the values present, sorted).

The path ``"-"`` means standard input or output; it has no extension, so pass ``format=``
for anything but CSV.
"""

from __future__ import annotations

import io
import os
import sys
import typing
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final, Literal, TypeAlias

import pandas as pd

from casualtyrec import _formats
from casualtyrec._frame import cast
from casualtyrec._types import STRING, TIMELINE_COLUMNS, TIMELINE_STATUSES, labels
from casualtyrec.errors import SchemaError

if TYPE_CHECKING:
    from casualtyrec.reconcile import Reconciliation

__all__ = [
    "FORMATS",
    "Format",
    "format_of",
    "load_sample",
    "read_claims",
    "read_timeline",
    "write_frame",
    "write_timeline",
]

#: A file format name.
Format: TypeAlias = Literal["csv", "parquet", "jsonl"]
#: The formats, in the order the CLI lists them.
FORMATS: Final[tuple[str, ...]] = ("csv", "parquet", "jsonl")

PathOrBuffer: TypeAlias = "str | os.PathLike[str] | IO[bytes] | IO[str]"

_EXTENSIONS: Final[dict[str, Format]] = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_COMPRESSIONS: Final = (".gz", ".bz2", ".xz")


def load_sample() -> pd.DataFrame:
    """Return the bundled sample claims: Belgorod, Kharkiv and Ukraine, 29 Dec 2023 - 2 Jan 2024.

    36 claims from 11 sources (SPEC §9), as a user would load them from a CSV file: every
    column is ``string[pyarrow]`` except ``reported_at``, which keeps the offsets it was
    written with converted to ``datetime64[us, UTC]``.

    Returns
    -------
    pandas.DataFrame
        Columns ``claim_id``, ``source``, ``reported_at``, ``place``, ``category``,
        ``subgroup``, ``figure``, ``event_date``, ``text``.

    Examples
    --------
    >>> from casualtyrec import load_sample
    >>> claims = load_sample()
    >>> len(claims), claims.loc[0, "figure"]
    (36, 'two children')
    >>> str(claims["reported_at"].dtype)
    'datetime64[us, UTC]'
    """
    path = resources.files("casualtyrec").joinpath("data", "sample_claims.csv")
    with path.open("rb") as handle:
        frame = pd.read_csv(handle, dtype=STRING, keep_default_na=False)
    frame["reported_at"] = pd.to_datetime(frame["reported_at"], utc=True, format="ISO8601")
    frame["reported_at"] = frame["reported_at"].astype("datetime64[us, UTC]")
    return frame


def format_of(path: PathOrBuffer, *, format: Format | None = None) -> Format:  # noqa: A002
    """Return the file format of `path`: `format` when given, else from the extension.

    Compression suffixes (``.gz``, ``.bz2``, ``.xz``) are looked through:
    ``claims.csv.gz`` is CSV.

    Raises
    ------
    SchemaError
        If `format` is not a known format, or it is ``None`` and the extension says nothing
        (standard input or output ``"-"``, a buffer, an unknown extension).

    Examples
    --------
    >>> from casualtyrec.io import format_of
    >>> format_of("out/timeline.parquet"), format_of("claims.csv.gz")
    ('parquet', 'csv')
    >>> format_of("-", format="jsonl")
    'jsonl'
    """
    if format is not None:
        if format not in FORMATS:
            raise SchemaError(
                f"unknown format {format!r}; expected one of {', '.join(map(repr, FORMATS))}"
            )
        return format
    name = _name_of(path)
    if name is None or name == "-":
        where = "standard input/output" if name == "-" else "a buffer"
        raise SchemaError(
            f"cannot tell the format of {where}; pass format= ({', '.join(map(repr, FORMATS))})"
        )
    suffixes = [s.lower() for s in Path(name).suffixes]
    if suffixes and suffixes[-1] in _COMPRESSIONS:
        suffixes.pop()
    found = _EXTENSIONS.get(suffixes[-1]) if suffixes else None
    if found is None:
        known = ", ".join(sorted(_EXTENSIONS))
        raise SchemaError(
            f"cannot tell the format of {name!r} from its extension; use one of {known} "
            "or pass format="
        )
    return found


def read_claims(path_or_buffer: PathOrBuffer, *, format: Format | None = None) -> pd.DataFrame:  # noqa: A002
    r"""Read a claims table (or any frame this module wrote) from CSV, Parquet or JSON Lines.

    Parameters
    ----------
    path_or_buffer : str, path or file-like
        A file path, ``"-"`` for standard input, or an open file.
    format : {"csv", "parquet", "jsonl"}, optional
        Defaults to the file's extension; required for ``"-"`` and buffers (except CSV).

    Returns
    -------
    pandas.DataFrame
        One row per record, in file order, with the dtypes described in this module's
        docstring; ready for :func:`casualtyrec.reconcile`.

    Raises
    ------
    SchemaError
        If the format cannot be told or the file is not a table of that format.

    Examples
    --------
    >>> import io
    >>> from casualtyrec.io import read_claims
    >>> text = "source,reported_at,place,category,low,best,high\n"
    >>> text += "governor,2023-12-30T21:05:00+03:00,Belgorod,people.killed,18,18,\n"
    >>> claims = read_claims(io.StringIO(text), format="csv")
    >>> claims[["reported_at", "best", "high"]]
                    reported_at  best  high
    0 2023-12-30 18:05:00+00:00    18  <NA>
    >>> str(claims["source"].dtype), str(claims["high"].dtype)
    ('string', 'Int64')
    """
    fmt = _input_format(path_or_buffer, format)
    source = _open_input(path_or_buffer, fmt)
    try:
        if fmt == "parquet":
            return _formats.read_parquet(source)
        if fmt == "csv":
            raw = pd.read_csv(source, dtype=STRING, keep_default_na=False, na_values=[""])
        else:
            raw = pd.read_json(source, lines=True, dtype=False)
    except (ValueError, OSError) as err:
        if isinstance(err, FileNotFoundError):
            raise
        where = _name_of(path_or_buffer) or "the input"
        message = f"{where!r} is not readable as {fmt}: {_first_line(err)}"
        raise SchemaError(message) from err
    return _formats.restore(raw, csv=fmt == "csv")


def read_timeline(path_or_buffer: PathOrBuffer, *, format: Format | None = None) -> pd.DataFrame:  # noqa: A002
    r"""Read a timeline written by :func:`write_timeline`, with the SPEC §7 dtypes.

    Raises
    ------
    SchemaError
        If a timeline column is missing.

    Examples
    --------
    >>> import io
    >>> from casualtyrec.io import read_timeline
    >>> text = (
    ...     "incident,place_id,place,country,category,subgroup,as_of,low,best,high,"
    ...     "status,n_sources,sources,claim_ids,note\n"
    ...     "kyiv-2024-01-02,703448,Kyiv,UA,people.killed,all,2024-01-02T09:00:00Z,"
    ...     "4,4,,single_source,1,city,c0;c1,\n"
    ... )
    >>> timeline = read_timeline(io.StringIO(text), format="csv")
    >>> timeline.loc[0, "claim_ids"], str(timeline["as_of"].dtype)
    (['c0', 'c1'], 'datetime64[us, UTC]')
    """
    frame = read_claims(path_or_buffer, format=format)
    missing = [c for c in TIMELINE_COLUMNS if c not in frame.columns]
    if missing:
        raise SchemaError.missing_columns(missing, [str(c) for c in frame.columns])
    return _timeline_schema(frame)


def write_frame(
    frame: pd.DataFrame,
    path_or_buffer: PathOrBuffer,
    *,
    format: Format | None = None,  # noqa: A002
) -> None:
    r"""Write any frame (a claims table, ``Reconciliation.claims``) as CSV, Parquet or JSON Lines.

    Parameters
    ----------
    frame : pandas.DataFrame
        The frame; the index is not written.
    path_or_buffer : str, path or file-like
        A file path, ``"-"`` for standard output, or an open file (binary for Parquet).
    format : {"csv", "parquet", "jsonl"}, optional
        Defaults to the file's extension; required for ``"-"`` and buffers.

    Raises
    ------
    SchemaError
        If the format cannot be told, or a list cell holds a ``;`` (CSV only).

    Examples
    --------
    >>> import io
    >>> import pandas as pd
    >>> from casualtyrec.io import write_frame
    >>> out = io.StringIO()
    >>> frame = pd.DataFrame({"source": ["governor"], "best": pd.array([18], dtype="Int64")})
    >>> frame["as_of"] = pd.Timestamp("2023-12-30 18:05", tz="UTC")
    >>> write_frame(frame, out, format="jsonl")
    >>> out.getvalue()
    '{"source":"governor","best":18,"as_of":"2023-12-30T18:05:00Z"}\n'
    """
    fmt = format_of(path_or_buffer, format=format)
    if fmt == "parquet":
        payload = _formats.parquet_bytes(frame)
        _write_bytes(path_or_buffer, payload)
        return
    text = _formats.to_csv(frame) if fmt == "csv" else _formats.to_jsonl(frame)
    _write_text(path_or_buffer, text)


def write_timeline(
    timeline: Reconciliation | pd.DataFrame,
    path_or_buffer: PathOrBuffer,
    *,
    format: Format | None = None,  # noqa: A002
) -> None:
    r"""Write a timeline (a :class:`~casualtyrec.Reconciliation` or its ``.timeline``).

    The SPEC §7 columns are written in order; :func:`read_timeline` reads them back with
    their dtypes (exactly for Parquet, by the rules in this module's docstring for CSV and
    JSON Lines).

    Raises
    ------
    SchemaError
        If a timeline column is missing, or as :func:`write_frame`.

    Examples
    --------
    >>> import io
    >>> import pandas as pd
    >>> from casualtyrec.io import read_timeline, write_timeline
    >>> text = (
    ...     "incident,place_id,place,country,category,subgroup,as_of,low,best,high,"
    ...     "status,n_sources,sources,claim_ids,note\n"
    ...     "kyiv-2024-01-02,703448,Kyiv,UA,people.killed,all,2024-01-02T09:00:00Z,"
    ...     "4,4,,single_source,1,city,c0,\n"
    ... )
    >>> timeline = read_timeline(io.StringIO(text), format="csv")
    >>> buffer = io.BytesIO()
    >>> write_timeline(timeline, buffer, format="parquet")
    >>> _ = buffer.seek(0)
    >>> pd.testing.assert_frame_equal(read_timeline(buffer, format="parquet"), timeline)
    """
    frame = timeline if isinstance(timeline, pd.DataFrame) else timeline.timeline
    missing = [c for c in TIMELINE_COLUMNS if c not in frame.columns]
    if missing:
        raise SchemaError.missing_columns(missing, [str(c) for c in frame.columns])
    write_frame(frame.loc[:, list(TIMELINE_COLUMNS)], path_or_buffer, format=format)


def _timeline_schema(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast to the SPEC §7 dtypes, as :func:`casualtyrec.reconcile` makes them."""
    overrides: dict[str, object] = {}
    for column in ("category", "subgroup"):
        dtype = frame[column].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            categories = labels(str(v) for v in dtype.categories)
        else:
            categories = labels(sorted(str(v) for v in frame[column].dropna().unique()))
        overrides[column] = pd.CategoricalDtype(categories)
    status = frame["status"].astype(STRING)
    unknown = status.notna() & ~status.isin(TIMELINE_STATUSES)
    if bool(unknown.any()):
        row = int(unknown.to_numpy().nonzero()[0][0])
        raise SchemaError(
            f"row {row}, column 'status': {status.iloc[row]!r} is not a timeline status "
            f"(expected one of {', '.join(map(repr, TIMELINE_STATUSES))})",
            column="status",
        )
    overrides["status"] = pd.CategoricalDtype(list(TIMELINE_STATUSES))
    try:
        return cast(frame, TIMELINE_COLUMNS, overrides=overrides).reset_index(drop=True)
    except (TypeError, ValueError) as err:
        raise SchemaError(f"not a timeline: {_first_line(err)}") from err


def _name_of(path: PathOrBuffer) -> str | None:
    if isinstance(path, str):
        return path
    if isinstance(path, os.PathLike):
        return os.fspath(path)
    name = getattr(path, "name", None)
    return name if isinstance(name, str) and not name.startswith("<") else None


def _is_text(buffer: object) -> bool:
    return isinstance(buffer, io.TextIOBase) or hasattr(buffer, "encoding")


def _input_format(path: PathOrBuffer, format: Format | None) -> Format:  # noqa: A002
    if format is None and _name_of(path) in {None, "-"}:
        return "csv"  # text without a name: CSV is the one format that needs no flag
    return format_of(path, format=format)


def _open_input(path: PathOrBuffer, fmt: Format) -> str | IO[bytes] | IO[str]:
    if isinstance(path, str) and path == "-":
        return io.BytesIO(sys.stdin.buffer.read())
    if isinstance(path, str | os.PathLike):
        return os.fspath(path)
    if fmt == "parquet" and _is_text(path):
        raise SchemaError("Parquet needs a binary buffer (open the file with 'rb')")
    return path


def _write_bytes(path: PathOrBuffer, payload: bytes) -> None:
    if isinstance(path, str) and path == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
    elif isinstance(path, str | os.PathLike):
        Path(path).write_bytes(payload)
    elif _is_text(path):
        raise SchemaError("Parquet needs a binary buffer (open the file with 'wb')")
    else:
        typing.cast("IO[bytes]", path).write(payload)


def _write_text(path: PathOrBuffer, text: str) -> None:
    if isinstance(path, str) and path == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    elif isinstance(path, str | os.PathLike):
        target = os.fspath(path)
        if target.lower().endswith(_COMPRESSIONS):
            _formats.write_compressed(target, text)
        else:
            Path(target).write_text(text, encoding="utf-8")
    elif _is_text(path):
        typing.cast("IO[str]", path).write(text)
    else:
        typing.cast("IO[bytes]", path).write(text.encode("utf-8"))


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
