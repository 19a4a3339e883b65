"""Normalization rules, Lucene's published cases, and the exactness of the offset map."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from articles.arabic.normalize import (
    BASE_STAGES,
    DIACRITICS,
    CharNormalizer,
    NormalizedText,
    compose,
    normalize,
    normalize_with_offsets,
)

LUCENE = Path(__file__).parent / "data" / "lucene_arabic_vectors.tsv"


def lucene_rows(*components: str) -> list[tuple[str, str, str]]:
    lines = [
        line for line in LUCENE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    rows = [line.split("\t") for line in lines[1:]]
    return [
        (method, given, expected)
        for component, _, method, given, expected, _ in rows
        if component in components
    ]


NORMALIZATION_CASES = lucene_rows("ArabicNormalizationFilter", "ArabicNormalizationFilterFactory")


def test_lucene_normalization_cases_are_all_loaded() -> None:
    assert len(NORMALIZATION_CASES) == 16


@pytest.mark.parametrize(("method", "given", "expected"), NORMALIZATION_CASES)
def test_lucene_normalization(method: str, given: str, expected: str) -> None:
    # Lucene runs a whitespace tokenizer first; normalizing the whole string is equivalent.
    assert normalize(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),
        ("مصطفى", "مصطفي"),
        ("الصينية", "الصينيه"),
        ("الْعَرَبِــيَّة", "العربيه"),
        ("رحمٰن", "رحمن"),  # superscript alef
        ("ٱلرَّحِيمِ ۝", "الرحيم "),  # wasla, harakat, end-of-ayah sign
        ("مسؤول مسئول رئيس سائق", "مسءول مسءول رءيس ساءق"),  # hamza seats fold to ء
        ("ء", "ء"),
        ("کتاب یک ۀ ہ", "كتاب يك ه ه"),  # keheh, Farsi yeh, Persian heh forms
        ("٢٠١٨ ۲۰۱۸", "2018 2018"),
        ("ﻻ ﻷن ﺑﻮﺗﻴﻦ", "لا لان بوتين"),  # presentation forms incl. lam-alef with hamza
        ("ﷲ", "الله"),
        ("ﹰب", "ب"),  # isolated fathatan form: removed, not turned into a space
        ("a\u00a0b\u202fc\u2009d\u200be", "a b c d e"),  # Unicode spaces
        ("\ufeff\u200fبو\u200cتين\u200e\u2067x\u2069\u061c", "بوتينx"),  # BOM, bidi, ZWNJ
        ("Latin Case", "Latin Case"),  # case is the tokenizer's business
    ],
)
def test_normalize_rules(given: str, expected: str) -> None:
    assert normalize(given) == expected


def test_normalize_is_idempotent() -> None:
    text = "قالَ بُوتِينُ ﻷن ٢٠١٨ — مسؤول\u00a0الصينية"
    assert normalize(normalize(text)) == normalize(text)


def test_compose_rejects_a_character_claimed_twice() -> None:
    with pytest.raises(ValueError, match="two stages"):
        compose(DIACRITICS, {"\u064e": "x"})


def test_stages_compose_into_a_standalone_normalizer() -> None:
    only_diacritics = CharNormalizer(compose(DIACRITICS))
    assert only_diacritics.normalize("أَحْمَد\u00a0") == "أحمد\u00a0"
    assert CharNormalizer(compose(*BASE_STAGES)).normalize("أَحْمَد\u00a0") == "احمد "


def test_offsets_of_vocalized_word() -> None:
    result = normalize_with_offsets("بُوتِينُ")
    assert result == NormalizedText("بوتين", [0, 2, 3, 5, 6, 8])
    assert result.original_span(0, 5) == (0, 8)  # final damma belongs to the word
    assert result.original_span(1, 3) == (2, 5)


def test_ligature_characters_share_their_source_index() -> None:
    result = normalize_with_offsets("ﻻ ﻷحمد")
    assert result.text == "لا لاحمد"
    assert result.offsets == [0, 0, 1, 2, 2, 3, 4, 5, 6]
    assert result.original_span(0, 1) == (0, 1)  # half a ligature covers the ligature
    assert result.original_span(3, 8) == (2, 6)


def test_span_in_middle_excludes_marks_of_previous_letter() -> None:
    original = "قالَ بُوتِينُ"
    result = normalize_with_offsets(original)
    start, end = result.original_span(4, 9)
    assert original[start:end] == "بُوتِينُ"


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (3, 2), (0, 6)])
def test_original_span_rejects_bad_spans(start: int, end: int) -> None:
    with pytest.raises(IndexError):
        normalize_with_offsets("بوتين").original_span(start, end)


ALPHABET = [
    *"ابتثجحخدذرزسشصضطظعغفقكلمنهويءؤئ",
    *"أإآٱىةکی",
    *"\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670",  # harakat, shadda, dagger alef
    "\u0640",  # tatweel
    *"\ufefb\ufef7\ufdf2\ufe70\ufe8e\ufeff",  # ligatures and forms, BOM
    *"\u200c\u200e\u200f\u202b\u202c\u00a0",
    *"٠١٩۴",
    *"abcXYZ019 .،",
]


def random_texts(count: int) -> list[str]:
    rng = random.Random(20240601)
    return ["".join(rng.choices(ALPHABET, k=rng.randint(0, 40))) for _ in range(count)]


@pytest.mark.parametrize("original", random_texts(200))
def test_offset_map_round_trips(original: str) -> None:
    result = normalize_with_offsets(original)
    norm, offsets = result.text, result.offsets
    assert norm == normalize(original)
    assert len(offsets) == len(norm) + 1
    assert offsets[-1] == len(original)
    assert offsets == sorted(offsets)
    # Spans whose ends do not cut a ligature map back exactly.
    cuts = [i for i in range(len(norm) + 1) if i in (0, len(norm)) or offsets[i - 1] != offsets[i]]
    rng = random.Random(original)
    for _ in range(20):
        start, end = sorted(rng.choices(cuts, k=2))
        orig_start, orig_end = result.original_span(start, end)
        assert normalize(original[orig_start:orig_end]) == norm[start:end]
    # Spans cutting a ligature still cover every normalized character asked for.
    for start in range(len(norm)):
        orig_start, orig_end = result.original_span(start, start + 1)
        assert norm[start] in normalize(original[orig_start:orig_end])
