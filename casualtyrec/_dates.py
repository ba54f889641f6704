"""When: date mentions of a sentence, resolved against the local date of ``reported_at``.

- a weekday ("on Friday", "Saturday's attack", "overnight into Sunday") is the latest such day
  on or before the report's date ("last Friday" on a Friday is a week earlier; "next
  Friday" is ignored);
- "yesterday", "last night", "this night", "overnight", "today": the ``[dates.relative]``
  table of ``cues.toml`` (days before the report's date; a night is dated by the morning it
  ended, SPEC reading 2);
- "30 December", "December 30", "Dec. 30, 2023": that day; without a year, the latest such
  day no later than the day after the report.

A date that belongs to the attribution ("wrote on Telegram on Sunday", "said on Sunday
that") dates the report, not the event, and is left out.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from casualtyrec._attribution import Attribution
    from casualtyrec._cues import Lexicon
    from casualtyrec._sentences import Token

__all__ = ["DateMention", "date_mentions"]

_REPORT_REACH: Final = 6
_MIN_YEAR: Final = 1900
_MAX_YEAR: Final = 2200
_MAX_DAY: Final = 31


class DateMention(NamedTuple):
    """A date mentioned in a sentence: token span and the calendar day it means."""

    start: int
    end: int
    day: dt.date


def date_mentions(
    tokens: tuple[Token, ...], lex: Lexicon, today: dt.date, attributions: list[Attribution]
) -> list[DateMention]:
    """Return the event dates a sentence mentions, left to right (report dates left out)."""
    low = [t.low.removesuffix("'s") for t in tokens]
    found: list[DateMention] = []
    i = 0
    while i < len(low):
        mention = _weekday(low, i, lex, today) or _explicit(low, i, lex, today)
        if mention is None:
            relative = lex.relative_days.match(low, i)
            if relative is not None and not _into_weekday(low, relative[1], lex):
                mention = DateMention(i, relative[1], today - dt.timedelta(days=int(relative[0])))
        if mention is None:
            i += 1
            continue
        if not _reports(mention, tokens, attributions):
            found.append(mention)
        i = mention.end
    return found


def _into_weekday(low: list[str], k: int, lex: Lexicon) -> bool:
    return k + 1 < len(low) and low[k] in {"into", "to", "on"} and low[k + 1] in lex.weekdays


def _weekday(low: list[str], i: int, lex: Lexicon, today: dt.date) -> DateMention | None:
    if low[i] not in lex.weekdays:
        return None
    before = low[i - 1] if i else ""
    if before in {"next", "coming"}:
        return None
    delta = (today.weekday() - lex.weekdays.index(low[i])) % 7
    if before == "last" and delta == 0:
        delta = 7
    return DateMention(i - (before == "last"), i + 1, today - dt.timedelta(days=delta))


def _day_number(word: str) -> int | None:
    digits = word.removesuffix("st").removesuffix("nd").removesuffix("rd").removesuffix("th")
    if len(digits) <= 2 and digits.isascii() and digits.isdigit() and 1 <= int(digits) <= _MAX_DAY:  # noqa: PLR2004
        return int(digits)
    return None


def _explicit(low: list[str], i: int, lex: Lexicon, today: dt.date) -> DateMention | None:
    day = _day_number(low[i])
    if day is not None:
        k = i + 1 + (i + 1 < len(low) and low[i + 1] == "of")
        if k < len(low) and low[k] in lex.months and (low[k] != "may" or k == i + 1):
            return _dated(low, (i, k + 1), lex.months[low[k]], day, today)
        return None
    if low[i] not in lex.months:
        return None
    k = i + 1 + (i + 1 < len(low) and low[i + 1] == ".")
    day = _day_number(low[k]) if k < len(low) else None
    if day is None:
        return None
    return _dated(low, (i, k + 1), lex.months[low[i]], day, today)


def _dated(
    low: list[str], span: tuple[int, int], month: int, day: int, today: dt.date
) -> DateMention | None:
    start, end = span
    k = end + (end < len(low) and low[end] == ",")
    year: int | None = None
    if k < len(low) and low[k].isascii() and low[k].isdigit() and len(low[k]) == 4:  # noqa: PLR2004
        year = int(low[k])
        end = k + 1 if _MIN_YEAR <= year <= _MAX_YEAR else end
        year = year if _MIN_YEAR <= year <= _MAX_YEAR else None
    try:
        if year is not None:
            return DateMention(start, end, dt.date(year, month, day))
        guess = dt.date(today.year, month, day)
        if guess > today + dt.timedelta(days=1):
            guess = dt.date(today.year - 1, month, day)
    except ValueError:  # 30 February
        return None
    return DateMention(start, end, guess)


def _reports(
    mention: DateMention, tokens: tuple[Token, ...], attributions: list[Attribution]
) -> bool:
    for found in attributions:
        if found.verb < mention.start <= found.verb + _REPORT_REACH:
            between = tokens[found.verb + 1 : mention.start]
            if not any(t.low == "that" or t.low[:1].isdigit() for t in between):
                return True
    return False
