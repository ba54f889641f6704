"""The SPEC §6 engine: validated claims to timeline rows, vectorized per key.

Layout. Claims are sorted by key (incident, category, subgroup), source and time; each
source's running total is computed with segmented cumulative sums (a cumulative claim starts
a segment, increments add to it). The result is one *effective claim* per (key, source,
reported_at). A timeline row is one (key, reported_at). The current claims of a row are found
with a forward fill over a (rows x sources-in-key) matrix of effective-claim indices; keys are
bucketed by their number of sources, and buckets are cut into chunks at key boundaries, so a
key with many sources never widens the matrix of the others. Everything per row (L, H,
freshness, sides, best, status, notes, source and claim lists) is numpy or pyarrow compute.

Ties (several claims of one source at one ``reported_at`` for one key) are settled without
looking at input order, so shuffling rows never changes the result:

- cumulative claims: the one with the highest ``low``, then ``best``, then ``high`` (no upper
  bound counts as highest), then ``claim_id``, stands; the others are superseded at once;
- increments: identical ones (same low, best, high) are one report; distinct ones add up;
- a cumulative claim and increments at the same moment: the total first, then the increments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from casualtyrec._arrays import codes as _codes
from casualtyrec._arrays import dense as _dense
from casualtyrec._arrays import group_starts as _group_starts
from casualtyrec._arrays import ints as _int
from casualtyrec._arrays import joined as _joined
from casualtyrec._arrays import lexsort as _lexsort
from casualtyrec._arrays import lists as _lists
from casualtyrec._arrays import ranges as _ranges
from casualtyrec._arrays import segment_cumsum as _segment_cumsum
from casualtyrec._notes import combine as _combine
from casualtyrec._notes import lowered_note as _lowered_note
from casualtyrec._notes import pieces as _pieces
from casualtyrec._notes import side_note as _side_note
from casualtyrec._notes import subgroup_note as _subgroup_note
from casualtyrec._types import STRING, STRING_LIST, TIMELINE_COLUMNS, TIMELINE_STATUSES, labels

if TYPE_CHECKING:
    import numpy.typing as npt

    from casualtyrec.policy import Policy

    Ints = npt.NDArray[np.int64]
    Bools = npt.NDArray[np.bool_]

__all__ = ["ROW_COLUMNS", "timeline_rows"]

#: Columns of :func:`timeline_rows`: the timeline's, less the incident's place columns.
ROW_COLUMNS: Final = tuple(c for c in TIMELINE_COLUMNS if c not in {"place_id", "place", "country"})
#: Stands for "no upper bound" in int64 arithmetic.
INF: Final = np.int64(2**62)
#: Cells per (rows x sources) chunk: bounds the engine's working memory.
_CHUNK_CELLS: Final = 1 << 21
#: Keys with up to this many sources get a matrix of their exact width.
_EXACT_WIDTH: Final = 8
_SINGLE, _CONSISTENT, _REVISED, _CONTESTED = range(4)


Columns = dict[str, "Ints"]


def _take(columns: Columns, index: Ints) -> Columns:
    return {name: values[index] for name, values in columns.items()}


def _tie_order(c: Columns) -> Ints:
    """Within each repeated (key, source, time): totals first, each by (low, best, high, id).

    Only the rows of repeated groups are re-sorted; returns a permutation of all rows.
    """
    perm = np.arange(len(c["key"]))
    starts = _group_starts(c["key"], c["src"], c["t"])
    if starts.all():
        return perm
    grp = np.cumsum(starts)
    tied = np.flatnonzero(np.bincount(grp)[grp] > 1)
    keys = (c["cid"], c["high"], c["best"], c["low"], 1 - c["cum"], grp)
    perm[tied] = tied[np.lexsort(tuple(k[tied] for k in keys))]
    return perm


def _superseded(c: Columns) -> Bools:
    """Mark claims superseded at their own moment (the one kept sorts last).

    A total followed by another total of the same source and time, or an increment followed
    by an identical increment.
    """
    key, src, t, cum = c["key"], c["src"], c["t"], c["cum"].astype(np.bool_)
    same = np.zeros(len(key), dtype=np.bool_)
    same[:-1] = (key[1:] == key[:-1]) & (src[1:] == src[:-1]) & (t[1:] == t[:-1])
    next_cum = np.append(cum[1:], False)
    same_figure = np.zeros(len(key), dtype=np.bool_)
    same_figure[:-1] = (
        (c["low"][1:] == c["low"][:-1])
        & (c["best"][1:] == c["best"][:-1])
        & (c["high"][1:] == c["high"][:-1])
    )
    return same & ((cum & next_cum) | (~cum & ~next_cum & same_figure))  # type: ignore[no-any-return]


def _running_totals(c: Columns) -> Columns:
    """Per (key, source): a total starts a segment, increments add to it."""
    seg_start = _group_starts(c["key"], c["src"]) | c["cum"].astype(np.bool_)
    unbounded = c["high"] >= INF
    high = _segment_cumsum(np.where(unbounded, 0, c["high"]), seg_start)
    high[_segment_cumsum(unbounded.astype(np.int64), seg_start) > 0] = INF
    return {
        "low": _segment_cumsum(c["low"], seg_start),
        "best": _segment_cumsum(c["best"], seg_start),
        "high": high,
        "first": np.maximum.accumulate(np.where(seg_start, np.arange(len(seg_start)), 0)),
    }


class _Effective:
    """One effective claim per (key, source, reported_at): the source's running total."""

    def __init__(self, claims: pd.DataFrame) -> None:
        src, self.source_names = _codes(claims["source"])
        cid, self.claim_names = _codes(claims["claim_id"])
        c: Columns = {
            "key": claims["_key"].to_numpy(dtype=np.int64),
            "src": src,
            "cid": cid,
            "t": claims["reported_at"].to_numpy(dtype="datetime64[us]").view(np.int64),
            "low": _int(claims["low"], 0),
            "best": _int(claims["best"], 0),
            "high": _int(claims["high"], int(INF)),
            "cum": claims["cumulative"].to_numpy(dtype=np.int64, na_value=1),
        }
        n_src = int(src.max()) + 1 if len(src) else 1
        c = _take(c, _lexsort(c["t"], c["key"] * n_src + c["src"]))
        c = _take(c, _tie_order(c))
        c = _take(c, np.flatnonzero(~_superseded(c)))
        self.kept_cid = c["cid"]
        totals = _running_totals(c)
        # the effective claim is the last kept claim of each (key, source, time)
        starts = _group_starts(c["key"], c["src"], c["t"])
        e_pos = np.flatnonzero(np.append(starts[1:], True)) if len(starts) else starts.nonzero()[0]
        e = {"key": c["key"][e_pos], "src": c["src"][e_pos], "t": c["t"][e_pos], "pos": e_pos}
        e.update({name: values[e_pos] for name, values in totals.items()})
        # the source's previous effective claim in this key (for revised / lowered)
        e["replaced"] = (~_group_starts(e["key"], e["src"])).astype(np.int64)
        e["prev_best"] = np.append(e["best"][:1], e["best"][:-1])
        # local source index: rank of the source within its key (sorted by name)
        pair_order = np.argsort(e["key"] * n_src + e["src"], kind="stable")
        pk, ps = e["key"][pair_order], e["src"][pair_order]
        pair_id = np.cumsum(_group_starts(pk, ps)) - 1
        local = np.empty(len(pk), dtype=np.int64)
        local[pair_order] = pair_id - np.maximum.accumulate(np.where(_group_starts(pk), pair_id, 0))
        e["local"] = local
        # effective claims ordered by (key, time, source)
        e = _take(e, _lexsort(e["src"], e["t"], e["key"]))
        self.key, self.src, self.t, self.local = e["key"], e["src"], e["t"], e["local"]
        self.low, self.best, self.high = e["low"], e["best"], e["high"]
        self.first, self.last_pos, self.prev_best = e["first"], e["pos"], e["prev_best"]
        self.replaced = e["replaced"].astype(np.bool_)


