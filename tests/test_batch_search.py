"""Batch search: one row per line (count, first and last date, top outlets, its search link),
aliases searched as their actor, bad lines as messages, bounded lists, a formula-safe CSV."""

import csv
import io
from urllib.parse import urlencode

import pytest
from django.db.models import Max, Min
from django.urls import reverse

from articles import batch
from articles.models import Article

pytestmark = pytest.mark.django_db(transaction=True)

FIVE = ["بوتين", "Xi Jinping", "لافروف", "الاقتصاد", '"قمة']


def table_rows(html: str) -> int:
    return html.count("<tr") - 1  # minus the header row


def test_five_lines_give_five_rows_with_actors_resolved(client, seeded):
    response = client.post(reverse("articles:batch"), {"lines": "\n".join(FIVE) + "\n\n"})
    assert response.status_code == 200
    html = response.content.decode()
    assert table_rows(html) == 5
    result = response.context["result"]
    putin, xi, lavrov, word, bad = result.rows
    assert (putin.actor, xi.actor, lavrov.actor, word.actor) == (
        "vladimir-putin",
        "xi-jinping",
        "sergey-lavrov",
        "",
    )
    mentioning = Article.objects.filter(mentions__entity__slug="vladimir-putin").distinct()
    span = mentioning.aggregate(first=Min("published_on"), last=Max("published_on"))
    assert putin.count == mentioning.count() > 0
    assert (putin.first_date, putin.last_date) == (span["first"], span["last"])
    assert putin.search_url == "/search/?actor=vladimir-putin"
    assert sum(n for _name, n in putin.outlets) <= putin.count and putin.outlets
    assert word.search_url.startswith("/search/?q=") and word.count is not None
    assert bad.error and bad.count is None  # an unclosed quote is a message, not a 500
    assert bad.error in html


def test_csv_has_one_row_per_line_and_formula_safe_cells(client, seeded):
    lines = [*FIVE[:3], "=HYPERLINK(1)", "بوتين"]
    url = reverse("articles:batch_export_csv") + "?" + urlencode({"lines": "\n".join(lines)})
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["line", "count", "first_date", "last_date", "search_url"]
    assert [r[0] for r in rows[1:]] == ["بوتين", "Xi Jinping", "لافروف", "'=HYPERLINK(1)", "بوتين"]
    assert rows[1] == rows[5]
    assert rows[1][4] == "http://testserver/search/?actor=vladimir-putin"
    assert int(rows[1][1]) > 0 and rows[1][2] <= rows[1][3]


def test_an_uploaded_csv_column_is_the_list(client, seeded):
    data = "id,name\n1,بوتين\n2,لافروف\n".encode()
    upload = io.BytesIO(data)
    upload.name = "names.csv"
    response = client.post(reverse("articles:batch"), {"file": upload, "column": "name"})
    assert [r.line for r in response.context["result"].rows] == ["بوتين", "لافروف"]
    upload = io.BytesIO(data)
    upload.name = "names.csv"
    response = client.post(reverse("articles:batch"), {"file": upload, "column": "country"})
    assert response.status_code == 200
    assert "country" in response.context["result"].messages[0]


def test_lists_are_bounded():
    lines, messages = batch.list_lines(
        text="\n".join(f"كلمة{n}" for n in range(batch.MAX_LINES + 7))
    )
    assert len(lines) == batch.MAX_LINES and "507" in messages[0]
    lines, messages = batch.list_lines(text="أ" * (batch.MAX_CHARS + 1))
    assert messages and len(lines[0]) == batch.MAX_CHARS
