"""Column names and dtypes: the single source of truth for every output frame.

Every public function casts its output through :data:`DTYPES` (see ``_frame.cast``), so
results have the same dtypes on pandas 2.2 and pandas 3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Literal

import pandas as pd
import pyarrow as pa
from pandas.api.extensions import ExtensionDtype, register_extension_dtype

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "CLAIM_STATUSES",
    "DTYPES",
    "FEATURES",
    "FIGURE_COLUMNS",
    "MATCHES",
    "PLACE_COLUMNS",
    "PLACE_STATUSES",
    "QUALIFIERS",
    "STRING",
    "STRING_LIST",
    "TIMELINE_COLUMNS",
    "TIMELINE_STATUSES",
    "UTC_US",
    "Qualifier",
    "labels",
]

#: Missing is ``pd.NA`` (not pandas 3's NaN-based default ``str``).
STRING: Final = pd.StringDtype("pyarrow")
#: Timestamps: microseconds, UTC.
UTC_US: Final = pd.DatetimeTZDtype(unit="us", tz="UTC")
#: A list of strings per row, Arrow-backed (``claim_ids``).
STRING_LIST: Final = pd.ArrowDtype(pa.list_(pa.string()))


def labels(values: Iterable[str]) -> pd.Index:
    """Return category labels in pandas' default string dtype.

    Categorical columns (``category``, ``subgroup``) use these labels rather than
    ``string[pyarrow]`` ones because ``DataFrame.to_parquet`` then ``pandas.read_parquet``
    restores exactly this dtype, so a timeline round-trips through Parquet unchanged.
    """
    return pd.Index(list(values), dtype=str)


@register_extension_dtype
class _StringListAlias(ExtensionDtype):
    """Teach ``pandas.api.types.pandas_dtype`` the name of :data:`STRING_LIST`.

    pandas writes ``"list<item: string>[pyarrow]"`` into the Parquet metadata of an
    ``ArrowDtype(list<string>)`` column but cannot parse that name back, so
    ``pandas.read_parquet`` raised ``TypeError`` on any file holding ``claim_ids``. This
    registry entry parses exactly that name into :data:`STRING_LIST`; it is never a column's
    dtype itself.
    """

    name = "casualtyrec[string-list-alias]"
    type = list

    @classmethod
    def construct_from_string(cls, string: str) -> Any:  # noqa: ANN401 - returns an ArrowDtype
        """Return :data:`STRING_LIST` for its own name; refuse anything else."""
        if string == str(STRING_LIST):
            return STRING_LIST
        raise TypeError(f"Cannot construct a {cls.__name__!r} from {string!r}")

    @classmethod
    def construct_array_type(cls) -> Any:  # noqa: ANN401 - never used
        """Never used: no column has this dtype."""
        raise NotImplementedError


Qualifier = Literal[
    "exact",
    "at_least",
    "more_than",
    "at_most",
    "fewer_than",
    "about",
    "nearly",
    "range",
    "vague",
    "none",
]

#: Qualifier names of SPEC §2, in table order; the categories of ``qualifier``.
QUALIFIERS: Final[tuple[str, ...]] = (
    "exact",
    "at_least",
    "more_than",
    "at_most",
    "fewer_than",
    "about",
    "nearly",
    "range",
    "vague",
    "none",
)
#: Timeline row statuses of SPEC §6, weakest first.
TIMELINE_STATUSES: Final[tuple[str, ...]] = (
    "single_source",
    "consistent",
    "revised",
    "contested",
)
#: Row statuses of ``Reconciliation.claims``.
CLAIM_STATUSES: Final[tuple[str, ...]] = ("accepted", "rejected")
#: Place resolution statuses of SPEC §4.
PLACE_STATUSES: Final[tuple[str, ...]] = ("resolved", "ambiguous", "unresolved")
#: How a place name matched (SPEC §4).
MATCHES: Final[tuple[str, ...]] = ("exact", "alias", "transliterated", "fuzzy")
#: Gazetteer feature kinds, most specific first.
FEATURES: Final[tuple[str, ...]] = ("city", "region", "country")

#: Columns of ``parse_figures``.
FIGURE_COLUMNS: Final[tuple[str, ...]] = ("low", "best", "high", "qualifier", "reason")
#: Columns of ``resolve_places``.
PLACE_COLUMNS: Final[tuple[str, ...]] = (
    "place_id",
    "place_name",
    "feature",
    "admin1",
    "region_id",
    "country",
    "lat",
    "lon",
    "score",
    "match",
    "status",
    "candidates",
)
#: Columns of ``Reconciliation.timeline``, in order (SPEC §7).
TIMELINE_COLUMNS: Final[tuple[str, ...]] = (
    "incident",
    "place_id",
    "place",
    "country",
    "category",
    "subgroup",
    "as_of",
    "low",
    "best",
    "high",
    "status",
    "n_sources",
    "sources",
    "claim_ids",
    "note",
)

#: The dtype of every named output column.
DTYPES: Final[dict[str, object]] = {
    # strings
    "claim_id": STRING,
    "source": STRING,
    "place": STRING,
    "place_text": STRING,
    "incident": STRING,
    "note": STRING,
    "sources": STRING,
    "country": STRING,
    "reason": STRING,
    "text": STRING,
    "place_name": STRING,
    "admin1": STRING,
    "candidates": STRING,
    "url": STRING,
    "language": STRING,
    "figure": STRING,
    # categories
    "category": "category",
    "subgroup": "category",
    "qualifier": pd.CategoricalDtype(list(QUALIFIERS)),
    "match": pd.CategoricalDtype(list(MATCHES)),
    "feature": pd.CategoricalDtype(list(FEATURES)),
    # statuses: categories set per frame (timeline, claims, places)
    "status": "category",
    # integers
    "low": "Int64",
    "best": "Int64",
    "high": "Int64",
    "place_id": "Int64",
    "region_id": "Int64",
    "n_sources": "Int64",
    "sentence_start": "Int64",
    "sentence_end": "Int64",
    "figure_start": "Int64",
    "figure_end": "Int64",
    "document": "Int64",
    # floats
    "score": "Float64",
    "lat": "Float64",
    "lon": "Float64",
    # times; an event_date is the UTC midnight that starts the day
    "reported_at": UTC_US,
    "as_of": UTC_US,
    "event_date": UTC_US,
    # lists
    "claim_ids": STRING_LIST,
    # booleans
    "cumulative": "boolean",
}
