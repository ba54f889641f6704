"""validate_claims(): SPEC §3 column matching, timestamps, rejected rows and schema errors."""

from __future__ import annotations

import pandas as pd
import pytest

import casualtyrec as cr
from casualtyrec._types import STRING, UTC_US
from casualtyrec.claims import _validate
from casualtyrec.errors import SchemaError
from casualtyrec.policy import DEFAULT_POLICY
from tests.strategies import simple_resolver


def validate(claims: pd.DataFrame, **kwargs) -> pd.DataFrame:
    return _validate(
        claims,
        policy=kwargs.pop("policy", DEFAULT_POLICY),
        assume_tz=kwargs.pop("assume_tz", None),
        resolve=simple_resolver,
    )


def base(**columns: object) -> pd.DataFrame:
    data = {
        "source": ["governor", "agency"],
        "reported_at": ["2023-12-30T21:05:00+03:00", "2023-12-30T19:00:00Z"],
        "place": ["Belgorod", "Kharkiv"],
        "category": ["people.killed", "people.injured"],
        "figure": ["risen to 18", "at least 8"],
    }
    data.update(columns)
    return pd.DataFrame(data)


def test_accepts_the_sample_and_keeps_order_and_index():
    claims = cr.load_sample()
    out = cr.reconcile(claims).claims
    assert len(out) == len(claims)
    assert out["claim_id"].tolist() == claims["claim_id"].tolist()
    assert (out["status"] == "accepted").all()
    assert out["reason"].isna().all()
    assert out.loc[16, "place_name"] == "Belgorod"  # "Blegorod", fuzzy
    assert out.loc[16, "match"] == "fuzzy"


def test_column_names_match_case_insensitively_and_extras_pass_through():
    claims = base().rename(columns={"source": " Source ", "figure": "FIGURE"})
    claims["my_note"] = ["x", "y"]
    claims["status"] = ["draft", "final"]  # collides with an added column
    out = validate(claims)
    assert list(out.columns[:5]) == ["source", "reported_at", "place", "category", "figure"]
    assert out["my_note"].tolist() == ["x", "y"]
    assert out["status_input"].tolist() == ["draft", "final"]
    assert out["status"].tolist() == ["accepted", "accepted"]
    assert out["low"].tolist() == [18, 8]


def test_defaults_for_optional_columns():
    out = validate(base())
    assert out["claim_id"].tolist() == ["c0", "c1"]
    assert out["subgroup"].astype(str).tolist() == ["all", "all"]
    assert out["cumulative"].tolist() == [True, True]
    # event_date defaults to the UTC date of reported_at: 21:05+03:00 is 18:05Z
    assert out["event_date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-12-30", "2023-12-30"]
    assert out["event_date"].dtype == UTC_US
    assert out["reported_at"].tolist() == [
        pd.Timestamp("2023-12-30T18:05:00Z"),
        pd.Timestamp("2023-12-30T19:00:00Z"),
    ]
    assert out["reported_at"].dtype == UTC_US
    assert out["incident"].isna().all()


def test_numbers_instead_of_figures():
    claims = base(low=[18, 8], best=[18, 8], high=[18, None]).drop(columns="figure")
    out = validate(claims)
    assert out["high"].tolist()[0] == 18
    assert pd.isna(out["high"].iloc[1])
    assert out["status"].tolist() == ["accepted", "accepted"]


def test_numbers_fall_back_to_figure_when_missing():
    claims = base(low=[None, 3], best=[None, 3], high=[None, 4])
    out = validate(claims)
    assert out["low"].tolist() == [18, 3]
    assert out["high"].tolist() == [18, 4]


def test_row_problems_become_rejected_rows_with_reasons():
    claims = base(
        source=["governor", None],
        figure=["casualties reported", "at least 8"],
        category=["people.kiled", "people.injured"],
    )
    out = validate(claims)
    assert out["status"].tolist() == ["rejected", "rejected"]
    first = out["reason"].iloc[0]
    assert "row 0, column 'figure': no number in 'casualties reported'" in first
    assert "row 0, column 'category': unknown category 'people.kiled'" in first
    assert "people.killed" in first  # what was expected
    assert out["reason"].iloc[1].startswith("row 1, column 'source': missing value")


