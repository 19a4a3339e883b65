"""Arabic text processing for search: normalization, tokens, stems, display shaping.

Pure Python (no Django), so every stage can be tested and reused on its own.
"""

from .analysis import analyze, arabic_analyzer
from .normalize import NormalizedText, normalize, normalize_with_offsets
from .shaping import shape_for_display
from .stem import stem
from .stopwords import STOP_WORDS
from .tokenize import Token, tokenize

__all__ = [
    "STOP_WORDS",
    "NormalizedText",
    "Token",
    "analyze",
    "arabic_analyzer",
    "normalize",
    "normalize_with_offsets",
    "shape_for_display",
    "stem",
    "tokenize",
]
