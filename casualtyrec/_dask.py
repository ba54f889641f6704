"""``reconcile()`` on a Dask DataFrame: the pandas pipeline, settled globally where it must be.

Imported only when :func:`casualtyrec.reconcile` is given a Dask DataFrame (the ``dask``
extra); ``import casualtyrec`` never imports dask. The steps (``docs/dask.md``):

1. **Scan** (one pass over ``place``, ``category``, ``subgroup``, ``reported_at``): row count
   per partition, the distinct place strings, categories and subgroups, and whether any
   ``reported_at`` text carries an offset. The places are resolved once, on the client, with
   the same resolver as the pandas path; the category sets give every partition the
   categories of the pandas path; the row counts give each partition its first row's
   position (generated claim ids ``c<n>`` and ``row <n>`` in reasons are global).
   **Duplicate ids**: the cleaned ``claim_id`` of every row (generated ones included) and
   its global position go through a Dask groupby (hash-partitioned, ``split_out``); only
   the ids seen more than once come back, each with its first row.
2. **Validate** each partition with the pandas validation (``claims._validate``), places
   looked up in the resolved table and duplicated ids in their table of first rows (both
   broadcast: one small object per worker).
3. **Group** (computed): the distinct grouping keys of accepted claims (place, event date,
   user incident) per partition, merged on the client, grouped into incidents by
   :func:`~casualtyrec.incidents.group_incidents` exactly as the pandas path groups its own
   distinct keys. Incident ids are therefore global before anything is shuffled.
4. **Shuffle** accepted claims by the rank of their incident id (``set_index`` with
   divisions chosen from the claim counts per incident): partition ``i`` holds whole
   incidents, in the timeline's sort order, so an incident whose claims straddle a date
   window border, or any partition border of the input, is never split.
5. **Timeline** per partition with the pandas engine (``map_partitions``, explicit
   ``meta``); concatenated in partition order it is sorted by incident, category, subgroup
   and ``as_of``, like the pandas timeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
import pyarrow as pa

from casualtyrec._arrays import codes as _codes
from casualtyrec._arrays import firsts as _firsts
from casualtyrec._claim_checks import Problems, check_cells
from casualtyrec._claim_times import _OFFSET, _uniques
from casualtyrec._types import STRING, UTC_US, labels
from casualtyrec.claims import _check_structure, _claim_ids, _places, _text, _validate
from casualtyrec.reconcile import (
    _ENGINE_COLUMNS,
    Reconciliation,
    _incidents_of,
    _key_arrays,
    _key_codes,
    _timeline,
)

if TYPE_CHECKING:
    import numpy.typing as npt

    from casualtyrec.claims import Resolver
    from casualtyrec.policy import Policy

    Ints = npt.NDArray[np.int64]

__all__ = ["is_dask_frame", "reconcile_dask"]

_RANK: Final = "_incident_rank"
#: A grouping key, narrow: place text, event day (microseconds), user incident ("" if none).
_KEY: Final = ["place", "day", "user"]
_PLACE_KEYS: Final = ("place_id", "place_name", "feature", "region_id", "country", "place_status")


def is_dask_frame(obj: object) -> bool:
    """Tell whether `obj` is a ``dask.dataframe.DataFrame`` (imports dask only if it may be).

    Examples
    --------
    >>> import pandas as pd
    >>> from casualtyrec._dask import is_dask_frame
    >>> is_dask_frame(pd.DataFrame())
    False
    """
    if not type(obj).__module__.startswith("dask"):
        return False
    import dask.dataframe as dd  # noqa: PLC0415 - the optional extra

    return isinstance(obj, dd.DataFrame)


class _Resolved:
    """The resolved table of every distinct place string: the resolver of each partition."""

    def __init__(self, names: pd.Series, resolved: pd.DataFrame) -> None:
        self.index = pd.Index(names.array)
        self.resolved = resolved.reset_index(drop=True)

    def __call__(self, names: pd.Series) -> pd.DataFrame:
        at = self.index.get_indexer(names.astype(STRING).array)
        if (at < 0).any():  # pragma: no cover - the scan saw every place string
            missing = names[at < 0].iloc[0]
            msg = f"place {missing!r} was not seen by the scan of the Dask partitions"
            raise RuntimeError(msg)
        return self.resolved.take(at).reset_index(drop=True)


class _Keys:
    """Global grouping keys: each key's incident rank, and the incident names by rank."""

    def __init__(self, keys: pd.DataFrame, rank: Ints, names: pd.arrays.ArrowStringArray) -> None:
        self.index = pd.MultiIndex.from_arrays(_key_arrays(keys))
        self.rank = rank
        self.names = names

    def ranks(self, accepted: pd.DataFrame) -> Ints:
        """Incident rank of each accepted claim (looked up once per distinct key)."""
        arrays = _key_arrays(accepted)
        key_of = _key_codes(arrays)
        first = _firsts(key_of)
        local = pd.MultiIndex.from_arrays([np.asarray(a)[first] for a in arrays])
        at = self.index.get_indexer(local)
        if (at < 0).any():  # pragma: no cover - every key was collected by the grouping pass
            msg = "a grouping key of a Dask partition was not seen by the grouping pass"
            raise RuntimeError(msg)
        return self.rank[at][key_of]


