"""Stemming: proclitic and nisba light-stemming in front of Snowball Arabic.

Snowball alone splits clitic variants of one word, because its suffix rules
depend on the length of the whole word, prefixes included (الرئيس → رييس but
والرئيس → والرييس, الصين → صين but والصين → والص). So, on already-normalized
words:

1. a protected *keyword* (gazetteer name) is returned as is, after stripping
   any attached proclitics (لبوتين, وبوتين → بوتين), like Lucene's
   ``KeywordMarkerFilter``: Snowball would give بوتين → وتين, لبوتين → لبوت;
2. otherwise the definite article and what is glued to it is removed
   (ال وال بال كال فال لل ولل …), as Lucene's ``ArabicStemmer`` does;
3. nisba endings are folded to the masculine singular (الصينيه/الصينيون →
   صيني) and the feminine plural ات is removed (العلاقات → علاق, like علاقه):
   Snowball leaves a stray alef (علاقات → علاقا) that keeps plural and
   singular apart;
4. Snowball Arabic (PyStemmer) does the rest.

Bare one-letter proclitics (ل ب ك و ف without the article) are left to Snowball:
stripping them blindly turns بريطانيا into ريطانيا and merges ورد with رد. Names
that must survive (موسكو/لموسكو) belong in the keyword set.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

import Stemmer

_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ك", "ل")
_ARTICLES = ("", "ال")


def _proclitic(conjunction: str, preposition: str, article: str) -> str:
    # ل + ال is written لل (the alef of the article drops).
    if preposition == "ل" and article:
        return conjunction + "لل"
    return conjunction + preposition + article


PROCLITICS: tuple[str, ...] = tuple(
    sorted(
        {_proclitic(*parts) for parts in product(_CONJUNCTIONS, _PREPOSITIONS, _ARTICLES)} - {""},
        key=len,
        reverse=True,
    )
)
"""Proclitic chains (و ف) + (ب ك ل) + (ال), longest first: وبال، فلل، كال، ل …"""

# Article chains, with at least two letters left (Lucene's condition).
_ARTICLE_RE = re.compile(
    "^(?:" + "|".join(p for p in PROCLITICS if p.endswith(("ال", "لل"))) + ")(?=..)"
)
_NISBA_RE = re.compile("(?<=..)(?:يه|يون|يين|يات)$")
_PLURAL_AT_RE = re.compile("(?<=...)ات$")

_SNOWBALL = Stemmer.Stemmer("arabic")


def strip_proclitics_to_keyword(word: str, keywords: frozenset[str]) -> str | None:
    """Return the keyword that ``word`` is, once proclitics are removed, else None.

    ``word`` itself counts (no proclitic). After لل, the article is restored too,
    so للاسد finds the keyword الاسد.
    """
    if word in keywords:
        return word
    for prefix in PROCLITICS:
        if not word.startswith(prefix):
            continue
        rest = word[len(prefix) :]
        if rest in keywords:
            return rest
        if prefix.endswith("لل") and "ال" + rest in keywords:
            return "ال" + rest
    return None


def light_stem(word: str) -> str:
    """Remove article chains, fold nisba endings and plural ات, before Snowball."""
    word = _ARTICLE_RE.sub("", word, count=1)
    word, folded = _NISBA_RE.subn("ي", word, count=1)
    return word if folded else _PLURAL_AT_RE.sub("", word, count=1)


@lru_cache(maxsize=1 << 17)
def _stem(word: str, keywords: frozenset[str]) -> str:
    if word.isascii():
        return word
    if keywords:
        keyword = strip_proclitics_to_keyword(word, keywords)
        if keyword is not None:
            return keyword
    return _SNOWBALL.stemWord(light_stem(word))


def stem(word: str, *, keywords: frozenset[str] = frozenset()) -> str:
    """Index term of an already-normalized ``word`` (see the module docstring).

    ASCII words (Latin, digits) are returned unchanged. Results are cached, as
    the corpus repeats a vocabulary of a few hundred thousand forms millions of
    times.
    """
    return _stem(word, keywords)
