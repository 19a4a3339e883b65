"""Time ``/api/search/`` and ``/search/`` over HTTP on a running portal (``make run``'s
runserver — a new thread per request — or gunicorn): p50/p95 of bench_search's queries.

    manage.py bench_http --base http://127.0.0.1:8000 [--rounds 3]

Prints ``key value`` lines (api_p50_ms, api_p95_ms, page_p50_ms, page_p95_ms). The queries are
bench_search's, interleaved API/page, each URL once as a warm-up first.
"""

from __future__ import annotations

import statistics
import time
import urllib.request
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError

from articles.quality.bench_corpus import bench_queries
from articles.quality.bench_timing import percentile


class Command(BaseCommand):
    help = "Time /api/search/ and /search/ over HTTP on a running portal."

    def add_arguments(self, parser):
        parser.add_argument("--base", required=True, help="e.g. http://127.0.0.1:8000")
        parser.add_argument("--rounds", type=int, default=3)

    def handle(self, *args, base: str, rounds: int, **options):
        base = base.rstrip("/")
        queries = [urlencode({"q": q, **extra}) for q, extra in bench_queries()]
        timings: dict[str, list[float]] = {"api": [], "page": []}
        paths = {"api": "/api/search/?", "page": "/search/?"}
        for query in queries:  # warm-up
            for path in paths.values():
                self.fetch(base + path + query)
        for _ in range(rounds):
            for query in queries:
                for kind, path in paths.items():
                    timings[kind].append(self.fetch(base + path + query))
        for kind, values in timings.items():
            self.stdout.write(f"{kind}_p50_ms {statistics.median(values):.2f}")
            self.stdout.write(f"{kind}_p95_ms {percentile(values, 95):.2f}")

    @staticmethod
    def fetch(url: str) -> float:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - given base
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        if status != 200:
            raise CommandError(f"{url} answered {status}")
        return (time.perf_counter() - started) * 1000
