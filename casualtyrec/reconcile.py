"""Reconciliation over time (SPEC §6-7): claims in, one explainable timeline out.

:func:`reconcile` runs the pipeline: :func:`~casualtyrec.claims.validate_claims` (every
input row accounted for), :func:`~casualtyrec.incidents.group_incidents`, then the
vectorized engine of ``casualtyrec._timeline``. The rules the engine applies, and the choices
made where SPEC is silent, are in ``docs/reconcile.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np
import pandas as pd

from casualtyrec._frame import cast, empty_frame
from casualtyrec._timeline import timeline_rows
from casualtyrec._types import STRING, TIMELINE_COLUMNS, TIMELINE_STATUSES
from casualtyrec.claims import _default_resolver, _validate
from casualtyrec.incidents import group_incidents, incident_table
from casualtyrec.output import render_html, render_text, summary
from casualtyrec.plot import plot_timeline
from casualtyrec.policy import DEFAULT_POLICY, Policy

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from casualtyrec.claims import Resolver
    from casualtyrec.places import Gazetteer

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
    claims: pd.DataFrame,
    *,
    policy: Policy = DEFAULT_POLICY,
    assume_tz: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> Reconciliation:
    """Reconcile a table of claims into a timeline per incident, category and subgroup.

    Parameters
    ----------
    claims : pandas.DataFrame
        The claims table of SPEC §3: ``source``, ``reported_at``, ``place``, ``category``
        and ``figure`` (or ``low``, ``best``, ``high``); optional ``claim_id``,
        ``subgroup``, ``event_date``, ``incident``, ``cumulative``, ``text``, ``url``,
        ``language``. Column names match case-insensitively.
    policy : Policy, default DEFAULT_POLICY
        Figures, places, the incident window, ``same_time`` and ``contested_best``.
    assume_tz : str, optional
        Time zone of tz-naive ``reported_at`` values (``"UTC"``, ``"Europe/Kyiv"``).
    gazetteer : Gazetteer, optional
        Passed to :func:`casualtyrec.resolve_places`.

    Returns
    -------
    Reconciliation
        ``.timeline`` (SPEC §7 columns and dtypes), ``.claims``, ``.incidents``, ``.policy``.

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
    claims: pd.DataFrame, *, policy: Policy, assume_tz: str | None, resolve: Resolver
) -> Reconciliation:
    """:func:`reconcile` with the place resolver injected (tests use a small one)."""
    validated = _validate(claims, policy=policy, assume_tz=assume_tz, resolve=resolve)
    accepted = (validated["status"] == "accepted").to_numpy()
    positions = np.flatnonzero(accepted)
    needed = [*_PLACE_COLUMNS, "place_status", "event_date", *_ENGINE_COLUMNS]
    taken = validated.loc[:, list(dict.fromkeys(needed))].iloc[positions]
    grouped = group_incidents(
        taken.loc[:, [*_PLACE_COLUMNS, "place_status", "event_date", "incident"]],
        policy=policy,
    )
    full = pd.Series(pd.NA, index=range(len(validated)), dtype=STRING).array.copy()
    full[positions] = grouped["incident"].array
    validated["incident"] = full
    incidents = incident_table(grouped)
    engine = taken.loc[:, [c for c in _ENGINE_COLUMNS if c != "incident"]]
    engine.insert(0, "incident", grouped["incident"].array)
    rows = timeline_rows(engine, policy=policy)
    return Reconciliation(
        timeline=_with_places(rows, incidents),
        claims=validated,
        incidents=incidents,
        policy=policy,
    )


def _with_places(rows: pd.DataFrame, incidents: pd.DataFrame) -> pd.DataFrame:
    """Add each incident's own place to its rows; order and type the SPEC §7 columns."""
    status = pd.CategoricalDtype(list(TIMELINE_STATUSES))
    if not len(rows):
        return empty_frame(
            TIMELINE_COLUMNS,
            overrides={
                "status": status,
                "category": pd.CategoricalDtype(pd.Index([], dtype=STRING)),
                "subgroup": pd.CategoricalDtype(pd.Index([], dtype=STRING)),
            },
        )
    at = pd.Index(incidents["incident"]).get_indexer(rows["incident"])
    out = rows.copy()
    out["place_id"] = incidents["place_id"].array.take(at)
    out["place"] = incidents["place"].array.take(at)
    out["country"] = incidents["country"].array.take(at)
    return cast(out, TIMELINE_COLUMNS, overrides={"status": status})
