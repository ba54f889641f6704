"""Benchmark figure parsing: vectorized parse_figures vs a per-row loop vs quantulum3.

Run: /work/venv/bin/python benchmarks/bench_figures.py

Seeded synthetic data (benchmarks/_data.py): 1,000,000 rows drawn from 10,000 distinct
phrases (qualifiers, ranges, vague words, zeros, number words, separators, ~1% unreadable).

1. parse_figures on all rows (reads each distinct phrase once), best of 3 runs.
2. A naive per-row loop: parse_figure on every row, no cache, then the same DataFrame built
   from the results. Timed on the first 100,000 rows; the rate is extrapolated to 1,000,000.
3. quantulum3 (a peer library) on the first 10,000 rows, and how often its first number
   equals our best.
4. Number words: our grammar vs text2num (alpha2digit, then our digit grammar) on 2,000
   seeded number-word phrases and the hard cases of the research notes.
Peak memory: tracemalloc peak of one parse_figures call, and the process's maxrss.
"""

from __future__ import annotations

import random
import resource
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from _data import number_words, phrase_series

from casualtyrec._types import DTYPES, STRING
from casualtyrec.errors import FigureParseError
from casualtyrec.figures import parse_figure, parse_figures

ROWS = 1_000_000
DISTINCT = 10_000
LOOP_ROWS = 100_000
PEER_ROWS = 10_000
QUALIFIER = DTYPES["qualifier"]


def per_row(phrases: list[str], index: pd.Index) -> pd.DataFrame:
    """The naive baseline: one parse_figure call per row, then the same output frame."""
    low: list[int | None] = []
    best: list[int | None] = []
    high: list[int | None] = []
    qualifier: list[str | None] = []
    reason: list[str | None] = []
    for phrase in phrases:
        try:
            fig = parse_figure(phrase)
        except FigureParseError as err:
            low.append(None)
            best.append(None)
            high.append(None)
            qualifier.append(None)
            reason.append(err.reason)
            continue
        low.append(fig.low)
        best.append(fig.best)
        high.append(fig.high)
        qualifier.append(fig.qualifier)
        reason.append(None)
    return pd.DataFrame(
        {
            "low": pd.array(low, dtype="Int64"),
            "best": pd.array(best, dtype="Int64"),
            "high": pd.array(high, dtype="Int64"),
            "qualifier": pd.Categorical(qualifier, dtype=QUALIFIER),
            "reason": pd.array(reason, dtype=STRING),
        },
        index=index,
    )


def ours(phrase: str) -> int | None:
    try:
        return parse_figure(phrase).best
    except FigureParseError:
        return None


