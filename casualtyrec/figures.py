"""Figures: reported phrases to integer intervals (SPEC §2).

:func:`parse_figure` reads one phrase, :func:`find_figures` every figure mention in a longer
text, and :func:`parse_figures` a whole column, parsing each distinct phrase once. All three
share one scanner (``casualtyrec._scanner``): a tokenizer and a small hand-written grammar
that runs in linear time and skips ages, dates, years, clock times, unit or model numbers,
ordinals, percentages and money.
"""

from __future__ import annotations

import math
from typing import Literal

import attrs
import numpy as np
import pandas as pd
import pyarrow as pa

from casualtyrec._frame import factorize_cells
from casualtyrec._scanner import Hit, quote, scan
from casualtyrec._types import FIGURE_COLUMNS, QUALIFIERS, STRING
from casualtyrec.errors import FigureParseError
from casualtyrec.policy import DEFAULT_POLICY, Policy

__all__ = ["Figure", "find_figures", "parse_figure", "parse_figures"]

_QUALIFIER_DTYPE = pd.CategoricalDtype(list(QUALIFIERS))
_QUALIFIER_CODE = {name: code for code, name in enumerate(QUALIFIERS)}
_MISSING = "missing value: no phrase to read"


@attrs.frozen
class Figure:
    """A reported figure as an interval: ``low <= best <= high`` (``high`` None: unbounded).

    Attributes
    ----------
    low, best : int
        Lower bound and best estimate.
    high : int or None
        Upper bound; ``None`` when the phrase sets none ("at least 21").
    qualifier : str
        One of ``casualtyrec._types.QUALIFIERS``: ``exact``, ``at_least``, ``more_than``,
        ``at_most``, ``fewer_than``, ``about``, ``nearly``, ``range``, ``vague``, ``none``.
    text : str
        The exact span of the input the figure came from ("at least 21").
    start, end : int
        Offsets of `text` in the input (``input[start:end] == text``); not part of the
        repr or of equality.

    Examples
    --------
    >>> from casualtyrec import parse_figure
    >>> fig = parse_figure("the toll rose to about 30 on Sunday")
    >>> fig
    Figure(low=27, best=30, high=33, qualifier='about', text='about 30')
    >>> fig.start, fig.end
    (17, 25)
    """

    low: int
    best: int
    high: int | None
    qualifier: str
    text: str
    start: int = attrs.field(default=0, repr=False, eq=False)
    end: int = attrs.field(
        default=attrs.Factory(lambda self: self.start + len(self.text), takes_self=True),
        repr=False,
        eq=False,
    )


def _figure(hit: Hit, text: str) -> Figure:
    return Figure(
        hit.low, hit.best, hit.high, hit.qualifier, text[hit.start : hit.end], hit.start, hit.end
    )


def _shown(value: object) -> str:
    """`value` as kept in an error's ``text``: a string (shortened if huge) or a repr."""
    if isinstance(value, str):
        return value if len(value) <= 200 else value[:197] + "..."  # noqa: PLR2004
    return quote(repr(value))[1:-1] if len(repr(value)) > 60 else repr(value)  # noqa: PLR2004


def _read(text: str, policy: Policy) -> Figure | str:
    """Return the first figure of `text`, or why there is none (a reason naming it)."""
    if len(text) > policy.max_phrase_length:
        return (
            f"phrase {quote(text)} is {len(text):,} characters, over "
            f"Policy.max_phrase_length ({policy.max_phrase_length:,}); raise it with "
            "attrs.evolve(policy, max_phrase_length=...)"
        )
    skipped = ""
    for hit in scan(text, policy, phrase=True):
        if hit.kind == "figure":
            return _figure(hit, text)
        if hit.kind == "error":
            same = text[hit.start : hit.end] == text.strip()
            return hit.reason if same else f"{hit.reason} (in {quote(text)})"
        skipped = skipped or hit.reason
    if skipped:
        return f"no figure in {quote(text)} ({skipped})"
    return f"no number in {quote(text)}"


