"""Extract claims from a folder of articles and reconcile them into a timeline.

Run from the repository root::

    python examples/articles_to_timeline.py                     # tests/data/articles
    python examples/articles_to_timeline.py path/to/folder --reported-at 2024-01-02T09:00Z

A folder may hold an ``index.csv`` (columns ``text_file``, ``reported_at``, ``source``)
giving each article's publication time and publisher; otherwise every ``*.txt`` file is read
with ``--reported-at`` and the publisher ``--source``. The timeline is printed and written
to ``examples/out/articles_timeline.csv``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import casualtyrec as cr
from casualtyrec.io import write_timeline
from casualtyrec.output import format_timeline

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = ROOT / "tests" / "data" / "articles"
OUT = Path(__file__).resolve().parent / "out" / "articles_timeline.csv"


def articles(folder: Path, *, reported_at: str | None, source: str) -> pd.DataFrame:
    """One row per article: ``file``, ``text``, ``source``, ``reported_at``."""
    index = folder / "index.csv"
    if index.exists():
        listing = pd.read_csv(index, dtype=str)
        files = listing["text_file"].tolist()
        times = listing["reported_at"].tolist()
        sources = listing["source"].tolist()
    else:
        if reported_at is None:
            raise SystemExit(f"{folder} has no index.csv: pass --reported-at")
        files = sorted(p.name for p in folder.glob("*.txt"))
        times = [reported_at] * len(files)
        sources = [source] * len(files)
    texts = [(folder / name).read_text(encoding="utf-8") for name in files]
    return pd.DataFrame(
        {"file": files, "text": texts, "source": sources, "reported_at": times}
    ).astype("string[pyarrow]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--reported-at", default=None)
    parser.add_argument("--source", default="newsroom")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()

    docs = articles(args.folder, reported_at=args.reported_at, source=args.source)
    claims = cr.extract_many(docs)
    claims.insert(2, "file", docs["file"].iloc[claims["document"].to_numpy()].to_numpy())
    print(f"{len(docs)} articles -> {len(claims)} claims")

    result = cr.reconcile(claims)
    rejected = result.claims[result.claims["status"] == "rejected"]
    for reason in rejected["reason"]:
        print(f"rejected: {reason}")
    print(format_timeline(result.timeline))

    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_timeline(result, args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
