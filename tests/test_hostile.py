"""Hostile and broken input (#8): a table of broken claim rows, figure limits, extract.

Every broken row must come back rejected with a reason that names its row, column, value
and what was expected; the accepted rows (the bundled sample) must reconcile to the same
timeline with or without the broken rows around them; no row is lost or merged.
"""

from __future__ import annotations

import math

import attrs
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import casualtyrec as cr
from casualtyrec.claims import EARLIEST, LATEST
from casualtyrec.errors import FigureParseError, SchemaError
from casualtyrec.figures import find_figures
from casualtyrec.testing import assert_timeline_equal as _assert_equal

TEN_MB = 10_000_000
MOJIBAKE_KYIV = "Київ".encode().decode("cp1252")
MOJIBAKE_KHARKIV = "Харків".encode().decode("cp1252")

#: A valid claim; each broken row changes one cell of it.
TEMPLATE: dict[str, object] = {
    "source": "regional police",
    "reported_at": "2023-12-31T10:00:00+03:00",
    "place": "Kharkiv",
    "category": "people.killed",
    "subgroup": "all",
    "figure": "12",
    "event_date": "2023-12-31",
    "low": None,
    "best": None,
    "high": None,
    "cumulative": None,
}
#: (label, cells changed, column named in the reason, value as quoted, expectation words).
BROKEN: list[tuple[str, dict[str, object], str, str, str]] = [
    ("duplicate id", {"claim_id": "s01"}, "claim_id", "'s01'", "first at row 0"),
    ("duplicate id, padded", {"claim_id": "  s02 "}, "claim_id", "'s02'", "first at row 1"),
    ("source None", {"source": None}, "source", "missing value", "expected the name"),
    ("source NaN", {"source": math.nan}, "source", "missing value", "expected the name"),
    ("source blank", {"source": "   "}, "source", "missing value", "expected the name"),
    ("source bytes", {"source": b"agency"}, "source", "b'agency'", "expected text"),
    ("source surrogate", {"source": "age\ud800ncy"}, "source", "'age\\ud800ncy'", "Unicode"),
    ("source NUL", {"source": "agen\x00cy"}, "source", "'agen\\x00cy'", "without NUL"),
    ("source mojibake", {"source": MOJIBAKE_KYIV}, "source", "Ð", "'Київ'"),
    ("source list", {"source": ["a", "b"]}, "source", "['a', 'b']", "one value per cell"),
    ("time None", {"reported_at": None}, "reported_at", "missing value", "ISO 8601"),
    ("time NaN", {"reported_at": math.nan}, "reported_at", "missing value", "ISO 8601"),
    ("time words", {"reported_at": "yesterday"}, "reported_at", "'yesterday'", "ISO 8601"),
    ("year 1900", {"reported_at": "1900-01-01T00:00Z"}, "reported_at", "1900", "from 1945"),
    ("year 3000", {"reported_at": "3000-01-01T00:00Z"}, "reported_at", "3000", "before 2100"),
    ("naive time", {"reported_at": "2023-12-31 10:00"}, "reported_at", "10:00", "offset"),
    ("Excel serial", {"reported_at": 45291}, "reported_at", "'45291'", "Excel serial"),
    ("Excel float", {"reported_at": 45291.5}, "reported_at", "'45291.5'", "Excel serial"),
    (
        "naive Timestamp",
        {"reported_at": pd.Timestamp("2023-12-31 10:00")},
        "reported_at",
        "2023-12-31 10:00",
        "offset",
    ),
    (
        "zone name",
        {"reported_at": "2023-12-31T10:00 Europe/Kyiv"},
        "reported_at",
        "Europe/Kyiv",
        "ISO 8601",
    ),
    ("year as time", {"reported_at": "2023"}, "reported_at", "'2023'", "a number, not a time"),
    ("place None", {"place": None}, "place", "missing value", "place name"),
    ("place blank", {"place": ""}, "place", "missing value", "place name"),
    ("place bytes", {"place": b"Kharkiv"}, "place", "b'Kharkiv'", "decode"),
    ("place 10 MB", {"place": "K" * TEN_MB}, "place", "'KKKK", "Policy.max_phrase_length"),
    ("place mojibake", {"place": MOJIBAKE_KHARKIV}, "place", "Ð", "encoding='utf-8'"),
    ("category None", {"category": None}, "category", "missing value", "people.killed"),
    ("category typo", {"category": "people.kiled"}, "category", "'people.kiled'", "expected"),
    ("category bytes", {"category": b"people.killed"}, "category", "b'people", "expected text"),
    ("figure None", {"figure": None}, "figure", "missing value", "at least 21"),
    ("figure NaN", {"figure": math.nan}, "figure", "missing value", "at least 21"),
    ("figure words", {"figure": "casualties reported"}, "figure", "'casualties", "no number"),
    ("figure negative", {"figure": "-5"}, "figure", "'-5'", "a count is 0 or more"),
    ("figure decimal", {"figure": "2.5"}, "figure", "'2.5'", "not a whole number"),
    ("figure power", {"figure": "10^20"}, "figure", "'10^20'", "not a whole count"),
    ("figure 1e9", {"figure": "1e9"}, "figure", "'1e9'", "not a whole count"),
    ("figure too big", {"figure": "20000000"}, "figure", "'20000000'", "Policy.max_figure"),
    ("figure 10^12", {"figure": "1,000,000,000,000"}, "figure", "'1,000", "Policy.max_figure"),
    ("figure 10 MB", {"figure": "1" * TEN_MB}, "figure", "'1111", "Policy.max_phrase_length"),
    ("figure surrogate", {"figure": "1\udcff2"}, "figure", "'1\\udcff2'", "Unicode"),
    ("figure bytes", {"figure": b"12"}, "figure", "b'12'", "expected text"),
    ("low negative", {"low": -5, "best": -5, "high": -5}, "low", "-5", "from 0 to"),
    ("low fraction", {"low": 2.5, "best": 3, "high": 3}, "low", "2.5", "whole number"),
    ("best huge", {"low": 1, "best": 1e20, "high": None}, "best", "1e+20", "10000000"),
    ("bounds reversed", {"low": 5, "best": 3, "high": 4}, "low", "low 5, best 3", "low <= best"),
    ("low words", {"low": "abc", "best": 3, "high": 3}, "low", "'abc'", "whole number"),
    ("low infinite", {"low": math.inf, "best": 3, "high": 3}, "low", "inf", "whole number"),
    ("low NaN", {"low": math.nan, "best": 3, "high": 3}, "low", "missing value", "whole"),
    ("event 1900", {"event_date": "1900-01-01"}, "event_date", "'1900-01-01'", "from 1945"),
    ("event 3000", {"event_date": "3000-01-01"}, "event_date", "'3000-01-01'", "before 2100"),
    ("event serial", {"event_date": 45291}, "event_date", "'45291'", "Excel serial"),
    ("event words", {"event_date": "not a date"}, "event_date", "'not a date'", "ISO 8601"),
    ("cumulative", {"cumulative": "maybe"}, "cumulative", "'maybe'", "true or false"),
    ("text 10 MB", {"text": "a" * TEN_MB}, "text", "'aaaa", "Policy.max_text_length"),
    ("subgroup bytes", {"subgroup": b"children"}, "subgroup", "b'children'", "decode"),
    ("id NUL", {"claim_id": "b\x00"}, "claim_id", "'b\\x00'", "without NUL"),
]


