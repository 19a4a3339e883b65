"""Writes: the dates an article's body talks about (``EventDate`` rows), found at every save."""

from __future__ import annotations

from articles.arabic.event_dates import DateMention, find_event_dates
from articles.models import Article, EventDate
from articles.services.row_inserts import insert_rows

_TEXT_CHARS = EventDate._meta.get_field("text").max_length
EVENT_DATE_FIELDS = ("article_id", "start", "end", "text", "first", "last")


def event_date_rows(*, article_id: int, found: list[DateMention]) -> list[tuple]:
    """Values (in the order of EVENT_DATE_FIELDS) of an article's EventDate rows: the date
    expressions ``found`` in its body."""
    return [(article_id, m.start, m.end, m.text[:_TEXT_CHARS], m.first, m.last) for m in found]


def replace_event_dates(*, article: Article) -> int:
    """The body's date expressions as the article's rows; none when the article has no date to
    read relative words («أمس», «الأسبوع المقبل») against."""
    found = (
        find_event_dates(article.body, published=article.published_on)
        if article.published_on
        else []
    )
    article.event_dates.all().delete()
    return insert_rows(
        model=EventDate,
        fields=EVENT_DATE_FIELDS,
        rows=event_date_rows(article_id=article.pk, found=found),
    )
