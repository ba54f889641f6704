"""A straightforward per-row implementation of SPEC §3, §5 and §6: the baseline and the oracle.

Nothing here is vectorized: claims are visited one by one with plain dicts and lists, the
way one would write the rules down. ``bench_reconcile.py`` times it against
``casualtyrec.reconcile``; ``tests/test_reconcile.py`` loads :func:`loop_timeline` by path
and checks the vectorized engine against it on random claim tables (the RapidFuzz oracle
pattern). It must stay obviously correct rather than fast.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pandas as pd

from casualtyrec.errors import FigureParseError
from casualtyrec.figures import parse_figure
from casualtyrec.incidents import slug
from casualtyrec.kinds import categories
from casualtyrec.places import resolve_places
from casualtyrec.policy import DEFAULT_POLICY, Policy

INF = float("inf")


def _hi(value: int | None) -> float:
    return INF if value is None else value


class _Total:
    """One source's current figure for one key: a total, plus the claims behind it."""

    def __init__(self, low: int, best: int, high: int | None, ids: list[str], t: Any) -> None:
        self.low, self.best, self.high, self.ids, self.t = low, best, high, ids, t

    def plus(self, low: int, best: int, high: int | None, claim_id: str) -> _Total:
        new_high = None if self.high is None or high is None else self.high + high
        return _Total(self.low + low, self.best + best, new_high, [*self.ids, claim_id], self.t)


def _as_int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _apply_report(old: _Total | None, mine: list[dict[str, Any]], t: Any) -> _Total:
    """A source's claims at one moment: the highest total first, then distinct increments."""
    totals = [c for c in mine if c["cumulative"]]
    increments = [c for c in mine if not c["cumulative"]]
    new = old
    if totals:
        top = max(totals, key=lambda c: (c["low"], c["best"], _hi(c["high"]), c["claim_id"]))
        new = _Total(top["low"], top["best"], top["high"], [top["claim_id"]], t)
    distinct: dict[tuple[int, int, float], dict[str, Any]] = {}
    for c in increments:
        figure = (c["low"], c["best"], _hi(c["high"]))
        if figure not in distinct or c["claim_id"] > distinct[figure]["claim_id"]:
            distinct[figure] = c
    for figure in sorted(distinct):
        c = distinct[figure]
        if new is None:
            new = _Total(0, 0, 0, [], t)
        new = new.plus(c["low"], c["best"], c["high"], c["claim_id"])
    if new is None:  # pragma: no cover - a report always holds a total or an increment
        raise ValueError("empty report")
    new.t = t
    return new


