"""Phrase marks where a combining mark the normalizer keeps stands in the text (the slower path
that looks between words) are the same as in plain text."""

from articles.arabic import analyze
from articles.engines.base import Phrase
from articles.query_marks import find_hits, positive_terms

PLAIN = "قال الرئيس الروسي اليوم إن الرئيس، الروسي لم يحضر."
STRAY = "\u0301 "  # a Latin acute accent standing alone: no word holds it


def phrase_spans(body: str) -> list[str]:
    terms = positive_terms(Phrase(terms=tuple(analyze("الرئيس الروسي"))))
    return [body[start:end] for start, end, _key in find_hits(body, terms=terms)]


def test_a_phrase_is_marked_alike_with_a_stray_mark_elsewhere_in_the_text():
    marked = ["الرئيس الروسي", "الرئيس، الروسي"]  # signs between words, as the index reads them
    assert phrase_spans(PLAIN) == marked
    assert phrase_spans(STRAY + PLAIN) == marked


def test_a_stray_mark_between_two_words_keeps_them_from_joining():
    assert phrase_spans("الرئيس " + STRAY + "الروسي") == []
    assert phrase_spans("الرئيس الروسي") == ["الرئيس الروسي"]


def test_a_word_right_after_a_stray_mark_opens_no_phrase():
    assert phrase_spans(" \u0301الرئيس الروسي") == []
    assert phrase_spans(" \u0301 الرئيس الروسي") == ["الرئيس الروسي"]


def test_stop_words_between_phrase_words_are_skipped_and_phrases_do_not_overlap():
    assert phrase_spans("الرئيس في الروسي") == ["الرئيس في الروسي"]
    assert phrase_spans("الرئيس الرئيس الروسي الروسي") == ["الرئيس الروسي"]
    assert phrase_spans("الرئيس اليوم الروسي") == []
