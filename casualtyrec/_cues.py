"""The cue lexicons of ``extract``: ``casualtyrec/data/cues.toml``, loaded once, lazily.

The lexicons are data: every word list lives in the TOML file, and this module only turns
each list into a :class:`Phrases` table that matches token sequences, longest first.
"""

from __future__ import annotations

import functools
import threading
import tomllib
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

import attrs

from casualtyrec import kinds
from casualtyrec._sentences import tokenize
from casualtyrec.errors import SchemaError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = ["Lexicon", "Phrases", "lexicon"]

_LOCK: Final = threading.Lock()


@attrs.frozen
class Phrases:
    """Phrases (tuples of lower-case tokens) with a label each, matched longest first."""

    by_first: Mapping[str, tuple[tuple[tuple[str, ...], str], ...]]

    @classmethod
    def build(cls, labelled: Iterable[tuple[str, str]]) -> Phrases:
        """Build the table from ``(phrase, label)`` pairs."""
        table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, label in labelled:
            words = tuple(t.low for t in tokenize(phrase))
            if words:
                table.setdefault(words[0], []).append((words, label))
        return cls({k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in table.items()})

    @classmethod
    def of(cls, words: Iterable[str], label: str = "") -> Phrases:
        """Build the table of one word list, every phrase with the same label."""
        return cls.build((w, label) for w in words)

    @classmethod
    def grouped(cls, groups: Mapping[str, Sequence[str]]) -> Phrases:
        """Build the table of ``{label: [phrase, ...]}``."""
        return cls.build((w, label) for label, words in groups.items() for w in words)

    def match(self, low: Sequence[str], i: int) -> tuple[str, int] | None:
        """Return ``(label, end)`` of the longest phrase starting at token `i`, else None."""
        for words, label in self.by_first.get(low[i], ()):
            end = i + len(words)
            if end <= len(low) and tuple(low[i:end]) == words:
                return label, end
        return None

    def match_ending(self, low: Sequence[str], end: int) -> tuple[str, int] | None:
        """Return ``(label, start)`` of the longest phrase ending just before `end`."""
        best: tuple[str, int] | None = None
        for start in range(max(0, end - 4), end):
            found = self.match(low, start)
            if found is not None and found[1] == end:
                best = (found[0], start)
                break
        return best

    def scan(self, low: Sequence[str]) -> list[tuple[int, int, str]]:
        """Return every match as ``(start, end, label)``, left to right, not overlapping."""
        out = []
        i = 0
        while i < len(low):
            found = self.match(low, i)
            if found is None:
                i += 1
                continue
            out.append((i, found[1], found[0]))
            i = found[1]
        return out


@attrs.frozen
class Lexicon:
    """Every table of ``cues.toml``, compiled."""

    abbreviations: frozenset[str]
    number_words: frozenset[str]
    entities: Phrases
    outcomes: Phrases
    categories: Mapping[str, Mapping[str, str]]
    subgroups: Phrases
    markers: Phrases
    partitive: frozenset[str]
    determiners: frozenset[str]
    left_skip: frozenset[str]
    right_skip: frozenset[str]
    np_stop: frozenset[str]
    adverbs: frozenset[str]
    cue_nouns: frozenset[str]
    after_verb: frozenset[str]
    coordination: Phrases
    apposition: Phrases
    increment: Phrases
    demonym_suffixes: tuple[str, ...]
    report_verbs: Phrases
    report_prefixes: Phrases
    source_nouns: frozenset[str]
    titles: frozenset[str]
    pronouns: Phrases
    weekdays: tuple[str, ...]
    months: Mapping[str, int]
    relative_days: Phrases
    region_words: frozenset[str]
    settlement_words: frozenset[str]
    place_prepositions: frozenset[str]
    place_adjectives: frozenset[str]
    attack_verbs: frozenset[str]
    modified_nouns: Phrases
    anaphora: Phrases
    not_places: frozenset[str]
    glue_content: frozenset[str] = frozenset()
    glue_words: frozenset[str] = frozenset()

    def category(self, entity: str | None, outcome: str) -> str | None:
        """Return the category of `outcome` for `entity` (people when None), if there is one."""
        return self.categories.get(entity or "people", {}).get(outcome)

    def unglue(self, word: str) -> int | None:
        """Return where to split two cue words run together ("peoplewere" -> 6), or None.

        One part must be an entity or outcome word of five letters or more, the other any
        word of the lexicons; words of the lexicons themselves are never split.
        """
        if len(word) > _MAX_GLUED:  # never cache (or split) a huge word: two lexicon words
            return None
        return _unglue(word, self.glue_content, self.glue_words)

    def entity_prefix(self, category: str) -> str:
        """Return the entity (noun table) of a category: ``households.displaced`` is households."""
        prefix = category.split(".", maxsplit=1)[0]
        return prefix if prefix in self.categories else "people"


