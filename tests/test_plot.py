"""casualtyrec.plot: the artists drawn (Agg backend), not pixels."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.collections import FillBetweenPolyCollection, PathCollection

import casualtyrec as cr
from casualtyrec.errors import SchemaError
from casualtyrec.plot import plot_timeline
from tests._result_fixture import sample_result

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _gid(ax, gid, kind=object):
    artists = [*ax.collections, *ax.lines, *ax.patches, *ax.texts]
    return [a for a in artists if a.get_gid() == gid and isinstance(a, kind)]


def _claims_markers(ax) -> int:
    return sum(len(c.get_offsets()) for c in _gid(ax, "claims", PathCollection))


def _expected_claims(result, category, incident=None) -> pd.DataFrame:
    claims = result.claims
    keep = (claims["category"].astype(str) == category) & (claims["status"] == "accepted")
    if incident is not None:
        keep &= claims["incident"] == incident
    return claims[keep]


@pytest.mark.parametrize(
    ("incident", "category", "keys"),
    [
        ("belgorod-2023-12-30", "people.killed", 2),  # all, children
        ("kharkiv-2023-12-30", "people.injured", 3),  # all, children, foreigners
        (None, "people.killed", 3),  # belgorod all + children, ukraine-2023-12-29 all
        ("ukraine-2023-12-31", "drones.launched", 1),
    ],
)
def test_one_band_one_step_line_per_key_and_a_marker_per_claim(incident, category, keys):
    result = sample_result()
    ax = plot_timeline(result, incident=incident, category=category)
    bands = _gid(ax, "band", FillBetweenPolyCollection)
    steps = _gid(ax, "best")
    assert len(bands) == keys
    assert len(steps) == keys
    assert all(line.get_drawstyle() == "steps-post" for line in steps)
    assert _claims_markers(ax) == len(_expected_claims(result, category, incident))


def test_step_line_follows_the_timeline_best():
    result = sample_result()
    ax = plot_timeline(result, incident="belgorod-2023-12-30")
    rows = result.timeline[
        (result.timeline["incident"] == "belgorod-2023-12-30")
        & (result.timeline["category"] == "people.killed")
        & (result.timeline["subgroup"] == "all")
    ]
    heights = {tuple(line.get_ydata()) for line in _gid(ax, "best")}
    expected = (*rows["best"].astype(float), float(rows["best"].iloc[-1]))
    assert expected in heights


def test_open_ended_high_is_capped_above_the_data_and_marked():
    result = sample_result()
    ax = plot_timeline(result, incident="belgorod-2023-12-30")
    marks = _gid(ax, "open-high")
    assert marks, "the 'at least 14' row has no upper bound and must be marked"
    (band_all, _) = _gid(ax, "band", FillBetweenPolyCollection)
    top = max(path.vertices[:, 1].max() for path in band_all.get_paths())
    assert top > 25  # above every finite value of the key
    assert top <= ax.get_ylim()[1]  # but inside the axes: visible


def test_no_open_mark_when_every_high_is_bounded():
    ax = plot_timeline(sample_result(), incident="ukraine-2023-12-31", category="drones.launched")
    assert _gid(ax, "open-high") == []


def test_contested_span_is_shaded_and_revisions_annotated():
    result = sample_result()
    ax = plot_timeline(result, incident="ukraine-2023-12-29")
    assert len(_gid(ax, "contested")) == 1
    revisions = _gid(ax, "revision")
    assert [t.get_text() for t in revisions] == ["27\u219239"]


def test_lowered_figure_is_annotated_as_lowered():
    ax = plot_timeline(sample_result(), incident="belgorod-2023-12-30", category="people.injured")
    texts = [t.get_text() for t in _gid(ax, "revision")]
    assert "lowered 110\u2192109" in texts


def test_rejected_claims_are_not_plotted():
    result = sample_result()
    claims = result.claims.copy()
    claims.loc[claims["claim_id"] == "s07", "status"] = "rejected"
    changed = type(result)(
        timeline=result.timeline, claims=claims, incidents=result.incidents, policy=result.policy
    )
    ax = plot_timeline(changed, incident="belgorod-2023-12-30")
    assert (
        _claims_markers(ax)
        == len(_expected_claims(result, "people.killed", "belgorod-2023-12-30")) - 1
    )


def test_draws_on_the_given_axes():
    fig, ax = plt.subplots()
    assert plot_timeline(sample_result(), ax=ax) is ax
    assert ax.figure is fig
    assert ax.get_title() == "people.killed: all incidents"


def test_unknown_category_and_incident_name_what_exists():
    result = sample_result()
    with pytest.raises(SchemaError, match=r"no row for 'people\.missing'.*'people\.killed'"):
        plot_timeline(result, category="people.missing")
    with pytest.raises(SchemaError, match=r"incident 'kyiv'.*'belgorod-2023-12-30'"):
        plot_timeline(result, incident="kyiv")


def test_reconciliation_plot_delegates():
    result = sample_result()
    ax = result.plot(incident="belgorod-2023-12-30")  # type: ignore[attr-defined]
    assert len(_gid(ax, "band")) == 2


def test_plot_of_the_real_reconciliation():
    result = cr.reconcile(cr.load_sample())
    ax = plot_timeline(result, incident=None, category="people.injured")
    keys = result.timeline[result.timeline["category"] == "people.injured"][
        ["incident", "subgroup"]
    ].drop_duplicates()
    assert len(_gid(ax, "band")) == len(keys)
    accepted = result.claims[
        (result.claims["status"] == "accepted")
        & (result.claims["category"].astype(str) == "people.injured")
    ]
    assert _claims_markers(ax) == len(accepted)


def test_sample_plot_example_draws_band_steps_and_markers():
    example = runpy.run_path(str(EXAMPLES / "sample_plot.py"), run_name="example")
    result = cr.reconcile(cr.load_sample())
    ax = example["draw"](result)
    assert len(_gid(ax, "band")) == 2
    assert len(_gid(ax, "best")) == 2
    plotted = _expected_claims(result, "people.killed", "belgorod-2023-12-30")
    assert _claims_markers(ax) == len(plotted) > 0


def test_sample_plot_example_writes_a_png(tmp_path):
    out = tmp_path / "plot.png"
    done = subprocess.run(  # noqa: S603 - our own interpreter and example
        [sys.executable, str(EXAMPLES / "sample_plot.py"), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 10_000
