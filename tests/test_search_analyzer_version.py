"""The index records the analyzer version; ensure_index rebuilds an index another version wrote."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.arabic import analyzer_version
from articles.models import Article
from articles.search_backend import (
    ANALYZER_VERSION_FILE,
    backend,
    index_analyzer_version,
    index_is_current,
    indexed_count,
)


def ensure_index() -> str:
    out = StringIO()
    call_command("ensure_index", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_current_index_is_kept(seeded):
    assert index_is_current()
    assert "up to date" in ensure_index()


@pytest.mark.django_db(transaction=True)
def test_index_of_another_analyzer_version_is_rebuilt_without_being_opened(seeded):
    path = Path(backend().path)
    (path / ANALYZER_VERSION_FILE).write_text("an-older-analyzer", encoding="utf-8")
    for toc in path.glob("*.toc"):  # an old index may not even load (its schema pickles classes)
        toc.write_bytes(b"not a whoosh table of contents")
    assert not index_is_current()
    assert "rebuilt" in ensure_index()
    assert index_analyzer_version() == analyzer_version()
    assert indexed_count() == Article.objects.count() == 5
