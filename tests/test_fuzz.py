"""Fuzzing (issue 12): hypothesis over the query parser and the readers (every input is a result
or a named error, never an exception), and 300 random and adversarial parameter sets against the
query-taking endpoints on the seed corpus: no 500, nothing over 2 s."""

import io
import json

import pytest
from django.core.management import call_command
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.ingest import ArticleDraft, IngestError, read_upload
from articles.search import SearchInputError, parse_params, parse_query, run_search

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
QUERY_PIECES = st.sampled_from(
    ["الصين", "روسيا", "بوتين", "والرئيس", "اقتصا", "AND", "OR", "NOT", "(", ")", '"', "*", "?",
     "**", " ", "\x00", "\u202e", "ـ", "ً", "a", "ال", ":", "~", "^", "[", "]", "{", "}", "\\"]
)  # fmt: skip
QUERIES = st.one_of(
    st.lists(QUERY_PIECES, max_size=12).map(" ".join),
    st.lists(QUERY_PIECES, max_size=12).map("".join),
    st.text(max_size=60),
)


@pytest.mark.django_db
@FUZZ
@given(text=QUERIES)
def test_the_query_parser_reads_or_names_every_input(text):
    try:
        parsed = parse_query(" ".join(text.split()))
    except SearchInputError as error:
        assert error.bilingual()
    else:
        assert parsed.query is not None


@pytest.mark.django_db
@FUZZ
@given(text=QUERIES, sort=st.sampled_from(["", "date", "x"]), page=st.sampled_from(["", "2", "0"]))
def test_a_search_answers_or_names_the_problem(text, sort, page):
    data = QueryDict(mutable=True)
    data.update({"q": text, "sort": sort, "page": page})
    try:
        page_ = run_search(parse_params(data))
    except SearchInputError as error:
        assert error.bilingual()
    else:
        assert page_.count >= 0


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
RECORDS = st.fixed_dictionaries(
    {},
    optional={
        "title": JSON_VALUES,
        "body": st.text(max_size=200) | JSON_VALUES,
        "date": JSON_VALUES,
        "source": JSON_VALUES,
        "url": st.text(max_size=40),
    },
)


def assert_named(results) -> None:
    assert isinstance(results, list)
    for result in results:
        assert isinstance(result, (ArticleDraft, IngestError)), result
        if isinstance(result, ArticleDraft):
            assert not any(c in result.title + result.source_name for c in "\x00\x01\x1b")
            assert result.url == "" or result.url.lower().startswith(("http://", "https://"))


@FUZZ
@given(
    data=st.binary(max_size=3000),
    name=st.sampled_from(["a.txt", "a.html", "a.json", "a.jsonl", "a.csv", "a.zip", "a.docx"]),
)
def test_the_readers_name_every_bad_file(data, name):
    assert_named(read_upload(name=name, data=data))


@FUZZ
@given(records=st.lists(RECORDS | JSON_VALUES, max_size=5), deep=st.integers(0, 3000))
def test_the_readers_name_every_bad_record(records, deep):
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.append("[" * deep + "]" * deep)
    assert_named(read_upload(name="f.jsonl", data="\n".join(lines).encode()))
    assert_named(read_upload(name="f.json", data=json.dumps(records).encode()))


def test_http_fuzz_has_no_500_and_nothing_slow(seeded):
    from articles.indexing import rebuild_index

    rebuild_index()  # the seed corpus, indexed (the suite starts each test from an empty index)
    out = io.StringIO()
    call_command("fuzz_http", "--cases", "300", "--seed", "1", stdout=out)
    lines = out.getvalue().splitlines()
    assert "cases 300" in lines
    assert "server_errors 0" in lines and "over_2s 0" in lines, lines
