"""`Policy`: every tunable default of the contract (SPEC §2, §4-6), in one immutable object."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final, Literal

import attrs
import pandas as pd

from casualtyrec.errors import PolicyError

__all__ = ["DEFAULT_POLICY", "VAGUE_DEFAULTS", "Policy"]

#: SPEC §2 vague quantities: phrase -> (low, best, high or None for unbounded).
VAGUE_DEFAULTS: Final[Mapping[str, tuple[int, int, int | None]]] = {
    "several": (3, 3, 9),
    "a few": (2, 3, 5),
    "a handful of": (2, 3, 5),
    "dozens of": (24, 24, 99),
    "tens of": (24, 24, 99),
    "scores of": (40, 40, 99),
    "hundreds of": (200, 200, 999),
    "thousands of": (2000, 2000, 9999),
    # beyond SPEC §2, on the same pattern as "hundreds of"/"thousands of" (2 units to 10 - 1)
    "tens of thousands of": (20_000, 20_000, 99_999),
    "hundreds of thousands of": (200_000, 200_000, 999_999),
    "millions of": (2_000_000, 2_000_000, 9_999_999),
    "many": (2, 2, None),
    "numerous": (2, 2, None),
    "a number of": (2, 2, None),
}

VagueTable = tuple[tuple[str, tuple[int, int, int | None]], ...]


def _freeze_vague(value: Mapping[str, tuple[int, int, int | None]] | VagueTable) -> VagueTable:
    items = value.items() if isinstance(value, Mapping) else value
    frozen: list[tuple[str, tuple[int, int, int | None]]] = []
    for phrase, bounds in items:
        try:
            low, best, high = bounds
        except (TypeError, ValueError):
            raise PolicyError("vague", {phrase: bounds}, "(low, best, high) triples") from None
        ok = isinstance(phrase, str) and phrase.strip() and 0 <= low <= best
        if not ok or (high is not None and best > high):
            raise PolicyError(
                "vague",
                {phrase: bounds},
                "phrase -> (low, best, high) with 0 <= low <= best <= high",
            )
        frozen.append((" ".join(phrase.lower().split()), (int(low), int(best), high)))
    return tuple(sorted(frozen))


def _to_timedelta(field: str, value: object) -> dt.timedelta:
    try:
        delta = pd.Timedelta(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise PolicyError(field, value, "a duration such as '1h' or timedelta(days=1)") from None
    if pd.isna(delta) or delta < pd.Timedelta(0):
        raise PolicyError(field, value, "a duration of zero or more")
    return delta.to_pytimedelta()


def _incident_window(value: object) -> dt.timedelta:
    return _to_timedelta("incident_window", value)


def _same_time(value: object) -> dt.timedelta:
    return _to_timedelta("same_time", value)


def _one_of(*choices: str) -> Any:  # noqa: ANN401 - attrs validator
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in choices:
            raise PolicyError(attribute.name, value, "one of " + ", ".join(map(repr, choices)))

    return check


def _between(low: float, high: float, *, integer: bool = False) -> Any:  # noqa: ANN401
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        kinds: tuple[type, ...] = (int,) if integer else (int, float)
        number = value if isinstance(value, kinds) and not isinstance(value, bool) else None
        if number is None or not low <= float(number) <= high:  # type: ignore[arg-type]
            kind = "an integer" if integer else "a number"
            raise PolicyError(attribute.name, value, f"{kind} from {low:g} to {high:g}")

    return check


@attrs.frozen(kw_only=True)
class Policy:
    """Every default of the contract, as one immutable, hashable object.

    Pass a policy to the functions that use it (``parse_figures(s, policy=...)``,
    ``reconcile(claims, policy=...)``); change a field with :func:`attrs.evolve`.
    An invalid value raises :class:`~casualtyrec.errors.PolicyError`.

    Parameters
    ----------
    about_percent : int, default 10
        "about N" spans ``floor(N * (100 - p) / 100)`` to ``ceil(N * (100 + p) / 100)``
        (SPEC §2: 0.9N to 1.1N).
    about_min_margin : int, default 1
        "about N" spans at least ``N - m`` to ``N + m`` ("about 5" is 4..6).
    nearly_percent : int, default 10
        "nearly N" spans ``floor(N * (100 - p) / 100)`` to ``N - 1``.
    range_best : {"low", "mid"}, default "low"
        ``best`` of a range "A-B": its lower end (the conservative choice of ACLED-style
        datasets) or ``floor((A + B) / 2)``.
    vague : mapping of str to (low, best, high), default :data:`VAGUE_DEFAULTS`
        Intervals of vague quantities ("several", "dozens of"); high ``None`` is unbounded.
        Stored as a sorted tuple of pairs so that the policy stays hashable.
    max_phrase_length : int, default 1000
        Longest phrase :func:`~casualtyrec.parse_figure` reads; longer ones are rejected.
    max_text_length : int, default 2_000_000
        Longest text (characters) :func:`~casualtyrec.extract` reads in one call.
    max_figure : int, default 10_000_000
        Largest figure accepted; a larger number is rejected, not clipped.
    min_place_score : float, default 85
        Nothing scoring below this (0-100) resolves (SPEC §4).
    ambiguity_margin : float, default 5
        Candidates within this many points of the best are tied.
    population_ratio : float, default 5
        A tie is broken by population only when the larger place has at least this many
        times the other's population.
    incident_window : timedelta, default 1 day
        Claims join an incident whose first ``event_date`` is at most this far away (SPEC §5).
    same_time : timedelta, default 1 hour
        A claim is *fresh* at ``as_of`` when made at most this long before it; only fresh
        claims cap the total from above (SPEC §6).
    contested_best : {"lowest", "median", "latest"}, default "lowest"
        ``best`` of a contested row: the smallest ``best`` of the two sides, their median
        (lower middle), or the latest claim's.

    Examples
    --------
    >>> import attrs
    >>> from casualtyrec import Policy
    >>> policy = Policy()
    >>> policy.same_time
    datetime.timedelta(seconds=3600)
    >>> attrs.evolve(policy, range_best="mid").range_best
    'mid'
    >>> dict(policy.vague)["dozens of"]
    (24, 24, 99)
    """

    # SPEC §2: figures
    about_percent: int = attrs.field(default=10, validator=_between(0, 100, integer=True))
    about_min_margin: int = attrs.field(default=1, validator=_between(0, 10**6, integer=True))
    nearly_percent: int = attrs.field(default=10, validator=_between(0, 100, integer=True))
    range_best: Literal["low", "mid"] = attrs.field(default="low", validator=_one_of("low", "mid"))
    vague: VagueTable = attrs.field(default=VAGUE_DEFAULTS, converter=_freeze_vague)
    # limits (hostile input)
    max_phrase_length: int = attrs.field(default=1000, validator=_between(1, 10**9, integer=True))
    max_text_length: int = attrs.field(
        default=2_000_000, validator=_between(1, 10**10, integer=True)
    )
    max_figure: int = attrs.field(default=10_000_000, validator=_between(1, 10**15, integer=True))
    # SPEC §4: places
    min_place_score: float = attrs.field(default=85.0, validator=_between(0, 100))
    ambiguity_margin: float = attrs.field(default=5.0, validator=_between(0, 100))
    population_ratio: float = attrs.field(default=5.0, validator=_between(1, 1e12))
    # SPEC §5: incidents
    incident_window: dt.timedelta = attrs.field(
        default=dt.timedelta(days=1), converter=_incident_window
    )
    # SPEC §6: reconciliation
    same_time: dt.timedelta = attrs.field(default=dt.timedelta(hours=1), converter=_same_time)
    contested_best: Literal["lowest", "median", "latest"] = attrs.field(
        default="lowest", validator=_one_of("lowest", "median", "latest")
    )


#: The policy used when none is given.
DEFAULT_POLICY: Final = Policy()
