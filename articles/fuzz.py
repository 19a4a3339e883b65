"""Random and adversarial parameter sets against the query-taking endpoints, through Django's test
client (middleware, views, templates; streamed exports read to the end).

``manage.py fuzz_http`` and the test suite run it: no answer may be a 500 and none may take more
than ``SLOW_S`` seconds. Queries mix words of the corpus's own titles with operators, quotes,
brackets, stars, controls, bidi marks and oversized input, so the parser, the bounds, the index
and the exports are all reached.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.test import Client

from articles.models import Article, Entity, Source

ENDPOINTS = (
    "/search/",
    "/api/search/",
    "/kwic/",
    "/feeds/search/",
    "/search/export.csv",
    "/search/export.jsonl",
    "/search/export.pdf",
)
SLOW_S = 2.0
ADVERSARIAL_QUERIES = (
    "*", "**", "***", "*?*", "?", "ab**", "a*", "ال*", "و*", "(*)", "NOT *", '"*"', "\"\"", '"',
    "(", ")", "((((", "))", "AND", "OR", "NOT", "AND OR NOT", "NOT NOT", "a AND", "OR b",
    "\x00", "\x01", "\x1b", "\x7f", "\ufffe", "\ud7ff", "\u202e", "\u2066x", "%00", "&#0;",
    "<script>alert(1)</script>", "=HYPERLINK(\"http://evil.example\")", "' OR 1=1 --",
    "ـــــ", "ًٌٍَُِ", "١٢٣", "x" * 501, "ب" * 499 + "*", " " * 1000, "\n\t\r",
    "text:foo", "title:*", "[a TO z]", "a~2", "a^3", "{a}", "/regex/", "\\", "''",
)  # fmt: skip
OPERATORS = ("AND", "OR", "NOT", "(", ")", '"', "*", "?", "AND NOT", "OR NOT")
BAD_VALUES = ("", "x", "0", "-1", "99999999999999999999", "2024-13-45", "٢٠٢٤-٠١-٠١", "\x00", "*")


@dataclass
class FuzzReport:
    """What came back: status counts, the 500s and the slow answers (with their URLs)."""

    cases: int = 0
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    slow: list[tuple[float, str]] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")

    def lines(self) -> list[str]:
        by_status = " ".join(f"{code}:{n}" for code, n in sorted(self.statuses.items()))
        lines = [
            f"cases {self.cases}",
            f"statuses {by_status}",
            f"server_errors {len(self.errors)}",
            f"over_{SLOW_S:g}s {len(self.slow)}",
            f"slowest_s {self.slowest[0]:.3f} {self.slowest[1]}",
        ]
        lines += [f"500 {url}" for url in self.errors[:20]]
        lines += [f"slow {seconds:.2f}s {url}" for seconds, url in self.slow[:20]]
        return lines


def _vocabulary() -> list[str]:
    """Words the corpus really holds (from titles), so fuzzed queries also find things."""
    words = {
        word
        for title in Article.objects.values_list("title", flat=True)[:2000]
        for word in title.split()
        if len(word) > 1
    }
    return sorted(words) or ["الصين", "روسيا"]


def _query(rng: random.Random, words: list[str]) -> str:
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(ADVERSARIAL_QUERIES)
    if roll < 0.35:  # random characters from every corner of Unicode (no lone surrogates:
        # they cannot be sent in a URL at all)
        ranges = ((0, 0x80), (0x600, 0x700), (0x2000, 0x2070), (0xE000, 0x10FFFF))
        return "".join(chr(rng.randrange(*rng.choice(ranges))) for _ in range(rng.randrange(1, 30)))
    parts = []
    for _ in range(rng.randrange(1, 7)):
        if rng.random() < 0.15:
            parts.append(rng.choice(OPERATORS))
        else:
            word = rng.choice(words)
            if rng.random() < 0.2:
                word = word[: rng.randrange(1, len(word) + 1)] + "*"
            if rng.random() < 0.1:
                word = f'"{word} {rng.choice(words)}"'
            parts.append(word)
    return " ".join(parts)


def param_sets(*, count: int, seed: int) -> Iterator[tuple[str, dict[str, list[str]]]]:
    """``count`` (endpoint, parameters) pairs, reproducible from ``seed``."""
    rng = random.Random(seed)
    words = _vocabulary()
    actors = list(Entity.objects.values_list("slug", flat=True)) or ["nobody"]
    sources = list(Source.objects.values_list("slug", flat=True)) or ["nowhere"]
    for _ in range(count):
        params: dict[str, list[str]] = {}
        if rng.random() < 0.85:
            params["q"] = [_query(rng, words)]
        if rng.random() < 0.3:
            params["actor"] = rng.sample(actors, k=min(len(actors), rng.randrange(1, 4)))
        choices = {
            "source": sources,
            "from": ["2023-01-01", "2024-06-01"],
            "to": ["2024-12-31", "2025-12-31"],
            "sort": ["relevance", "date"],
            "page": ["1", "2", "3", "50"],
        }
        for name, good in choices.items():
            if rng.random() < 0.2:  # a good value three times in four, else a bad one
                params[name] = [rng.choice(good if rng.random() < 0.75 else BAD_VALUES)]
        yield rng.choice(ENDPOINTS), params


def _read(response):
    """The response, its streamed body read to the end (an export is timed whole)."""
    if response.streaming:
        for _chunk in response.streaming_content:
            pass
    return response


def run_fuzz(*, count: int, seed: int, on_case: Callable[[], None] | None = None) -> FuzzReport:
    """Send the parameter sets and collect what came back (a raised exception counts as a 500)."""
    host = next((h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".")), "testserver")
    client = Client(raise_request_exception=False, HTTP_HOST=host)
    report = FuzzReport()
    for path in ENDPOINTS:  # untimed: a worker's first request loads the analyzer and the index
        _read(client.get(path, {"q": _vocabulary()[0]}, secure=True))
    for path, params in param_sets(count=count, seed=seed):
        start = time.perf_counter()
        response = _read(client.get(path, params, secure=True))
        seconds = time.perf_counter() - start
        url = f"{path}?{response.request['QUERY_STRING']}"
        report.cases += 1
        report.statuses[response.status_code] += 1
        if response.status_code >= 500:
            report.errors.append(url)
        if seconds > SLOW_S:
            report.slow.append((seconds, url))
        report.slowest = max(report.slowest, (seconds, url))
        if on_case:
            on_case()
    return report
