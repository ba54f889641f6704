"""Real series nobody here wrote, through reconcile(): Gaza daily reports, UA General Staff.

    python benchmarks/real_series.py [--external ../shared/external] [--first N]

Reads ``../shared/external`` at run time (never copied into the repository; the script exits
cleanly when the folder is absent) and builds two claims tables:

- Gaza (``gaza_casualties_daily.json``): each daily report of the Ministry of Health
  (``mohtel``) or the Government Media Office (``gmotel``) gives cumulative killed and
  injured, and killed children, women, medics, journalists (press) and rescuers (civil
  defence), from the reported fields only (never the ``ext_`` gap fills). Reports are dated,
  not timed: each is placed at 12:00 UTC of its date. The whole war is one running total, so
  the table names its incident (``gaza-war``).
- Russian losses claimed by the Ukrainian General Staff: every equipment kind becomes its own
  category and entity (``tanks.destroyed`` counts ``tank``; drones, cruise missiles and
  vehicles use the built-in ``drones.``, ``missiles.`` and ``vehicles.destroyed``), personnel
  is ``personnel.lost`` (entity ``person``, its own category) read from the phrase "about N"
  (or "more than N") with the SPEC §2 qualifiers. Daily reports are written at 09:00 Kyiv
  time as tz-naive text, read with ``assume_tz="Europe/Kyiv"``. Each day of the correction
  file is applied as a revision: the same source restates that day's total plus the delta at
  18:00, replacing its own morning figure.

For each category the script prints the rows, the final low/best/high, and how many rows are
revised, contested and lowered, with the first few of each. It checks that no timeline row
mixes claims of two categories or two entities.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

import casualtyrec as cr
from casualtyrec import kinds

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
GAZA_SOURCES = {"mohtel": "Gaza Ministry of Health", "gmotel": "Gaza Government Media Office"}
GAZA_FIELDS = {  # reported field -> (category, subgroup)
    "killed_cum": ("people.killed", "all"),
    "injured_cum": ("people.injured", "all"),
    "killed_children_cum": ("people.killed", "children"),
    "killed_women_cum": ("people.killed", "women"),
    "med_killed_cum": ("people.killed", "medics"),
    "press_killed_cum": ("people.killed", "journalists"),
    "civdef_killed_cum": ("people.killed", "rescuers"),
}
GENSTAFF = "Ukrainian General Staff"
EQUIPMENT = {  # field -> (category, entity)
    "aircraft": ("aircraft.destroyed", "aircraft"),
    "helicopter": ("helicopters.destroyed", "helicopter"),
    "tank": ("tanks.destroyed", "tank"),
    "APC": ("apcs.destroyed", "apc"),
    "field artillery": ("artillery.destroyed", "artillery_system"),
    "MRL": ("mrls.destroyed", "mrl"),
    "drone": ("drones.destroyed", "drone"),
    "naval ship": ("ships.destroyed", "ship"),
    "submarines": ("submarines.destroyed", "submarine"),
    "anti-aircraft warfare": ("air_defence.destroyed", "air_defence_system"),
    "special equipment": ("special_equipment.destroyed", "special_equipment_unit"),
    "vehicles and fuel tanks": ("vehicles.destroyed", "vehicle"),
    "military auto": ("military_autos.destroyed", "military_auto"),
    "fuel tank": ("fuel_tanks.destroyed", "fuel_tank"),
    "cruise missiles": ("missiles.destroyed", "missile"),
    "ground robotic systems": ("ground_robots.destroyed", "ground_robot"),
    "mobile SRBM system": ("srbm_systems.destroyed", "srbm_system"),
}
PERSONNEL = "personnel.lost"


def register() -> None:
    """Register the General Staff's categories (idempotent)."""
    for category, entity in EQUIPMENT.values():
        kinds.register_category(category, entity=entity)
    kinds.register_category(PERSONNEL, entity="person")


def gaza_claims(folder: Path, *, first: int | None = None) -> pd.DataFrame:
    """One claim per reported figure per daily report (reported fields only)."""
    reports = json.loads((folder / "gaza_casualties_daily.json").read_text())
    reports = [r for r in reports if r["report_source"] in GAZA_SOURCES][:first]
    rows = []
    for report in reports:
        for field, (category, subgroup) in GAZA_FIELDS.items():
            value = report.get(field)
            if value is None:
                continue
            rows.append(
                {
                    "claim_id": f"gaza-{report['report_date']}-{report['report_source']}-{field}",
                    "source": GAZA_SOURCES[report["report_source"]],
                    "reported_at": f"{report['report_date']}T12:00:00Z",
                    "place": "Gaza Strip",
                    "incident": "gaza-war",
                    "category": category,
                    "subgroup": subgroup,
                    "low": value,
                    "best": value,
                    "high": value,
                    "event_date": "2023-10-07",
                }
            )
    return pd.DataFrame(rows)