_MIN_GLUED: Final = 7
#: Longest word tried: two words of the lexicons run together are never longer.
_MAX_GLUED: Final = 48
_MIN_CONTENT: Final = 5


@functools.lru_cache(maxsize=65536)
def _unglue(word: str, content: frozenset[str], words: frozenset[str]) -> int | None:
    if len(word) < _MIN_GLUED or not word.isalpha() or word in words:
        return None
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        if head in words and tail in words:
            longer = head if len(head) >= len(tail) else tail
            if longer in content and len(longer) >= _MIN_CONTENT:
                return cut
    return None


def _words(values: Iterable[str]) -> frozenset[str]:
    return frozenset(t.low for v in values for t in tokenize(v))


@functools.cache
def lexicon() -> Lexicon:
    """Return the compiled lexicons of ``casualtyrec/data/cues.toml`` (read on first use).

    Categories the file names that :mod:`casualtyrec.kinds` does not know yet are
    registered on first use, with the unit of the file's ``[units]`` table.

    Examples
    --------
    >>> from casualtyrec._cues import lexicon
    >>> lexicon().category("drones", "destroyed")
    'drones.destroyed'
    >>> lexicon().category("houses", "displaced")
    'households.displaced'
    """
    path = resources.files("casualtyrec").joinpath("data", "cues.toml")
    with path.open("rb") as handle:
        raw: dict[str, Any] = tomllib.load(handle)
    try:
        built = _compile(raw)
    except (KeyError, TypeError, ValueError) as err:  # pragma: no cover - a broken data file
        raise SchemaError(f"casualtyrec/data/cues.toml is malformed: {err!r}") from err
    _register(raw["categories"], raw["units"])
    return built


def _compile(raw: dict[str, Any]) -> Lexicon:
    grammar, attribution = raw["grammar"], raw["attribution"]
    dates, places = raw["dates"], raw["places"]
    months = {m: i + 1 for i, m in enumerate(dates["months"])}
    months.update({m: i + 1 for i, m in enumerate(dates["month_abbreviations"])})
    months["sept"] = 9
    content = {
        w
        for table in ("entities", "outcomes")
        for words in raw[table].values()
        for w in words
        if w.isalpha()
    }
    function = {
        w
        for key in ("np_stop", "right_skip", "left_skip", "determiners", "adverbs")
        for w in grammar[key]
        if w.isalpha()
    } | set(raw["numbers"]["words"])
    return Lexicon(
        glue_content=frozenset(content),
        glue_words=frozenset(content | function),
        abbreviations=frozenset(raw["sentences"]["abbreviations"]),
        number_words=frozenset(raw["numbers"]["words"]),
        entities=Phrases.grouped(raw["entities"]),
        outcomes=Phrases.grouped(raw["outcomes"]),
        categories=raw["categories"],
        subgroups=Phrases.grouped(raw["subgroups"]),
        markers=Phrases.of(grammar["subgroup_markers"]),
        partitive=_words(grammar["partitive_pronouns"]),
        determiners=_words(grammar["determiners"]),
        left_skip=_words(grammar["left_skip"]),
        right_skip=frozenset(grammar["right_skip"]),
        np_stop=frozenset(grammar["np_stop"]),
        adverbs=frozenset(grammar["adverbs"]),
        cue_nouns=frozenset(grammar["cue_nouns"]),
        after_verb=frozenset(grammar["after_verb"]),
        coordination=Phrases.of(grammar["coordination"]),
        apposition=Phrases.of(grammar["apposition"]),
        increment=Phrases.of(grammar["increment"]),
        demonym_suffixes=tuple(grammar["demonym_suffixes"]),
        report_verbs=Phrases.of(attribution["verbs"]),
        report_prefixes=Phrases.of(attribution["prefixes"]),
        source_nouns=frozenset(attribution["nouns"]),
        titles=frozenset(attribution["titles"]),
        pronouns=Phrases.of(attribution["pronouns"]),
        weekdays=tuple(dates["weekdays"]),
        months=months,
        relative_days=Phrases.build((k, str(v)) for k, v in dates["relative"].items()),
        region_words=frozenset(places["region_words"]),
        settlement_words=frozenset(places["settlement_words"]),
        place_prepositions=frozenset(places["prepositions"]),
        place_adjectives=frozenset(places["adjectives"]),
        attack_verbs=frozenset(places["attack_verbs"]),
        modified_nouns=Phrases.of(places["modified_nouns"]),
        anaphora=Phrases.of(places["anaphora"]),
        not_places=frozenset(places["not_places"]),
    )


def _register(categories: Mapping[str, Mapping[str, str]], units: Mapping[str, str]) -> None:
    known = set(kinds.categories())
    with _LOCK:
        for table in categories.values():
            for category in table.values():
                if category not in known:
                    kinds.register_category(category, entity=units[category.split(".")[0]])
                    known.add(category)
