"""Uploaded files -> drafts. Never raises for bad input: each bad file or record is an IngestError.

A file goes by its extension to its format's reader (articles.ingest.formats: .txt, .html/.htm,
.json, .jsonl, .csv) or, a .zip, entry by entry; folders are walked here. Any folder — on disk or
inside a zip — may hold a `marsad-metadata.json` sidecar of curated facts for the files beside it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from articles.ingest.archives import (
    ENTRY_READ_ERRORS,
    Curated,
    ZipBudget,
    ZipLimitExceeded,
    read_zip_entry,
    zip_entries,
)
from articles.ingest.decoding import decode_bytes
from articles.ingest.errors import IngestError, IngestFailure
from articles.ingest.formats import FILE_READERS, RecordSource, Result
from articles.ingest.metadata import CURATED_FILE_NAME, parse_curated_file

MB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    """Size limits for one upload; the zip limits stop zip bombs before they are inflated."""

    max_file_bytes: int = 20 * MB
    max_zip_total_bytes: int = 200 * MB
    max_zip_entries: int = 5000
    max_article_chars: int = 1_000_000  # of one article's text (settings.MARSAD_MAX_ARTICLE_CHARS)


DEFAULT_LIMITS = UploadLimits()


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
