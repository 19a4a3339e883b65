"""Thin views: a search's whole result set as CSV, JSON Lines or a PDF dossier; an article as PDF.

The exports take the search page's own parameters (every filter, all pages, in the page's order).
CSV and JSON Lines are streamed: ids come from the index at once, database rows a chunk at a
time, so a 30,000-row export never sits in memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse

from articles import search, selectors
from articles.models import Article, Entity, Source
from articles.pdf import ArticleContent, article_pdf, dossier_pdf
from articles.safety import spreadsheet_cell
from articles.search import SearchInputError, SearchParams, hits_for_query, parse_params
from articles.templatetags.marsad import format_day

FIELDS = ("id", "title", "outlet", "date", "url", "actors", "page_url")
ACTOR_SEPARATOR = "; "
DOSSIER_CHUNK = 50  # articles read from the database at a time while a dossier is written


def _bad_request(error: SearchInputError) -> HttpResponse:
    return HttpResponse(error.bilingual(), status=400, content_type="text/plain; charset=utf-8")


def _records(request: HttpRequest, ids: list[int]) -> Iterator[dict]:
    """Export records in result order, fetched from the database EXPORT_CHUNK rows at a time."""
    for start in range(0, len(ids), selectors.EXPORT_CHUNK):
        for row in selectors.export_rows(ids=ids[start : start + selectors.EXPORT_CHUNK]):
            article = row["article"]
            yield {
                "id": article.pk,
                "title": article.title,
                "outlet": article.source.name if article.source else None,
                "date": article.published_on.isoformat() if article.published_on else None,
                "url": article.url or None,
                "actors": row["actors"],
                "page_url": request.build_absolute_uri(article.get_absolute_url()),
            }


class _Line:
    """A file-like object whose write() returns the line, for csv.writer inside a generator."""

    def write(self, value: str) -> str:
        return value


def _stream(request: HttpRequest, *, lines, content_type: str, extension: str) -> HttpResponse:
    try:
        total, ids = search.result_ids(params=parse_params(request.GET))
    except SearchInputError as exc:
        return _bad_request(exc)
    response = StreamingHttpResponse(lines(_records(request, ids)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="marsad-search.{extension}"'
    response["X-Result-Count"] = str(total)
    return response


def export_csv(request: HttpRequest) -> HttpResponse:
    """UTF-8 with a byte order mark, so Excel reads the Arabic; actors as slugs joined by "; ".

    Every cell is neutralized (``articles.safety.spreadsheet_cell``): uploaded titles are data,
    never formulas. JSON Lines keeps values verbatim: it is read by programs, not spreadsheets.
    """

    def lines(records: Iterator[dict]) -> Iterator[str]:
        writer = csv.writer(_Line())
        yield "\ufeff" + writer.writerow(FIELDS)
        for record in records:
            record["actors"] = ACTOR_SEPARATOR.join(record["actors"])
            yield writer.writerow(
                ["" if record[f] is None else spreadsheet_cell(record[f]) for f in FIELDS]
            )

    return _stream(request, lines=lines, content_type="text/csv; charset=utf-8", extension="csv")


def export_jsonl(request: HttpRequest) -> HttpResponse:
    """One JSON object per line; actors as a list of slugs, missing values as null."""

    def lines(records: Iterator[dict]) -> Iterator[str]:
        for record in records:
            yield json.dumps(record, ensure_ascii=False) + "\n"

    return _stream(
        request, lines=lines, content_type="application/x-ndjson; charset=utf-8", extension="jsonl"
    )


def _content(request: HttpRequest, article: Article, *, q: str) -> ArticleContent:
    return ArticleContent(
        article=article,
        entities=selectors.mention_spans(article=article),
        hits=hits_for_query(article.body, q=q) if q else [],
        page_url=request.build_absolute_uri(article.get_absolute_url()),
        legend=selectors.mention_legend(article=article),
    )


def _pdf_response(data: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def article_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The article with its actors coloured (and, with ?q=, the query's words)."""
    try:
        article = selectors.article_with_mentions(pk=pk)
    except Article.DoesNotExist as exc:
        raise Http404("Article not found") from exc
    content = _content(request, article, q=request.GET.get("q", ""))
    return _pdf_response(article_pdf(content), filename=f"marsad-article-{pk}.pdf")


def _filter_lines(params: SearchParams) -> list[tuple[str, str]]:
    """The search's state in words, for the dossier's title page."""
    lines = [("البحث", params.q)] if params.q else []
    if params.actors:
        names = dict(Entity.objects.filter(slug__in=params.actors).values_list("slug", "name_ar"))
        label = "الفاعلون (أيٌّ منهم)" if params.actor_mode == "any" else "الفاعلون"
        lines.append((label, "، ".join(names.get(s, s) for s in params.actors)))
    if params.sources:
        names = dict(Source.objects.filter(slug__in=params.sources).values_list("slug", "name"))
        lines.append(("المصدر", "، ".join(names.get(s, s) for s in params.sources)))
    if params.date_from:
        lines.append(("من", format_day(params.date_from, language="ar")))
    if params.date_to:
        lines.append(("إلى", format_day(params.date_to, language="ar")))
    order = "الصلة" if params.effective_sort == "relevance" else "التاريخ (الأحدث أولًا)"
    lines.append(("الترتيب", order))
    return lines


def _dossier_contents(request: HttpRequest, *, ids: list[int], q: str) -> Iterator[ArticleContent]:
    """The dossier's articles in result order, DOSSIER_CHUNK at a time from the database."""
    for start in range(0, len(ids), DOSSIER_CHUNK):
        for article in selectors.articles_with_mentions(ids=ids[start : start + DOSSIER_CHUNK]):
            yield _content(request, article, q=q)


def export_pdf(request: HttpRequest) -> HttpResponse:
    """A dossier of the result set: a title page, then the first MARSAD_DOSSIER_MAX_ARTICLES."""
    cap = settings.MARSAD_DOSSIER_MAX_ARTICLES
    try:
        params = parse_params(request.GET)
        total, ids = search.result_ids(params=params, limit=cap)
    except SearchInputError as exc:
        return _bad_request(exc)
    data = dossier_pdf(
        title_lines=_filter_lines(params),
        total=total,
        cap=cap,
        search_url=request.build_absolute_uri(reverse("articles:search") + params.url()),
        articles=_dossier_contents(request, ids=ids, q=params.q),
    )
    return _pdf_response(data, filename="marsad-dossier.pdf")
