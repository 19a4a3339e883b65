"""One file's text -> drafts, by format: plain text, an HTML page, JSON (an object or a list of
objects), JSONL (an object per line), CSV (a header row). Record fields are title, body, date,
source, url; only body is required. Bad records are IngestErrors, never exceptions.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from articles.ingest.drafts import ArticleDraft, RecordFields, draft_from_record, draft_from_text
from articles.ingest.errors import IngestError, IngestFailure
from articles.ingest.sanitize import MAX_JSON_DEPTH, json_too_deep

if TYPE_CHECKING:
    from articles.ingest.readers import UploadLimits

Result = ArticleDraft | IngestError

RECORD_FIELDS = ("title", "body", "date", "source", "url")
REQUIRED_CSV_COLUMNS = ("body",)
# "<" followed by a tag name, "/" or "!" up to ">" or the end of the line; "a < b" is left alone.
_TAG_RE = re.compile(r"<[A-Za-z/!][^<>\n]*(?:>|$)", re.MULTILINE)
_JSON_SPACE_RE = re.compile(r"[ \t\n\r]*")
_HTML_TAG_RE = re.compile(
    r"<(?:html|head|body|article|div|p|br|span|a|h[1-6]|script|style|iframe|img|table)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RecordSource:
    """What each record read from one file is drafted with: the file's bytes (kept verbatim;
    empty when streamed), its encoding, its sidecar facts and the limits."""

    data: bytes
    encoding: str
    entry: dict[str, Any] | None
    limits: UploadLimits

    def draft(self, body: str, *, fields: RecordFields, name: str, original: str) -> ArticleDraft:
        """One record of this file drafted, with the file's bytes, encoding and sidecar facts."""
        return draft_from_record(
            body,
            fields=fields,
            name=name,
            original=original,
            original_bytes=self.data,
            encoding=self.encoding,
            curated=self.entry,
        )


def article_size_error(*, text: str, name: str, limits: UploadLimits) -> IngestError | None:
    """Refuse an article longer than the ceiling: pages, PDFs and snippets stay cheap."""
    if len(text) > limits.max_article_chars:
        return IngestError(
            name,
            f"The article has {len(text):,} characters of text; the limit is "
            f"{limits.max_article_chars:,} (MARSAD_MAX_ARTICLE_CHARS).",
        )
    return None


def nesting_error(text: str, *, name: str, what: str) -> IngestError | None:
    if json_too_deep(text):
        return IngestError(name, f"The {what} nests deeper than {MAX_JSON_DEPTH} levels.")
    return None


def read_text_file(*, text: str, name: str, source: RecordSource) -> list[Result]:
    if too_long := article_size_error(text=text, name=name, limits=source.limits):
        return [too_long]
    return [
        draft_from_text(
            text,
            name=name,
            original_bytes=source.data,
            encoding=source.encoding,
            curated=source.entry,
        )
    ]


def strip_markup(text: str) -> str:
    """Remove anything tag-shaped that survived extraction (e.g. escaped <script> shown as text)."""
    return _TAG_RE.sub("", text).strip()


def html_to_text(html: str, *, name: str) -> tuple[str, RecordFields]:
    """Main text and page metadata of an HTML page, as plain text only (markup never survives)."""
    import trafilatura  # slow to import; most uploads are not HTML

    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        # Only dates the page declares (meta tags, <time>), not any date found in the text.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = strip_markup(document.text or "") if document else ""
    if not text:
        raise IngestFailure(IngestError(name, "No article text was found in the HTML page."))
    return text, RecordFields(
        title=strip_markup(document.title or ""),
        source=strip_markup(document.sitename or ""),
        date=document.date or "",
        url=document.url or "",
        origin="text",
    )


def read_html_file(*, text: str, name: str, source: RecordSource) -> list[Result]:
    body, fields = html_to_text(text, name=name)
    if too_long := article_size_error(text=body, name=name, limits=source.limits):
        return [too_long]
    return [source.draft(body, fields=fields, name=name, original=text)]


