"""Reading and writing: the bundled sample, claims tables and timelines."""

from __future__ import annotations

from importlib import resources

import pandas as pd

from casualtyrec._types import STRING

__all__ = ["load_sample"]


def load_sample() -> pd.DataFrame:
    """Return the bundled sample claims: Belgorod, Kharkiv and Ukraine, 29 Dec 2023 - 2 Jan 2024.

    36 claims from 11 sources (SPEC §9), as a user would load them from a CSV file: every
    column is ``string[pyarrow]`` except ``reported_at``, which keeps the offsets it was
    written with converted to ``datetime64[us, UTC]``.

    Returns
    -------
    pandas.DataFrame
        Columns ``claim_id``, ``source``, ``reported_at``, ``place``, ``category``,
        ``subgroup``, ``figure``, ``event_date``, ``text``.

    Examples
    --------
    >>> from casualtyrec import load_sample
    >>> claims = load_sample()
    >>> len(claims), claims.loc[0, "figure"]
    (36, 'two children')
    >>> str(claims["reported_at"].dtype)
    'datetime64[us, UTC]'
    """
    path = resources.files("casualtyrec").joinpath("data", "sample_claims.csv")
    with path.open("rb") as handle:
        frame = pd.read_csv(handle, dtype=STRING, keep_default_na=False)
    frame["reported_at"] = pd.to_datetime(frame["reported_at"], utc=True, format="ISO8601")
    frame["reported_at"] = frame["reported_at"].astype("datetime64[us, UTC]")
    return frame
