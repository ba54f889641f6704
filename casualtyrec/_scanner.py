"""The figure scanner: every figure mention in a text, in order (SPEC §2).

A small hand-written grammar over the tokens of :mod:`casualtyrec._numbers`. At each token
the scanner tries, in order: a qualifier then a number ("at least 21"), "between A and B",
a zero ("no one", "none", "no casualties"), a vague phrase of the policy ("several"), and a
bare number with an optional range ("21-25", "21 to 25", "21 or 22") or postfix qualifier
("25 or more", "100+"). A number in a context that makes it something else (an age, a date,
a year, a clock time, a unit or model number, an ordinal, a percentage, money) is skipped,
with its reason. Every attempt looks ahead a bounded number of tokens and the scan resumes
after each mention, so the scan is linear in the length of the text.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Final, NamedTuple

from casualtyrec._lexicon import (
    AGE_WORDS,
    CASUALTY_NOUNS,
    CHANGE_WORDS,
    CLOCK_WORDS,
    COUNT_NOUNS,
    CURRENCY_SYMBOLS,
    MONTHS,
    NOT_MANY_BEFORE,
    POSTFIX_QUALIFIERS,
    PREFIX_QUALIFIERS,
    SMALL,
    TENS,
    UNIT_WORDS,
    YEAR_BEFORE,
)
from casualtyrec._numbers import TOO_LARGE, Number, Tokens, read_number, tokenize

if TYPE_CHECKING:
    from collections.abc import Iterator

    from casualtyrec.policy import Policy, VagueTable

__all__ = ["Hit", "interval", "quote", "scan"]

_DASHES: Final = frozenset({"-", "–", "—"})  # noqa: RUF001 - the en dash is meant
_RANGE_WORDS: Final = frozenset({"to", "or"})
_CHAIN: Final = frozenset({",", "and", "or", "&", "to", "-", "–"})  # noqa: RUF001
_LOW_SIDE: Final = frozenset({"at_least", "more_than"})
_MAX_DAY: Final = 31
_LABELS: Final = frozenset({"no", "nr", "number", "nos"})
_MINUS: Final = frozenset({"-", "−"})  # noqa: RUF001 - the minus sign is meant
_POSTFIX_FIRST: Final = frozenset(words[0] for words in POSTFIX_QUALIFIERS)
_YEAR: Final = "a year"
_NEGATIVE: Final = "a negative number (a count is 0 or more)"
_POWER: Final = "a power or scientific notation, not a whole count"


class Hit(NamedTuple):
    """One mention found by :func:`scan`."""

    #: ``"figure"``, ``"error"`` (a figure that cannot be read) or ``"skip"`` (not a figure).
    kind: str
    #: Character offsets of the span in the text.
    start: int
    end: int
    qualifier: str
    low: int
    best: int
    high: int | None
    #: Why the mention is an error or was skipped ("" for a figure).
    reason: str


class _BadFigureError(Exception):
    """A figure whose numbers cannot form an interval."""


def quote(text: str, limit: int = 60) -> str:
    """Return `text` as repr, shortened to about `limit` characters."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def interval(  # noqa: PLR0911 - one return per qualifier
    qualifier: str, n: int, policy: Policy
) -> tuple[int, int, int | None]:
    """Return (low, best, high) of `qualifier` applied to `n` (SPEC §2 table)."""
    if qualifier in {"exact", "none"}:
        return n, n, n
    if qualifier == "at_least":
        return n, n, None
    if qualifier == "more_than":
        return n + 1, n + 1, None
    if qualifier == "at_most":
        return 0, n, n
    if n == 0 and qualifier in {"fewer_than", "nearly"}:
        raise _BadFigureError("an impossible count (below zero)")
    if qualifier == "fewer_than":
        return 0, n - 1, n - 1
    if qualifier == "about":
        pct, margin = policy.about_percent, policy.about_min_margin
        low = min(n * (100 - pct) // 100, n - margin)
        high = max(-(-n * (100 + pct) // 100), n + margin)
        return max(low, 0), n, high
    # nearly
    low = n * (100 - policy.nearly_percent) // 100
    return min(low, n - 1), n - 1, n - 1


@functools.lru_cache(maxsize=64)
def _vague_table(vague: VagueTable) -> dict[str, list[tuple[tuple[str, ...], tuple[int, ...]]]]:
    """Vague phrases by first token, longest first; "dozens of" also matches "dozens"."""
    table: dict[str, list[tuple[tuple[str, ...], tuple[int, ...]]]] = {}
    for phrase, (low, best, high) in vague:
        words = tuple(tokenize(phrase).lows)
        bounds = (low, best, -1 if high is None else high)
        forms = [words]
        if len(words) == 2 and words[1] == "of" and words[0].endswith("s"):  # noqa: PLR2004
            forms.append(words[:1])
        for form in forms:
            table.setdefault(form[0], []).append((form, bounds))
    for entries in table.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return table


@functools.lru_cache(maxsize=64)
def _starters(vague: VagueTable) -> frozenset[str]:
    """Words that can start a mention: the scan tries no other word."""
    words = {*SMALL, *TENS, "a", "half", "between", "no", "none", "nobody"}
    return frozenset(words | {w[0] for w in PREFIX_QUALIFIERS} | set(_vague_table(vague)))


_QUALIFIERS: Final = {
    first: sorted(
        ((words, q) for words, q in PREFIX_QUALIFIERS.items() if words[0] == first),
        key=lambda entry: -len(entry[0]),
    )
    for first in {words[0] for words in PREFIX_QUALIFIERS}
}


def _matches(t: Tokens, k: int, words: tuple[str, ...]) -> bool:
    return all(t.low(k + j) == word for j, word in enumerate(words))


def scan(text: str, policy: Policy, *, phrase: bool = False) -> Iterator[Hit]:
    """Yield every mention in `text`, in order: figures, errors and skipped numbers.

    With `phrase`, `text` is one cell of a figure column rather than running text: a bare
    year-like number that is the whole phrase ("1919", "2000") is a count, not a year.
    """
    t = tokenize(text)
    vague = _vague_table(policy.vague)
    starters = _starters(policy.vague)
    kinds, lows = t.kinds, t.lows
    i = 0
    while i < t.n:
        kind = kinds[i]
        start = kind == "d" or (kind == "w" and lows[i] in starters)
        found = _match(t, i, vague, policy, phrase=phrase) if start else None
        if found is None:
            i += 1
            continue
        hit, i = found
        yield hit


def _match(
    t: Tokens,
    i: int,
    vague: dict[str, list[tuple[tuple[str, ...], tuple[int, ...]]]],
    policy: Policy,
    *,
    phrase: bool,
) -> tuple[Hit, int] | None:
    word = t.lows[i]
    for words, qualifier in _QUALIFIERS.get(word, ()):
        if _matches(t, i, words):
            number = read_number(t, i + len(words))
            if number is not None:
                return _finish(
                    t, i, i + len(words), number, qualifier=qualifier, policy=policy, phrase=phrase
                )
    if word == "between":
        found = _between(t, i, policy, phrase=phrase)
        if found is not None:
            return found
    zero_end = _zero(t, i)
    if zero_end:
        return _hit(t, i, zero_end, "figure", "none", bounds=(0, 0, 0)), zero_end
    for words, (low, best, high) in vague.get(word, ()):
        if _matches(t, i, words) and not (word == "many" and t.low(i - 1) in NOT_MANY_BEFORE):
            bounds = (low, best, None if high < 0 else high)
            return _hit(t, i, i + len(words), "figure", "vague", bounds=bounds), i + len(words)
    number = read_number(t, i)
    if number is None:
        return None
    return _finish(t, i, i, number, qualifier=None, policy=policy, phrase=phrase)


def _zero(t: Tokens, i: int) -> int:
    """Token index after a zero phrase at `i` ("no one", "none", "no casualties"), else 0."""
    word = t.lows[i]
    if word in {"none", "nobody"}:
        return i + 1
    if word != "no":
        return 0
    if t.low(i + 1) == "one":
        return i + 2
    if t.low(i + 1) == "-" and t.low(i + 2) == "one" and t.touches(i + 1) and t.touches(i + 2):
        return i + 3
    return i + 1 if t.low(i + 1) in CASUALTY_NOUNS else 0


def _between(t: Tokens, i: int, policy: Policy, *, phrase: bool) -> tuple[Hit, int] | None:
    first = read_number(t, i + 1)
    if first is None or t.low(first.end) != "and":
        return None
    second = read_number(t, first.end + 1)
    if second is None:
        return None
    if t.low(i - 1) in AGE_WORDS:
        return _skip_chain(t, i, second.end, "an age")
    return _close(t, i, i + 1, first, second, qualifier=None, policy=policy, phrase=phrase)


def _finish(
    t: Tokens,
    start: int,
    at: int,
    number: Number,
    *,
    qualifier: str | None,
    policy: Policy,
    phrase: bool,
) -> tuple[Hit, int]:
    """Complete a mention whose number starts at token `at` (after a qualifier at `start`)."""
    end = number.end
    sep = t.low(end)
    if qualifier is None and sep in _POSTFIX_FIRST:
        for words, post in POSTFIX_QUALIFIERS.items():
            if _matches(t, end, words) and (words != ("+",) or t.touches(end)):
                tail = end + len(words)
                return _close(t, start, at, number, None, qualifier=post, policy=policy, tail=tail)
    if sep in _DASHES or sep in _RANGE_WORDS:
        second = read_number(t, end + 1)
        change = sep == "to" and t.low(at - 1) == "from" and t.low(at - 2) in CHANGE_WORDS
        if second is not None and not change and not (sep == "or" and qualifier is not None):
            return _close(t, start, at, number, second, qualifier=qualifier, policy=policy)
    return _close(t, start, at, number, None, qualifier=qualifier, policy=policy, phrase=phrase)


def _close(
    t: Tokens,
    start: int,
    at: int,
    first: Number,
    second: Number | None,
    *,
    qualifier: str | None,
    policy: Policy,
    tail: int = 0,
    phrase: bool = False,
) -> tuple[Hit, int]:
    """Check the context of a number (or range) and turn it into a hit."""
    last = second if second is not None else first
    end = max(last.end, tail)
    reason = _context(t, (start, at, end), first, second, qualifier=qualifier)
    if reason == _YEAR and phrase and second is None and start == 0 and end == t.n:
        reason = ""  # a cell of a figure column holding only "1919" is a count
    if reason:
        if reason == "an age":
            return _skip_chain(t, start, end, reason)
        first_token = start - 1 if reason == _NEGATIVE else start  # quote the sign too
        return _hit(t, first_token, end, "skip", reason), end
    a, b = first.value, (0 if second is None else second.value)
    if a is None or b is None:
        return _hit(t, start, end, "skip", "not a whole number"), end
    if second is not None and first.scale == 1 and second.scale > 1:
        a *= second.scale  # "2-3 thousand"
    for value in (a, b):
        if value > policy.max_figure:
            size = "a number of over 18 digits, " if value >= TOO_LARGE else ""
            reason = (
                f"{size}above Policy.max_figure ({policy.max_figure:,}); raise it with "
                "attrs.evolve(policy, max_figure=...)"
            )
            return _hit(t, start, end, "error", reason), end
    try:
        bounds, name = _bounds(a, b if second is not None else None, qualifier, policy)
    except _BadFigureError as bad:
        return _hit(t, start, end, "error", str(bad)), end
    return _hit(t, start, end, "figure", name, bounds=bounds), end


def _bounds(
    a: int, b: int | None, qualifier: str | None, policy: Policy
) -> tuple[tuple[int, int, int | None], str]:
    if b is None:
        name = qualifier or ("none" if a == 0 else "exact")
        return interval(name, a, policy), name
    a, b = min(a, b), max(a, b)
    best = a if policy.range_best == "low" else (a + b) // 2
    if qualifier is None:
        return (a, best, b), "range"
    if qualifier in _LOW_SIDE:
        return interval(qualifier, a, policy), qualifier
    if qualifier == "about":
        low, high = interval("about", a, policy)[0], interval("about", b, policy)[2]
        return (low, best, high), "about"
    return interval(qualifier, b, policy), qualifier


def _hit(
    t: Tokens,
    start: int,
    end: int,
    kind: str,
    reason_or_qualifier: str,
    *,
    bounds: tuple[int, int, int | None] = (0, 0, None),
) -> Hit:
    first, last = t.starts[start], t.ends[end - 1]
    low, best, high = bounds
    if kind == "figure":
        return Hit(kind, first, last, reason_or_qualifier, low, best, high, "")
    span = t.text[first:last]
    return Hit(kind, first, last, "", 0, 0, None, f"{quote(span)} is {reason_or_qualifier}")


def _skip_chain(t: Tokens, start: int, end: int, reason: str) -> tuple[Hit, int]:
    """Skip an age and the numbers listed after it ("aged 14 and 16")."""
    form = t.kind(end - 1)
    while t.low(end) in _CHAIN:
        nxt = read_number(t, end + 1)
        if nxt is None or t.kind(nxt.end - 1) != form:
            break
        end = nxt.end
    return _hit(t, start, end, "skip", reason), end


def _exponent(t: Tokens, at: int) -> bool:
    """Tell whether token `at` (digits, or a sign before them) follows the "e" of "1e9"."""
    k = at - 1
    if t.low(k) in {"+", "-"} and t.touches(k):
        k -= 1
    return t.low(k) == "e" and t.touches(k) and t.kind(k - 1) == "d" and t.touches(k + 1)


def _month(t: Tokens, k: int) -> bool:
    word = t.low(k)
    return word in MONTHS and (word not in {"may", "march"} or t.raws[k][0].isupper())


def _context(  # noqa: C901, PLR0911, PLR0912 - one flat list of exclusion rules
    t: Tokens,
    span: tuple[int, int, int],
    first: Number,
    second: Number | None,
    *,
    qualifier: str | None,
) -> str:
    """Why the number(s) from token `at` to `end` are not a figure ("" if they are).

    `span` holds the token indices (start of the mention, start of the number, end).
    """
    start, at, end = span
    before, after = t.low(start - 1), t.low(end)
    digits_at, digits_end = t.kinds[at] == "d", t.kind(end - 1) == "d"
    if (digits_end and t.touches(end) and after == "e" and _exponent(t, end + 1)) or (
        t.touches(at) and (t.low(at - 1) == "^" or _exponent(t, at))
    ):
        return _POWER
    if digits_at and t.touches(at) and t.kind(at - 1) == "w":
        return "a model or unit number"
    if digits_end and t.touches(end) and t.kind(end) == "w":
        return "an ordinal or a measurement"
    if t.touches(at) and t.low(at - 1) in _DASHES and t.touches(at - 1):
        return "a model or unit number"
    if at == start and t.touches(at) and t.low(at - 1) in _MINUS:
        return _NEGATIVE
    if t.touches(end) and after == "^":
        return _POWER
    if t.touches(end) and t.touches(end + 1) and after in {*_DASHES, ":", "/", "."}:
        if t.kind(end + 1) == "w" and after in _DASHES:
            return "part of a compound word"
        if t.kind(end + 1) == "d":
            return "part of a date, time or code"
    if t.touches(at) and t.low(at - 1) in {":", "/", "#"}:
        return "part of a date, time or code"
    if before in _LABELS or (before == "." and t.low(start - 2) in _LABELS):
        return "a label ('No. 5')"
    if before in AGE_WORDS:
        return "an age"
    if after in UNIT_WORDS or after == "%":
        return "a measurement, duration, percentage or sum of money"
    if after in CLOCK_WORDS or (after in {"a", "p"} and t.low(end + 1) == "."):
        return "a clock time"
    if after == "o" and t.low(end + 2) == "clock":
        return "a clock time"
    if start > 0 and t.raws[start - 1] in CURRENCY_SYMBOLS:
        return "a sum of money"
    day = first.form == "digits" and first.value is not None and 1 <= first.value <= _MAX_DAY
    if day and (_month(t, end) or _month(t, start - 1) or (before == "." and _month(t, start - 2))):
        return "a date"
    year = first.year_like and qualifier is None
    if year and (before in YEAR_BEFORE or after not in COUNT_NOUNS):
        two = second is not None and len(t.raws[second.end - 1]) == 2  # noqa: PLR2004 - "2022-23"
        if second is None or second.year_like or two:
            return _YEAR
    if t.lows[at] == "one" and after == "another":
        return "a pronoun"
    return ""