def _row(
    state: dict[str, _Total], t: Any, policy: Policy
) -> tuple[int, int, int | None, bool, str | None]:
    """(low, best, high, contested, note) after the report at `t`, by SPEC §6 word for word."""
    current = list(state.items())
    fresh = [(s, c) for s, c in current if t - c.t <= policy.same_time]
    big_l = max(c.low for _, c in current)
    highs = [c.high for _, c in fresh if c.high is not None]
    big_h = min(highs) if highs else None
    top_best = max(c.best for _, c in current)
    if big_h is None or big_l <= big_h:
        best = max(top_best, big_l) if big_h is None else min(max(top_best, big_l), big_h)
        return big_l, best, big_h, False, None
    low_side = [(s, c) for s, c in fresh if c.high is not None and c.high < big_l]
    high_side = [(s, c) for s, c in current if c.low > big_h]
    low = min(c.low for _, c in low_side)
    high = None if any(c.high is None for _, c in high_side) else max(c.high for _, c in high_side)
    both = dict(low_side + high_side)
    if policy.contested_best == "lowest":
        best = min(c.best for c in both.values())
    elif policy.contested_best == "median":
        ordered = sorted(c.best for c in both.values())
        best = ordered[(len(ordered) - 1) // 2]
    else:
        best = max(both.items(), key=lambda sc: (sc[1].t, sc[0]))[1].best
    best = max(best, low) if high is None else min(max(best, low), high)
    note = (
        "contested: low side "
        + ", ".join(sorted(s for s, _ in low_side))
        + "; high side "
        + ", ".join(sorted(s for s, _ in high_side))
    )
    return low, best, high, True, note


def loop_timeline(claims: pd.DataFrame, *, policy: Policy = DEFAULT_POLICY) -> pd.DataFrame:
    """Timeline rows from accepted, grouped claims, one claim at a time.

    `claims` has ``incident``, ``category``, ``subgroup``, ``source``, ``claim_id``,
    ``reported_at``, ``low``, ``best``, ``high``, ``cumulative``. Returns plain columns
    (object dtypes): ``incident``, ``category``, ``subgroup``, ``as_of``, ``low``, ``best``,
    ``high``, ``status``, ``n_sources``, ``sources``, ``claim_ids`` (lists), ``note``.
    """
    by_key: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in claims.to_dict("records"):
        c = dict(record)
        c["low"], c["best"], c["high"] = (
            int(c["low"]),
            int(c["best"]),
            _as_int(c["high"]),
        )
        c["cumulative"] = True if pd.isna(c["cumulative"]) else bool(c["cumulative"])
        key = (str(c["incident"]), str(c["category"]), str(c["subgroup"]))
        by_key[key].append(c)
    out: list[dict[str, Any]] = []
    for key in sorted(by_key):
        at_time: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for c in by_key[key]:
            at_time[c["reported_at"]].append(c)
        state: dict[str, _Total] = {}
        previous: tuple[int, int, int | None] | None = None
        for t in sorted(at_time):
            by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for c in at_time[t]:
                by_source[c["source"]].append(c)
            replaced, lowered = False, []
            for source in sorted(by_source):
                old = state.get(source)
                new = _apply_report(old, by_source[source], t)
                if old is not None:
                    replaced = True
                    if new.best < old.best:
                        lowered.append(f"{source} lowered its figure from {old.best} to {new.best}")
                state[source] = new
            low, best, high, contested, note = _row(state, t, policy)
            notes = ([note] if note else []) + lowered
            if contested:
                status = "contested"
            elif replaced and previous is not None and previous != (low, best, high):
                status = "revised"
            else:
                status = "consistent" if len(state) > 1 else "single_source"
            ids = sorted(i for total in state.values() for i in total.ids)
            out.append(
                {
                    "incident": key[0],
                    "category": key[1],
                    "subgroup": key[2],
                    "as_of": t,
                    "low": low,
                    "best": best,
                    "high": high,
                    "status": status,
                    "n_sources": len(state),
                    "sources": "; ".join(sorted(state)),
                    "claim_ids": ids,
                    "note": notes,
                }
            )
            previous = (low, best, high)
    _flag_subgroups(out)
    for row in out:
        row["note"] = "; ".join(row["note"]) or None
    return pd.DataFrame(
        out,
        columns=[
            "incident",
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
        ],
    )


def _flag_subgroups(rows: list[dict[str, Any]]) -> None:
    """A subgroup row whose low exceeds the high of the latest ``all`` row at or before it."""
    alls: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["subgroup"] == "all":
            alls[(row["incident"], row["category"])].append(row)
    for row in rows:
        if row["subgroup"] == "all":
            continue
        before = [a for a in alls[(row["incident"], row["category"])] if a["as_of"] <= row["as_of"]]
        if not before:
            continue
        ref = max(before, key=lambda a: a["as_of"])
        if ref["high"] is not None and row["low"] > ref["high"]:
            row["note"].append(
                f"subgroup {row['subgroup']} low {row['low']} exceeds the 'all' high {ref['high']}"
            )


# --- the whole pipeline, row by row (the benchmark's baseline) ------------------------------


def _read_row(
    c: dict[str, Any], places: dict[str, dict[str, Any]], policy: Policy
) -> dict[str, Any] | None:
    """Validate one claim the plain way; None when the row is rejected."""
    try:
        when = pd.Timestamp(c["reported_at"])
        if when.tzinfo is None:
            return None
        figure = parse_figure(str(c["figure"]), policy=policy)
    except (ValueError, TypeError, FigureParseError):
        return None
    if c["category"] not in categories() or not isinstance(c["source"], str) or not c["place"]:
        return None
    name = str(c["place"]).strip()
    if name not in places:  # resolving each distinct name once is the obvious thing to do
        places[name] = resolve_places(pd.Series([name]), policy=policy).iloc[0].to_dict()
    place = places[name]
    event = pd.Timestamp(c["event_date"]).normalize() if c.get("event_date") else when
    return {
        "claim_id": c["claim_id"],
        "source": c["source"],
        "reported_at": when.tz_convert("UTC"),
        "category": c["category"],
        "subgroup": c.get("subgroup") or "all",
        "low": figure.low,
        "best": figure.best,
        "high": figure.high,
        "cumulative": True,
        "day": event.date() if isinstance(event, pd.Timestamp) else event,
        "place": place,
        "text": name,
    }


def loop_reconcile(claims: pd.DataFrame, *, policy: Policy = DEFAULT_POLICY) -> pd.DataFrame:
    """Validate, group and reconcile row by row; returns the timeline rows."""
    places: dict[str, dict[str, Any]] = {}
    accepted = []
    for record in claims.to_dict("records"):
        row = _read_row(record, places, policy)
        if row is not None:
            accepted.append(row)
    window = policy.incident_window
    incidents: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for row in sorted(accepted, key=lambda r: (r["day"], r["claim_id"])):
        place = row["place"]
        resolved = place["status"] == "resolved" and not pd.isna(place["place_id"])
        group = f"#{place['place_id']}" if resolved else f"~{row['text'].casefold()}"
        name = place["place_name"] if resolved else row["text"]
        for start, incident in incidents[group]:
            if start <= row["day"] and row["day"] - start <= window:
                row["incident"] = incident
                break
        else:
            incident = f"{slug(str(name))}-{row['day'].isoformat()}"
            incidents[group].append((row["day"], incident))
            row["incident"] = incident
    return loop_timeline(pd.DataFrame(accepted), policy=policy)
