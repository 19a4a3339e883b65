"""A staged admin upload read once into persisted drafts: where its bytes wait, how many
records they hold, and each record as a draft (or the reason it was refused), flagged when the
corpus or the upload already has its text or URL."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from articles.ingest.drafts import ArticleDraft
from articles.ingest.errors import IngestError
from articles.ingest.readers import read_upload
from articles.models import Article, PendingFile, PendingUpload, UploadDraft
from articles.services.articles import content_hash
from articles.services.imports import estimate_file_articles, upload_limits

PENDING_DIR_NAME = "pending-uploads"
DRAFTS_PER_INSERT = 500
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class PendingUploadMissing(LookupError):
    """The upload to preview or confirm does not exist (confirmed already, expired, or not yours)."""


def valid_token(*, token: str) -> bool:
    return bool(_TOKEN_RE.match(token))


def pending_dir(*, token: str) -> Path:
    """The folder where an upload's bytes wait, one `<ordinal>.bin` a file."""
    if not valid_token(token=token):
        raise PendingUploadMissing(token)
    return Path(settings.DATA_DIR) / PENDING_DIR_NAME / token


def bytes_path(*, pending_file: PendingFile) -> Path:
    return pending_dir(token=pending_file.upload.token) / f"{pending_file.ordinal}.bin"


def expected_articles(*, upload: PendingUpload) -> int:
    """About how many records the upload's staged files hold (each refused file counts one)."""
    return sum(
        1
        if pending.refused
        else estimate_file_articles(path=bytes_path(pending_file=pending), name=pending.name)
        for pending in upload.files.all()
    )


def parse_upload(
    *, upload: PendingUpload, on_drafts: Callable[[list[UploadDraft]], None] | None = None
) -> None:
    """Read every staged file once and store what it holds as drafts (errors as drafts too),
    DRAFTS_PER_INSERT at a time (`on_drafts` hears of each lot stored); then the upload is in
    review. Run again after an interruption, it starts over."""
    upload.drafts.all().delete()
    seen = SeenInUpload()
    drafts: list[UploadDraft] = []

    def store() -> None:
        mark_duplicates(drafts=drafts, seen=seen)
        UploadDraft.objects.bulk_create(drafts)
        if on_drafts:
            on_drafts(list(drafts))
        drafts.clear()

    for draft in _drafts_of(upload=upload):
        drafts.append(draft)
        if len(drafts) >= DRAFTS_PER_INSERT:
            store()
    store()
    PendingUpload.objects.filter(pk=upload.pk).update(state=PendingUpload.State.REVIEW)


def _drafts_of(*, upload: PendingUpload) -> Iterator[UploadDraft]:
    limits = upload_limits()
    for pending in upload.files.all():
        if pending.refused:
            yield UploadDraft(
                file=pending,
                upload=upload,
                ordinal=0,
                key=f"refused-{pending.ordinal}",
                error_name=pending.name,
                error=pending.refused,
            )
            continue
        data = bytes_path(pending_file=pending).read_bytes()
        results = read_upload(name=pending.name, data=data, limits=limits)
        del data
        for ordinal, result in enumerate(results):
            draft = UploadDraft(
                file=pending, upload=upload, ordinal=ordinal, key=f"{pending.sha256[:16]}-{ordinal}"
            )
            if isinstance(result, IngestError):
                draft.error_name, draft.error = result.name, result.reason
            else:
                _fill_draft(draft=draft, parsed=result)
            yield draft


def _fill_draft(*, draft: UploadDraft, parsed: ArticleDraft) -> None:
    for name in (
        "title",
        "body",
        "source_name",
        "published_on",
        "url",
        "original",
        "original_name",
        "encoding",
        "metadata_origin",
        "metadata_lines",
        "warnings",
    ):
        setattr(draft, name, getattr(parsed, name))
    draft.content_hash = content_hash(body=parsed.body)


@dataclass
class SeenInUpload:
    """Texts (by hash) and URLs met so far in an upload, with the record that had them first."""

    hashes: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)


def mark_duplicates(*, drafts: list[UploadDraft], seen: SeenInUpload) -> None:
    """Flag drafts whose text or URL is already in the corpus or earlier in the same upload
    (`seen`: the upload's drafts before these). Queries in chunks, not two per draft."""
    articles = [d for d in drafts if not d.error]
    by_hash: dict[str, Article] = {}
    by_url: dict[str, Article] = {}
    hashes = sorted({d.content_hash for d in articles})
    urls = sorted({d.url for d in articles if d.url})
    for start in range(0, max(len(hashes), len(urls)), DRAFTS_PER_INSERT):
        chunk = hashes[start : start + DRAFTS_PER_INSERT]
        by_hash.update((a.content_hash, a) for a in Article.objects.filter(content_hash__in=chunk))
        chunk = urls[start : start + DRAFTS_PER_INSERT]
        for article in Article.objects.filter(url__in=chunk).order_by("-pk"):
            by_url[article.url] = article
    seen_hashes, seen_urls = seen.hashes, seen.urls
    for draft in articles:
        digest, url = draft.content_hash, draft.url
        if digest in by_hash:
            draft.duplicate_of, draft.duplicate_reason = by_hash[digest], "same text"
        elif url and url in by_url:
            draft.duplicate_of, draft.duplicate_reason = by_url[url], "same URL"
        else:
            draft.duplicate_in_upload = seen_hashes.get(digest) or seen_urls.get(url, "")
        seen_hashes.setdefault(digest, draft.original_name)
        if url:
            seen_urls.setdefault(url, draft.original_name)
