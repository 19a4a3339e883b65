"""What ``bench_search`` measures beside the engine: a real HTTP server, PostgreSQL, OpenSearch.

- :func:`serving` runs the portal's WSGI application in a threaded server in this process, one
  new thread per request as ``manage.py runserver`` does, so per-thread caches show up as they
  would under ``make run``.
- :func:`postgres_scratch` creates a throw-away database on a PostgreSQL server that answers,
  loads the articles' ``arabic`` tsvectors (``articles.quality.ranking``) and drops it after.
- :func:`opensearch_base` finds a node that answers (``MARSAD_TEST_OPENSEARCH_URL`` or
  127.0.0.1:9200).
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from urllib.parse import urlsplit

import psutil
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

from articles.quality import ranking

DEFAULT_OPENSEARCH = "http://127.0.0.1:9200"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        """No access log: thousands of timed requests would drown the figures."""


@contextmanager
def serving(*, port: int = 0) -> Iterator[tuple[str, int]]:
    """(host, port) of the portal served over HTTP on 127.0.0.1 (``port`` 0: any free port)."""
    from django.core.wsgi import get_wsgi_application

    server = ThreadedWSGIServer(("127.0.0.1", port), QuietHandler, allow_reuse_address=True)
    server.daemon_threads = True
    server.set_app(get_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[:2]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def http_get(address: tuple[str, int], path: str) -> tuple[int, bytes]:
    """One GET on a new connection (as a browser's first request does): status and body."""
    connection = http.client.HTTPConnection(*address, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": address[0]})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def opensearch_base() -> str | None:
    """The URL of an OpenSearch node that answers, or None."""
    url = os.environ.get("MARSAD_TEST_OPENSEARCH_URL") or DEFAULT_OPENSEARCH
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 9200, timeout=3)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        answered = response.status == 200 and "version" in json.loads(response.read())
    except (OSError, ValueError, http.client.HTTPException):
        return None
    finally:
        connection.close()
    return f"{parts.scheme}://{parts.netloc}" if answered else None


@contextmanager
def postgres_scratch(*, rows, url: str | None = None) -> Iterator[object | None]:
    """A cursor on a new database holding ``rows`` ``(id, url, title, body)`` in ranking's
    ``marsad_fts`` table, or None when no PostgreSQL server answers; the database is dropped."""
    import psycopg

    url = url or os.environ.get("MARSAD_BENCH_POSTGRES_URL") or DEFAULT_POSTGRES
    try:
        admin = psycopg.connect(url, connect_timeout=3, autocommit=True)
    except psycopg.Error:
        yield None
        return
    name = f"marsad_bench_{uuid.uuid4().hex[:12]}"
    parts = urlsplit(url)
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            scratch_url = parts._replace(path="/" + name).geturl()
            with (
                psycopg.connect(scratch_url, autocommit=True) as scratch,
                scratch.cursor() as cursor,
            ):
                ranking.postgres_fill(cursor=cursor, rows=rows)
                cursor.execute("ANALYZE marsad_fts")
                yield cursor
        finally:
            with suppress(psycopg.Error):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fts5_database(*, directory) -> Iterator[object]:
    """SQLite FTS5 over the articles' normalized titles and bodies, in a new file of
    ``directory`` removed after (the FTS5 lines' reference: what SQLite alone does with the
    same texts)."""
    import sqlite3
    import time

    from articles.arabic import normalize
    from articles.models import Article

    path = directory / f"fts5-{time.time_ns()}.sqlite3"
    db = sqlite3.connect(path, check_same_thread=False)
    try:
        db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(title, body, "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        rows = Article.objects.values_list("pk", "title", "body").iterator()
        db.executemany(
            "INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
            ((pk, normalize(title), normalize(body)) for pk, title, body in rows),
        )
        db.commit()
        yield db
    finally:
        db.close()
        path.unlink(missing_ok=True)


FTS5_TOP = (
    "SELECT rowid, snippet(docs, 1, '<mark class=\"hit\">', '</mark>', '…', 24) "
    "FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 20"
)
FTS5_COUNT = "SELECT count(*) FROM docs WHERE docs MATCH ?"


def fts5_top(db, text: str) -> None:
    """FTS5's answer to a search page: the top 20 with snippets and the total count."""
    db.execute(FTS5_TOP, (text,)).fetchall()
    db.execute(FTS5_COUNT, (text,)).fetchone()


def postgres_top(cursor, text: str) -> None:
    """PostgreSQL's bare answer: the top 20 by ts_rank_cd and the total count."""
    cursor.execute(ranking.POSTGRES_TOP, (text, 20))
    cursor.fetchall()
    cursor.execute(ranking.POSTGRES_COUNT, (text,))
    cursor.fetchone()


@contextmanager
def opensearch_index() -> Iterator[object | None]:
    """An OpenSearch backend on a new index holding every article, or None when no node
    answers; the index is deleted after."""
    base = opensearch_base()
    if base is None:
        yield None
        return
    from articles import index_fields
    from articles.engines.opensearch import OpenSearchBackend

    backend = OpenSearchBackend(url=f"{base}/marsad-bench-{uuid.uuid4().hex[:12]}")
    try:
        backend.rebuild(documents=index_fields.documents(ids=index_fields.all_ids()))
        yield backend
    finally:
        parts = urlsplit(base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        with suppress(OSError, http.client.HTTPException):
            connection.request("DELETE", f"/{backend.alias}-*")
            connection.getresponse().read()
        connection.close()


def page_request(params):
    """The engine request the search page makes for ``params`` (top 20, facets, histogram)."""
    from articles import index_fields, search
    from articles.engines.base import Histogram, MatchAll, SearchRequest

    parsed = search.parse_query(params.q) if params.q else None
    return SearchRequest(
        query=parsed.query if parsed else MatchAll(),
        filters=search.filters(params),
        boosts=parsed.boosts if parsed else (),
        sort=params.effective_sort,
        limit=search.PER_PAGE,
        facets=index_fields.FACET_NAMES,
        histogram=Histogram("published_on", search.counted_interval(params)),
    )


def bench_request(q: str, extra: dict):
    """The engine request of the search page for query text ``q`` and parameters ``extra``."""
    from urllib.parse import urlencode

    from django.http import QueryDict

    from articles import search

    return page_request(search.parse_params(QueryDict(urlencode({"q": q, **extra}))))


def runners(*, whoosh, opensearch, address, fts, pg) -> dict:
    """name -> callable(q, extra) for every line that can run here (see bench_search.LINES)."""
    from urllib.parse import urlencode

    from articles.arabic import normalize

    request = bench_request

    def get(path: str, q: str, extra: dict) -> None:
        status, body = http_get(address, f"{path}?{urlencode({'q': q, **extra})}")
        if status != 200 or b'class="search-error"' in body:
            raise RuntimeError(f"{path} {q!r} answered {status} or an error message")

    found = {
        "engine_whoosh": lambda q, extra: whoosh.search(request(q, extra)),
        "engine_opensearch": opensearch and (lambda q, extra: opensearch.search(request(q, extra))),
        "api": lambda q, extra: get("/api/search/", q, extra),
        "page": lambda q, extra: get("/search/", q, extra),
        "fts5_snippet": lambda q, extra: fts5_top(fts, normalize(q)),
        "postgres": pg and (lambda q, extra: postgres_top(pg, q)),
    }
    return {name: run for name, run in found.items() if run}


def interleaved(*, runners: dict, queries, rounds: int) -> dict[str, list[float]]:
    """Milliseconds per line: one warm-up pass, then ``rounds`` passes where each query runs on
    every line in turn (so no line gets a quieter moment of the machine than another)."""
    import time

    for q, extra in queries:
        for run in runners.values():
            run(q, extra)
    timings: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(rounds):
        for q, extra in queries:
            for name, run in runners.items():
                started = time.perf_counter()
                run(q, extra)
                timings[name].append((time.perf_counter() - started) * 1000)
    return timings


VISIBLE_TIMEOUT_S = 10.0


def commit_visible_ms(*, backend) -> float:
    """From saving an article (the services' one transaction) to a search that finds it; the
    timeout when it never shows."""
    import datetime
    import time

    from articles.arabic import analyze
    from articles.engines.base import SearchRequest, Term
    from articles.ingest.drafts import ArticleDraft
    from articles.services import articles as services

    marker = "مرصدتجربة" + "".join(chr(0x0627 + int(d)) for d in str(time.time_ns())[-8:])
    draft = ArticleDraft(
        title=f"خبر {marker}",
        body=f"نص قصير عن {marker} لقياس ظهور الخبر في البحث بعد حفظه.",
        source_name="bench",
        published_on=datetime.date.today(),
        url="",
        original="",
        original_name="",
        original_bytes=b"",
        encoding="utf-8",
    )
    request = SearchRequest(query=Term(analyze(marker)[0]), limit=1)
    started = time.perf_counter()
    article = services.save_article(draft=draft).article
    while time.perf_counter() - started < VISIBLE_TIMEOUT_S:
        if any(hit.id == article.pk for hit in backend.search(request).hits):
            return (time.perf_counter() - started) * 1000
        time.sleep(0.005)
    return VISIBLE_TIMEOUT_S * 1000