def genstaff_claims(
    folder: Path, *, start: str | None = None, stop: str | None = None
) -> pd.DataFrame:
    """Equipment and personnel claims, and the corrections as same-day restatements."""
    register()
    equipment = json.loads((folder / "ua_genstaff_russia_losses_equipment.json").read_text())
    corrections = json.loads(
        (folder / "ua_genstaff_russia_losses_equipment_correction.json").read_text()
    )
    personnel = json.loads((folder / "ua_genstaff_russia_losses_personnel.json").read_text())

    def inside(day: str) -> bool:
        return (start is None or day >= start) and (stop is None or day <= stop)

    rows = []

    def claim(day: str, time: str, category: str, figure: str | int, tag: str) -> None:
        # counts go in as numbers (a bare "1919" reads as a year in a phrase); personnel as
        # its phrase, "about 2800", so that parse_figures applies the SPEC §2 qualifier
        number = figure if isinstance(figure, int) else None
        rows.append(
            {
                "claim_id": f"gs-{day}-{time[:2]}-{tag}",
                "source": GENSTAFF,
                "reported_at": f"{day} {time}",
                "place": "Ukraine",
                "incident": "russia-losses",
                "category": category,
                "figure": None if number is not None else figure,
                "low": number,
                "best": number,
                "high": number,
                "event_date": "2022-02-24",
            }
        )

    daily: dict[tuple[str, str], int] = {}
    for report in equipment:
        if not inside(report["date"]):
            continue
        for field, (category, _) in EQUIPMENT.items():
            value = report.get(field)
            if isinstance(value, int):
                daily[(report["date"], field)] = value
                claim(report["date"], "09:00", category, value, field)
    for report in personnel:
        if inside(report["date"]):
            qualifier = {"about": "about", "more": "more than"}[report["personnel*"]]
            claim(report["date"], "09:00", PERSONNEL, f"{qualifier} {report['personnel']}", "p")
    for fix in corrections:
        for field, delta in fix.items():
            base = daily.get((fix["date"], field))
            if field in EQUIPMENT and delta and base is not None:
                claim(fix["date"], "18:00", EQUIPMENT[field][0], base + delta, field)
    return pd.DataFrame(rows)


def check_categories_never_mix(result: cr.Reconciliation) -> int:
    """Every claim behind a row has the row's category (and so its entity); return rows seen."""
    category_of = result.claims.set_index("claim_id")["category"].astype(str)
    exploded = result.timeline[["category", "claim_ids"]].explode("claim_ids")
    behind = category_of.reindex(exploded["claim_ids"].astype(str)).to_numpy()
    mixed = exploded["category"].astype(str).to_numpy() != behind
    if mixed.any():
        raise AssertionError(f"{int(mixed.sum())} claims sit under another category")
    for category in result.timeline["category"].cat.categories:
        kinds.entity_of(str(category))  # every category has exactly one registered entity
    return len(result.timeline)


def describe(name: str, result: cr.Reconciliation, *, show: int = 3) -> None:
    """Print per category: rows, final interval, revised / contested / lowered rows."""
    t = result.timeline
    rejected = int((result.claims["status"] == "rejected").sum())
    print(f"\n== {name}: {len(result.claims):,} claims ({rejected} rejected), {len(t):,} rows")
    for (category, subgroup), rows in t.groupby(["category", "subgroup"], observed=True):
        last = rows.iloc[-1]
        high = "NA" if pd.isna(last["high"]) else f"{last['high']:,}"
        lowered = rows[rows["note"].fillna("").str.contains("lowered")]
        revised = rows[rows["status"] == "revised"]
        contested = rows[rows["status"] == "contested"]
        print(
            f"{category}/{subgroup}: {len(rows):,} rows; final [{last['low']:,}, "
            f"{last['best']:,}, {high}] as of {last['as_of']:%Y-%m-%d}; revised "
            f"{len(revised):,}, contested {len(contested):,}, lowered {len(lowered):,}"
        )
        for label, part in (("contested", contested), ("lowered", lowered)):
            for _, row in part.head(show).iterrows():
                high = "NA" if pd.isna(row["high"]) else row["high"]
                print(
                    f"    {label} {row['as_of']:%Y-%m-%d %H:%M}: "
                    f"[{row['low']}, {row['best']}, {high}] {row['note']}"
                )
        for _, row in revised.head(1).iterrows():
            print(f"    revised {row['as_of']:%Y-%m-%d %H:%M}: best {row['best']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--external", type=Path, default=EXTERNAL)
    parser.add_argument("--first", type=int, default=None, help="only the first N Gaza reports")
    args = parser.parse_args()
    if not args.external.is_dir():
        print(f"skipped: {args.external} is absent")
        return
    gaza = cr.reconcile(gaza_claims(args.external, first=args.first))
    describe("Gaza, Ministry of Health and Government Media Office", gaza)
    staff = cr.reconcile(genstaff_claims(args.external), assume_tz="Europe/Kyiv")
    describe("Russian losses claimed by the Ukrainian General Staff", staff)
    checked = check_categories_never_mix(gaza) + check_categories_never_mix(staff)
    print(f"\nno row mixes categories or entities ({checked:,} rows checked)")


if __name__ == "__main__":
    main()