class _Rows:
    """Row-level arrays (one per (key, as_of)), filled bucket by bucket."""

    def __init__(self, eff: _Effective) -> None:
        start = _group_starts(eff.key, eff.t)
        self.e_row = np.cumsum(start) - 1
        first = np.flatnonzero(start)
        self.key, self.t = eff.key[first], eff.t[first]
        n = len(first)
        self.n = n
        self.low = np.zeros(n, dtype=np.int64)
        self.best = np.zeros(n, dtype=np.int64)
        self.high = np.zeros(n, dtype=np.int64)
        self.n_sources = np.zeros(n, dtype=np.int64)
        self.contested = np.zeros(n, dtype=np.bool_)
        # (row, value) pieces collected per chunk, merged at the end
        self.source_rows: list[Ints] = []
        self.source_codes: list[Ints] = []
        self.claim_rows: list[Ints] = []
        self.claim_kept: list[Ints] = []
        self.side_rows: list[tuple[Ints, Ints, Ints]] = []  # row, source code, side (0 low)


def _best_of_sides(both: Bools, best: Ints, cur: Ints, how: str) -> Ints:
    """``best`` of contested rows by ``Policy.contested_best``."""
    if how == "lowest":
        return np.where(both, best, INF).min(axis=1)  # type: ignore[no-any-return]
    if how == "latest":  # effective claims are ordered by (key, time, source)
        pick = np.where(both, cur, -1).argmax(axis=1)
        return np.take_along_axis(best, pick[:, None], axis=1)[:, 0]
    ordered = np.sort(np.where(both, best, INF), axis=1)
    k = (both.sum(axis=1) - 1) // 2
    return np.take_along_axis(ordered, k[:, None], axis=1)[:, 0]


