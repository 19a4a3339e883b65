"""PDF of an article and of a result set: Arabic shaped by HarfBuzz as real Unicode text (what
``pdftotext`` and a reader's copy-paste get), lines wrapped in logical order, marks where the bidi
algorithm puts their words, addresses left to right, and the dossier's cap said on its cover."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import pdf, pdf_layout
from articles.indexing import index_articles
from articles.models import Article
from articles.services.articles import content_hash
from articles.views import exports
from tests.search_fixtures import make_articles

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed"
)
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]")


@pytest.fixture
def articles():
    return make_articles()


def pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", data))


def pdftotext(data: bytes, *options: str) -> str:
    """The PDF's text as poppler extracts it, without the embedding marks it puts around runs."""
    out = subprocess.run(
        ["pdftotext", *options, "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return re.sub("[\u202a-\u202e]", "", out)


def test_lines_are_wrapped_in_logical_order():
    doc = pdf_layout.Document(footer_text="")
    doc.add_page()
    doc.set_font(pdf_layout.FONT, "", pdf_layout.BODY_SIZE)
    words = pdf_layout.words_of(" ".join(f"كلمة{n}" for n in range(60)))
    lines = doc._lines(words)
    assert len(lines) > 1
    assert [w.text for w, _width in lines[0]][:2] == ["كلمة0", "كلمة1"]  # the text's start
    assert all(sum(width for _w, width in line) <= doc.text_width for line in lines)


def test_words_are_placed_as_the_bidi_algorithm_orders_them():
    # From the left: the Latin run keeps its order (with the number it ends with), the Arabic
    # words run right to left around it.
    words = ["قال", "مراسل", "BBC", "News", "(10)", "اليوم"]
    assert pdf_layout.visual_order(words) == [5, 2, 3, 4, 1, 0]
    assert pdf_layout.visual_order(["في", "12", "يونيو", "2025"]) == [3, 2, 1, 0]


def test_words_carry_their_mark():
    from articles.highlight import EntitySpan, HitSpan

    text = "قال فلاديمير بوتين اليوم"
    start = text.index("فلاديمير")
    words = pdf_layout.words_of(
        text,
        entities=[EntitySpan(start, start + 14, "vladimir-putin", "person", "بوتين")],
        hits=[HitSpan(text.index("اليوم"), len(text))],
    )
    assert [(w.text, w.fill) for w in words] == [
        ("قال", None),
        ("فلاديمير", "person"),
        ("بوتين", "person"),
        ("اليوم", "hit"),
    ]
    assert words[1].span == words[2].span


@needs_poppler
def test_article_pdf_carries_real_unicode_text(client, articles):
    article = articles["clitics"]
    response = client.get(reverse("articles:article_pdf", args=[article.pk]) + "?q=الرئيس")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"NotoNaskhArabic" in response.content
    text = pdftotext(response.content)
    assert not PRESENTATION_FORMS.search(text)  # letters, not joined presentation forms
    # The name and the searched word as a reader would search or copy them, and whole lines.
    assert "بوتين" in text and "الرئيس" in text
    assert "استقبل بوتين الوفد" in text
    assert article.title in text
    assert client.get(reverse("articles:article_pdf", args=[99999])).status_code == 404


def tokens(text: str) -> str:
    """Words and numbers only: poppler guesses the spaces and punctuation around a number in
    right-to-left text by itself ("المطابقة6 :"), so phrases are compared without them."""
    return " ".join(re.findall(r"\d+|[^\W\d]+", text))


def _line_of(data: bytes, marker: str) -> str:
    """The text of the line holding `marker`, read left to right from the words' positions."""
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>',
        pdftotext(data, "-bbox"),
    )
    y = next(float(y) for _x, y, word in words if marker in word)
    on_line = sorted((float(x), word) for x, top, word in words if abs(float(top) - y) < 1)
    return "".join(word for _x, word in on_line)


@needs_poppler
def test_an_arabic_slug_address_prints_left_to_right():
    url = "https://example.com/ar/مقالة-عن-بوتين/2025?id=7"
    article = Article(
        title="زيارة", body="نص المقالة.", url=url, published_on=datetime.date(2025, 6, 12)
    )
    content = pdf.ArticleContent(
        article=article, entities=[], hits=[], page_url="http://127.0.0.1/articles/7/", legend=[]
    )
    data = pdf.article_pdf(content)
    # What the eye reads from left to right: the address in its own order, each Arabic word
    # drawn right to left in its place (so its letters come reversed in left-to-right reading).
    seen = _line_of(data, "example.com")
    expected = "".join(
        token[::-1] if re.search("[\u0600-\u06ff]", token) else token
        for token in re.findall(r"[\u0600-\u06ff]+|[^\u0600-\u06ff]+", url)
    )
    assert seen == expected
    assert _line_of(data, "127.0.0.1") == "http://127.0.0.1/articles/7/"


@needs_poppler
def test_dossier_finds_the_searched_word_and_says_it_is_complete(client, articles):
    response = client.get(reverse("articles:export_pdf") + "?q=بوتين")
    assert response.status_code == 200
    text = pdftotext(response.content)
    assert "بوتين" in text
    assert "قمة موسكو" in text  # the matching article's headline
    assert tokens("يضم هذا الملف المقالات كلها (1)") in tokens(text)
    assert "حده الأقصى" not in text


@needs_poppler
def test_dossier_says_on_its_cover_when_the_cap_is_reached(client, articles, settings):
    settings.MARSAD_DOSSIER_MAX_ARTICLES = 2
    response = client.get(reverse("articles:export_pdf") + "?sort=date")
    assert response.status_code == 200
    assert pages(response.content) == 3  # title page + two articles
    cover = tokens(pdftotext(response.content, "-l", "1"))
    assert tokens("عدد المقالات المطابقة: 6") in cover
    assert tokens("بلغ الملف حده الأقصى: يضم أول 2 مقالة فقط من 6") in cover
    assert "MARSAD_DOSSIER_MAX_ARTICLES" in cover
    # the two newest, in the page's order
    assert "قمة موسكو" in pdftotext(response.content, "-f", "2", "-l", "2")
    assert "ثقافة" in pdftotext(response.content, "-f", "3", "-l", "3")


@needs_poppler
def test_dossier_reads_articles_in_chunks_in_result_order(client, articles, monkeypatch):
    monkeypatch.setattr(exports, "DOSSIER_CHUNK", 2)
    extra = [
        Article.objects.create(
            title=f"مقالة رقم {n}",
            body=f"نص المقالة رقم {n} عن بوتين.",
            published_on=datetime.date(2025, 1, n),
            content_hash=content_hash(body=f"نص المقالة رقم {n} عن بوتين."),
        )
        for n in range(1, 6)
    ]
    index_articles(pks=[a.pk for a in extra])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("articles:export_pdf") + "?q=بوتين&sort=date")
    article_reads = [
        q["sql"]
        for q in queries
        if re.match(r'SELECT .* FROM "articles_article" .*\bIN \(', q["sql"])
    ]
    assert len(article_reads) == 3  # six articles, two at a time
    text = pdftotext(response.content)
    headlines = [f"مقالة رقم {n}" for n in range(5, 0, -1)] + ["قمة موسكو"]
    assert [text.index(h) for h in headlines] == sorted(text.index(h) for h in headlines)
    assert pages(response.content) == 7
