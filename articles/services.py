"""Writes: the only place that creates or changes articles, sources and mentions."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import re
import secrets
import shutil
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from articles.arabic import normalize
from articles.entities.gazetteer import RoleSpec, load_gazetteer, validate_roles
from articles.ingest.drafts import DATE_NOT_FOUND, ArticleDraft
from articles.ingest.errors import IngestError
from articles.ingest.readers import (
    SourceFile,
    UploadLimits,
    read_upload,
    size_error,
    walk_path,
)
from articles.ingest.sanitize import LINK_DROPPED
from articles.models import (
    Alias,
    Article,
    Entity,
    Mention,
    Role,
    Source,
    UploadBatch,
    UploadedFile,
)
from articles.near_duplicates import NearDuplicate
from articles.outlets import KNOWN_OUTLETS
from articles.selectors import bump_gazetteer_version, entity_matcher
from articles.signals import deferred_indexing, queue_article

_SPACE = re.compile(r"\s+")


def content_hash(*, body: str) -> str:
    """Hash of the normalized body: the same text with other diacritics or spacing is a duplicate."""
    canonical = _SPACE.sub(" ", normalize(body)).strip()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def get_or_create_source(*, name: str) -> Source | None:
    """The outlet named `name`, created on first sight, with a Latin slug when it is a known one."""
    name = _SPACE.sub(" ", name).strip()
    if not name:
        return None
    canonical, slug = KNOWN_OUTLETS.get(name, (name, ""))
    existing = Source.objects.filter(name=canonical).first()
    if existing:
        return existing
    slug = slug or slugify(canonical, allow_unicode=True) or "source"
    candidate, n = slug, 2
    while Source.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return Source.objects.create(name=canonical, slug=candidate)


@dataclass
class SaveOutcome:
    """What became of one draft: the saved article, or the existing one it duplicates."""

    article: Article
    created: bool
    duplicate_reason: str = ""
    warnings: list[str] = field(default_factory=list)


def find_duplicate(*, digest: str, url: str) -> tuple[Article | None, str]:
    """An existing article with the same body hash (see content_hash) or URL, and which it was."""
    match = Article.objects.filter(content_hash=digest).order_by("pk").first()
    if match:
        return match, "same text"
    if url:
        match = Article.objects.filter(url=url).order_by("pk").first()
        if match:
            return match, "same URL"
    return None, ""


def mentions_for(*, article: Article) -> list[Mention]:
    """The gazetteer's matches in the article's title and body as unsaved Mention rows."""
    matcher, entity_ids = entity_matcher()
    spans = matcher.find_article(
        title=article.title, body=article.body, published_on=article.published_on
    )
    return [
        Mention(
            article=article,
            entity_id=entity_ids[span.slug],
            start=span.start,
            end=span.end,
            text=span.text[: Mention._meta.get_field("text").max_length],
            via=span.via,
            field=span.field,
        )
        for span in spans
    ]


def replace_mentions(*, article: Article) -> int:
    """Match the gazetteer against the article title and body, store the mentions (once, at save)."""
    mentions = mentions_for(article=article)
    article.mentions.all().delete()
    Mention.objects.bulk_create(mentions)
    return len(mentions)


def save_article(
    *,
    draft: ArticleDraft,
    uploaded_by: AbstractBaseUser | None = None,
    uploaded_file: UploadedFile | None = None,
) -> SaveOutcome:
    """Save one draft in one transaction: article, outlet and mentions, or nothing at all.

    Duplicates (same normalized body or same URL) are not saved; the existing article is returned.
    The search index is updated after the transaction commits (see articles.signals).
    """
    digest = content_hash(body=draft.body)
    existing, reason = find_duplicate(digest=digest, url=draft.url)
    if existing:
        return SaveOutcome(article=existing, created=False, duplicate_reason=reason)
    with transaction.atomic():
        article = Article.objects.create(
            title=draft.title,
            body=draft.body,
            source=get_or_create_source(name=draft.source_name),
            published_on=draft.published_on,
            url=draft.url,
            original=draft.original,
            original_name=draft.original_name,
            original_file=uploaded_file,
            content_hash=digest,
            metadata_origin=draft.metadata_origin,
            ingest_warnings=draft.warnings,
            uploaded_by=uploaded_by if uploaded_by and uploaded_by.is_authenticated else None,
        )
        replace_mentions(article=article)
    return SaveOutcome(article=article, created=True, warnings=list(draft.warnings))


def start_batch(*, channel: str, uploaded_by: AbstractBaseUser | None = None) -> UploadBatch:
    user = uploaded_by if uploaded_by and uploaded_by.is_authenticated else None
    return UploadBatch.objects.create(channel=channel, uploaded_by=user)


def role_term_errors(*, holder: Entity, terms: list[dict]) -> list[str]:
    """Overlapping or contradictory terms of office, checked against every other holder's."""
    others = Role.objects.exclude(holder_id=holder.pk) if holder.pk else Role.objects.all()
    roles = [
        (
            role.holder.slug,
            RoleSpec(phrase=role.phrase, valid_from=role.valid_from, valid_to=role.valid_to),
        )
        for role in others.select_related("holder")
    ]
    roles += [
        (
            holder.slug or "(new)",
            RoleSpec(
                phrase=t["phrase"], valid_from=t.get("valid_from"), valid_to=t.get("valid_to")
            ),
        )
        for t in terms
    ]
    return validate_roles(roles)


