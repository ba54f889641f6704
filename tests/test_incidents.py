"""group_incidents(): SPEC §5 place hierarchy, windows, user ids and readable ids."""

from __future__ import annotations

import pandas as pd

from casualtyrec.incidents import group_incidents, incident_table, normalize_place, slug

KHARKIV = (706483, "Kharkiv", "city", 706482, "UA")
CHUHUIV = (706524, "Chuhuyiv", "city", 706482, "UA")
KHARKIV_OBLAST = (706482, "Kharkiv Oblast", "region", 706482, "UA")
BELGOROD = (578072, "Belgorod", "city", 578071, "RU")
UKRAINE = (690791, "Ukraine", "country", None, "UA")


def claims(*rows: tuple) -> pd.DataFrame:
    data = []
    for text, place, date, *rest in rows:
        place_id, name, feature, region_id, country = place or (None,) * 5
        data.append(
            {
                "place": text,
                "place_id": place_id,
                "place_name": name,
                "feature": feature,
                "region_id": region_id,
                "country": country,
                "place_status": "resolved" if place else "unresolved",
                "event_date": pd.Timestamp(date, tz="UTC"),
                "incident": rest[0] if rest else None,
            }
        )
    return pd.DataFrame(data).astype({"place_id": "Int64", "region_id": "Int64"})


def ids(frame: pd.DataFrame) -> list[str]:
    return group_incidents(frame)["incident"].tolist()


def test_same_place_within_window_and_no_chaining():
    frame = claims(
        ("Kharkiv", KHARKIV, "2023-12-30"),
        ("Kharkiv", KHARKIV, "2023-12-31"),  # within a day of the first
        ("Kharkiv", KHARKIV, "2024-01-01"),  # two days after the first: a new incident
        ("Kharkiv", KHARKIV, "2024-01-02"),  # joins the 01-01 incident
    )
    assert ids(frame) == [
        "kharkiv-2023-12-30",
        "kharkiv-2023-12-30",
        "kharkiv-2024-01-01",
        "kharkiv-2024-01-01",
    ]


def test_two_places_same_night_are_two_incidents():
    frame = claims(("Kharkiv", KHARKIV, "2023-12-30"), ("Belgorod", BELGOROD, "2023-12-30"))
    assert ids(frame) == ["kharkiv-2023-12-30", "belgorod-2023-12-30"]


def test_region_joins_the_one_incident_in_its_region():
    frame = claims(
        ("Kharkiv", KHARKIV, "2023-12-30"),
        ("Kharkiv oblast", KHARKIV_OBLAST, "2023-12-30"),
    )
    out = group_incidents(frame)
    assert out["incident"].tolist() == ["kharkiv-2023-12-30"] * 2
    assert out["incident_place_id"].tolist() == [706483, 706483]  # the incident's own place


def test_region_with_two_candidates_forms_its_own_incident():
    frame = claims(
        ("Kharkiv", KHARKIV, "2023-12-30"),
        ("Chuhuiv", CHUHUIV, "2023-12-30"),
        ("Kharkiv oblast", KHARKIV_OBLAST, "2023-12-30"),
        ("Kharkiv oblast", KHARKIV_OBLAST, "2023-12-05"),  # no incident that day either
    )
    assert ids(frame) == [
        "kharkiv-2023-12-30",
        "chuhuyiv-2023-12-30",
        "kharkiv-oblast-2023-12-30",
        "kharkiv-oblast-2023-12-05",
    ]


def test_country_never_joins_and_groups_per_date():
    frame = claims(
        ("Kharkiv", KHARKIV, "2023-12-30"),
        ("Ukraine", UKRAINE, "2023-12-30"),
        ("Ukraine", UKRAINE, "2023-12-31"),
        ("Ukraine", UKRAINE, "2023-12-30"),
    )
    assert ids(frame) == [
        "kharkiv-2023-12-30",
        "ukraine-2023-12-30",
        "ukraine-2023-12-31",
        "ukraine-2023-12-30",
    ]


def test_unresolved_places_group_by_normalized_text():
    frame = claims(
        ("Hroza", None, "2023-10-05"),
        (" hroza ", None, "2023-10-05"),
        ("Гроза", None, "2023-10-05"),
    )
    out = group_incidents(frame)
    assert out["incident"].tolist() == [
        "hroza-2023-10-05",
        "hroza-2023-10-05",
        "hroza-2023-10-05-2",
    ]
    assert out["incident_place_id"].isna().all()
    assert out["incident_place"].tolist()[:2] == [" hroza ", " hroza "]  # first text by sort


def test_user_ids_are_kept_and_never_reused():
    frame = claims(
        ("Kharkiv", KHARKIV, "2023-12-30", "kharkiv-2023-12-30"),
        ("Kharkiv", KHARKIV, "2024-01-05"),
        ("Kharkiv", KHARKIV, "2023-12-30"),
    )
    out = group_incidents(frame)
    assert out["incident"].tolist() == [
        "kharkiv-2023-12-30",
        "kharkiv-2024-01-05",
        "kharkiv-2023-12-30-2",
    ]
    assert out["incident_place_id"].iloc[0] == 706483


def test_row_order_does_not_change_ids():
    frame = claims(
        ("Hroza", None, "2023-10-05"),
        ("Гроза", None, "2023-10-05"),
        ("Kharkiv", KHARKIV, "2023-12-30"),
        ("Kharkiv oblast", KHARKIV_OBLAST, "2023-12-31"),
    )
    forward = group_incidents(frame)["incident"]
    backward = group_incidents(frame.iloc[::-1])["incident"]
    assert forward.to_dict() == backward.to_dict()


def test_incident_table_counts_claims():
    frame = claims(("Kharkiv", KHARKIV, "2023-12-30"), ("Kharkiv", KHARKIV, "2023-12-31"))
    table = incident_table(group_incidents(frame))
    assert table["incident"].tolist() == ["kharkiv-2023-12-30"]
    assert table["n_claims"].tolist() == [2]
    assert table["event_date"].iloc[0] == pd.Timestamp("2023-12-30", tz="UTC")


def test_slug_and_normalize():
    assert slug("Zaporizhzhya Oblast") == "zaporizhzhya-oblast"
    assert slug("Харків") == "kharkiv"
    assert slug("القدس") == "place"
    assert normalize_place("Kharkiv,  city!") == "kharkiv city"
