"""Marking stems only the words holding a letter run of the query's terms
(``articles.arabic.term_cores``): every word whose analysis gives a term must hold one of its
runs, else a matched form would go unmarked."""

import gzip
import json
from itertools import product
from pathlib import Path

import pytest

from articles.arabic import analyze, normalize
from articles.arabic.lexicon import variants
from articles.arabic.stem import PROCLITICS
from articles.arabic.term_cores import searched_form, searched_forms, term_cores
from articles.arabic.tokenize import WORD_RE
from articles.engines.base import Term
from articles.query_marks import analysed_text, find_hits, positive_terms

SEED = Path(__file__).resolve().parents[1] / "articles" / "seed_corpus"
ANT_SAMPLE = Path("/work/shared/external/news-ant-multisource/ant_multisource_sample1000.jsonl")
SUFFIXES = ("", "ه", "ها", "هم", "ات", "ين", "ان", "ون", "تين", "يه", "يون", "ته", "تها")


def seed_words() -> set[str]:
    found: set[str] = set()
    for path in SEED.glob("*.txt"):
        found.update(WORD_RE.findall(normalize(path.read_text(encoding="utf-8")).replace("_", " ")))
    return found


def clitic_forms(word: str) -> list[str]:
    """``word`` with every proclitic chain and common suffix (وللأميركيين, بالرئيسين …)."""
    return [p + word + s for p, s in product(("", *PROCLITICS), SUFFIXES)]


def uncovered(words) -> list[tuple[str, str]]:
    return [
        (word, term)
        for word in words
        for term in analyze(word.lower())
        if not any(core in searched_form(word) for core in term_cores(term))
    ]


def test_every_word_of_the_seed_corpus_holds_a_run_of_each_of_its_terms():
    words = seed_words()
    assert len(words) > 1000
    assert uncovered(words) == []


def test_every_word_of_the_ant_sample_holds_a_run_of_each_of_its_terms():
    if not ANT_SAMPLE.exists():
        pytest.skip(f"corpus sample absent: {ANT_SAMPLE}")
    opener = gzip.open if ANT_SAMPLE.suffix == ".gz" else open
    words: set[str] = set()
    with opener(ANT_SAMPLE, "rt", encoding="utf-8") as lines:
        for line in lines:
            body = json.loads(line).get("body") or ""
            words.update(WORD_RE.findall(normalize(body).replace("_", " ")))
    assert len(words) > 20_000
    assert uncovered(words) == []


def test_spelling_variants_and_their_clitic_forms_hold_a_run_of_their_term():
    table = variants()
    words = [normalize(form) for key in [*table, *table.values()] for form in clitic_forms(key)]
    words += [normalize(form) for form in clitic_forms("وانج") + clitic_forms("رئيس")]
    assert uncovered(words) == []


def test_a_table_variant_of_a_query_word_is_marked_in_either_spelling():
    table = variants()
    variant, canonical = next((k, v) for k, v in table.items() if k[1:-1] not in v)
    terms = positive_terms(Term(analyze(canonical)[0]))
    body = f"قال {variant} و{canonical} اليوم"
    marked = [body[start:end] for start, end, _key in find_hits(body, terms=terms)]
    assert marked == [variant, "و" + canonical]


def test_a_term_the_stemmer_may_have_made_of_added_letters_leaves_every_word_to_it():
    assert "" in term_cores("اه")  # a first ا and a last ه may both be added
    body = "قال الصين اليوم"
    words = analysed_text(body).words
    assert analysed_text(body).holding(term_cores("اه")) == list(words)
    assert analysed_text(body).holding(positive_terms(Term(analyze("الصين")[0])).word_cores) == [
        "الصين"
    ]


def test_the_forms_of_a_text_s_words_are_read_as_each_word_alone():
    words = [*sorted(seed_words()), "ΟΔΟΣ", "ΣΑ", "İstanbul", "Straße"]
    assert searched_forms(words) == [searched_form(word) for word in words]
    assert searched_forms(["ﻻ", "Bush"]) == [searched_form("ﻻ"), "bush"]  # one needs normalizing
    assert searched_forms([]) == []
