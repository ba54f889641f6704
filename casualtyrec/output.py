"""Summaries and displays of a :class:`~casualtyrec.Reconciliation`.

:func:`summary` gives one row per key (incident, category, subgroup) with the final figure;
:func:`render_text` and :func:`render_html` are what ``repr(result)`` and a notebook show:
counts, incidents and contested keys, never a dump of the tables; :func:`format_timeline`
lays a timeline out as plain text for a terminal (``casualtyrec demo``).

A result of Dask frames (``reconcile(dask_frame)``) is displayed lazily, from metadata only:
partition counts and the number of incidents, never computing the timeline;
:func:`summary` computes it first (:meth:`~casualtyrec.Reconciliation.compute`).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from casualtyrec._frame import cast
from casualtyrec._types import STRING, TIMELINE_COLUMNS

if TYPE_CHECKING:
    from casualtyrec.reconcile import Reconciliation

__all__ = ["SUMMARY_COLUMNS", "format_timeline", "render_html", "render_text", "summary"]

#: Columns of :func:`summary`, in order.
SUMMARY_COLUMNS: Final[tuple[str, ...]] = (
    *TIMELINE_COLUMNS[: TIMELINE_COLUMNS.index("n_sources") + 1],
    "n_updates",
    "n_revisions",
    "n_contested",
)
_KEY: Final = ["incident", "category", "subgroup"]
_COUNTS: Final = ("n_updates", "n_revisions", "n_contested")
_SHOWN_INCIDENTS: Final = 8
_SHOWN_CONTESTED: Final = 5
_SHOWN_FIGURES: Final = 3


def summary(result: Reconciliation) -> pd.DataFrame:
    """Return one row per incident, category and subgroup: where the figure ended up.

    Parameters
    ----------
    result : Reconciliation
        The output of :func:`casualtyrec.reconcile`. A result of Dask frames is computed
        first (:meth:`~casualtyrec.Reconciliation.compute`: the whole timeline and claims
        table in memory).

    Returns
    -------
    pandas.DataFrame
        ``incident``, ``place_id``, ``place``, ``country``, ``category``, ``subgroup``, then
        the key's last timeline row: ``as_of``, ``low``, ``best``, ``high``, ``status`` and
        ``n_sources`` (every source that reported on the key: each one's latest claim stays
        current); then ``n_updates`` (timeline rows), ``n_revisions`` (rows with status
        ``revised``) and ``n_contested`` (rows with status ``contested``), all ``Int64``.
        Sorted like the timeline.

    Examples
    --------
    >>> import casualtyrec as cr
    >>> from casualtyrec.output import summary
    >>> table = summary(cr.reconcile(cr.load_sample()))
    >>> killed = table[(table["category"] == "people.killed") & (table["subgroup"] == "all")]
    >>> columns = ["incident", "best", "status", "n_sources", "n_revisions"]
    >>> print(killed[columns].to_string(index=False))
               incident  best     status  n_sources  n_revisions
    belgorod-2023-12-30    25 consistent          3            3
     ukraine-2023-12-29    39    revised          2            1
    """
    if _is_lazy(result):
        result = result.compute()
    timeline = result.timeline
    ordered = timeline.sort_values([*_KEY, "as_of"], kind="stable")
    groups = ordered.groupby(_KEY, observed=True, sort=True)
    last = groups.tail(1).set_index(_KEY)
    status = ordered["status"].astype(STRING)
    counts = pd.DataFrame(
        {
            "n_updates": groups.size(),
            "n_revisions": (status == "revised")
            .groupby([ordered[k] for k in _KEY], observed=True)
            .sum(),
            "n_contested": (status == "contested")
            .groupby([ordered[k] for k in _KEY], observed=True)
            .sum(),
        }
    )
    out = last.join(counts).reset_index()
    out = out.sort_values(_KEY, kind="stable").reset_index(drop=True)
    return cast(
        out,
        SUMMARY_COLUMNS,
        overrides={
            **dict.fromkeys(_COUNTS, "Int64"),
            "status": timeline["status"].dtype,
            "category": timeline["category"].dtype,
            "subgroup": timeline["subgroup"].dtype,
        },
    )


def _is_lazy(result: Reconciliation) -> bool:
    """Whether `result` holds Dask frames (``reconcile`` of a Dask DataFrame)."""
    frames = (result.timeline, result.claims, result.incidents)
    return not all(isinstance(frame, pd.DataFrame) for frame in frames)


def _lazy_headline(result: Reconciliation) -> str:
    """Describe a result of Dask frames from metadata: partitions, incidents (one partition)."""
    timeline_parts = getattr(result.timeline, "npartitions", 1)
    claims_parts = getattr(result.claims, "npartitions", 1)
    incidents = len(result.incidents)  # already computed: one in-memory partition
    return (
        f"{_plural(timeline_parts, 'timeline partition')}, "
        f"{_plural(claims_parts, 'claims partition')}, {_plural(incidents, 'incident')}"
    )


def _counts(result: Reconciliation) -> dict[str, int]:
    claims = result.claims
    if "status" in claims.columns:
        status = claims["status"].astype(STRING)
        accepted = int((status == "accepted").sum())
        rejected = int((status == "rejected").sum())
    else:
        accepted, rejected = len(claims), 0
    timeline = result.timeline
    keys = timeline[_KEY].drop_duplicates()
    contested = timeline.loc[timeline["status"].astype(STRING) == "contested", _KEY]
    return {
        "claims": len(claims),
        "accepted": accepted,
        "rejected": rejected,
        "incidents": int(timeline["incident"].nunique()),
        "keys": len(keys),
        "contested": len(contested.drop_duplicates()),
        "rows": len(timeline),
    }


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _headline(counts: dict[str, int]) -> str:
    return (
        f"{_plural(counts['claims'], 'claim')} ({counts['accepted']:,} accepted, "
        f"{counts['rejected']:,} rejected) -> {_plural(counts['rows'], 'timeline row')}; "
        f"{_plural(counts['incidents'], 'incident')}, {_plural(counts['keys'], 'key')}, "
        f"{counts['contested']:,} contested"
    )


def _figure(best: object, low: object, high: object) -> str:
    if high is None or high is pd.NA:
        return f"{best} [{low}+]"
    if low == best == high:
        return f"{best}"
    return f"{best} [{low}-{high}]"


def _incident_rows(result: Reconciliation) -> tuple[pd.DataFrame, int]:
    """Return the first incidents (place, key count, contested keys, figures) and the total."""
    table = summary(result)
    if table.empty:
        empty = pd.DataFrame(columns=["incident", "place", "keys", "contested", "figures"])
        return empty, 0
    names = table["incident"].drop_duplicates()
    table = table[table["incident"].isin(names.head(_SHOWN_INCIDENTS))]
    overall = table[table["subgroup"].astype(STRING) == "all"]
    category = overall["category"].astype(str)
    rank = (category != "people.killed").astype(int) + (~category.str.startswith("people.")).astype(
        int
    )
    overall = overall.assign(_rank=rank).sort_values(["incident", "_rank", "category"])
    figures = (
        overall.assign(
            text=[
                f"{c} {_figure(b, lo, hi)}"
                for c, b, lo, hi in zip(
                    overall["category"],
                    overall["best"],
                    overall["low"],
                    overall["high"],
                    strict=True,
                )
            ]
        )
        .groupby("incident", sort=True)["text"]
        .agg(lambda texts: ", ".join(list(texts)[:_SHOWN_FIGURES]))
    )
    place = table["place"].astype(STRING).fillna("?")
    country = table["country"].astype(STRING)
    table = table.assign(where=place.where(country.isna(), place + ", " + country.fillna("")))
    per_incident = table.groupby("incident", sort=True).agg(
        place=("where", "first"),
        keys=("category", "size"),
        contested=("n_contested", lambda n: int((n > 0).sum())),
    )
    per_incident["figures"] = figures.reindex(per_incident.index).fillna("")
    return per_incident.reset_index(), len(names)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _contested_keys(result: Reconciliation) -> list[str]:
    timeline = result.timeline
    rows = timeline[timeline["status"].astype(STRING) == "contested"]
    keys = rows[_KEY].astype(str).drop_duplicates()
    return [f"{i} {c}/{s}" for i, c, s in keys.itertuples(index=False, name=None)]


def render_text(result: Reconciliation) -> str:
    """Return a short plain-text description: counts, incidents and contested keys.

    This is ``repr(result)``. At most eight incidents and five contested keys are listed.
    A result of Dask frames gets one line from metadata (partitions, incidents) and nothing
    is computed: ``<Reconciliation (dask): 3 timeline partitions, 3 claims partitions,
    4 incidents; call .compute() for the pandas result>``.

    Examples
    --------
    >>> import casualtyrec as cr
    >>> from casualtyrec.output import render_text
    >>> print(render_text(cr.reconcile(cr.load_sample())))  # doctest: +ELLIPSIS
    <Reconciliation: 36 claims (36 accepted, 0 rejected) -> 36 timeline rows; 4 incidents, ...
      belgorod-2023-12-30 (Belgorod, RU): 7 keys, 0 contested; people.killed 25, ...
    ...
    """
    if _is_lazy(result):
        return (
            f"<Reconciliation (dask): {_lazy_headline(result)}; "
            "call .compute() for the pandas result>"
        )
    counts = _counts(result)
    lines = [f"<Reconciliation: {_headline(counts)}"]
    incidents, total = _incident_rows(result)
    for row in _records(incidents):
        figures = f"; {row['figures']}" if row["figures"] else ""
        lines.append(
            f"  {row['incident']} ({row['place']}): {_plural(int(row['keys']), 'key')}, "
            f"{row['contested']} contested{figures}"
        )
    if total > _SHOWN_INCIDENTS:
        lines.append(f"  ... and {total - _SHOWN_INCIDENTS:,} more incidents")
    contested = _contested_keys(result)
    if contested:
        more = len(contested) - _SHOWN_CONTESTED
        listed = "; ".join(contested[:_SHOWN_CONTESTED]) + (
            f"; ... {more} more" if more > 0 else ""
        )
        lines.append(f"  contested: {listed}")
    if counts["rejected"]:
        reasons = result.claims.loc[result.claims["status"].astype(STRING) == "rejected"]
        first = reasons["reason"].iloc[0] if "reason" in reasons.columns else None
        if first is not None and not pd.isna(first):
            lines.append(f"  first rejection: {first}")
    lines[-1] += ">"
    return "\n".join(lines)


def render_html(result: Reconciliation) -> str:
    """Return the notebook display of a result: counts, a table of incidents, contested keys.

    This is ``result._repr_html_()``; every value is HTML-escaped. A result of Dask frames
    gets one paragraph from metadata, as in :func:`render_text`; nothing is computed.

    Examples
    --------
    >>> import casualtyrec as cr
    >>> from casualtyrec.output import render_html
    >>> page = render_html(cr.reconcile(cr.load_sample()))
    >>> page.startswith("<div") and "belgorod-2023-12-30" in page
    True
    """
    esc = html.escape
    if _is_lazy(result):
        return (
            '<div class="casualtyrec-reconciliation">\n'
            f"<p><strong>Reconciliation</strong> (dask): {esc(_lazy_headline(result))}; "
            "call <code>.compute()</code> for the pandas result</p></div>"
        )
    counts = _counts(result)
    parts = [
        '<div class="casualtyrec-reconciliation">',
        f"<p><strong>Reconciliation</strong>: {esc(_headline(counts))}</p>",
    ]
    incidents, total = _incident_rows(result)
    if not incidents.empty:
        head = "".join(
            f"<th>{name}</th>"
            for name in ("incident", "place", "keys", "contested", "final figures (all)")
        )
        body = "".join(
            "<tr>"
            f"<td>{esc(str(row['incident']))}</td><td>{esc(str(row['place']))}</td>"
            f"<td>{int(row['keys'])}</td><td>{int(row['contested'])}</td>"
            f"<td>{esc(str(row['figures']))}</td>"
            "</tr>"
            for row in _records(incidents)
        )
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        if total > _SHOWN_INCIDENTS:
            parts.append(f"<p>... and {total - _SHOWN_INCIDENTS:,} more incidents</p>")
    contested = _contested_keys(result)
    if contested:
        items = "".join(f"<li>{esc(key)}</li>" for key in contested[:_SHOWN_CONTESTED])
        more = len(contested) - _SHOWN_CONTESTED
        extra = f"<li>... {more} more</li>" if more > 0 else ""
        parts.append(f"<p>Contested keys:</p><ul>{items}{extra}</ul>")
    parts.append(
        "<p><code>.timeline</code>, <code>.claims</code>, <code>.incidents</code>, "
        "<code>.summary()</code>, <code>.plot()</code></p></div>"
    )
    return "\n".join(parts)


def format_timeline(timeline: pd.DataFrame, *, max_rows: int = 500) -> str:
    """Return a timeline as a plain-text table for a terminal.

    ``place_id``, ``country`` and ``claim_ids`` are left out and ``as_of`` is shown to the
    minute in UTC (``2023-12-30 15:40Z``); missing values show as ``<NA>``.

    Examples
    --------
    >>> import casualtyrec as cr
    >>> from casualtyrec.output import format_timeline
    >>> text = format_timeline(cr.reconcile(cr.load_sample()).timeline)
    >>> text.splitlines()[0].split()[:4]
    ['incident', 'place', 'category', 'subgroup']
    """
    shown = timeline.drop(columns=["place_id", "country", "claim_ids"], errors="ignore")
    if "as_of" in shown.columns:
        shown = shown.assign(as_of=shown["as_of"].dt.strftime("%Y-%m-%d %H:%MZ"))
    with pd.option_context(
        "display.width", 200, "display.max_rows", max_rows, "display.max_colwidth", 60
    ):
        return str(shown.to_string(index=False, max_rows=max_rows))
