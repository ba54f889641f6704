"""Array helpers shared by the engine and the incident grouping: codes, sorts, segments."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from casualtyrec._types import STRING

if TYPE_CHECKING:
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]
    Bools = npt.NDArray[np.bool_]

__all__ = [
    "codes",
    "dense",
    "firsts",
    "group_starts",
    "ints",
    "joined",
    "lexsort",
    "lists",
    "ranges",
    "segment_cumsum",
    "window_starts",
]


def codes(values: pd.Series) -> tuple[Ints, pa.Array]:
    """Dense codes in sorted order of the values, and the sorted distinct values (Arrow)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        names = pa.array(values.cat.categories.astype(STRING).array).cast(pa.string())
        order = pc.sort_indices(names).to_numpy()
        rank = np.empty(len(order) + 1, dtype=np.int64)
        rank[order] = np.arange(len(order))
        rank[-1] = -1  # missing
        return rank[values.cat.codes.to_numpy()], names.take(pa.array(order))
    encoded = pa.array(values.astype(STRING).array)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    encoded = encoded.cast(pa.string())
    encoded = encoded.dictionary_encode()
    dictionary = encoded.dictionary
    order = pc.sort_indices(dictionary).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    return rank[codes], dictionary.take(pa.array(order))


def dense(values: Ints) -> tuple[Ints, Ints]:
    """``np.unique(values, return_inverse=True)`` by hashing first, sorting only the uniques."""
    codes, uniques = pd.factorize(values)
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return uniques[order], rank[codes]


def lexsort(*keys: Ints) -> Ints:
    """``np.lexsort(keys)`` (last key primary) by chained stable argsorts: faster on ints."""
    order = np.argsort(keys[0], kind="stable")
    for key in keys[1:]:
        order = order[np.argsort(key[order], kind="stable")]
    return order


def ints(values: pd.Series, fill: int) -> Ints:
    return np.asarray(values.astype("Int64").to_numpy(dtype=np.int64, na_value=fill), np.int64)


def group_starts(*arrays: Ints) -> Bools:
    """Mark where any of the (sorted) arrays changes value: the first row of each group."""
    n = len(arrays[0])
    start = np.zeros(n, dtype=np.bool_)
    if n:
        start[0] = True
        for a in arrays:
            start[1:] |= a[1:] != a[:-1]
    return start


def segment_cumsum(values: Ints, starts: Bools) -> Ints:
    """Cumulative sum that restarts where `starts` is True."""
    total = np.cumsum(values)
    first = np.flatnonzero(starts)
    seg = np.cumsum(starts) - 1
    before = total[first] - values[first]
    return total - before[seg]  # type: ignore[no-any-return]


def ranges(starts: Ints, stops: Ints) -> Ints:
    """Concatenated ``arange(start, stop)`` for each pair, vectorized."""
    lengths = stops - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    offsets = np.repeat(starts - (ends - lengths), lengths)
    return np.arange(total, dtype=np.int64) + offsets  # type: ignore[no-any-return]


def lists(rows: Ints, values: pa.Array, n_rows: int) -> pa.ListArray:
    """Build a list per row from (row, value) pairs already ordered by row."""
    counts = np.bincount(rows, minlength=n_rows)
    offsets = np.zeros(n_rows + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def joined(rows: Ints, values: pa.Array, n_rows: int, sep: str) -> pa.Array:
    return pc.binary_join(lists(rows, values, n_rows), sep)


def firsts(codes: Ints) -> Ints:
    """Position of the first row of each code (codes are 0..k-1)."""
    first = np.full(int(codes.max(initial=-1)) + 1, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    return first


def window_starts(group: Ints, day: Ints, window: int) -> npt.NDArray[np.bool_]:
    """Mark the pairs that start an incident; pairs are sorted unique (group, day).

    An incident starts at the first day of its group; every day at most `window` days after
    that start joins it; the next day beyond starts the next incident (no chaining). The loop
    runs once per incident of the busiest group, over all groups at once.
    """
    n = len(group)
    start = np.zeros(n, dtype=np.bool_)
    if not n:
        return start
    offset = day - day.min()
    stride = int(offset.max()) + window + 2
    combined = group * stride + offset
    nxt = np.searchsorted(combined, combined + window, side="right")
    first = np.ones(n, dtype=np.bool_)
    first[1:] = group[1:] != group[:-1]
    frontier = np.flatnonzero(first)
    while frontier.size:
        start[frontier] = True
        step = nxt[frontier]
        inside = step < n
        step, frm = step[inside], frontier[inside]
        frontier = step[group[step] == group[frm]]
    return start
