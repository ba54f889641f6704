"""Reconciliation over time (SPEC §6-7): claims in, one explainable timeline out.

:func:`reconcile` runs the pipeline: :func:`~casualtyrec.claims.validate_claims` (every
input row accounted for), :func:`~casualtyrec.incidents.group_incidents`, then the
vectorized engine of ``casualtyrec._timeline``. The rules the engine applies, and the choices
made where SPEC is silent, are in ``docs/reconcile.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
import pandas as pd

from casualtyrec._arrays import dense as _dense
from casualtyrec._arrays import firsts as _firsts
from casualtyrec._frame import cast, empty_frame
from casualtyrec._timeline import timeline_rows
from casualtyrec._types import STRING, TIMELINE_COLUMNS, TIMELINE_STATUSES, UTC_US, labels
from casualtyrec.claims import _default_resolver, _validate
from casualtyrec.incidents import group_incidents, incident_table
from casualtyrec.output import render_html, render_text, summary
from casualtyrec.plot import plot_timeline
from casualtyrec.policy import DEFAULT_POLICY, Policy

if TYPE_CHECKING:
    import numpy.typing as npt
    from matplotlib.axes import Axes

    from casualtyrec.claims import Resolver
    from casualtyrec.places import Gazetteer

    Ints = npt.NDArray[np.int64]
    DaskDataFrame = Any  # dask.dataframe.DataFrame (the ``dask`` extra)

__all__ = ["Reconciliation", "reconcile"]

_ENGINE_COLUMNS = (
    "incident",
    "category",
    "subgroup",
    "source",
    "claim_id",
    "reported_at",
    "low",
    "best",
    "high",
    "cumulative",
)
_PLACE_COLUMNS = ("place", "place_id", "place_name", "feature", "region_id", "country")
#: What incident grouping reads of an accepted claim. Every place column is a function of
#: the place text (places resolve per distinct string), so a claim's grouping key is
#: (place, event_date, incident): grouping runs once per distinct key, never per row.
_KEY_COLUMNS: Final = (*_PLACE_COLUMNS, "place_status", "event_date", "incident")


@attrs.frozen(repr=False)
class Reconciliation:
    """The result of :func:`reconcile`: the timeline, and everything behind it.

    Attributes
    ----------
    timeline : pandas.DataFrame
        One row per (incident, category, subgroup) and report time: the columns of SPEC §7,
        sorted by incident, category, subgroup, as_of.
    claims : pandas.DataFrame
        The input, one row per input row in input order, with the normalized columns added
        (interval, resolved place, ``incident``, ``status``, ``reason``).
    incidents : pandas.DataFrame
        One row per incident: ``incident``, ``place_id``, ``place``, ``feature``,
        ``country``, ``event_date`` (its first), ``n_claims``.
    policy : Policy
        The policy used.

    Notes
    -----
    When :func:`reconcile` was given a ``dask.dataframe.DataFrame``, ``timeline``,
    ``claims`` and ``incidents`` are Dask DataFrames with the same columns and dtypes
    (``incidents`` is already computed: one partition); see ``docs/dask.md``.

    Examples
    --------
    >>> import casualtyrec as cr
    >>> result = cr.reconcile(cr.load_sample())
    >>> result  # doctest: +ELLIPSIS
    <Reconciliation: 36 claims (36 accepted, 0 rejected) -> 36 timeline rows; 4 incidents, ...
    """

    timeline: pd.DataFrame
    claims: pd.DataFrame
    incidents: pd.DataFrame
    policy: Policy

    def plot(
        self,
        incident: str | None = None,
        category: str = "people.killed",
        ax: Axes | None = None,
    ) -> Axes:
        """Plot one category's timeline; see :func:`casualtyrec.plot.plot_timeline`.

        Needs the ``plot`` extra (matplotlib), imported on first use.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import casualtyrec as cr
        >>> cr.reconcile(cr.load_sample()).plot(incident="belgorod-2023-12-30").get_title()
        'people.killed: belgorod-2023-12-30'
        """
        return plot_timeline(self, incident=incident, category=category, ax=ax)

    def compute(self) -> Reconciliation:
        """Return the result with pandas frames: a result of Dask frames computed.

        ``timeline``, ``claims`` and ``incidents`` are computed together (the claims are
        validated once) and equal the pandas path's frames: the timeline gets a
        ``RangeIndex``, the claims keep the input's index. A pandas result is returned as is.

        Returns
        -------
        Reconciliation
            `self` if its frames are pandas ones, else a new result of pandas frames.

        Examples
        --------
        >>> import casualtyrec as cr
        >>> result = cr.reconcile(cr.load_sample())
        >>> result.compute() is result
        True
        """
        frames = (self.timeline, self.claims, self.incidents)
        if all(isinstance(frame, pd.DataFrame) for frame in frames):
            return self
        import dask as dask_module  # noqa: PLC0415 - the ``dask`` extra, loaded here only

        dask: Any = dask_module  # dask's own annotations are partial
        timeline, claims, incidents = dask.compute(*frames)
        return Reconciliation(
            timeline=timeline.reset_index(drop=True),
            claims=claims,
            incidents=incidents,
            policy=self.policy,
        )

    def summary(self) -> pd.DataFrame:
        """One row per key with its final figure; see :func:`casualtyrec.output.summary`.

        Examples
        --------
        >>> import casualtyrec as cr
        >>> len(cr.reconcile(cr.load_sample()).summary())
        16
        """
        return summary(self)

    def __repr__(self) -> str:
        return render_text(self)

    def _repr_html_(self) -> str:
        return render_html(self)


def reconcile(
    claims: pd.DataFrame | DaskDataFrame,
    *,
    policy: Policy = DEFAULT_POLICY,
    assume_tz: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> Reconciliation:
    """Reconcile a table of claims into a timeline per incident, category and subgroup.

    Parameters
    ----------
    claims : pandas.DataFrame or dask.dataframe.DataFrame
        The claims table of SPEC §3: ``source``, ``reported_at``, ``place``, ``category``
        and ``figure`` (or ``low``, ``best``, ``high``); optional ``claim_id``,
        ``subgroup``, ``event_date``, ``incident``, ``cumulative``, ``text``, ``url``,
        ``language``. Column names match case-insensitively. A Dask DataFrame (the
        ``dask`` extra) gives the same result as Dask DataFrames: places, categories and
        incidents are settled globally, then the timeline is built per partition after a
        shuffle by incident (``docs/dask.md``).
    policy : Policy, default DEFAULT_POLICY
        Figures, places, the incident window, ``same_time`` and ``contested_best``.
    assume_tz : str, optional
        Time zone of tz-naive ``reported_at`` values (``"UTC"``, ``"Europe/Kyiv"``).
    gazetteer : Gazetteer, optional
        Passed to :func:`casualtyrec.resolve_places`.

    Returns
    -------
    Reconciliation
        ``.timeline`` (SPEC §7 columns and dtypes), ``.claims``, ``.incidents``, ``.policy``
        (Dask DataFrames for a Dask input).

    Raises
    ------
    SchemaError
        If `claims` is not a DataFrame, lacks a required column, or holds only tz-naive
        times and no `assume_tz` is given. Problems in single rows reject those rows
        instead (see ``.claims["reason"]``).

    Examples
    --------
    >>> import casualtyrec as cr
    >>> result = cr.reconcile(cr.load_sample())
    >>> killed = result.timeline.query(
    ...     "incident == 'ukraine-2023-12-29' and category == 'people.killed'")
    >>> killed[["as_of", "low", "best", "high", "status"]]
                           as_of  low  best  high         status
    31 2023-12-29 17:05:00+00:00   27    27    27  single_source
    32 2023-12-29 17:30:00+00:00   27    27    30      contested
    33 2023-12-30 09:00:00+00:00   39    39  <NA>        revised
    >>> print(killed["note"].iloc[1])
    contested: low side Ukrainian State Emergency Service; high side Ukrainian Interior Ministry
    """
    return _reconcile(
        claims, policy=policy, assume_tz=assume_tz, resolve=_default_resolver(gazetteer, policy)
    )


def _reconcile(
    claims: pd.DataFrame | DaskDataFrame,
    *,
    policy: Policy,
    assume_tz: str | None,
    resolve: Resolver,
) -> Reconciliation:
    """:func:`reconcile` with the place resolver injected (tests use a small one)."""
    if type(claims).__module__.startswith("dask"):  # never imports dask when unused
        from casualtyrec._dask import is_dask_frame, reconcile_dask  # noqa: PLC0415

        if is_dask_frame(claims):
            return reconcile_dask(claims, policy=policy, assume_tz=assume_tz, resolve=resolve)
    validated = _validate(claims, policy=policy, assume_tz=assume_tz, resolve=resolve)
    accepted = (validated["status"] == "accepted").to_numpy()
    positions = np.flatnonzero(accepted)
    needed = [*_KEY_COLUMNS, *_ENGINE_COLUMNS]
    taken = validated.loc[:, list(dict.fromkeys(needed))].iloc[positions]
    keys, key_of = _distinct_keys(taken)
    key_incident, incidents = _incidents_of(keys, policy=policy)
    incident = key_incident.take(key_of)
    full = pd.Series(pd.NA, index=range(len(validated)), dtype=STRING).array.copy()
    full[positions] = incident
    validated["incident"] = full
    engine = taken.loc[:, [c for c in _ENGINE_COLUMNS if c != "incident"]]
    engine.insert(0, "incident", pd.Series(incident, index=engine.index))
    return Reconciliation(
        timeline=_timeline(engine, incidents, policy=policy),
        claims=validated,
        incidents=incidents,
        policy=policy,
    )


def _key_arrays(frame: pd.DataFrame) -> list[pd.Series | Ints]:
    """Return the grouping key of each claim: place, event day, user incident ("" if none)."""
    day = frame["event_date"].astype(UTC_US).to_numpy(dtype="datetime64[us]").view(np.int64)
    user = frame["incident"].astype(STRING).fillna("")
    return [frame["place"].astype(STRING).reset_index(drop=True), day, user.reset_index(drop=True)]


def _key_codes(arrays: list[pd.Series | Ints]) -> Ints:
    """Dense code of each row's key (sorted by the codes of first appearance)."""
    code = np.zeros(len(arrays[0]), dtype=np.int64)
    for values in arrays:
        part, uniques = pd.factorize(values, use_na_sentinel=False)
        code = _dense(code * max(len(uniques), 1) + part.astype(np.int64))[1]
    return code


