"""Cast and check frames against :data:`casualtyrec._types.DTYPES`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from casualtyrec._types import DTYPES

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["cast", "empty_frame", "normalize_name"]


def cast(
    frame: pd.DataFrame,
    columns: Iterable[str] | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Return `frame` with the named columns cast to their :data:`DTYPES` dtype.

    Columns not in ``DTYPES`` (and not in `overrides`) are left as they are. With `columns`,
    the result holds exactly those columns, in that order.
    """
    out = frame if columns is None else frame.loc[:, list(columns)]
    wanted = {**{c: DTYPES[c] for c in out.columns if c in DTYPES}, **(overrides or {})}
    changes = {
        c: dtype
        for c, dtype in wanted.items()
        if c in out.columns and not _same_dtype(out[c].dtype, dtype)
    }
    return out.astype(changes) if changes else out.copy()


def _same_dtype(have: object, want: object) -> bool:
    if isinstance(want, str) and want == "category":
        return isinstance(have, pd.CategoricalDtype)
    try:
        return bool(have == want)
    except TypeError:  # pragma: no cover - exotic dtypes refuse comparison
        return False


def empty_frame(
    columns: Iterable[str], *, overrides: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Return a frame with no rows and the :data:`DTYPES` dtype of each column."""
    dtypes = {**DTYPES, **(overrides or {})}
    return pd.DataFrame({c: pd.Series([], dtype=dtypes.get(c, "object")) for c in columns})


def normalize_name(name: str) -> str:
    """Return a column name as matched: stripped and lower-cased (SPEC §3)."""
    return name.strip().lower()
