"""reconcile() on Dask: 10,000,000 claims from Parquet on a 2-worker LocalCluster.

    python benchmarks/bench_dask.py [--rows 10000000] [--incidents 500000]
                                    [--pandas-rows 1000000] [--data DIR]

The data (seeded, never downloaded) is the generator of ``bench_reconcile.py`` (real places
spelled in English, Cyrillic or lower case; 3 keys per incident; 5 sources with rising
figure phrases, corrections and outliers; 5% bad rows), written to Parquet in chunks of
``--chunk`` rows (one file each, so the generator never holds more than one chunk) under
``--data`` and reused by later runs with the same size and seed.

Timed: ``dd.read_parquet`` (lazy) -> ``casualtyrec.reconcile`` -> ``timeline.to_parquet``
on a ``distributed.LocalCluster(n_workers=2, threads_per_worker=1, memory_limit="3GiB")``.
``reconcile()`` computes the scan, the place resolution and the incident grouping; the
timeline is computed only when it is written, by the workers, never gathered in the client.

Memory, as measured: each worker process runs a thread (started with ``client.run``) that
samples its own resident set size (psutil RSS) every 20 ms and keeps the maximum; the
client's RSS is sampled the same way. A worker restarted by its nanny (over the limit)
would show a new pid: the run reports it.

Baseline in the same run: pandas ``reconcile`` on the first ``--pandas-rows`` rows (the
first Parquet files), timed and memory-sampled in the client process; Dask on the same
slice (same cluster) must give the same timeline.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import threading
import time
from pathlib import Path

import dask.dataframe as dd
import numpy as np
import pandas as pd
import psutil
import pyarrow as pa
import pyarrow.parquet as pq
from bench_reconcile import CYRILLIC, KEYS, PLACES, SOURCES, TEMPLATES, PeakRss
from distributed import Client, LocalCluster

import casualtyrec as cr
from casualtyrec._types import STRING_LIST

GIB = 2**30
_PREFIX = np.array(["", "", "at least ", "more than ", "about ", "risen to "], dtype=object)
_SUFFIX = np.array(["", " dead", "", "", "", ""], dtype=object)


def claims_chunk(
    start: int, size: int, n_incidents: int, finals: np.ndarray, *, seed: int, chunk: int
) -> pd.DataFrame:
    """Rows `start` .. `start + size` of the table (as ``bench_reconcile.synthetic_claims``)."""
    rng = np.random.default_rng([seed, chunk])
    key = rng.integers(0, n_incidents * len(KEYS), size)
    incident = key // len(KEYS)
    sub_key = key % len(KEYS)
    place = incident % len(PLACES)
    day = pd.Timestamp("2022-02-24", tz="UTC") + pd.to_timedelta(2 * (incident // len(PLACES)), "D")
    source = rng.integers(0, len(SOURCES), size)
    minutes = np.round(rng.gamma(2.0, 600.0, size)).astype(np.int64)
    final = np.where(sub_key == 2, finals[key] // 8 + 1, finals[key])
    share = np.minimum(1.0, np.sqrt((minutes + 30) / 2400.0))
    value = np.maximum(1, np.floor(final * share)).astype(np.int64)
    roll = rng.random(size)
    value = np.where(roll < 0.04, np.maximum(0, value - rng.integers(1, 6, size)), value)
    value = np.where((roll >= 0.04) & (roll < 0.06), value + rng.integers(5, 30, size), value)
    template = rng.choice(len(TEMPLATES), size, p=[0.35, 0.2, 0.2, 0.1, 0.1, 0.05])
    number = np.where(template == 3, np.maximum(value - 1, 0), value).astype(str).astype(object)
    figure = _PREFIX[template] + number + _SUFFIX[template]
    names = np.array(PLACES, dtype=object)[place]
    spelling = rng.random(size)
    cyr = pd.Series(names).map(CYRILLIC)
    names = np.where((spelling < 0.2) & cyr.notna().to_numpy(), cyr.to_numpy(), names)
    lower = pd.Series(names).str.lower().to_numpy()
    names = np.where((spelling >= 0.2) & (spelling < 0.3), lower, names)
    frame = pd.DataFrame(
        {
            "claim_id": "b" + np.arange(start, start + size).astype(str).astype(object),
            "source": np.array(SOURCES, dtype=object)[source],
            "reported_at": (day + pd.to_timedelta(minutes, "min")).astype("datetime64[us, UTC]"),
            "place": names,
            "category": np.array([k[0] for k in KEYS], dtype=object)[sub_key],
            "subgroup": np.array([k[1] for k in KEYS], dtype=object)[sub_key],
            "figure": figure,
            "event_date": day.strftime("%Y-%m-%d"),
        }
    )
    bad = rng.random(size) < 0.05
    kind = rng.integers(0, 4, size)
    frame.loc[bad & (kind == 0), "category"] = "people.kiled"
    frame.loc[bad & (kind == 1), "figure"] = "casualties reported"
    frame.loc[bad & (kind == 2), "source"] = None
    frame.loc[bad & (kind == 3), "reported_at"] = pd.NaT
    return frame


def write_data(directory: Path, rows: int, n_incidents: int, chunk: int, seed: int) -> float:
    """Write the table as Parquet files of `chunk` rows; reuse them when already there."""
    manifest = {"rows": rows, "incidents": n_incidents, "chunk": chunk, "seed": seed}
    stamp = directory / "manifest.json"
    if stamp.exists() and json.loads(stamp.read_text()) == manifest:
        return 0.0
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    start_time = time.perf_counter()
    finals = np.random.default_rng(seed).integers(1, 400, n_incidents * len(KEYS))
    for number, start in enumerate(range(0, rows, chunk)):
        size = min(chunk, rows - start)
        frame = claims_chunk(start, size, n_incidents, finals, seed=seed, chunk=number)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        pq.write_table(table, directory / f"part-{number:05d}.parquet")
    stamp.write_text(json.dumps(manifest))
    return time.perf_counter() - start_time


def _start_sampler(dask_worker) -> int:
    """Sample this worker process's RSS every 20 ms; keep the peak on the worker."""
    process = psutil.Process()
    state = {"peak": process.memory_info().rss, "stop": threading.Event()}

    def run() -> None:
        while not state["stop"].wait(0.02):
            state["peak"] = max(state["peak"], process.memory_info().rss)

    threading.Thread(target=run, daemon=True).start()
    dask_worker._casualtyrec_rss = state  # noqa: SLF001
    return process.pid