def _chunk(
    eff: _Effective,
    rows: _Rows,
    *,
    row_ids: Ints,
    e_ids: Ints,
    width: int,
    policy: Policy,
    same_time: int,
) -> None:
    """Compute rows `row_ids` (whole keys) from their effective claims `e_ids`."""
    n = len(row_ids)
    local_row = np.searchsorted(row_ids, rows.e_row[e_ids])
    cur = np.full((n, width), -1, dtype=np.int64)
    cur[local_row, eff.local[e_ids]] = e_ids
    np.maximum.accumulate(cur, axis=0, out=cur)
    safe = np.maximum(cur, 0)
    valid = (cur >= 0) & (eff.key[safe] == rows.key[row_ids][:, None])
    low = eff.low[safe]
    best = eff.best[safe]
    high = eff.high[safe]
    fresh = valid & (rows.t[row_ids][:, None] - eff.t[safe] <= same_time)
    big_l = np.where(valid, low, -1).max(axis=1)
    big_h = np.where(fresh, high, INF).min(axis=1)
    top_best = np.where(valid, best, -1).max(axis=1)
    out_low, out_high = big_l.copy(), big_h.copy()
    out_best = np.minimum(np.maximum(top_best, big_l), big_h)
    contested = big_l > big_h
    if contested.any():
        c = np.flatnonzero(contested)
        lo_side = fresh[c] & (high[c] < big_l[c, None])
        hi_side = valid[c] & (low[c] > big_h[c, None])
        c_low = np.where(lo_side, low[c], INF).min(axis=1)
        c_high = np.where(hi_side, high[c], -1).max(axis=1)
        c_best = _best_of_sides(lo_side | hi_side, best[c], cur[c], policy.contested_best)
        out_low[c], out_high[c] = c_low, c_high
        out_best[c] = np.minimum(np.maximum(c_best, c_low), c_high)
        for side, mask in ((0, lo_side), (1, hi_side)):
            r, col = np.nonzero(mask)
            rows.side_rows.append(
                (row_ids[c[r]], eff.src[cur[c[r], col]], np.full(len(r), side, np.int64))
            )
    rows.low[row_ids], rows.best[row_ids], rows.high[row_ids] = out_low, out_best, out_high
    rows.contested[row_ids] = contested
    rows.n_sources[row_ids] = valid.sum(axis=1)
    r, col = np.nonzero(valid)  # row-major: rows in order, sources by name within a row
    e = cur[r, col]
    rows.source_rows.append(row_ids[r])
    rows.source_codes.append(eff.src[e])
    # every claim behind each current total (a total of increments has several)
    span = eff.last_pos[e] - eff.first[e] + 1
    kept = _ranges(eff.first[e], eff.last_pos[e] + 1)
    rows.claim_rows.append(np.repeat(row_ids[r], span))
    rows.claim_kept.append(kept)


