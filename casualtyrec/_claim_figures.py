"""Figures of the claims table: explicit low/best/high, else the parsed ``figure`` phrase."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, cast

import numpy as np
import pandas as pd

from casualtyrec._claim_times import _missing, _uniques, quote
from casualtyrec._types import DTYPES, STRING

if TYPE_CHECKING:
    import numpy.typing as npt

    from casualtyrec._claim_checks import Problems as _Problems
    from casualtyrec.policy import Policy

    Bools = npt.NDArray[np.bool_]

__all__ = ["figures"]

_QUALIFIER: Final = cast("pd.CategoricalDtype", DTYPES["qualifier"])


def _int_array(values: npt.NDArray[np.floating[Any]], ok: Bools) -> pd.Series:
    return pd.Series(pd.arrays.IntegerArray(np.where(ok, values, 0).astype(np.int64), ~ok))


def _numbers(series: pd.Series, column: str, problems: _Problems, policy: Policy) -> pd.Series:
    """Read a low/best/high column as Int64; reject unreadable, fractional, negative or huge."""
    raw = series.reset_index(drop=True)
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        numeric = raw.astype("Float64")
    else:
        text = raw.astype(STRING).str.strip().str.replace(",", "", regex=False)
        numeric = pd.to_numeric(text.mask(text == ""), errors="coerce").astype("Float64")
        unread = (numeric.isna() & text.notna() & (text != "")).to_numpy(dtype=bool)
        problems.add(unread, column, "cannot read " + _reprs(raw[unread]) + " as a whole number")
    values = numeric.to_numpy(dtype=np.float64, na_value=np.nan)
    present = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        bad = present & ((values != np.floor(values)) | (values < 0) | (values > policy.max_figure))
    problems.add(
        bad,
        column,
        "got " + _reprs(raw[bad]) + f" (expected a whole number from 0 to {policy.max_figure})",
    )
    return _int_array(values, present & ~bad)


def _reprs(values: pd.Series) -> pd.Series:
    """``repr`` of each value (call on the few rows that need it only)."""
    return pd.Series([quote(v) for v in values], dtype=STRING)


def figures(
    frame: pd.DataFrame, columns: dict[str, object], problems: _Problems, policy: Policy
) -> dict[str, pd.Series]:
    """low, best, high, qualifier per row: explicit numbers first, else the parsed figure."""
    n = len(frame)
    none = np.zeros(n, dtype=np.bool_)
    low = best = high = _int_array(np.zeros(n), none)
    qualifier = pd.Series(pd.Categorical.from_codes(np.full(n, -1), dtype=_QUALIFIER))
    has_figure = "figure" in columns
    use_figure = np.full(n, has_figure, dtype=np.bool_)
    if all(c in columns for c in ("low", "best", "high")):
        low, best, high = (_numbers(frame[c], c, problems, policy) for c in ("low", "best", "high"))
        given = (low.notna() | best.notna() | high.notna()).to_numpy()
        use_figure = ~given & has_figure
        needs = ~use_figure
        for name, part in (("low", low), ("best", best)):
            problems.add(
                part.isna().to_numpy() & needs,
                name,
                "missing value (expected a whole number"
                + (", or a 'figure' phrase)" if has_figure else ")"),
            )
        order_bad = ((low > best) | (best > high)).fillna(value=False).to_numpy(dtype=bool)
        problems.add(
            order_bad,
            "low",
            "low "
            + low[order_bad].astype(STRING).fillna("<NA>")
            + ", best "
            + best[order_bad].astype(STRING).fillna("<NA>")
            + ", high "
            + high[order_bad].astype(STRING).fillna("<NA>")
            + " (expected low <= best <= high)",
        )
    if has_figure and use_figure.any():
        from casualtyrec.figures import parse_figures  # noqa: PLC0415 - a later stage

        codes, uniques = _uniques(frame["figure"])
        missing = use_figure & _missing(codes, uniques)
        problems.add(missing, "figure", "missing value (expected a figure such as 'at least 21')")
        rows = use_figure & ~missing
        wanted = np.unique(codes[rows])
        if wanted.size:
            text = uniques.to_numpy()[wanted]
            parsed = parse_figures(pd.Series(text, dtype=STRING), policy=policy)
            parsed = parsed.reset_index(drop=True)
            where = np.full(len(uniques), -1, dtype=np.int64)
            where[wanted] = np.arange(wanted.size)
            k = np.where(rows, where[np.maximum(codes, 0)], -1)
            f_low, f_best, f_high = (
                pd.Series(parsed[c].astype("Int64").array.take(k, allow_fill=True))
                for c in ("low", "best", "high")
            )
            low, best, high = (
                old.where(~rows, new) for old, new in ((low, f_low), (best, f_best), (high, f_high))
            )
            qualifier = pd.Series(
                parsed["qualifier"].astype(_QUALIFIER).array.take(k, allow_fill=True)
            )
            reason = parsed["reason"].astype(STRING)
            bad = reason.notna().to_numpy()
            if bad.any():
                quoted = [quote(t) for t in text[bad]]
                said = [
                    f"{r} in {q}" if q not in r else r
                    for r, q in zip(reason[bad], quoted, strict=True)
                ]
                reason[bad] = pd.Series(said, dtype=STRING).to_numpy()
            row_reason = pd.Series(reason.array.take(k, allow_fill=True), dtype=STRING)
            problems.add(row_reason.notna().to_numpy(), "figure", row_reason)
    return {"low": low, "best": best, "high": high, "qualifier": qualifier}
