"""Incidents: group claims by place and date (SPEC §5).

Rules, in order:

1. A claim with a user-given ``incident`` keeps it.
2. A city-level claim (any resolved place that is not a region or a country) joins the
   incident of the same ``place_id`` whose first ``event_date`` is at most
   ``Policy.incident_window`` before it; windows do not chain: a claim further from the first
   date starts a new incident. Unresolved and ambiguous places group the same way by their
   normalized text (case, accents, punctuation and spacing ignored).
3. A region-level claim joins the one city-level incident in that region whose window covers
   its date, if there is exactly one; otherwise region claims form a region-level incident,
   windowed like city claims.
4. A country-level claim forms a country-level incident per country and ``event_date``; it
   never joins a city or region incident.

Incident ids are ``<ascii slug of the place>-<first event date>`` (``belgorod-2023-12-30``);
an id used twice gets ``-2``, ``-3``... in a fixed order (place, then group), and never takes
an id a user gave. Work is per unique (place, date) pair, never per row.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from casualtyrec._arrays import dense as _dense
from casualtyrec._arrays import firsts as _firsts
from casualtyrec._arrays import window_starts as _window_starts
from casualtyrec._types import DTYPES, FEATURES, STRING, UTC_US
from casualtyrec.policy import DEFAULT_POLICY, Policy

if TYPE_CHECKING:
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]

__all__ = ["INCIDENT_COLUMNS", "group_incidents", "incident_table", "normalize_place", "slug"]

#: Columns of :func:`group_incidents`, one row per claim.
INCIDENT_COLUMNS: Final = (
    "incident",
    "incident_place_id",
    "incident_place",
    "incident_feature",
    "incident_country",
    "incident_date",
)
_DAY_US: Final = 86_400_000_000
_LOCAL, _REGION, _COUNTRY, _USER = range(4)
_LATIN: Final = (
    "a b v h g d e ye yo zh z y i yi y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya"
)
_CYRILLIC: Final = {
    letter: ("" if latin == "-" else latin)
    for letter, latin in zip("абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя", _LATIN.split(), strict=True)
}
_NON_ALNUM: Final = re.compile(r"[^a-z0-9]+")
_SPACES: Final = re.compile(r"[\W_]+")


def normalize_place(text: str) -> str:
    """Return place text as unresolved places are grouped: case, accents, punctuation ignored.

    Examples
    --------
    >>> from casualtyrec.incidents import normalize_place
    >>> normalize_place("  Hroza,  village ")
    'hroza village'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", plain).strip()


def slug(text: str) -> str:
    """Return the ASCII slug of a place name, as used in incident ids.

    Cyrillic is romanized with a plain table; any other non-Latin text that leaves nothing
    gives ``"place"``.

    Examples
    --------
    >>> from casualtyrec.incidents import slug
    >>> slug("Belgorod"), slug("Zaporizhzhya Oblast"), slug("Гроза")
    ('belgorod', 'zaporizhzhya-oblast', 'hroza')
    """
    lowered = "".join(_CYRILLIC.get(ch, ch) for ch in text.casefold())
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub("-", ascii_text).strip("-") or "place"


def _column(claims: pd.DataFrame, name: str) -> pd.Series:
    if name in claims.columns:
        return claims[name]
    dtype: Any = DTYPES.get(name, STRING)
    return pd.Series([pd.NA] * len(claims), index=claims.index, dtype=dtype)


