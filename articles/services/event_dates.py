"""Writes: the dates an article's body talks about (``EventDate`` rows), found at every save."""

from __future__ import annotations

from articles.arabic.event_dates import find_event_dates
from articles.models import Article, EventDate

_TEXT_CHARS = EventDate._meta.get_field("text").max_length


def event_dates_for(*, article: Article) -> list[EventDate]:
    """The body's date expressions as unsaved rows; none when the article has no date to read
    relative words («أمس», «الأسبوع المقبل») against."""
    if article.published_on is None:
        return []
    return [
        EventDate(
            article=article,
            start=found.start,
            end=found.end,
            text=found.text[:_TEXT_CHARS],
            first=found.first,
            last=found.last,
        )
        for found in find_event_dates(article.body, published=article.published_on)
    ]


def replace_event_dates(*, article: Article) -> int:
    rows = event_dates_for(article=article)
    article.event_dates.all().delete()
    EventDate.objects.bulk_create(rows)
    return len(rows)
