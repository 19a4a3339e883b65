"""Tokenizer offsets, stop words, Snowball agreement and the stemmer's variant classes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import Stemmer

from articles.arabic.normalize import normalize
from articles.arabic.stem import PROCLITICS, light_stem, stem, strip_proclitics_to_keyword
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


# --- stemmer ---------------------------------------------------------------------------

NAMES = frozenset({"بوتين", "لافروف", "جينبينغ", "وانغ", "موسكو", "الاسد"})


def same_term(a: str, b: str, keywords: frozenset[str] = frozenset()) -> bool:
    return stem(normalize(a), keywords=keywords) == stem(normalize(b), keywords=keywords)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("احمد", "أحمد"),  # hamza on alef
        ("مصطفي", "مصطفى"),  # ى / ي
        ("الصينيه", "الصينية"),  # ة / ه
        ("العربية", "الْعَرَبِــيَّة"),  # harakat and tatweel
        ("الرئيس", "والرئيس"),
        ("الرئيس", "للرئيس"),
        ("العلاقات", "بالعلاقات"),
        ("الصين", "والصين"),
        ("الصيني", "الصينية"),  # nisba, masculine / feminine
        ("الصينيون", "صينيين"),
        ("العلاقات", "العلاقة"),  # plural ات / singular
        ("الانتخابات", "انتخابات"),
    ],
)
def test_variants_conflate_without_keywords(a: str, b: str) -> None:
    assert same_term(a, b)


@pytest.mark.parametrize(
    ("a", "b"), [("بوتين", "لبوتين"), ("بوتين", "وبوتين"), ("موسكو", "لموسكو")]
)
def test_clitics_on_names_need_keywords(a: str, b: str) -> None:
    # Snowball alone splits them (بوتين → وتين, لبوتين → لبوت); the gazetteer fixes it.
    assert not same_term(a, b)
    assert same_term(a, b, NAMES)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("بوتين", "بوتين"),
        ("لبوتين", "بوتين"),
        ("وبوتين", "بوتين"),
        ("ببوتين", "بوتين"),
        ("ولافروف", "لافروف"),
        ("للافروف", "لافروف"),  # ل + لافروف
        ("وللاسد", "الاسد"),  # و + ل + الاسد, article alef dropped
        ("عبوتين", None),  # "two explosive devices", not Putin
        ("الروبوتين", None),  # "the two robots"
        ("بوتينا", None),
    ],
)
def test_strip_proclitics_to_keyword(word: str, expected: str | None) -> None:
    assert strip_proclitics_to_keyword(word, NAMES) == expected


def test_keywords_are_not_snowball_stemmed() -> None:
    assert stem("بوتين") == "وتين"
    assert stem("لبوتين", keywords=NAMES) == "بوتين"
    assert stem("عبوتين", keywords=NAMES) != "بوتين"


def test_proclitic_chains() -> None:
    assert len(PROCLITICS) == 23
    assert {"و", "ال", "وال", "بال", "لل", "ولل", "فبال", "كال"} <= set(PROCLITICS)
    assert "وللل" not in PROCLITICS
    assert [len(p) for p in PROCLITICS] == sorted((len(p) for p in PROCLITICS), reverse=True)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("والرئيس", "رئيس"),
        ("الو", "الو"),  # too short to carry the article (Lucene's testShouldntStem)
        ("الصينيون", "صيني"),
        ("مستويات", "مستوي"),
        ("العلاقات", "علاق"),
        ("قوات", "قوات"),  # two letters would remain: not a plural ات
        ("ورد", "ورد"),  # bare و is left to Snowball
    ],
)
def test_light_stem(word: str, expected: str) -> None:
    assert light_stem(word) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ورد", "رد"),  # "was mentioned" / "reply"
        ("الاسد", "اسد"),  # al-Assad (a keyword) is not "lion"
        ("روسيا", "الصين"),
        ("عبوتين", "بوتين"),
        ("الحسن", "الحسين"),
        ("كتاب", "كاتب"),  # book / writer
        ("علم", "عالم"),  # flag, science / world
        ("سلام", "اسلام"),  # peace / Islam
    ],
)
def test_unrelated_words_stay_apart(a: str, b: str) -> None:
    assert not same_term(a, b, NAMES)


def test_ascii_words_pass_through() -> None:
    assert stem("english") == "english"
    assert stem("2018") == "2018"


LUCENE_STEM_ROWS = [
    row for row in tsv_rows("lucene_arabic_vectors.tsv") if row[0] == "ArabicStemFilter"
]
# Snowball, not Lucene's light10 stemmer, removes bare و only before a long enough word.
LUCENE_STEM_DISAGREEMENTS = {"testWaPrefix": "وحس"}


def test_lucene_stem_rows_loaded() -> None:
    assert len(LUCENE_STEM_ROWS) == 23


@pytest.mark.parametrize("row", LUCENE_STEM_ROWS, ids=[row[2] for row in LUCENE_STEM_ROWS])
def test_lucene_stemmer_cases(row: list[str]) -> None:
    _, _, method, given, expected, _ = row
    keywords = frozenset({given}) if method == "testWithKeywordAttribute" else frozenset()
    got = stem(normalize(given), keywords=keywords)
    assert got == LUCENE_STEM_DISAGREEMENTS.get(method, expected)
