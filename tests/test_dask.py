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
