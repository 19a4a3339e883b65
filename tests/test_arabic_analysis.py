"""The analyzer and its Whoosh face: offsets, positions, one implementation, Lucene's cases."""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

import pytest
from whoosh import highlight
from whoosh.fields import ID, TEXT, Schema
from whoosh.index import create_in, open_dir
from whoosh.qparser import QueryParser

from articles.arabic import Term, analyze, analyze_with_offsets, analyzer_version
from articles.arabic.tokenize import words
from articles.engines.whoosh.schema import ArabicTokenizer

LUCENE = Path(__file__).parent / "data" / "lucene_arabic_vectors.tsv"
ANT = Path(__file__).resolve().parents[2] / "shared" / "external" / "news-ant-multisource"
ANT_FULL = ANT / "ant_multisource_v2.1.jsonl.gz"


def whoosh_terms(text: str, **kwargs: bool) -> list[tuple]:
    return [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in ArabicTokenizer()(text, positions=True, chars=True, **kwargs)
    ]


def test_terms_carry_original_offsets_and_renumbered_positions() -> None:
    text = "قالَ بُوتِينُ في موسكو إنَّ العَلاقات"
    assert analyze_with_offsets(text) == [
        Term("قال", 0, 0, 4),
        Term("بوتين", 1, 5, 13),
        Term("موسكو", 2, 17, 22),
        Term("علاقه", 3, 28, 37),
    ]
    assert text[28:37] == "العَلاقات"


def test_whoosh_tokenizer_is_the_package_analyzer() -> None:
    text = "قالَ بُوتِينُ لموسكو إن العلاقات مع لبوتين"
    assert whoosh_terms(text) == [tuple(t) for t in analyze_with_offsets(text)]
    fast = [(t.text, t.pos) for t in ArabicTokenizer()(text, positions=True)]
    assert fast == [(t.text, t.position) for t in analyze_with_offsets(text)]


def test_whoosh_tokenizer_options() -> None:
    tokenizer = ArabicTokenizer()
    kept = [t.original for t in tokenizer("قالَ بُوتِينُ", keeporiginal=True)]
    assert kept == ["قالَ", "بُوتِينُ"]
    shifted = [
        (t.pos, t.startchar)
        for t in tokenizer("قال بوتين", positions=True, chars=True, start_pos=5, start_char=10)
    ]
    assert shifted == [(5, 10), (6, 14)]
    prefix = [t.text for t in tokenizer("والاقتصا", tokenize=False)]
    assert prefix == ["اقتصا"]  # a prefix loses its article chain, and is not stemmed


def test_analyze_matches_whoosh_on_random_texts() -> None:
    rng = random.Random(7)
    vocabulary = ["قال", "الرئيس", "بوتين", "لبوتين", "في", "إنَّ", "العَلاقات", "الصينية،",
                  "«موسكو»", "Trump", "٢٠١٨", "الـBBC", "لطهران", "ووزير", "المسئولية"]  # fmt: skip
    for _ in range(50):
        text = " ".join(rng.choices(vocabulary, k=12))
        assert analyze(text) == [t.text for t in ArabicTokenizer()(text)]


@pytest.mark.skipif(not ANT_FULL.exists(), reason=f"ANT corpus not found at {ANT_FULL}")
def test_one_analyzer_over_the_whole_ant_vocabulary() -> None:
    """Index terms (``analyze``) and Whoosh's query-side tokenizer agree on every ANT word."""
    vocabulary: set[str] = set()
    with gzip.open(ANT_FULL, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            vocabulary.update(words(f"{record['title']} {record['body']}"))
    ordered = sorted(vocabulary)
    assert len(ordered) > 200_000
    for start in range(0, len(ordered), 2000):
        chunk = " ".join(ordered[start : start + 2000])
        assert analyze(chunk) == [t.text for t in ArabicTokenizer()(chunk)]


def test_analyzer_version_names_rules_and_data() -> None:
    version = analyzer_version()
    assert re.fullmatch(r"[0-9a-f]{12}-[0-9a-f]{12}", version)


def lucene_analyzer_rows() -> list[tuple[str, str, str]]:
    lines = [
        line for line in LUCENE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    rows = [line.split("\t") for line in lines[1:]]
    wanted = ("ArabicAnalyzer", "ArabicNormalization+ArabicStem")
    return [
        (method, given, expected)
        for component, _, method, given, expected, _ in rows
        if component in wanted
    ]


LUCENE_ROWS = lucene_analyzer_rows()
# Where our light stemmer differs from Lucene's on purpose: a final ة (normalized ه) stays,
# because removing it merges look-alikes (سنة/سن, جنة/جن); nisba endings fold to ي (امريكي);
# كم goes as a pronoun because the bare word is known (ايمان). Lucene's exclusion set keeps
# ساهدهات whole; our protected names are data, so the nonce word is stemmed.
LUCENE_DISAGREEMENTS = {
    "كبيرة": "كبيره",
    "أمريكيين": "امريكي",
    "امريكي": "امريكي",
    "ما ملكت أيمانكم": "ملكت ايمان",
    "الذين ملكت أيمانكم": "ملكت ايمان",
    "الذين مَلكت أيمانكم": "ملكت ايمان",
    "كبيرة the quick ساهدهات": "كبيره the quick ساهده",
}


def test_lucene_analyzer_rows_loaded() -> None:
    assert len(LUCENE_ROWS) == 15


@pytest.mark.parametrize(("method", "given", "expected"), LUCENE_ROWS)
def test_lucene_analyzer_cases(method: str, given: str, expected: str) -> None:
    assert " ".join(analyze(given)) == LUCENE_DISAGREEMENTS.get(given, expected)


def test_whoosh_index_round_trip_search_and_highlight(tmp_path: Path) -> None:
    schema = Schema(id=ID(stored=True), body=TEXT(analyzer=ArabicTokenizer(), stored=True))
    writer = create_in(str(tmp_path), schema).writer()
    writer.add_document(id="vocalized", body="التقى الرئيسُ بُوتِينُ نظيره")
    writer.add_document(id="clitic", body="رسالة لبوتين من موسكو")
    writer.add_document(id="bomb", body="انفجار عبوتين ناسفتين")
    writer.add_document(id="tehran", body="وصل الوفد لطهران أمس")
    writer.commit()

    index = open_dir(str(tmp_path))  # the schema, tokenizer included, comes back from a pickle
    with index.searcher() as searcher:
        parser = QueryParser("body", index.schema)
        assert [hit["id"] for hit in searcher.search(parser.parse("طهران"))] == ["tehran"]
        results = searcher.search(parser.parse("بوتين"))
        assert sorted(hit["id"] for hit in results) == ["clitic", "vocalized"]
        results.formatter = highlight.HtmlFormatter(tagname="mark")
        snippets = {hit["id"]: hit.highlights("body") for hit in results}
    # The mark wraps the whole vocalized word of the stored original text.
    assert re.search(r"<mark[^>]*>بُوتِينُ</mark> نظيره$", snippets["vocalized"])
    assert re.search(r"<mark[^>]*>لبوتين</mark> من", snippets["clitic"])
