"""Fuzz the three text entry points with Hypothesis at scale.

    python fuzz/run.py --iterations 200000

Each target gets its share of the iterations: ``parse_figure`` one phrase per iteration,
``resolve_places`` one name per iteration (in batches of 100 per call) and ``extract`` one text
per 20 iterations (a text holds several phrases). Inputs mix arbitrary Unicode with mutations
of real phrases (qualifiers, number words, place names in several scripts, article sentences),
so the fuzzer spends its time near the grammar rather than on random noise. Any exception that
is not a ``CasualtyrecError`` is a finding: the script prints it with the input and exits 1.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import casualtyrec as cr
from casualtyrec.errors import CasualtyrecError, FigureParseError

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def _seeds() -> list[str]:
    seeds = pd.read_csv(DATA / "figures.csv")["phrase"].tolist()
    seeds += pd.read_csv(DATA / "places.csv")["text"].tolist()
    for article in sorted((DATA / "articles").glob("*.txt")):
        seeds += [s for s in article.read_text(encoding="utf-8").split(". ") if s]
    seeds += [
        "1" * 40,
        "1,000,000,000,000",
        "10^20",
        "-5",
        "NaN",
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
    ]
    return seeds


SEEDS = _seeds()
JUNK = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=12
) | st.sampled_from([" ", ",", ".", "-", "–", "(", ")", "at least ", "about ", "1", "0", "000"])


@st.composite
def phrases(draw: st.DrawFn) -> str:
    """A seed phrase cut, spliced and sprinkled with junk, or plain arbitrary text."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=60))
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(JUNK) + text[at + cut :]
    return text


class Stats:
    def __init__(self) -> None:
        self.calls = 0
        self.inputs: set[int] = set()
        self.failure: tuple[str, str] | None = None


def _fuzz(
    name: str, strategy: st.SearchStrategy[object], check: object, n: int, stats: Stats
) -> None:
    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(value: object) -> None:
        stats.calls += 1
        stats.inputs.add(hash(repr(value)))
        try:
            check(value)  # type: ignore[operator]
        except CasualtyrecError:
            pass
        except Exception:
            stats.failure = (repr(value)[:500], traceback.format_exc())
            raise

    try:
        run()
    except Exception:
        pass
    print(f"{name:15s} calls={stats.calls:>8,} distinct inputs={len(stats.inputs):>8,}")


def _figure(text: object) -> None:
    try:
        figure = cr.parse_figure(str(text))
    except FigureParseError:
        return
    assert figure.low <= figure.best, figure
    assert figure.high is None or figure.best <= figure.high, figure


def _places(names: object) -> None:
    out = cr.resolve_places(pd.Series(names, dtype="string[pyarrow]"))
    assert len(out) == len(names), "resolve_places lost rows"  # type: ignore[arg-type]


def _extract(text: object) -> None:
    out = cr.extract(str(text), source="fuzz", reported_at=datetime(2024, 1, 2, 9, tzinfo=UTC))
    assert {"low", "best", "high"} <= set(out.columns) or out.empty


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=20_000)
    args = parser.parse_args()
    n = args.iterations
    targets = [
        ("parse_figure", phrases(), _figure, n),
        ("resolve_places", st.lists(phrases(), min_size=100, max_size=100), _places, n // 100),
        ("extract", st.lists(phrases(), min_size=1, max_size=20).map(". ".join), _extract, n // 20),
    ]
    start = time.perf_counter()
    failed = False
    total_inputs = 0
    for name, strategy, check, count in targets:
        stats = Stats()
        _fuzz(name, strategy, check, max(count, 1), stats)
        total_inputs += len(stats.inputs)
        if stats.failure:
            failed = True
            print(
                f"FINDING in {name}: input {stats.failure[0]}\n{stats.failure[1]}", file=sys.stderr
            )
    elapsed = time.perf_counter() - start
    print(f"iterations={n:,} distinct inputs tried={total_inputs:,} time={elapsed:.1f}s")
    print(
        "result: " + ("exceptions found" if failed else "no exception other than CasualtyrecError")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
