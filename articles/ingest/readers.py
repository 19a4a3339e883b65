"""Uploaded files -> drafts. Never raises for bad input: each bad file or record is an IngestError.

Formats by extension: .txt, .html/.htm, .json (an object or a list of objects), .jsonl (one object
per line), .csv (header row), .zip (entries of those types). Record fields are title, body, date,
source, url; only body is required. Any folder — on disk or inside a zip — may hold a
`marsad-metadata.json` sidecar of curated facts for the files beside it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from articles.ingest.archives import (
    ENTRY_READ_ERRORS,
    Curated,
    ZipBudget,
    ZipLimitExceeded,
    read_zip_entry,
    zip_entries,
)
from articles.ingest.decoding import decode_bytes
from articles.ingest.drafts import ArticleDraft, RecordFields, draft_from_record, draft_from_text
from articles.ingest.errors import IngestError, IngestFailure
from articles.ingest.metadata import CURATED_FILE_NAME, parse_curated_file
from articles.ingest.sanitize import MAX_JSON_DEPTH, json_too_deep

Result = ArticleDraft | IngestError

MB = 1024 * 1024
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
class UploadLimits:
    """Size limits for one upload; the zip limits stop zip bombs before they are inflated."""

    max_file_bytes: int = 20 * MB
    max_zip_total_bytes: int = 200 * MB
    max_zip_entries: int = 5000
    max_article_chars: int = 1_000_000  # of one article's text (settings.MARSAD_MAX_ARTICLE_CHARS)


DEFAULT_LIMITS = UploadLimits()


@dataclass(frozen=True)
class RecordSource:
    """What each record read from one file is drafted with: the file's bytes (kept verbatim;
    empty when streamed), its encoding, its sidecar facts and the limits."""

    data: bytes
    encoding: str
    entry: dict[str, Any] | None
    limits: UploadLimits


def extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def base_name(name: str) -> str:
    return PurePosixPath(name).name


def size_error(*, name: str, size: int, limits: UploadLimits) -> IngestError | None:
    """Refuse a file over its limit before reading or decoding it."""
    limit = limits.max_zip_total_bytes if extension(name) == ".zip" else limits.max_file_bytes
    if size > limit:
        return IngestError(name, f"The file is {size:,} bytes; the limit is {limit:,} bytes.")
    return None


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


def read_upload(
    *,
    name: str,
    data: bytes,
    limits: UploadLimits = DEFAULT_LIMITS,
    curated: Curated | None = None,
) -> list[Result]:
    """Read one uploaded file; `curated` is the sidecar mapping of the folder it came from."""
    if too_big := size_error(name=name, size=len(data), limits=limits):
        return [too_big]
    if base_name(name) == CURATED_FILE_NAME:
        return [sidecar_error(name=name, data=data)]
    if extension(name) == ".zip":
        return read_zip(name=name, data=data, limits=limits)
    reader = FILE_READERS.get(extension(name))
    if reader is None:
        known = ", ".join(sorted({*FILE_READERS, ".zip"}))
        return [IngestError(name, f"Files of this type cannot be imported (accepted: {known}).")]
    entry = (curated or {}).get(base_name(name))
    try:
        text, encoding = decode_bytes(data, name=name)
        source = RecordSource(data=data, encoding=encoding, entry=entry, limits=limits)
        return reader(text=text, name=name, source=source)
    except IngestFailure as failure:
        return [failure.error]


def sidecar_error(*, name: str, data: bytes) -> IngestError:
    """A sidecar read on its own imports nothing: say why (malformed, or nothing beside it)."""
    try:
        parse_curated_file(data, name=name)
    except IngestFailure as failure:
        return failure.error
    return IngestError(
        name,
        "A metadata file applies to the files beside it in a folder or zip; alone it imports nothing.",
    )


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
    return [
        draft_from_record(
            body,
            fields=fields,
            name=name,
            original=text,
            original_bytes=source.data,
            encoding=source.encoding,
            curated=source.entry,
        )
    ]


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
        return draft_from_record(
            body,
            fields=fields,
            name=name,
            original=original,
            original_bytes=source.data,
            encoding=source.encoding,
            curated=source.entry,
        )
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


def read_zip(*, name: str, data: bytes, limits: UploadLimits) -> list[Result]:
    """Read the supported entries of an archive; sidecars inside it apply to their folders."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as exc:
        return [IngestError(name, f"The file is not a readable ZIP archive: {exc}.")]
    results: list[Result] = []
    budget = ZipBudget(total_bytes=limits.max_zip_total_bytes)
    with archive:
        try:
            for entry in zip_entries(archive, name=name, limits=limits, budget=budget):
                if isinstance(entry, IngestError):
                    results.append(entry)
                elif too_big := size_error(
                    name=entry.name, size=entry.info.file_size, limits=limits
                ):
                    results.append(too_big)
                else:
                    try:
                        payload = read_zip_entry(
                            archive, entry.info, budget=budget, max_bytes=limits.max_file_bytes
                        )
                    except ENTRY_READ_ERRORS as exc:
                        reason = f"The entry cannot be extracted: {exc}."
                        results.append(IngestError(entry.name, reason))
                        continue
                    results += read_upload(
                        name=entry.name, data=payload, limits=limits, curated=entry.curated
                    )
        except ZipLimitExceeded as exc:
            return [IngestError(name, f"{exc} The archive was refused (possible zip bomb).")]
    return results


