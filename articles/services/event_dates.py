"""Writes: the dates an article's body talks about (``EventDate`` rows), found at every save."""

from __future__ import annotations

from articles.arabic.event_dates import DateMention, find_event_dates
from articles.models import Article, EventDate

_TEXT_CHARS = EventDate._meta.get_field("text").max_length


def event_dates_for(*, article: Article, found: list[DateMention] | None = None) -> list[EventDate]:
    """The body's date expressions as unsaved rows; none when the article has no date to read
    relative words («أمس», «الأسبوع المقبل») against. ``found``: the expressions already found
    in this body (by an import's drafting worker)."""
    if article.published_on is None:
        return []
    if found is None:
        found = find_event_dates(article.body, published=article.published_on)
    return [
        EventDate(
            article=article,
            start=mention.start,
            end=mention.end,
            text=mention.text[:_TEXT_CHARS],
            first=mention.first,
            last=mention.last,
        )
        for mention in found
    ]


def replace_event_dates(*, article: Article) -> int:
    rows = event_dates_for(article=article)
    article.event_dates.all().delete()
    EventDate.objects.bulk_create(rows)
    return len(rows)