def text_field(record: dict[str, Any], key: str, *, name: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    raise IngestFailure(IngestError(name, f"The field {key!r} is not text."))


def draft_from_fields(record: Any, *, name: str, original: str, source: RecordSource) -> Result:
    """One JSON/CSV record -> draft; its body is cleaned like a page (HTML is extracted first)."""
    try:
        if not isinstance(record, dict):
            raise IngestFailure(IngestError(name, "The record is not an object with named fields."))
        values = {key: text_field(record, key, name=name) for key in RECORD_FIELDS}
        body = values["body"]
        if not body:
            raise IngestFailure(IngestError(name, "The record has no body text."))
        if too_long := article_size_error(text=body, name=name, limits=source.limits):
            return too_long
        if _HTML_TAG_RE.search(body):
            body, _ = html_to_text(body, name=name)
        fields = RecordFields(
            title=strip_markup(values["title"]),
            source=values["source"],
            date=values["date"],
            url=values["url"],
        )
        return source.draft(body, fields=fields, name=name, original=original)
    except IngestFailure as failure:
        return failure.error


def json_list_elements(text: str) -> list[tuple[str, Any]]:
    """Elements of a top-level JSON list, each with its own source text (already validated)."""
    decoder = json.JSONDecoder()
    items: list[tuple[str, Any]] = []
    position = _JSON_SPACE_RE.match(text, text.index("[") + 1).end()
    while text[position] != "]":
        element, end = decoder.raw_decode(text, position)
        items.append((text[position:end], element))
        position = _JSON_SPACE_RE.match(text, end).end()
        if text[position] == ",":
            position = _JSON_SPACE_RE.match(text, position + 1).end()
    return items


def read_json_file(*, text: str, name: str, source: RecordSource) -> list[Result]:
    if too_deep := nesting_error(text, name=name, what="file"):
        return [too_deep]
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return [IngestError(name, f"The file is not valid JSON: {exc}.")]
    if not isinstance(value, list):
        named = [(name, text, value)]
    else:
        elements = json_list_elements(text)
        named = [(f"{name}#record {n}", *element) for n, element in enumerate(elements, start=1)]
    return [
        draft_from_fields(
            record,
            name=record_name,
            original=original,
            source=source,
        )
        for record_name, original, record in named
    ]


def read_jsonl_file(*, text: str, name: str, source: RecordSource) -> list[Result]:
    results: list[Result] = []
    # Only "\n" ends a line: str.splitlines() would also split on U+2028 inside JSON strings.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        results.append(draft_from_line(line, name=f"{name}#line {number}", source=source))
    return results


def draft_from_line(line: str, *, name: str, source: RecordSource) -> Result:
    """One JSONL line -> draft, or why it is not one."""
    if too_deep := nesting_error(line, name=name, what="line"):
        return too_deep
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return IngestError(name, f"The line is not valid JSON: {exc}.")
    return draft_from_fields(record, name=name, original=line, source=source)


def csv_header_error(header: list[str], *, name: str) -> IngestError | None:
    """Why a CSV file with this (lower-cased) header row cannot be read, if it cannot."""
    missing = [column for column in REQUIRED_CSV_COLUMNS if column not in header]
    if not missing:
        return None
    found = ", ".join(column for column in header if column) or "none"
    return IngestError(
        name,
        f"The CSV file lacks the required column(s) {', '.join(missing)} "
        f"(columns found: {found}; recognized: {', '.join(RECORD_FIELDS)}).",
    )


def read_csv_file(*, text: str, name: str, source: RecordSource) -> list[Result]:
    lines = text.splitlines(keepends=True)
    # A body up to the article ceiling must be readable, to be refused by name, not stop the file.
    csv.field_size_limit(max(csv.field_size_limit(), 2 * source.limits.max_article_chars))
    reader = csv.reader(lines)
    try:
        header = [column.strip().lower() for column in next(reader, [])]
    except csv.Error as exc:
        return [IngestError(name, f"The CSV header row cannot be read: {exc}.")]
    if bad_header := csv_header_error(header, name=name):
        return [bad_header]
    results: list[Result] = []
    number = 0
    while True:
        first_line = reader.line_num
        number += 1
        row_name = f"{name}#row {number}"
        try:
            row = next(reader, None)
        except csv.Error as exc:
            results.append(
                IngestError(row_name, f"The row cannot be read, so reading stopped: {exc}.")
            )
            return results
        if row is None:
            return results
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            reason = f"The row has {len(row)} fields; the header has {len(header)}."
            results.append(IngestError(row_name, reason))
            continue
        results.append(
            draft_from_fields(
                dict(zip(header, row, strict=True)),
                name=row_name,
                original="".join(lines[first_line : reader.line_num]),
                source=source,
            )
        )


FileReader = Callable[..., list[Result]]
FILE_READERS: dict[str, FileReader] = {
    ".txt": read_text_file,
    ".html": read_html_file,
    ".htm": read_html_file,
    ".json": read_json_file,
    ".jsonl": read_jsonl_file,
    ".csv": read_csv_file,
}
