"""Phrase marks where a combining mark the normalizer keeps stands in the text (the slower path
that looks between words) are the same as in plain text."""

from articles.arabic import analyze
from articles.engines.base import Phrase
from articles.query_marks import analysed_text, find_hits, positive_terms

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
    analysed = analysed_text("الرئيس " + STRAY + "الروسي")
    assert analysed.joined == (False, False)
    assert analysed.opens == (True, True)
    assert analysed_text("الرئيس الروسي").joined == (False, True)