def main() -> None:
    print(f"python {sys.version.split()[0]}, pandas {pd.__version__}, numpy {np.__version__}")
    t0 = time.perf_counter()
    series, codes, pool = phrase_series(ROWS, distinct=DISTINCT, seed=0)
    took = time.perf_counter() - t0
    print(f"data: {ROWS:,} rows from {len(pool):,} distinct phrases ({took:.2f} s)")

    # 1. vectorized
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        out = parse_figures(series)
        times.append(time.perf_counter() - t0)
    vec = ROWS / min(times)
    truth = np.array([-1 if b is None else b for _, b in pool], dtype=np.int64)[codes]
    agree = float(np.mean(out["best"].fillna(-1).to_numpy(dtype=np.int64) == truth))
    rejected = int(out["reason"].notna().sum())
    print(
        f"parse_figures      {ROWS:>9,} rows  {min(times):7.3f} s  {vec:>12,.0f} rows/s"
        f"  (runs: {', '.join(f'{t:.3f}' for t in times)} s; best == generator's truth on"
        f" {agree:.2%} of rows; {rejected:,} rejected)"
    )

    # 2. naive per-row loop (no cache)
    phrases = series.iloc[:LOOP_ROWS].tolist()
    t0 = time.perf_counter()
    loop_out = per_row(phrases, series.index[:LOOP_ROWS])
    loop_time = time.perf_counter() - t0
    loop = LOOP_ROWS / loop_time
    same = loop_out.equals(out.iloc[:LOOP_ROWS])
    print(
        f"per-row loop       {LOOP_ROWS:>9,} rows  {loop_time:7.3f} s  {loop:>12,.0f} rows/s"
        f"  (extrapolated to {ROWS:,} rows: {ROWS / loop:.1f} s; same frame as parse_figures:"
        f" {same})"
    )
    print(f"speed-up vectorized / per-row: {vec / loop:.1f}x")

    # memory
    tracemalloc.start()
    parse_figures(series)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak memory: parse_figures traced {peak / 2**20:.0f} MiB; process maxrss {maxrss:.0f} MiB"
    )

    # 3. quantulum3
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser  # type: ignore[import-untyped]  # noqa: PLC0415
    except ImportError:
        print("quantulum3: not installed; run `/work/venv/bin/pip install quantulum3` to compare")
    else:
        peer_phrases = phrases[:PEER_ROWS]
        expected = out["best"].iloc[:PEER_ROWS].tolist()
        t0 = time.perf_counter()
        values = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for phrase in peer_phrases:
                found = parser.parse(phrase)
                values.append(found[0].value if found else None)
        peer_time = time.perf_counter() - t0
        hits = sum(
            1
            for v, e in zip(values, expected, strict=True)
            if v is not None and e is not pd.NA and v == e
        )
        print(
            f"quantulum3         {PEER_ROWS:>9,} rows  {peer_time:7.3f} s  "
            f"{PEER_ROWS / peer_time:>12,.0f} rows/s  (first number == our best on "
            f"{hits / PEER_ROWS:.1%} of rows; vectorized is {vec / (PEER_ROWS / peer_time):,.0f}x)"
        )

    # 4. number words: ours vs text2num
    rng = random.Random(1)
    numbers = [rng.choice([rng.randint(0, 99), rng.randint(100, 9_999_999)]) for _ in range(2000)]
    words = [number_words(n, rng) for n in numbers]
    hard = {
        "1.2 thousand": 1200,
        "1.5 thousand": 1500,
        "2.3 million": 2_300_000,
        "hundreds of": 200,
        "a dozen": 12,
        "a couple of": 2,
        "a hundred and ten": 110,
        "twenty one": 21,
        "one": 1,
        "someone was hurt": None,
        "the tone of the statement": None,
    }
    t0 = time.perf_counter()
    ours_words = [ours(w) for w in words]
    ours_time = time.perf_counter() - t0
    ours_ok = sum(v == n for v, n in zip(ours_words, numbers, strict=True))
    ours_hard = sum(ours(p) == v for p, v in hard.items())
    print(
        f"number words, ours:     {ours_ok}/{len(words)} right, {len(words) / ours_time:,.0f}"
        f" phrases/s; hard cases {ours_hard}/{len(hard)}"
    )
    try:
        from text_to_num import alpha2digit  # noqa: PLC0415 - optional peer
    except ImportError:
        print("text2num: not installed; run `/work/venv/bin/pip install text2num` to compare")
        return
    t0 = time.perf_counter()
    converted = [alpha2digit(w, "en") for w in words]
    t2n_time = time.perf_counter() - t0
    t2n_ok = sum(ours(c) == n for c, n in zip(converted, numbers, strict=True))
    t2n_hard = sum(ours(alpha2digit(p, "en")) == v for p, v in hard.items())
    wrong = [p for p, v in hard.items() if ours(alpha2digit(p, "en")) != v]
    print(
        f"number words, text2num: {t2n_ok}/{len(words)} right (alpha2digit, then our digit"
        f" grammar), alpha2digit alone {len(words) / t2n_time:,.0f} phrases/s; hard cases"
        f" {t2n_hard}/{len(hard)}, wrong on {wrong}"
    )

    print(
        "targets: vectorized >= 1,000,000 rows/s: "
        f"{'PASS' if vec >= 1_000_000 else 'FAIL'}; >= 20x per-row: "
        f"{'PASS' if vec / loop >= 20 else 'FAIL'}; peak < 1 GiB: "
        f"{'PASS' if maxrss < 1024 else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
