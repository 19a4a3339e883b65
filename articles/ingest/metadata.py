"""Title, outlet and publication date: read from explicit lines, never guessed from stray dates.

All finders take the page lines produced by `cleaning.split_lines`. The date and source lines are
looked for only before the footer (`cleaning.cut_at_footer`), so an appended second story cannot
lend its own attribution; outlet signatures (mastheads, fixed footers) are looked for everywhere.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from articles.arabic.dates import parse_arabic_date
from articles.ingest.cleaning import (
    SOURCE_LINE_RE,
    Lines,
    caption_indices,
    cut_at_footer,
    date_line_value,
    is_bare_date_line,
    is_headline_like,
    next_nonblank,
    word_count,
)
from articles.ingest.errors import IngestError, IngestFailure
from articles.ingest.sanitize import json_too_deep
from articles.ingest.signatures import OUTLET_SIGNATURES

CURATED_FILE_NAME = "marsad-metadata.json"
MAX_SOURCE_WORDS = 6
# "المصدر | فرانس برسالمصدر: الخليج الجديد": several attributions glued on one line.
_SOURCE_SEGMENT_RE = re.compile(r"المصدر\s*[:|]\s*(?P<name>.*?)\s*(?=المصدر\s*[:|]|$)")
_WHITESPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class FoundLine:
    """A value read from the text, and the line of the text that gave it."""

    value: str
    line: str


def find_date_line(lines: Sequence[str]) -> FoundLine | None:
    """The first labelled date line before the footer ("التاريخ: …", "نُشر في …"), its date as
    printed."""
    for line in cut_at_footer(list(lines)):
        value = date_line_value(line)
        if value is not None:
            return FoundLine(value=value, line=line)
    return None


def find_publication_date(lines: Sequence[str]) -> datetime.date | None:
    """The publication date from a labelled date line; other dates in the text do not count."""
    found = find_date_line(lines)
    return parse_arabic_date(found.value) if found else None


def split_bare_date_line(body_lines: Lines) -> tuple[FoundLine | None, Lines]:
    """A date printed alone on the first line under the headline, and the body without it."""
    first = next_nonblank(body_lines, 0)
    if first is None or not is_bare_date_line(body_lines[first]):
        return None, body_lines
    line = body_lines[first]
    return FoundLine(value=line, line=line), body_lines[:first] + body_lines[first + 1 :]


def source_from_line(line: str) -> str:
    """The outlet named on a source line; with several glued attributions the last one wins.

    Aggregator pages print the wire the outlet credited first and the outlet they took the story
    from last ("المصدر | فرانس برسالمصدر: الخليج الجديد" → الخليج الجديد).
    """
    if not SOURCE_LINE_RE.match(line):
        return ""
    names = [m.group("name").strip(" .،,") for m in _SOURCE_SEGMENT_RE.finditer(line)]
    names = [name for name in names if name and word_count(name) <= MAX_SOURCE_WORDS]
    return names[-1] if names else ""


def find_source_line(lines: Sequence[str]) -> FoundLine | None:
    """The outlet from the last "المصدر: …" line before the footer."""
    for line in reversed(cut_at_footer(list(lines))):
        if name := source_from_line(line):
            return FoundLine(value=name, line=line)
    return None


def find_signature(lines: Sequence[str]) -> FoundLine | None:
    """The outlet whose masthead/footer signature the page carries, with the line the signature
    starts on (a masthead may run over two lines)."""
    flat = _WHITESPACE_RE.sub(" ", "\n".join(lines))
    for signature in OUTLET_SIGNATURES:
        for marker in signature.markers:
            if marker in flat:
                line = next(
                    (ln for ln in lines if ln and (marker in ln or marker.startswith(ln))), marker
                )
                return FoundLine(value=signature.outlet, line=line)
    return None


def find_signature_outlet(text: str) -> str:
    """The outlet whose masthead/footer signature the page carries, or ""."""
    found = find_signature(text.split("\n"))
    return found.value if found else ""


def find_source(lines: Sequence[str]) -> FoundLine | None:
    """An explicit source line wins over a layout signature; None when the page names no outlet."""
    return find_source_line(lines) or find_signature(lines)


def find_source_name(lines: Sequence[str]) -> str:
    found = find_source(lines)
    return found.value if found else ""


def split_headline(lines: Lines) -> tuple[str, Lines] | None:
    """Split cleaned lines into (headline, body lines without captions); None if no headline.

    The header is the run of short, unpunctuated lines before the first sentence. A photo caption
    sits directly under the headline, so with a caption in the header the headline is the line
    just above it and the lines above that are kickers/labels; without one it is the first line.
    """
    captions = caption_indices(lines)
    header: list[int] = []
    for index, line in enumerate(lines):
        if not line:
            continue
        if index not in captions and not is_headline_like(line):
            break
        header.append(index)
    candidates = [index for index in header if index not in captions]
    if not candidates:
        return None
    first_caption = next((index for index in header if index in captions), None)
    above_caption = [i for i in candidates if first_caption is not None and i < first_caption]
    title_index = above_caption[-1] if above_caption else candidates[0]
    body = [line for i, line in enumerate(lines) if i > title_index and i not in captions]
    return lines[title_index], body


@dataclass(frozen=True)
class CuratedFacts:
    """Facts a curator wrote in a `marsad-metadata.json` sidecar for one file."""

    title: str = ""
    source: str = ""
    published_on: datetime.date | None = None
    warnings: tuple[str, ...] = ()


def curated_facts(entry: dict[str, Any] | None) -> CuratedFacts:
    """Read one sidecar entry; a malformed date becomes a warning, not a guess."""
    if not entry:
        return CuratedFacts()
    raw_date = str(entry.get("published_on") or "").strip()
    published_on = None
    warnings: tuple[str, ...] = ()
    if raw_date:
        try:
            published_on = datetime.date.fromisoformat(raw_date)
        except ValueError:
            warnings = (f"curated date could not be parsed: {raw_date}",)
    return CuratedFacts(
        title=str(entry.get("title") or "").strip(),
        source=str(entry.get("source") or "").strip(),
        published_on=published_on,
        warnings=warnings,
    )


def parse_curated_file(data: bytes, *, name: str) -> dict[str, dict[str, Any]]:
    """Parse a sidecar: a JSON object mapping file name -> {"source", "published_on", …}."""
    try:
        text = data.decode("utf-8-sig")
        if json_too_deep(text):
            raise IngestFailure(IngestError(name, "The metadata file nests too deeply."))
        mapping = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IngestFailure(
            IngestError(name, f"The metadata file is not valid JSON: {exc}.")
        ) from exc
    if not isinstance(mapping, dict) or not all(isinstance(v, dict) for v in mapping.values()):
        raise IngestFailure(
            IngestError(name, "The metadata file must map file names to objects of facts.")
        )
    return mapping
