"""A `Reconciliation` built from the hand-checked expected timeline, independent of reconcile().

The plot, output and CLI-rendering tests use it so that they test their own code, not the
reconciliation. `sample_expected.csv` and `sample_claims.csv` are the shared dev data
(SPEC §9); the figures below are the SPEC §2 intervals of the sample's phrases.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from casualtyrec._types import STRING, TIMELINE_COLUMNS, TIMELINE_STATUSES, labels
from casualtyrec.policy import DEFAULT_POLICY
from casualtyrec.reconcile import Reconciliation
from tests._support import DATA

#: claim_id -> (low, best, high) per SPEC §2 for the phrases of sample_claims.csv.
SAMPLE_FIGURES: dict[str, tuple[int, int, int | None]] = {
    "s01": (2, 2, 2),  # two children
    "s02": (14, 14, None),  # at least 14
    "s03": (15, 15, 15),
    "s04": (101, 101, None),  # more than 100
    "s05": (2, 2, 2),
    "s06": (2, 2, 2),
    "s07": (18, 18, 18),
    "s08": (21, 21, 21),
    "s09": (3, 3, 3),
    "s10": (110, 110, 110),
    "s11": (17, 17, 17),
    "s12": (30, 30, 30),
    "s13": (24, 24, 24),
    "s14": (4, 4, 4),
    "s15": (109, 109, 109),
    "s16": (37, 37, 37),
    "s17": (24, 24, None),  # at least 24
    "s18": (25, 25, 25),
    "s19": (5, 5, 5),
    "s20": (25, 25, 25),
    "s21": (8, 8, None),  # at least 8
    "s22": (21, 21, 21),
    "s23": (2, 2, 2),
    "s24": (21, 21, None),  # at least 21
    "s25": (28, 28, 28),
    "s26": (2, 2, 2),
    "s27": (1, 1, 1),
    "s28": (49, 49, 49),
    "s29": (21, 21, 21),
    "s30": (122, 122, 122),
    "s31": (87, 87, 87),
    "s32": (30, 30, 30),
    "s33": (161, 161, None),  # more than 160
    "s34": (39, 39, None),  # at least 39
    "s35": (160, 160, 160),
    "s36": (27, 27, 27),
}
COUNTRIES = {"belgorod": "RU", "kharkiv": "UA", "ukraine": "UA"}


def expected_timeline() -> pd.DataFrame:
    """Return sample_expected.csv with the SPEC §7 columns, order and dtypes."""
    raw = pd.read_csv(
        DATA / "sample_expected.csv", dtype=STRING, keep_default_na=False, na_values=[""]
    )
    frame = pd.DataFrame(
        {
            "incident": raw["incident"],
            "place_id": raw["place_id"].astype("Int64"),
            "place": raw["place"],
            "country": raw["incident"].str.split("-").str[0].map(COUNTRIES).astype(STRING),
            "category": raw["category"].astype(
                pd.CategoricalDtype(labels(sorted(set(raw["category"]))))
            ),
            "subgroup": raw["subgroup"].astype(
                pd.CategoricalDtype(labels(sorted(set(raw["subgroup"]))))
            ),
            "as_of": pd.to_datetime(raw["as_of"], utc=True).astype("datetime64[us, UTC]"),
            "low": raw["low"].astype("Int64"),
            "best": raw["best"].astype("Int64"),
            "high": raw["high"].astype("Int64"),
            "status": raw["status"].astype(pd.CategoricalDtype(list(TIMELINE_STATUSES))),
            "n_sources": raw["n_sources"].astype("Int64"),
            "sources": raw["sources"],
            "claim_ids": pd.Series(
                pa.array(raw["claim_ids"].str.split(";").tolist(), type=pa.list_(pa.string())),
                dtype=pd.ArrowDtype(pa.list_(pa.string())),
            ),
            "note": raw["note"],
        }
    )
    assert tuple(frame.columns) == TIMELINE_COLUMNS
    return frame


def sample_claims() -> pd.DataFrame:
    """Return sample_claims.csv as `Reconciliation.claims`: all accepted, with intervals."""
    claims = pd.read_csv(DATA / "sample_claims.csv", dtype=STRING, keep_default_na=False)
    claims["reported_at"] = pd.to_datetime(claims["reported_at"], utc=True).astype(
        "datetime64[us, UTC]"
    )
    figures = pd.DataFrame.from_dict(
        SAMPLE_FIGURES, orient="index", columns=["low", "best", "high"]
    ).astype("Int64")
    claims = claims.join(figures, on="claim_id")
    timeline = expected_timeline()
    owners = (
        timeline[["incident", "claim_ids"]]
        .assign(claim_id=timeline["claim_ids"].tolist())
        .explode("claim_id")
        .drop_duplicates("claim_id")
        .set_index("claim_id")["incident"]
    )
    claims["incident"] = claims["claim_id"].map(owners).astype(STRING)
    claims["category"] = claims["category"].astype("category")
    claims["subgroup"] = claims["subgroup"].astype("category")
    claims["status"] = pd.Categorical(["accepted"] * len(claims), ["accepted", "rejected"])
    claims["reason"] = pd.Series(pd.NA, index=claims.index, dtype=STRING)
    return claims


def sample_result() -> Reconciliation:
    """Return a `Reconciliation` holding the expected sample timeline and its claims."""
    timeline = expected_timeline()
    incidents = (
        timeline.groupby("incident", sort=True)
        .agg(place_id=("place_id", "first"), place=("place", "first"))
        .reset_index()
    )
    return Reconciliation(
        timeline=timeline, claims=sample_claims(), incidents=incidents, policy=DEFAULT_POLICY
    )
