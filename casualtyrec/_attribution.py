"""Who says so: attributions in a sentence ("X said", "according to X", "X, the head of Y, said").

Rules, all driven by the ``[attribution]`` table of ``cues.toml``:

- ``according to X`` / ``citing X``: X runs to the next comma, bracket or relative pronoun;
- ``X said`` (any verb of the table, past adverbs such as "later"): X runs back to the start of
  the clause; an appositive between commas ("Oleh Syniehubov, the head of ..., said") is
  skipped; a passive ("were recorded") is not an attribution;
- ``..., said X``: X after the verb, to the end of the clause;
- X must hold a capitalised word or a source noun ("police", "officials") and no number;
  pronouns ("he", "which") are kept as pronouns and resolved by the caller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from casualtyrec._cues import Lexicon
    from casualtyrec._sentences import Token

__all__ = ["Attribution", "attributions", "clean_source"]

_BOUNDARY: Final = frozenset(
    {",", ";", ":", "(", ")", '"', "“", "”", "that", "and", "but", "while", "as", "-", "—"}
)
_ADVERBS: Final = frozenset(
    {
        "later",
        "also",
        "earlier",
        "then",
        "previously",
        "initially",
        "subsequently",
        "has",
        "have",
        "had",
        "separately",
        "further",
        "on",
        "sunday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "today",
        "yesterday",
        "again",
        "officially",
    }
)
_PASSIVE: Final = frozenset({"were", "was", "is", "are", "been", "be", "being"})
_MAX_NP: Final = 8


class Attribution(NamedTuple):
    """One attribution: token span (source and verb), its verb token, and the source."""

    start: int
    end: int
    verb: int
    #: Source text as written, cleaned; a pronoun ("he", "which") when `pronoun`.
    source: str
    pronoun: bool


def attributions(text: str, tokens: tuple[Token, ...], lex: Lexicon) -> list[Attribution]:
    """Return the attributions of one sentence, left to right."""
    low = [t.low for t in tokens]
    out: list[Attribution] = []
    i = 0
    while i < len(low):
        prefix = lex.report_prefixes.match(low, i)
        if prefix is not None:
            end = _np_forward(tokens, prefix[1])
            found = _make(text, tokens, prefix[1], end, lex)
            if found is not None:
                out.append(Attribution(i, end, i, found[0], found[1]))
                i = end
                continue
        verb = lex.report_verbs.match(low, i)
        if verb is not None:
            made = _around_verb(text, tokens, i, verb[1], lex)
            if made is not None:
                out.append(made)
            i = verb[1]
            continue
        i += 1
    return out


def _around_verb(
    text: str, tokens: tuple[Token, ...], verb: int, verb_end: int, lex: Lexicon
) -> Attribution | None:
    low = [t.low for t in tokens]
    j = verb - 1
    while j >= 0 and low[j] in _ADVERBS:
        j -= 1
    if j >= 0 and low[j] in _PASSIVE:
        return None
    if j >= 0 and low[j] == ",":
        return _appositive(text, tokens, j, (verb, verb_end), lex) or _inverted(
            text, tokens, verb, verb_end, lex
        )
    start = _np_backward(tokens, j)
    found = _make(text, tokens, start, j + 1, lex)
    if found is None:
        return None
    return Attribution(start, verb_end, verb, found[0], found[1])


def _appositive(
    text: str, tokens: tuple[Token, ...], comma: int, verb: tuple[int, int], lex: Lexicon
) -> Attribution | None:
    low = [t.low for t in tokens]
    k = comma - 1
    while k >= 0 and comma - k <= 2 * _MAX_NP and low[k] != ",":
        if low[k] in {";", ":", "(", ")"}:
            return None
        k -= 1
    if k < 0 or low[k] != "," or k + 1 >= comma:
        return None
    first = tokens[k + 1]
    if not (first.low in lex.determiners or first.text[:1].islower()):
        return None
    start = _np_backward(tokens, k - 1)
    found = _make(text, tokens, start, k, lex)
    if found is None:
        return None
    return Attribution(start, verb[1], verb[0], found[0], found[1])


def _inverted(
    text: str, tokens: tuple[Token, ...], verb: int, verb_end: int, lex: Lexicon
) -> Attribution | None:
    end = _np_forward(tokens, verb_end)
    found = _make(text, tokens, verb_end, end, lex)
    if found is None or found[1]:
        return None
    return Attribution(verb, end, verb, found[0], found[1])


def _np_backward(tokens: tuple[Token, ...], j: int) -> int:
    start = j + 1
    while start > 0 and j - start + 1 < _MAX_NP and tokens[start - 1].low not in _BOUNDARY:
        start -= 1
    return start


def _np_forward(tokens: tuple[Token, ...], i: int) -> int:
    end = i
    stop = _BOUNDARY | {".", "which", "who", "whose", "on", "in", "after", "said", "says"}
    while end < len(tokens) and end - i < _MAX_NP and tokens[end].low not in stop:
        end += 1
    return end


def _make(
    text: str, tokens: tuple[Token, ...], start: int, end: int, lex: Lexicon
) -> tuple[str, bool] | None:
    if start >= end:
        return None
    words = tokens[start:end]
    low = [t.low for t in words]
    pronoun = lex.pronouns.match(low, 0)
    if pronoun is not None and pronoun[1] == len(low):
        return " ".join(low), True
    if any(not t.text[:1].isalpha() and not t.text.startswith("'") for t in words):
        return None
    named = any(t.text[:1].isupper() and t.low not in lex.determiners for t in words)
    if not named and not any(t.low in lex.source_nouns for t in words):
        return None
    source = clean_source(text[words[0].start : words[-1].end], lex)
    return (source, False) if source else None


def clean_source(source: str, lex: Lexicon) -> str:
    """Return a source phrase without leading articles, and without titles before a name.

    "regional governor Vyacheslav Gladkov" is "Vyacheslav Gladkov"; "the interior ministry"
    is "interior ministry"; "Russia's defence ministry" stays as it is.
    """
    words = source.split()
    while words and words[0].lower() in lex.determiners:
        words = words[1:]
    k = 0
    while k < len(words) and words[k].lower() in lex.titles:
        k += 1
    rest = words[k:]
    is_name = rest and all(w[:1].isupper() for w in rest)
    if k and is_name and not any(w.lower() in lex.source_nouns for w in rest):
        words = rest
    return " ".join(words).strip(" ,;:'\"")
