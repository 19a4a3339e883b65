"""The admin's upload → preview → confirm: staged bytes, drafts, corrections."""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
import secrets
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import File

from articles.ingest.drafts import DATE_NOT_FOUND, ArticleDraft
from articles.ingest.errors import IngestError
from articles.ingest.readers import (
    SourceFile,
    UploadLimits,
    read_upload,
    size_error,
)
from articles.ingest.sanitize import LINK_DROPPED
from articles.models import (
    Article,
    Entity,
    UploadBatch,
)
from articles.near_duplicates import NearDuplicate
from articles.selectors import entity_matcher
from articles.services.articles import content_hash
from articles.services.imports import (
    ImportReport,
    RefusedFile,
    ReviewedResult,
    Skipped,
    import_source_files,
    upload_limits,
)

PASTED_TEXT_NAME = "pasted text.txt"
PENDING_DIR_NAME = "pending-uploads"
PENDING_MAX_AGE_S = 24 * 3600
EXCERPT_LINES = 3
EXCERPT_CHARS = 400
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _pending_root() -> Path:
    return Path(settings.DATA_DIR) / PENDING_DIR_NAME


def _pending_dir(*, token: str) -> Path:
    if not _TOKEN_RE.match(token):
        raise PendingUploadMissing(token)
    return _pending_root() / token


class PendingUploadMissing(LookupError):
    """The upload to preview or confirm does not exist (confirmed already, expired, or not yours)."""


def _discard_stale_uploads() -> None:
    root = _pending_root()
    if not root.is_dir():
        return
    cutoff = time.time() - PENDING_MAX_AGE_S
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def stage_upload(
    *, files: Iterable[File], pasted_text: str = "", uploaded_by: AbstractBaseUser
) -> str:
    """Keep an upload's bytes on disk (not in the database) until the reviewer confirms it.

    Returns the token that names it. Files over the size limit are noted but not written.
    """
    _discard_stale_uploads()
    limits = upload_limits()
    token = secrets.token_urlsafe(18)
    folder = _pending_dir(token=token)
    folder.mkdir(parents=True)
    entries = []

    def keep(name: str, chunks: Iterable[bytes], size: int) -> None:
        entry = {"name": name, "size": size, "path": "", "refused": ""}
        if too_big := size_error(name=name, size=size, limits=limits):
            entry["refused"] = too_big.reason
        else:
            entry["path"] = f"{len(entries)}.bin"
            with (folder / entry["path"]).open("wb") as out:
                for chunk in chunks:
                    out.write(chunk)
        entries.append(entry)

    if pasted_text.strip():
        data = pasted_text.encode("utf-8")
        keep(PASTED_TEXT_NAME, [data], len(data))
    for upload in files:
        name = Path(upload.name or "file").name
        keep(name, upload.chunks(), upload.size or 0)
    manifest = {"user": uploaded_by.pk, "created": time.time(), "files": entries}
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False), encoding="utf-8"
    )
    return token


def _manifest(*, token: str, uploaded_by: AbstractBaseUser) -> tuple[Path, dict]:
    folder = _pending_dir(token=token)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PendingUploadMissing(token) from exc
    if manifest.get("user") != uploaded_by.pk:
        raise PendingUploadMissing(token)
    return folder, manifest


def pending_files(*, token: str, uploaded_by: AbstractBaseUser) -> list[SourceFile | RefusedFile]:
    """The staged files of an upload, in the order they were sent."""
    folder, manifest = _manifest(token=token, uploaded_by=uploaded_by)
    files: list[SourceFile | RefusedFile] = []
    for entry in manifest["files"]:
        if entry["refused"]:
            files.append(
                RefusedFile(name=entry["name"], size=entry["size"], reason=entry["refused"])
            )
        else:
            data = (folder / entry["path"]).read_bytes()
            files.append(SourceFile(name=entry["name"], data=data))
    return files


def discard_upload(*, token: str) -> None:
    shutil.rmtree(_pending_dir(token=token), ignore_errors=True)


