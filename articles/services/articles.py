"""Writes for one article: its outlet, duplicate check, mentions, and the save itself."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from articles.arabic import normalize
from articles.ingest.drafts import ArticleDraft
from articles.models import (
    Article,
    Mention,
    Source,
    UploadedFile,
)
from articles.outlets import KNOWN_OUTLETS
from articles.selectors import entity_matcher
from articles.services.event_dates import replace_event_dates


def content_hash(*, body: str) -> str:
    """Hash of the normalized body: the same text with other diacritics or spacing is a duplicate."""
    canonical = " ".join(normalize(body).split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def get_or_create_source(*, name: str) -> Source | None:
    """The outlet named `name`, created on first sight, with a Latin slug when it is a known one."""
    name = " ".join(name.split())
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
    try:
        with transaction.atomic():
            return Source.objects.create(name=canonical, slug=candidate)
    except IntegrityError:  # another writer created it (or took the slug) a moment ago
        return Source.objects.filter(name=canonical).first() or get_or_create_source(name=name)


@dataclass
class SaveOutcome:
    """What became of one draft: the saved article, or the existing one it duplicates."""

    article: Article
    created: bool
    duplicate_reason: str = ""
    name: str = ""  # the record it came from: "feed.jsonl#line 7", or the file's name
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
    """Match the gazetteer against the article title and body, store the mentions (once, at save),
    and the dates the body talks about with them (``services.event_dates``)."""
    mentions = mentions_for(article=article)
    article.mentions.all().delete()
    Mention.objects.bulk_create(mentions)
    replace_event_dates(article=article)
    return len(mentions)


def article_from_draft(
    *,
    draft: ArticleDraft,
    digest: str,
    source: Source | None,
    uploaded_by: AbstractBaseUser | None = None,
    uploaded_file: UploadedFile | None = None,
) -> Article:
    """The unsaved Article a draft becomes (one saved alone or in a bulk batch)."""
    return Article(
        title=draft.title,
        body=draft.body,
        source=source,
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


def save_article(
    *,
    draft: ArticleDraft,
    uploaded_by: AbstractBaseUser | None = None,
    uploaded_file: UploadedFile | None = None,
) -> SaveOutcome:
    """Save one draft in one transaction: article, outlet, mentions and index operation, or nothing.

    Duplicates (same normalized body or same URL) are not saved; the existing article is returned,
    also when another writer saved the same article a moment earlier (the unique constraints).
    The index operation is queued by the Article save (articles.signals) in the same transaction.
    """
    digest = content_hash(body=draft.body)
    try:
        with transaction.atomic():
            existing, reason = find_duplicate(digest=digest, url=draft.url)
            if existing:
                return SaveOutcome(
                    article=existing,
                    created=False,
                    duplicate_reason=reason,
                    name=draft.original_name,
                )
            article = article_from_draft(
                draft=draft,
                digest=digest,
                source=get_or_create_source(name=draft.source_name),
                uploaded_by=uploaded_by,
                uploaded_file=uploaded_file,
            )
            article.save()
            replace_mentions(article=article)
    except IntegrityError:
        existing, reason = find_duplicate(digest=digest, url=draft.url)
        if existing is None:
            raise
        return SaveOutcome(
            article=existing, created=False, duplicate_reason=reason, name=draft.original_name
        )
    return SaveOutcome(
        article=article, created=True, warnings=list(draft.warnings), name=draft.original_name
    )
