"""reconcile(): the sample timeline, SPEC §6 rules, properties, the oracle and round trips."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import attrs
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casualtyrec as cr
from casualtyrec import _timeline
from casualtyrec._timeline import timeline_rows
from casualtyrec._types import STRING, STRING_LIST, TIMELINE_COLUMNS, TIMELINE_STATUSES, UTC_US
from casualtyrec.io import read_timeline
from casualtyrec.policy import DEFAULT_POLICY, Policy
from casualtyrec.reconcile import _reconcile
from casualtyrec.testing import assert_timeline_equal
from tests._support import DATA
from tests.strategies import BASE, claim_frames, engine_frames, simple_resolver

_LOOP_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "_loop_reconcile.py"
_spec = importlib.util.spec_from_file_location("_loop_reconcile", _LOOP_PATH)
assert _spec is not None
assert _spec.loader is not None
_loop = importlib.util.module_from_spec(_spec)
sys.modules["_loop_reconcile"] = _loop
_spec.loader.exec_module(_loop)
loop_timeline = _loop.loop_timeline


def run(claims: pd.DataFrame, **kwargs) -> cr.Reconciliation:
    """reconcile() with the small resolver of tests.strategies (no gazetteer needed)."""
    policy = kwargs.pop("policy", DEFAULT_POLICY)
    return _reconcile(
        claims, policy=policy, assume_tz=kwargs.pop("assume_tz", None), resolve=simple_resolver
    )


@pytest.fixture(scope="module")
def sample() -> cr.Reconciliation:
    return cr.reconcile(cr.load_sample())


# --- acceptance 1: the bundled sample ---------------------------------------------------------


def test_sample_reproduces_expected_csv_row_for_row(sample):
    expected = pd.read_csv(DATA / "sample_expected.csv", keep_default_na=False, dtype=str)
    got = sample.timeline
    assert len(got) == len(expected)
    # incidents are matched by (place_id, first event date), not by the id's spelling
    first_date = sample.incidents.set_index("incident")["event_date"].dt.strftime("%Y-%m-%d")
    got_key = list(zip(got["place_id"].astype(str), got["incident"].map(first_date), strict=True))
    want_key = list(zip(expected["place_id"], expected["event_date"], strict=True))
    assert got_key == want_key
    assert got["category"].astype(str).tolist() == expected["category"].tolist()
    assert got["subgroup"].astype(str).tolist() == expected["subgroup"].tolist()
    as_of = got["as_of"].dt.strftime("%Y-%m-%dT%H:%M:%SZ").tolist()
    assert as_of == expected["as_of"].tolist()
    for column in ("low", "best", "high", "n_sources"):
        values = ["" if pd.isna(v) else str(v) for v in got[column]]
        assert values == expected[column].tolist(), column
    assert got["status"].astype(str).tolist() == expected["status"].tolist()
    assert got["sources"].tolist() == expected["sources"].tolist()
    assert [";".join(ids) for ids in got["claim_ids"]] == expected["claim_ids"].tolist()
    assert got["place"].tolist() == expected["place"].tolist()
    for note, want in zip(got["note"], expected["note"], strict=True):
        assert (note is pd.NA) == (want == "")


def test_sample_notes_name_sources_and_figures(sample):
    t = sample.timeline
    contested = t[t["status"] == "contested"]
    assert len(contested) == 1
    note = contested["note"].iloc[0]
    assert "Ukrainian State Emergency Service" in note
    assert "Ukrainian Interior Ministry" in note
    assert note.index("low side") < note.index("Emergency") < note.index("high side")
    lowered = t[t["note"].fillna("").str.contains("lowered")]
    assert lowered["note"].tolist() == [
        "Belgorod governor Gladkov lowered its figure from 110 to 109",
        "Ukrainian Interior Ministry lowered its figure from 161 to 160",
    ]


def test_sample_incidents_keep_places_apart(sample):
    t = sample.timeline
    injured = t[(t["category"] == "people.injured") & (t["subgroup"] == "all")]
    by_place = injured.groupby("place", observed=True)["best"].max()
    assert by_place["Belgorod"] == 110
    assert by_place["Kharkiv"] == 28
    assert set(injured.loc[injured["place"] == "Kharkiv", "status"]) <= {
        "single_source",
        "consistent",
        "revised",
    }
    claims = sample.claims.set_index("claim_id")
    assert claims.loc["s17", "incident"] == claims.loc["s02", "incident"]  # "Blegorod"
    assert claims.loc["s20", "incident"] == claims.loc["s02", "incident"]  # "Белгород"
    assert claims.loc["s05", "incident"] == claims.loc["s02", "incident"]  # region joins
    assert claims.loc["s21", "incident"] != claims.loc["s02", "incident"]


def test_sample_drones_never_counted_as_people(sample):
    t = sample.timeline
    drones = t[t["category"].astype(str).str.startswith("drones.")]
    assert sorted(drones["best"].tolist()) == [21, 49]
    for ids in t.loc[t["category"].astype(str).str.startswith("people."), "claim_ids"]:
        assert not {"s28", "s29"} & set(ids)


def test_timeline_columns_order_and_dtypes(sample):
    t = sample.timeline
    assert tuple(t.columns) == TIMELINE_COLUMNS
    assert t["incident"].dtype == STRING
    assert t["as_of"].dtype == UTC_US
    assert t["claim_ids"].dtype == STRING_LIST
    assert list(t["status"].cat.categories) == list(TIMELINE_STATUSES)
    for column in ("category", "subgroup"):
        categories = list(t[column].cat.categories)
        assert categories == sorted(categories)
    for column in ("place_id", "low", "best", "high", "n_sources"):
        assert t[column].dtype == "Int64"
    for column in ("place", "country", "sources", "note"):
        assert t[column].dtype == STRING
    keys = ["incident", "category", "subgroup", "as_of"]
    resorted = t.sort_values(keys, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(resorted, t.reset_index(drop=True))


def test_reconciliation_is_frozen(sample):
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        sample.policy = Policy()  # type: ignore[misc]
    assert sample.policy is DEFAULT_POLICY
    assert "36 claims" in repr(sample)


# --- acceptance 4: parquet round trip -------------------------------------------------------


def test_timeline_parquet_round_trip(sample, tmp_path):
    path = tmp_path / "timeline.parquet"
    sample.timeline.to_parquet(path)
    # plain pandas, no help: every dtype comes back, claim_ids lists included
    pd.testing.assert_frame_equal(pd.read_parquet(path), sample.timeline)
    pd.testing.assert_frame_equal(read_timeline(path), sample.timeline)
    # and through pyarrow directly
    pd.testing.assert_frame_equal(pq.read_table(path).to_pandas(), sample.timeline)


# --- SPEC §6 rules on small tables ------------------------------------------------------------


def frame(*rows: tuple, category: str = "people.killed", **extra: object) -> pd.DataFrame:
    """Claims (source, HH:MM on 2023-12-30 UTC, low, best, high[, cumulative]) at Kharkiv."""
    data = []
    for i, row in enumerate(rows):
        source, hhmm, low, best, high, *rest = row
        data.append(
            {
                "claim_id": f"x{i:02d}",
                "source": source,
                "reported_at": pd.Timestamp(f"2023-12-30T{hhmm}:00Z"),
                "place": "Kharkiv",
                "category": category,
                "low": low,
                "best": best,
                "high": high,
                "cumulative": rest[0] if rest else True,
                **extra,
            }
        )
    return pd.DataFrame(data).astype({"high": "Int64"})


def figures_of(result: cr.Reconciliation) -> list[tuple]:
    t = result.timeline
    return [
        (int(lo), int(b), None if pd.isna(h) else int(h), str(s))
        for lo, b, h, s in zip(t["low"], t["best"], t["high"], t["status"], strict=True)
    ]


def test_spec_section_6_example():
    claims = frame(
        ("media", "10:00", 30, 30, 30),
        ("governor", "18:00", 52, 52, 52),
        ("ministry", "18:05", 45, 45, 45),
        ("ngo", "20:00", 60, 60, None),
    )
    result = run(claims)
    assert figures_of(result) == [
        (30, 30, 30, "single_source"),
        (52, 52, 52, "consistent"),
        (45, 45, 52, "contested"),
        (60, 60, None, "consistent"),
    ]
    assert result.timeline["note"].iloc[2] == "contested: low side ministry; high side governor"


@pytest.mark.parametrize(("how", "best"), [("lowest", 40), ("median", 45), ("latest", 40)])
def test_contested_best_policy(how, best):
    claims = frame(
        ("a", "10:00", 52, 52, 52),
        ("b", "10:05", 45, 45, 45),
        ("c", "10:10", 40, 40, 40),
    )
    result = run(claims, policy=Policy(contested_best=how))
    last = result.timeline.iloc[-1]
    assert last["status"] == "contested"
    assert (last["low"], last["best"], last["high"]) == (40, best, 52)
    # b is below a (low side) and above c (high side): it sits on both
    assert last["note"] == "contested: low side b, c; high side a, b"


def test_increments_add_to_the_running_total():
    claims = frame(
        ("governor", "10:00", 10, 10, 10),
        ("governor", "11:00", 3, 3, 3, False),
        ("governor", "12:00", 2, 2, None, False),
        ("governor", "13:00", 20, 20, 20),
    )
    result = run(claims)
    assert figures_of(result) == [
        (10, 10, 10, "single_source"),
        (13, 13, 13, "revised"),
        (15, 15, None, "revised"),
        (20, 20, 20, "revised"),
    ]
    assert result.timeline["claim_ids"].iloc[2] == ["x00", "x01", "x02"]
    assert result.timeline["claim_ids"].iloc[3] == ["x03"]


def test_lowered_note_and_repeat_is_not_revised():
    claims = frame(
        ("governor", "10:00", 25, 25, 25),
        ("governor", "12:00", 25, 25, 25),
        ("governor", "14:00", 21, 21, 21),
    )
    result = run(claims)
    assert [s for *_, s in figures_of(result)] == ["single_source", "single_source", "revised"]
    assert result.timeline["note"].iloc[2] == "governor lowered its figure from 25 to 21"


def test_stale_high_does_not_cap():
    claims = frame(("a", "10:00", 21, 21, 21), ("b", "18:00", 21, 21, None))
    assert figures_of(run(claims))[-1] == (21, 21, None, "consistent")


def test_subgroup_above_all_is_flagged():
    claims = pd.concat(
        [
            frame(("a", "10:00", 5, 5, 5)),
            frame(("a", "11:00", 7, 7, 7), subgroup="children").assign(claim_id="y"),
        ]
    )
    t = run(claims).timeline
    children = t[t["subgroup"] == "children"].iloc[0]
    assert children["note"] == "subgroup children low 7 exceeds the 'all' high 5"
    assert t[t["subgroup"] == "all"]["note"].isna().all()


def test_same_source_same_time_keeps_the_highest_total():
    claims = frame(("a", "10:00", 20, 20, 20), ("a", "10:00", 18, 18, 18))
    result = run(claims)
    assert figures_of(result) == [(20, 20, 20, "single_source")]
    assert result.timeline["claim_ids"].iloc[0] == ["x00"]


def test_empty_and_all_rejected_inputs_give_empty_typed_timelines():
    empty = pd.DataFrame(columns=["source", "reported_at", "place", "category", "figure"])
    result = run(empty)
    assert len(result.timeline) == 0
    assert tuple(result.timeline.columns) == TIMELINE_COLUMNS
    assert result.timeline["claim_ids"].dtype == STRING_LIST
    bad = frame(("a", "10:00", 5, 4, 6))
    result = run(bad)
    assert len(result.timeline) == 0
    assert result.claims["status"].tolist() == ["rejected"]


def test_many_sources_and_small_chunks_match_the_reference(monkeypatch):
    rng = random.Random(7)  # noqa: S311 - test data
    rows = []
    for i in range(400):
        low = rng.randint(0, 50)
        best = low + rng.randint(0, 3)
        rows.append(
            {
                "incident": f"i{rng.randint(0, 3)}",
                "category": "people.killed",
                "subgroup": "all",
                "source": f"s{rng.randint(0, 20):02d}",  # up to 21 sources: a 32-wide bucket
                "claim_id": f"k{i:04d}",
                "reported_at": BASE + pd.Timedelta(minutes=10 * rng.randint(0, 60)),
                "low": low,
                "best": best,
                "high": rng.choice([None, best, best + 4]),
                "cumulative": rng.random() < 0.8,
            }
        )
    claims = pd.DataFrame(rows).astype({"high": "Int64", "cumulative": "boolean"})
    monkeypatch.setattr(_timeline, "_CHUNK_CELLS", 64)
    compare_with_reference(claims, DEFAULT_POLICY)


# --- acceptance 3: properties -----------------------------------------------------------------


def compare_with_reference(claims: pd.DataFrame, policy: Policy) -> None:
    fast = timeline_rows(claims, policy=policy)
    slow = loop_timeline(claims, policy=policy)
    assert len(fast) == len(slow)
    for column in ("incident", "category", "subgroup", "status", "sources", "note"):
        got = [None if pd.isna(v) else str(v) for v in fast[column]]
        assert got == [None if pd.isna(v) else str(v) for v in slow[column]], column
    assert fast["as_of"].tolist() == slow["as_of"].tolist()
    for column in ("low", "best", "high", "n_sources"):
        got = [None if pd.isna(v) else int(v) for v in fast[column]]
        assert got == [None if v is None or pd.isna(v) else int(v) for v in slow[column]], column
    assert [list(v) for v in fast["claim_ids"]] == [list(v) for v in slow["claim_ids"]]


@given(
    claims=engine_frames(),
    how=st.sampled_from(["lowest", "median", "latest"]),
    same_time=st.sampled_from(["0min", "30min", "1h", "3h"]),
)
@settings(max_examples=150)
def test_vectorized_equals_reference(claims, how, same_time):
    compare_with_reference(claims, Policy(contested_best=how, same_time=same_time))


@given(claims=claim_frames(bad_rows=True))
def test_every_row_is_accounted_for(claims):
    result = run(claims)
    assert len(result.claims) == len(claims)
    assert result.claims.index.equals(claims.index)
    rejected = result.claims["status"] == "rejected"
    assert result.claims.loc[rejected, "reason"].notna().all()
    assert result.claims.loc[~rejected, "reason"].isna().all()
    for reason in result.claims.loc[rejected, "reason"]:
        assert reason.startswith("row ")
        assert ", column '" in reason


@given(claims=claim_frames())
def test_bounds_are_ordered_and_as_of_increases(claims):
    t = run(claims).timeline
    assert (t["low"] <= t["best"]).all()
    assert ((t["best"] <= t["high"]) | t["high"].isna()).all()
    for _, group in t.groupby(["incident", "category", "subgroup"], observed=True):
        assert group["as_of"].is_monotonic_increasing
        assert group["as_of"].is_unique


@given(claims=claim_frames(), seed=st.integers(0, 2**32 - 1))
def test_shuffling_rows_does_not_change_the_result(claims, seed):
    shuffled = claims.sample(frac=1, random_state=seed)
    assert_timeline_equal(run(claims), run(shuffled))


@given(claims=claim_frames(increments=False))
def test_single_source_key_ends_on_its_last_claim(claims):
    result = run(claims)
    accepted = result.claims[result.claims["status"] == "accepted"]
    keys = ["incident", "category", "subgroup"]
    for key, group in accepted.groupby(keys, observed=True):
        if group["source"].nunique() != 1:
            continue
        last_time = group["reported_at"].max()
        last = group[group["reported_at"] == last_time]
        high = last["high"].astype("Float64").fillna(np.inf)
        top = last.assign(_h=high).sort_values(["low", "best", "_h", "claim_id"]).iloc[-1]
        t = result.timeline
        rows = t[(t["incident"] == key[0]) & (t["category"] == key[1]) & (t["subgroup"] == key[2])]
        final = rows.iloc[-1]
        assert (final["low"], final["best"]) == (top["low"], top["best"])
        assert pd.isna(final["high"]) == pd.isna(top["high"])
        if not pd.isna(top["high"]):
            assert final["high"] == top["high"]
        assert final["as_of"] == last_time


@given(claims=claim_frames(), pick=st.integers(0, 10**6))
def test_adding_an_identical_claim_changes_no_figure(claims, pick):
    if claims.empty:
        return
    row = claims.iloc[[pick % len(claims)]].assign(claim_id="zz-copy")
    before = run(claims).timeline.drop(columns="claim_ids")
    after = run(pd.concat([claims, row], ignore_index=True)).timeline.drop(columns="claim_ids")
    pd.testing.assert_frame_equal(before, after)


@given(claims=claim_frames())
def test_categories_never_affect_each_other(claims):
    whole = run(claims).timeline
    for category in claims["category"].unique():
        alone = run(claims[claims["category"] == category]).timeline
        part = whole[whole["category"] == category].reset_index(drop=True)
        columns = [c for c in TIMELINE_COLUMNS if c != "category"]
        part = part[columns].astype({"subgroup": STRING})
        alone = alone[columns].astype({"subgroup": STRING}).reset_index(drop=True)
        pd.testing.assert_frame_equal(part, alone)
