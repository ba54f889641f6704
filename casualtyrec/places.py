"""Places: names to GeoNames entries (SPEC §4). PLACEHOLDER - issue #4."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casualtyrec.policy import DEFAULT_POLICY, Policy

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Gazetteer", "resolve_places"]


class Gazetteer:
    """The offline GeoNames gazetteer."""


def resolve_places(
    names: pd.Series,
    *,
    country: str | None = None,
    policy: Policy = DEFAULT_POLICY,
    gazetteer: Gazetteer | None = None,
) -> pd.DataFrame:
    """Resolve place names."""
    raise NotImplementedError
