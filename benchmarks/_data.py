"""Seeded synthetic data for the benchmarks (never downloaded).

Each helper takes a seed and returns the same data on every run. Add helpers for other
stages here; keep them small and dependency-free (numpy, pandas).
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

__all__ = ["figure_phrases", "number_words", "phrase_series"]

_SMALL = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _below_1000(n: int, rng: random.Random, *, leading: bool = True) -> str:
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds:
        head = _SMALL[hundreds]
        if hundreds == 1 and leading:
            head = rng.choice(["a", "one"])
        parts.append(f"{head} hundred")
    if rest:
        if hundreds and rng.random() < 0.6:
            parts.append("and")
        if rest < 20:
            parts.append(_SMALL[rest])
        else:
            tens, unit = divmod(rest, 10)
            sep = rng.choice(["-", "-", " "])
            parts.append(_TENS[tens] + (f"{sep}{_SMALL[unit]}" if unit else ""))
    return " ".join(parts) or "zero"


def number_words(n: int, rng: random.Random) -> str:
    """Write 0 <= `n` < 10**9 in English words, with the usual variants of style."""
    if n == 0:
        return "zero"
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    parts = []
    if millions:
        parts.append(f"{_below_1000(millions, rng)} million")
    if thousands:
        parts.append(f"{_below_1000(thousands, rng, leading=not parts)} thousand")
    if units:
        if parts and units < 100 and rng.random() < 0.5:
            parts.append("and")
        parts.append(_below_1000(units, rng, leading=not parts))
    return " ".join(parts)


def _digits(n: int, rng: random.Random) -> str:
    if n < 1000:
        return str(n)
    sep = rng.choice([",", ",", ",", " ", ".", ""])
    return f"{n:,}".replace(",", sep)


def _number(n: int, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.2:
        return number_words(n, rng)
    if roll < 0.25 and n >= 1000 and n % 100 == 0:
        scale, word = (1_000_000, "million") if n >= 1_000_000 else (1000, "thousand")
        text = f"{n / scale:.6f}".rstrip("0").rstrip(".")
        return f"{text} {word}"
    return _digits(n, rng)


_NOUNS = ("", " dead", " people were killed", " injured", " civilians", " drones", " wounded")


def figure_phrases(count: int, *, seed: int = 0) -> list[tuple[str, int | None]]:  # noqa: PLR0912
    """Return `count` distinct (phrase, expected best) pairs: a realistic mix of figures.

    A few phrases (vague, zero, unreadable) come from small fixed sets, so they are rarer
    among distinct phrases than among rows; unreadable ones have expected best ``None``.
    """
    rng = random.Random(seed)
    vague = {"several": 3, "a few": 3, "dozens of": 24, "hundreds of": 200, "many": 2}
    zeros = ("no one was killed", "no casualties", "no injuries", "none were hurt")
    unreadable = ("casualties reported", "the injured were taken to hospital", "someone died")
    seen: dict[str, int | None] = {}
    while len(seen) < count:
        n = int(rng.choice([rng.randint(1, 60), rng.randint(1, 999), rng.randint(1000, 2_000_000)]))
        num, noun = _number(n, rng), rng.choice(_NOUNS)
        roll = rng.random()
        if roll < 0.30:
            phrase, best = f"{num}{noun}", n
        elif roll < 0.42:
            phrase, best = f"{rng.choice(['at least', 'no fewer than'])} {num}{noun}", n
        elif roll < 0.50:
            phrase, best = f"{rng.choice(['more than', 'over'])} {num}{noun}", n + 1
        elif roll < 0.56:
            phrase, best = f"{rng.choice(['up to', 'as many as'])} {num}{noun}", n
        elif roll < 0.60:
            phrase, best = f"fewer than {num}{noun}", n - 1
        elif roll < 0.68:
            phrase, best = f"{rng.choice(['about', 'around', 'some'])} {num}{noun}", n
        elif roll < 0.72:
            phrase, best = f"{rng.choice(['nearly', 'almost'])} {num}{noun}", n - 1
        elif roll < 0.82:
            m = n + rng.randint(1, 20)
            form = rng.choice(["{a}-{b}", "{a} to {b}", "between {a} and {b}", "{a}–{b}"])
            phrase, best = form.format(a=n, b=m) + noun, n
        elif roll < 0.86:
            phrase, best = f"{num} or more{noun}", n
        elif roll < 0.93:
            word = rng.choice(sorted(vague))
            phrase, best = f"{word}{rng.choice(_NOUNS[1:])}", vague[word]
        elif roll < 0.97:
            phrase, best = rng.choice(zeros), 0
        else:
            phrase, best = rng.choice(unreadable), None
        seen.setdefault(phrase, best)
    return list(seen.items())[:count]


def phrase_series(
    rows: int, *, distinct: int = 10_000, seed: int = 0
) -> tuple[pd.Series, np.ndarray, list[tuple[str, int | None]]]:
    """Return `rows` phrases drawn from `distinct` ones (seeded), their codes, and the pool."""
    pool = figure_phrases(distinct, seed=seed)
    codes = np.random.default_rng(seed).integers(0, len(pool), size=rows)
    values = np.array([phrase for phrase, _ in pool], dtype=object)
    return pd.Series(values[codes], name="figure"), codes, pool
