"""Evaluate casualtyrec.extract(): accuracy on the dev articles, speed, and recall on IDETECT.

Run: ``python benchmarks/eval_extract.py [--misses]``

1. Dev articles (tests/data/articles): precision and recall of (category, subgroup, low,
   best, high, place) tuples against the hand-written claims; sources (case-insensitive,
   either containing the other) and event dates are checked too.
2. Speed: 1,000 synthetic articles (the dev articles with seeded random figures, places,
   sources and sentence order), through ``extract_many`` (one call) and, as the baseline,
   one ``extract`` call per article.
3. IDETECT (../shared/external/idetect_test.csv, read at run time; skipped when absent): the
   share of labelled displacement figures that ``extract`` finds, scoring only rows whose
   label is written in the excerpt. A label is found when a claim's figure span covers a
   place where the label is written and the claim counts the label's unit (People: a
   ``people.*`` category; Households: households, houses or dwellings). The stricter share
   also requires the category the label's term means (``people.displaced``,
   ``households.displaced``, ``houses.destroyed``, ``houses.damaged``).
"""

from __future__ import annotations

import importlib
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

import casualtyrec as cr

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "data" / "articles"
IDETECT = ROOT.parent / "shared" / "external" / "idetect_test.csv"
N_SYNTHETIC = 1_000
SEED = 20231231

PLACES = ["Belgorod", "Kharkiv", "Dnipro", "Kyiv", "Zaporizhzhia", "Odesa", "Kherson", "Sumy"]
PEOPLE = ["Vyacheslav Gladkov", "Oleh Syniehubov", "Serhii Lysak", "Ivan Fedorov"]
DISPLACED_TERMS = {
    "Displaced",
    "Evacuated",
    "Forced to Flee",
    "Sheltered",
    "In Relief Camp",
    "Relocated",
    "Homeless",
}


def _norm_place(value: object) -> str:
    return "" if pd.isna(value) else str(value)


def _tuples(frame: pd.DataFrame) -> Counter[tuple[object, ...]]:
    high = frame["high"].astype("Int64")
    return Counter(
        zip(
            frame["category"].astype(str),
            frame["subgroup"].astype(str),
            frame["low"].astype(int),
            frame["best"].astype(int),
            [None if pd.isna(h) else int(h) for h in high],
            [_norm_place(p) for p in frame["place"]],
            strict=True,
        )
    )


def _same_source(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a in b or b in a


def dev_articles() -> None:
    index = pd.read_csv(ARTICLES / "index.csv")
    matched = extracted = expected = 0
    source_ok = date_ok = checked = 0
    for row in index.itertuples():
        text = (ARTICLES / str(row.text_file)).read_text(encoding="utf-8")
        got = cr.extract(text, source=str(row.source), reported_at=row.reported_at)
        want = pd.read_csv(ARTICLES / str(row.claims_file))
        g, w = _tuples(got), _tuples(want)
        matched += sum((g & w).values())
        extracted += sum(g.values())
        expected += sum(w.values())
        key = ["category", "subgroup", "best", "place"]
        pairs = got.astype({"best": int}).merge(
            want.astype({"best": int}), on=key, suffixes=("_got", "_want")
        )
        for pair in pairs.itertuples():
            checked += 1
            source_ok += _same_source(str(pair.source_got), str(pair.source_want))
            date_ok += str(pair.event_date_got)[:10] == str(pair.event_date_want)[:10]
    precision = matched / extracted if extracted else 0.0
    recall = matched / expected if expected else 0.0
    print(f"dev articles: {len(index)} articles, {expected} expected claims, {extracted} extracted")
    print(f"  precision {precision:.3f}  recall {recall:.3f}  (target 1.0 / 1.0)")
    print(f"  sources right {source_ok}/{checked}  event dates right {date_ok}/{checked}")


def _vary(text: str, rng: random.Random) -> str:
    def number(match: re.Match[str]) -> str:
        value = match.group()
        if ":" in text[max(0, match.start() - 1) : match.end() + 1]:
            return value
        return str(rng.randint(2, 400)) if int(value) > 1 else value

    text = re.sub(r"(?<![\d:,.])\d+(?![\d:])", number, text)
    for old in ("Belgorod", "Dnipro", "Zaporizhzhia"):
        text = text.replace(old, rng.choice(PLACES))
    for old in ("Vyacheslav Gladkov", "Serhii Lysak"):
        text = text.replace(old, rng.choice(PEOPLE))
    paragraphs = text.split("\n\n")
    head, body = paragraphs[0], paragraphs[1:]
    rng.shuffle(body)
    return "\n\n".join([head, *body])


def synthetic() -> pd.DataFrame:
    rng = random.Random(SEED)
    index = pd.read_csv(ARTICLES / "index.csv")
    texts = [(ARTICLES / str(f)).read_text(encoding="utf-8") for f in index["text_file"]]
    rows = [
        {
            "text": _vary(texts[k % len(texts)], rng),
            "source": rng.choice(["newsroom", "wire", "agency"]),
            "reported_at": f"2023-12-{rng.randint(20, 31)}T{rng.randint(6, 22):02d}:00+02:00",
        }
        for k in range(N_SYNTHETIC)
    ]
    frame = pd.DataFrame(rows)
    if frame["text"].nunique() < 0.95 * N_SYNTHETIC:
        raise SystemExit("synthetic articles repeat: the speed figure would be flattered")
    return frame


def speed() -> None:
    frame = synthetic()
    cr.extract_many(frame.head(5))  # warm up: lexicon, gazetteer
    cache = importlib.import_module("casualtyrec.extract")._KNOWN  # noqa: SLF001 - names cache
    cache.clear()
    started = time.perf_counter()
    many = cr.extract_many(frame)
    batch = time.perf_counter() - started
    cache.clear()  # both runs start cold
    started = time.perf_counter()
    single = sum(
        len(cr.extract(t, source=s, reported_at=r))
        for t, s, r in zip(frame["text"], frame["source"], frame["reported_at"], strict=True)
    )
    loop = time.perf_counter() - started
    print(
        f"speed: {N_SYNTHETIC} synthetic articles ({frame['text'].str.len().mean():.0f} "
        f"characters on average), {len(many)} claims"
    )
    print(
        f"  extract_many: {N_SYNTHETIC / batch:,.0f} articles/s  "
        f"(baseline, one extract() per article: {N_SYNTHETIC / loop:,.0f} articles/s, "
        f"{single} claims; ratio {loop / batch:.2f}x)  (target >= 200)"
    )


_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + _words(rest))
    return ""


