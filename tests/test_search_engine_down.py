"""An engine that cannot answer is a clear 503 (page and API), never a 500 or an empty result;
pages that do not search keep working. Two real failures: an OpenSearch URL on a closed port,
and a Whoosh index path that is a plain file (a broken disk layout)."""

import importlib.util
import socket
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db
SEARCHING = ["articles:search", "articles:kwic", "articles:feed_search", "articles:export_csv"]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends


@pytest.fixture(params=["whoosh-path-is-a-file", "opensearch-closed-port"])
def engine_down(request, settings, tmp_path):
    if request.param == "opensearch-closed-port":
        if importlib.util.find_spec("articles.engines.opensearch") is None:
            pytest.skip("articles.engines.opensearch is not on this branch (issue-10-os)")
        settings.MARSAD_SEARCH_URL = f"http://127.0.0.1:{closed_port()}/marsad"
    else:
        broken = tmp_path / "whoosh_index"
        broken.write_text("not a directory", encoding="utf-8")
        settings.MARSAD_WHOOSH_PATH = str(broken)
    return request.param


def test_search_pages_say_the_engine_is_down(client, engine_down):
    client.cookies["django_language"] = "en"
    for name in SEARCHING:
        response = client.get(reverse(name), {"q": "بوتين"})
        assert response.status_code == 503, (name, response.status_code)
        assert b"the search engine does not answer" in response.content, name
    response = client.get(reverse("articles:api_search"), {"q": "بوتين"})
    assert response.status_code == 503
    arabic, english = response.json()["error"].split(" / ")
    assert "does not answer" in english and arabic != english


def test_reading_pages_and_admin_work_without_the_engine(client, admin_client, engine_down):
    article = Article.objects.create(
        title="عنوان", body="وصل بوتين إلى بكين.", content_hash="d" * 64
    )
    page = client.get(article.get_absolute_url(), {"q": "بوتين"})
    assert page.status_code == 200 and "بوتين".encode() in page.content
    assert client.get(reverse("articles:home")).status_code == 200
    assert admin_client.get(reverse("admin:articles_article_changelist")).status_code == 200


@pytest.mark.parametrize(
    "command", [["check_index"], ["ensure_index"], ["rebuild_index", "--noinput"]]
)
def test_index_commands_say_the_engine_is_down_in_one_line(engine_down, command):
    with pytest.raises(CommandError, match="search index not reached: ") as raised:
        call_command(*command, stdout=StringIO())
    assert raised.value.returncode == 1
