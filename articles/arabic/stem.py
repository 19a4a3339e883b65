"""Stemming: one index term per word, decided by evidence, with names kept whole.

Stages on an already-normalized word, each a small function testable alone:

1. :func:`strip_proclitics` removes و ف ب ك ل and their chains (وب، ول، فب …; لل is ل + ال) only
   when the evidence says so: the rest is a protected name (لطهران → طهران), or the rest is a
   word clearly more common than the whole (:data:`PROCLITIC_MARGINS`, from the ``wordfreq``
   list in :mod:`.lexicon`: ووزير → وزير but وزير stays, لجنة stays). A protected word is never split
   (بغداد، برلين، لبنان، كندا). An article chain (وال، بال، كال، فال، ولل …) before a long enough
   rest is removed by its letters, as Lucene does, when no word list knows the form.
2. :func:`strip_article` removes ال, unless the word is a protected name (الأردن، الكويت) or
   the word itself takes the article (ألعاب → الألعاب: its ال is not one).
3. :func:`strip_suffixes` is a light stemmer (Lucene/Larkey style): nisba endings fold to ي,
   the feminine plural ات goes (to ة where that singular is the more common word: علاقات →
   علاقه), and dual/plural ين ان ون and pronoun endings go only when the word list supports
   it (:func:`strip_pronoun`, :func:`strip_number`: البلدين → بلد, سلطان stays). No result may become a protected
   name: then the unstemmed form is kept, so a name never shares its term with a common word.
4. :func:`variant` maps spellings news uses side by side to one form (أميركي → أمريكي, the
   curated table), and a final نج of a transliterated name to نغ (وانج → وانغ).

Snowball's Arabic stemmer was measured on the same dev set (``bench_quality``) and cut names
(برلين → رلين, ماكرون → ماكر) and merged look-alikes; :func:`snowball_stem` keeps it for that
comparison only.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

import Stemmer

from .lexicon import protected_names, variants, zipf
from .memo import WordMemo
from .stopwords import STOP_WORDS

_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ك", "ل")

CONJUNCTION_PREPOSITIONS: tuple[str, ...] = tuple(
    sorted({c + p for c, p in product(_CONJUNCTIONS, _PREPOSITIONS)} - {""}, key=len, reverse=True)
)
"""Bare proclitic chains, longest first: وب، ول، فك … و ف ب ك ل."""


def _proclitic(conjunction: str, preposition: str, article: str) -> str:
    # ل + ال is written لل (the alef of the article drops).
    if preposition == "ل" and article:
        return conjunction + "لل"
    return conjunction + preposition + article


PROCLITICS: tuple[str, ...] = tuple(
    sorted(
        {_proclitic(*parts) for parts in product(_CONJUNCTIONS, _PREPOSITIONS, ("", "ال"))} - {""},
        key=len,
        reverse=True,
    )
)
"""Every proclitic chain (و ف) + (ب ك ل) + (ال), longest first: وبال، فلل، كال، ل …"""

ARTICLE_CHAINS: tuple[str, ...] = tuple(
    p for p in PROCLITICS if p.endswith(("ال", "لل")) and p not in ("ال",)
)

PROCLITIC_MARGINS: dict[str, float] = {"و": 0.45, "ف": 0.45, "ب": 0.3, "ل": 0.3, "ك": 1.0}
"""Zipf units (log10) by which the rest must be more common than the whole word, per proclitic.

Measured on ANT: وX is often a fifth as common as X (وقال/قال), so و needs less evidence than
ك, which rarely attaches (كروس, كيلي, كرات are words). A chain of two letters (ول، وب) needs
:data:`CHAIN_MARGIN`; a protected name as the rest needs :data:`NAME_MARGIN` (لدينا is "we
have", not ل + دينا; لجان is "committees", not ل + جان)."""
CHAIN_MARGIN = 1.0
NAME_MARGIN = 0.5
MIN_REST_ZIPF = 2.0
"""The rest must be a known word at least this common."""
MIN_REST_LETTERS = 3
"""A bare proclitic leaves at least this many letters (ليو, لبي, بيد stay whole)."""
ARTICLE_CHAIN_MIN_REST = 3
"""Letters that must remain after a letter-based article chain (والد, بالغ stay whole)."""

_NISBA_RE = re.compile("(?<=..)(?:يه|يون|يين|يات|يان)$")
_PRONOUN_SUFFIXES = ("هما", "كما", "ها", "هم", "هن", "كم", "نا", "ه")
"""Attached pronouns; ه only after ت (حكومته → حكومة): a bare final ه is the normalized ة."""
_NUMBER_SUFFIXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("تان", "ه", ("تين",)),
    ("تين", "ه", ("تان",)),
    ("ين", "", ("ون", "ان")),
    ("ون", "", ("ين",)),
    ("ان", "", ("ين",)),
)
"""Dual and sound plural endings: (ending, what replaces it, the endings its partners take)."""
PRONOUN_MIN_ZIPF = 3.0
PRONOUN_MARGIN = 0.5
"""A pronoun goes when the bare word is a real word not much rarer than the suffixed one."""
_MIN_STEM = 3
_TRANSLITERATED_NG = re.compile("(?<=[ايو])نج$")


def is_protected(word: str) -> bool:
    return word in protected_names()


def _is_name(word: str) -> bool:
    """Protected as written or in its canonical spelling (ترمب is ترامب)."""
    return is_protected(word) or is_protected(variant(word))


