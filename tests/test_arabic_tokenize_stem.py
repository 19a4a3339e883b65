"""Tokenizer offsets, stop words and Snowball agreement (the stemmer: test_arabic_stem.py)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import Stemmer

from articles.arabic.normalize import normalize
from articles.arabic.stopwords import STOP_WORDS
from articles.arabic.tokenize import Token, tokenize, words

DATA = Path(__file__).parent / "data"


def tsv_rows(name: str) -> list[list[str]]:
    lines = [
        line
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    return [line.split("\t") for line in lines[1:]]


# --- tokenizer -------------------------------------------------------------------------


def test_vocalized_word_is_one_token_with_original_offsets() -> None:
    text = "قالَ بُوتِينُ، إنَّ"
    assert tokenize(text) == [Token("قال", 0, 4), Token("بوتين", 5, 13), Token("ان", 15, 19)]
    assert text[5:13] == "بُوتِينُ"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("العلاقات، الصين؛ روسيا؟ «موسكو» (بكين)", ["العلاقات", "الصين", "روسيا", "موسكو", "بكين"]),
        ('بـ"سكاي نيوز عربية"', ["ب", "سكاي", "نيوز", "عربيه"]),
        ("الـBBC وCNN", ["الbbc", "وcnn"]),
        ("Hello, WORLD! café", ["hello", "world", "café"]),
        ("#كاظم_الساهر", ["كاظم", "الساهر"]),
        ("عام ٢٠١٨-05 و3.5", ["عام", "2018", "05", "و3", "5"]),
        ("مي\u200cخواهم", ["ميخواهم"]),  # ZWNJ stays inside the word
        ("cafe\u0301 ok", ["cafe\u0301", "ok"]),  # a leftover combining mark stays inside too
        ("ﻻ بأس", ["لا", "باس"]),
        ("", []),
    ],
)
def test_tokenize_words(text: str, expected: list[str]) -> None:
    assert [token.text for token in tokenize(text)] == expected
    assert words(text) == expected


def test_ligature_token_spans_the_whole_ligature() -> None:
    assert tokenize("ﻻ") == [Token("لا", 0, 1)]


@pytest.mark.parametrize("seed", range(50))
def test_token_spans_normalize_to_token_text(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = [
        *"بوتينالصأإىة",
        "\u064e",
        "\u0651",
        "\u0640",
        "\u200f",
        "\ufefb",
        *" ،.«»",
        *"AbC٢9_",
    ]
    text = "".join(rng.choices(alphabet, k=80))
    tokens = tokenize(text)
    assert [token.text for token in tokens] == words(text)
    assert all(normalize(text[t.start : t.end]).lower() == t.text for t in tokens)
    assert all(a.end <= b.start for a, b in zip(tokens, tokens[1:], strict=False))


# --- stop words ------------------------------------------------------------------------


def test_stop_words_are_normalized_and_sized() -> None:
    assert all(normalize(word) == word for word in STOP_WORDS)
    assert 150 <= len(STOP_WORDS) <= 300
    assert {"في", "من", "علي", "الي", "عن", "ان", "هذا", "التي", "هو"} <= STOP_WORDS


def test_verbs_of_saying_and_content_words_are_not_stop_words() -> None:
    assert STOP_WORDS.isdisjoint({"قال", "اضاف", "اكد", "اعلن", "بوتين", "الرئيس", "روسيا"})


# --- Snowball --------------------------------------------------------------------------

SNOWBALL_PAIRS = tsv_rows("snowball_arabic_pairs.tsv")


def test_snowball_pairs_loaded() -> None:
    assert len(SNOWBALL_PAIRS) == 102


def test_pystemmer_is_real_snowball() -> None:
    snowball = Stemmer.Stemmer("arabic")
    mismatches = [(word, want, snowball.stemWord(word)) for word, want, *_ in SNOWBALL_PAIRS]
    assert [m for m in mismatches if m[1] != m[2]] == []