def test_bad_numbers_are_rejected():
    claims = base(low=[5, "x"], best=[4, 2], high=[6, 2]).drop(columns="figure")
    out = validate(claims)
    assert out["status"].tolist() == ["rejected", "rejected"]
    assert "expected low <= best <= high" in out["reason"].iloc[0]
    assert "row 1, column 'low': cannot read 'x' as a whole number" in out["reason"].iloc[1]


def test_rows_are_numbered_by_position_not_label():
    claims = base(category=["people.killed", "nonsense.thing"])
    claims.index = [10, 20]
    out = validate(claims)
    assert list(out.index) == [10, 20]
    assert out["reason"].iloc[1].startswith("row 1, column 'category'")


def test_missing_required_column_raises_naming_it_and_what_was_found():
    with pytest.raises(SchemaError) as err:
        cr.reconcile(base().drop(columns="place"))
    assert err.value.missing == ("place",)
    assert "'place'" in str(err.value)
    assert "found columns: 'source', 'reported_at', 'category', 'figure'" in str(err.value)


def test_missing_figure_names_the_alternatives():
    with pytest.raises(SchemaError, match="'figure' \\(or all of 'low', 'best', 'high'\\)"):
        validate(base().drop(columns="figure"))
    with pytest.raises(SchemaError) as err:
        validate(base(low=[1, 2]).drop(columns="figure"))
    assert err.value.missing == ("best", "high")


def test_not_a_dataframe_raises():
    with pytest.raises(SchemaError, match="must be a pandas DataFrame"):
        cr.reconcile([{"source": "x"}])  # type: ignore[arg-type]


def test_wholly_naive_times_need_assume_tz():
    claims = base(reported_at=["2023-12-30 21:05", "2023-12-30 22:00"])
    with pytest.raises(SchemaError, match="assume_tz"):
        validate(claims)
    out = validate(claims, assume_tz="Europe/Moscow")
    assert out["reported_at"].iloc[0] == pd.Timestamp("2023-12-30T18:05:00Z")
    naive = base(reported_at=pd.to_datetime(["2023-12-30 21:05", "2023-12-30 22:00"]))
    with pytest.raises(SchemaError, match="tz-naive"):
        validate(naive)
    out = validate(naive, assume_tz="UTC")
    assert out["reported_at"].iloc[1] == pd.Timestamp("2023-12-30T22:00:00Z")


def test_naive_value_in_aware_column_and_garbage_are_rejected_rows():
    claims = base(reported_at=["2023-12-30T21:05:00+03:00", "2023-12-30 22:00"])
    out = validate(claims)
    assert out["status"].tolist() == ["accepted", "rejected"]
    assert "tz-naive time '2023-12-30 22:00'" in out["reason"].iloc[1]
    claims = base(reported_at=["2023-12-30T21:05:00+03:00", "yesterday evening"])
    out = validate(claims)
    assert "cannot read 'yesterday evening' as a time" in out["reason"].iloc[1]


def test_event_date_parsing():
    claims = base(event_date=["2023-12-29", None])
    out = validate(claims)
    assert out["event_date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-12-29", "2023-12-30"]
    out = validate(base(event_date=["2023-12-29T23:30+03:00", "soon"]))
    assert out["event_date"].iloc[0] == pd.Timestamp("2023-12-29", tz="UTC")  # as written
    assert "cannot read 'soon' as a date" in out["reason"].iloc[1]


def test_cumulative_text_and_bad_values():
    out = validate(base(cumulative=["no", "maybe"]))
    assert not out["cumulative"].iloc[0]
    assert "row 1, column 'cumulative'" in out["reason"].iloc[1]


def test_output_dtypes():
    out = validate(base(text=["a", None], url=[None, "http://x"]))
    for column in ("source", "place", "claim_id", "reason", "text", "url", "place_name"):
        assert out[column].dtype == STRING, column
    for column in ("low", "best", "high", "place_id", "region_id"):
        assert out[column].dtype == "Int64", column
    assert list(out["status"].cat.categories) == ["accepted", "rejected"]
    assert not any(dtype == object for dtype in out.dtypes)  # noqa: E721
