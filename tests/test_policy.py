from __future__ import annotations

import datetime as dt
import pickle

import attrs
import pytest

from casualtyrec import Policy
from casualtyrec.errors import PolicyError


def test_defaults_are_the_spec() -> None:
    policy = Policy()
    assert policy.same_time == dt.timedelta(hours=1)
    assert policy.incident_window == dt.timedelta(days=1)
    assert policy.contested_best == "lowest"
    assert policy.range_best == "low"
    assert policy.min_place_score == 85
    assert policy.ambiguity_margin == 5
    assert policy.population_ratio == 5
    assert policy.max_figure == 10_000_000
    assert dict(policy.vague)["a few"] == (2, 3, 5)
    assert dict(policy.vague)["many"] == (2, 2, None)


def test_policy_is_frozen_hashable_and_pickles() -> None:
    policy = Policy()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        policy.same_time = dt.timedelta(0)  # type: ignore[misc]
    assert hash(policy) == hash(Policy())
    assert pickle.loads(pickle.dumps(policy)) == policy


def test_durations_accept_strings() -> None:
    assert Policy(same_time="30min").same_time == dt.timedelta(minutes=30)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("range_best", "middle"),
        ("contested_best", "highest"),
        ("same_time", "soon"),
        ("same_time", "-1h"),
        ("min_place_score", 101),
        ("about_percent", 1.5),
        ("max_figure", 0),
        ("vague", {"several": (5, 3, 9)}),
        ("population_ratio", True),
    ],
)
def test_invalid_values_raise_policy_error(field: str, value: object) -> None:
    with pytest.raises(PolicyError) as info:
        Policy(**{field: value})  # type: ignore[arg-type]
    assert info.value.field == field
    assert field in str(info.value)