def _has_aware_text(series: pd.Series) -> bool:
    """Whether text timestamps in `series` carry an offset (as ``instants`` tests them)."""
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype) and pa.types.is_timestamp(dtype.pyarrow_dtype):
        return False
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        return False
    uniques = _uniques(series)[1]
    aware = uniques.str.contains(_OFFSET, regex=True).fillna(value=False)
    return bool(aware.to_numpy(dtype=bool).any())


def _scan(part: pd.DataFrame, columns: dict[str, object], policy: Policy) -> dict[str, Any]:
    """Return what partitions must agree on: sizes, place strings, categories, offsets.

    The cells are cleaned as validation cleans them first (``check_cells``).
    """
    n = len(part)
    wanted = ("place", "category", "subgroup", "reported_at")
    frame = pd.DataFrame(
        {c: part[columns[c]].reset_index(drop=True) for c in wanted if c in columns}
    )
    frame = check_cells(frame, Problems(n), policy)
    if "subgroup" in columns:
        subgroup = _text(frame["subgroup"]).str.lower().fillna("all")
    else:
        subgroup = pd.Series(["all"] * min(n, 1), dtype=STRING)
    return {
        "n": n,
        "places": _text(frame["place"]).dropna().unique(),
        "categories": _text(frame["category"]).str.lower().dropna().unique(),
        "subgroups": subgroup.unique(),
        "aware": _has_aware_text(frame["reported_at"]),
    }


def _category_dtype(values: list[Any]) -> pd.CategoricalDtype:
    """Return the dtype ``astype("category")`` gives the whole column (sorted values)."""
    series = pd.Series(pd.array(np.concatenate(values) if values else [], dtype=STRING))
    dtype = series.drop_duplicates().astype("category").dtype
    assert isinstance(dtype, pd.CategoricalDtype)  # noqa: S101 - for the type checker
    return dtype


def _timeline_dtype(claims_dtype: pd.CategoricalDtype, *, any_rows: bool) -> pd.CategoricalDtype:
    """Return the timeline dtype of a key column: categories in the engine's order."""
    if not any_rows:
        return pd.CategoricalDtype(labels([]))
    names = _codes(pd.Series(pd.Categorical([], dtype=claims_dtype)))[1]
    return pd.CategoricalDtype(labels(names.to_pylist()))


