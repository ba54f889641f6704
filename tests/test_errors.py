"""Every error names where, what and what was expected, and pickles."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

from casualtyrec import errors


def _examples() -> list[errors.CasualtyrecError]:
    failures = pd.DataFrame({"row": [3], "value": ["scores"], "reason": ["no number"]})
    return [
        errors.SchemaError.missing_columns(["place"], ["source", "figure"]),
        errors.FigureParseError("casualties reported", "no number", column="figure", row=14),
        errors.FigureParseError(
            "scores", "no number", column="figure", row=3, total=10, failures=failures
        ),
        errors.UnitMismatchError("people.killed", "drones.launched", "add"),
        errors.PlaceResolutionError("Kirovsk", "ambiguous", ("Kirovsk, RU", "Kirovsk, UA")),
        errors.PlaceResolutionError("Xqz", "unresolved", best="'Xq' (40.0)"),
        errors.PolicyError("same_time", "soon", "a duration"),
    ]


@pytest.mark.parametrize("error", _examples(), ids=lambda e: type(e).__name__)
def test_errors_pickle_and_keep_their_message(error: errors.CasualtyrecError) -> None:
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert str(again) == str(error)
    assert isinstance(error, errors.CasualtyrecError)


def test_messages_name_row_column_and_value() -> None:
    message = str(
        errors.FigureParseError("casualties reported", "no number", column="figure", row=14)
    )
    assert "row 14" in message
    assert "'figure'" in message
    assert "'casualties reported'" in message
    assert "expected" in message
    schema = str(errors.SchemaError.missing_columns(["place"], ["source", "figure"]))
    assert "'place'" in schema
    assert "'source'" in schema


def test_builtin_bases() -> None:
    assert issubclass(errors.SchemaError, ValueError)
    assert issubclass(errors.FigureParseError, ValueError)
    assert issubclass(errors.UnitMismatchError, TypeError)
    assert issubclass(errors.PlaceResolutionError, LookupError)
    assert issubclass(errors.PolicyError, ValueError)


@pytest.mark.parametrize("error", _examples(), ids=lambda e: type(e).__name__)
def test_errors_pickle_under_tblib(error: errors.CasualtyrecError) -> None:
    # dask.distributed installs tblib's reducer for every exception class at import; it used
    # to drop the fields of slotted attrs exceptions
    support = pytest.importorskip("tblib.pickling_support")
    support.install()
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert str(again) == str(error)
