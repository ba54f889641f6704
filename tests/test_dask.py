"""reconcile() on Dask DataFrames equals reconcile() on pandas (issue #9)."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

dd = pytest.importorskip("dask.dataframe")  # the optional ``dask`` extra
dask = pytest.importorskip("dask")

import casualtyrec as cr  # noqa: E402
from casualtyrec._dask import _divisions, is_dask_frame  # noqa: E402
from casualtyrec.errors import SchemaError  # noqa: E402
from casualtyrec.policy import DEFAULT_POLICY  # noqa: E402
from casualtyrec.reconcile import _reconcile  # noqa: E402
from tests.strategies import claim_frames, simple_resolver  # noqa: E402

PARTITIONS = (1, 3, 7)


@pytest.fixture(autouse=True)
def _synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def run(claims, **kwargs) -> cr.Reconciliation:
    return _reconcile(
        claims,
        policy=kwargs.pop("policy", DEFAULT_POLICY),
        assume_tz=kwargs.pop("assume_tz", None),
        resolve=simple_resolver,
    )


def split(claims: pd.DataFrame, parts: int):
    """A Dask frame of `claims` in `parts` partitions, dtypes as given (no string conversion)."""
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_pandas(claims, npartitions=parts, sort=False)


def assert_same(claims: pd.DataFrame, parts: int, **kwargs) -> None:
    want = run(claims, **kwargs)
    got = run(split(claims, parts), **kwargs)
    timeline = got.timeline.compute()
    pd.testing.assert_frame_equal(
        timeline.reset_index(drop=True), want.timeline.reset_index(drop=True)
    )
    validated = got.claims.compute()
    assert len(validated) == len(claims)
    pd.testing.assert_frame_equal(validated, want.claims)
    pd.testing.assert_frame_equal(got.incidents.compute(), want.incidents)


@pytest.mark.parametrize("parts", PARTITIONS)
@given(claims=claim_frames(max_size=40))
@settings(max_examples=12, deadline=None)
def test_dask_equals_pandas(parts, claims):
    assert_same(claims, parts)


@pytest.mark.parametrize("parts", PARTITIONS)
@given(claims=claim_frames(max_size=30, bad_rows=True), drop_ids=st.booleans())
@settings(max_examples=8, deadline=None)
def test_dask_equals_pandas_with_rejected_rows_and_generated_ids(parts, claims, drop_ids):
    # generated ids (c<n>) and "row <n>" in reasons are global positions, not per partition
    assert_same(claims.drop(columns="claim_id") if drop_ids else claims, parts)


def test_sample_with_the_gazetteer_in_every_partitioning():
    sample = cr.load_sample()
    want = cr.reconcile(sample)
    for parts in PARTITIONS:
        got = cr.reconcile(dd.from_pandas(sample, npartitions=parts, sort=False))
        timeline = got.timeline.compute().reset_index(drop=True)
        pd.testing.assert_frame_equal(timeline, want.timeline.reset_index(drop=True))
        claims = got.claims.compute()
        assert claims["status"].tolist() == want.claims["status"].tolist()
        assert claims["incident"].tolist() == want.claims["incident"].tolist()


def test_an_incident_straddling_partitions_and_its_window_is_not_split():
    # Kharkiv on the 30th and 31st (one incident: the window is a day) in different partitions,
    # and the 1st of January (a new incident), listed first
    claims = pd.DataFrame(
        {
            "source": ["a", "b", "a", "b", "c", "a"],
            "reported_at": pd.to_datetime(
                [
                    "2024-01-01T09:00Z",
                    "2023-12-30T10:00Z",
                    "2023-12-31T11:00Z",
                    "2023-12-31T12:00Z",
                    "2023-12-30T13:00Z",
                    "2024-01-01T14:00Z",
                ],
                utc=True,
            ),
            "place": ["Kharkiv"] * 6,
            "category": ["people.killed"] * 6,
            "figure": ["3", "4", "5", "7", "6", "9"],
        }
    )
    got = run(split(claims, 3))
    timeline = got.timeline.compute()
    assert timeline["incident"].unique().tolist() == ["kharkiv-2023-12-30", "kharkiv-2024-01-01"]
    first = timeline[timeline["incident"] == "kharkiv-2023-12-30"]
    assert first["claim_ids"].map(len).sum() >= 4
    incident = got.claims.compute()["incident"].tolist()
    assert incident == ["kharkiv-2024-01-01", *["kharkiv-2023-12-30"] * 4, "kharkiv-2024-01-01"]
    assert got.timeline.npartitions <= 2
    assert_same(claims, 3)


def test_naive_text_in_one_partition_rejects_rows_when_other_partitions_have_offsets():
    claims = pd.DataFrame(
        {
            "source": ["a"] * 4,
            "reported_at": ["2023-12-30 10:00", "2023-12-30 11:00", "2023-12-30T12:00Z", "x"],
            "place": ["Kharkiv"] * 4,
            "category": ["people.killed"] * 4,
            "figure": ["1", "2", "3", "4"],
        }
    )
    got = run(split(claims, 2)).claims.compute()
    assert got["status"].tolist() == ["rejected", "rejected", "accepted", "rejected"]
    assert got["reason"].iloc[3].startswith("row 3, column 'reported_at': cannot read 'x'")
    assert_same(claims, 2)
    naive = claims.iloc[:2]
    with pytest.raises(SchemaError, match="tz-naive"):
        run(split(naive, 2))
    with pytest.raises(SchemaError, match="tz-naive"):
        run(naive)


def test_missing_columns_raise_before_anything_is_computed():
    claims = pd.DataFrame({"source": ["a"], "place": ["Kharkiv"]})
    with pytest.raises(SchemaError, match="reported_at"):
        run(split(claims, 1))


def test_empty_and_all_rejected_tables():
    empty = pd.DataFrame(columns=["source", "reported_at", "place", "category", "figure"])
    assert_same(empty, 1)
    bad = pd.DataFrame(
        {
            "source": ["a", "b"],
            "reported_at": ["2023-12-30T10:00Z", "2023-12-30T11:00Z"],
            "place": ["Kharkiv", "Kharkiv"],
            "category": ["people.kiled", "people.killed"],
            "figure": ["3", "casualties reported"],
        }
    )
    assert_same(bad, 2)
    assert len(run(split(bad, 2)).timeline.compute()) == 0


def test_divisions_keep_whole_incidents_and_balance_claims():
    assert _divisions(pd.Series([5, 1, 1, 1, 5, 1]).to_numpy(), 3) == [0, 1, 4, 6]
    assert _divisions(pd.Series([3]).to_numpy(), 7) == [0, 1]


def test_dask_frames_are_detected_and_pandas_ones_are_not():
    frame = pd.DataFrame({"a": [1]})
    assert not is_dask_frame(frame)
    assert is_dask_frame(dd.from_pandas(frame, npartitions=1))
    assert not is_dask_frame(dd.from_pandas(frame, npartitions=1)["a"])


def test_import_casualtyrec_does_not_import_dask():
    code = (
        "import sys, casualtyrec as cr; cr.reconcile(cr.load_sample()); "
        "print('dask' in sys.modules)"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


# --- duplicate claim ids across partitions (the pandas path checks the whole table) --------


@pytest.mark.parametrize("parts", PARTITIONS)
@given(claims=claim_frames(max_size=30, duplicate_ids=True))
@settings(max_examples=8, deadline=None)
def test_dask_equals_pandas_with_duplicate_ids(parts, claims):
    assert_same(claims, parts)


@pytest.mark.parametrize("parts", PARTITIONS)
@given(claims=claim_frames(max_size=24, duplicate_ids=True, bad_rows=True))
@settings(max_examples=5, deadline=None)
def test_dask_equals_pandas_with_duplicate_ids_and_broken_rows(parts, claims):
    assert_same(claims, parts)


DUPLICATES = pd.DataFrame(
    {
        # 'a' three times (once padded), 'b' twice, a missing id (generated c2) that the
        # user id 'c2' repeats later, a user 'c7' that the generated id of row 8 repeats
        "claim_id": ["a", "b", None, "a", "c2", "b", " a ", "c7", None, "c2"],
        "source": [None, *"bcdabcdab"],
        "reported_at": [f"2023-12-30T1{i}:00Z" for i in range(10)],
        "place": ["Kharkiv"] * 10,
        "category": ["people.killed"] * 10,
        "figure": [str(i) for i in range(10)],
    }
)


def _duplicate(row: int, claim_id: str, first: int) -> str:
    return (
        f"row {row}, column 'claim_id': duplicate id {claim_id!r}, first at row {first} "
        "(expected one row per claim_id: rename or drop one of them)"
    )


@pytest.mark.parametrize("parts", PARTITIONS)
def test_duplicate_ids_across_partitions_keep_the_first_row_of_the_whole_table(parts):
    got = run(split(DUPLICATES, parts))
    claims = got.claims.compute()
    assert claims["claim_id"].tolist() == ["a", "b", "c2", "a", "c2", "b", "a", "c7", "c8", "c2"]
    assert claims["status"].tolist() == [
        "rejected",  # no source; still the first row of 'a'
        "accepted",
        "accepted",
        *["rejected"] * 4,
        "accepted",
        "accepted",  # generated c8: no collision
        "rejected",
    ]
    reasons = claims["reason"]
    assert reasons.iloc[0] == (
        "row 0, column 'source': missing value (expected the name of who made the claim)"
    )
    assert reasons.iloc[3] == _duplicate(3, "a", 0)
    assert reasons.iloc[4] == _duplicate(4, "c2", 2)
    assert reasons.iloc[5] == _duplicate(5, "b", 1)
    assert reasons.iloc[6] == _duplicate(6, "a", 0)
    assert reasons.iloc[9] == _duplicate(9, "c2", 2)
    assert_same(DUPLICATES, parts)


@pytest.mark.parametrize("parts", PARTITIONS)
def test_a_generated_id_repeating_an_earlier_user_id_is_rejected_in_every_partitioning(parts):
    claims = DUPLICATES.assign(claim_id=["c3", "q", "r", None, *"stuvwx"])  # row 3 becomes c3
    got = run(split(claims, parts)).claims.compute()
    assert got.loc[3, "reason"] == _duplicate(3, "c3", 0)
    assert (got["status"] == "rejected").sum() == 2  # row 0 (no source) and row 3
    assert_same(claims, parts)


def test_without_a_claim_id_column_no_duplicate_pass_runs():
    claims = DUPLICATES.drop(columns="claim_id")
    got = run(split(claims, 3)).claims.compute()
    assert got["claim_id"].tolist() == [f"c{i}" for i in range(10)]
    assert_same(claims, 3)


# --- displays and compute() of a result of Dask frames ----------------------------------


def _never(_part: pd.DataFrame) -> pd.DataFrame:
    msg = "the display computed a partition"
    raise AssertionError(msg)


def test_repr_and_html_of_a_dask_result_compute_nothing():
    result = cr.reconcile(dd.from_pandas(cr.load_sample(), npartitions=3, sort=False))
    lazy = cr.Reconciliation(
        timeline=result.timeline.map_partitions(_never, meta=result.timeline._meta),
        claims=result.claims.map_partitions(_never, meta=result.claims._meta),
        incidents=result.incidents,
        policy=result.policy,
    )
    text = repr(lazy)
    assert text == (
        f"<Reconciliation (dask): {result.timeline.npartitions} timeline partitions, "
        "3 claims partitions, 4 incidents; call .compute() for the pandas result>"
    )
    page = lazy._repr_html_()
    assert page.startswith('<div class="casualtyrec-reconciliation">')
    assert "3 claims partitions, 4 incidents" in page
    assert "<code>.compute()</code>" in page


@pytest.mark.parametrize("parts", PARTITIONS)
def test_compute_gives_the_pandas_result_exactly(parts):
    claims = pd.concat([cr.load_sample(), cr.load_sample().iloc[:5]], ignore_index=True)
    want = cr.reconcile(claims)
    got = cr.reconcile(dd.from_pandas(claims, npartitions=parts, sort=False))
    computed = got.compute()
    assert isinstance(computed.timeline, pd.DataFrame)
    pd.testing.assert_frame_equal(computed.timeline, want.timeline)  # RangeIndex, like pandas
    pd.testing.assert_frame_equal(computed.claims, want.claims)
    pd.testing.assert_frame_equal(computed.incidents, want.incidents)
    assert (computed.claims["status"] == "rejected").sum() == 5  # the repeated ids
    assert computed.policy is got.policy
    assert repr(computed) == repr(want)
    assert computed._repr_html_() == want._repr_html_()
    assert computed.compute() is computed
    pd.testing.assert_frame_equal(got.summary(), want.summary())
