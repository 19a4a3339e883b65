"""The index records the analyzer version; ensure_index rebuilds an index another version wrote."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.arabic import analyzer_version
from articles.engines import get_backend
from articles.engines.whoosh.store import ANALYZER_VERSION_FILE
from articles.models import Article


def ensure_index() -> str:
    out = StringIO()
    call_command("ensure_index", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_current_index_is_kept(seeded):
    assert get_backend().is_current()
    assert "up to date" in ensure_index()


@pytest.mark.django_db(transaction=True)
def test_index_of_another_analyzer_version_is_rebuilt_without_being_opened(seeded):
    path = get_backend().store.live_path()
    (path / ANALYZER_VERSION_FILE).write_text("an-older-analyzer", encoding="utf-8")
    for toc in path.glob("*.toc"):  # an old index may not even load (its schema pickles classes)
        toc.write_bytes(b"not a whoosh table of contents")
    assert not get_backend().is_current()
    assert "rebuilt" in ensure_index()
    assert get_backend().is_current()
    assert get_backend().store.recorded_version().startswith(analyzer_version())
    assert get_backend().count() == Article.objects.count() == 5
