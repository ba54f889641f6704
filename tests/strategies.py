"""Hypothesis strategies for claims tables, and a small place resolver for property tests."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import strategies as st

from casualtyrec._types import PLACE_COLUMNS, STRING

BASE = pd.Timestamp("2023-12-30T12:00:00Z")
SOURCES = ("agency", "governor", "ministry", "outlet")
CATEGORIES = ("people.killed", "people.injured", "drones.launched")
SUBGROUPS = ("all", "children")
#: name -> (place_id, place_name, feature, region_id, country)
PLACES: dict[str, tuple[int, str, str, int | None, str]] = {
    "Belgorod": (578072, "Belgorod", "city", 578071, "RU"),
    "Blegorod": (578072, "Belgorod", "city", 578071, "RU"),
    "Belgorod region": (578071, "Belgorod Oblast", "region", 578071, "RU"),
    "Kharkiv": (706483, "Kharkiv", "city", 706482, "UA"),
    "Ukraine": (690791, "Ukraine", "country", None, "UA"),
}


def simple_resolver(names: pd.Series) -> pd.DataFrame:
    """Resolve the names of :data:`PLACES`; anything else is unresolved (like resolve_places)."""
    rows = []
    for name in names:
        hit = PLACES.get(str(name))
        if hit is None:
            rows.append({"status": "unresolved"})
            continue
        place_id, place_name, feature, region_id, country = hit
        rows.append(
            {
                "place_id": place_id,
                "place_name": place_name,
                "feature": feature,
                "region_id": region_id,
                "country": country,
                "score": 100.0,
                "match": "exact",
                "status": "resolved",
            }
        )
    frame = pd.DataFrame(rows, columns=list(PLACE_COLUMNS))
    return frame.astype(
        {
            "place_id": "Int64",
            "region_id": "Int64",
            "place_name": STRING,
            "country": STRING,
            "admin1": STRING,
            "candidates": STRING,
        }
    )


@st.composite
def figures(draw: st.DrawFn, *, max_value: int = 60) -> tuple[int, int, int | None]:
    """An interval low <= best <= high (high None = unbounded)."""
    low = draw(st.integers(0, max_value))
    best = low + draw(st.integers(0, 5))
    high = draw(st.one_of(st.none(), st.integers(best, best + 10)))
    return low, best, high


@st.composite
def engine_frames(
    draw: st.DrawFn,
    *,
    max_size: int = 40,
    sources: tuple[str, ...] = SOURCES,
    increments: bool = True,
) -> pd.DataFrame:
    """Accepted, grouped claims as the engine sees them (incident already set)."""
    n = draw(st.integers(0, max_size))
    rows = []
    for i in range(n):
        low, best, high = draw(figures())
        rows.append(
            {
                "incident": draw(st.sampled_from(("a-2023-12-30", "b-2023-12-30"))),
                "category": draw(st.sampled_from(CATEGORIES[:2])),
                "subgroup": draw(st.sampled_from(SUBGROUPS)),
                "source": draw(st.sampled_from(sources)),
                "claim_id": f"k{i:03d}",
                "reported_at": BASE + dt.timedelta(minutes=15 * draw(st.integers(0, 24))),
                "low": low,
                "best": best,
                "high": high,
                "cumulative": draw(st.booleans()) if increments else True,
            }
        )
    return _typed(pd.DataFrame(rows, columns=ENGINE_COLUMNS))


ENGINE_COLUMNS = [
    "incident",
    "category",
    "subgroup",
    "source",
    "claim_id",
    "reported_at",
    "low",
    "best",
    "high",
    "cumulative",
]


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.astype(
        {
            "low": "Int64",
            "best": "Int64",
            "high": "Int64",
            "cumulative": "boolean",
        }
    )
    for column in ("incident", "category", "subgroup", "source", "claim_id"):
        if column in out.columns:
            out[column] = out[column].astype(STRING)
    if "reported_at" in out.columns:
        out["reported_at"] = pd.to_datetime(out["reported_at"], utc=True).astype(
            "datetime64[us, UTC]"
        )
    return out


@st.composite
def claim_frames(
    draw: st.DrawFn,
    *,
    max_size: int = 30,
    increments: bool = True,
    bad_rows: bool = False,
    duplicate_ids: bool = False,
) -> pd.DataFrame:
    """Raw claims tables (SPEC §3) with low/best/high, places from :data:`PLACES`.

    Event dates are two days apart, so incident windows never overlap and removing claims
    of one category never regroups another. With `bad_rows`, some rows are broken. With
    `duplicate_ids`, ids may repeat anywhere in the table: a few shared ids (also padded
    with blanks), missing ids (generated as ``c<row>``) and ``c<k>`` ids that collide with
    generated ones.
    """
    n = draw(st.integers(0, max_size))
    rows = []
    for i in range(n):
        low, best, high = draw(figures())
        claim_id: str | None = f"c{i:03d}"
        if duplicate_ids and draw(st.booleans()):
            claim_id = draw(
                st.one_of(
                    st.sampled_from(("x", "y", " x ", None)),
                    st.integers(0, max(n - 1, 0)).map(lambda k: f"c{k}"),
                )
            )
        row: dict[str, object] = {
            "claim_id": claim_id,
            "source": draw(st.sampled_from(SOURCES)),
            "reported_at": BASE + dt.timedelta(minutes=15 * draw(st.integers(0, 24))),
            "place": draw(st.sampled_from(("Belgorod", "Blegorod", "Kharkiv", "Hroza"))),
            "category": draw(st.sampled_from(CATEGORIES)),
            "subgroup": draw(st.sampled_from(SUBGROUPS)),
            "low": low,
            "best": best,
            "high": high,
            "event_date": draw(st.sampled_from(("2023-12-30", "2024-01-01"))),
            "cumulative": draw(st.booleans()) if increments else True,
        }
        if bad_rows and draw(st.integers(0, 5)) == 0:
            column, value = draw(
                st.sampled_from(
                    (
                        ("category", "people.kiled"),
                        ("source", None),
                        ("place", ""),
                        ("reported_at", "not a time"),
                        ("low", best + 1),
                        ("best", -3),
                    )
                )
            )
            row[column] = value
        rows.append(row)
    columns = [
        "claim_id",
        "source",
        "reported_at",
        "place",
        "category",
        "subgroup",
        "low",
        "best",
        "high",
        "event_date",
        "cumulative",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    if not bad_rows:
        frame = _typed(frame)
    return frame