def _run_buckets(eff: _Effective, rows: _Rows, policy: Policy) -> None:
    same_time = int(pd.Timedelta(policy.same_time) // pd.Timedelta(microseconds=1))
    n_keys = int(eff.key.max()) + 1 if len(eff.key) else 0
    n_src = np.zeros(n_keys, dtype=np.int64)
    np.maximum.at(n_src, eff.key, eff.local + 1)
    wide = 1 << np.ceil(np.log2(np.maximum(n_src, 1))).astype(np.int64)
    bucket = np.where(
        n_src <= _EXACT_WIDTH, n_src, wide
    )  # exact widths up to 8, then powers of two
    row_start = np.searchsorted(rows.key, np.arange(n_keys))
    row_stop = np.searchsorted(rows.key, np.arange(n_keys), side="right")
    e_start = np.searchsorted(eff.key, np.arange(n_keys))
    e_stop = np.searchsorted(eff.key, np.arange(n_keys), side="right")
    for w in np.unique(bucket[n_src > 0]):
        keys = np.flatnonzero(bucket == w)
        cells = np.cumsum((row_stop[keys] - row_start[keys]) * int(w))
        chunk_of = cells // _CHUNK_CELLS
        bounds = np.flatnonzero(_group_starts(chunk_of))
        for lo, hi in zip(bounds, [*bounds[1:], len(keys)], strict=True):
            ks = keys[lo:hi]
            _chunk(
                eff,
                rows,
                row_ids=_ranges(row_start[ks], row_stop[ks]),
                e_ids=_ranges(e_start[ks], e_stop[ks]),
                width=int(w),
                policy=policy,
                same_time=same_time,
            )


def _status(rows: _Rows, eff: _Effective) -> Ints:
    replaced = np.zeros(rows.n, dtype=np.bool_)
    replaced[rows.e_row[eff.replaced]] = True
    changed = np.ones(rows.n, dtype=np.bool_)
    same_key = np.zeros(rows.n, dtype=np.bool_)
    same_key[1:] = rows.key[1:] == rows.key[:-1]
    changed[1:] = (
        (rows.low[1:] != rows.low[:-1])
        | (rows.best[1:] != rows.best[:-1])
        | (rows.high[1:] != rows.high[:-1])
    )
    status = np.where(rows.n_sources > 1, _CONSISTENT, _SINGLE)
    status[replaced & same_key & changed] = _REVISED
    status[rows.contested] = _CONTESTED
    return status


def _int_column(values: Ints, *, unbounded: bool = False) -> pd.arrays.IntegerArray:
    mask = values >= INF if unbounded else np.zeros(len(values), dtype=np.bool_)
    return pd.arrays.IntegerArray(np.where(mask, 0, values), mask)


def timeline_rows(claims: pd.DataFrame, *, policy: Policy) -> pd.DataFrame:
    """Return the timeline rows of accepted, grouped claims (SPEC §6), sorted by key and time.

    `claims` holds ``incident``, ``category``, ``subgroup``, ``source``, ``reported_at``,
    ``low``, ``best``, ``high``, ``cumulative`` and ``claim_id``, one row per accepted claim.
    The result has :data:`ROW_COLUMNS`; place columns are the caller's business.
    """
    inc, inc_names = _codes(claims["incident"])
    cat, cat_names = _codes(claims["category"])
    sub, sub_names = _codes(claims["subgroup"])
    n_cat, n_sub = max(len(cat_names), 1), max(len(sub_names), 1)
    key_values, key = _dense((inc * n_cat + cat) * n_sub + sub)
    frame = claims.loc[:, ["source", "claim_id", "reported_at", "low", "best", "high"]]
    frame["cumulative"] = claims["cumulative"]
    frame["_key"] = key.astype(np.int64)
    eff = _Effective(frame)
    rows = _Rows(eff)
    _run_buckets(eff, rows, policy)

    k_inc = key_values // (n_cat * n_sub)
    k_cat = (key_values // n_sub) % n_cat
    k_sub = key_values % n_sub
    sub_all = pc.index(sub_names, "all").as_py()
    is_all = k_sub[rows.key] == sub_all

    src_rows = _pieces(rows.source_rows)
    src_codes = _pieces(rows.source_codes)
    src_order = np.argsort(src_rows, kind="stable")
    sources = _joined(
        src_rows[src_order], eff.source_names.take(pa.array(src_codes[src_order])), rows.n, "; "
    )
    claim_rows, kept = _pieces(rows.claim_rows), _pieces(rows.claim_kept)
    n_cid = len(eff.claim_names) or 1
    order = np.argsort(claim_rows * n_cid + eff.kept_cid[kept], kind="stable")  # ids by name
    claim_ids = _lists(
        claim_rows[order], eff.claim_names.take(pa.array(eff.kept_cid[kept[order]])), rows.n
    )
    note = _combine(
        _combine(_side_note(rows, eff), _lowered_note(rows, eff)),
        _subgroup_note(
            rows, k_inc * n_cat + k_cat, is_all, sub_names.take(pa.array(k_sub[rows.key]))
        ),
    )
    return pd.DataFrame(
        {
            "incident": pd.array(inc_names.take(pa.array(k_inc[rows.key])), dtype=STRING),
            "category": pd.Categorical.from_codes(
                k_cat[rows.key], categories=labels(cat_names.to_pylist())
            ),
            "subgroup": pd.Categorical.from_codes(
                k_sub[rows.key], categories=labels(sub_names.to_pylist())
            ),
            "as_of": pd.to_datetime(rows.t.view("datetime64[us]")).tz_localize("UTC"),
            "low": _int_column(rows.low),
            "best": _int_column(rows.best),
            "high": _int_column(rows.high, unbounded=True),
            "status": pd.Categorical.from_codes(
                _status(rows, eff), dtype=pd.CategoricalDtype(list(TIMELINE_STATUSES))
            ),
            "n_sources": _int_column(rows.n_sources),
            "sources": pd.array(sources, dtype=STRING),
            "claim_ids": pd.Series(claim_ids, dtype=STRING_LIST).array,
            "note": pd.array(note, dtype=STRING),
        }
    )
