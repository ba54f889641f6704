"""Helpers for users' own tests: compare timelines and claims frames."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from casualtyrec.reconcile import Reconciliation

__all__ = ["assert_timeline_equal"]


def assert_timeline_equal(
    left: Reconciliation | pd.DataFrame, right: Reconciliation | pd.DataFrame
) -> None:
    """Assert two timelines are equal: same rows, order, values and dtypes.

    Accepts :class:`~casualtyrec.Reconciliation` objects or their ``.timeline`` frames.
    The index is ignored.

    Raises
    ------
    AssertionError
        Naming the first column that differs.

    Examples
    --------
    >>> import casualtyrec as cr
    >>> from casualtyrec.testing import assert_timeline_equal
    >>> claims = cr.load_sample()
    >>> assert_timeline_equal(cr.reconcile(claims), cr.reconcile(claims.iloc[::-1]))
    """
    a = left if isinstance(left, pd.DataFrame) else left.timeline
    b = right if isinstance(right, pd.DataFrame) else right.timeline
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
