"""``bench_search``'s timing loops outside the interleaved run (``search_bench.interleaved``):
the search page through Django's test client, each query's first run on the engine alone, FTS5
alone, and the indexing processes' memory."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from urllib.parse import urlencode

import psutil
from django.core.management.base import CommandError

from articles.quality.bench_corpus import bench_queries

ROUNDS = 3


@contextmanager
def peak_rss() -> Iterator[dict]:
    """Samples the RSS of this process and its children (Whoosh's writer processes) every 20 ms."""
    result = {"peak_mb": 0.0}
    done = threading.Event()
    me = psutil.Process()

    def sample() -> None:
        while not done.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                with suppress(psutil.Error):
                    total += proc.memory_info().rss
            result["peak_mb"] = max(result["peak_mb"], total / 2**20)
            done.wait(0.02)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield result
    finally:
        done.set()
        thread.join()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def time_portal() -> tuple[list[float], list[float], int]:
    """GET /search/ through Django's test client (middleware, view, template, facets, snippets):
    the repeated rounds, each query's first run (searcher opened beforehand), and how many
    first runs the portal refused as too slow to answer (its 400 page; timed all the same)."""
    from django.test import Client

    client = Client()
    urls = [f"/search/?{urlencode({'q': q, **extra})}" for q, extra in bench_queries()]
    _get(client, "/search/?" + urlencode({"q": "مرصد"}))  # open the searcher
    first_runs, refused = [], 0
    for url in urls:  # warm-up: fills the stem and postings caches, as FTS5's page cache warms
        started = time.perf_counter()
        refused += not _get(client, url, refusal_allowed=True)
        first_runs.append((time.perf_counter() - started) * 1000)
    timings = []
    for _ in range(ROUNDS):
        for url in urls:
            started = time.perf_counter()
            _get(client, url)
            timings.append((time.perf_counter() - started) * 1000)
    return timings, first_runs, refused


def _get(client, url: str, *, refusal_allowed: bool = False) -> bool:
    """True: the page answered; False: it refused the query as too broad (allowed here)."""
    response = client.get(url)
    if response.status_code == 200 and b'class="search-error"' not in response.content:
        return True
    if refusal_allowed and response.status_code == 400:
        return False
    raise CommandError(f"{url} answered {response.status_code} or an error message")


def engine_first_runs() -> list[float]:
    """Each query's first run on the Whoosh engine alone (the page's engine request), on a
    backend of its own: its searcher opened beforehand, its decoded-postings caches empty."""
    from django.conf import settings

    from articles.engines.base import SearchRequest, Term
    from articles.engines.whoosh import WhooshBackend
    from articles.quality.search_bench import bench_request

    backend = WhooshBackend(path=settings.MARSAD_WHOOSH_PATH)
    backend.search(SearchRequest(query=Term("مرصد"), limit=1))  # open the searcher
    first_runs = []
    for q, extra in bench_queries():
        request = bench_request(q, extra)
        started = time.perf_counter()
        backend.search(request)
        first_runs.append((time.perf_counter() - started) * 1000)
    return first_runs


def time_fts5(db) -> list[float]:
    """The queries' text part on FTS5: top 20 with snippets, plus the total count."""
    from articles.arabic import normalize
    from articles.quality.search_bench import fts5_top

    texts = [normalize(q) for q, _extra in bench_queries()]
    for text in texts:
        fts5_top(db, text)
    timings = []
    for _ in range(ROUNDS):
        for text in texts:
            started = time.perf_counter()
            fts5_top(db, text)
            timings.append((time.perf_counter() - started) * 1000)
    return timings
