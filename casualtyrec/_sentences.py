"""Paragraphs, sentences and tokens of a text, with character offsets (for ``extract``).

A paragraph ends at a blank line. A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any
closing quotes or brackets) followed by white space and a character that is not a lower-case
letter, unless the word before the stop is an abbreviation of ``cues.toml`` or a single
capital letter ("J. Smith"). A single line break is white space: text copied from PDF files
breaks lines inside sentences (and runs words together: the caller may split those).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = ["MAX_SENTENCE", "Sentence", "Token", "sentences", "tokenize"]

_TOKEN: Final = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")  # noqa: RUF001
_PARAGRAPH: Final = re.compile(r"\n[^\S\n]*\n\s*")
# A stop starts only at the start of a run of stop characters and never gives back what it
# took (possessive quantifiers): one attempt per run, so a megabyte of dots is scanned once.
_STOP: Final = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]»]*+(?=\s|$)")  # noqa: RUF001 - quotes are meant
_NON_SPACE: Final = re.compile(r"\S")
#: Longest sentence analysed as one (characters). A longer run of text without a full stop
#: (a table, a list, hostile input) is cut at white space into pieces of at most this length,
#: so that the per-sentence rules (which compare figures, places and sources pairwise) stay
#: bounded and :func:`sentences` stays linear in the length of the text.
MAX_SENTENCE: Final = 1000


class Token(NamedTuple):
    """A word or punctuation mark; offsets are relative to its sentence."""

    start: int
    end: int
    text: str
    low: str


class Sentence(NamedTuple):
    """A sentence: absolute offsets in the text, its paragraph and its tokens."""

    start: int
    end: int
    paragraph: int
    text: str
    tokens: tuple[Token, ...]


def tokenize(text: str, unglue: Callable[[str], int | None] | None = None) -> tuple[Token, ...]:
    """Return the tokens of `text` (words keep inner hyphens, apostrophes and dots).

    A word's trailing full stop is never part of it: ``"Kyiv."`` is ``Kyiv`` and ``.``.
    `unglue` returns where to split a word that is two words run together by a PDF
    extractor ("peoplewere"), or None.
    """
    out = []
    for match in _TOKEN.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        low = word.lower().replace("’", "'")  # noqa: RUF001
        cut = unglue(low) if unglue is not None and word.islower() else None
        if cut is None:
            out.append(Token(start, end, word, low))
        else:
            out.append(Token(start, start + cut, word[:cut], low[:cut]))
            out.append(Token(start + cut, end, word[cut:], low[cut:]))
    return tuple(out)


def sentences(
    text: str,
    abbreviations: frozenset[str],
    unglue: Callable[[str], int | None] | None = None,
) -> Iterator[Sentence]:
    """Yield the sentences of `text`, in order, with absolute character offsets."""
    for paragraph, (p_start, p_end) in enumerate(_paragraphs(text)):
        start = p_start
        for stop in _STOP.finditer(text, p_start, p_end):
            if not _ends_sentence(text, stop.start(), stop.end(), p_end, abbreviations):
                continue
            yield from _make(text, start, stop.end(), paragraph, unglue)
            start = stop.end()
        yield from _make(text, start, p_end, paragraph, unglue)


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for brk in _PARAGRAPH.finditer(text):
        yield start, brk.start()
        start = brk.end()
    yield start, len(text)


def _ends_sentence(text: str, at: int, end: int, limit: int, abbreviations: frozenset[str]) -> bool:
    following = _NON_SPACE.search(text, end, limit)  # not text[end:limit]: linear overall
    if following is not None and following.group().islower():
        return False
    if text[at] != ".":
        return True
    word_start = at
    while word_start > 0 and (text[word_start - 1].isalnum() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:at].lower()
    if not word:
        return True
    single_capital = len(word) == 1 and text[word_start].isupper()
    return not (single_capital or word in abbreviations)


def _make(
    text: str,
    start: int,
    end: int,
    paragraph: int,
    unglue: Callable[[str], int | None] | None,
) -> Iterator[Sentence]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = _cut(text, start, start + MAX_SENTENCE)
        body = text[start:cut].rstrip()
        yield Sentence(start, start + len(body), paragraph, body, tokenize(body, unglue))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        body = text[start:end]
        yield Sentence(start, end, paragraph, body, tokenize(body, unglue))


def _cut(text: str, start: int, limit: int) -> int:
    """Return where to cut an over-long sentence: the last white space before `limit`."""
    space = max(text.rfind(" ", start + 1, limit), text.rfind("\n", start + 1, limit))
    return space if space > start else limit
