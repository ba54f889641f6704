"""Place-name normalization shared by the gazetteer build script and the resolver (SPEC §4).

A name is normalized by folding case, accents and a few letters that Unicode does not
decompose (``ł``, ``ø``, ``æ``), deleting apostrophes and full stops, turning any other
punctuation into a space, and dropping a leading "the" or "city of". Region words
("oblast", "область", "province" ...) are found separately by :func:`split_region`, so that
"the Kursk region" becomes the core "kursk" plus the fact that a region is meant.

The snapshot in ``casualtyrec/data`` stores keys normalized by this module; change
:data:`NORMALIZE_VERSION` whenever the output of :func:`normalize` changes, and rebuild the
snapshot with ``scripts/build_gazetteer.py``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import Final

__all__ = [
    "NORMALIZE_VERSION",
    "REGION_WORDS",
    "fuzzy_script",
    "has_cyrillic",
    "key_hash",
    "letters",
    "normalize",
    "split_region",
    "transliterations",
]

#: Bumped whenever :func:`normalize` changes what it returns; the snapshot records it.
NORMALIZE_VERSION: Final = 1

#: Words that mark a first-order region (SPEC §4), normalized, in Latin and Cyrillic.
REGION_WORDS: Final[frozenset[str]] = frozenset(
    {
        "region",
        "oblast",
        "obl",
        "oblasti",
        "province",
        "governorate",
        "governate",
        "krai",
        "kray",
        "republic",
        "respublika",
        # Cyrillic: область, обл, обласць, край, республика, республіка
        "\u043e\u0431\u043b\u0430\u0441\u0442\u044c",
        "\u043e\u0431\u043b",
        "\u043e\u0431\u043b\u0430\u0441\u0446\u044c",
        "\u043a\u0440\u0430\u0439",
        "\u0440\u0435\u0441\u043f\u0443\u0431\u043b\u0438\u043a\u0430",
        "\u0440\u0435\u0441\u043f\u0443\u0431\u043b\u0456\u043a\u0430",
    }
)

_FOLD: Final = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "\u0131": "i",  # dotless i
        "ħ": "h",
    }
)
# Apostrophes (and the letters GeoNames uses as apostrophes) and full stops vanish:
# "Khar'kov" = "Kharkov", "St. Petersburg" = "St Petersburg".
_DROP: Final = re.compile("[.'`\u00b4\u2019\u2018\u02bc\u02bb\u02b9\u2032\u02be\u02bf]")
_SPLIT: Final = re.compile(r"[\W_]+")
_CYRILLIC: Final = re.compile(r"[\u0400-\u04ff]")
_LEADING: Final[tuple[tuple[str, ...], ...]] = (("the",), ("city", "of"))


@lru_cache(maxsize=4096)
def _tokens(name: str) -> tuple[str, ...]:
    decomposed = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = _SPLIT.split(_DROP.sub("", folded.translate(_FOLD)))
    tokens = tuple(w for w in words if w)
    for lead in _LEADING:
        if tokens[: len(lead)] == lead and len(tokens) > len(lead):
            tokens = tokens[len(lead) :]
    return tokens


def normalize(name: str) -> str:
    """Return the lookup key of a place name: folded, unpunctuated, single-spaced.

    Examples
    --------
    >>> normalize("  the KHAR'KOV  ")
    'kharkov'
    >>> normalize("Łódź")
    'lodz'
    >>> normalize("City of St. Petersburg")
    'st petersburg'
    """
    return " ".join(_tokens(name))


def split_region(name: str) -> tuple[str, bool]:
    """Split a name into its core and whether it carried a region word.

    Examples
    --------
    >>> split_region("the Kursk region")
    ('kursk', True)
    >>> split_region("Белгородская область")
    ('белгородская', True)
    >>> split_region("Kharkiv")
    ('kharkiv', False)
    """
    tokens = _tokens(name)
    core = tuple(t for t in tokens if t not in REGION_WORDS and t != "of")
    if len(core) == len(tokens) or not core:
        return " ".join(tokens), False
    return " ".join(core), True


def letters(key: str) -> int:
    """Count the letters of a normalized key (spaces and digits excluded).

    Examples
    --------
    >>> letters("bila tserkva")
    11
    """
    return sum(c.isalpha() for c in key)


def key_hash(key: str) -> int:
    """Return the stable 64-bit hash under which the snapshot stores a normalized key.

    Examples
    --------
    >>> key_hash("kharkiv") == key_hash("kharkiv") != key_hash("kharkov")
    True
    """
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")


_LATIN_OR_CYRILLIC: Final = re.compile(r"^[a-z\u0400-\u04ff ]+$")


def fuzzy_script(key: str) -> bool:
    """Tell whether a normalized key may be matched fuzzily: Latin or Cyrillic letters only.

    Examples
    --------
    >>> fuzzy_script("kharkiv"), fuzzy_script("харків"), fuzzy_script("حلب")
    (True, True, False)
    """
    return _LATIN_OR_CYRILLIC.match(key) is not None


def has_cyrillic(name: str) -> bool:
    """Tell whether a name holds a Cyrillic letter.

    Examples
    --------
    >>> has_cyrillic("Харків"), has_cyrillic("Kharkiv")
    (True, False)
    """
    return _CYRILLIC.search(name) is not None


def transliterations(name: str) -> tuple[str, ...]:
    """Return the Latin spellings of a Cyrillic name: Ukrainian (KMU 2010) and Russian.

    Uses translitua (MIT); a name without Cyrillic letters has none.

    Examples
    --------
    >>> transliterations("Харків")[0], transliterations("Харьков")
    ('Kharkiv', ('Kharkov',))
    """
    if not has_cyrillic(name):
        return ()
    from translitua import RussianInternationalPassport, translit  # noqa: PLC0415 - lazy

    spellings = (translit(name), translit(name, RussianInternationalPassport))
    return tuple(dict.fromkeys(str(s) for s in spellings))
