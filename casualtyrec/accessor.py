"""The ``DataFrame.casualty`` accessor: casualtyrec in a pandas method chain.

Importing :mod:`casualtyrec` registers it. Each method calls the function of the same name
on the frame (or one of its columns) and returns exactly what that function returns::

    df.casualty.reconcile(...)           == casualtyrec.reconcile(df, ...)
    df.casualty.parse_figures("figure")  == casualtyrec.parse_figures(df["figure"])
    df.casualty.resolve_places("place")  == casualtyrec.resolve_places(df["place"])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from casualtyrec._frame import normalize_name
from casualtyrec.errors import SchemaError
from casualtyrec.figures import parse_figures
from casualtyrec.places import resolve_places
from casualtyrec.reconcile import reconcile

if TYPE_CHECKING:
    from casualtyrec.reconcile import Reconciliation

__all__ = ["CasualtyAccessor"]


@pd.api.extensions.register_dataframe_accessor("casualty")
class CasualtyAccessor:
    """casualtyrec's functions as DataFrame methods: ``df.casualty.reconcile()``.

    Keyword arguments pass through unchanged to the functions, so everything their
    documentation says (options, errors, output dtypes) holds here too.

    Examples
    --------
    >>> import casualtyrec as cr
    >>> claims = cr.load_sample()
    >>> result = claims.casualty.reconcile()
    >>> result.timeline.equals(cr.reconcile(claims).timeline)
    True
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def reconcile(self, **options: Any) -> Reconciliation:  # noqa: ANN401 - passed through
        """Reconcile this claims table: :func:`casualtyrec.reconcile` of the frame.

        Examples
        --------
        >>> import casualtyrec as cr
        >>> cr.load_sample().casualty.reconcile().timeline.shape[1]
        15
        """
        return reconcile(self._frame, **options)

    def parse_figures(self, column: str = "figure", **options: Any) -> pd.DataFrame:  # noqa: ANN401
        """Parse one column of phrases: :func:`casualtyrec.parse_figures` of ``frame[column]``.

        `column` is matched like every claims column: exactly, else case-insensitively
        after stripping.

        Raises
        ------
        SchemaError
            If the frame has no such column.

        Examples
        --------
        >>> import pandas as pd
        >>> import casualtyrec  # registers the accessor
        >>> frame = pd.DataFrame({"deaths": ["12", "at least 40"]})
        >>> frame.casualty.parse_figures("deaths")[["low", "best", "high"]]
           low  best  high
        0   12    12    12
        1   40    40  <NA>
        """
        return parse_figures(self._column(column), **options)

    def resolve_places(self, column: str = "place", **options: Any) -> pd.DataFrame:  # noqa: ANN401
        """Resolve one column of place names: :func:`casualtyrec.resolve_places` of it.

        Raises
        ------
        SchemaError
            If the frame has no such column.

        Examples
        --------
        >>> import pandas as pd
        >>> import casualtyrec  # registers the accessor
        >>> frame = pd.DataFrame({"town": ["Kharkiv", "Blegorod"]})
        >>> frame.casualty.resolve_places("town")["place_id"].tolist()
        [706483, 578072]
        """
        return resolve_places(self._column(column), **options)

    def _column(self, column: str) -> pd.Series:
        frame = self._frame
        if column in frame.columns:
            return frame[column]
        wanted = normalize_name(column)
        matches = [c for c in frame.columns if normalize_name(str(c)) == wanted]
        if len(matches) == 1:
            return frame[matches[0]]
        raise SchemaError.missing_columns([column], [str(c) for c in frame.columns])
