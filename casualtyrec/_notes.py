"""Notes of timeline rows: contested sides, lowered figures, subgroups above their total."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from casualtyrec._arrays import joined as _joined

if TYPE_CHECKING:
    import numpy.typing as npt

    from casualtyrec._timeline import _Effective, _Rows

    Ints = npt.NDArray[np.int64]
    Bools = npt.NDArray[np.bool_]

__all__ = ["combine", "lowered_note", "null_unless", "pieces", "side_note", "subgroup_note"]

#: Stands for "no upper bound" (as in casualtyrec._timeline).
INF: Final = np.int64(2**62)


def pieces(parts: list[Ints]) -> Ints:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def null_unless(mask: Bools, values: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(mask), values, pa.nulls(len(mask), pa.string()))


def side_note(rows: _Rows, eff: _Effective) -> pa.Array:
    """``contested: low side A; high side B`` on contested rows, null elsewhere."""
    if not rows.side_rows:
        return pa.nulls(rows.n, pa.string())
    r = pieces([p[0] for p in rows.side_rows])
    s = pieces([p[1] for p in rows.side_rows])
    side = pieces([p[2] for p in rows.side_rows])
    order = np.lexsort((s, r))  # rows in order, sources by name
    r, s, side = r[order], s[order], side[order]
    names = [
        _joined(r[side == k], eff.source_names.take(pa.array(s[side == k])), rows.n, ", ")
        for k in (0, 1)
    ]
    note = pc.binary_join_element_wise(
        "contested: low side ", names[0], "; high side ", names[1], ""
    )
    return null_unless(rows.contested, note)


def lowered_note(rows: _Rows, eff: _Effective) -> pa.Array:
    """``<source> lowered its figure from 25 to 21`` for each source that lowered its best."""
    e = np.flatnonzero(eff.replaced & (eff.best < eff.prev_best))
    if not len(e):
        return pa.nulls(rows.n, pa.string())
    text = pc.binary_join_element_wise(
        eff.source_names.take(pa.array(eff.src[e])),
        " lowered its figure from ",
        pa.array(eff.prev_best[e]).cast(pa.string()),
        " to ",
        pa.array(eff.best[e]).cast(pa.string()),
        "",
    )
    has = np.zeros(rows.n, dtype=np.bool_)
    has[rows.e_row[e]] = True
    return null_unless(has, _joined(rows.e_row[e], text, rows.n, "; "))


def subgroup_note(
    rows: _Rows, incident_category: Ints, is_all: Bools, subgroup: pa.Array
) -> pa.Array:
    """Flag a subgroup row whose low exceeds the high of the latest ``all`` row before it."""
    ic, t = incident_category[rows.key], rows.t
    order = np.lexsort((~is_all, t, ic))  # at equal times the ``all`` row comes first
    pos = np.where(is_all[order], np.arange(rows.n), -1)
    last_all = np.maximum.accumulate(pos) if rows.n else pos
    ref = order[np.maximum(last_all, 0)]
    ok = (last_all >= 0) & (ic[ref] == ic[order])
    flag_sorted = ok & ~is_all[order] & (rows.high[ref] < INF) & (rows.low[order] > rows.high[ref])
    flag = np.zeros(rows.n, dtype=np.bool_)
    flag[order] = flag_sorted
    if not flag.any():
        return pa.nulls(rows.n, pa.string())
    which = np.flatnonzero(flag)
    all_row = np.empty(rows.n, dtype=np.int64)
    all_row[order] = ref
    text = pc.binary_join_element_wise(
        "subgroup ",
        subgroup.take(pa.array(which)),
        " low ",
        pa.array(rows.low[which]).cast(pa.string()),
        " exceeds the 'all' high ",
        pa.array(rows.high[all_row[which]]).cast(pa.string()),
        "",
    )
    slot = np.zeros(rows.n, dtype=np.int64)
    slot[which] = np.arange(len(which))
    return text.take(pa.array(slot, mask=~flag))


def combine(left: pa.Array, right: pa.Array) -> pa.Array:
    """Join two nullable note arrays with "; ", skipping nulls (row-wise)."""
    both = pc.binary_join_element_wise(left, right, "; ")
    return pc.if_else(pc.is_null(left), right, pc.if_else(pc.is_null(right), left, both))
