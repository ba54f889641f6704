"""The DataFrame.casualty accessor gives the same frames as the functions (issue #7, item 4)."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import casualtyrec as cr
from casualtyrec import accessor  # noqa: F401 - registers DataFrame.casualty
from casualtyrec._types import STRING
from casualtyrec.errors import SchemaError
from casualtyrec.testing import assert_timeline_equal
from tests._support import DATA


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return pd.read_csv(DATA / "figures.csv", dtype=STRING, keep_default_na=False)


@pytest.fixture(scope="module")
def places() -> pd.DataFrame:
    return pd.read_csv(DATA / "places.csv", dtype=STRING, keep_default_na=False)


def test_importing_casualtyrec_registers_the_accessor():
    code = "import pandas as pd, casualtyrec; print(hasattr(pd.DataFrame, 'casualty'))"
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "True"


def test_parse_figures_matches_the_function(figures):
    got = figures.casualty.parse_figures("phrase")
    pd.testing.assert_frame_equal(got, cr.parse_figures(figures["phrase"]))


def test_parse_figures_passes_options_through(figures):
    got = figures.casualty.parse_figures("phrase", policy=cr.Policy(range_best="mid"))
    want = cr.parse_figures(figures["phrase"], policy=cr.Policy(range_best="mid"))
    pd.testing.assert_frame_equal(got, want)


def test_resolve_places_matches_the_function(places):
    got = places.casualty.resolve_places("text")
    pd.testing.assert_frame_equal(got, cr.resolve_places(places["text"]))
    hinted = places.casualty.resolve_places("text", country="UA")
    pd.testing.assert_frame_equal(hinted, cr.resolve_places(places["text"], country="UA"))


def test_reconcile_matches_the_function():
    claims = cr.load_sample()
    got = claims.casualty.reconcile()
    want = cr.reconcile(claims)
    assert_timeline_equal(got, want)
    pd.testing.assert_frame_equal(got.claims, want.claims)


def test_column_names_match_case_insensitively(figures):
    renamed = figures.rename(columns={"phrase": " Phrase "})
    got = renamed.casualty.parse_figures("phrase")
    pd.testing.assert_frame_equal(got, cr.parse_figures(renamed[" Phrase "]))


def test_missing_column_names_what_was_found(figures):
    with pytest.raises(SchemaError, match="missing required column 'deaths'; found columns"):
        figures.casualty.parse_figures("deaths")
    with pytest.raises(SchemaError, match="'place'"):
        figures.casualty.resolve_places()


def test_accessor_does_not_mutate_the_frame(figures):
    before = figures.copy()
    figures.casualty.parse_figures("phrase")
    pd.testing.assert_frame_equal(figures, before)