def variant(word: str) -> str:
    """The one spelling a word is indexed under (curated table, then the نج → نغ fold)."""
    word = variants().get(word, word)
    return _TRANSLITERATED_NG.sub("نغ", word)


def _margin(chain: str) -> float:
    return CHAIN_MARGIN if len(chain) > 1 else PROCLITIC_MARGINS[chain]


def _proclitic_readings(word: str) -> list[tuple[str, str]]:
    """Every (chain, rest) ``word`` can be read as (ل + لX and ل + الX both, for لل)."""
    readings = []
    for chain in CONJUNCTION_PREPOSITIONS:
        if word.startswith(chain) and len(word) - len(chain) >= MIN_REST_LETTERS:
            rest = word[len(chain) :]
            readings.append((chain, rest))
            if chain.endswith("ل") and rest.startswith("ل"):
                readings.append((chain, "ا" + rest))  # للرئيس = ل + الرئيس
    return readings


def strip_proclitics(word: str) -> str:
    """``word`` without the proclitics the evidence supports (see the module docstring)."""
    if _is_name(word):
        return word
    own = zipf(word)
    readings = _proclitic_readings(word)
    names = [
        rest
        for chain, rest in readings
        if _is_name(rest) and zipf(rest) - own >= min(_margin(chain), NAME_MARGIN)
    ]
    supported = [
        rest
        for chain, rest in readings
        if rest not in STOP_WORDS
        and zipf(rest) >= MIN_REST_ZIPF
        and zipf(rest) - own >= _margin(chain)
    ]
    if names or supported:  # وبكين: و + بكين (Beijing), not و + ب + كين (Kane): the commoner
        return max(names + supported, key=zipf)
    for chain in ARTICLE_CHAINS:
        if word.startswith(chain) and len(word) - len(chain) >= ARTICLE_CHAIN_MIN_REST:
            return "ال" + word[len(chain) :]
    return word


def strip_article(word: str) -> str:
    """``word`` without ال, unless it is part of a name or of the word itself.

    The article does not stack, so a word that itself takes the article (ألعاب → الألعاب،
    ألماني → الألماني، ألف) begins with letters that only look like it.
    """
    if not word.startswith("ال") or len(word) < 4 or is_protected(word):
        return word
    if zipf("ال" + word) >= MIN_REST_ZIPF:
        return word
    return word[2:]


def strip_pronoun(word: str) -> str:
    """``word`` without an attached pronoun, when the word list knows the bare word."""
    for suffix in _PRONOUN_SUFFIXES:
        if not word.endswith(suffix) or len(word) - len(suffix) < _MIN_STEM:
            continue
        shorter = word[: -len(suffix)]
        if suffix == "ه" and not shorter.endswith("ت"):
            continue
        readings = [shorter[:-1] + "ه", shorter] if shorter.endswith("ت") else [shorter]
        for reading in readings:
            if zipf(reading) >= PRONOUN_MIN_ZIPF and zipf(reading) >= zipf(word) - PRONOUN_MARGIN:
                return reading
    return word


def strip_number(word: str) -> str:
    """``word`` without a dual or sound plural ending, when the evidence says it is one.

    The shorter word must be more common, and the word must also be seen with a partner ending
    (مسؤولون/مسؤولين, بلدان/بلدين): سلطان, ميدان, زيتون keep their letters.
    """
    for suffix, tail, partners in _NUMBER_SUFFIXES:
        if not word.endswith(suffix) or len(word) - len(suffix) < _MIN_STEM:
            continue
        stem_letters = word[: -len(suffix)]
        shorter = stem_letters + tail
        if zipf(shorter) <= zipf(word) or zipf(shorter) < MIN_REST_ZIPF:
            continue
        if any(zipf(stem_letters + partner) >= MIN_REST_ZIPF for partner in partners):
            return shorter
    return word


def strip_suffixes(word: str) -> str:
    """Light suffix stemming: a pronoun, then nisba, feminine plural, dual or plural endings."""
    word = strip_pronoun(word)
    folded, count = _NISBA_RE.subn("ي", word, count=1)
    if count:
        return folded
    if word.endswith("ات") and len(word) - 2 >= _MIN_STEM:
        base = word[:-2]
        singular = base + "ه"
        return singular if zipf(singular) > zipf(base) else base
    return strip_number(word)


def _clitic_free(word: str) -> str:
    """Stages 1–2 with variants: the word as it would stand alone, article removed."""
    base = variant(strip_proclitics(variant(word)))
    if is_protected(base):
        return base
    return variant(strip_article(base))


def _stem(word: str) -> str:
    """The index term of an already-normalized, lowercased ``word`` (see the module docstring).

    Words with no Arabic letter (Latin, digits) are returned unchanged. Memoized (:data:`stem`):
    news repeats a vocabulary of a few hundred thousand forms millions of times.
    """
    if not _has_arabic(word):
        return word
    bare = _clitic_free(word)
    if is_protected(bare):
        return bare
    stemmed = variant(strip_suffixes(bare))
    return bare if is_protected(stemmed) else stemmed


stem = WordMemo(_stem, size=1 << 18)


_SNOWBALL = Stemmer.Stemmer("arabic")


@lru_cache(maxsize=1 << 16)
def snowball_stem(word: str) -> str:
    """Stages 1–2, then Snowball Arabic instead of the light suffixes: kept for measurement."""
    if not _has_arabic(word):
        return word
    bare = _clitic_free(word)
    return bare if is_protected(bare) else _SNOWBALL.stemWord(bare)


_ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def _has_arabic(word: str) -> bool:
    return _ARABIC_LETTER.search(word) is not None
