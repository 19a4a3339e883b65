"""The search page's result cards and facet rows, written here rather than by templates (a card's
~40 lookups and tag calls, twenty times, were a fifth of the page's time; the ~50 facet rows
another tenth). Every text from an article or the gazetteer is escaped; the snippet and the
marked headline arrive escaped and marked."""

from urllib.parse import quote

from django import template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from articles.highlight import render_title
from articles.search import FacetGroup, SearchHit, SearchPage, article_paths
from articles.selectors import ResultArticle
from articles.templatetags.marsad import time_tag

register = template.Library()


@register.simple_tag
def result_cards(page: SearchPage) -> SafeString:
    """One ``<li>`` per card of ``page``: the headline (its actors marked) linking to the reading
    page with the query, outlet, date, snippet, and the near-identical articles collapsed under it."""
    path_of = article_paths()
    follow = f"?q={quote(page.params.q)}" if page.params.q else ""
    return mark_safe(  # noqa: S308 - every part is escaped or already safe
        "".join(_card(hit, href=lambda pk: path_of(pk) + follow) for hit in page.hits)
    )


def _meta(article: ResultArticle, *, before: str = "") -> tuple[str, str]:
    source = (
        f'{before}<span class="source"><bdi>{escape(article.source_name)}</bdi></span>'
        if article.source_slug is not None
        else ""
    )
    day = (
        f'{before}<span class="date">{time_tag(article.published_on)}</span>'
        if article.published_on
        else ""
    )
    return source, day


def _card(hit: SearchHit, *, href) -> str:
    article = hit.article
    title = render_title(article.title, entities=article.title_spans, links=False)
    source, day = _meta(article)
    html = (
        '<li class="article-item search-hit">\n'
        f'  <a class="article-title" href="{escape(href(article.pk))}" lang="ar" dir="rtl">'
        f"{title}</a>\n"
        '  <div class="article-meta">\n'
        f"    {source}\n"
        f"    {day}\n"
        "  </div>\n"
        f'  <p class="snippet" lang="ar" dir="rtl">{hit.snippet}</p>\n'
        "  "
    )
    if hit.duplicates:
        count = len(hit.duplicates)
        summary = ngettext(
            "+%(counter)s near-identical from other outlets",
            "+%(counter)s near-identical from other outlets",
            count,
        ) % {"counter": count}
        html += f'<details class="near-duplicates">\n    <summary>{summary}</summary>\n    <ul>'
        for other in hit.duplicates:
            source, day = _meta(other, before=" ")
            html += (
                f'\n      <li><a href="{escape(href(other.pk))}" lang="ar" dir="rtl">'
                f"{escape(other.title)}</a>{source}{day}</li>"
            )
        html += "\n    </ul>\n  </details>"
    return html + "\n</li>\n"


SELECTED = ' class="selected" aria-current="true"'


@register.simple_tag
def facet_links(group: FacetGroup) -> SafeString:
    """One ``<li>`` link per value of a facet group: choosing it (or leaving it, when chosen)."""
    param = escape(group.param)
    return mark_safe(  # noqa: S308 - every part is escaped
        "".join(
            f'\n      <li><a href="{escape(value.url)}"{SELECTED if value.selected else ""}'
            f' data-facet="{param}" data-value="{escape(value.key)}">'
            f"<bdi>{escape(value.name)}</bdi>"
            f' <span class="count">{localize(value.count)}</span></a></li>'
            for value in group.values
        )
    )
