"""Safe reading HTML: article text escaped segment by segment, with actor and hit marks.

Marks are placed on whole-word spans (mentions include their clitics, hits are whole tokens),
so a mark never splits a word and the browser keeps the Arabic letters joined.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from articles.spans import SpanLookup


@dataclass(frozen=True)
class EntitySpan:
    start: int
    end: int
    slug: str
    kind: str
    name: str


@dataclass(frozen=True)
class HitSpan:
    start: int
    end: int


@dataclass(frozen=True)
class DateSpan:
    """A date the text talks about and the days it was read as (``title`` says them)."""

    start: int
    end: int
    first: str  # ISO days
    last: str
    title: str


def _entity_open(span: EntitySpan) -> str:
    return format_html(
        '<mark class="entity entity-{kind}" data-entity="{slug}" id="m-{start}">'
        '<a href="{url}" title="{name}">',
        kind=span.kind,
        slug=span.slug,
        start=span.start,
        url=reverse("articles:actor_detail", kwargs={"slug": span.slug}),
        name=span.name,
    )


def _date_open(span: DateSpan) -> str:
    return format_html(
        '<mark class="event-date" data-first="{}" data-last="{}" title="{}">',
        span.first,
        span.last,
        span.title,
    )


_NO_DATES: SpanLookup[DateSpan] = SpanLookup(())


def _marked(
    text: str,
    *,
    offset: int,
    entities: SpanLookup[EntitySpan],
    hits: SpanLookup[HitSpan],
    dates: SpanLookup[DateSpan] = _NO_DATES,
) -> str:
    """Escape `text` (which starts at `offset` in the body) and wrap the spans that fall in it:
    actor marks outermost, then event dates, then hits (an inner mark closes and reopens when an
    outer one ends inside it, so the HTML always nests)."""
    end_of_text = offset + len(text)
    cuts = {offset, end_of_text}
    for span in (
        *entities.overlapping(offset, end_of_text),
        *hits.overlapping(offset, end_of_text),
        *dates.overlapping(offset, end_of_text),
    ):
        cuts.update((max(span.start, offset), min(span.end, end_of_text)))
    points = sorted(cuts)
    out: list[str] = []
    open_entity: EntitySpan | None = None
    open_date: DateSpan | None = None
    for left, right in itertools.pairwise(points):
        entity = entities.containing(left, right)
        date = dates.containing(left, right)
        hit_span = hits.containing(left, right)
        hit = hit_span is not None
        if open_date is not None and (date is not open_date or entity is not open_entity):
            out.append("</mark>")
            open_date = None
        if entity is not open_entity:
            if open_entity is not None:
                out.append("</a></mark>")
            if entity is not None:
                out.append(_entity_open(entity))
            open_entity = entity
        if date is not None and open_date is None:
            out.append(_date_open(date))
            open_date = date
        segment = escape(text[left - offset : right - offset])
        if hit:
            hit_id = f' id="h-{left}"' if hit_span.start == left else ""
            segment = f'<mark class="hit"{hit_id}>{segment}</mark>'
        out.append(segment)
    if open_date is not None:
        out.append("</mark>")
    if open_entity is not None:
        out.append("</a></mark>")
    return "".join(out)


def render_paragraphs(
    body: str,
    *,
    entities: list[EntitySpan] = (),
    hits: list[HitSpan] = (),
    dates: list[DateSpan] = (),
) -> list[SafeString]:
    """The body split into paragraphs (blank-line separated), each as safe marked-up HTML."""
    paragraphs: list[SafeString] = []
    entity_lookup, hit_lookup, date_lookup = (
        SpanLookup(entities),
        SpanLookup(hits),
        SpanLookup(dates),
    )
    position = 0
    for block in body.split("\n\n"):
        stripped = block.strip()
        if stripped:
            start = position + block.index(stripped)
            html = _marked(
                stripped, offset=start, entities=entity_lookup, hits=hit_lookup, dates=date_lookup
            )
            paragraphs.append(mark_safe(html.replace("\n", "<br>")))  # noqa: S308 - built from escaped parts
        position += len(block) + 2
    return paragraphs


def render_title(title: str, *, entities: list[EntitySpan] = (), links: bool = True) -> SafeString:
    """A headline with its actor marks (offsets into the title).

    With ``links`` each mark links to its actor as in the body (ids ``title-m-N``); without, for
    a headline that is itself a link (search results), the marks carry no link.
    """
    if links:
        html = _marked(title, offset=0, entities=SpanLookup(entities), hits=SpanLookup(()))
        return mark_safe(html.replace('id="m-', 'id="title-m-'))  # noqa: S308 - escaped parts
    out: list[str] = []
    position = 0
    for span in sorted(entities, key=lambda e: e.start):
        if span.start < position or span.end > len(title):
            continue
        out.append(escape(title[position : span.start]))
        out.append(
            format_html(
                '<mark class="entity entity-{}" data-entity="{}">{}</mark>',
                span.kind,
                span.slug,
                title[span.start : span.end],
            )
        )
        position = span.end
    out.append(escape(title[position:]))
    return mark_safe("".join(out))  # noqa: S308 - built from escaped parts


def render_snippet(text: str, *, offset: int, hits: list[HitSpan]) -> SafeString:
    """A search snippet: escaped text with `<mark class="hit">` on the matched words."""
    return mark_safe(  # noqa: S308 - built from escaped parts
        _marked(text, offset=offset, entities=SpanLookup(()), hits=SpanLookup(hits))
    )
