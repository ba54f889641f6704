"""Cast and check frames against :data:`casualtyrec._types.DTYPES`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from casualtyrec._types import DTYPES

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import numpy.typing as npt

__all__ = ["cast", "empty_frame", "factorize_cells", "normalize_name"]


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


def factorize_cells(values: pd.Series) -> tuple[npt.NDArray[np.intp], list[object]]:
    """Return codes (-1 for missing) and the distinct cells of `values`, in order of appearance.

    Work per distinct value starts here. Unhashable cells (a list in an object column:
    broken input that must still get a reason) are keyed by identity instead of failing.
    """
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:
        keyed = pd.Series(
            [v if _hashable(v) else _ByIdentity(v) for v in values.array], dtype=object
        )
        codes, uniques = pd.factorize(keyed, use_na_sentinel=True)
    cells = [u.value if isinstance(u, _ByIdentity) else u for u in uniques]
    return np.asarray(codes, dtype=np.intp), cells


class _ByIdentity:
    """An unhashable cell, hashed by identity so that ``pd.factorize`` can key it."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
