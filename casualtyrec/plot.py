"""Plot a reconciled timeline with matplotlib (the ``plot`` extra, imported lazily).

Per key (incident, subgroup) of one category, :func:`plot_timeline` draws

- the reconciled ``low``-``high`` band, as steps over ``as_of`` (an open-ended ``high`` is
  drawn up to a visible cap above the data and marked with a dotted line and ``^``);
- the reconciled ``best`` as a step line;
- every accepted claim as a marker at its ``reported_at`` and ``best``: one marker shape per
  source, the key's colour;
- contested spans shaded red, and revisions annotated with the old and new best.

Artists carry a ``gid`` (``"band"``, ``"best"``, ``"claims"``, ``"open-high"``,
``"contested"``, ``"revision"``) so that tests and users can find them.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from casualtyrec._types import STRING
from casualtyrec.errors import SchemaError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from casualtyrec.reconcile import Reconciliation

__all__ = ["plot_timeline"]

_MARKERS: Final = ("o", "s", "D", "^", "v", "P", "X", "*", "h", "<", ">", "p")
_CLAIM_COLUMNS: Final = ("reported_at", "best", "source", "incident", "category", "subgroup")


def plot_timeline(
    result: Reconciliation,
    *,
    incident: str | None = None,
    category: str = "people.killed",
    ax: Axes | None = None,
) -> Axes:
    """Plot how the reconciled figure of one category stood over time.

    Parameters
    ----------
    result : Reconciliation
        The output of :func:`casualtyrec.reconcile`.
    incident : str, optional
        One incident id; by default every incident with rows of `category`.
    category : str, default "people.killed"
        The category to plot; each of its subgroups is its own key.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ImportError
        If matplotlib is not installed (``pip install 'casualtyrec[plot]'``).
    SchemaError
        If the timeline has no row for `incident` and `category`; the message lists what
        it has.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import casualtyrec as cr
    >>> from casualtyrec.plot import plot_timeline
    >>> result = cr.reconcile(cr.load_sample())
    >>> ax = plot_timeline(result, incident="belgorod-2023-12-30")
    >>> ax.get_title()
    'people.killed: belgorod-2023-12-30'
    """
    try:
        import matplotlib.dates as mdates  # noqa: PLC0415 - the plot extra is optional
        import matplotlib.pyplot as plt  # noqa: PLC0415
        from matplotlib.lines import Line2D  # noqa: PLC0415
        from matplotlib.patches import Patch  # noqa: PLC0415
    except ImportError as err:  # pragma: no cover - matplotlib is installed in tests
        raise ImportError("plotting needs matplotlib: pip install 'casualtyrec[plot]'") from err

    rows = _select(result.timeline, incident=incident, category=category)
    claims = _claims_for(result.claims, rows)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 5), layout="constrained")

    times = _naive_utc(rows["as_of"])
    claim_times = _naive_utc(claims["reported_at"])
    start = min(times.min(), claim_times.min()) if len(claim_times) else times.min()
    stop = max(times.max(), claim_times.max()) if len(claim_times) else times.max()
    end = stop + max((stop - start) * 0.05, np.timedelta64(1, "h"))
    cap = _cap(rows, claims)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]

    handles: list[Any] = []
    keys = rows.groupby(["incident", "subgroup"], sort=True, observed=True)
    several = bool((rows["incident"] != rows["incident"].iloc[0]).any())
    for number, ((key_incident, subgroup), key_rows) in enumerate(keys):
        color = colors[number % len(colors)]
        label = f"{key_incident} / {subgroup}" if several else str(subgroup)
        _draw_key(ax, key_rows, end=end, cap=cap, color=color)
        handles.append(Line2D([], [], color=color, linewidth=2, label=f"best: {label}"))

    key_colors = {key: colors[n % len(colors)] for n, (key, _) in enumerate(keys)}
    for number, (source, source_claims) in enumerate(claims.groupby("source", sort=True)):
        marker = _MARKERS[number % len(_MARKERS)]
        face = [
            key_colors[(i, s)]
            for i, s in zip(source_claims["incident"], source_claims["subgroup"], strict=True)
        ]
        ax.scatter(
            _naive_utc(source_claims["reported_at"]),
            source_claims["best"].to_numpy(dtype=float, na_value=np.nan),
            marker=marker,
            c=face,
            edgecolors="black",
            linewidths=0.6,
            s=36,
            zorder=4,
            gid="claims",
            label=str(source),
        )
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=marker,
                markerfacecolor="lightgray",
                markeredgecolor="black",
                label=str(source),
            )
        )

    handles.append(Patch(facecolor="gray", alpha=0.25, label="low-high band"))
    if (rows["status"] == "contested").any():
        handles.append(Patch(facecolor="tab:red", alpha=0.15, label="contested"))
    if rows["high"].isna().any():
        handles.append(Line2D([], [], color="gray", linestyle=":", label="no upper bound"))

    ax.set_ylim(0, cap * 1.08)
    ax.set_xlim(start - (end - stop), end)
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.set_xlabel("reported (UTC)")
    ax.set_ylabel(category)
    ax.set_title(f"{category}: {incident if incident is not None else 'all incidents'}")
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    ax.grid(visible=True, axis="y", alpha=0.3)
    return ax


def _draw_key(ax: Axes, rows: pd.DataFrame, *, end: np.datetime64, cap: float, color: str) -> None:
    """Draw one key's band, step line, open-ended marks, contested spans and revisions."""
    rows = rows.sort_values("as_of", kind="stable")
    x = np.append(_naive_utc(rows["as_of"]), end)
    low = rows["low"].to_numpy(dtype=float, na_value=np.nan)
    best = rows["best"].to_numpy(dtype=float, na_value=np.nan)
    high = rows["high"].to_numpy(dtype=float, na_value=np.nan)
    is_open = np.isnan(high)
    shown_high = np.where(is_open, cap, high)
    band = ax.fill_between(
        x,
        np.append(low, low[-1]),
        np.append(shown_high, shown_high[-1]),
        step="post",
        color=color,
        alpha=0.22,
        linewidth=0,
    )
    band.set_gid("band")
    ax.step(x, np.append(best, best[-1]), where="post", color=color, linewidth=2, gid="best")

    spans = list(itertools.pairwise(x))
    opened = [span for span, flag in zip(spans, is_open, strict=True) if flag]
    if opened:
        ax.hlines(
            [cap] * len(opened),
            [a for a, _ in opened],
            [b for _, b in opened],
            colors=color,
            linestyles="dotted",
            gid="open-high",
        )
        ax.plot(
            [a + (b - a) / 2 for a, b in opened],
            [cap] * len(opened),
            linestyle="none",
            marker="^",
            color=color,
            markersize=7,
            gid="open-high",
        )

    status = rows["status"].astype(STRING).to_numpy(dtype=object, na_value="")
    for (a, b), flag in zip(spans, status == "contested", strict=True):
        if flag:
            ax.axvspan(a, b, color="tab:red", alpha=0.12, linewidth=0, gid="contested")
    notes = rows["note"].astype(STRING).fillna("").to_numpy(dtype=object)
    for i in np.flatnonzero(status == "revised"):
        before = "?" if i == 0 else f"{best[i - 1]:g}"
        lowered = "lowered " if "lowered" in str(notes[i]) else ""
        ax.annotate(
            f"{lowered}{before}\u2192{best[i]:g}",
            xy=(x[i], best[i]),
            xytext=(4, 7),
            textcoords="offset points",
            fontsize=7,
            color=color,
            gid="revision",
        )


