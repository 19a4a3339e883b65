"""Arabic text processing for search: normalization, tokens, stems, display shaping.

Pure Python (no Django, no search engine), so every stage can be tested and reused on its own.
"""

from .analysis import Term, analyze, analyze_with_offsets, analyzer_version, term_for
from .normalize import NormalizedText, normalize, normalize_with_offsets
from .shaping import shape_for_display
from .stem import stem
from .stopwords import STOP_WORDS
from .tokenize import Token, tokenize

__all__ = [
    "STOP_WORDS",
    "NormalizedText",
    "Term",
    "Token",
    "analyze",
    "analyze_with_offsets",
    "analyzer_version",
    "normalize",
    "normalize_with_offsets",
    "shape_for_display",
    "stem",
    "term_for",
    "tokenize",
]
