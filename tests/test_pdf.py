"""PDF of an article and of a result set: Arabic shaped word by word after logical line wrapping,
in the bundled font, mentions coloured; the dossier states its cap."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from articles import pdf
from articles.views import exports
from tests.search_fixtures import make_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return make_articles()


def pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", data))


def test_words_are_joined_and_right_to_left():
    shaped = pdf.shaped("بوتين")
    assert re.search("[\ufe70-\ufeff]", shaped)  # presentation forms: joined letters
    assert shaped[0] in "\ufef3\ufef4\ufee5\ufee6"  # the final نون comes first in visual order
    assert pdf.shaped("(10)") == "(10)"  # brackets mirrored, digits not reversed
    assert pdf.shaped("2024") == "2024"


def test_lines_are_wrapped_in_logical_order():
    doc = pdf.Document(footer_text="")
    doc.add_page()
    doc.set_font(pdf.FONT, "", pdf.BODY_SIZE)
    words = pdf.words_of(" ".join(f"كلمة{n}" for n in range(60)))
    lines = doc._lines(words)
    assert len(lines) > 1
    assert [w.text for w, _g, _width in lines[0]][:2] == ["كلمة0", "كلمة1"]  # the text's start
    assert all(sum(width for _w, _g, width in line) <= doc.text_width for line in lines)


def test_words_carry_their_mark():
    from articles.highlight import EntitySpan, HitSpan

    text = "قال فلاديمير بوتين اليوم"
    start = text.index("فلاديمير")
    words = pdf.words_of(
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


def test_article_pdf(client, articles):
    response = client.get(
        reverse("articles:article_pdf", args=[articles["clitics"].pk]) + "?q=الرئيس"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF") and b"NotoNaskhArabic" in data
    assert client.get(reverse("articles:article_pdf", args=[99999])).status_code == 404


def test_dossier_states_its_cap(client, articles, monkeypatch):
    monkeypatch.setattr(exports, "DOSSIER_CAP", 2)
    response = client.get(reverse("articles:export_pdf") + "?sort=date")
    assert response.status_code == 200
    assert pages(response.content) == 3  # title page + two articles
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "6" in text and "2" in text
