"""casualtyrec.io: formats by extension, round trips, and the documented CSV/JSONL dtype rules."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from casualtyrec._types import STRING, STRING_LIST, TIMELINE_COLUMNS, UTC_US
from casualtyrec.errors import SchemaError
from casualtyrec.io import (
    format_of,
    load_sample,
    read_claims,
    read_timeline,
    write_frame,
    write_timeline,
)
from tests._result_fixture import expected_timeline, sample_result
from tests._support import DATA

FORMATS = {"csv": "timeline.csv", "parquet": "timeline.parquet", "jsonl": "timeline.jsonl"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_timeline_round_trip_keeps_dtypes_and_values(tmp_path, fmt):
    timeline = expected_timeline()
    path = tmp_path / FORMATS[fmt]
    write_timeline(timeline, path)
    back = read_timeline(path)
    pd.testing.assert_frame_equal(back, timeline)
    assert tuple(back.columns) == TIMELINE_COLUMNS


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_round_trip_through_buffers_with_format(fmt):
    timeline = expected_timeline()
    buffer = io.BytesIO()
    write_timeline(sample_result(), buffer, format=fmt)  # a Reconciliation is accepted
    buffer.seek(0)
    pd.testing.assert_frame_equal(read_timeline(buffer, format=fmt), timeline)


def test_compressed_csv_round_trip(tmp_path):
    path = tmp_path / "timeline.csv.gz"
    write_timeline(expected_timeline(), path)
    assert path.read_bytes()[:2] == b"\x1f\x8b"  # gzip magic
    pd.testing.assert_frame_equal(read_timeline(path), expected_timeline())


def test_csv_text_is_iso_utc_with_joined_claim_ids():
    out = io.StringIO()
    write_timeline(expected_timeline().iloc[[5]], out, format="csv")
    header, row = out.getvalue().splitlines()
    assert header == ",".join(TIMELINE_COLUMNS)
    assert ",2023-12-30T22:10:00Z," in row
    assert ",s04;s10," in row
    assert row.endswith(",")  # note is NA: an empty cell


def test_jsonl_text_has_arrays_and_nulls():
    out = io.StringIO()
    write_timeline(expected_timeline().iloc[[4]], out, format="jsonl")
    record = json.loads(out.getvalue())
    assert record["claim_ids"] == ["s04"]
    assert record["high"] is None
    assert record["note"] is None
    assert record["as_of"] == "2023-12-30T16:15:00Z"


def test_fractional_seconds_survive_csv():
    frame = pd.DataFrame(
        {"as_of": pd.Series(pd.to_datetime(["2024-01-02T09:00:00.250Z"]), dtype=UTC_US)}
    )
    out = io.StringIO()
    write_frame(frame, out, format="csv")
    assert "2024-01-02T09:00:00.250000Z" in out.getvalue()
    back = read_claims(io.StringIO(out.getvalue()), format="csv")
    pd.testing.assert_frame_equal(back, frame)


def test_read_claims_csv_dtypes():
    text = (
        "claim_id,source,reported_at,place,category,low,best,high,figure,extra\n"
        "c1,governor,2023-12-30T21:05:00+03:00,Belgorod,people.killed,18,18,,,x\n"
        "c2,agency,2023-12-30T18:40:00Z,Belgorod,people.killed,14,14,,,\n"
    )
    claims = read_claims(io.StringIO(text), format="csv")
    assert claims["reported_at"].dtype == UTC_US
    assert claims.loc[0, "reported_at"] == pd.Timestamp("2023-12-30T18:05:00Z")
    for column in ("low", "best", "high"):
        assert claims[column].dtype == "Int64"
    assert claims["high"].isna().all()
    for column in ("claim_id", "source", "place", "category", "figure", "extra"):
        assert claims[column].dtype == STRING, column
    assert claims.loc[1, "extra"] is pd.NA


def test_naive_or_mixed_times_stay_text_for_reconcile_to_judge():
    naive = "source,reported_at\na,2023-12-30T21:05:00\nb,2023-12-30T22:05:00\n"
    mixed = "source,reported_at\na,2023-12-30T21:05:00\nb,2023-12-30T22:05:00+02:00\n"
    for text in (naive, mixed):
        claims = read_claims(io.StringIO(text), format="csv")
        assert claims["reported_at"].dtype == STRING
    dates = read_claims(io.StringIO("event_date\n2023-12-30\n"), format="csv")
    assert dates["event_date"].dtype == STRING  # a date, not a '-30' offset


def test_bad_numbers_stay_text_so_rows_can_be_rejected():
    claims = read_claims(io.StringIO("low,best\n3,3\nthree,2.5\n"), format="csv")
    assert claims["low"].dtype == STRING
    assert claims["best"].dtype == STRING  # 2.5 is not a count
    assert claims.loc[1, "low"] == "three"


def test_read_claims_jsonl_restores_types():
    text = (
        '{"source":"a","reported_at":"2023-12-30T18:40:00Z","low":14,"high":null,'
        '"claim_ids":["s1","s2"],"cumulative":false}\n'
        '{"source":"b","reported_at":"2023-12-30T19:40:00+01:00","low":15,"high":20,'
        '"claim_ids":null,"cumulative":true}\n'
    )
    claims = read_claims(io.StringIO(text), format="jsonl")
    assert claims["source"].dtype == STRING
    assert claims["reported_at"].dtype == UTC_US
    assert claims["low"].tolist() == [14, 15]
    assert claims["high"].dtype == "Int64"
    assert claims["claim_ids"].dtype == STRING_LIST
    assert claims.loc[0, "claim_ids"] == ["s1", "s2"]
    assert claims["cumulative"].dtype == "boolean"


def test_load_sample_survives_parquet(tmp_path):
    sample = load_sample()
    write_frame(sample, tmp_path / "claims.parquet")
    pd.testing.assert_frame_equal(read_claims(tmp_path / "claims.parquet"), sample)


def test_semicolon_in_claim_id_cannot_be_written_to_csv():
    timeline = expected_timeline().head(1)
    timeline["claim_ids"] = pd.Series([["a;b"]], dtype=STRING_LIST)
    with pytest.raises(SchemaError, match=r"column 'claim_ids': value 'a;b' contains ';'"):
        write_timeline(timeline, io.StringIO(), format="csv")
    buffer = io.BytesIO()
    write_timeline(timeline, buffer, format="parquet")  # Parquet keeps lists as lists
    buffer.seek(0)
    assert read_timeline(buffer, format="parquet").loc[0, "claim_ids"] == ["a;b"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.csv", "csv"),
        ("A.CSV", "csv"),
        ("dir.v2/a.parquet", "parquet"),
        ("a.pq", "parquet"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson.gz", "jsonl"),
        ("a.csv.bz2", "csv"),
    ],
)
def test_format_of_extension(name, expected):
    assert format_of(name) == expected


@pytest.mark.parametrize("name", ["a.txt", "a", "-", "a.gz"])
def test_format_of_unknown_raises_naming_it(name):
    with pytest.raises(SchemaError, match="cannot tell the format"):
        format_of(name)
    assert format_of(name, format="jsonl") == "jsonl"


def test_unknown_format_name_raises():
    with pytest.raises(SchemaError, match="unknown format 'xlsx'"):
        format_of("a.csv", format="xlsx")  # type: ignore[arg-type]


def test_read_timeline_names_missing_columns():
    with pytest.raises(SchemaError, match="missing required columns 'place_id'") as info:
        read_timeline(io.StringIO("incident,as_of\nx,2024-01-01T00:00:00Z\n"), format="csv")
    assert "found columns: 'incident', 'as_of'" in str(info.value)


def test_write_timeline_requires_timeline_columns():
    with pytest.raises(SchemaError, match="missing required"):
        write_timeline(pd.DataFrame({"incident": ["x"]}), io.StringIO(), format="csv")


def test_garbage_parquet_is_a_schema_error():
    with pytest.raises(SchemaError, match="not readable as Parquet"):
        read_claims(io.BytesIO(b"not parquet at all"), format="parquet")


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_claims(tmp_path / "absent.csv")


def test_sample_claims_file_reads_like_load_sample():
    claims = read_claims(DATA / "sample_claims.csv")
    sample = load_sample()
    assert claims["reported_at"].equals(sample["reported_at"])
    assert claims["figure"].equals(sample["figure"])


ids = st.text(alphabet=st.characters(blacklist_characters=";\r\n", codec="utf-8"), min_size=1)


@given(
    lists=st.lists(st.one_of(st.none(), st.lists(ids.map(str.strip).filter(bool), min_size=1))),
    fmt=st.sampled_from(["csv", "jsonl", "parquet"]),
)
@example(lists=[["s1", "s2"], None], fmt="csv")
def test_claim_id_lists_round_trip(lists, fmt):
    frame = pd.DataFrame({"claim_ids": pd.Series(lists, dtype=STRING_LIST)})
    buffer = io.BytesIO()
    write_frame(frame, buffer, format=fmt)
    buffer.seek(0)
    back = read_claims(buffer, format=fmt)
    if frame.empty:
        assert back.empty
        return
    pd.testing.assert_series_equal(back["claim_ids"], frame["claim_ids"])
