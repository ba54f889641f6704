"""Where: place mentions of a sentence, as written ("the Lviv region", "Dnipro").

Candidates are runs of capitalised words in a place context (``[places]`` of ``cues.toml``):

- *strong* (a place even when the gazetteer does not know it): a name before a region word
  ("the Lviv region", "Kharkiv oblast"), a name after "city of" / "region of", and a list
  ("the regions of Kharkiv, Kherson and Zaporizhzhia", kept whole, as written);
- *weak* (a place only when :func:`casualtyrec.resolve_places` resolves it): a name after a
  preposition ("in Kharkiv", "across Ukraine", "in central Belgorod"), after an attack verb
  ("attacked Ukraine"), before "toll" / "strike" ("the Dnipro toll"), or before a passive
  attack verb ("Kharkiv was shelled");
- *anaphora*: "the city", "there": the latest place before it.

A possessive ("Russia's defence ministry") and a demonym ("the Russian city") are never
places; the caller drops mentions inside an attribution ("the head of the Kharkiv
administration, said").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from casualtyrec._cues import Lexicon
    from casualtyrec._sentences import Token

__all__ = ["PlaceMention", "place_mentions"]

_DEMONYM_ENDINGS: Final = ("ian", "ean", "ish", "ese", "ians", "ans")
_LIST_JOINERS: Final = frozenset({",", "and"})


class PlaceMention(NamedTuple):
    """A place mention: token span, text as written, name to resolve, and its kind."""

    start: int
    end: int
    text: str
    #: ``"strong"``, ``"weak"`` or ``"anaphora"``.
    kind: str
    #: The names of a list mention ("the regions of A, B and C"), in order.
    items: tuple[str, ...] = ()


def _capital(token: Token) -> bool:
    return token.text[:1].isupper() and token.text[:1].isalpha()


def _runs(tokens: tuple[Token, ...], lex: Lexicon) -> list[tuple[int, int]]:
    runs = []
    i = 0
    while i < len(tokens):
        if not _capital(tokens[i]) or tokens[i].low.removesuffix("'s") in lex.not_places:
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and _capital(tokens[j]) and not tokens[j - 1].low.endswith("'s"):
            j += 1
        runs.append((i, j))
        i = j
    return runs


def place_mentions(text: str, tokens: tuple[Token, ...], lex: Lexicon) -> list[PlaceMention]:
    """Return the place candidates of one sentence, left to right."""
    low = [t.low for t in tokens]
    out: list[PlaceMention] = []
    runs = _runs(tokens, lex)
    used_until = -1
    for a, b in runs:
        if a < used_until:
            continue
        listed = _list(text, tokens, runs, a, lex)
        if listed is not None:
            out.append(listed)
            used_until = listed.end
            continue
        kind = _kind(low, a, b, lex)
        if kind is None:
            continue
        start = a - 1 if kind == "strong" and a and low[a - 1] == "the" else a
        end = b + 1 if kind == "strong" and b < len(low) and low[b] in lex.region_words else b
        name = text[tokens[start].start : tokens[end - 1].end].removesuffix("'s").removesuffix("'")
        out.append(PlaceMention(start, end, name, kind))
    for i in range(len(low)):
        found = lex.anaphora.match(low, i)
        if found is not None and not any(m.start <= i < m.end for m in out):
            out.append(PlaceMention(i, found[1], "", "anaphora"))
    return sorted(out)


def _kind(  # noqa: C901, PLR0911 - one flat list of place contexts
    low: list[str], a: int, b: int, lex: Lexicon
) -> str | None:
    last = low[b - 1]
    if last.endswith("'s"):
        return None
    if b < len(low) and low[b] in lex.region_words:
        return "strong"
    if b < len(low) and low[b] in lex.settlement_words:
        return None  # "the Russian city of" is an adjective
    if b - a == 1 and last.endswith(_DEMONYM_ENDINGS):
        return None
    if a >= 2 and low[a - 1] == "of" and low[a - 2] in (lex.settlement_words | lex.region_words):  # noqa: PLR2004
        return "strong"
    k = a - 1
    while k >= 0 and low[k] in lex.place_adjectives:
        k -= 1
    if k >= 0 and (low[k] in lex.place_prepositions or low[k] in lex.attack_verbs):
        if low[k] == "to" and k and low[k - 1] == "according":
            return None
        return "weak"
    if a and low[a - 1] == "the" and b < len(low) and lex.modified_nouns.match(low, b):
        return "weak"
    after = [w for w in low[b : b + 3] if w not in {"was", "were", "is", "has", "had", "been"}]
    if len(after) < len(low[b : b + 3]) and after and after[0] in lex.attack_verbs:
        return "weak"  # "Kharkiv was shelled"
    return None


def _list(
    text: str, tokens: tuple[Token, ...], runs: list[tuple[int, int]], a: int, lex: Lexicon
) -> PlaceMention | None:
    """Return a list ("the regions of A, B and C") as one mention, as written."""
    low = [t.low for t in tokens]
    if a < 2 or low[a - 1] != "of" or low[a - 2] not in lex.region_words | lex.settlement_words:  # noqa: PLR2004
        return None
    if not low[a - 2].endswith("s"):
        return None
    ends = dict(runs)
    end = ends[a]
    names = [(a, end)]
    while end < len(low) and low[end] in _LIST_JOINERS:
        nxt = end + 1 + (end + 1 < len(low) and low[end + 1] == "and")
        if nxt not in ends:
            break
        end = ends[nxt]
        names.append((nxt, end))
    if len(names) < 2:  # noqa: PLR2004
        return None
    start = a - 2 - (a >= 3 and low[a - 3] == "the")  # noqa: PLR2004
    items = tuple(text[tokens[s].start : tokens[e - 1].end] for s, e in names)
    whole = text[tokens[start].start : tokens[end - 1].end]
    return PlaceMention(start, end, whole, "strong", items)
