"""Files of any size, read as a stream of units (a line, a row, a list element, a small file).

The import command hands units to worker processes, which turn each into drafts with
`read_unit`; no file is ever held in memory whole. Files up to STREAM_ABOVE_BYTES are read whole
by `read_upload` (the web upload's reader, with its encoding detection); larger .jsonl, .csv and
.json files, their .gz forms, and the entries of a .zip stream with bounded memory (UTF-8).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from articles.ingest.archives import (
    ENTRY_READ_ERRORS,
    Curated,
    ZipBudget,
    ZipLimitExceeded,
    read_zip_entry,
    zip_entries,
)
from articles.ingest.errors import IngestError
from articles.ingest.formats import (
    RecordSource,
    Result,
    csv_header_error,
    draft_from_fields,
    draft_from_line,
)
from articles.ingest.readers import UploadLimits, base_name, read_upload, size_error

STREAM_ABOVE_BYTES = 1024 * 1024
CHUNK_CHARS = 256 * 1024
STREAMED = (".jsonl", ".csv", ".json")


@dataclass(frozen=True)
class Unit:
    """One piece of a file that becomes zero or more drafts: kind says how `read_unit` reads it."""

    kind: str  # "file" (whole small file), "jsonl" (a line), "csv" (a row), "json" (an element)
    name: str  # "file.jsonl#line 7": what errors and drafts are named by
    payload: Any
    entry: dict[str, Any] | None = None  # the sidecar entry of the file it came from


@dataclass(frozen=True)
class CommandLimits:
    """The command's limits: per record, never per file (a file may be of any size)."""

    max_record_chars: int = 8 * 1024 * 1024  # one JSONL line, CSV row or JSON element
    upload: UploadLimits = UploadLimits(
        max_file_bytes=2**62, max_zip_total_bytes=2**62, max_zip_entries=2**31
    )


def streamed_kind(name: str) -> str | None:
    """ ".jsonl" for "a.jsonl" and "a.jsonl.gz"; None for the formats read whole."""
    path = PurePosixPath(name.lower())
    suffix = PurePosixPath(path.stem).suffix if path.suffix == ".gz" else path.suffix
    return suffix if suffix in STREAMED else None


def units_of_path(
    *, path: Path, name: str, curated: Curated | None, limits: CommandLimits
) -> Iterator[Unit]:
    """The units of one file on disk (a .gz is inflated as it is read)."""
    if name.lower().endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            yield from units_of_zip(archive=archive, name=name, limits=limits)
        return
    yield from units_of_file(
        name=name,
        size=path.stat().st_size,
        open_raw=lambda: path.open("rb"),
        read_whole=path.read_bytes,
        entry=(curated or {}).get(base_name(name.removesuffix(".gz"))),
        limits=limits,
    )


def units_of_file(
    *,
    name: str,
    size: int,
    open_raw: Callable[[], IO[bytes]],
    read_whole: Callable[[], bytes],
    entry: dict[str, Any] | None,
    limits: CommandLimits,
) -> Iterator[Unit]:
    """A file on disk or in an archive: streamed when it is a .jsonl/.csv/.json that is
    gzipped or over STREAM_ABOVE_BYTES, else read whole (within the file size limit)."""
    compressed = name.lower().endswith(".gz")
    kind = streamed_kind(name)
    if kind and (compressed or size > STREAM_ABOVE_BYTES):
        with open_raw() as raw, gzip.GzipFile(fileobj=raw) if compressed else raw as stream:
            yield from units_of_stream(raw=stream, kind=kind, name=name, entry=entry, limits=limits)
    elif too_big := size_error(name=name, size=size, limits=limits.upload):
        yield Unit(kind="error", name=name, payload=too_big.reason)
    else:
        yield Unit(kind="file", name=name, payload=read_whole(), entry=entry)