def parse_figure(text: str, *, policy: Policy = DEFAULT_POLICY) -> Figure:
    """Read the first figure of a phrase as an interval (SPEC §2).

    Parameters
    ----------
    text : str
        A phrase such as "at least 21 dead", "21-25", "a hundred and ten", "several".
    policy : Policy, default DEFAULT_POLICY
        Margins of "about" and "nearly", the vague phrases, ``range_best`` and the limits
        ``max_phrase_length`` and ``max_figure``.

    Returns
    -------
    Figure
        The first figure of the phrase; a qualifier applies to the number right after it.

    Raises
    ------
    FigureParseError
        If the phrase holds no figure, is longer than ``policy.max_phrase_length``, holds
        a number above ``policy.max_figure``, or is not a string. No other exception is
        raised, whatever the input.

    Examples
    --------
    >>> from casualtyrec import parse_figure
    >>> parse_figure("at least 21 dead")
    Figure(low=21, best=21, high=None, qualifier='at_least', text='at least 21')
    >>> parse_figure("between ten and twelve")
    Figure(low=10, best=10, high=12, qualifier='range', text='between ten and twelve')
    >>> parse_figure("no one was killed")
    Figure(low=0, best=0, high=0, qualifier='none', text='no one')
    >>> parse_figure("casualties reported")
    Traceback (most recent call last):
    ...
    casualtyrec.errors.FigureParseError: cannot read 'casualties reported' as a figure: ...
    """
    if not isinstance(text, str):
        reason = f"expected a string, got {type(text).__name__}"
        raise FigureParseError(_shown(text), reason)
    found = _read(text, policy)
    if isinstance(found, str):
        raise FigureParseError(_shown(text), found)
    return found


def find_figures(text: str, *, policy: Policy = DEFAULT_POLICY) -> list[Figure]:
    """Find every figure mentioned in a text, in order, each with its span.

    Numbers that are not counts are left out: ages ("a 12-year-old", "aged 14 and 16"),
    dates ("30 December", "Dec. 31"), years ("in 2022"), clock times ("13:00", "9 pm"),
    unit and model numbers ("Su-34", "S-300"), ordinals ("3rd"), measurements, durations,
    percentages and money, and numbers above ``policy.max_figure``.

    Parameters
    ----------
    text : str
        A sentence or a longer text.
    policy : Policy, default DEFAULT_POLICY
        As for :func:`parse_figure`; the text may be up to ``policy.max_text_length``
        characters long.

    Returns
    -------
    list of Figure
        Each with ``start`` and ``end`` offsets into `text`.

    Raises
    ------
    FigureParseError
        If `text` is not a string or is longer than ``policy.max_text_length``.

    Examples
    --------
    >>> from casualtyrec.figures import find_figures
    >>> text = "By 13:00, at least 18 people were killed and two children aged 14 and 16 hurt."
    >>> [(f.text, f.low, f.high) for f in find_figures(text)]
    [('at least 18', 18, None), ('two', 2, 2)]
    >>> [(f.start, f.end) for f in find_figures(text)]
    [(10, 21), (45, 48)]
    """
    if not isinstance(text, str):
        raise FigureParseError(_shown(text), f"expected a string, got {type(text).__name__}")
    if len(text) > policy.max_text_length:
        reason = (
            f"text is {len(text):,} characters, over "
            f"Policy.max_text_length ({policy.max_text_length:,}); split the text or raise "
            "the limit with attrs.evolve(policy, max_text_length=...)"
        )
        raise FigureParseError(_shown(text), reason)
    return [_figure(hit, text) for hit in scan(text, policy) if hit.kind == "figure"]