def rematch_articles(*, article_ids: list[int]) -> int:
    """Recompute mentions for these articles and reindex them in one batch."""
    count = 0
    with deferred_indexing():
        for article in Article.objects.filter(pk__in=article_ids).iterator():
            with transaction.atomic():
                replace_mentions(article=article)
                queue_article(pk=article.pk, keep=True)
            count += 1
    return count


def gazetteer_changed(*, entity: Entity) -> int:
    """After an admin edit: rebuild the matcher everywhere, re-match the articles it may touch."""
    bump_gazetteer_version()
    phrases = [a.text for a in entity.aliases.all()] + [r.phrase for r in entity.roles.all()]
    affected = Q(mentions__entity=entity)
    for phrase in phrases:
        affected |= Q(body__contains=phrase) | Q(title__contains=phrase)
    ids = list(Article.objects.filter(affected).values_list("pk", flat=True).distinct())
    return rematch_articles(article_ids=ids)


def load_gazetteer_file(*, path: Path | None = None) -> tuple[int, int]:
    """Upsert the shipped gazetteer into the database (idempotent); returns (entities, new ones).

    Aliases and roles in the file are added; ones an admin added by hand are kept.
    """
    created_count = 0
    specs = load_gazetteer(path)
    with transaction.atomic():
        for spec in specs:
            entity, created = Entity.objects.update_or_create(
                slug=spec.slug,
                defaults={"kind": spec.kind, "name_ar": spec.name_ar, "name_en": spec.name_en},
            )
            created_count += created
            for alias in spec.aliases:
                Alias.objects.update_or_create(
                    entity=entity,
                    text=alias.text,
                    defaults={
                        "ambiguous": alias.ambiguous,
                        "valid_from": alias.valid_from,
                        "valid_to": alias.valid_to,
                    },
                )
            for role in spec.roles:
                Role.objects.get_or_create(
                    holder=entity,
                    phrase=role.phrase,
                    valid_from=role.valid_from,
                    defaults={"valid_to": role.valid_to},
                )
    return len(specs), created_count


def ensure_index() -> tuple[int, int, bool]:
    """Rebuild the index if another analyzer version wrote it or its document count differs."""
    from articles import indexing

    return indexing.ensure_index()


def rebuild_index(*, procs: int = 1) -> int:
    from articles import indexing

    return indexing.rebuild_index(procs=procs)


