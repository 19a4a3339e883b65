"""The ``engine`` fixture: a fresh, real backend of every engine the contract suite runs on.

Whoosh: an index in a temporary folder. OpenSearch: a uniquely named index on the node at
``MARSAD_TEST_OPENSEARCH_URL`` (default http://127.0.0.1:9200), skipped with a message when no
node answers there. Documents are built by ``articles.index_fields.document`` from plain rows
(no database), so every engine gets exactly what the portal gives it.
"""

from __future__ import annotations

import datetime
import importlib.util
import os
import urllib.error
import urllib.request
import uuid

import pytest
from django.utils.module_loading import import_string

from articles import index_fields

OPENSEARCH_URL = os.environ.get("MARSAD_TEST_OPENSEARCH_URL", "http://127.0.0.1:9200").rstrip("/")


def _node_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - a local node
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


@pytest.fixture(params=["whoosh", "opensearch"])
def engine(request, tmp_path):
    if request.param == "whoosh":
        from articles.engines.whoosh import WhooshBackend

        yield WhooshBackend(path=tmp_path / "whoosh_index")
        return
    if not _node_answers(OPENSEARCH_URL):
        pytest.skip(
            f"OpenSearch suite skipped: no node answers at {OPENSEARCH_URL}; "
            "start one with `make opensearch`"
        )
    if importlib.util.find_spec("articles.engines.opensearch") is None:
        pytest.skip("OpenSearch suite skipped: articles.engines.opensearch is not on this branch")
    backend_class = import_string("articles.engines.opensearch.OpenSearchBackend")
    backend = backend_class(url=f"{OPENSEARCH_URL}/contract-{uuid.uuid4().hex[:12]}")
    yield backend
    drop = getattr(backend, "drop", None)  # the OpenSearch backend removes its test index
    if drop is not None:
        drop()


def doc(
    pk: int,
    title: str,
    body: str,
    *,
    source: str | None = None,
    actors: tuple[str, ...] = (),
    day: str | None = None,
    events: tuple[str, ...] = (),
) -> dict:
    """One engine document, made from a row by the one field declaration."""
    return index_fields.document(
        {
            "pk": pk,
            "title": title,
            "body": body,
            "source__slug": source,
            "actors": list(actors),
            "published_on": datetime.date.fromisoformat(day) if day else None,
            "event_dates": [datetime.date.fromisoformat(e) for e in events],
        }
    )
