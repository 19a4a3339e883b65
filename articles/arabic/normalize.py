"""Search normalization of Arabic text, with an exact map back to the original.

Normalization is a single character-to-string table applied in one pass, so the
same table drives both the fast path (``str.translate``) and the offset-tracking
path used by the tokenizer, the entity matcher and the highlighter. The table is
composed from small per-character stages (``CharMap`` dicts) that can be tested
and reused on their own.

Choices (following Lucene's ``ArabicNormalizer`` where it has one):

* hamza on alef (أ إ آ ٱ) folds to bare alef ا, as Lucene does; the hamza seats
  ؤ and ئ fold to the lone hamza ء, which is kept: news writes one word on either
  seat (المسؤولية/المسئولية، التفاؤل/التفائل), while the hamza itself tells words
  apart (شيء is not شي);
* ى → ي and ة → ه (Lucene), so مصطفى/مصطفي and الصينية/الصينيه are equal;
* letters are not lowercased here (the tokenizer lowercases Latin words), so
  normalization stays one-to-one for everything but removals and ligatures.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

CharMap = Mapping[str, str]
"""One normalization stage: character → replacement ('' removes it)."""


def _char_range(first: int, last: int) -> Iterable[str]:
    return (chr(code) for code in range(first, last + 1))


def _removing(chars: Iterable[str]) -> dict[str, str]:
    return dict.fromkeys(chars, "")


# Harakat, shadda, sukun and the other combining marks U+064B–U+065F, the
# superscript (dagger) alef, and Quranic annotation marks: none of them change
# which word is written, and they appear in ~40% of news articles.
DIACRITICS: CharMap = _removing(
    [
        *_char_range(0x0610, 0x061A),  # honorific signs (ﷺ-like small marks)
        *_char_range(0x064B, 0x065F),  # fathatan … wavy hamza below
        "\u0670",  # superscript alef
        *_char_range(0x06D6, 0x06DC),  # Quranic small high ligatures
        "\u06dd",  # end of ayah (format character)
        *_char_range(0x06DF, 0x06E4),
        *_char_range(0x06E7, 0x06E8),
        *_char_range(0x06EA, 0x06ED),
        *_char_range(0x08D3, 0x08E1),  # extended Quranic marks
        *_char_range(0x08E3, 0x08FF),
    ]
)

# Tatweel only stretches a word for layout (روبرـــــت, بـ"…").
TATWEEL: CharMap = {"\u0640": ""}

# Invisible format characters: bidi controls, joiners, BOM, soft hyphen. They
# sneak into copied text and would otherwise split or disguise words.
INVISIBLES: CharMap = _removing(
    [
        "\u00ad",  # soft hyphen
        "\u061c",  # ARABIC LETTER MARK
        "\u200c",  # ZWNJ
        "\u200d",  # ZWJ
        "\u200e",  # LRM
        "\u200f",  # RLM
        *_char_range(0x202A, 0x202E),  # LRE, RLE, PDF, LRO, RLO
        "\u2060",  # word joiner
        *_char_range(0x2066, 0x2069),  # LRI, RLI, FSI, PDI
        "\ufeff",  # BOM / zero-width no-break space
    ]
)

# NBSP (24% of ANT articles) and the other Unicode spaces become a plain space;
# the zero-width space is a word break too, so it also becomes ' '.
SPACES: CharMap = dict.fromkeys(
    ["\u00a0", "\u1680", *_char_range(0x2000, 0x200B), "\u202f", "\u205f", "\u3000"],
    " ",
)

# Orthographic variants of the same letter, incl. Persian/Urdu code points that
# Arabic keyboards and OCR emit (keheh, Farsi yeh, heh goal …).
LETTERS: CharMap = {
    "\u0622": "\u0627",  # آ alef madda
    "\u0623": "\u0627",  # أ hamza above
    "\u0625": "\u0627",  # إ hamza below
    "\u0671": "\u0627",  # ٱ alef wasla
    "\u0672": "\u0627",  # ٲ wavy hamza above
    "\u0673": "\u0627",  # ٳ wavy hamza below
    "\u0675": "\u0627",  # ٵ high hamza alef
    "\u0624": "\u0621",  # ؤ hamza on waw → ء
    "\u0626": "\u0621",  # ئ hamza on yeh → ء
    "\u0649": "\u064a",  # ى alef maksura → ي
    "\u06cc": "\u064a",  # ی Farsi yeh
    "\u06d0": "\u064a",  # ې yeh (Pashto/Uyghur)
    "\u0629": "\u0647",  # ة teh marbuta → ه
    "\u06c0": "\u0647",  # ۀ heh with yeh above (Persian ezafe ة)
    "\u06c1": "\u0647",  # ہ heh goal
    "\u06c2": "\u0647",  # ۂ heh goal with hamza
    "\u06c3": "\u0647",  # ۃ teh marbuta goal
    "\u06be": "\u0647",  # ھ heh doachashmee
    "\u06d5": "\u0647",  # ە Kurdish ae, written for final heh
    "\u06a9": "\u0643",  # ک keheh
    "\u06aa": "\u0643",  # ڪ swash kaf
}

# Arabic-Indic (U+0660) and Extended/Persian (U+06F0) digits → ASCII, so that
# ٢٠١٨, ۲۰۱۸ and 2018 are one term.
DIGITS: CharMap = {
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
}

BASE_STAGES: tuple[CharMap, ...] = (DIACRITICS, TATWEEL, INVISIBLES, SPACES, LETTERS, DIGITS)


def compose(*stages: CharMap) -> dict[str, str]:
    """Merge stages into one table; a character may belong to one stage only."""
    table: dict[str, str] = {}
    for stage in stages:
        clash = table.keys() & stage.keys()
        if clash:
            raise ValueError(f"characters claimed by two stages: {sorted(clash)!r}")
        table.update(stage)
    return table


def presentation_forms(base: CharMap) -> dict[str, str]:
    """Map Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF) to letters.

    NFKC gives the base letters (ﻷ → لأ, ﺏ → ب); ``base`` is then applied to
    each of them (لأ → لا). Isolated harakat forms (ﹰ = ' ً') reduce to
    whitespace only and are removed instead of becoming a space.
    """
    forms: dict[str, str] = {}
    for char in [*_char_range(0xFB50, 0xFDFF), *_char_range(0xFE70, 0xFEFF)]:
        if char in base:
            continue
        decomposed = unicodedata.normalize("NFKC", char)
        if decomposed == char:
            continue
        replacement = "".join(base.get(c, c) for c in decomposed)
        forms[char] = replacement if replacement.strip() else ""
    return forms


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalized text plus, per character, where it came from in the original.

    ``offsets[i]`` is the index in the original of the character that produced
    ``text[i]``; ``offsets[-1] == len(original)``.
    """

    text: str
    offsets: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``text[start:end]`` to the original ``[start, end)`` span.

        The end runs up to the next kept original character, so removed marks
        after the last letter (بُوتِينُ) belong to the span, and a span ending
        inside a ligature (ﻻ → لا) covers the whole ligature.
        """
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span [{start}, {end}) outside 0..{len(self.text)}")
        offsets = self.offsets
        if start == end:
            return offsets[start], offsets[start]
        last_source = offsets[end - 1]
        while offsets[end] == last_source:
            end += 1
        return offsets[start], offsets[end]


# The characters news text changes most often, each replaced with ``str.replace`` (a scan at
# memory speed) before one regex finds any other: on ANT they are 97% of all the characters the
# table changes, and normalizing a text this way takes a quarter of ``str.translate``'s time.
FREQUENT: str = "\u0629\u0623\u0625\u0649\u0626\u064b\u0624\u0622"  # ة أ إ ى ئ ً ؤ آ


class CharNormalizer:
    """Applies one character table, with or without offset tracking.

    Characters whose replacement is not exactly one character (removals,
    ligatures) are found with one compiled regex; everything between them maps
    one-to-one, so offsets are built with ``range`` runs instead of a Python loop
    over every character. The output equals ``text.translate(table)``: replacing the
    frequent characters one after another first is the same when no replacement contains a
    character of the table (else the table is applied with ``str.translate`` alone).
    """

    def __init__(self, table: CharMap, *, frequent: str = FREQUENT) -> None:
        self.table: dict[str, str] = dict(table)
        self._translation = str.maketrans(self.table)
        uneven = sorted(c for c, r in self.table.items() if len(r) != 1)
        self._uneven = re.compile("[" + "".join(map(re.escape, uneven)) + "]+")
        chained = not any(c in self.table for r in self.table.values() for c in r)
        self._replace = [(c, self.table[c]) for c in frequent if chained and c in self.table]
        others = sorted(self.table.keys() - {c for c, _r in self._replace})
        self._others = re.compile("[" + "".join(map(re.escape, others)) + "]+") if others else None
        self._others_translation = str.maketrans({c: self.table[c] for c in others})

    def _translated(self, match: re.Match) -> str:
        return match.group().translate(self._others_translation)

    def normalize(self, text: str) -> str:
        """Normalize ``text`` (fast path, no offsets)."""
        if not self._replace:
            return text.translate(self._translation)
        for char, replacement in self._replace:
            text = text.replace(char, replacement)
        if self._others is not None and self._others.search(text) is not None:
            text = self._others.sub(self._translated, text)
        return text

    def normalize_with_offsets(self, text: str) -> NormalizedText:
        """Normalize ``text`` and record the origin of each output character."""
        offsets: list[int] = []
        table = self.table
        done = 0
        for match in self._uneven.finditer(text):
            run_start, run_end = match.span()
            offsets.extend(range(done, run_start))
            for index in range(run_start, run_end):
                offsets.extend([index] * len(table[text[index]]))
            done = run_end
        offsets.extend(range(done, len(text) + 1))
        return NormalizedText(text=self.normalize(text), offsets=offsets)


_BASE_TABLE = compose(*BASE_STAGES)
DEFAULT_NORMALIZER = CharNormalizer(compose(_BASE_TABLE, presentation_forms(_BASE_TABLE)))


def normalize(text: str) -> str:
    """Search-normalize Arabic ``text`` (see the module docstring for the rules)."""
    return DEFAULT_NORMALIZER.normalize(text)


def normalize_with_offsets(text: str) -> NormalizedText:
    """Like :func:`normalize`, also returning the map back to ``text``."""
    return DEFAULT_NORMALIZER.normalize_with_offsets(text)
