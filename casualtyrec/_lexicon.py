"""Word tables of the figure grammar (SPEC §2): number words, qualifiers, excluded contexts.

Every table holds lower-cased tokens as the tokenizer of :mod:`casualtyrec._numbers` cuts
them: runs of letters, runs of ASCII digits, or one other character.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "AGE_WORDS",
    "CASUALTY_NOUNS",
    "CHANGE_WORDS",
    "CLOCK_WORDS",
    "COUNT_NOUNS",
    "CURRENCY_SYMBOLS",
    "MONTHS",
    "NOT_MANY_BEFORE",
    "POSTFIX_QUALIFIERS",
    "PREFIX_QUALIFIERS",
    "SCALES",
    "SMALL",
    "TENS",
    "UNIT_WORDS",
    "YEAR_BEFORE",
]


def _order(text: str) -> list[str]:
    return text.split()


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: zero .. nineteen.
SMALL: Final[dict[str, int]] = {
    word: value
    for value, word in enumerate(
        _order(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
}
#: twenty .. ninety.
TENS: Final[dict[str, int]] = {
    word: 10 * value
    for value, word in enumerate(
        _order("twenty thirty forty fifty sixty seventy eighty ninety"), start=2
    )
}
#: Scale words after a number ("1.5 thousand", "two million"); "hundred" is handled apart.
SCALES: Final[dict[str, int]] = {
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
}

#: Qualifiers written before the number (SPEC §2 table), as token tuples.
PREFIX_QUALIFIERS: Final[dict[tuple[str, ...], str]] = {
    tuple(phrase.split()): qualifier
    for qualifier, phrases in {
        "at_least": (
            "at least",
            "no fewer than",
            "no less than",
            "not fewer than",
            "not less than",
            "a minimum of",
            "at minimum",
        ),
        "more_than": ("more than", "over", "in excess of", "upwards of", "upward of"),
        "at_most": (
            "at most",
            "no more than",
            "not more than",
            "up to",
            "as many as",
            "a maximum of",
        ),
        "fewer_than": ("fewer than", "less than", "under", "below"),
        "about": (
            "about",
            "around",
            "approximately",
            "approx",
            "approx .",
            "roughly",
            "some",
            "an estimated",
            "estimated",
            "circa",
        ),
        "nearly": ("nearly", "almost", "close to", "just under", "just below", "just shy of"),
    }.items()
    for phrase in phrases
}
#: Qualifiers written after the number ("25 or more", "100+").
POSTFIX_QUALIFIERS: Final[dict[tuple[str, ...], str]] = {
    ("+",): "at_least",
    ("or", "more"): "at_least",
    ("or", "fewer"): "at_most",
    ("or", "less"): "at_most",
    ("or", "so"): "about",
}

#: "no <noun>" reads as zero ("no casualties"); any other "no" is not a figure.
CASUALTY_NOUNS: Final[frozenset[str]] = _words(
    "casualties casualty deaths death dead fatalities fatality injuries injury injured "
    "wounded victims victim people persons person civilians children killed hurt "
    "losses"
)
#: Nouns that make a bare year-like number ("2000 people") a count.
COUNT_NOUNS: Final[frozenset[str]] = CASUALTY_NOUNS | _words(
    "residents soldiers troops servicemen drones missiles rockets shells buildings houses "
    "homes dwellings apartments flats vehicles cars tanks"
)
#: A "from A to B" after one of these is a change of figure, not a range ("rose from 18 to 21").
CHANGE_WORDS: Final[frozenset[str]] = _words(
    "rose risen rising rises increased increases increasing climbed climbing jumped grew "
    "grown up went gone raised revised fell fallen dropped decreased lowered changed "
    "updated corrected"
)
#: Words after which a number is an age ("aged 14 and 16").
AGE_WORDS: Final[frozenset[str]] = frozenset({"aged", "age", "ages"})
#: Words after "many" that make it not a figure ("as many as possible", "how many").
NOT_MANY_BEFORE: Final[frozenset[str]] = frozenset({"how", "so", "too", "as"})
#: Months; "may" and "march" count only when capitalized (see the scanner).
MONTHS: Final[frozenset[str]] = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
#: Words before a bare year-like number that make it a year ("in 2022").
YEAR_BEFORE: Final[frozenset[str]] = _words(
    "in since from until till by before after during of early late mid year summer winter "
    "spring autumn fall"
)
#: Clock words after a number ("at 9 pm").
CLOCK_WORDS: Final[frozenset[str]] = _words("am pm h hrs gmt utc cet eet eest msk kyiv moscow")
#: Units, durations, money and percentages after a number: not a count of casualties.
UNIT_WORDS: Final[frozenset[str]] = _words(
    "percent pc per % km kilometres kilometers kilometre kilometer miles mile metres meters "
    "metre meter m cm mm ft feet kg kilograms kilos tonnes tons ton hectares ha litres liters "
    "calibre caliber degrees ° seconds minutes minute hours hour days day nights night weeks week "
    "months month years year decades decade centuries times dollars dollar euros euro pounds "
    "hryvnias hryvnia hryvnas uah usd eur rub gbp rubles ruble roubles rouble bn"
)
#: Currency signs before a number ("$5 million").
CURRENCY_SYMBOLS: Final[frozenset[str]] = frozenset("$€£₴₽¥")
