"""ArticleDraft: what one imported article becomes before anything is saved.

Precedence for each of title / source / date: a record's own field ("record"), then what the text
states ("text"), then the curated sidecar ("curated"). `metadata_origin` records which one gave
each field that has a value, and `metadata_lines` the line of the text that gave it (for the
upload preview); `warnings` says what was looked for and not found.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

from articles.arabic.dates import parse_arabic_date
from articles.ingest.cleaning import drop_captions, join_paragraphs, remove_boilerplate, split_lines
from articles.ingest.errors import IngestError, IngestFailure
from articles.ingest.metadata import (
    curated_facts,
    find_date_line,
    find_source,
    split_bare_date_line,
    split_headline,
)
from articles.ingest.sanitize import (
    MAX_SOURCE_CHARS,
    MAX_TITLE_CHARS,
    clean_line,
    safe_url,
    strip_controls,
)

DATE_NOT_FOUND = "date not found"


@dataclass
class ArticleDraft:
    title: str
    body: str
    source_name: str
    published_on: datetime.date | None
    url: str
    original: str = field(repr=False)
    original_name: str
    original_bytes: bytes = field(repr=False)
    encoding: str
    warnings: list[str] = field(default_factory=list)
    metadata_origin: dict[str, str] = field(default_factory=dict)
    # field ("title", "date", "source") -> the line of the text it was read from
    metadata_lines: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordFields:
    """Metadata that came with the text instead of inside it (JSON/CSV fields, HTML metadata)."""

    title: str = ""
    source: str = ""
    date: str = ""
    url: str = ""
    origin: str = "record"


def draft_from_text(
    text: str,
    *,
    name: str,
    original_bytes: bytes = b"",
    encoding: str = "utf-8",
    curated: dict[str, Any] | None = None,
) -> ArticleDraft:
    """Clean one plain-text page and read its metadata; `curated` is this file's sidecar entry."""
    return draft_from_record(
        text,
        fields=RecordFields(),
        name=name,
        original=text,
        original_bytes=original_bytes,
        encoding=encoding,
        curated=curated,
    )


def draft_from_record(
    text: str,
    *,
    fields: RecordFields,
    name: str,
    original: str,
    original_bytes: bytes,
    encoding: str,
    curated: dict[str, Any] | None = None,
) -> ArticleDraft:
    """Build a draft from body text plus the fields that came with it. Raises IngestFailure.

    Every reader ends here, so this is where uploaded text loses its control characters and its
    link anything but http(s).
    """
    lines = split_lines(strip_controls(text))
    fields = dataclasses.replace(
        fields, title=clean_line(fields.title), source=clean_line(fields.source)
    )
    if not any(lines):
        raise IngestFailure(IngestError(name, "The text is empty."))
    facts = curated_facts(curated)
    warnings = list(facts.warnings)
    origin: dict[str, str] = {}
    from_lines: dict[str, str] = {}
    url, url_note = safe_url(fields.url)
    if url_note:
        warnings.append(url_note)

    kept = remove_boilerplate(lines)
    headline = None if fields.title else split_headline(kept)
    if fields.title:
        title, body_lines = fields.title, drop_captions(kept)
        origin["title"] = fields.origin
    elif headline:
        title, body_lines = headline
        origin["title"] = "text"
        from_lines["title"] = title
    elif facts.title:
        title, body_lines = facts.title, drop_captions(kept)
        origin["title"] = "curated"
    else:
        raise IngestFailure(
            IngestError(name, "No headline found: the text starts with a sentence.")
        )
    if body_lines and body_lines[0] == title:
        body_lines = body_lines[1:]
    bare_date, body_lines = split_bare_date_line(body_lines)
    body = join_paragraphs(body_lines)
    if not body:
        raise IngestFailure(IngestError(name, "No article text was found after the headline."))

    source = fields.source
    if source:
        origin["source"] = fields.origin
    elif found_source := find_source(lines):
        source = found_source.value
        origin["source"] = "text"
        from_lines["source"] = found_source.line
    elif source := facts.source:
        origin["source"] = "curated"

    published_on = None
    unparsed = False
    date_line = find_date_line(lines) or bare_date
    for raw_date, date_origin, line in (
        (fields.date, fields.origin, ""),
        (date_line.value if date_line else "", "text", date_line.line if date_line else ""),
    ):
        if not raw_date:
            continue
        published_on = parse_arabic_date(raw_date)
        if published_on:
            origin["date"] = date_origin
            if line:
                from_lines["date"] = line
            break
        warnings.append(f"date could not be parsed: {raw_date}")
        unparsed = True
    if published_on is None and facts.published_on:
        published_on = facts.published_on
        origin["date"] = "curated"
    if published_on is None and not unparsed:
        warnings.append(DATE_NOT_FOUND)

    title, source = clean_line(title), clean_line(source)
    for value, limit, what in (
        (title, MAX_TITLE_CHARS, "title"),
        (source, MAX_SOURCE_CHARS, "outlet"),
    ):
        if len(value) > limit:
            reason = f"The {what} has {len(value):,} characters; the limit is {limit:,}."
            raise IngestFailure(IngestError(name, reason))
    return ArticleDraft(
        title=title,
        body=body,
        source_name=source,
        published_on=published_on,
        url=url,
        original=original,
        original_name=name,
        original_bytes=original_bytes,
        encoding=encoding,
        warnings=warnings,
        metadata_origin=origin,
        metadata_lines=from_lines,
    )