@dataclass
class DraftPreview:
    """One article found in an upload, as the reviewer sees it before anything is saved."""

    key: str
    draft: ArticleDraft
    excerpt: str
    actors: list[str]
    duplicate_of: Article | None = None
    duplicate_reason: str = ""
    duplicate_in_upload: str = ""
    near_duplicates: list[NearDuplicate] = field(default_factory=list)

    @property
    def is_duplicate(self) -> bool:
        return bool(self.duplicate_of or self.duplicate_in_upload)

    @property
    def date_problems(self) -> list[str]:
        """Why the date is empty: unparsable text (shown, never guessed) or none found."""
        return [w for w in self.draft.warnings if w.startswith("date ")]

    @property
    def unparsed_dates(self) -> list[str]:
        """The date texts that could not be read, as written."""
        prefix = "date could not be parsed: "
        return [w.removeprefix(prefix) for w in self.draft.warnings if w.startswith(prefix)]

    @property
    def date_missing(self) -> bool:
        return DATE_NOT_FOUND in self.draft.warnings

    @property
    def dropped_links(self) -> list[str]:
        """Links refused at ingestion (not http/https), as the reviewer should hear about them."""
        return [w for w in self.draft.warnings if w.startswith(LINK_DROPPED)]


@dataclass
class FilePreview:
    name: str
    size: int
    drafts: list[DraftPreview] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


@dataclass
class UploadPreview:
    token: str
    files: list[FilePreview]

    @property
    def drafts(self) -> list[DraftPreview]:
        return [d for f in self.files for d in f.drafts]

    @property
    def importable(self) -> list[DraftPreview]:
        return [d for d in self.drafts if not d.is_duplicate]

    @property
    def duplicates(self) -> list[DraftPreview]:
        return [d for d in self.drafts if d.is_duplicate]

    @property
    def errors(self) -> list[IngestError]:
        return [e for f in self.files for e in f.errors]


def draft_key(*, file_index: int, result_index: int) -> str:
    """Names a draft across preview and confirm: both read the same staged bytes in order."""
    return f"{file_index}-{result_index}"


def excerpt(*, body: str) -> str:
    lines = [line.strip() for line in body.splitlines() if line.strip()][:EXCERPT_LINES]
    text = "\n".join(lines)
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rstrip() + "…"


def _read_staged(
    *, files: list[SourceFile | RefusedFile], limits: UploadLimits
) -> Iterator[tuple[int, SourceFile | RefusedFile, list]]:
    for file_index, source in enumerate(files):
        if isinstance(source, RefusedFile):
            yield file_index, source, [IngestError(source.name, source.reason)]
        else:
            yield file_index, source, read_upload(name=source.name, data=source.data, limits=limits)


def preview_upload(
    *, token: str, uploaded_by: AbstractBaseUser, details: bool = True
) -> UploadPreview:
    """Read a staged upload without saving: drafts with their actors and duplicates, and errors.

    `details=False` skips actors and near-duplicates (the confirm step only needs the keys).
    """
    from articles.near_duplicates import NearDuplicateFinder, index_searcher

    files = pending_files(token=token, uploaded_by=uploaded_by)
    previews: list[FilePreview] = []
    for file_index, source, results in _read_staged(files=files, limits=upload_limits()):
        size = source.size if isinstance(source, RefusedFile) else len(source.data)
        file_preview = FilePreview(name=source.name, size=size)
        for result_index, result in enumerate(results):
            if isinstance(result, IngestError):
                file_preview.errors.append(result)
                continue
            key = draft_key(file_index=file_index, result_index=result_index)
            file_preview.drafts.append(
                DraftPreview(key=key, draft=result, excerpt=excerpt(body=result.body), actors=[])
            )
        previews.append(file_preview)
    preview = UploadPreview(token=token, files=previews)
    mark_duplicates(drafts=preview.drafts)
    if details:
        matcher, _ids = entity_matcher()
        names = dict(Entity.objects.values_list("slug", "name_ar"))
        with index_searcher() as searcher:
            finder = NearDuplicateFinder(searcher=searcher)
            for item in preview.drafts:
                spans = matcher.find(item.draft.body, published_on=item.draft.published_on)
                item.actors = list(dict.fromkeys(names.get(s.slug, s.slug) for s in spans))
                if not item.is_duplicate:
                    item.near_duplicates = finder.find(body=item.draft.body)
    return preview