@dataclass(frozen=True)
class SourceFile:
    """One file found on disk, with the sidecar mapping of the folder it sits in."""

    name: str
    data: bytes
    curated: Curated | None = None


def iter_source_files(path: Path) -> Iterator[SourceFile]:
    """The files under `path` as SourceFiles, for callers that keep the bytes of each file.

    A disk error while reading raises OSError (an environment problem, not bad input).
    """
    for file_path, name, curated in walk_path(path):
        yield SourceFile(name=name, data=file_path.read_bytes(), curated=curated)


def read_path(path: Path, *, limits: UploadLimits = DEFAULT_LIMITS) -> list[Result]:
    """Read a file or every file under a folder; files over the limit are refused unread."""
    results: list[Result] = []
    for file_path, name, curated in walk_path(path):
        if too_big := size_error(name=name, size=file_path.stat().st_size, limits=limits):
            results.append(too_big)
            continue
        try:
            data = file_path.read_bytes()
        except OSError as exc:
            results.append(IngestError(name, f"The file cannot be read: {exc.strerror}."))
            continue
        results += read_upload(name=name, data=data, limits=limits, curated=curated)
    return results


def walk_path(path: Path) -> Iterator[tuple[Path, str, Curated | None]]:
    """(file, name, sidecar mapping of its folder) for a file or a folder walked in sorted order.

    Names are relative to the folder walked ("sub/file.txt"); a single file is named by itself.
    Hidden files are skipped. A valid sidecar is used, not yielded; a malformed one is yielded so
    that `read_upload` reports it.
    """
    if not path.is_dir():
        yield path, path.name, folder_sidecar(path.parent)
        return
    seen: set[Path] = set()
    folders = [path]
    while folders:
        folder = folders.pop()
        if folder.resolve() in seen:  # a link back up the tree
            continue
        seen.add(folder.resolve())
        curated = folder_sidecar(folder)
        subfolders = []
        for child in sorted(folder.iterdir()):
            if child.name.startswith("."):
                continue
            if child.is_dir():
                subfolders.append(child)
            elif child.is_file() and (child.name != CURATED_FILE_NAME or curated is None):
                yield child, child.relative_to(path).as_posix(), curated
        folders.extend(reversed(subfolders))


def folder_sidecar(folder: Path) -> Curated | None:
    """The folder's sidecar mapping; None when there is none or it is malformed."""
    sidecar = folder / CURATED_FILE_NAME
    if not sidecar.is_file():
        return None
    try:
        return parse_curated_file(sidecar.read_bytes(), name=sidecar.name)
    except IngestFailure:
        return None
