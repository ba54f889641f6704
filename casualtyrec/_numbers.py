"""Tokenizer and number reader of the figure grammar (SPEC §2).

The tokenizer cuts text into runs of letters, runs of ASCII digits and single other
characters, keeping offsets into the original text. :func:`read_number` reads one number at
a token: digits with thousands separators (``1,200``, ``1 200``, ``1.200``), decimals with a
scale word (``1.5 thousand``) and English number words up to billions (``a hundred and
ten``). Each read looks ahead a bounded number of tokens, so scanning stays linear.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from casualtyrec._lexicon import SCALES, SMALL, TENS

__all__ = ["Number", "Tokens", "read_number", "tokenize"]

_TOKEN: Final = re.compile(r"[0-9]+|[^\W\d_]+|\S")
#: Characters that separate thousands when they sit alone between digit groups.
_SPACES: Final = frozenset({" ", "\u00a0", "\u202f", "\u2009"})
#: Longest digit run converted to an int; longer ones are "too large" without converting.
_MAX_DIGITS: Final = 18
#: Most thousands groups read after the first ("1,000,000,000,000,000").
_MAX_GROUPS: Final = 5
#: Value standing for any number written with more than ``_MAX_DIGITS`` digits.
TOO_LARGE: Final = 10**_MAX_DIGITS


class Tokens:
    """Tokens of one text as parallel lists: kind (``d``/``w``/``p``), lower text, offsets."""

    __slots__ = ("ends", "kinds", "lows", "n", "raws", "starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.raws: list[str] = []
        for match in _TOKEN.finditer(text):
            self.starts.append(match.start())
            self.ends.append(match.end())
            self.raws.append(match.group())
        self.lows = [raw.lower() for raw in self.raws]
        self.kinds = [_kind(raw) for raw in self.raws]
        self.n = len(self.raws)

    def low(self, k: int) -> str:
        """Lower-cased token `k`, or ``""`` past either end."""
        return self.lows[k] if 0 <= k < self.n else ""

    def kind(self, k: int) -> str:
        """Kind of token `k` (``d`` digits, ``w`` word, ``p`` other), ``""`` past either end."""
        return self.kinds[k] if 0 <= k < self.n else ""

    def touches(self, k: int) -> bool:
        """Whether token `k` starts where token ``k - 1`` ends (no space between)."""
        return 0 < k < self.n and self.starts[k] == self.ends[k - 1]


def _kind(raw: str) -> str:
    if raw[0] in "0123456789":
        return "d"
    return "w" if raw[0].isalpha() else "p"


def tokenize(text: str) -> Tokens:
    """Cut `text` into tokens (letters, ASCII digits, one other character each)."""
    return Tokens(text)


class Number(NamedTuple):
    """One number read at a token."""

    #: The value; ``None`` when it is not a whole number ("2.5"); ``TOO_LARGE`` for huge.
    value: int | None
    #: Token index just after the number.
    end: int
    #: ``"digits"`` or ``"words"``.
    form: str
    #: Scale word applied ("thousand" -> 1000), 1 when none.
    scale: int
    #: A bare four-digit 1800-2099 ("2023"): may be a year.
    year_like: bool


def read_number(t: Tokens, k: int) -> Number | None:
    """Read the number starting at token `k`, or return ``None`` if none starts there."""
    kind = t.kind(k)
    if kind == "d":
        return _read_digits(t, k)
    if kind == "w":
        return _read_words(t, k)
    return None


def _read_digits(t: Tokens, k: int) -> Number:
    first = t.raws[k]
    groups = [first]
    end = k + 1
    sep = ""
    if len(first) <= 3:  # noqa: PLR2004 - a thousands group has three digits
        groups, end, sep = _groups(t, k)
    fraction = ""
    if sep != "." and t.low(end) == "." and t.kind(end + 1) == "d" and t.touches(end):
        if t.touches(end + 1):
            fraction = t.raws[end + 1]
            end += 2
    elif sep == "." and len(groups) == 2 and t.low(end) in SCALES:  # noqa: PLR2004
        fraction = groups.pop()  # "1.200 thousand": a decimal before a scale word
    scale = 1
    if t.low(end) in SCALES:
        scale = SCALES[t.low(end)]
        end += 1
    elif t.low(end) == "hundred" and not fraction and len(groups) == 1 and len(first) <= 2:  # noqa: PLR2004
        scale = 100
        end += 1
    digits = "".join(groups)
    year_like = (
        len(groups) == 1
        and not fraction
        and scale == 1
        and len(first) == 4  # noqa: PLR2004
        and 1800 <= int(first) <= 2099  # noqa: PLR2004
    )
    if len(digits) > _MAX_DIGITS:
        return Number(TOO_LARGE, end, "digits", scale, year_like=False)
    fraction = fraction.rstrip("0")
    if len(fraction) > _MAX_DIGITS:
        return Number(None, end, "digits", scale, year_like=False)
    whole, rest = divmod(int(fraction or "0") * scale, 10 ** len(fraction))
    value = int(digits) * scale + whole if not rest else None
    return Number(value, end, "digits", scale, year_like=year_like)


def _groups(t: Tokens, k: int) -> tuple[list[str], int, str]:
    """Read thousands groups after the 1-3 digit token `k`; all share one separator."""
    groups = [t.raws[k]]
    end = k + 1
    sep = ""
    while len(groups) <= _MAX_GROUPS:
        mark = t.low(end)
        if mark in {",", "."} and t.touches(end) and t.touches(end + 1):
            nxt = end + 1
        elif t.kind(end) == "d" and t.text[t.ends[end - 1] : t.starts[end]] in _SPACES:
            mark, nxt = " ", end
        else:
            break
        if t.kind(nxt) != "d" or len(t.raws[nxt]) != 3 or (sep and mark != sep):  # noqa: PLR2004
            break
        if mark == " " and t.touches(nxt + 1) and t.kind(nxt + 1) in {"d", "w"}:
            break
        sep = mark
        groups.append(t.raws[nxt])
        end = nxt + 1
    return groups, end, sep


def _below_100(t: Tokens, k: int) -> tuple[int, int] | None:
    word = t.low(k)
    if word in SMALL:
        return SMALL[word], k + 1
    if word not in TENS:
        return None
    value = TENS[word]
    if t.low(k + 1) == "-" and t.touches(k + 1) and t.touches(k + 2):
        unit = SMALL.get(t.low(k + 2), 0)
        if 1 <= unit <= 9:  # noqa: PLR2004
            return value + unit, k + 3
    unit = SMALL.get(t.low(k + 1), 0)
    if 1 <= unit <= 9 and not t.touches(k + 1):  # noqa: PLR2004
        return value + unit, k + 2
    return value, k + 1


def _below_1000(t: Tokens, k: int) -> tuple[int, int] | None:
    word = t.low(k)
    mult = 1 if word in {"a", "one"} else SMALL.get(word, 0)
    if mult and t.low(k + 1) == "hundred":
        value, k = mult * 100, k + 2
        tail = k + 1 if t.low(k) == "and" else k
        rest = _below_100(t, tail)
        if rest is not None and rest[0] > 0:
            value, k = value + rest[0], rest[1]
        return value, k
    if word == "a":
        return None
    return _below_100(t, k)


def _read_words(t: Tokens, k: int) -> Number | None:  # noqa: PLR0911 - one return per form
    word = t.low(k)
    if word == "a" and t.low(k + 1) == "couple" and t.low(k + 2) == "of":
        return Number(2, k + 3, "words", 1, year_like=False)
    if word == "half" and t.low(k + 1) == "a" and t.low(k + 2) == "dozen":
        return Number(6, k + 3, "words", 1, year_like=False)
    if word == "a" and t.low(k + 1) in SCALES:
        first: tuple[int, int] | None = (1, k + 1)
    elif word == "a" and t.low(k + 1) == "dozen":
        return Number(12, k + 2, "words", 1, year_like=False)
    else:
        first = _below_1000(t, k)
    if first is None:
        return None
    value, end = first
    if value == 0:
        return Number(0, end, "words", 1, year_like=False)
    total, last_scale = 0, 0
    while t.low(end) in SCALES and (last_scale == 0 or SCALES[t.low(end)] < last_scale):
        last_scale = SCALES[t.low(end)]
        total += value * last_scale
        value, end = 0, end + 1
        tail = end + 1 if t.low(end) == "and" else end
        rest = _below_1000(t, tail)
        if rest is None or rest[0] == 0:
            break
        value, end = rest
    total += value
    if t.low(end) == "dozen" and total <= 10:  # noqa: PLR2004 - "two dozen"
        return Number(total * 12, end + 1, "words", 1, year_like=False)
    return Number(total, end, "words", last_scale or 1, year_like=False)