def mark_duplicates(*, drafts: list[DraftPreview]) -> None:
    """Flag drafts whose text or URL is already in the corpus or earlier in the same upload.

    Two queries for the whole upload instead of two per draft.
    """
    hashes = {item.key: content_hash(body=item.draft.body) for item in drafts}
    urls = {item.draft.url for item in drafts if item.draft.url}
    by_hash = {a.content_hash: a for a in Article.objects.filter(content_hash__in=hashes.values())}
    by_url: dict[str, Article] = {}
    for article in Article.objects.filter(url__in=urls).order_by("-pk"):
        by_url[article.url] = article
    seen_hashes: dict[str, str] = {}
    seen_urls: dict[str, str] = {}
    for item in drafts:
        digest, url = hashes[item.key], item.draft.url
        if digest in by_hash:
            item.duplicate_of, item.duplicate_reason = by_hash[digest], "same text"
        elif url and url in by_url:
            item.duplicate_of, item.duplicate_reason = by_url[url], "same URL"
        else:
            item.duplicate_in_upload = seen_hashes.get(digest) or seen_urls.get(url, "")
        seen_hashes.setdefault(digest, item.draft.original_name)
        if url:
            seen_urls.setdefault(url, item.draft.original_name)


@dataclass(frozen=True)
class Correction:
    """The reviewer's word on one draft: corrected title, date and outlet, or skip it."""

    title: str
    published_on: datetime.date | None
    source_name: str
    skip: bool = False


def apply_correction(*, draft: ArticleDraft, correction: Correction) -> ArticleDraft:
    """The draft with the reviewer's values; changed fields are recorded as coming from "admin"."""
    origin = dict(draft.metadata_origin)
    changes = {
        "title": correction.title.strip() or draft.title,
        "published_on": correction.published_on,
        "source_name": correction.source_name.strip(),
    }
    for attribute, origin_key in (
        ("title", "title"),
        ("published_on", "date"),
        ("source_name", "source"),
    ):
        if changes[attribute] != getattr(draft, attribute):
            if changes[attribute]:
                origin[origin_key] = "admin"
            else:
                origin.pop(origin_key, None)
    return dataclasses.replace(
        draft, **changes, metadata_origin=origin, warnings=list(draft.warnings)
    )


def confirm_upload(
    *, token: str, corrections: dict[str, Correction], uploaded_by: AbstractBaseUser
) -> ImportReport:
    """Save a reviewed upload as one batch: one transaction per article, indexed once at the end.

    Duplicates are skipped (save_article checks again: the corpus may have changed since the
    preview); near-duplicates are saved with a warning naming the article they resemble.
    """
    from articles.near_duplicates import NearDuplicateFinder, index_searcher

    files = pending_files(token=token, uploaded_by=uploaded_by)
    finder = NearDuplicateFinder(searcher=None)

    def review(file_index: int, results: list) -> list[ReviewedResult]:
        reviewed: list[ReviewedResult] = []
        for result_index, result in enumerate(results):
            if isinstance(result, IngestError):
                reviewed.append(result)
                continue
            correction = corrections.get(
                draft_key(file_index=file_index, result_index=result_index)
            )
            if correction and correction.skip:
                reviewed.append(Skipped(draft=result))
                continue
            draft = apply_correction(draft=result, correction=correction) if correction else result
            for near in finder.find(body=draft.body):
                draft.warnings.append(
                    f"near duplicate of #{near.article_id} ({near.similarity:.0%} similar)"
                )
            reviewed.append(draft)
        return reviewed

    with index_searcher() as finder.searcher:
        report = import_source_files(
            files=files, channel=UploadBatch.Channel.ADMIN, uploaded_by=uploaded_by, review=review
        )
    discard_upload(token=token)
    return report
