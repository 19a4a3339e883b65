"""Shared fixtures: a real Whoosh index in the test data dir, the gazetteer, the seed corpus."""

from pathlib import Path

import pytest

SEED_DIR = Path(__file__).resolve().parent.parent / "articles" / "seed_corpus"


def pytest_sessionstart(session):
    """Tests clear and rebuild the search index: never on a real site's data dir (a shell's
    DJANGO_SETTINGS_MODULE or MARSAD_DATA_DIR naming one once emptied a developer's index)."""
    from django.conf import settings

    if settings.SETTINGS_MODULE != "portal.settings_test":
        pytest.exit(f"tests run on portal.settings_test only, not {settings.SETTINGS_MODULE}", 2)


@pytest.fixture(autouse=True)
def empty_search_index():
    """Every test starts from an empty index (the database is rolled back; the index is not)."""
    from articles.engines import get_backend

    get_backend().clear()
    yield


@pytest.fixture
def gazetteer(db):
    from articles.services.gazetteer import load_gazetteer_file

    load_gazetteer_file()


@pytest.fixture
def seeded(transactional_db):
    """The five seed articles, imported the way `make run` does, index updated after commit."""
    from articles.ingest.readers import iter_source_files
    from articles.models import UploadBatch
    from articles.services.gazetteer import load_gazetteer_file
    from articles.services.imports import import_source_files

    load_gazetteer_file()
    return import_source_files(
        files=iter_source_files(SEED_DIR), channel=UploadBatch.Channel.COMMAND
    )
