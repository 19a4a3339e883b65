"""Writes for an admin's edit of one article: re-hash, duplicate check, re-match, save."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from articles.models import Article
from articles.services.articles import content_hash, replace_mentions

MATCHED_FIELDS = {"title", "body", "published_on"}


class DuplicateArticle(ValueError):
    """The edited article would have the text (or URL) of another article."""

    def __init__(self, *, existing: Article, reason: str) -> None:
        super().__init__(f"{reason} as #{existing.pk}")
        self.existing = existing
        self.reason = reason


def edit_duplicate(
    *, pk: int | None, body: str, url: str, url_changed: bool
) -> tuple[Article | None, str]:
    """Another article with this body's hash, or with this URL when the edit changed it."""
    others = Article.objects.exclude(pk=pk) if pk else Article.objects.all()
    match = others.filter(content_hash=content_hash(body=body)).order_by("pk").first()
    if match:
        return match, "same text"
    if url and url_changed:
        match = others.filter(url=url).order_by("pk").first()
        if match:
            return match, "same URL"
    return None, ""


def save_article_edit(*, article: Article, changed: Iterable[str], created: bool) -> Article:
    """Save an added or edited article in one transaction: its hash follows the body, another
    article's text (or, when changed, URL) is refused with DuplicateArticle, and the mentions
    are matched again when the title, body or date changed."""
    changed = set(changed)
    existing, reason = edit_duplicate(
        pk=article.pk, body=article.body, url=article.url, url_changed=created or "url" in changed
    )
    if existing:
        raise DuplicateArticle(existing=existing, reason=reason)
    article.content_hash = content_hash(body=article.body)
    try:
        with transaction.atomic():
            article.save()
            if created or MATCHED_FIELDS & changed:
                replace_mentions(article=article)
    except IntegrityError as exc:  # a concurrent save took this text between check and write
        existing = Article.objects.filter(content_hash=article.content_hash).first()
        if existing is None:
            raise
        raise DuplicateArticle(existing=existing, reason="same text") from exc
    return article