def _distinct_keys(
    frame: pd.DataFrame, *, weights: Ints | None = None
) -> tuple[pd.DataFrame, Ints]:
    """Distinct grouping keys of accepted claims, and the key of each row.

    Returns the :data:`_KEY_COLUMNS` of each key's first row plus ``n``, the claims behind
    it (the sum of `weights` when given: keys of Dask partitions merged), in a fixed order.
    """
    code = _key_codes(_key_arrays(frame))
    first = _firsts(code)
    counts = np.bincount(code, weights=weights, minlength=len(first))
    keys = frame.iloc[first].loc[:, list(_KEY_COLUMNS)].reset_index(drop=True)
    keys["n"] = counts.astype(np.int64)
    return keys, code


def _incidents_of(
    keys: pd.DataFrame, *, policy: Policy
) -> tuple[pd.arrays.ArrowStringArray, pd.DataFrame]:
    """Group the distinct keys into incidents (SPEC §5): each key's incident, the table."""
    grouped = group_incidents(keys.loc[:, list(_KEY_COLUMNS)], policy=policy)
    incidents = incident_table(grouped)
    at = pd.Index(incidents["incident"]).get_indexer(grouped["incident"])
    n_claims = np.bincount(at, weights=keys["n"].to_numpy(), minlength=len(incidents))
    incidents["n_claims"] = pd.array(n_claims.astype(np.int64), dtype="Int64")
    return grouped["incident"].array, incidents


def _timeline(engine: pd.DataFrame, incidents: pd.DataFrame, *, policy: Policy) -> pd.DataFrame:
    """Return the timeline of grouped claims (SPEC §6-7) with each incident's place."""
    return _with_places(timeline_rows(engine, policy=policy), incidents)


def _with_places(rows: pd.DataFrame, incidents: pd.DataFrame) -> pd.DataFrame:
    """Add each incident's own place to its rows; order and type the SPEC §7 columns."""
    status = pd.CategoricalDtype(list(TIMELINE_STATUSES))
    if not len(rows):
        return empty_frame(
            TIMELINE_COLUMNS,
            overrides={
                "status": status,
                "category": pd.CategoricalDtype(labels([])),
                "subgroup": pd.CategoricalDtype(labels([])),
            },
        )
    at = pd.Index(incidents["incident"]).get_indexer(rows["incident"])
    out = rows.copy()
    out["place_id"] = incidents["place_id"].array.take(at)
    out["place"] = incidents["place"].array.take(at)
    out["country"] = incidents["country"].array.take(at)
    return cast(out, TIMELINE_COLUMNS, overrides={"status": status})
