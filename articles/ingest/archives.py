"""Zip archives, for the upload (read whole) and the import command (streamed) alike: which
entries are read, the sidecars that apply to them, and the zip-bomb guards."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from articles.ingest.errors import IngestError, IngestFailure
from articles.ingest.metadata import CURATED_FILE_NAME, parse_curated_file

if TYPE_CHECKING:
    from articles.ingest.readers import UploadLimits

ZIP_CHUNK_BYTES = 64 * 1024
# What inflating a damaged entry raises: that entry's error, not the archive's.
ENTRY_READ_ERRORS = (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError)
Curated = dict[str, dict[str, Any]]


class ZipLimitExceeded(Exception):
    """An archive inflated past its declared size or the limits; the whole archive is refused."""


class ZipBudget:
    """Counts inflated bytes across all entries of one archive."""

    def __init__(self, *, total_bytes: int) -> None:
        self.remaining = total_bytes

    def spend(self, size: int) -> None:
        self.remaining -= size
        if self.remaining < 0:
            raise ZipLimitExceeded("The archive inflates to more than the total size limit.")


def read_zip_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, budget: ZipBudget, max_bytes: int
) -> bytes:
    """Inflate one entry, counting bytes as they come instead of trusting the declared sizes."""
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as stream:
        while chunk := stream.read(ZIP_CHUNK_BYTES):
            size += len(chunk)
            budget.spend(len(chunk))
            if size > max_bytes:
                raise ZipLimitExceeded(f"An entry inflates to more than {max_bytes:,} bytes.")
            chunks.append(chunk)
    return b"".join(chunks)


def unsafe_entry_path(path: str) -> bool:
    """Absolute paths, drive letters and ".." components could escape an extraction folder."""
    parts = re.split(r"[\\/]", path)
    return path.startswith(("/", "\\")) or bool(re.match(r"^[A-Za-z]:", path)) or ".." in parts


def skipped_entry(info: zipfile.ZipInfo) -> bool:
    """Folders, macOS resource forks and hidden files carry no articles (unsafe paths are reported)."""
    if unsafe_entry_path(info.filename):
        return False
    parts = PurePosixPath(info.filename).parts
    return info.is_dir() or "__MACOSX" in parts or PurePosixPath(info.filename).name.startswith(".")


@dataclass(frozen=True)
class ZipEntry:
    """One entry to read: its name ("archive.zip/folder/a.jsonl") and its folder's sidecar."""

    name: str
    info: zipfile.ZipInfo
    curated: Curated | None


def zip_entries(
    archive: zipfile.ZipFile, *, name: str, limits: UploadLimits, budget: ZipBudget
) -> Iterator[ZipEntry | IngestError]:
    """The archive's entries to read, in order, and an error for each refused one (or for the
    whole archive when it has too many entries or would inflate past the limit). Sidecars are
    read first (within `budget`); a malformed one is an error. Raises ZipLimitExceeded."""
    entries = [info for info in archive.infolist() if not skipped_entry(info)]
    if len(entries) > limits.max_zip_entries:
        reason = f"The archive has {len(entries):,} files; the limit is {limits.max_zip_entries:,}."
        yield IngestError(name, reason)
        return
    declared = sum(info.file_size for info in entries)
    if declared > limits.max_zip_total_bytes:
        yield IngestError(
            name,
            f"The archive would inflate to {declared:,} bytes; the limit is "
            f"{limits.max_zip_total_bytes:,} bytes (possible zip bomb).",
        )
        return
    sidecars: dict[str, Curated] = {}
    for info in entries:
        if PurePosixPath(info.filename).name == CURATED_FILE_NAME and not unsafe_entry_path(
            info.filename
        ):
            entry_name = f"{name}/{info.filename}"
            try:
                data = read_zip_entry(archive, info, budget=budget, max_bytes=limits.max_file_bytes)
                sidecars[str(PurePosixPath(info.filename).parent)] = parse_curated_file(
                    data, name=entry_name
                )
            except ENTRY_READ_ERRORS as exc:
                yield IngestError(entry_name, f"The entry cannot be extracted: {exc}.")
            except IngestFailure as failure:
                yield failure.error
    for info in entries:
        entry_name = f"{name}/{info.filename}"
        if unsafe_entry_path(info.filename):
            reason = "The entry was refused: its path is absolute or climbs out of the archive."
            yield IngestError(entry_name, reason)
        elif PurePosixPath(info.filename).name == CURATED_FILE_NAME:
            continue
        elif PurePosixPath(info.filename).suffix.lower() == ".zip":
            yield IngestError(entry_name, "Archives inside archives are not read.")
        else:
            curated = sidecars.get(str(PurePosixPath(info.filename).parent))
            yield ZipEntry(name=entry_name, info=info, curated=curated)
