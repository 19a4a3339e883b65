"""Shared browser fixtures: Debian's Chromium driven by Playwright, and a live portal holding the
seed corpus (gazetteer + the five seed articles, imported as `make run` does, and indexed).

`seeded_server` is module-scoped: the corpus is imported once per test module, not per test. It is
pytest-django's LiveServer, but without the `live_server` fixture, whose per-test flush would
empty the database after the first test; this fixture removes its corpus itself at the end.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(autouse=True)
def empty_search_index(request):
    """Tests on the shared seeded server keep its index; every other test starts empty."""
    if "seeded_server" not in request.fixturenames:
        from articles.engines import get_backend

        get_backend().clear()
    yield


@pytest.fixture(scope="module")
def seeded_server(django_db_setup, django_db_blocker):
    """A live portal on the seed corpus; yields its base URL ("http://localhost:PORT")."""
    from django.core.management import call_command
    from pytest_django.live_server_helper import LiveServer

    from articles.indexing import rebuild_index
    from articles.ingest.readers import iter_source_files
    from articles.services.gazetteer import load_gazetteer_file
    from articles.services.imports import import_source_files

    with django_db_blocker.unblock():  # the server thread reads the database during the tests
        load_gazetteer_file()
        import_source_files(
            files=iter_source_files(ROOT / "articles" / "seed_corpus"), channel="command"
        )
        rebuild_index()
        server = LiveServer("localhost")
        try:
            yield server.url
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            rebuild_index()


@pytest.fixture
def browser():
    """Headless Chromium; skipped with the reason when Debian's package is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian's Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)"
        )
    # Playwright's sync API runs an event loop in this thread; Django calls made between browser
    # steps are ordinary blocking calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def console_errors():
    """Collects console errors and page errors of the pages passed to `watch(page)`."""
    errors: list[str] = []

    def watch(page):
        page.on(
            "console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None
        )
        page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
        return page

    watch.errors = errors
    return watch


@pytest.fixture
def screenshot(request):
    """`screenshot(page, "name.png")`: a full-page PNG in test-artifacts/screenshots/; the module's
    files are listed in the test output when it ends."""
    written = request.node.module.__dict__.setdefault("_screenshots", [])

    def take(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / name
        page.screenshot(path=str(path), full_page=True)
        written.append(path.name)
        return path

    return take


@pytest.fixture(scope="module", autouse=True)
def _list_screenshots(request):
    yield
    written = request.module.__dict__.get("_screenshots")
    if written:
        with request.config.pluginmanager.get_plugin(
            "capturemanager"
        ).global_and_fixture_disabled():
            print(f"\nbrowser screenshots in {SCREENSHOTS}/: {', '.join(written)}")