def _ids_part(
    part: pd.DataFrame,
    column: object,
    *,
    offsets: tuple[int, ...],
    policy: Policy,
    partition_info: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Return each row's ``claim_id`` as validation cleans it, and its global position."""
    number = partition_info["number"] if partition_info else 0
    offset = offsets[number] if offsets else 0
    n = len(part)
    frame = pd.DataFrame({"claim_id": part[column].reset_index(drop=True)})
    frame = check_cells(frame, Problems(n, offset), policy)
    return pd.DataFrame(
        {
            "claim_id": _claim_ids(_text(frame["claim_id"]), n, offset),
            "row": np.arange(offset, offset + n, dtype=np.int64),
        }
    )


def _first_rows(
    claims: Any,  # noqa: ANN401 - dask.dataframe.DataFrame
    column: object,
    *,
    offsets: tuple[int, ...],
    policy: Policy,
) -> pd.Series | None:
    """Return the first row of every ``claim_id`` held by more than one row (None if none)."""
    options: dict[str, Any] = {"offsets": offsets, "policy": policy}
    meta = _ids_part(claims._meta, column, **options)  # noqa: SLF001
    ids = claims.map_partitions(_ids_part, column, meta=meta, **options)
    seen = ids.groupby("claim_id").agg(
        n=("row", "count"), first=("row", "min"), split_out=claims.npartitions
    )
    found = seen.loc[seen["n"] > 1, "first"].compute()
    if not len(found):
        return None
    index = pd.Index(pd.array(found.index, dtype=STRING), name="claim_id")
    return pd.Series(found.to_numpy(dtype=np.int64), index=index, name="first")


def _validate_part(
    part: pd.DataFrame,
    places: _Resolved,
    first_rows: pd.Series | None,
    *,
    offsets: tuple[int, ...],
    policy: Policy,
    assume_tz: str | None,
    aware: bool,
    category: pd.CategoricalDtype,
    subgroup: pd.CategoricalDtype,
    partition_info: dict[str, Any] | None = None,
) -> pd.DataFrame:
    number = partition_info["number"] if partition_info else 0
    out = _validate(
        part,
        policy=policy,
        assume_tz=assume_tz,
        resolve=places,
        offset=offsets[number] if offsets else 0,
        aware_elsewhere=aware,
        first_rows=first_rows,
    )
    out["category"] = out["category"].astype(category)
    out["subgroup"] = out["subgroup"].astype(subgroup)
    return out


def _accepted(part: pd.DataFrame) -> pd.DataFrame:
    return part.loc[(part["status"] == "accepted").to_numpy(dtype=bool)]


def _part_keys(part: pd.DataFrame) -> pd.DataFrame:
    """Return the distinct grouping keys of a partition's accepted claims, counted."""
    arrays = _key_arrays(_accepted(part))
    code = _key_codes(arrays)
    first = _firsts(code)
    return pd.DataFrame(
        {
            "place": np.asarray(arrays[0], dtype=object)[first],
            "day": np.asarray(arrays[1])[first],
            "user": np.asarray(arrays[2], dtype=object)[first],
            "n": np.bincount(code, minlength=len(first)).astype(np.int64),
        }
    )


def _key_table(found: pd.DataFrame, names: pd.Series, places: _Resolved) -> pd.DataFrame:
    """Return the grouping keys with the place columns validation gives their text."""
    resolved = _places(names, Problems(len(names)), places)
    at = pd.Index(names.array).get_indexer(found["place"].array)
    keys = pd.DataFrame({"place": pd.array(found["place"].array, dtype=STRING)})
    for column in _PLACE_KEYS:
        keys[column] = resolved[column].array.take(at)
    day = found["day"].to_numpy(dtype=np.int64).view("datetime64[us]")
    keys["event_date"] = pd.Series(day).dt.tz_localize("UTC").astype(UTC_US)
    user = pd.Series(pd.array(found["user"].array, dtype=STRING))
    keys["incident"] = user.mask(user == "")
    keys["n"] = found["n"].to_numpy(dtype=np.int64)
    return keys


def _claims_part(part: pd.DataFrame, keys: _Keys) -> pd.DataFrame:
    accepted = (part["status"] == "accepted").to_numpy(dtype=bool)
    incident = pd.Series(pd.NA, index=range(len(part)), dtype=STRING).array.copy()
    incident[np.flatnonzero(accepted)] = keys.names.take(keys.ranks(part.loc[accepted]))
    return part.assign(incident=incident)


def _engine_part(part: pd.DataFrame, keys: _Keys) -> pd.DataFrame:
    accepted = _accepted(part)
    engine = accepted.loc[:, [c for c in _ENGINE_COLUMNS if c != "incident"]]
    engine = engine.reset_index(drop=True)
    engine.insert(0, _RANK, keys.ranks(accepted))
    return engine


def _timeline_part(
    part: pd.DataFrame,
    incidents: pd.DataFrame,
    *,
    policy: Policy,
    claims_dtypes: tuple[pd.CategoricalDtype, pd.CategoricalDtype],
    timeline_dtypes: tuple[pd.CategoricalDtype, pd.CategoricalDtype],
) -> pd.DataFrame:
    """Run the pandas engine on whole incidents; `incidents` is in rank (timeline) order."""
    rank = part.index.to_numpy(dtype=np.int64)
    engine = part.reset_index(drop=True)
    engine.insert(0, "incident", incidents["incident"].array.take(rank))
    engine["category"] = engine["category"].astype(claims_dtypes[0])
    engine["subgroup"] = engine["subgroup"].astype(claims_dtypes[1])
    out = _timeline(engine, incidents, policy=policy)
    return out.astype({"category": timeline_dtypes[0], "subgroup": timeline_dtypes[1]})


def _divisions(counts: Ints, parts: int) -> list[int]:
    """Cut incident ranks 0..K-1 into at most `parts` ranges of about equal claim counts."""
    total = np.cumsum(counts)
    targets = total[-1] * np.arange(1, parts) / parts
    at = np.searchsorted(total, targets)  # the first rank reaching each target
    below = np.where(at > 0, total[np.maximum(at - 1, 0)], 0)
    closer = targets - below <= total[np.minimum(at, len(total) - 1)] - targets
    cuts = np.unique(np.where(closer, at, at + 1))  # cut where the running count is closest
    cuts = cuts[(cuts > 0) & (cuts < len(counts))]
    return [0, *cuts.tolist(), len(counts)]


def reconcile_dask(
    claims: Any,  # noqa: ANN401 - dask.dataframe.DataFrame, an optional extra
    *,
    policy: Policy,
    assume_tz: str | None,
    resolve: Resolver,
) -> Reconciliation:
    """:func:`casualtyrec.reconcile` for a Dask DataFrame (see the module docstring)."""
    import dask as dask_module  # noqa: PLC0415 - the optional extra
    import dask.dataframe as dd_module  # noqa: PLC0415

    dask: Any = dask_module  # dask's own annotations are partial
    dd: Any = dd_module

    meta = claims._meta  # noqa: SLF001 - the empty pandas frame every Dask frame carries
    columns = _check_structure(meta)
    # the whole frame, not a projection: Dask may partition a projection differently
    parts = claims.to_delayed()
    if len(parts) != claims.npartitions:  # pragma: no cover - offsets need equal partitions
        msg = f"Dask gave {len(parts)} delayed parts for {claims.npartitions} partitions"
        raise RuntimeError(msg)
    scans = dask.compute(*[dask.delayed(_scan)(p, columns, policy) for p in parts])
    sizes = np.array([s["n"] for s in scans], dtype=np.int64)
    offsets = tuple(int(x) for x in np.concatenate([[0], np.cumsum(sizes)[:-1]]))
    names = pd.Series(pd.array(np.concatenate([s["places"] for s in scans]), dtype=STRING))
    names = names.drop_duplicates().reset_index(drop=True)
    places = _Resolved(names, resolve(names) if len(names) else pd.DataFrame())
    category = _category_dtype([s["categories"] for s in scans])
    subgroup = _category_dtype([s["subgroups"] for s in scans])
    options: dict[str, Any] = {
        "offsets": offsets,
        "policy": policy,
        "assume_tz": assume_tz,
        "aware": any(s["aware"] for s in scans),
        "category": category,
        "subgroup": subgroup,
    }
    first_rows = None
    if "claim_id" in columns:  # otherwise every id is generated, hence unique
        first_rows = _first_rows(claims, columns["claim_id"], offsets=offsets, policy=policy)
    validated_meta = _validate_part(meta, places, None, **options)
    validated = claims.map_partitions(
        _validate_part,
        dask.delayed(places),
        dask.delayed(first_rows),
        meta=validated_meta,
        **options,
    )

    found = validated.map_partitions(_part_keys, meta=_part_keys(validated_meta))
    found = found.groupby(_KEY, sort=False)["n"].sum(split_every=8).compute().reset_index()
    keys = _key_table(found, names, places)
    key_incident, incidents = _incidents_of(keys, policy=policy)
    rank_of, names_by_rank = _codes(incidents["incident"])
    by_rank = incidents.iloc[np.argsort(rank_of)].reset_index(drop=True)
    key_rank = rank_of[pd.Index(incidents["incident"]).get_indexer(key_incident)]
    lookup = _Keys(keys, key_rank, pd.array(names_by_rank, dtype=STRING))
    lookup_d = dask.delayed(lookup)

    out_claims = validated.map_partitions(_claims_part, lookup_d, meta=validated_meta)
    any_rows = len(incidents) > 0
    timeline_options: dict[str, Any] = {
        "policy": policy,
        "claims_dtypes": (category, subgroup),
        "timeline_dtypes": (
            _timeline_dtype(category, any_rows=any_rows),
            _timeline_dtype(subgroup, any_rows=any_rows),
        ),
    }
    engine_meta = _engine_part(validated_meta, lookup)
    timeline_meta = _timeline_part(engine_meta.set_index(_RANK), by_rank, **timeline_options)
    if any_rows:
        engine = validated.map_partitions(_engine_part, lookup_d, meta=engine_meta)
        divisions = _divisions(by_rank["n_claims"].to_numpy(dtype=np.int64), claims.npartitions)
        shuffled = engine.set_index(_RANK, divisions=divisions)
        timeline = shuffled.map_partitions(
            _timeline_part,
            dask.delayed(by_rank),
            meta=timeline_meta,
            clear_divisions=True,
            **timeline_options,
        )
    else:
        timeline = dd.from_pandas(timeline_meta, npartitions=1)
    return Reconciliation(
        timeline=timeline,
        claims=out_claims,
        incidents=dd.from_pandas(incidents, npartitions=1),
        policy=policy,
    )