def _select(timeline: pd.DataFrame, *, incident: str | None, category: str) -> pd.DataFrame:
    in_category = timeline["category"].astype(STRING) == category
    if not bool(in_category.any()):
        have = ", ".join(repr(c) for c in sorted(timeline["category"].astype(str).unique()))
        raise SchemaError(
            f"column 'category': the timeline has no row for {category!r}; "
            f"categories present: {have or 'none'}",
            column="category",
        )
    rows = timeline.loc[in_category]
    if incident is not None:
        chosen = rows["incident"].astype(STRING) == incident
        if not bool(chosen.any()):
            have = ", ".join(repr(i) for i in sorted(rows["incident"].astype(str).unique()))
            raise SchemaError(
                f"column 'incident': no {category!r} rows for incident {incident!r}; "
                f"incidents with {category!r}: {have}",
                column="incident",
            )
        rows = rows.loc[chosen]
    return rows.reset_index(drop=True)


def _claims_for(claims: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Return the accepted claims of the plotted keys, with a time and a best."""
    missing = [c for c in _CLAIM_COLUMNS if c not in claims.columns]
    if missing:
        raise SchemaError.missing_columns(missing, [str(c) for c in claims.columns])
    keep = claims["reported_at"].notna() & claims["best"].notna()
    if "status" in claims.columns:
        keep &= claims["status"].astype(STRING) == "accepted"
    keys = pd.MultiIndex.from_frame(
        rows[["incident", "category", "subgroup"]].astype(STRING).drop_duplicates()
    )
    mine = pd.MultiIndex.from_frame(claims[["incident", "category", "subgroup"]].astype(STRING))
    keep &= mine.isin(keys)
    out = claims.loc[keep.to_numpy(dtype=bool, na_value=False), list(_CLAIM_COLUMNS)].copy()
    for column in ("incident", "category", "subgroup", "source"):
        out[column] = out[column].astype(STRING)
    out["subgroup"] = out["subgroup"].astype(str)
    out["incident"] = out["incident"].astype(str)
    return out.reset_index(drop=True)


def _cap(rows: pd.DataFrame, claims: pd.DataFrame) -> float:
    """Return the height an open-ended band is drawn to: above every finite value shown."""
    values = [
        rows["low"].max(),
        rows["best"].max(),
        rows["high"].max(),
        claims["best"].max() if len(claims) else pd.NA,
    ]
    finite = [float(v) for v in values if not pd.isna(v)]
    top = max(finite, default=1.0)
    return float(max(math.ceil(top * 1.2), top + 2))


def _naive_utc(times: pd.Series) -> np.ndarray[Any, np.dtype[np.datetime64]]:
    """Return tz-aware times as naive UTC ``datetime64[us]`` (what matplotlib plots)."""
    utc = times.dt.tz_convert("UTC").dt.tz_localize(None)
    values: np.ndarray[Any, np.dtype[np.datetime64]] = utc.to_numpy(dtype="datetime64[us]")
    return values
