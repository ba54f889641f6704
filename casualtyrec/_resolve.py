"""Resolve unique place strings against the snapshot (SPEC §4): the matching and the decision.

Matching runs in stages and stops at the first that finds anything: a name the user added
(:meth:`Gazetteer.with_aliases`), the exact or alternate name (score 100), a Cyrillic
transliteration (95), then a fuzzy match (rapidfuzz ``ratio``) for names of more than five
letters. The decision keeps the candidates within ``ambiguity_margin`` of the best score,
then the best feature rank (a bare name: country, then populated place, then region, except
that a region at least ``population_ratio ** 2`` times as populous as every place of that
name wins: "Krym", and that a city of :data:`SHADOWING_CITY` people matched by its main
name beats a country's alternate name: "Uman"; a region phrase: region first, an oblast
before a city-region), then
what the country hint and the report's other places point to, and resolves only when one
candidate is left or the most populous has at least ``population_ratio`` times the next
one's population.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final, NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from casualtyrec._gazetteer import (
    CITY,
    COUNTRY,
    DISTRICT,
    FUZZY_MIN_LETTERS,
    MACRO,
    REGION,
    Snapshot,
)
from casualtyrec._normalize import (
    fuzzy_script,
    has_cyrillic,
    letters,
    normalize,
    split_region,
    transliterations,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from casualtyrec.policy import Policy

__all__ = ["AMBIGUOUS", "RESOLVED", "UNRESOLVED", "Outcome", "Resolver"]

RESOLVED: Final = 0
AMBIGUOUS: Final = 1
UNRESOLVED: Final = 2
# indexes into _types.MATCHES
EXACT, ALIAS, TRANSLITERATED, FUZZY = 0, 1, 2, 3
TRANSLITERATED_SCORE: Final = 95.0
MAX_LISTED: Final = 10
_RANK_BARE: Final = {MACRO: -1, COUNTRY: 0, CITY: 1, REGION: 2, DISTRICT: 9}
_RANK_REGION: Final = {REGION: 0, COUNTRY: 1, CITY: 2, MACRO: 9, DISTRICT: 9}
_BARE: Final = (CITY, REGION, COUNTRY, DISTRICT, MACRO)
#: A name of this many letters or fewer ("La.", "N.B.") only names a country (or a user alias).
SHORTEST_PLACE: Final = 2
#: Second-order divisions have no population in the packages; they count as this many.
DISTRICT_POPULATION: Final = 50_000
#: A populated place of at least this many people whose main name it is beats a country
#: that carries the name only as an alternate name ("Uman" is the Ukrainian city, not
#: Oman; "Salvador" is the Brazilian city, not El Salvador).
SHADOWING_CITY: Final = 50_000
# cells of one rapidfuzz.cdist call
_CDIST_CELLS: Final = 1 << 23


class Outcome(NamedTuple):
    """The resolution of one unique string."""

    row: int  # place row, -1 unless resolved
    score: float  # best score, NaN when nothing matched at all
    match: int  # index into MATCHES, -1 when unresolved
    status: int
    candidates: str | None


_NOTHING: Final = Outcome(-1, math.nan, -1, UNRESOLVED, None)
#: Longest name that is looked up at all (characters, as written). The longest toponym in
#: use, Bangkok's ceremonial name, has 168; anything longer is unresolved at once, so hostile
#: input (a 1 MB cell) costs no normalization or matching.
MAX_NAME_LENGTH: Final = 200


class _Query(NamedTuple):
    full: str
    core: str
    region: bool


Candidates = dict[int, tuple[float, int]]  # place row -> (score, match)


class Resolver:
    """Resolve strings with one policy, country hint, user alias table and context."""

    def __init__(
        self,
        snap: Snapshot,
        *,
        policy: Policy,
        country: str | None,
        aliases: Mapping[str, int],
        context: Sequence[str] = (),
    ) -> None:
        self.snap = snap
        self.policy = policy
        self.country = country.upper() if country else None
        self.aliases = aliases
        self.context_regions: set[int] = set()
        self.context_countries: set[str] = set()
        if context:
            plain = Resolver(snap, policy=policy, country=self.country, aliases=aliases)
            for outcome in plain.resolve(list(dict.fromkeys(context))):
                if outcome.status == RESOLVED:
                    self.context_countries.add(snap.country(outcome.row))
                    if snap.feature[outcome.row] != COUNTRY:
                        self.context_regions.add(int(snap.region_id[outcome.row]))

    def resolve(self, texts: Sequence[str]) -> list[Outcome]:
        """Resolve unique strings; one outcome per string, in order."""
        too_long = [len(t) > MAX_NAME_LENGTH for t in texts]
        if any(too_long):
            answers = iter(
                self.resolve([t for t, long in zip(texts, too_long, strict=True) if not long])
            )
            return [_NOTHING if long else next(answers) for long in too_long]
        queries = [_Query(normalize(t), *split_region(t)) for t in texts]
        found: list[Candidates] = [{} for _ in texts]
        done = [False] * len(texts)
        user: dict[int, Outcome] = {}
        for i, query in enumerate(queries):
            row = self.aliases.get(query.full)
            if row is not None:
                user[i] = Outcome(row, 100.0, ALIAS, RESOLVED, None)
                found[i] = {row: (100.0, ALIAS)}
                done[i] = True
        self._exact(queries, found, done, score=100.0)
        # Cyrillic: transliterate what the alternate names did not catch
        pending = [i for i in range(len(texts)) if not found[i] and has_cyrillic(texts[i])]
        spelled = [(i, t) for i in pending for t in transliterations(texts[i])]
        if spelled:
            latin = [_Query(normalize(t), *split_region(t)) for _, t in spelled]
            hits: list[Candidates] = [{} for _ in spelled]
            self._exact(latin, hits, [False] * len(spelled), score=TRANSLITERATED_SCORE)
            for (i, _), candidates in zip(spelled, hits, strict=True):
                _merge(found[i], candidates)
        # typos: fuzzy, for what is still unmatched
        fuzzy = [
            (i, key, queries[i].region)
            for i in range(len(texts))
            if not found[i]
            for key in dict.fromkeys(
                [
                    queries[i].core,
                    *(split_region(t)[0] for t in transliterations(texts[i])),
                ]
            )
        ]
        self._fuzzy(fuzzy, found)
        return [user.get(i) or self._decide(found[i], query=queries[i]) for i in range(len(texts))]

    def _exact(
        self, queries: Sequence[_Query], found: list[Candidates], done: list[bool], *, score: float
    ) -> None:
        snap = self.snap
        full = snap.find([q.full for q in queries])
        core = snap.find([q.core if q.region else "" for q in queries])
        for i, query in enumerate(queries):
            if done[i]:
                continue
            candidates: Candidates = {}
            allowed = (REGION, COUNTRY) if query.region else _BARE
            self._collect(full[i], allowed, score, candidates)
            if query.region and not candidates:
                self._collect(core[i], (REGION,), score, candidates)
            if query.region and not candidates:
                # "Kharkov region": the region of the populated place of that name
                cities: Candidates = {}
                self._collect(core[i], (CITY,), score, cities)
                for row, (city_score, _) in cities.items():
                    region_row = int(snap.region_row[row])
                    if region_row >= 0:
                        match = ALIAS if city_score == 100.0 else TRANSLITERATED  # noqa: PLR2004
                        _merge(candidates, {region_row: (city_score, match)})
            _merge(found[i], candidates)

    def _collect(
        self, position: int, allowed: tuple[int, ...], score: float, into: Candidates
    ) -> None:
        if position < 0:
            return
        rows, kinds = self.snap.places_of(int(position))
        for row, kind in zip(rows.tolist(), kinds.tolist(), strict=True):
            if self.snap.feature[row] in allowed:
                match = (EXACT if kind == 0 else ALIAS) if score == 100.0 else TRANSLITERATED  # noqa: PLR2004
                _merge(into, {row: (score, match)})

    def _fuzzy(self, queries: list[tuple[int, str, bool]], found: list[Candidates]) -> None:
        cutoff = max(0.0, self.policy.min_place_score - self.policy.ambiguity_margin)
        by_block: dict[str, list[tuple[int, str, bool]]] = {}
        for item in queries:
            if letters(item[1]) >= FUZZY_MIN_LETTERS and fuzzy_script(item[1]):
                by_block.setdefault(item[1][:1], []).append(item)
        snap = self.snap
        for first, items in by_block.items():
            choices, positions = snap.fuzzy_block(first)
            if not choices:
                continue
            step = max(1, _CDIST_CELLS // len(choices))
            for start in range(0, len(items), step):
                chunk = items[start : start + step]
                scores = process.cdist(
                    [key for _, key, _ in chunk],
                    choices,
                    scorer=fuzz.ratio,
                    score_cutoff=int(cutoff),
                    dtype=np.uint8,
                    workers=-1,
                )
                for q, c in zip(*np.nonzero(scores), strict=True):
                    i, key, region = chunk[q]
                    score = fuzz.ratio(key, choices[c])
                    if score < cutoff:
                        continue
                    allowed = (REGION,) if region else _BARE
                    candidates: Candidates = {}
                    rows, _ = snap.places_of(int(positions[c]))
                    for row in rows.tolist():
                        if snap.feature[row] in allowed:
                            candidates[row] = (score, FUZZY)
                    _merge(found[i], candidates)

    def _drop_villages(self, tied: list[int]) -> list[int]:
        """Drop populated places that only share the name of a far larger region.

        A bare name means the populated place ("Kharkiv"), unless every such place is a
        village beside a region of that name: the region has at least
        ``population_ratio ** 2`` times its population ("Krym" is Crimea, not the village
        Krym in Rostov Oblast).
        """
        snap = self.snap
        cities = [r for r in tied if snap.feature[r] == CITY]
        regions = [r for r in tied if snap.feature[r] == REGION]
        if not cities or not regions:
            return tied
        largest_city = max(int(snap.population[r]) for r in cities)
        largest_region = max(int(snap.population[r]) for r in regions)
        if largest_region >= self.policy.population_ratio**2 * largest_city:
            return [r for r in tied if snap.feature[r] != CITY]
        return tied

    def _drop_alias_countries(self, tied: list[int], candidates: Candidates) -> list[int]:
        """Drop countries that only carry the name as an alternate name of a large city.

        A country name means the country (SPEC §4), but the alternate names of countries
        include foreign and historic forms ("Uman" for Oman, "Salvador" for El Salvador):
        a populated place of at least :data:`SHADOWING_CITY` people whose *main* name
        matched exactly wins over them. A country's own name ("Russia") and an alternate
        name that no such city carries ("Palestine", "Britain") still mean the country.
        """
        snap = self.snap
        shadows = any(
            snap.feature[r] == CITY
            and candidates[r][1] == EXACT
            and int(snap.population[r]) >= SHADOWING_CITY
            for r in tied
        )
        if not shadows:
            return tied
        return [r for r in tied if snap.feature[r] != COUNTRY or candidates[r][1] == EXACT]

    def _decide(self, candidates: Candidates, *, query: _Query) -> Outcome:  # noqa: C901, PLR0911, PLR0912
        if not candidates:
            return _NOTHING
        snap, policy, region = self.snap, self.policy, query.region
        rows = list(candidates)
        if letters(query.core) <= SHORTEST_PLACE:
            rows = [r for r in rows if snap.feature[r] == COUNTRY]
            if not rows:
                return _NOTHING
        if self.country is not None:
            inside = [r for r in rows if snap.country(r) == self.country]
            rows = inside or rows
        best = max(candidates[r][0] for r in rows)
        tied = [r for r in rows if candidates[r][0] >= best - policy.ambiguity_margin]
        if best < policy.min_place_score:
            return Outcome(-1, best, -1, UNRESOLVED, None)
        blockers = [r for r in tied if snap.feature[r] == DISTRICT]
        if not region:
            tied = self._drop_alias_countries(self._drop_villages(tied), candidates)
        rank = _RANK_REGION if region else _RANK_BARE

        def ranked(row: int) -> tuple[int, bool]:
            # a region phrase ("Kyiv region") means the oblast, not the city-region
            return rank[int(snap.feature[row])], region and bool(snap.city_region[row])

        top = min(ranked(r) for r in tied)
        if top[0] < 0 or top[0] == rank[DISTRICT]:
            # a continent ("Africa"), or only a second-order division: not a place we return
            return Outcome(-1, best, -1, UNRESOLVED, None)
        tied = [r for r in tied if ranked(r) == top]
        if len(tied) > 1 and self.context_regions:
            near = [r for r in tied if int(snap.region_id[r]) in self.context_regions]
            tied = near or tied
        if len(tied) > 1 and self.context_countries:
            near = [r for r in tied if snap.country(r) in self.context_countries]
            tied = near or tied
        tied.sort(key=lambda r: (-int(snap.population[r]), -candidates[r][0], int(snap.ids[r])))
        first = tied[0]
        score, match = candidates[first]
        separated = len(tied) == 1 or int(snap.population[first]) >= policy.population_ratio * int(
            snap.population[tied[1]]
        )
        if separated and snap.feature[first] == CITY:
            # "Kent": a town abroad does not beat a county of that name, unless the population
            # rule would separate them; a county counts as DISTRICT_POPULATION people
            abroad = [r for r in blockers if snap.country(r) != snap.country(first)]
            small = int(snap.population[first]) < policy.population_ratio * DISTRICT_POPULATION
            if abroad and small and not self.context_countries & {snap.country(first)}:
                tied = [first, *abroad]
                separated = False
        if separated and score >= policy.min_place_score:
            return Outcome(first, score, match, RESOLVED, None)
        if separated:
            return Outcome(-1, score, -1, UNRESOLVED, None)
        listed = "; ".join(
            f"{snap.name(r)}, {snap.country(r)} ({snap.ids[r]})" for r in tied[:MAX_LISTED]
        )
        if len(tied) > MAX_LISTED:
            listed += f"; and {len(tied) - MAX_LISTED} more"
        return Outcome(-1, best, match, AMBIGUOUS, listed)


def _merge(into: Candidates, new: Candidates) -> None:
    for row, (score, match) in new.items():
        have = into.get(row)
        if have is None or (score, -match) > (have[0], -have[1]):
            into[row] = (score, match)
