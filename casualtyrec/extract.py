"""Extraction: free text (a news article, an official post) to a claims table (SPEC §3).

The pipeline, per text: sentences (:mod:`casualtyrec._sentences`), figure mentions
(:func:`casualtyrec.figures.find_figures`), what each figure counts
(:mod:`casualtyrec._assign`), who says so (:mod:`casualtyrec._attribution`), when
(:mod:`casualtyrec._dates`) and where (:mod:`casualtyrec._mentions`, confirmed by
:func:`casualtyrec.resolve_places` once per unique name). Every word list is data, in
``casualtyrec/data/cues.toml``. ``docs/extract.md`` describes the rules and their limits.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from casualtyrec import figures as _figures
from casualtyrec import places as _places
from casualtyrec._assign import assign
from casualtyrec._attribution import attributions
from casualtyrec._cues import lexicon
from casualtyrec._dates import date_mentions
from casualtyrec._document import Analysis, Document, claim_rows
from casualtyrec._frame import cast, normalize_name
from casualtyrec._mentions import place_mentions
from casualtyrec._sentences import sentences
from casualtyrec.errors import SchemaError
from casualtyrec.policy import DEFAULT_POLICY, Policy

if TYPE_CHECKING:
    from collections.abc import Hashable, Iterable

__all__ = ["CLAIM_COLUMNS", "extract", "extract_many"]

#: Columns of :func:`extract`, in order (:func:`extract_many` adds ``document`` second).
CLAIM_COLUMNS: Final[tuple[str, ...]] = (
    "claim_id",
    "source",
    "reported_at",
    "place",
    "category",
    "subgroup",
    "figure",
    "low",
    "best",
    "high",
    "qualifier",
    "cumulative",
    "event_date",
    "text",
    "sentence_start",
    "sentence_end",
    "figure_start",
    "figure_end",
)
#: Unpaired surrogates: not text; each reads as U+FFFD, so that offsets stay the same.
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_OFFSETS: Final = dict.fromkeys(
    ("sentence_start", "sentence_end", "figure_start", "figure_end", "document"), "Int64"
)


def extract(
    text: str,
    *,
    source: str,
    reported_at: object,
    policy: Policy = DEFAULT_POLICY,
    assume_tz: str | None = None,
) -> pd.DataFrame:
    """Extract the claims of one text: one row per figure that counts people or things.

    Parameters
    ----------
    text : str
        An article or an official post, in any language; claims are found in English.
    source : str
        Who published the text: the source of every claim the text does not attribute to
        someone ("Gladkov wrote", "according to the Air Force").
    reported_at : timestamp or str
        When the text was published. Relative dates ("on Friday", "last night") are read in
        its own time zone; the ``reported_at`` column is in UTC.
    policy : Policy, default DEFAULT_POLICY
        The figure grammar's settings and ``max_text_length``.
    assume_tz : str, optional
        Time zone of a naive `reported_at` ("UTC", "Europe/Kyiv").

    Returns
    -------
    pandas.DataFrame
        A claims table that :func:`casualtyrec.reconcile` accepts unchanged: ``claim_id``,
        ``source``, ``reported_at``, ``place`` (as written), ``category``, ``subgroup``,
        ``figure`` (the exact span), ``low``, ``best``, ``high``, ``qualifier``,
        ``cumulative`` (false for "another 3"), ``event_date``, ``text`` (the sentence) and
        the character offsets ``sentence_start``, ``sentence_end``, ``figure_start``,
        ``figure_end`` in `text`.

    Raises
    ------
    SchemaError
        If `text` or `source` is not a string, `text` is longer than
        ``policy.max_text_length``, or `reported_at` is not a timestamp.

    Examples
    --------
    >>> from casualtyrec.extract import extract
    >>> claims = extract(
    ...     "Four people were killed and 12 injured in Zaporizhzhia, police said.",
    ...     source="newsroom",
    ...     reported_at="2023-12-29T15:00+02:00",
    ... )
    >>> claims[["source", "place", "category", "figure", "best"]]
       source          place        category        figure  best
    0  police  Zaporizhzhia   people.killed   Four people     4
    1  police  Zaporizhzhia  people.injured            12    12
    """
    when = _timestamp(reported_at, assume_tz, row=None)
    document = Document(_text(text, policy, row=None), _source(source, row=None), when)
    return _claims([document], policy, with_document=False)


def extract_many(
    frame: pd.DataFrame,
    *,
    text: str = "text",
    source: str = "source",
    reported_at: str = "reported_at",
    policy: Policy = DEFAULT_POLICY,
    assume_tz: str | None = None,
) -> pd.DataFrame:
    """Extract the claims of every text of a frame, each with its own source and time.

    Parameters
    ----------
    frame : pandas.DataFrame
        One text per row.
    text, source, reported_at : str, default "text", "source", "reported_at"
        Names of the columns holding the text, its publisher and its publication time
        (matched case-insensitively, after stripping).
    policy : Policy, default DEFAULT_POLICY
        As for :func:`extract`.
    assume_tz : str, optional
        Time zone of naive times in the `reported_at` column.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`extract` with ``document`` (Int64: the position of the text's
        row in `frame`) second, claims in row order; ``claim_id`` runs over the whole frame.

    Raises
    ------
    SchemaError
        If a column is missing, or a row holds no usable text, source or time; the message
        names the row.

    Examples
    --------
    >>> import pandas as pd
    >>> from casualtyrec import extract_many
    >>> texts = pd.DataFrame({
    ...     "text": ["Two people died in Kharkiv.", "Kyiv said 3 drones were shot down."],
    ...     "source": ["agency", "newsroom"],
    ...     "reported_at": ["2024-01-02T09:00Z", "2024-01-02T10:00Z"],
    ... })
    >>> extract_many(texts)[["document", "source", "category", "best"]]
       document  source          category  best
    0         0  agency     people.killed     2
    1         1    Kyiv  drones.destroyed     3
    """
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"extract_many() takes a DataFrame (got {type(frame).__name__})")
    names = {normalize_name(str(c)): c for c in frame.columns}
    wanted = [text, source, reported_at]
    missing = [w for w in wanted if normalize_name(w) not in names]
    if missing:
        raise SchemaError.missing_columns(missing, [str(c) for c in frame.columns])
    columns = [names[normalize_name(w)] for w in wanted]
    times = _times(frame[columns[2]], assume_tz)
    documents = [
        Document(_text(t, policy, row=r), _source(s, row=r), w)
        for r, t, s, w in zip(frame.index, frame[columns[0]], frame[columns[1]], times, strict=True)
    ]
    return _claims(documents, policy, with_document=True)


def _text(text: object, policy: Policy, *, row: Hashable | None) -> str:
    where = "" if row is None else f"row {row!r}, "
    if not isinstance(text, str):
        raise SchemaError(
            f"{where}column 'text': expected a string (got {type(text).__name__})",
            column="text",
        )
    if len(text) > policy.max_text_length:
        raise SchemaError(
            f"{where}column 'text': {len(text):,} characters is longer than "
            f"Policy.max_text_length ({policy.max_text_length:,}); split the text or raise "
            "the limit with attrs.evolve(policy, max_text_length=...)",
            column="text",
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (bad JSON, a mis-decoded page): one for one
        text = _SURROGATE.sub("\ufffd", text)
    return text


def _source(source: object, *, row: Hashable | None) -> str:
    if isinstance(source, str) and source.strip():
        return source.strip()
    where = "" if row is None else f"row {row!r}, "
    raise SchemaError(
        f"{where}column 'source': expected a non-empty string (got {source!r})",
        column="source",
    )


def _timestamp(value: object, assume_tz: str | None, *, row: Hashable | None) -> pd.Timestamp:
    where = "" if row is None else f"row {row!r}, "
    try:
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
        valid = not pd.isna(stamp)
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise SchemaError(
            f"{where}column 'reported_at': expected a timestamp such as "
            f"'2023-12-31T12:30+02:00' (got {value!r})",
            column="reported_at",
        )
    if stamp.tzinfo is None:
        if assume_tz is None:
            raise SchemaError(
                f"{where}column 'reported_at': {value!r} has no time zone; pass "
                "assume_tz='UTC' (or the zone it was written in)",
                column="reported_at",
            )
        try:
            stamp = stamp.tz_localize(assume_tz)
        except (TypeError, ValueError, KeyError) as err:
            raise SchemaError(
                f"assume_tz={assume_tz!r} is not a time zone ({err})", column="reported_at"
            ) from None
    return stamp


def _times(column: pd.Series, assume_tz: str | None) -> list[pd.Timestamp]:
    """Parse each unique value once, keeping its own offset (local dates depend on it)."""
    parsed: dict[object, pd.Timestamp] = {}
    out = []
    for row, value in column.items():
        key = value if isinstance(value, (str, pd.Timestamp, dt.datetime)) else repr(value)
        if key not in parsed:
            parsed[key] = _timestamp(value, assume_tz, row=row)
        out.append(parsed[key])
    return out


def _analyse(document: Document, policy: Policy) -> list[Analysis]:
    lex = lexicon()
    out = []
    antecedent: str | None = None
    today = document.reported_at.date()
    for sentence in sentences(document.text, lex.abbreviations, lex.unglue):
        found = _figures.find_figures(sentence.text, policy=policy)
        claims = assign(sentence.tokens, found, lex, antecedent) if found else []
        if claims:
            antecedent = lex.entity_prefix(claims[-1].category)
        said = attributions(sentence.text, sentence.tokens, lex)
        out.append(
            Analysis(
                sentence,
                claims,
                said,
                date_mentions(sentence.tokens, lex, today, said),
                place_mentions(sentence.text, sentence.tokens, lex),
            )
        )
    return out


#: (policy, name) -> whether the default gazetteer resolves the name; bounded.
_KNOWN: dict[tuple[Policy, str], bool] = {}
_KNOWN_MAX: Final = 100_000


def _confirmed(names: Iterable[str], policy: Policy) -> frozenset[str]:
    """Return the names the gazetteer resolves; each unique name is looked up once."""
    wanted = set(names)
    known = {n: ok for n in wanted if (ok := _KNOWN.get((policy, n))) is not None}
    unique = sorted(wanted - known.keys())
    if unique:
        resolved = _places.resolve_places(pd.Series(unique, dtype="string"), policy=policy)
        status = resolved["status"].astype("string").to_numpy(dtype=object, na_value="")
        fresh = {n: s != "unresolved" for n, s in zip(unique, status, strict=True)}
        if len(_KNOWN) + len(fresh) > _KNOWN_MAX:
            _KNOWN.clear()
        _KNOWN.update(((policy, n), ok) for n, ok in fresh.items())
        known.update(fresh)
    return frozenset(n for n, ok in known.items() if ok)


def _claims(documents: list[Document], policy: Policy, *, with_document: bool) -> pd.DataFrame:
    analyses = [_analyse(d, policy) for d in documents]
    weak = (
        m.text
        for analysis in analyses
        if any(a.claims for a in analysis)
        for a in analysis
        for m in a.places
        if m.kind == "weak"
    )
    known = _confirmed(weak, policy)
    rows: dict[str, list[Any]] = {c: [] for c in ("document", *CLAIM_COLUMNS)}
    for position, (document, analysis) in enumerate(zip(documents, analyses, strict=True)):
        claim_rows(document, analysis, known, rows=rows, position=position)
    rows["claim_id"] = [f"c{k}" for k in range(len(rows["source"]))]
    columns = ["claim_id", "document", *CLAIM_COLUMNS[1:]] if with_document else CLAIM_COLUMNS
    frame = pd.DataFrame({c: rows[c] for c in columns})
    frame["reported_at"] = pd.to_datetime(frame["reported_at"], utc=True)
    frame["event_date"] = pd.to_datetime(frame["event_date"], utc=True)
    return cast(frame, columns, overrides={c: _OFFSETS[c] for c in columns if c in _OFFSETS})