class _Places:
    """One row per distinct (place text, resolution): level, group label and display name."""

    def __init__(self, claims: pd.DataFrame) -> None:
        text = _column(claims, "place")
        place_id = _column(claims, "place_id")
        feature = _column(claims, "feature")
        status = _column(claims, "place_status")
        parts = [pd.factorize(text, use_na_sentinel=False)[0].astype(np.int64)]
        firsts = _firsts(parts[0])
        for column in (place_id, feature, status):  # usually a function of the text
            codes = pd.factorize(column, use_na_sentinel=False)[0].astype(np.int64)
            if (codes != codes[firsts][parts[0]]).any():
                parts.append(codes)
        combo = parts[0]
        for codes in parts[1:]:
            combo = combo * (int(codes.max(initial=0)) + 1) + codes
        combo_codes = pd.factorize(combo)[0].astype(np.int64)
        first = _firsts(combo_codes)
        self.inverse = combo_codes

        def pick(column: pd.Series, dtype: Any) -> pd.Series:  # noqa: ANN401
            values: pd.Series = pd.Series(column.iloc[first].to_numpy(dtype=object))
            return values.astype(dtype)

        table = pd.DataFrame(
            {
                "text": pick(text, STRING),
                "place_id": pick(place_id, "Int64"),
                "place_name": pick(_column(claims, "place_name"), STRING),
                "feature": pick(feature, STRING),
                "country": pick(_column(claims, "country"), STRING),
                "region_id": pick(_column(claims, "region_id"), "Int64"),
            }
        )
        status = pick(status, STRING)
        resolved = table["place_id"].notna() & (status.fillna("resolved") == "resolved")
        level = np.full(len(table), _LOCAL, dtype=np.int64)
        level[(resolved & (table["feature"] == "region")).fillna(value=False).to_numpy()] = _REGION
        level[(resolved & (table["feature"] == "country")).fillna(value=False).to_numpy()] = (
            _COUNTRY
        )
        table["level"] = level
        normalized = [normalize_place(str(t)) for t in table["text"]]  # per unique string
        table["label"] = np.where(
            resolved.to_numpy(),
            "#" + table["place_id"].astype(STRING).fillna(""),
            "~" + pd.Series(normalized, dtype=STRING),
        )
        table["resolved"] = resolved.to_numpy()
        self.table = table


