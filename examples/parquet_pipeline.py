"""A Parquet-in, Parquet-out pipeline: claims file -> reconcile -> timeline and claims files.

Run from the repository root::

    python examples/parquet_pipeline.py                       # the bundled sample, in a temp dir
    python examples/parquet_pipeline.py claims.parquet out/   # your own claims

Parquet keeps every dtype (strings, Int64, categories, UTC timestamps, the ``claim_ids``
lists), so the timeline read back is identical to the one written.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pandas as pd

import casualtyrec as cr
from casualtyrec.io import read_claims, read_timeline, write_frame, write_timeline
from casualtyrec.output import summary


def run(claims_path: Path, out_dir: Path) -> pd.DataFrame:
    """Reconcile `claims_path`; write ``timeline.parquet`` and ``claims.parquet``."""
    claims = read_claims(claims_path)
    result = cr.reconcile(claims)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_timeline(result, out_dir / "timeline.parquet")
    write_frame(result.claims, out_dir / "claims.parquet")

    back = read_timeline(out_dir / "timeline.parquet")
    pd.testing.assert_frame_equal(back, result.timeline.reset_index(drop=True))
    print(f"{len(claims)} claims -> {len(result.timeline)} timeline rows in {out_dir}")
    return summary(result)


def main() -> None:
    if len(sys.argv) == 3:
        table = run(Path(sys.argv[1]), Path(sys.argv[2]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "claims.parquet"
            write_frame(cr.load_sample(), source)  # start from a Parquet file, as a pipeline would
            table = run(source, Path(tmp) / "out")
    columns = ["incident", "category", "subgroup", "low", "best", "high", "status", "n_sources"]
    print(table[columns].to_string(index=False))


if __name__ == "__main__":
    main()
