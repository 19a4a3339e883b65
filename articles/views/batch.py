"""Thin views: batch search of a pasted or uploaded list, and its CSV."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from articles import batch
from articles.safety import spreadsheet_cell
from articles.views.exports import _Line

EXPORT_LINK_CHARS = 2000  # longer lists download by POST: a long URL is refused by servers


def _lines(request: HttpRequest, data) -> tuple[list[str], list[str]]:
    upload = request.FILES.get("file")
    if upload is not None:
        return batch.file_lines(
            data=upload.read(batch.MAX_CHARS * 4 + 1),
            name=upload.name,
            column=data.get("column", ""),
        )
    return batch.list_lines(text=data.get("lines", ""))


# Batch search only reads: a POST changes nothing, so scripts may post a list without a CSRF token.
@csrf_exempt
def batch_search(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST (``lines`` or ``file`` + ``column``): the table."""
    context = {"limits": {"lines": batch.MAX_LINES, "chars": batch.MAX_CHARS}, "result": None}
    if request.method == "POST":
        lines, messages = _lines(request, request.POST)
        result = batch.run_batch(lines=lines, messages=messages)
        text = "\n".join(result.lines)
        query = urlencode({"lines": text})
        context |= {
            "result": result,
            "lines_text": text,
            "export_url": reverse("articles:batch_export_csv") + "?" + query
            if len(query) <= EXPORT_LINK_CHARS
            else "",
        }
    return render(request, "articles/batch.html", context)


@csrf_exempt
def batch_export_csv(request: HttpRequest) -> HttpResponse:
    """``?lines=`` (or a POST of ``lines``): one row per line, every cell formula-safe."""
    lines, _messages = _lines(request, request.POST if request.method == "POST" else request.GET)
    writer = csv.writer(_Line())
    out = ["\ufeff" + writer.writerow(batch.CSV_FIELDS)]
    for line in lines:
        row = batch.csv_row(batch.search_line(line), build_url=request.build_absolute_uri)
        out.append(writer.writerow([spreadsheet_cell(cell) for cell in row]))
    response = HttpResponse("".join(out), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="marsad-batch.csv"'
    return response
