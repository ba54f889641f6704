"""Figures: reported phrases to integer intervals (SPEC §2). PLACEHOLDER - issue #3."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import attrs

from casualtyrec.policy import DEFAULT_POLICY, Policy

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Figure", "parse_figure", "parse_figures"]


@attrs.frozen
class Figure:
    """A reported figure as an interval."""

    low: int
    best: int
    high: int | None
    qualifier: str
    text: str


def parse_figure(text: str, *, policy: Policy = DEFAULT_POLICY) -> Figure:
    """Parse one phrase."""
    raise NotImplementedError


def parse_figures(
    texts: pd.Series,
    *,
    policy: Policy = DEFAULT_POLICY,
    errors: Literal["reject", "raise"] = "reject",
) -> pd.DataFrame:
    """Parse a column of phrases."""
    raise NotImplementedError