def units_of_zip(*, archive: zipfile.ZipFile, name: str, limits: CommandLimits) -> Iterator[Unit]:
    """The entries of an archive, each as a file; the zip-bomb guards (entries, inflated
    total) still apply, and a streamed entry spends its declared size."""
    budget = ZipBudget(total_bytes=limits.upload.max_zip_total_bytes)

    def opener(info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
        def open_raw() -> IO[bytes]:
            budget.spend(info.file_size)
            return archive.open(info)

        return open_raw

    try:
        for found in zip_entries(archive, name=name, limits=limits.upload, budget=budget):
            if isinstance(found, IngestError):
                yield Unit(kind="error", name=found.name, payload=found.reason)
                continue
            info = found.info
            try:
                yield from units_of_file(
                    name=found.name,
                    size=info.file_size,
                    open_raw=opener(info),
                    read_whole=lambda info=info: read_zip_entry(
                        archive, info, budget=budget, max_bytes=limits.upload.max_file_bytes
                    ),
                    entry=(found.curated or {}).get(base_name(info.filename.removesuffix(".gz"))),
                    limits=limits,
                )
            except ENTRY_READ_ERRORS as exc:
                reason = f"The entry cannot be extracted: {exc}."
                yield Unit(kind="error", name=found.name, payload=reason)
    except ZipLimitExceeded as exc:
        reason = f"{exc} The archive was refused (possible zip bomb)."
        yield Unit(kind="error", name=name, payload=reason)


def units_of_stream(
    *, raw: IO[bytes], kind: str, name: str, entry: dict | None, limits: CommandLimits
) -> Iterator[Unit]:
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
    if kind == ".jsonl":
        yield from jsonl_units(text=text, name=name, entry=entry, limits=limits)
    elif kind == ".csv":
        yield from csv_units(text=text, name=name, entry=entry, limits=limits)
    else:
        yield from json_units(text=text, name=name, entry=entry, limits=limits)


def jsonl_units(
    *, text: IO[str], name: str, entry: dict | None, limits: CommandLimits
) -> Iterator[Unit]:
    # Only "\n" ends a line (newline="" keeps "\r" and U+2028 inside the line). A line is read
    # at most its limit (and its end) at a time: an over-long one is counted, never held whole.
    most = limits.max_record_chars + 2
    number = 0
    while line := text.readline(most):
        number += 1
        line_name = f"{name}#line {number}"
        length = len(line)
        if length == most and not line.endswith("\n"):
            line = ""
            while (rest := text.readline(CHUNK_CHARS)) and not rest.endswith("\n"):
                length += len(rest)
            length += len(rest.removesuffix("\n").removesuffix("\r"))
        else:
            line = line.removesuffix("\n").removesuffix("\r")
            length = len(line)
        if length > limits.max_record_chars:
            reason = (
                f"The line has {length:,} characters; the limit is {limits.max_record_chars:,}."
            )
            yield Unit(kind="error", name=line_name, payload=reason)
        elif line.strip():
            yield Unit(kind="jsonl", name=line_name, payload=line, entry=entry)


class _LineTooLong(Exception):
    """A CSV line longer than the record limit (counted, not held): reading stops there."""


class _RecordingLines:
    """Iterates the lines of a text stream, keeping those read since the last `take()`; a line
    over `max_chars` is counted to its end and raised as _LineTooLong, never held whole."""

    def __init__(self, text: IO[str], *, max_chars: int) -> None:
        self.text = text
        self.max_chars = max_chars
        self.lines: list[str] = []

    def __iter__(self) -> Iterator[str]:
        while line := self.text.readline(self.max_chars + 1):
            if len(line) > self.max_chars and not line.endswith("\n"):
                length = len(line)
                while (rest := self.text.readline(CHUNK_CHARS)) and not rest.endswith("\n"):
                    length += len(rest)
                length += len(rest.removesuffix("\n").removesuffix("\r"))
                raise _LineTooLong(f"a line has {length:,} characters")
            self.lines.append(line)
            yield line

    def take(self) -> str:
        taken, self.lines = "".join(self.lines), []
        return taken


def csv_units(
    *, text: IO[str], name: str, entry: dict | None, limits: CommandLimits
) -> Iterator[Unit]:
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_record_chars))
    lines = _RecordingLines(text, max_chars=limits.max_record_chars)
    reader = csv.reader(lines)
    try:
        header = [column.strip().lower() for column in next(reader, [])]
    except (csv.Error, _LineTooLong) as exc:
        yield Unit(kind="error", name=name, payload=f"The CSV header row cannot be read: {exc}.")
        return
    lines.take()
    if bad_header := csv_header_error(header, name=name):
        yield Unit(kind="error", name=name, payload=bad_header.reason)
        return
    number = 0
    while True:
        number += 1
        row_name = f"{name}#row {number}"
        try:
            row = next(reader, None)
        except (csv.Error, _LineTooLong) as exc:
            reason = f"The row cannot be read, so reading stopped: {exc}."
            yield Unit(kind="error", name=row_name, payload=reason)
            return
        original = lines.take()
        if row is None:
            return
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            reason = f"The row has {len(row)} fields; the header has {len(header)}."
            yield Unit(kind="error", name=row_name, payload=reason)
            continue
        if "\x00" in original:  # as a file read whole is refused for them (decoding)
            reason = "The row contains NUL bytes: binary data, not text."
            yield Unit(kind="error", name=row_name, payload=reason)
            continue
        yield Unit(
            kind="csv",
            name=row_name,
            payload=(dict(zip(header, row, strict=True)), original),
            entry=entry,
        )


