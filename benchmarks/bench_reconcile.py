"""reconcile() on 1,000,000 synthetic claims against a per-row loop, in one run.

    python benchmarks/bench_reconcile.py [--claims 1000000] [--loop-claims 20000]

The data (seeded, never downloaded): 50,000 incidents at 60 real places (spelled in English,
Cyrillic or lower case), 3 keys each (killed/all, injured/all, killed/children), 5 sources
reporting rising totals as figure phrases ("at least 14", "21 dead", "more than 100",
"about 40"), with corrections downward, same-hour disagreements, and 5% bad rows (unknown
category, a phrase with no number, a missing source, a missing time).

Timed: ``casualtyrec.reconcile`` from the raw table (figure parsing, place resolution,
incidents and the timeline included) twice: cold (the gazetteer loads on first use) and warm.
Peak memory is sampled from the process RSS above the level before the call. The baseline
is ``_loop_reconcile.loop_reconcile`` (row by row: ``parse_figure`` per row, each distinct
place resolved once, dicts per key); it runs on the claims of the first incidents
(`--loop-claims` of them) and is extrapolated linearly to the full size, as printed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import gc
import multiprocessing
import threading
import time
from pathlib import Path
from typing import Self

import numpy as np
import pandas as pd
from _loop_reconcile import loop_reconcile

import casualtyrec as cr

PLACES = (
    "Kharkiv",
    "Kyiv",
    "Odesa",
    "Dnipro",
    "Zaporizhzhia",
    "Kherson",
    "Mykolaiv",
    "Sumy",
    "Chernihiv",
    "Poltava",
    "Belgorod",
    "Kursk",
    "Donetsk",
    "Kramatorsk",
    "Bakhmut",
    "Avdiivka",
    "Izium",
    "Kupiansk",
    "Lviv",
    "Rivne",
    "Lutsk",
    "Ternopil",
    "Khmelnytskyi",
    "Vinnytsia",
    "Kropyvnytskyi",
    "Cherkasy",
    "Zhytomyr",
    "Bryansk",
    "Voronezh",
    "Shebekino",
    "Nikopol",
    "Marhanets",
    "Pavlohrad",
    "Chuhuiv",
    "Vovchansk",
    "Lozova",
    "Balakliia",
    "Kostiantynivka",
    "Druzhkivka",
    "Toretsk",
    "Selydove",
    "Myrnohrad",
    "Huliaipole",
    "Orikhiv",
    "Melitopol",
    "Berdiansk",
    "Mariupol",
    "Enerhodar",
    "Okhtyrka",
    "Konotop",
    "Shostka",
    "Romny",
    "Lebedyn",
    "Bilopillia",
    "Sloviansk",
    "Pokrovsk",
    "Kryvyi",
    "Uzhhorod",
    "Chernivtsi",
)
CYRILLIC = {
    "Kharkiv": "Харків",
    "Kyiv": "Київ",
    "Odesa": "Одеса",
    "Dnipro": "Дніпро",
    "Kherson": "Херсон",
    "Belgorod": "Белгород",
    "Kursk": "Курск",
    "Sumy": "Суми",
}
SOURCES = ("governor", "state news agency", "international agency", "ministry", "local outlet")
KEYS = (("people.killed", "all"), ("people.injured", "all"), ("people.killed", "children"))
TEMPLATES = ("{n}", "{n} dead", "at least {n}", "more than {m}", "about {n}", "risen to {n}")


def synthetic_claims(n_claims: int = 1_000_000, n_incidents: int = 50_000, *, seed: int = 5):
    """The benchmark's claims table, as a user would build it (strings and timestamps)."""
    rng = np.random.default_rng(seed)
    per_place = -(-n_incidents // len(PLACES))
    inc = np.arange(n_incidents)
    place = inc % len(PLACES)
    day = pd.Timestamp("2022-02-24", tz="UTC") + pd.to_timedelta(2 * (inc // len(PLACES)), "D")
    del per_place
    key = rng.integers(0, n_incidents * len(KEYS), n_claims)
    incident = key // len(KEYS)
    sub_key = key % len(KEYS)
    source = rng.integers(0, len(SOURCES), n_claims)
    minutes = np.round(rng.gamma(2.0, 600.0, n_claims)).astype(np.int64)  # reports over ~2 days
    final = rng.integers(1, 400, n_incidents * len(KEYS))[key]
    final = np.where(sub_key == 2, final // 8 + 1, final)
    share = np.minimum(1.0, np.sqrt((minutes + 30) / 2400.0))
    value = np.maximum(1, np.floor(final * share)).astype(np.int64)
    # a source that lowers its figure, or an outlier that contradicts the others
    roll = rng.random(n_claims)
    value = np.where(roll < 0.04, np.maximum(0, value - rng.integers(1, 6, n_claims)), value)
    value = np.where((roll >= 0.04) & (roll < 0.06), value + rng.integers(5, 30, n_claims), value)
    template = rng.choice(len(TEMPLATES), n_claims, p=[0.35, 0.2, 0.2, 0.1, 0.1, 0.05])
    text = pd.Series(value).astype(str)
    below = pd.Series(np.maximum(value - 1, 0)).astype(str)
    figure = pd.Series(np.empty(n_claims, dtype=object))
    for k, pattern in enumerate(TEMPLATES):
        mask = template == k
        figure[mask] = [
            pattern.format(n=a, m=b) for a, b in zip(text[mask], below[mask], strict=True)
        ]
    names = np.array(PLACES, dtype=object)[place[incident]]
    spelling = rng.random(n_claims)
    cyr = pd.Series(names).map(CYRILLIC)
    names = np.where((spelling < 0.2) & cyr.notna().to_numpy(), cyr.to_numpy(), names)
    names = np.where((spelling >= 0.2) & (spelling < 0.3), pd.Series(names).str.lower(), names)
    reported = day[incident] + pd.to_timedelta(minutes, "min")
    frame = pd.DataFrame(
        {
            "claim_id": "b" + pd.Series(np.arange(n_claims)).astype(str),
            "source": np.array(SOURCES, dtype=object)[source],
            "reported_at": reported.astype("datetime64[us, UTC]"),
            "place": names,
            "category": np.array([k[0] for k in KEYS], dtype=object)[sub_key],
            "subgroup": np.array([k[1] for k in KEYS], dtype=object)[sub_key],
            "figure": figure,
            "event_date": day[incident].strftime("%Y-%m-%d"),
        }
    )
    bad = rng.random(n_claims) < 0.05
    kind = rng.integers(0, 4, n_claims)
    frame.loc[bad & (kind == 0), "category"] = "people.kiled"
    frame.loc[bad & (kind == 1), "figure"] = "casualties reported"
    frame.loc[bad & (kind == 2), "source"] = None
    frame.loc[bad & (kind == 3), "reported_at"] = pd.NaT
    return frame, incident


class PeakRss:
    """Sample this process's resident memory every few milliseconds; report the peak."""

    def __init__(self) -> None:
        self.peak = self.base = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss())

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())


def _rss() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096


def _cold_peak(claims: pd.DataFrame) -> tuple[int, int]:
    gc.collect()
    with PeakRss() as mem:
        cr.reconcile(claims)
    return mem.base, mem.peak


def _cold_peak_in_child(claims: pd.DataFrame) -> tuple[int, int]:
    """Peak RSS of the first reconcile() of a fork made before the parent ran it."""
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(_cold_peak, claims).result()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--incidents", type=int, default=50_000)
    parser.add_argument("--loop-claims", type=int, default=20_000)
    args = parser.parse_args()
    t0 = time.perf_counter()
    claims, incident = synthetic_claims(args.claims, args.incidents)
    print(
        f"data: {len(claims):,} claims, {args.incidents:,} incidents, {len(SOURCES)} sources, "
        f"built in {time.perf_counter() - t0:.1f} s"
    )
    gib = 2**30
    # Timings run with nothing else in the process: a sampling thread would take the GIL
    # from reconcile() every few milliseconds and slow what it measures. Memory is measured
    # separately, on the first reconcile() of a child forked before this process called it.
    base, peak = _cold_peak_in_child(claims)
    results = {}
    for label in ("cold", "warm"):
        gc.collect()
        start = time.perf_counter()
        result = cr.reconcile(claims)
        seconds = time.perf_counter() - start
        results[label] = seconds
        print(f"reconcile ({label}): {seconds:.2f} s, {len(claims) / seconds:,.0f} claims/s")
        del result
    print(
        f"peak memory of a cold reconcile() (forked child, RSS sampled every 5 ms): "
        f"+{(peak - base) / gib:.2f} GiB over {base / gib:.2f} GiB before the call "
        "(the input frame)"
    )
    result = cr.reconcile(claims)
    status = result.claims["status"].value_counts()
    rows = result.timeline["status"].value_counts()
    print(
        f"  {status.get('accepted', 0):,} accepted, {status.get('rejected', 0):,} rejected; "
        f"{len(result.incidents):,} incidents; {len(result.timeline):,} timeline rows "
        f"({', '.join(f'{k} {v:,}' for k, v in rows.items())})"
    )
    # the loop, on the claims of the first incidents, extrapolated
    order = np.argsort(incident, kind="stable")
    part = claims.iloc[np.sort(order[: args.loop_claims])]
    start = time.perf_counter()
    loop_rows = loop_reconcile(part)
    loop_seconds = time.perf_counter() - start
    extrapolated = loop_seconds * len(claims) / len(part)
    print(
        f"per-row loop: {loop_seconds:.2f} s on {len(part):,} claims ({len(loop_rows):,} rows), "
        f"{len(part) / loop_seconds:,.0f} claims/s; extrapolated to {len(claims):,} claims: "
        f"{extrapolated:.0f} s"
    )
    for label, seconds in results.items():
        print(f"speed-up ({label}): {extrapolated / seconds:.0f}x")
    vector = cr.reconcile(part).timeline
    same = (
        len(vector) == len(loop_rows)
        and (vector["best"].astype("int64").to_numpy() == loop_rows["best"].to_numpy()).all()
    )
    print(f"loop and reconcile agree on the slice: {bool(same)}")


if __name__ == "__main__":
    main()