def group_incidents(claims: pd.DataFrame, *, policy: Policy = DEFAULT_POLICY) -> pd.DataFrame:
    """Assign each claim to an incident (SPEC §5).

    Parameters
    ----------
    claims : pandas.DataFrame
        Accepted claims with ``place`` (as written), ``event_date`` (UTC midnight) and the
        resolved place columns ``place_id``, ``place_name``, ``feature``, ``region_id``,
        ``country`` and ``place_status`` (as :func:`casualtyrec.claims.validate_claims`
        adds them); optional ``incident`` (a user's own id, kept as given).
    policy : Policy, default DEFAULT_POLICY
        ``incident_window`` sets how far from an incident's first date a claim may be.

    Returns
    -------
    pandas.DataFrame
        Indexed like `claims`: ``incident`` (id), ``incident_place_id``, ``incident_place``,
        ``incident_feature``, ``incident_country`` (the incident's own place) and
        ``incident_date`` (its first event date).

    Examples
    --------
    >>> import pandas as pd
    >>> from casualtyrec.incidents import group_incidents
    >>> claims = pd.DataFrame({
    ...     "place": ["Kharkiv", "Kharkiv", "Kharkiv oblast", "Kharkiv"],
    ...     "place_id": [706483, 706483, 706482, 706483],
    ...     "place_name": ["Kharkiv", "Kharkiv", "Kharkiv Oblast", "Kharkiv"],
    ...     "feature": ["city", "city", "region", "city"],
    ...     "region_id": [706482, 706482, 706482, 706482],
    ...     "country": "UA",
    ...     "place_status": "resolved",
    ...     "event_date": pd.to_datetime(
    ...         ["2023-12-30", "2023-12-31", "2023-12-30", "2024-01-02"], utc=True),
    ... })
    >>> group_incidents(claims)["incident"].tolist()
    ['kharkiv-2023-12-30', 'kharkiv-2023-12-30', 'kharkiv-2023-12-30', 'kharkiv-2024-01-02']
    """
    n = len(claims)
    places = _Places(claims)
    table = places.table
    p = places.inverse
    day = (
        _column(claims, "event_date").astype(UTC_US).to_numpy(dtype="datetime64[us]").view(np.int64)
        // _DAY_US
    )
    user = _column(claims, "incident").astype(STRING).str.strip()
    has_user = (user.notna() & (user != "")).to_numpy(dtype=np.bool_, na_value=False)
    window = int(pd.Timedelta(policy.incident_window) // pd.Timedelta(days=1))
    level = np.where(has_user, _USER, table["level"].to_numpy()[p])

    # group codes per place row: label per level
    label_codes, labels = pd.factorize(table["label"], sort=True)
    incident_of = np.full(n, -1, dtype=np.int64)
    records: list[pd.DataFrame] = []

    def assign(mask: npt.NDArray[np.bool_], group: Ints, win: int, level_code: int) -> None:
        rows = np.flatnonzero(mask)
        if not rows.size:
            return
        d = day[rows]
        low = int(d.min())
        stride = int(d.max()) - low + 1
        pair_keys, inverse = _dense(group[rows] * stride + (d - low))
        pairs = np.stack([pair_keys // stride, pair_keys % stride + low], axis=1)
        starts = _window_starts(pairs[:, 0], pairs[:, 1], win)
        pair_incident = np.cumsum(starts) - 1 + sum(len(r) for r in records)
        incident_of[rows] = pair_incident[inverse]
        first = np.flatnonzero(starts)
        records.append(
            pd.DataFrame({"group": pairs[first, 0], "start": pairs[first, 1], "level": level_code})
        )

    place_group = label_codes[p].astype(np.int64)
    assign(level == _LOCAL, place_group, window, _LOCAL)
    _join_regions(
        table,
        p=p,
        day=day,
        level=level,
        incident_of=incident_of,
        records=records,
        label_codes=label_codes,
        window=window,
    )
    assign((level == _REGION) & (incident_of < 0), place_group, window, _REGION)
    assign(level == _COUNTRY, place_group, 0, _COUNTRY)
    found = pd.concat(records, ignore_index=True) if records else None
    return _finish(
        claims,
        table=table,
        p=p,
        day=day,
        user=user,
        has_user=has_user,
        incident_of=incident_of,
        found=found,
        labels=labels,
    )


def _join_regions(
    table: pd.DataFrame,
    *,
    p: Ints,
    day: Ints,
    level: Ints,
    incident_of: Ints,
    records: list[pd.DataFrame],
    label_codes: Ints,
    window: int,
) -> None:
    """Region claims join the one city-level incident of their region covering their date."""
    region_rows = np.flatnonzero(level == _REGION)
    if not region_rows.size or not records:
        return
    local = records[0]
    # region of each local incident: region_id of its (resolved) place
    label_region = pd.Series(table["region_id"].array, index=label_codes).groupby(level=0).first()
    label_resolved = pd.Series(table["resolved"].to_numpy(), index=label_codes)
    label_resolved = label_resolved.groupby(level=0).first()
    inc_region = label_region.reindex(local["group"]).to_numpy(dtype=np.float64, na_value=np.nan)
    ok = label_resolved.reindex(local["group"]).to_numpy(dtype=np.bool_) & ~np.isnan(inc_region)
    claim_region = table["place_id"].to_numpy(dtype=np.float64, na_value=np.nan)[p[region_rows]]
    regions, codes = np.unique(np.concatenate([inc_region[ok], claim_region]), return_inverse=True)
    del regions
    inc_code, claim_code = codes[: ok.sum()], codes[ok.sum() :]
    inc_ids = np.flatnonzero(ok)
    base = day.min() - window - 1
    stride = int(day.max() - base) + window + 2
    key = inc_code * stride + (local["start"].to_numpy()[inc_ids] - base)
    order = np.argsort(key, kind="stable")
    key, inc_ids = key[order], inc_ids[order]
    want = claim_code * stride + (day[region_rows] - base)
    lo = np.searchsorted(key, want - window, side="left")
    hi = np.searchsorted(key, want, side="right")
    one = (hi - lo) == 1
    incident_of[region_rows[one]] = inc_ids[lo[one]]


def _finish(
    claims: pd.DataFrame,
    *,
    table: pd.DataFrame,
    p: Ints,
    day: Ints,
    user: pd.Series,
    has_user: npt.NDArray[np.bool_],
    incident_of: Ints,
    found: pd.DataFrame | None,
    labels: pd.Index,
) -> pd.DataFrame:
    """Name the incidents and describe each by its own place; per-claim columns by take."""
    codes = pd.factorize(table["label"], sort=True)[0]
    by_label = table.assign(code=codes).sort_values(["code", "text"]).groupby("code").first()
    found = found if found is not None else pd.DataFrame({"group": [], "start": [], "level": []})
    found = found.astype(np.int64)
    info = by_label.reindex(found["group"]).reset_index(drop=True)
    name = info["place_name"].astype(STRING).fillna(info["text"].astype(STRING))
    date = pd.Series(pd.to_datetime(found["start"] * _DAY_US, unit="us").dt.strftime("%Y-%m-%d"))
    name_codes, name_uniques = pd.factorize(name)
    slugs = np.array([slug(str(x)) for x in name_uniques], dtype=object)  # per distinct name
    base = pd.Series(slugs[name_codes] if len(name_codes) else [], dtype=object) + "-" + date
    ordered = pd.DataFrame(
        {"base": base, "level": found["level"], "label": labels[found["group"]].to_numpy()}
    ).sort_values(["base", "level", "label"])
    taken = set(user[has_user].tolist())
    names = pd.Series(_dedupe(ordered["base"].tolist(), taken), index=ordered.index).sort_index()
    incidents = pd.DataFrame(
        {
            "incident": pd.array(names.to_numpy(dtype=object), dtype=STRING),
            "place_id": info["place_id"].astype("Int64").array,
            "place": name.array,
            "feature": info["feature"].astype(STRING).array,
            "country": info["country"].astype(STRING).array,
            "start": found["start"].to_numpy(),
        }
    )
    at = incident_of.copy()
    if has_user.any():
        rows = np.flatnonzero(has_user)
        user_codes, user_ids = pd.factorize(user.to_numpy()[rows])
        text_codes = pd.factorize(table["text"], sort=True)[0][p[rows]]
        order = np.lexsort((text_codes, day[rows], user_codes))
        first = order[np.r_[True, user_codes[order][1:] != user_codes[order][:-1]]]
        pick = table.iloc[p[rows[first]]].reset_index(drop=True)
        user_table = pd.DataFrame(
            {
                "incident": pd.array(
                    np.asarray(user_ids, dtype=object)[user_codes[first]], dtype=STRING
                ),
                "place_id": pick["place_id"].astype("Int64").array,
                "place": pick["place_name"]
                .astype(STRING)
                .fillna(pick["text"].astype(STRING))
                .array,
                "feature": pick["feature"].astype(STRING).array,
                "country": pick["country"].astype(STRING).array,
                "start": day[rows[first]],
            }
        )
        slot = np.empty(len(first), dtype=np.int64)
        slot[user_codes[first]] = np.arange(len(first)) + len(incidents)
        at[rows] = slot[user_codes]
        incidents = pd.concat([incidents, user_table], ignore_index=True)
    out = pd.DataFrame(index=claims.index)
    for column, target in (
        ("incident", "incident"),
        ("place_id", "incident_place_id"),
        ("place", "incident_place"),
        ("feature", "incident_feature"),
        ("country", "incident_country"),
    ):
        out[target] = incidents[column].array.take(at, allow_fill=True)
    start = incidents["start"].to_numpy(dtype=np.int64)[np.maximum(at, 0)] if len(incidents) else at
    out["incident_date"] = pd.to_datetime(start * _DAY_US, unit="us", utc=True).astype(UTC_US)
    return out


def _dedupe(bases: list[str], taken: set[str]) -> list[str]:
    """Suffix repeated ids with -2, -3... (never reusing a taken id); loops over ids only."""
    used = set(taken)
    out = []
    for base in bases:
        name, k = base, 1
        while name in used:
            k += 1
            name = f"{base}-{k}"
        used.add(name)
        out.append(name)
    return out


def incident_table(claims: pd.DataFrame) -> pd.DataFrame:
    """Return one row per incident from claims that carry :data:`INCIDENT_COLUMNS`.

    Columns: ``incident``, ``place_id``, ``place``, ``feature``, ``country``, ``event_date``
    (first event date) and ``n_claims``, sorted by incident.

    Examples
    --------
    >>> import pandas as pd
    >>> from casualtyrec.incidents import group_incidents, incident_table
    >>> claims = pd.DataFrame({
    ...     "place": ["Hroza", "hroza"],
    ...     "event_date": pd.to_datetime(["2023-10-05", "2023-10-05"], utc=True),
    ... })
    >>> incident_table(group_incidents(claims))[["incident", "place", "n_claims"]]
                  incident  place  n_claims
    0  hroza-2023-10-05  Hroza         2
    """
    present = claims[claims["incident"].notna()]
    grouped = present.groupby("incident", sort=True, observed=True)
    first = grouped.first()
    out = pd.DataFrame(
        {
            "incident": pd.Series(first.index.to_numpy(dtype=object), dtype=STRING).array,
            "place_id": first["incident_place_id"].astype("Int64").array,
            "place": first["incident_place"].astype(STRING).array,
            "feature": pd.Categorical(
                first["incident_feature"].astype(object), categories=list(FEATURES)
            ),
            "country": first["incident_country"].astype(STRING).array,
            "event_date": first["incident_date"].astype(UTC_US).array,
            "n_claims": pd.array(grouped.size().to_numpy(), dtype="Int64"),
        }
    )
    return out.reset_index(drop=True)