def _used(result: cr.Reconciliation | pd.DataFrame) -> pd.DataFrame:
    """The timeline with unused categories dropped: the timeline's ``category`` dtype also
    lists the categories of rejected rows (values are what the comparison is about)."""
    timeline = result if isinstance(result, pd.DataFrame) else result.timeline
    return timeline.assign(
        **{
            c: timeline[c].cat.remove_unused_categories()
            for c in timeline.columns
            if isinstance(timeline[c].dtype, pd.CategoricalDtype)
        }
    )


def assert_timeline_equal(left: object, right: object) -> None:
    _assert_equal(_used(left), _used(right))  # type: ignore[arg-type]


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sample (good rows) alone, and followed by every broken row (object columns)."""
    good = cr.load_sample()
    rows = [
        {**TEMPLATE, "claim_id": f"b{k}", "text": None, **cells}
        for k, (_, cells, *_) in enumerate(BROKEN)
    ]
    columns = [*good.columns, *(c for c in TEMPLATE if c not in good.columns)]
    both = pd.DataFrame(
        {
            c: [*good[c].astype(object).tolist(), *(r.get(c) for r in rows)]
            if c in good.columns
            else [None] * len(good) + [r.get(c) for r in rows]
            for c in columns
        },
        dtype=object,
    )
    return good, both


@pytest.fixture(scope="module")
def reconciled() -> tuple[cr.Reconciliation, cr.Reconciliation, pd.DataFrame]:
    good, both = _frames()
    return cr.reconcile(good), cr.reconcile(both), both


def test_the_table_is_large_enough():
    assert len(BROKEN) >= 40


@pytest.mark.parametrize(
    ("label", "column", "value", "expected"),
    [(label, column, value, expected) for label, _, column, value, expected in BROKEN],
    ids=[b[0] for b in BROKEN],
)
def test_broken_row_is_rejected_naming_row_column_value_and_expectation(
    reconciled, label, column, value, expected
):
    _, result, both = reconciled
    position = len(cr.load_sample()) + [b[0] for b in BROKEN].index(label)
    row = result.claims.iloc[position]
    assert row["status"] == "rejected", label
    reason = row["reason"]
    assert f"row {position}, column {column!r}: " in reason, reason
    assert value in reason, reason
    assert expected in reason, reason
    assert len(reason) < 2_000, "a reason never copies a huge cell"
    assert both.index[position] == result.claims.index[position]


def test_no_row_is_lost_merged_or_invented(reconciled):
    alone, result, both = reconciled
    assert len(result.claims) == len(both)
    assert result.claims.index.equals(both.index)
    good = len(alone.claims)
    assert (result.claims["status"].iloc[:good] == "accepted").all()
    assert (result.claims["status"].iloc[good:] == "rejected").all()


def test_accepted_rows_reconcile_the_same_with_broken_rows_around(reconciled):
    alone, result, _ = reconciled
    assert_timeline_equal(alone.timeline, result.timeline)
    good = len(alone.claims)
    for column in ("claim_id", "low", "best", "high", "qualifier", "reported_at"):
        left = alone.claims[column].reset_index(drop=True)
        right = result.claims[column].iloc[:good].reset_index(drop=True)
        assert left.astype(object).tolist() == right.astype(object).tolist(), column


def test_duplicate_ids_keep_the_first_row_and_reject_the_later():
    claims = cr.load_sample().iloc[[0, 1, 2]].reset_index(drop=True)
    claims.loc[2, "claim_id"] = claims.loc[0, "claim_id"]
    out = cr.reconcile(claims).claims
    assert out["status"].tolist() == ["accepted", "accepted", "rejected"]
    assert "duplicate id 's01', first at row 0" in out.loc[2, "reason"]


# --- the same rows in other column types: Arrow, categorical, pandas strings ---------------

TEXT_ONLY = [b for b in BROKEN if all(v is None or isinstance(v, str) for v in b[1].values())]
# Arrow holds valid UTF-8 only (no surrogates); keep these tests quick (no 10 MB cells)
TEXT_ONLY = [b for b in TEXT_ONLY if "MB" not in b[0] and "surrogate" not in b[0]]


def _typed(dtype: object) -> tuple[pd.DataFrame, pd.DataFrame]:
    good = cr.load_sample()
    rows = [
        {**TEMPLATE, "claim_id": f"b{k}", **cells} for k, (_, cells, *_) in enumerate(TEXT_ONLY)
    ]
    columns = [*good.columns, *(c for c in TEMPLATE if c not in good.columns)]
    broken = pd.DataFrame(rows, columns=columns, dtype=object).fillna(value=np.nan)
    both = pd.concat([good.astype(object), broken.astype(object)], ignore_index=True)
    texts = [c for c in both.columns if c != "reported_at"]
    return good, both.astype(dict.fromkeys(texts, dtype))


@pytest.mark.parametrize(
    "dtype",
    [
        "category",
        pd.ArrowDtype(pa.string()),
        pd.ArrowDtype(pa.large_string()),
        pd.StringDtype("pyarrow"),
        pd.StringDtype("python"),
        "str",
        object,
    ],
    ids=["category", "arrow-string", "arrow-large-string", "string-pyarrow", "string", "str", "o"],
)
def test_typed_columns_give_the_same_answer(dtype):
    good, both = _typed(dtype)
    result = cr.reconcile(both)
    assert len(result.claims) == len(both)
    assert (result.claims["status"].iloc[len(good) :] == "rejected").all()
    assert (result.claims["status"].iloc[: len(good)] == "accepted").all()
    assert_timeline_equal(cr.reconcile(good).timeline, result.timeline)


def test_arrow_timestamps_and_integers_are_read():
    good = cr.load_sample()
    typed = good.copy()
    typed["reported_at"] = typed["reported_at"].astype(pd.ArrowDtype(pa.timestamp("us", "UTC")))
    typed["claim_id"] = typed["claim_id"].astype("category")
    alone = cr.reconcile(good)
    assert_timeline_equal(alone.timeline, cr.reconcile(typed).timeline)
    numbers = alone.claims[["low", "best", "high"]]
    explicit = good.drop(columns=["figure"]).assign(
        **{c: numbers[c].astype(pd.ArrowDtype(pa.int64())) for c in numbers}
    )
    assert_timeline_equal(alone.timeline, cr.reconcile(explicit).timeline)


def test_mixed_time_zones_are_converted_to_utc():
    good = cr.load_sample()
    mixed = good.copy()
    zones = ["UTC", "Europe/Kyiv", "Asia/Tokyo", "America/New_York"]
    mixed["reported_at"] = [
        stamp.tz_convert(zones[k % len(zones)]).isoformat()
        for k, stamp in enumerate(good["reported_at"])
    ]
    assert_timeline_equal(cr.reconcile(good).timeline, cr.reconcile(mixed).timeline)


def test_optional_columns_missing_values_are_documented_defaults():
    claims = cr.load_sample().iloc[:3].reset_index(drop=True)
    claims["claim_id"] = [None, "x", math.nan]
    claims["subgroup"] = [None, math.nan, "children"]
    claims["event_date"] = [None, math.nan, "2023-12-30"]
    claims["cumulative"] = [None, math.nan, True]
    out = cr.reconcile(claims).claims
    assert (out["status"] == "accepted").all()
    assert out["claim_id"].tolist() == ["c0", "x", "c2"]
    assert out["subgroup"].tolist() == ["all", "all", "children"]
    assert out["cumulative"].tolist() == [True, True, True]
    assert out.loc[0, "event_date"] == out.loc[0, "reported_at"].floor("D")


def test_date_range_constants():
    assert (EARLIEST.year, LATEST.year) == (1945, 2100)
    assert str(EARLIEST.tz) == str(LATEST.tz) == "UTC"


# --- figures: bare numbers in a figure column, limits -------------------------------------


def test_a_bare_number_in_a_figure_column_is_a_count():
    phrases = pd.Series(["1919", "2000", "about 2000", "2,000", "2000+", "in 2022", "1990-2000"])
    out = cr.parse_figures(phrases)
    assert out["best"].tolist()[:5] == [1919, 2000, 2000, 2000, 2000]
    assert out["qualifier"].tolist()[:5] == ["exact", "exact", "about", "exact", "at_least"]
    assert "is a year" in out.loc[5, "reason"]
    assert "is a year" in out.loc[6, "reason"]
    assert cr.parse_figure("1919").best == 1919


def test_running_text_keeps_skipping_years():
    text = "In 2022, 1919 people died; since 2014 there were 2000."
    assert [f.text for f in find_figures(text)] == ["1919"]


@pytest.mark.parametrize(
    ("phrase", "words"),
    [
        ("-5", "'-5' is a negative number"),
        ("−5", "negative"),
        ("at least -5", "negative"),
        ("10^20", "power"),
        ("1e9", "scientific"),
        ("1E+9", "scientific"),
        ("2.5", "not a whole number"),
        ("NaN", "no number"),
    ],
)
def test_phrases_that_are_no_count_are_rejected(phrase, words):
    with pytest.raises(FigureParseError, match=words):
        cr.parse_figure(phrase)


def test_limits_name_the_policy_field_and_how_to_raise_it():
    policy = cr.Policy(max_phrase_length=10, max_text_length=20, max_figure=100)
    with pytest.raises(FigureParseError, match=r"Policy.max_phrase_length \(10\).*evolve"):
        cr.parse_figure("at least 21 people", policy=policy)
    with pytest.raises(FigureParseError, match=r"Policy.max_figure \(100\).*evolve"):
        cr.parse_figure("101", policy=policy)
    with pytest.raises(FigureParseError, match=r"Policy.max_text_length \(20\).*evolve"):
        find_figures("x" * 21, policy=policy)
    with pytest.raises(SchemaError, match=r"Policy.max_text_length \(20\).*evolve"):
        cr.extract("x" * 21, source="s", reported_at="2024-01-01T00:00Z", policy=policy)
    out = cr.parse_figures(pd.Series(["1" * 11, "101"]), policy=policy)
    assert "max_phrase_length" in out.loc[0, "reason"]
    assert "max_figure" in out.loc[1, "reason"]
    assert cr.parse_figure("101", policy=attrs.evolve(policy, max_figure=101)).best == 101


# --- extract on hostile text ---------------------------------------------------------------

WHEN = "2024-01-02T09:00Z"


@pytest.mark.parametrize(
    "text",
    ["1" * 5000, "." * 5000 + "x", "a" * 5000, "\ud800 5 killed", "Gladkov said. " * 200, ""],
    ids=["digits", "stops", "one word", "surrogate", "attributions", "empty"],
)
def test_extract_survives_hostile_text(text):
    out = cr.extract(text, source="s", reported_at=WHEN)
    assert (out["low"] <= out["best"]).all()


def test_extract_reads_lone_surrogates_as_replacement_characters():
    text = "Five people were killed in Kharkiv \ud800, police said."
    out = cr.extract(text, source="s", reported_at=WHEN)
    assert out["best"].tolist() == [5]
    assert out.loc[0, "sentence_end"] == len(text)  # offsets unchanged
    assert "\ufffd" in out.loc[0, "text"]


def test_extract_cuts_an_endless_sentence_but_keeps_offsets():
    clause = "5 people were killed in Kharkiv, "
    text = clause * 100  # 3,300 characters without a full stop
    out = cr.extract(text, source="s", reported_at=WHEN)
    assert len(out) == 100
    spans = zip(out["figure_start"], out["figure_end"], out["figure"], strict=True)
    assert all(text[start:end] == figure for start, end, figure in spans)
    assert out["sentence_end"].max() <= len(text)