def _stop_sampler(dask_worker) -> tuple[int, int]:
    state = dask_worker._casualtyrec_rss  # noqa: SLF001
    state["stop"].set()
    return psutil.Process().pid, max(state["peak"], psutil.Process().memory_info().rss)


def run_dask(client: Client, files: list[str], out: Path) -> tuple[float, float, dict]:
    """reconcile() from Parquet, timeline to Parquet: (reconcile s, total s, worker peaks)."""
    shutil.rmtree(out, ignore_errors=True)
    pids = client.run(_start_sampler)
    start = time.perf_counter()
    claims = dd.read_parquet(files)
    result = cr.reconcile(claims)
    planned = time.perf_counter() - start
    result.timeline.to_parquet(out, write_index=False)
    total = time.perf_counter() - start
    after = client.run(_stop_sampler)
    peaks = {}
    for address, (pid, peak) in after.items():
        restarted = pids.get(address) != pid
        peaks[address] = (peak, restarted)
    if set(pids) != set(after):
        peaks["(workers replaced)"] = (0, True)
    return planned, total, peaks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--incidents", type=int, default=None, help="default rows / 20")
    parser.add_argument("--pandas-rows", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=250_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path("/tmp/casualtyrec-bench-dask"))  # noqa: S108
    args = parser.parse_args()
    n_incidents = args.incidents or max(1, args.rows // 20)
    data = args.data / f"claims-{args.rows}"
    seconds = write_data(data, args.rows, n_incidents, args.chunk, args.seed)
    files = sorted(str(p) for p in data.glob("part-*.parquet"))
    size = sum(Path(f).stat().st_size for f in files)
    made = f"written in {seconds:.0f} s" if seconds else "reused"
    print(
        f"data: {args.rows:,} claims, {n_incidents:,} incidents, {len(files)} Parquet files "
        f"({size / GIB:.2f} GiB, {made})"
    )
    slice_files = files[: max(1, -(-args.pandas_rows // args.chunk))]
    gc.collect()
    part = pd.read_parquet(slice_files)
    with PeakRss() as mem:
        start = time.perf_counter()
        expected = cr.reconcile(part)
        pandas_seconds = time.perf_counter() - start
    print(
        f"pandas reconcile, first {len(part):,} rows: {pandas_seconds:.1f} s "
        f"({len(part) / pandas_seconds:,.0f} claims/s), peak +{(mem.peak - mem.base) / GIB:.2f} "
        f"GiB in the process"
    )
    slice_rows = len(part)
    expected_timeline = expected.timeline.reset_index(drop=True)
    del expected, part
    gc.collect()
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            memory_limit="3GiB",
            dashboard_address=None,
            processes=True,
        ) as cluster,
        Client(cluster) as client,
    ):
        out = args.data / "timeline-slice.parquet"
        _, slice_total, _ = run_dask(client, slice_files, out)
        got = pq.read_table(out).to_pandas(
            types_mapper=lambda t: STRING_LIST if pa.types.is_list(t) else None
        )
        same = _same(got, expected_timeline)
        print(
            f"dask, same {len(expected_timeline):,}-row timeline slice: {slice_total:.1f} s; "
            f"equals the pandas timeline: {same}"
        )
        with PeakRss() as client_mem:
            out = args.data / "timeline.parquet"
            planned, total, peaks = run_dask(client, files, out)
        rows = pq.ParquetDataset(out).read(columns=["status"]).num_rows
        print(
            f"dask, {args.rows:,} rows: {total:.1f} s wall ({args.rows / total:,.0f} claims/s; "
            f"reconcile() {planned:.1f} s: scan, places, grouping; then the timeline written "
            f"to Parquet by the workers); {rows:,} timeline rows"
        )
        for address, (peak, restarted) in sorted(peaks.items()):
            note = " (RESTARTED: over the limit)" if restarted else ""
            print(f"  worker {address}: peak RSS {peak / GIB:.2f} GiB of 3.00 GiB{note}")
        print(
            f"  client process: peak RSS {client_mem.peak / GIB:.2f} GiB "
            f"(+{(client_mem.peak - client_mem.base) / GIB:.2f} GiB during the run)"
        )
        pandas_per_million = pandas_seconds / (slice_rows / 1e6)
        print(
            f"per million claims: dask {total / (args.rows / 1e6):.1f} s, pandas "
            f"{pandas_per_million:.1f} s (on the {slice_rows:,}-row slice); pandas extrapolated "
            f"linearly to {args.rows:,} rows: {pandas_per_million * args.rows / 1e6:.0f} s, "
            "if the table fit in memory"
        )


def _same(got: pd.DataFrame, want: pd.DataFrame) -> bool:
    try:
        pd.testing.assert_frame_equal(
            got.reset_index(drop=True), want, check_categorical=False, check_dtype=False
        )
    except AssertionError as error:
        print(f"  mismatch: {str(error)[:300]}")
        return False
    return True


if __name__ == "__main__":
    main()
