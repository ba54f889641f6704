"""Fuzz the text entry points with Hypothesis at scale.

    python fuzz/run.py --iterations 200000

One iteration is one phrase. Each Hypothesis example draws a batch of 100 phrases (so that
Hypothesis' own cost per example is paid once per batch, not per phrase) and feeds them to:

- ``parse_figure``, one call per phrase, and ``parse_figures`` on the whole batch (the
  vectorized reader must agree with the scalar one, row by row);
- ``extract``: every other phrase, in texts of 20 phrases joined into sentences;
- ``resolve_places``: every fourth phrase, as one column (fuzzy matching of arbitrary
  names costs about a millisecond each; ``extract`` resolves the place mentions it finds
  too).

Phrases mix arbitrary Unicode (lone surrogates and NUL included) with mutations of real
phrases (qualifiers, number words, place names in several scripts, article sentences) and
hostile runs (digits, separators, parentheses), so the fuzzer spends its time near the
grammar rather than on random noise. Any exception that is not a ``CasualtyrecError``, and
any broken invariant (``low <= best <= high``, rows lost), is a finding: the script prints
it with the input and exits 1.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import casualtyrec as cr
from casualtyrec.errors import CasualtyrecError, FigureParseError

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
BATCH = 100
TEXT_PHRASES = 20
#: Share of each batch fed to the slower targets (fuzzy place matching dominates both).
EXTRACT_EVERY = 2
PLACES_EVERY = 4
WHEN = datetime(2024, 1, 2, 9, tzinfo=UTC)


def _seeds() -> list[str]:
    seeds = pd.read_csv(DATA / "figures.csv")["phrase"].dropna().astype(str).tolist()
    seeds += pd.read_csv(DATA / "places.csv")["text"].dropna().astype(str).tolist()
    for article in sorted((DATA / "articles").glob("*.txt")):
        seeds += [s for s in article.read_text(encoding="utf-8").split(". ") if s]
    seeds += [
        "1" * 40,
        "1" * 5000,
        "1,000,000,000,000",
        "10^20",
        "1e9",
        "-5",
        "2.5",
        "NaN",
        "1919",
        "between between 3 and and 4",
        "at least at least 5",
        "((((((3))))))",
        "a hundred hundred thousand million",
        "twenty-one-twenty-two",
        "3–5–7",
        "١٢٣ قتلى",
        "二十一人死亡",
        "\u200b2\u200b1\u200b",
        "𝟐𝟏 dead",
        "Ⅻ killed",
        "Ð¥Ð°Ñ€ÐºÑ–Ð²",
        "Kharkiv\x00",
        "\ud800 killed",
        "." * 300,
        "Gladkov said. " * 30,
    ]
    return seeds


SEEDS = _seeds()
#: Fixed junk spliced into seeds; each batch adds arbitrary Unicode drawn by Hypothesis.
JUNK = [
    " ",
    ",",
    ".",
    "-",
    "–",
    "(",
    ")",
    "at least ",
    "about ",
    "between ",
    " and ",
    "1",
    "0",
    "000",
    "1,000",
    "\n\n",
    "\ud800",
    "\x00",
    "²",
    "٣",
]


@st.composite
def batches(draw: st.DrawFn) -> list[str]:
    """A batch of phrases: seeds cut and spliced with junk, and arbitrary Unicode text.

    Hypothesis draws the arbitrary text and a seed once per batch; a generator seeded with
    it does the per-phrase mutations, which keeps the cost per phrase small.
    """
    seed = draw(st.integers(0, 2**64))
    wild = draw(st.lists(st.text(max_size=40), min_size=1, max_size=BATCH // 10))
    rng = random.Random(f"{seed}:{wild!r}")
    junk = JUNK + wild
    out = []
    for _ in range(BATCH):
        if rng.random() < 0.1:
            out.append(rng.choice(wild))
            continue
        text = rng.choice(SEEDS)
        for _ in range(rng.randint(1, 4)):
            at = rng.randint(0, len(text))
            cut = rng.randint(0, 3)
            text = text[:at] + rng.choice(junk) + text[at + cut :]
        out.append(text)
    return out


class Stats:
    """What one run has seen: iterations, distinct phrases and the first finding."""

    def __init__(self) -> None:
        self.iterations = 0
        self.inputs: set[int] = set()
        self.calls = dict.fromkeys(("parse_figure", "resolve_places", "extract"), 0)
        self.failure: tuple[str, str, str] | None = None


def _figure(text: str) -> None:
    try:
        figure = cr.parse_figure(text)
    except FigureParseError:
        return
    assert figure.low <= figure.best, figure
    assert figure.high is None or figure.best <= figure.high, figure


def _figures(batch: list[str]) -> None:
    out = cr.parse_figures(pd.Series(batch, dtype=object))
    assert len(out) == len(batch), "parse_figures lost rows"
    for text, (low, best, high, reason) in zip(
        batch, out[["low", "best", "high", "reason"]].itertuples(index=False), strict=True
    ):
        try:
            one = cr.parse_figure(text)
        except FigureParseError:
            assert pd.notna(reason), f"parse_figures read {text!r}, parse_figure did not"
            continue
        assert (low, best) == (one.low, one.best), (text, one, low, best)
        assert (None if pd.isna(high) else high) == one.high, (text, one, high)


def _places(batch: list[str]) -> None:
    out = cr.resolve_places(pd.Series(batch, dtype=object))
    assert len(out) == len(batch), "resolve_places lost rows"


def _extract(batch: list[str]) -> None:
    for start in range(0, len(batch), TEXT_PHRASES):
        text = ". ".join(batch[start : start + TEXT_PHRASES])
        try:
            out = cr.extract(text, source="fuzz", reported_at=WHEN)
        except CasualtyrecError:
            continue
        for low, best, high in out[["low", "best", "high"]].itertuples(index=False):
            assert low <= best, (text, low, best)
            assert pd.isna(high) or best <= high, (text, best, high)


def _checks(stats: Stats) -> list[tuple[str, Callable[[list[str]], None]]]:
    def figure(batch: list[str]) -> None:
        for text in batch:
            stats.calls["parse_figure"] += 1
            _figure(text)
        _figures(batch)

    def places(batch: list[str]) -> None:
        stats.calls["resolve_places"] += 1
        _places(batch[::PLACES_EVERY])

    def extract(batch: list[str]) -> None:
        part = batch[::EXTRACT_EVERY]
        stats.calls["extract"] += -(-len(part) // TEXT_PHRASES)
        _extract(part)

    return [("parse_figure", figure), ("resolve_places", places), ("extract", extract)]


def run(iterations: int, stats: Stats) -> None:
    """Feed `iterations` phrases (in batches) to every target."""
    examples = max(1, -(-iterations // BATCH))
    checks = _checks(stats)

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(batches())
    def fuzz(batch: list[str]) -> None:
        batch = batch[: iterations - stats.iterations] or batch[:1]
        stats.iterations += len(batch)
        stats.inputs.update(hash(text) for text in batch)
        for name, check in checks:
            try:
                check(batch)
            except CasualtyrecError:
                pass  # a check lets expected errors through; one escaping is no finding
            except Exception:
                stats.failure = (name, repr(batch)[:2000], traceback.format_exc())
                raise

    try:
        fuzz()
    except Exception:
        if stats.failure is None:
            stats.failure = ("hypothesis", "", traceback.format_exc())


def main() -> int:
    """Run the fuzzer; print iterations, distinct inputs and any finding."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--iterations", type=int, default=20_000)
    args = parser.parse_args()
    cr.resolve_places(pd.Series(["Kyiv"]))  # load the gazetteer outside the timing
    stats = Stats()
    start = time.perf_counter()
    run(args.iterations, stats)
    elapsed = time.perf_counter() - start
    calls = ", ".join(f"{name} {count:,}" for name, count in stats.calls.items())
    print(
        f"iterations={stats.iterations:,} distinct inputs tried={len(stats.inputs):,} "
        f"time={elapsed:.1f}s ({stats.iterations / max(elapsed, 1e-9):,.0f} phrases/s)"
    )
    print(f"calls: {calls} (and parse_figures on every batch of {BATCH})")
    if stats.failure is not None:
        name, shown, trace = stats.failure
        print(f"FINDING in {name}: input {shown}\n{trace}", file=sys.stderr)
        print("result: exceptions found")
        return 1
    print("result: no exception other than CasualtyrecError")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
