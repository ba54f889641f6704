"""casualtyrec.output: summary(), the text and HTML displays, format_timeline()."""

from __future__ import annotations

import pandas as pd

import casualtyrec as cr
from casualtyrec._types import STRING
from casualtyrec.output import (
    SUMMARY_COLUMNS,
    format_timeline,
    render_html,
    render_text,
    summary,
)
from casualtyrec.reconcile import Reconciliation
from tests._result_fixture import sample_result


def _with(result: Reconciliation, **changes) -> Reconciliation:
    fields = {
        "timeline": result.timeline,
        "claims": result.claims,
        "incidents": result.incidents,
        "policy": result.policy,
    }
    return Reconciliation(**{**fields, **changes})


def _row(table, incident, category, subgroup="all"):
    hit = table[
        (table["incident"] == incident)
        & (table["category"] == category)
        & (table["subgroup"] == subgroup)
    ]
    assert len(hit) == 1
    return hit.iloc[0]


def test_summary_has_one_row_per_key_with_its_final_figure():
    result = sample_result()
    table = summary(result)
    assert tuple(table.columns) == SUMMARY_COLUMNS
    keys = result.timeline[["incident", "category", "subgroup"]].drop_duplicates()
    assert len(table) == len(keys) == 16
    killed = _row(table, "belgorod-2023-12-30", "people.killed")
    assert (killed["low"], killed["best"], killed["high"]) == (25, 25, 25)
    assert killed["status"] == "consistent"
    assert killed["n_sources"] == 3
    assert (killed["n_updates"], killed["n_revisions"], killed["n_contested"]) == (7, 3, 0)
    assert killed["as_of"] == pd.Timestamp("2024-01-02T07:05Z")
    national = _row(table, "ukraine-2023-12-29", "people.killed")
    assert national["high"] is pd.NA
    assert (national["status"], national["n_contested"]) == ("revised", 1)


def test_summary_dtypes_follow_the_timeline():
    result = sample_result()
    table = summary(result)
    for column in ("incident", "place", "country"):
        assert table[column].dtype == STRING
    for column in ("low", "best", "high", "n_sources", "n_updates", "n_revisions"):
        assert table[column].dtype == "Int64"
    assert table["status"].dtype == result.timeline["status"].dtype
    assert table["category"].dtype == result.timeline["category"].dtype
    assert table["as_of"].dtype == "datetime64[us, UTC]"
    ordered = table.sort_values(["incident", "category", "subgroup"], kind="stable")
    assert ordered.index.tolist() == list(range(len(table)))


def test_summary_of_an_empty_timeline_is_empty_with_columns():
    result = sample_result()
    table = summary(_with(result, timeline=result.timeline.iloc[:0]))
    assert table.empty
    assert tuple(table.columns) == SUMMARY_COLUMNS


def test_summary_does_not_mutate_the_timeline():
    result = sample_result()
    before = result.timeline.copy()
    summary(result)
    pd.testing.assert_frame_equal(result.timeline, before)


def test_text_display_counts_and_names_contested_keys():
    text = render_text(sample_result())
    first = text.splitlines()[0]
    assert first.startswith("<Reconciliation: 36 claims (36 accepted, 0 rejected)")
    assert "36 timeline rows; 4 incidents, 16 keys, 1 contested" in first
    assert "contested: ukraine-2023-12-29 people.killed/all" in text
    assert "belgorod-2023-12-30 (Belgorod, RU): 7 keys, 0 contested; people.killed 25" in text
    assert "people.killed 39 [39+]" in text  # open-ended high
    assert text.endswith(">")
    assert "Gladkov says" not in text  # not a dump of the claims


def test_text_display_reports_rejections_with_the_first_reason():
    result = sample_result()
    claims = result.claims.copy()
    claims.loc[3, "status"] = "rejected"
    claims.loc[3, "reason"] = "row 3, column 'figure': no number in 'casualties reported'"
    text = render_text(_with(result, claims=claims))
    assert "(35 accepted, 1 rejected)" in text
    assert "first rejection: row 3, column 'figure'" in text


def test_long_results_are_elided_not_dumped():
    result = sample_result()
    many = pd.concat(
        [result.timeline.assign(incident=result.timeline["incident"] + f"-{i}") for i in range(30)],
        ignore_index=True,
    )
    text = render_text(_with(result, timeline=many))
    assert "... and 112 more incidents" in text
    assert "... 25 more" in text  # 30 contested keys, 5 listed
    assert len(text.splitlines()) <= 12
    html = render_html(_with(result, timeline=many))
    assert html.count("<tr>") == 1 + 8
    assert "... and 112 more incidents" in html


def test_html_display_is_a_small_escaped_table():
    result = sample_result()
    html = render_html(result)
    assert html.startswith('<div class="casualtyrec-reconciliation">')
    assert html.count("<tr>") == 1 + 4  # header + one row per incident
    assert "<li>ukraine-2023-12-29 people.killed/all</li>" in html
    timeline = result.timeline.assign(
        incident=result.timeline["incident"].str.replace("kharkiv", "<script>x</script>")
    )
    escaped = render_html(_with(result, timeline=timeline))
    assert "<script>" not in escaped
    assert "&lt;script&gt;" in escaped


def test_format_timeline_is_readable_text():
    text = format_timeline(sample_result().timeline)
    lines = text.splitlines()
    assert lines[0].split()[:5] == ["incident", "place", "category", "subgroup", "as_of"]
    assert len(lines) == 1 + 36
    assert "2023-12-30 15:40Z" in text
    assert "claim_ids" not in lines[0]


def test_reconciliation_displays_delegate():
    result = sample_result()
    assert repr(result) == render_text(result)
    assert result._repr_html_() == render_html(result)  # type: ignore[attr-defined]
    pd.testing.assert_frame_equal(result.summary(), summary(result))  # type: ignore[attr-defined]


def test_summary_of_the_real_reconciliation():
    result = cr.reconcile(cr.load_sample())
    table = summary(result)
    expected = summary(sample_result())
    columns = ["incident", "category", "subgroup", "low", "best", "high", "n_sources"]
    got = table[columns].astype({"category": str, "subgroup": str})
    want = expected[columns].astype({"category": str, "subgroup": str})
    pd.testing.assert_frame_equal(got, want)


class _LazyFrame:
    """A stand-in for a Dask frame: partition count only; any other access fails the test."""

    def __init__(self, npartitions: int) -> None:
        self.npartitions = npartitions

    def __getattr__(self, name: str):
        msg = f"the display read {name!r} of a lazy frame"
        raise AssertionError(msg)


def test_a_lazy_result_is_displayed_from_metadata_only():
    result = sample_result()
    lazy = _with(result, timeline=_LazyFrame(7), claims=_LazyFrame(1))
    text = render_text(lazy)
    assert text == (
        "<Reconciliation (dask): 7 timeline partitions, 1 claims partition, 4 incidents; "
        "call .compute() for the pandas result>"
    )
    page = render_html(lazy)
    assert "(dask): 7 timeline partitions, 1 claims partition, 4 incidents" in page
    assert page.endswith("</p></div>")


def test_compute_of_a_pandas_result_is_the_result_itself():
    result = sample_result()
    assert result.compute() is result  # type: ignore[attr-defined]
    pd.testing.assert_frame_equal(summary(result.compute()), summary(result))
