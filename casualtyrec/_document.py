"""From the analysis of each sentence to claim rows: source, place and date of each figure.

Per figure, in its sentence:

- **source**: the nearest attribution; a pronoun ("he", "which said") is the latest source
  before it; a surname ("Gladkov") or a short name ("Air Force") is the full name written
  earlier in the text; no attribution in the sentence means the caller's source;
- **place**: the nearest place mention (token distance, a comma costs 4 tokens, a semicolon
  or colon 15), not counting mentions inside the attribution; "the city" and "there" are the
  latest place before them; a sentence without a place takes the latest place of its
  paragraph; else ``<NA>``;
- **event date**: the nearest date mention; else the latest date of the paragraph; else the
  date ``reported_at`` falls on, in its own time zone.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Final, NamedTuple

if TYPE_CHECKING:
    import pandas as pd

    from casualtyrec._assign import Assigned
    from casualtyrec._attribution import Attribution
    from casualtyrec._dates import DateMention
    from casualtyrec._mentions import PlaceMention
    from casualtyrec._sentences import Sentence

__all__ = ["Analysis", "Document", "claim_rows"]

_COMMA_COST: Final = 4
_CLAUSE_COST: Final = 15


class Document(NamedTuple):
    """One text with its publisher and publication time (tz-aware)."""

    text: str
    source: str
    reported_at: pd.Timestamp


class Analysis(NamedTuple):
    """What one sentence holds."""

    sentence: Sentence
    claims: list[Assigned]
    attributions: list[Attribution]
    dates: list[DateMention]
    places: list[PlaceMention]


def _distance(low: list[str], start: int, end: int, anchor: tuple[int, int]) -> int:
    a0, a1 = anchor
    if end <= a0:
        lo, hi = end, a0
    elif start >= a1:
        lo, hi = a1, start
    else:
        return 0
    between = low[lo:hi]
    commas = between.count(",")
    clauses = sum(w in {";", ":"} for w in between)
    return hi - lo + _COMMA_COST * commas + _CLAUSE_COST * clauses


class _State:
    """What a document has said so far: sources, places and dates, by paragraph."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.sources: list[str] = []
        #: " " + each trailing run of words of each source so far -> the latest such source;
        #: so that looking up a short name costs the same however many sources came before.
        self.endings: dict[str, str] = {}
        self.paragraph = -1
        self.place: str | None = None
        self.day: dt.date | None = None

    def enter(self, paragraph: int) -> None:
        if paragraph != self.paragraph:
            self.paragraph, self.place, self.day = paragraph, None, None

    def named(self, source: str) -> str:
        """Return the full form of `source` written earlier ("Gladkov" -> "Vyacheslav Gladkov")."""
        if source[:1].isupper():
            earlier = self.endings.get(" " + source)
            if earlier is not None:
                return earlier
        self.sources.append(source)
        for at, char in enumerate(source):
            if char == " ":
                self.endings[source[at:]] = source
        return source


def _sources(analysis: Analysis, state: _State) -> list[str | None]:
    """Return the source of each attribution of a sentence, pronouns resolved."""
    out: list[str | None] = []
    for found in analysis.attributions:
        if found.pronoun:
            earlier = [s for s in out if s is not None] or state.sources
            out.append(earlier[-1] if earlier else None)
        else:
            out.append(state.named(found.source))
    return out


def _places(
    analysis: Analysis, known: frozenset[str], state: _State
) -> list[tuple[PlaceMention, str]]:
    """Return the confirmed place mentions of a sentence, with the text each stands for."""
    inside = [(a.start, a.end) for a in analysis.attributions]
    out = []
    for mention in analysis.places:
        if any(s <= mention.start < e for s, e in inside):
            continue
        if mention.kind == "anaphora":
            if state.place is not None:
                out.append((mention, state.place))
            continue
        if mention.kind == "weak" and mention.text not in known:
            continue
        out.append((mention, mention.text))
        state.place = mention.text
    return out


def claim_rows(
    document: Document,
    analyses: list[Analysis],
    known: frozenset[str],
    *,
    rows: dict[str, list[Any]],
    position: int,
) -> None:
    """Append the claims of one document to `rows` (a dict of column lists)."""
    state = _State(document)
    today = document.reported_at.date()
    for analysis in analyses:
        sentence = analysis.sentence
        state.enter(sentence.paragraph)
        carried_place, carried_day = state.place, state.day
        low = [t.low for t in sentence.tokens]
        sources = _sources(analysis, state)
        places = _places(analysis, known, state)
        if analysis.dates:
            state.day = analysis.dates[-1].day
        chosen = [_nearest(low, [(m.start, m.end) for m, _ in places], c) for c in analysis.claims]
        each = _respectively(low, places, chosen)
        for number, claim in enumerate(analysis.claims):
            source = _nearest(low, [(a.verb, a.verb + 1) for a in analysis.attributions], claim)
            place = chosen[number]
            day = _nearest(low, [(d.start, d.end) for d in analysis.dates], claim)
            fig = claim.figure
            rows["document"].append(position)
            rows["source"].append(
                (sources[source] if source is not None else None) or document.source
            )
            rows["reported_at"].append(document.reported_at)
            written = places[place][1] if place is not None else carried_place
            rows["place"].append(each.get(number, written))
            rows["category"].append(claim.category)
            rows["subgroup"].append(claim.subgroup)
            rows["figure"].append(sentence.text[claim.start : claim.end])
            rows["low"].append(fig.low)
            rows["best"].append(fig.best)
            rows["high"].append(fig.high)
            rows["qualifier"].append(fig.qualifier)
            rows["cumulative"].append(claim.cumulative)
            event_day = analysis.dates[day].day if day is not None else carried_day or today
            rows["event_date"].append(dt.datetime.combine(event_day, dt.time(), dt.UTC))
            rows["text"].append(sentence.text)
            rows["sentence_start"].append(sentence.start)
            rows["sentence_end"].append(sentence.end)
            rows["figure_start"].append(sentence.start + claim.start)
            rows["figure_end"].append(sentence.start + claim.end)


def _respectively(
    low: list[str], places: list[tuple[PlaceMention, str]], chosen: list[int | None]
) -> dict[int, str]:
    """Give each claim of a list mention one name of the list, when it says "respectively"."""
    if "respectively" not in low:
        return {}
    out: dict[int, str] = {}
    for index, (mention, _) in enumerate(places):
        claims = [k for k, c in enumerate(chosen) if c == index]
        if mention.items and len(claims) == len(mention.items):
            out.update(zip(claims, mention.items, strict=True))
    return out


def _nearest(low: list[str], spans: list[tuple[int, int]], claim: Assigned) -> int | None:
    if not spans:
        return None
    costs = [_distance(low, s, e, claim.anchor) for s, e in spans]
    return costs.index(min(costs))
