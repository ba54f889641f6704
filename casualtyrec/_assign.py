"""What a figure counts: entity, category and subgroup from the words around its span.

For each figure of a sentence (its *anchor* is the run of number tokens inside the span):

1. **Noun phrase** after the anchor (past adjectives and adverbs, up to a stop word): its
   head noun gives the entity ("49 Shahed attack drones", "one foreign citizen"); "N of the
   X" reads X; "N of them/which" takes the entity of the figure it refers back to. A head
   noun that is no entity of ``cues.toml`` ("34 provinces", "75 kilometres") means the
   number is not a claim. No head noun at all ("132 injured", "28 were wounded") leaves the
   entity to the outcome: people, or the figure referred back to.
2. **Outcome**, first found wins: a cue right before the anchor ("killing 39", "toll to
   six"), right after the noun phrase ("28 people had been injured"), inside the noun phrase
   ("21 deaths", "3,500 displaced people"); the outcome of the figure a subgroup marker
   attaches to ("five people died, among them one child"); the first cue after the figure
   in its clause, the nearest before it; the figure it is coordinated with ("122 missiles
   and 36 drones"); the figure it is in apposition with ("300 households (1,100 people)").
   A cue counts only if ``[categories]`` has it for the entity: "fired" never makes people.
3. **Subgroup**: a subgroup word of the noun phrase ("two children"), a predicate ("of which
   three are children"), or "the number of children killed"; else ``all``.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Final, NamedTuple, Protocol

import attrs

if TYPE_CHECKING:
    from collections.abc import Sequence

    from casualtyrec._cues import Lexicon, Phrases
    from casualtyrec._sentences import Token

__all__ = ["Assigned", "FigureLike", "assign"]

_HARD: Final = frozenset({";", ":"})
_COPULA: Final = frozenset({"are", "were", "was", "is", "being"})
_NP_REACH: Final = 6
_LOOKAHEAD: Final = 3
_ASIDE: Final = 16


class FigureLike(Protocol):
    """What ``extract`` needs of a figure found by ``figures.find_figures``."""

    @property
    def low(self) -> int: ...
    @property
    def best(self) -> int: ...
    @property
    def high(self) -> int | None: ...
    @property
    def qualifier(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class Assigned(NamedTuple):
    """A figure that is a claim: its category, subgroup, span and anchor tokens."""

    figure: FigureLike
    category: str
    subgroup: str
    #: Character offsets, relative to the sentence, of the figure and its noun phrase.
    start: int
    end: int
    #: Token offsets of the number and of the whole figure phrase.
    anchor: tuple[int, int]
    cumulative: bool


@attrs.define
class _Item:
    figure: FigureLike
    first: int
    last: int
    a0: int
    a1: int
    np_end: int = 0
    entity: str | None = None
    subgroup: str | None = None
    np_outcome: str | None = None
    pointer: bool = False  # "N of them / of which"
    outcome: str | None = None
    child: bool = False  # attached to another figure by a subgroup marker


def assign(
    tokens: tuple[Token, ...],
    figures: Sequence[FigureLike],
    lex: Lexicon,
    antecedent: str | None,
) -> list[Assigned]:
    """Return the figures of one sentence that are claims, with category and subgroup.

    `antecedent` is the entity of the latest claim before this sentence ("21 of them").
    """
    low = [t.low for t in tokens]
    ends = [t.end for t in tokens]
    items = [i for f in figures if (i := _item(tokens, low, ends, f, lex)) is not None]
    items = [i for i in items if _noun_phrase(tokens, low, i, lex)]
    for k, item in enumerate(items):
        if item.pointer:
            before = [i.entity for i in items[:k] if i.entity is not None]
            item.entity = before[-1] if before else antecedent
            if item.entity is None:
                item.pointer = False
    hits = lex.outcomes.scan(low)
    for item in items:
        item.outcome = _adjacent(low, item, lex, antecedent)
    _markers(low, items, lex, antecedent)
    for k, item in enumerate(items):
        if item.outcome is None:
            item.outcome = _windows(low, items, k, hits, lex=lex, antecedent=antecedent)
    _inherit(low, items, lex, antecedent)
    out = []
    for item in items:
        made = _finish(tokens, low, item, lex, antecedent)
        if made is not None:
            out.append(made)
    return out


def _numeric(word: str, lex: Lexicon) -> bool:
    if any(c.isdigit() for c in word):
        return True
    return any(part in lex.number_words for part in word.split("-"))


def _item(
    tokens: tuple[Token, ...], low: list[str], ends: list[int], fig: FigureLike, lex: Lexicon
) -> _Item | None:
    inside = []
    k = bisect.bisect_right(ends, fig.start)  # the first token ending after the figure starts
    while k < len(tokens) and tokens[k].start < fig.end:
        inside.append(k)
        k += 1
    if not inside:
        return None
    first, last = inside[0], inside[-1] + 1
    numbers = [k for k in inside if _numeric(low[k], lex)]
    a0, a1 = (numbers[0], numbers[-1] + 1) if numbers else (first, last)
    return _Item(fig, first, last, a0, a1, np_end=a1)


def _noun_phrase(  # noqa: C901, PLR0912 - one flat list of noun-phrase rules
    tokens: tuple[Token, ...], low: list[str], item: _Item, lex: Lexicon
) -> bool:
    """Read the noun phrase after the anchor; False when its head is no known entity."""
    p, n = item.a1, len(low)
    if p < n and low[p] == "of":
        q = p + 1
        if q < n and low[q] in lex.partitive:
            item.pointer, item.np_end = True, q + 1
            return True
        while q < n and (
            low[q] in lex.determiners or low[q].endswith("'s") or _numeric(low[q], lex)
        ):
            q += 1
        p = q
    unknown: list[int] = []
    k = p
    while k < n and k < p + _NP_REACH:
        word = low[k]
        if not word[:1].isalnum() or word in lex.np_stop:
            break
        if _head(low, k, item, lex):
            return True
        sub = lex.subgroups.match(low, k)
        outcome = lex.outcomes.match(low, k)
        if sub is not None:
            item.subgroup, k = sub[0], sub[1]
        elif outcome is not None:
            if _verb_follows(low, outcome[1], lex) and word not in lex.cue_nouns:
                break  # a verb: "3,000 fled north", "40,000 fled to"
            if word in lex.cue_nouns and not _noun_follows(low, outcome[1], lex):
                unknown.append(k)  # "nine evacuation centres": a noun of its own
            item.np_outcome, k = item.np_outcome or outcome[0], outcome[1]
        elif word.endswith("ing") and word not in lex.adverbs:
            break  # "175,500 staying in": a verb
        else:
            if word not in lex.adverbs:
                unknown.append(k)
            k += 1
    if not unknown:
        return p == item.a1  # "of the" with nothing known after it is no claim
    last = tokens[unknown[-1]]
    if last.text[:1].isupper() and last.low.endswith(lex.demonym_suffixes):
        item.entity, item.np_end = "people", unknown[-1] + 1
        return True
    return False


def _noun_follows(low: list[str], k: int, lex: Lexicon) -> bool:
    """Tell whether a known noun comes within two words after `k` ("displaced people")."""
    for j in range(k, min(k + 2, len(low))):
        if lex.entities.match(low, j) is not None:
            return True
        if not low[j][:1].isalnum() or low[j] in lex.np_stop:
            return False
    return False


def _verb_follows(low: list[str], k: int, lex: Lexicon) -> bool:
    """Tell whether the word after an outcome cue ends the phrase ("fled north", "fled.")."""
    if k >= len(low):
        return True
    word = low[k]
    return not word[:1].isalnum() or word in lex.np_stop or word in lex.after_verb


def _skip_aside(low: list[str], k: int, lex: Lexicon) -> int:
    """Skip "(...)" and ", including ...," after a figure: the verb after them is its own."""
    if k < len(low) and low[k] == "(":
        close = [j for j in range(k + 1, min(k + _ASIDE, len(low))) if low[j] == ")"]
        return close[0] + 1 if close else k
    if k + 1 < len(low) and low[k] == "," and lex.markers.match(low, k + 1) is not None:
        comma = [j for j in range(k + 2, min(k + _ASIDE, len(low))) if low[j] == ","]
        return comma[0] + 1 if comma else k
    return k


def _head(low: list[str], k: int, item: _Item, lex: Lexicon) -> bool:
    """Take a head noun at `k` (or a subgroup phrase ending in one); extend compounds."""
    entity = lex.entities.match(low, k)
    sub = lex.subgroups.match(low, k)
    if entity is None and sub is not None:
        inner = [lex.entities.match(low, j) for j in range(k, sub[1])]
        entity = next(((e[0], sub[1]) for e in inner if e is not None and e[1] <= sub[1]), None)
    if entity is None:
        return False
    if sub is not None:
        item.subgroup = sub[0]
    item.entity, end = entity
    outcome = lex.outcomes.match(low, k)
    if outcome is not None:
        item.np_outcome = item.np_outcome or outcome[0]
    look = end
    while look < len(low) and look < end + _LOOKAHEAD:
        word = low[look]
        if not word[:1].isalnum() or word in lex.np_stop or lex.outcomes.match(low, look):
            break
        more = lex.entities.match(low, look)
        if more is None:
            look += 1
            continue
        item.entity, end = more[0], more[1]
        sub = lex.subgroups.match(low, look)
        item.subgroup = sub[0] if sub is not None else item.subgroup
        look = end
    item.np_end = end
    return True


def _fits(item: _Item, outcome: str, lex: Lexicon, antecedent: str | None) -> bool:
    if item.entity is not None:
        return lex.category(item.entity, outcome) is not None
    return lex.category("people", outcome) is not None or (
        antecedent is not None and lex.category(antecedent, outcome) is not None
    )


def _adjacent(low: list[str], item: _Item, lex: Lexicon, antecedent: str | None) -> str | None:
    k = item.a0 - 1
    while k >= 0 and low[k] in lex.left_skip:
        k -= 1
    if k >= 0:
        found = lex.outcomes.match_ending(low, k + 1)
        if found is not None and _fits(item, found[0], lex, antecedent):
            return found[0]
    k = _skip_aside(low, item.np_end, lex)
    while k < len(low) and low[k] in lex.right_skip:
        k += 1
    if k < len(low):
        after = lex.outcomes.match(low, k)
        if after is not None and _fits(item, after[0], lex, antecedent):
            return after[0]
    if item.np_outcome is not None and _fits(item, item.np_outcome, lex, antecedent):
        return item.np_outcome
    return None


def _hard_between(low: list[str], lo: int, hi: int) -> bool:
    return any(w in _HARD for w in low[lo:hi])


def _markers(low: list[str], items: list[_Item], lex: Lexicon, antecedent: str | None) -> None:
    for k, item in enumerate(items):
        if item.outcome is not None:
            continue
        if _breakdown(low, items, k, lex, antecedent):
            continue
        for parent in reversed(items[:k]):
            if parent.child:
                continue
            lo, hi = parent.np_end, item.first
            if parent.outcome is None or _hard_between(low, lo, hi):
                break
            if lex.markers.scan(low[lo:hi]):
                item.entity = item.entity or parent.entity
                if _fits(item, parent.outcome, lex, antecedent):
                    item.outcome, item.child = parent.outcome, True
            break


def _breakdown(
    low: list[str], items: list[_Item], k: int, lex: Lexicon, antecedent: str | None
) -> bool:
    """Take the outcome of the whole for its parts after a colon.

    "47,000 were displaced: 33,000 from Idlib, 8,900 from Aleppo".
    """
    item = items[k]
    colons = [j for j in range(item.first) if low[j] == ":"]
    if not colons:
        return False
    whole = [i for i in items[:k] if i.np_end <= colons[-1] and i.outcome is not None]
    if not whole:
        return False
    parent = whole[-1]
    item.entity = item.entity or parent.entity
    if parent.outcome is not None and _fits(item, parent.outcome, lex, antecedent):
        item.outcome = parent.outcome
        item.subgroup = item.subgroup or parent.subgroup
        return True
    return False


def _windows(
    low: list[str],
    items: list[_Item],
    k: int,
    hits: list[tuple[int, int, str]],
    *,
    lex: Lexicon,
    antecedent: str | None,
) -> str | None:
    item = items[k]
    begin = _skip_aside(low, item.np_end, lex)
    later = [i.first for i in items[k + 1 :] if i.first >= begin]
    stop = later[0] if later else len(low)
    hard = [j for j in range(item.np_end, stop) if low[j] in _HARD]
    stop = hard[0] if hard else stop
    for s, e, label in hits:
        if s >= begin and e <= stop and _fits(item, label, lex, antecedent):
            return label
    begin = items[k - 1].np_end if k else 0
    hard = [j for j in range(begin, item.a0) if low[j] in _HARD]
    begin = hard[-1] + 1 if hard else begin
    for s, e, label in reversed(hits):
        if s >= begin and e <= item.a0 and _fits(item, label, lex, antecedent):
            return label
    return None


def _only(low: list[str], lo: int, hi: int, phrases: Phrases) -> bool:
    """Tell whether tokens lo..hi are only commas and phrases of the given table."""
    k = lo
    while k < hi:
        if low[k] == ",":
            k += 1
            continue
        found = phrases.match(low, k)
        if found is None or found[1] > hi:
            return False
        k = found[1]
    return True


def _inherit(low: list[str], items: list[_Item], lex: Lexicon, antecedent: str | None) -> None:
    changed = True
    while changed:
        changed = False
        for k, item in enumerate(items):
            if item.outcome is not None:
                continue
            near = []
            if k and _only(low, items[k - 1].np_end, item.first, lex.coordination):
                near.append(items[k - 1])
            if k + 1 < len(items) and (
                _only(low, item.np_end, items[k + 1].first, lex.apposition)
                or _only(low, item.np_end, items[k + 1].first, lex.coordination)
            ):
                near.append(items[k + 1])
            for other in near:
                if other.outcome is not None and _fits(item, other.outcome, lex, antecedent):
                    item.outcome, changed = other.outcome, True
                    break


def _finish(
    tokens: tuple[Token, ...], low: list[str], item: _Item, lex: Lexicon, antecedent: str | None
) -> Assigned | None:
    if item.outcome is None:
        return None
    entity = item.entity
    if entity is None:
        entity = "people" if lex.category("people", item.outcome) else antecedent
    category = lex.category(entity, item.outcome)
    if category is None:
        return None
    subgroup = item.subgroup or _predicate(low, item.np_end, lex) or _number_of(low, item, lex)
    if entity != "people":
        subgroup = None
    elif item.child and subgroup is None:
        return None  # "of whom 76,000 returned": part of a figure, but which part?
    start = tokens[item.first].start
    end = max(tokens[item.last - 1].end, tokens[item.np_end - 1].end)
    figure_start = min(start, item.figure.start)
    cumulative = lex.increment.match_ending(low, item.first) is None and not (
        lex.increment.match(low, item.first)
    )
    return Assigned(
        item.figure,
        category,
        subgroup or "all",
        figure_start,
        max(end, item.figure.end),
        (item.a0, item.np_end),
        cumulative,
    )


def _predicate(low: list[str], k: int, lex: Lexicon) -> str | None:
    j = k
    while j < len(low) and low[j] in _COPULA:
        j += 1
    if j == k or j >= len(low):
        return None
    found = lex.subgroups.match(low, j)
    return found[0] if found is not None else None


def _number_of(low: list[str], item: _Item, lex: Lexicon) -> str | None:
    for j in range(max(0, item.a0 - 8), item.a0 - 2):
        if low[j] in {"number", "toll"} and low[j + 1] in {"of", "among"}:
            found = lex.subgroups.match(low, j + 2)
            if found is not None:
                return found[0]
    return None
