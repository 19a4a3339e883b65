"""Uploaded text is bidi-isolated on every page (issue 12): a title, outlet, actor name or body
holding a stray U+202E (RIGHT-TO-LEFT OVERRIDE, never closed) sits in a <bdi>, an element with
a dir attribute, a class the stylesheet isolates, or a block of its own, so the override cannot
reorder the page text around it."""

import datetime
import re
from pathlib import Path

import lxml.html
import pytest
from django.urls import reverse

from articles.indexing import index_articles
from articles.models import Entity
from tests.search_fixtures import create_article

pytestmark = pytest.mark.django_db
RLO = "\u202e"
CSS = Path(__file__).resolve().parents[1] / "static" / "css" / "marsad.css"
BLOCKS = {
    "p", "div", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "article", "section",
    "header", "footer", "main", "aside", "nav", "ol", "ul", "table", "figcaption", "body",
}  # fmt: skip
TITLE = RLO + "عنوان مقلوب"
OUTLET = RLO + "وكالة مقلوبة"
BODY = f"قال الرئيس الروسي فلاديمير بوتين إن العلاقات مع الصين {RLO}جيدة جداً في هذه المرحلة."


def isolated_classes() -> set[str]:
    """Classes whose rules in the stylesheet say ``unicode-bidi: isolate``."""
    rules = re.findall(r"([^{}]+)\{[^}]*unicode-bidi:\s*isolate", CSS.read_text(encoding="utf-8"))
    return {m for rule in rules for m in re.findall(r"\.([\w-]+)\s*(?:,|$)", rule.strip())}


def flat(text: str) -> str:
    return " ".join(text.replace("…", " ").split())


def unisolated(html: str, planted: list[str]) -> list[str]:
    """Texts holding U+202E whose nearest isolating or block element holds anything else."""
    classes = isolated_classes()
    tree = lxml.html.fromstring(html)
    problems = []
    for text in tree.xpath(f"//body//text()[contains(., '{RLO}')]"):
        element = text.getparent() if text.is_text else text.getparent().getparent()
        while not (
            element.tag in BLOCKS
            or element.tag == "bdi"
            or "dir" in element.attrib
            or classes & set(element.get("class", "").split())
        ):
            element = element.getparent()
        held = flat(element.text_content())
        if not any(held in flat(value) for value in planted):
            problems.append(f"<{element.tag} class={element.get('class')!r}>: {held[:80]}")
    return problems


@pytest.fixture
def hostile(gazetteer):
    putin = Entity.objects.get(slug="vladimir-putin")
    putin.name_ar = RLO + "بوتين"
    putin.save()
    article = create_article(
        title=TITLE, body=BODY, source=OUTLET, published_on=datetime.date(2024, 5, 1)
    )
    index_articles(pks=[article.pk])
    return article


def test_uploaded_text_is_isolated_on_every_page(client, hostile):
    source = hostile.source
    pages = {
        "home": reverse("articles:home"),
        "search": reverse("articles:search") + "?q=العلاقات",
        "search-browse": reverse("articles:search"),
        "article": hostile.get_absolute_url() + "?q=العلاقات",
        "kwic": reverse("articles:kwic") + "?q=جيدة",
        "kwic-actor": reverse("articles:kwic") + "?actor=vladimir-putin",
        "sources": reverse("articles:source_list"),
        "source": source.get_absolute_url(),
        "actors": reverse("articles:actor_list"),
        "actor": reverse("articles:actor_detail", args=["vladimir-putin"]),
        "archive": reverse("articles:archive_month", args=[2024, 5]),
    }
    planted = [TITLE, OUTLET, BODY, RLO + "بوتين"]
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert RLO in html, name  # the hostile text is shown …
        assert unisolated(html, planted) == [], name  # … and kept to itself
