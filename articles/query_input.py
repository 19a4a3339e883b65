"""Query words that carry nothing to search for, taken out before a query runs.

* The Arabic question mark ؟ (and the Armenian ՞) are punctuation to an Arabic reader, not
  wildcards: they are read as spaces.
* A word that is only proclitics (و، ال، لل، وال، بال …: the chains of the Arabic package) or only
  signs has no index term of its own; alone it would search a meaningless term, and under NOT
  it would turn the query into "every article". Such words are dropped like stop words
  (``articles.query_language``), and a query left without words gets the usual message.
"""

from __future__ import annotations

from articles.arabic import normalize
from articles.arabic.stem import PROCLITICS  # the Arabic package's proclitic chains
from articles.arabic.tokenize import WORD_RE

_QUESTION_MARKS = {ord("\u061f"): " ", ord("\u055e"): " "}
_BARE = frozenset(PROCLITICS)


def prepare(text: str) -> str:
    """The query text with question marks read as punctuation (same length: offsets hold)."""
    return text.translate(_QUESTION_MARKS)


def is_empty_word(typed: str) -> bool:
    """A typed word that is only proclitics or only signs."""
    bare = normalize(typed.rstrip("*")).lower().strip()
    return not WORD_RE.search(bare) or bare in _BARE


def has_letters(term: str) -> bool:
    """An index term with a letter or digit."""
    return bool(WORD_RE.search(term))