@dataclass
class FileReport:
    """What became of one uploaded file and each article found in it."""

    name: str
    saved: list[SaveOutcome] = field(default_factory=list)
    duplicates: list[SaveOutcome] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    skipped: list[ArticleDraft] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.errors and (self.saved or self.duplicates or self.skipped):
            return UploadedFile.Outcome.PARTIAL
        if self.errors:
            return UploadedFile.Outcome.FAILED
        if self.skipped:  # the reviewer left some (or all) of it out
            return UploadedFile.Outcome.PARTIAL
        if self.saved:
            return UploadedFile.Outcome.IMPORTED
        return UploadedFile.Outcome.DUPLICATE

    def message(self) -> str:
        counts = f"{len(self.saved)} imported, {len(self.duplicates)} duplicates"
        if self.skipped:
            counts += f", {len(self.skipped)} skipped by the reviewer"
        lines = [counts]
        lines += [
            f"duplicate of #{d.article.pk} ({d.duplicate_reason}): {d.article.title}"
            for d in self.duplicates
        ]
        lines += [str(error) for error in self.errors]
        return "\n".join(lines)


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    batch: UploadBatch | None = None

    @property
    def imported(self) -> int:
        return sum(len(f.saved) for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(len(f.duplicates) for f in self.files)

    @property
    def failed(self) -> int:
        return sum(len(f.errors) for f in self.files)

    def summary(self) -> str:
        return f"imported {self.imported}, duplicates {self.duplicates}, failed {self.failed}"


def store_uploaded_file(*, batch: UploadBatch, name: str, data: bytes) -> UploadedFile:
    """Keep the uploaded bytes verbatim, whatever became of them."""
    digest = hashlib.sha256(data).hexdigest()
    record = UploadedFile(
        batch=batch, name=name, size=len(data), sha256=digest, outcome=UploadedFile.Outcome.FAILED
    )
    suffix = Path(name.split("#")[0]).suffix.lower()[:10]
    record.stored.save(f"{digest}{suffix}", ContentFile(data), save=False)
    record.save()
    return record


def save_drafts(
    *,
    results: list[ArticleDraft | IngestError],
    report: FileReport,
    uploaded_by: AbstractBaseUser | None = None,
    uploaded_file: UploadedFile | None = None,
    on_result: Callable[[], None] | None = None,
) -> FileReport:
    """Save every draft (one transaction each) and collect the errors, in the file's order."""
    for result in results:
        if isinstance(result, IngestError):
            report.errors.append(result)
        elif isinstance(result, Skipped):
            report.skipped.append(result.draft)
        else:
            outcome = save_article(
                draft=result, uploaded_by=uploaded_by, uploaded_file=uploaded_file
            )
            (report.saved if outcome.created else report.duplicates).append(outcome)
        if on_result:
            on_result()
    return report


def import_source_files(
    *,
    files: Iterable[SourceFile | RefusedFile],
    channel: str,
    uploaded_by: AbstractBaseUser | None = None,
    limits: UploadLimits | None = None,
    on_file: Callable[[FileReport], None] | None = None,
    on_result: Callable[[], None] | None = None,
    review: Review | None = None,
) -> ImportReport:
    """Import files (upload or command) as one recorded batch, indexing once at the end.

    `files` may be a generator: each file is read, saved and dropped before the next one.
    A file whose every article fails leaves no article behind; its bytes stay in the batch record.
    `review(file_index, results)` lets the admin upload apply the reviewer's corrections and skips.
    """
    limits = limits or upload_limits()
    batch = start_batch(channel=channel, uploaded_by=uploaded_by)
    report = ImportReport(batch=batch)
    with deferred_indexing():
        for index, source in enumerate(files):
            if isinstance(source, RefusedFile):
                stored = record_refused_file(batch=batch, refused=source)
                results: list = [IngestError(source.name, source.reason)]
            else:
                stored = store_uploaded_file(batch=batch, name=source.name, data=source.data)
                results = read_upload(
                    name=source.name, data=source.data, limits=limits, curated=source.curated
                )
            if review:
                results = review(index, results)
            file_report = save_drafts(
                results=results,
                report=FileReport(name=source.name),
                uploaded_by=uploaded_by,
                uploaded_file=stored,
                on_result=on_result,
            )
            stored.outcome = file_report.outcome
            stored.message = file_report.message()
            stored.save(update_fields=["outcome", "message"])
            report.files.append(file_report)
            if on_file:
                on_file(file_report)
    batch.imported_count = report.imported
    batch.duplicate_count = report.duplicates
    batch.failed_count = report.failed
    batch.save(update_fields=["imported_count", "duplicate_count", "failed_count"])
    return report


def upload_limits() -> UploadLimits:
    return UploadLimits(
        max_file_bytes=settings.MARSAD_MAX_FILE_BYTES,
        max_zip_total_bytes=settings.MARSAD_MAX_ZIP_TOTAL_BYTES,
        max_zip_entries=settings.MARSAD_MAX_ZIP_ENTRIES,
        max_article_chars=settings.MARSAD_MAX_ARTICLE_CHARS,
    )


# ---------------------------------------------------------------------------------------------
# uploads: files refused unread, the admin's upload → preview → confirm, the command's input
# ---------------------------------------------------------------------------------------------

PASTED_TEXT_NAME = "pasted text.txt"
PENDING_DIR_NAME = "pending-uploads"
PENDING_MAX_AGE_S = 24 * 3600
EXCERPT_LINES = 3
EXCERPT_CHARS = 400
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class RefusedFile:
    """A file refused before its bytes were read (over the size limit, unreadable): recorded only."""

    name: str
    size: int
    reason: str


@dataclass(frozen=True)
class Skipped:
    """A draft the reviewer chose not to import."""

    draft: ArticleDraft


ReviewedResult = ArticleDraft | IngestError | Skipped
Review = Callable[[int, list], list[ReviewedResult]]


def record_refused_file(*, batch: UploadBatch, refused: RefusedFile) -> UploadedFile:
    """A refused file's row in the batch: its name, size and reason, without its bytes."""
    return UploadedFile.objects.create(
        batch=batch,
        name=refused.name,
        size=refused.size,
        outcome=UploadedFile.Outcome.FAILED,
        message=refused.reason,
    )


def iter_import_files(
    *, paths: Iterable[Path], limits: UploadLimits | None = None
) -> Iterator[SourceFile | RefusedFile]:
    """Files under `paths`, read one at a time; files over the limit are refused unread."""
    limits = limits or upload_limits()
    for path in paths:
        for file_path, name, curated in walk_path(path):
            size = file_path.stat().st_size
            if too_big := size_error(name=name, size=size, limits=limits):
                yield RefusedFile(name=name, size=size, reason=too_big.reason)
                continue
            try:
                data = file_path.read_bytes()
            except OSError as exc:
                yield RefusedFile(
                    name=name, size=size, reason=f"The file cannot be read: {exc.strerror}."
                )
                continue
            yield SourceFile(name=name, data=data, curated=curated)


def estimate_articles(*, paths: Iterable[Path]) -> int:
    """About how many articles `paths` hold (zip entries, JSONL/CSV lines), for a progress bar."""
    total = 0
    for path in paths:
        for file_path, name, _curated in walk_path(path):
            suffix = Path(name).suffix.lower()
            try:
                if suffix == ".zip":
                    with zipfile.ZipFile(file_path) as archive:
                        total += sum(1 for info in archive.infolist() if not info.is_dir())
                    continue
                if suffix in {".jsonl", ".csv"} and file_path.stat().st_size < 256 * 1024 * 1024:
                    data = file_path.read_bytes()
                    lines = data.count(b"\n") + (not data.endswith(b"\n"))
                    total += max(1, lines - (suffix == ".csv"))  # a CSV's header is no article
                    continue
            except (OSError, zipfile.BadZipFile):
                pass
            total += 1
    return total


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