def json_units(
    *, text: IO[str], name: str, entry: dict | None, limits: CommandLimits
) -> Iterator[Unit]:
    """The elements of a top-level JSON list, decoded one at a time from a sliding buffer."""
    decoder = json.JSONDecoder()
    buffer, position, number, ended = "", 0, 0, False

    def fill() -> bool:
        nonlocal buffer, position
        chunk = text.read(CHUNK_CHARS)
        buffer, position = buffer[position:] + chunk, 0
        return bool(chunk)

    def skip_space() -> None:
        nonlocal position
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n":
                position += 1
            if position < len(buffer) or not fill():
                return

    skip_space()
    if position >= len(buffer) or buffer[position] != "[":
        yield Unit(
            kind="error", name=name, payload="A JSON file this large must hold a list of records."
        )
        return
    position += 1
    while True:
        skip_space()
        if position >= len(buffer):
            break
        if buffer[position] == "]":
            ended = True
            break
        number += 1
        record_name = f"{name}#record {number}"
        while True:
            try:
                element, end = decoder.raw_decode(buffer, position)
                break
            except RecursionError:
                reason = f"Record {number} nests too deep to read; reading stopped."
                yield Unit(kind="error", name=record_name, payload=reason)
                return
            except json.JSONDecodeError as exc:
                if len(buffer) - position > limits.max_record_chars or not fill():
                    reason = f"The file is not valid JSON from record {number} on: {exc}."
                    yield Unit(kind="error", name=record_name, payload=reason)
                    return
        source = buffer[position:end]
        position = end
        yield Unit(kind="json", name=record_name, payload=(element, source), entry=entry)
        skip_space()
        if position < len(buffer) and buffer[position] == ",":
            position += 1
    if not ended:
        yield Unit(
            kind="error", name=name, payload="The JSON list is not closed: the file is cut short."
        )


def read_unit(unit: Unit, *, limits: UploadLimits) -> list[Result]:
    """The drafts and errors of one unit (runs in the worker processes)."""
    if unit.kind == "begin":
        return []
    if unit.kind == "error":
        return [IngestError(unit.name, unit.payload)]
    if unit.kind == "file":
        curated = {base_name(unit.name): unit.entry} if unit.entry else None
        return read_upload(name=unit.name, data=unit.payload, limits=limits, curated=curated)
    source = RecordSource(data=b"", encoding="utf-8", entry=unit.entry, limits=limits)
    if unit.kind == "jsonl":
        return [draft_from_line(unit.payload, name=unit.name, source=source)]
    record, original = unit.payload  # a CSV row or a JSON list element, with its source text
    return [draft_from_fields(record, name=unit.name, original=original, source=source)]
