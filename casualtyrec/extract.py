"""Extraction: free text to claims (SPEC §3). PLACEHOLDER - issue #6."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casualtyrec.policy import DEFAULT_POLICY, Policy

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["extract", "extract_many"]


def extract(
    text: str, *, source: str, reported_at: object, policy: Policy = DEFAULT_POLICY
) -> pd.DataFrame:
    """Extract claims from one text."""
    raise NotImplementedError


def extract_many(frame: pd.DataFrame, *, policy: Policy = DEFAULT_POLICY) -> pd.DataFrame:
    """Extract claims from a frame of texts."""
    raise NotImplementedError
