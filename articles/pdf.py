"""PDF of an article or of a search's result set (a dossier), laid out by articles.pdf_layout:
real Unicode text, shaped and ordered right to left, mentions and hits coloured as on the screen.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from articles.highlight import EntitySpan, HitSpan
from articles.models import Article
from articles.pdf_layout import ACCENT, MUTED, Document, Word, words_of
from articles.spans import SpanLookup
from articles.templatetags.marsad import format_day


@dataclass(frozen=True)
class ArticleContent:
    """What a PDF shows of one article: the article, its marks and its portal address."""

    article: Article
    entities: Sequence[EntitySpan]
    hits: Sequence[HitSpan]
    page_url: str
    legend: Sequence[dict]  # selectors.mention_legend rows


def _article_section(doc: Document, content: ArticleContent) -> None:
    article = content.article
    doc.text_paragraph(article.title, size=18, bold=True, height=11, after=1)
    meta = [
        article.source.name if article.source else "",
        format_day(article.published_on, language="ar") if article.published_on else "",
    ]
    doc.items([item for item in meta if item], size=10.5, color=MUTED)
    doc.address(content.page_url, size=9, color=ACCENT)
    if article.url:
        doc.address(article.url, size=9, color=MUTED)
    doc.ln(2)
    if content.legend:
        chips: list[Word] = [Word("الفاعلون:")]
        for number, row in enumerate(content.legend):
            entity = row["entity"]
            chips += [Word(w, fill=entity.kind, span=number) for w in entity.name_ar.split()]
            chips.append(Word(f"({row['count']})"))
        doc.paragraph(chips, size=10, height=7, after=1)
    doc.rule()
    entities, hits = SpanLookup(content.entities), SpanLookup(content.hits)
    position = 0
    for block in article.body.split("\n\n"):
        stripped = block.strip()
        if stripped:
            start = position + block.index(stripped)
            doc.paragraph(words_of(stripped, offset=start, entities=entities, hits=hits))
        position += len(block) + 2


def article_pdf(content: ArticleContent) -> bytes:
    """One article with its actor mentions (and the query's hits) coloured as on the screen."""
    doc = Document(footer_text="مرصد")
    doc.set_title(content.article.title)
    doc.add_page()
    _article_section(doc, content)
    return bytes(doc.output())


def dossier_pdf(
    *,
    title_lines: Sequence[tuple[str, str]],
    total: int,
    cap: int,
    search_url: str,
    articles: Iterable[ArticleContent],
) -> bytes:
    """A result set: a title page (query, filters, counts, the cap) then one article per page.

    `articles` is consumed one at a time (pass a generator that reads the database in chunks):
    only the PDF being written grows with the number of articles.
    """
    doc = Document(footer_text="ملف مرصد")
    doc.set_title("ملف مرصد")
    doc.add_page()
    doc.ln(30)
    doc.text_paragraph("ملف مرصد", size=26, bold=True, color=ACCENT, height=15, after=2)
    doc.text_paragraph("نتائج بحث في مرصد الأخبار العربية", size=13, color=MUTED, after=8)
    for label, value in title_lines:
        doc.paragraph([Word(f"{label}:"), *words_of(value)], size=13, height=9, after=0)
    doc.ln(4)
    shown = min(total, cap)
    doc.text_paragraph(f"عدد المقالات المطابقة: {total}", size=13, bold=True, height=9, after=0)
    if total > cap:
        doc.text_paragraph(
            f"بلغ الملف حده الأقصى: يضم أول {shown} مقالة فقط من {total} "
            f"(الحد {cap} مقالة، يضبطه MARSAD_DOSSIER_MAX_ARTICLES)؛ "
            "لتصدير كل النتائج استخدم CSV أو JSON Lines.",
            size=11,
            color=MUTED,
            height=8,
            after=0,
        )
    else:
        doc.text_paragraph(
            f"يضم هذا الملف المقالات كلها ({shown}).", size=11, color=MUTED, height=8, after=0
        )
    doc.ln(4)
    doc.text_paragraph(
        f"أُنشئ في {format_day(datetime.date.today(), language='ar')}",
        size=11,
        color=MUTED,
        height=8,
        after=0,
    )
    doc.address(search_url, size=9, color=ACCENT)
    for content in articles:
        doc.add_page()
        _article_section(doc, content)
    return bytes(doc.output())
