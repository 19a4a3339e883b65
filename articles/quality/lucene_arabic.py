"""A re-implementation of Lucene's ArabicAnalyzer, for comparison in ``bench_quality`` only.

``ArabicNormalizer`` (alef forms → ا, ى → ي, ة → ه, tatweel and harakat removed), Lucene's stop
list role played by our stop words, then ``ArabicStemmer`` (Larkey's light10): prefixes
ال وال بال كال فال لل و, suffixes ها ان ات ون ين يه ية ه ة ي, each removed while the word stays
long enough — as in lucene/analysis/common/src/java/org/apache/lucene/analysis/ar/.
"""

from __future__ import annotations

import re

from articles.arabic.stopwords import STOP_WORDS

_NORMALIZE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ـ": ""})
_HARAKAT = re.compile("[\u064b-\u0652]")
_WORD = re.compile(r"\w+")
PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "يه", "ه", "ه", "ي")  # ية/ة normalized to ه


def normalize(word: str) -> str:
    return _HARAKAT.sub("", word).translate(_NORMALIZE)


def stem(word: str) -> str:
    for prefix in PREFIXES:  # one prefix; و only before three more letters
        if word.startswith(prefix) and len(word) >= len(prefix) + 2 and len(word) >= 4:
            word = word[len(prefix) :]
            break
    for suffix in SUFFIXES:  # every suffix in turn, while two letters remain
        if word.endswith(suffix) and len(word) >= len(suffix) + 2:
            word = word[: -len(suffix)]
    return word


def analyze(text: str) -> list[str]:
    return [
        stem(w) for w in (normalize(t) for t in _WORD.findall(text.lower())) if w not in STOP_WORDS
    ]