def _as_text(value: object) -> str | None:
    """Return the phrase of a cell: a string as it is, a whole number as digits."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return None


def _parse_value(value: object, policy: Policy) -> Figure | str:
    text = _as_text(value)
    if text is None:
        return f"expected a phrase, got {type(value).__name__} {quote(repr(value))}"
    return _read(text, policy)


def parse_figures(
    texts: pd.Series,
    *,
    policy: Policy = DEFAULT_POLICY,
    errors: Literal["reject", "raise"] = "reject",
) -> pd.DataFrame:
    """Parse a column of reported figures into integer intervals, one row per phrase.

    Each distinct phrase is read once (as :func:`parse_figure` reads it) and the results are
    mapped back to the rows, so a column of a million rows with ten thousand distinct
    phrases costs ten thousand reads.

    Parameters
    ----------
    texts : pandas.Series
        One phrase per row: "12", "10-15", "at least 40". Whole numbers are read as digits.
    policy : Policy, default DEFAULT_POLICY
        As for :func:`parse_figure`.
    errors : {"reject", "raise"}, default "reject"
        With "reject", a row without a figure (or missing) gets ``<NA>`` bounds and a
        ``reason``; with "raise", any such row raises one :class:`FigureParseError` that
        lists every failure in ``failures``.

    Returns
    -------
    pandas.DataFrame
        ``low``, ``best``, ``high`` (Int64), ``qualifier`` (category of the qualifier
        names) and ``reason`` (string, ``<NA>`` when parsed), indexed like `texts`.

    Raises
    ------
    FigureParseError
        If a row holds no figure and ``errors="raise"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from casualtyrec import parse_figures
    >>> out = parse_figures(pd.Series(["12", "at least 40", "10-15", "casualties reported"]))
    >>> out[["low", "best", "high", "qualifier"]]
       low  best  high qualifier
    0   12    12    12     exact
    1   40    40  <NA>  at_least
    2   10    10    15     range
    3  <NA>  <NA>  <NA>       NaN
    >>> out.loc[3, "reason"]
    "no number in 'casualties reported'"
    """
    if errors not in {"reject", "raise"}:
        raise ValueError(f"errors must be 'reject' or 'raise' (got {errors!r})")
    if not isinstance(texts, pd.Series):
        texts = pd.Series(texts, dtype=object)
    codes, uniques = factorize_cells(texts)
    size = len(uniques) + 1  # the last slot stands for missing values
    bounds = np.zeros((3, size), dtype=np.int64)
    missing = np.ones((3, size), dtype=bool)
    qualifiers = np.full(size, -1, dtype=np.int8)
    reasons: list[str | None] = [_MISSING] * size
    for slot, value in enumerate(uniques):
        found = _parse_value(value, policy)
        if isinstance(found, str):
            reasons[slot] = found
            continue
        reasons[slot] = None
        bounds[:, slot] = (found.low, found.best, 0 if found.high is None else found.high)
        missing[:, slot] = (False, False, found.high is None)
        qualifiers[slot] = _QUALIFIER_CODE[found.qualifier]
    take = np.where(codes < 0, size - 1, codes)
    columns: dict[str, object] = {
        name: pd.arrays.IntegerArray(bounds[row].take(take), missing[row].take(take))
        for row, name in enumerate(FIGURE_COLUMNS[:3])
    }
    columns["qualifier"] = pd.Categorical.from_codes(qualifiers.take(take), dtype=_QUALIFIER_DTYPE)
    reason = pa.array(reasons, type=pa.large_string()).take(pa.array(take))
    columns["reason"] = pd.arrays.ArrowStringArray(reason)
    out = pd.DataFrame(columns, index=texts.index)
    if errors == "raise" and reason.null_count < len(reason):
        raise _failures(texts, out)
    return out


def _failures(texts: pd.Series, out: pd.DataFrame) -> FigureParseError:
    failed = out["reason"].notna().to_numpy()
    failures = pd.DataFrame(
        {
            "row": texts.index[failed],
            "value": texts.to_numpy(dtype=object)[failed],
            "reason": out["reason"][failed].to_numpy(),
        }
    ).astype({"reason": STRING})
    first = failures.iloc[0]
    return FigureParseError(
        _shown(first["value"]),
        str(first["reason"]),
        column=None if texts.name is None else str(texts.name),
        row=first["row"],
        total=len(texts),
        failures=failures,
    )
