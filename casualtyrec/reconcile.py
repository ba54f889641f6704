"""Reconciliation over time (SPEC §6-7). PLACEHOLDER - issue #5."""

from __future__ import annotations

import attrs
import pandas as pd  # noqa: TC002 - attrs resolves field types at run time

from casualtyrec.policy import DEFAULT_POLICY, Policy

__all__ = ["Reconciliation", "reconcile"]


@attrs.frozen
class Reconciliation:
    """The result of :func:`reconcile`."""

    timeline: pd.DataFrame
    claims: pd.DataFrame
    incidents: pd.DataFrame
    policy: Policy


def reconcile(claims: pd.DataFrame, *, policy: Policy = DEFAULT_POLICY) -> Reconciliation:
    """Reconcile a claims table into a timeline."""
    raise NotImplementedError
