"""benchmarks/real_series.py on a small slice of the real data in ../shared/external."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

import casualtyrec as cr
from tests._support import EXTERNAL

pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="../shared/external is absent")

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "real_series.py"


@pytest.fixture(scope="module")
def series():
    spec = importlib.util.spec_from_file_location("real_series", _PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["real_series"] = module
    spec.loader.exec_module(module)
    return module


def test_gaza_slice_two_channels(series):
    claims = series.gaza_claims(EXTERNAL, first=40)
    result = cr.reconcile(claims)
    assert len(result.claims) == len(claims)
    assert (result.claims["status"] == "accepted").all()
    t = result.timeline
    assert set(t["incident"]) == {"gaza-war"}
    killed = t[(t["category"] == "people.killed") & (t["subgroup"] == "all")]
    assert killed["as_of"].is_monotonic_increasing
    # the last row is the last reported running total
    last = claims[claims["category"].eq("people.killed") & claims["subgroup"].eq("all")].iloc[-1]
    assert killed["low"].iloc[-1] == last["low"]
    assert {"children", "women"} <= set(t["subgroup"].astype(str))
    assert series.check_categories_never_mix(result) == len(t)


def test_genstaff_slice_with_a_correction(series):
    claims = series.genstaff_claims(EXTERNAL, start="2022-10-10", stop="2022-10-16")
    result = cr.reconcile(claims, assume_tz="Europe/Kyiv")
    assert (result.claims["status"] == "accepted").all()
    t = result.timeline
    categories = set(t["category"].astype(str))
    assert {"tanks.destroyed", "apcs.destroyed", "drones.destroyed", "personnel.lost"} <= categories
    apcs = t[t["category"] == "apcs.destroyed"]
    lowered = apcs[apcs["note"].fillna("").str.contains("lowered its figure")]
    assert len(lowered) >= 1  # the 2022-10-13 correction: APC -25
    assert (lowered["status"] == "revised").all()
    personnel = t[t["category"] == "personnel.lost"].iloc[0]
    assert personnel["low"] < personnel["best"] < personnel["high"]  # "about N"
    # 09:00 Kyiv time (UTC+3 in October 2022) is 06:00 UTC
    assert (t["as_of"].dt.hour.isin([6, 15])).all()
    assert series.check_categories_never_mix(result) == len(t)
    assert pd.api.types.is_integer_dtype(t["best"].dtype)
