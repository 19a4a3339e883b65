"""Reads: batch search — one search per line of a pasted or uploaded list, summed up.

A line that is an actor's alias (``بوتين``, ``Xi Jinping``, ``ترمب``: ``actor_queries.actor_named``)
searches that actor (``?actor=<slug>``, every article that mentions it); any other line is a
query in the search box's syntax. Each row has the article count, the first and last
publication day, the top outlets and the link to that search; a line the search refuses is a
row with its message. Lists are bounded: at most MAX_LINES lines and MAX_CHARS characters.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Max, Min
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles import search
from articles.actor_queries import actor_named
from articles.models import Article
from articles.search import SearchInputError, SearchParams, parse_params

MAX_LINES = 500
MAX_CHARS = 100_000  # pasted text or uploaded file, after decoding
TOP_OUTLETS = 3
CSV_FIELDS = ("line", "count", "first_date", "last_date", "search_url")


@dataclass
class BatchRow:
    line: str
    actor: str = ""  # the slug when the line named an actor
    count: int | None = None
    first_date: object = None
    last_date: object = None
    outlets: list[tuple[str, int]] = field(default_factory=list)
    search_url: str = ""
    error: str = ""


@dataclass
class Batch:
    rows: list[BatchRow]
    messages: list[str] = field(default_factory=list)  # about the list as a whole

    @property
    def lines(self) -> list[str]:
        return [row.line for row in self.rows]


def list_lines(*, text: str) -> tuple[list[str], list[str]]:
    """The non-blank lines of ``text`` (at most MAX_LINES) and messages about what was cut."""
    messages = []
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        messages.append(
            _("The list is longer than %(limit)s characters: only its start was searched.")
            % {"limit": f"{MAX_CHARS:,}"}
        )
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > MAX_LINES:
        messages.append(
            _("The list has %(count)s lines: only the first %(limit)s were searched.")
            % {"count": len(lines), "limit": MAX_LINES}
        )
        lines = lines[:MAX_LINES]
    return lines, messages


def file_lines(*, data: bytes, name: str, column: str) -> tuple[list[str], list[str]]:
    """Lines of an uploaded file: a text file a line each, or one column of a CSV file
    (``column``: a header name, or a number from 1; by default the first column)."""
    if len(data) > MAX_CHARS * 4:
        return [], [
            _("The file is too large (at most %(limit)s characters).") % {"limit": MAX_CHARS}
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_("The file is not UTF-8 text.")]
    if not name.lower().endswith(".csv"):
        return list_lines(text=text)
    rows = list(csv.reader(io.StringIO(text[:MAX_CHARS])))
    column = column.strip()
    if column.isdigit() and int(column) >= 1:
        index = int(column) - 1
    elif column:
        header = [cell.strip() for cell in rows[0]] if rows else []
        if column not in header:
            return [], [_("The CSV file has no column “%(column)s”.") % {"column": column}]
        index, rows = header.index(column), rows[1:]
    else:
        index = 0
    cells = [row[index] for row in rows if len(row) > index]
    return list_lines(text="\n".join(cells))


def _params(line: str) -> tuple[SearchParams, str]:
    slug = actor_named(line)
    if slug:
        return parse_params(QueryDict(urlencode({"actor": slug}))), slug
    return parse_params(QueryDict(urlencode({"q": line}))), ""


def search_line(line: str) -> BatchRow:
    row = BatchRow(line=line)
    try:
        params, row.actor = _params(line)
        row.count, ids = search.result_ids(params=params)
    except SearchInputError as exc:
        row.error = exc.text()
        return row
    row.search_url = reverse("articles:search") + params.url()
    if ids:
        articles = Article.objects.filter(pk__in=ids)
        span = articles.aggregate(first=Min("published_on"), last=Max("published_on"))
        row.first_date, row.last_date = span["first"], span["last"]
        row.outlets = list(
            articles.exclude(source=None)
            .values_list("source__name")
            .annotate(n=Count("id"))
            .order_by("-n", "source__name")[:TOP_OUTLETS]
        )
    return row


def run_batch(*, lines: list[str], messages: list[str] = ()) -> Batch:
    return Batch(rows=[search_line(line) for line in lines], messages=list(messages))


def csv_row(row: BatchRow, *, build_url) -> list[object]:
    return [
        row.line,
        "" if row.count is None else row.count,
        row.first_date.isoformat() if row.first_date else "",
        row.last_date.isoformat() if row.last_date else "",
        build_url(row.search_url) if row.search_url else "",
    ]
