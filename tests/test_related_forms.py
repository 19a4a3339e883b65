"""Nisba adjectives credit their place, score only (articles.arabic.nisba, actor_queries)."""

import pytest

from articles.actor_queries import with_related_forms
from articles.arabic import analyze
from articles.arabic.nisba import nisba_places
from articles.engines.base import And, Not, Or, Phrase, Related, Term


def one(word: str) -> str:
    (term,) = analyze(word)
    return term


@pytest.mark.parametrize(
    ("adjective", "place"),
    [("الروسية", "روسيا"), ("الصيني", "الصين"), ("المصري", "مصر"), ("الأميركية", "أمريكا")],
)
def test_a_nisba_adjective_names_its_place(adjective, place):
    assert one(place) in nisba_places(one(adjective))


@pytest.mark.parametrize("word", ["الغربية", "الرئاسية", "الجمركية", "الدولي", "روسيا", "بوتين"])
def test_other_words_name_no_place(word):
    assert nisba_places(one(word)) == ()


def test_unquoted_adjectives_outside_not_credit_their_place():
    gas, russian, chinese = Term(one("الغاز")), Term(one("الروسي")), Term(one("الصيني"))
    tree = And((gas, russian, Not(chinese), Phrase((one("الغاز"), one("الروسي")))))
    assert with_related_forms(tree) == And(
        (
            gas,
            Related(russian, Term(one("روسيا"))),
            Not(chinese),  # an excluded word excludes only itself
            Phrase((one("الغاز"), one("الروسي"))),  # a quoted phrase is what was typed
        )
    )
    assert with_related_forms(Or((gas, russian))) == Or((gas, Related(russian, Term("روسيا"))))