def _written(quantity: int) -> list[str]:
    forms = {f"{quantity}", f"{quantity:,}", f"{quantity:,}".replace(",", " ")}
    forms.add(f"{quantity:,}".replace(",", "."))
    for scale, word in ((1_000_000, "million"), (1_000, "thousand")):
        if quantity >= scale and quantity % (scale // 10) == 0:
            forms.add(f"{quantity / scale:g} {word}")
    if 0 < quantity < 1000:
        forms.add(_words(quantity))
    return sorted(forms, key=len, reverse=True)


def _occurrences(excerpt: str, quantity: int) -> list[tuple[int, int]]:
    spans = []
    for form in _written(quantity):
        pattern = r"(?<![\w.,])" + re.escape(form).replace(r"\ ", r"\s+") + r"(?![\w]|[.,]\d)"
        spans.extend((m.start(), m.end()) for m in re.finditer(pattern, excerpt, re.IGNORECASE))
    return spans


def _expected_category(term: str, unit: str) -> str | None:
    if term in DISPLACED_TERMS:
        return "people.displaced" if unit == "People" else "households.displaced"
    if term == "Destroyed Housing" and unit == "Households":
        return "houses.destroyed"
    if term == "Partially Destroyed Housing" and unit == "Households":
        return "houses.damaged"
    return None


def _unit_ok(category: str, unit: str) -> bool:
    entity = category.split(".", maxsplit=1)[0]
    return (
        entity == "people" if unit == "People" else entity in {"households", "houses", "dwellings"}
    )


def idetect(*, show_misses: bool) -> None:
    if not IDETECT.exists():
        print(f"idetect: skipped ({IDETECT} is absent)")
        return
    data = pd.read_csv(IDETECT)
    frame = pd.DataFrame(
        {
            "text": data["excerpt"].astype(str),
            "source": "idetect",
            "reported_at": "2017-03-31T00:00Z",
        }
    )
    started = time.perf_counter()
    claims = cr.extract_many(frame)
    seconds = time.perf_counter() - started
    by_doc = {int(k): g for k, g in claims.groupby("document")}
    scored = found = strict = 0
    misses = []
    for position, row in enumerate(data.itertuples()):
        spans = _occurrences(str(row.excerpt), int(row.Quantity))
        if not spans:
            continue
        scored += 1
        got = by_doc.get(position)
        hits = []
        if got is not None:
            for claim in got.itertuples():
                covers = any(claim.figure_start < e and s < claim.figure_end for s, e in spans)
                if covers and _unit_ok(str(claim.category), str(row.Unit)):
                    hits.append(str(claim.category))
        found += bool(hits)
        strict += _expected_category(str(row.Term), str(row.Unit)) in hits
        if not hits:
            misses.append(
                (row.excerpt_id, row.Quantity, row.Term, row.Unit, str(row.excerpt)[:160])
            )
    print(
        f"idetect: {len(data)} excerpts, {scored} scored (label written in the excerpt), "
        f"{len(claims)} claims in {seconds:.2f} s"
    )
    print(f"  labelled figures found: {found}/{scored} = {found / scored:.1%}  (target >= 90%)")
    print(f"  found with the expected category: {strict}/{scored} = {strict / scored:.1%}")
    if show_misses:
        for miss in misses:
            print("  miss:", *miss)


def main() -> None:
    dev_articles()
    speed()
    idetect(show_misses="--misses" in sys.argv)


if __name__ == "__main__":
    main()
