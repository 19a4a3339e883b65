"""Reads for the admin upload preview: one page of persisted drafts, counted in the database.

Actors and near-duplicates are looked up for the drafts on the page only, so a preview of
thousands of articles costs what a page of them costs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator

from articles.ingest.drafts import DATE_NOT_FOUND
from articles.ingest.errors import IngestError
from articles.ingest.sanitize import LINK_DROPPED
from articles.models import Article, Entity, Job, PendingUpload, UploadDraft
from articles.models_uploads import OPEN_STATES
from articles.near_duplicates import NearDuplicate
from articles.selectors import entity_matcher

EXCERPT_LINES = 3
EXCERPT_CHARS = 400
MAX_LISTED = 200  # duplicates and refused records listed by name; the rest are counted


def excerpt(*, body: str) -> str:
    lines = [line.strip() for line in body.splitlines() if line.strip()][:EXCERPT_LINES]
    text = "\n".join(lines)
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rstrip() + "…"


@dataclass
class DraftPreview:
    """One persisted draft as the reviewer sees it before anything is saved."""

    draft: UploadDraft
    actors: list[str] = field(default_factory=list)
    near_duplicates: list[NearDuplicate] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.draft.key

    @property
    def excerpt(self) -> str:
        return excerpt(body=self.draft.body)

    @property
    def duplicate_of(self) -> Article | None:
        return self.draft.duplicate_of

    @property
    def duplicate_reason(self) -> str:
        return self.draft.duplicate_reason

    @property
    def duplicate_in_upload(self) -> str:
        return self.draft.duplicate_in_upload

    @property
    def is_duplicate(self) -> bool:
        return self.draft.is_duplicate

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
class UploadPreview:
    """A page of an upload's importable drafts, with the upload's counts."""

    upload: PendingUpload
    page: Page
    importable: list[DraftPreview]
    duplicates: list[DraftPreview]
    errors: list[IngestError]
    importable_count: int
    duplicate_count: int
    error_count: int

    @property
    def token(self) -> str:
        return self.upload.token

    @property
    def drafts(self) -> list[DraftPreview]:
        return [*self.importable, *self.duplicates]


def importable_drafts(*, upload: PendingUpload):
    return upload.drafts.filter(error="", duplicate_of__isnull=True, duplicate_in_upload="")


def upload_preview(
    *, upload: PendingUpload, page_number: int | str = 1, details: bool = True
) -> UploadPreview:
    """Page `page_number` of the upload's importable drafts (out-of-range pages give the last).

    `details=False` skips actors and near-duplicates (a page redisplayed after a bad correction
    or a confirm needs only the drafts).
    """
    drafts = upload.drafts.select_related("duplicate_of")
    importable = importable_drafts(upload=upload)
    page = Paginator(importable, settings.MARSAD_PREVIEW_PAGE_SIZE).get_page(page_number)
    items = [DraftPreview(draft=draft) for draft in page.object_list]
    duplicates = drafts.filter(error="").exclude(pk__in=importable.values("pk"))
    errors = drafts.exclude(error="")
    preview = UploadPreview(
        upload=upload,
        page=page,
        importable=items,
        duplicates=[DraftPreview(draft=d) for d in duplicates[:MAX_LISTED]],
        errors=[IngestError(d.error_name, d.error) for d in errors[:MAX_LISTED]],
        importable_count=page.paginator.count,
        duplicate_count=duplicates.count(),
        error_count=errors.count(),
    )
    if details:
        add_details(items=items)
    return preview


def add_details(*, items: list[DraftPreview]) -> None:
    """Each draft's actors (gazetteer matches) and near-duplicates in the corpus."""
    from articles.near_duplicates import NearDuplicateFinder, index_searcher

    matcher, _ids = entity_matcher()
    names = dict(Entity.objects.values_list("slug", "name_ar"))
    with index_searcher() as searcher:
        finder = NearDuplicateFinder(searcher=searcher)
        for item in items:
            spans = matcher.find(item.draft.body, published_on=item.draft.published_on)
            item.actors = list(dict.fromkeys(names.get(s.slug, s.slug) for s in spans))
            item.near_duplicates = finder.find(body=item.draft.body)


def upload_read_by(*, job: Job) -> PendingUpload | None:
    """The upload a reading job read, while it is still being read or in review."""
    if job.kind != Job.Kind.PREVIEW:
        return None
    return PendingUpload.objects.filter(job=job, state__in=OPEN_STATES).first()
