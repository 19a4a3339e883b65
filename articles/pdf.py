"""PDF of an article or of a search's result set (a dossier), in the bundled Noto Naskh Arabic.

fpdf2 does not shape Arabic unless its HarfBuzz shaping is on, so text goes through
``articles.arabic.shape_for_display`` (arabic-reshaper + python-bidi) — but only word by word,
after the lines are laid out:

1. words are measured and wrapped into lines in LOGICAL order (wrapping visual text would
   put the end of a sentence on its first line);
2. each line is then placed right to left: every Arabic word (or number, or sign) is its own run,
   consecutive Latin words form a left-to-right run, as the Unicode bidi algorithm would place
   them in a right-to-left paragraph;
3. each word is shaped on its own (letters join only inside a word) and drawn at its place, so
   the words of a mention or a hit get their coloured background exactly where they land.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from fpdf import FPDF

from articles.arabic import shape_for_display
from articles.highlight import EntitySpan, HitSpan
from articles.models import Article
from articles.spans import SpanLookup
from articles.templatetags.marsad import format_day

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONT = "naskh"
INK = (29, 36, 48)  # --ink in marsad.css
MUTED = (90, 99, 114)  # --muted
ACCENT = (11, 95, 107)  # --accent
# The reading page's highlight colours (marsad.css), so a printout matches the screen.
FILLS = {
    "person": (253, 230, 138),
    "organization": (191, 219, 254),
    "country": (187, 247, 208),
    "place": (251, 207, 232),
    "hit": (253, 186, 116),
}
KIND_NAMES = {"person": "شخص", "organization": "منظمة", "country": "دولة", "place": "مكان"}
BODY_SIZE = 12.5
LINE_HEIGHT = 8.2  # mm: Arabic needs room above and below the letters
MARGIN = 20

_RLM = "\u200f"
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"\S+")
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")


@dataclass(frozen=True)
class Word:
    """A word of the logical text, with its background (a mention's kind or "hit") if any."""

    text: str
    fill: str | None = None
    span: int | None = None  # the mention or hit it belongs to: one background across spaces

    @property
    def latin(self) -> bool:
        return not _ARABIC.search(self.text) and bool(_LATIN.search(self.text))


@functools.lru_cache(maxsize=50_000)
def shaped(text: str) -> str:
    """One word or short line ready to draw: shaped, in visual order, as part of RTL text.

    The right-to-left mark makes the bidi algorithm take the paragraph as right to left even when
    the text starts with a number or a Latin word; the mark itself is not drawn. python-bidi
    reorders but does not mirror, so brackets are mirrored here: "(10)" must not read ")10(".
    Cached: news repeats its words, and shaping is most of a dossier's time.
    """
    return shape_for_display(_RLM + text).replace(_RLM, "").translate(_MIRROR)


def words_of(
    text: str,
    *,
    offset: int = 0,
    entities: Sequence[EntitySpan] | SpanLookup = (),
    hits: Sequence[HitSpan] | SpanLookup = (),
) -> list[Word]:
    """The words of `text` (which starts at `offset` in the article body) with their marks (a hit
    before a mention). Pass SpanLookups to mark many paragraphs of one article in linear time."""
    hit_lookup = hits if isinstance(hits, SpanLookup) else SpanLookup(hits)
    entity_lookup = entities if isinstance(entities, SpanLookup) else SpanLookup(entities)
    result = []
    for match in _WORD.finditer(text):
        start, end = match.start() + offset, match.end() + offset
        if hit := hit_lookup.first_overlapping(start, end):
            result.append(Word(match.group(), fill="hit", span=hit.start))
        elif entity := entity_lookup.first_overlapping(start, end):
            result.append(Word(match.group(), fill=entity.kind, span=entity.start))
        else:
            result.append(Word(match.group()))
    return result


_WIDTHS: dict[tuple[str, str, float, str], float] = {}
MAX_CACHED_WIDTHS = 200_000


class Document(FPDF):
    """A4, the bundled font, page numbers; everything is drawn right-aligned, right to left."""

    def __init__(self, *, footer_text: str) -> None:
        super().__init__(format="A4", unit="mm")
        self.add_font(FONT, "", FONT_DIR / "NotoNaskhArabic-Regular.ttf")
        self.add_font(FONT, "B", FONT_DIR / "NotoNaskhArabic-Bold.ttf")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.c_margin = 0
        self.footer_text = footer_text
        self.set_creator("Marsad")

    def footer(self) -> None:
        self.set_y(-MARGIN + 6)
        self.set_font(FONT, "", 9)
        self.set_text_color(*MUTED)
        self.cell(0, 6, shaped(f"{self.footer_text} · {self.page_no()}"), align="C")

    def width_of(self, text: str) -> float:
        """get_string_width, remembered per font and size across documents (the bundled fonts
        never change): fpdf2 copies its font state on every call, which made measuring the words
        a third of a dossier's time."""
        key = (self.font_family, self.font_style, self.font_size_pt, text)
        if key not in _WIDTHS:
            if len(_WIDTHS) > MAX_CACHED_WIDTHS:
                _WIDTHS.clear()
            _WIDTHS[key] = self.get_string_width(text)
        return _WIDTHS[key]

    @property
    def text_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def _glyphs(self, word: Word) -> list[tuple[Word, str, float]]:
        """What to draw for a word, and its width. Latin words (names, URLs) are left as they are:
        they are drawn left to right anyway, and bidi would move a URL's trailing "/" to its start.
        A Latin word wider than a line (a long URL) is cut into pieces that fit."""
        if not word.latin:
            glyphs = shaped(word.text)
            return [(word, glyphs, self.width_of(glyphs))]
        pieces: list[tuple[Word, str, float]] = []
        text = word.text
        while text:
            cut = len(text)
            while cut > 1 and self.get_string_width(text[:cut]) > self.text_width:
                cut -= 1
            piece = dataclasses.replace(word, text=text[:cut])
            pieces.append((piece, piece.text, self.width_of(piece.text)))
            text = text[cut:]
        return pieces

    def _lines(self, words: list[Word]) -> list[list[tuple[Word, str, float]]]:
        """Greedy wrapping in logical order (the first words on the first line)."""
        space = self.width_of(" ")
        lines: list[list[tuple[Word, str, float]]] = [[]]
        used = 0.0
        for word, glyphs, width in (piece for w in words for piece in self._glyphs(w)):
            needed = width if not lines[-1] else used + space + width
            if lines[-1] and needed > self.text_width:
                lines.append([])
                needed = width
            lines[-1].append((word, glyphs, width))
            used = needed
        return [line for line in lines if line]

    def _draw_line(self, line: list[tuple[Word, str, float]], *, height: float) -> None:
        """Place one line right to left; Latin words keep their left-to-right order in a run."""
        space = self.width_of(" ")
        runs: list[list[tuple[Word, str, float]]] = []
        for item in line:
            if item[0].latin and runs and runs[-1][-1][0].latin:
                runs[-1].append(item)
            else:
                runs.append([item])
        if self.will_page_break(height):
            self.add_page()
        y = self.get_y()
        right = self.w - self.r_margin
        boxes: dict[int, tuple[float, float, str]] = {}  # id(word) -> x, width, glyphs
        for run in runs:
            run_width = sum(width for _w, _g, width in run) + space * (len(run) - 1)
            x = right - run_width
            for word, glyphs, width in run:
                boxes[id(word)] = (x, width, glyphs)
                x += width + space
            right -= run_width + space
        logical = [word for word, _g, _w in line]
        for word, following in zip(logical, [*logical[1:], None], strict=True):
            if word.fill:
                self._fill(word, following, boxes=boxes, y=y, height=height, space=space)
        # The boxes sit one space apart from left to right: one cell draws the whole line (a cell
        # per word was most of a dossier's time).
        placed = sorted(boxes.values())
        left = placed[0][0]
        self.set_xy(left, y)
        self.cell(placed[-1][0] + placed[-1][1] - left, height, " ".join(g for _x, _w, g in placed))
        self.set_xy(self.l_margin, y + height)

    def _fill(
        self,
        word: Word,
        following: Word | None,
        *,
        boxes: dict,
        y: float,
        height: float,
        space: float,
    ) -> None:
        """The word's background, continued over the space to the next word of the same mark."""
        x, width, _glyphs = boxes[id(word)]
        self.set_fill_color(*FILLS[word.fill])
        self.rect(x - 0.4, y + 0.8, width + 0.8, height - 1.6, style="F")
        if following is not None and following.span == word.span:
            next_x, next_width, _ = boxes[id(following)]
            # the next word lies to the left (Arabic) or to the right (a Latin run)
            gap_start, gap_end = min(x + width, next_x + next_width), max(x, next_x)
            if 0 < gap_end - gap_start <= space * 1.5:
                self.rect(gap_start, y + 0.8, gap_end - gap_start, height - 1.6, style="F")

    def paragraph(
        self,
        words: list[Word],
        *,
        size: float = BODY_SIZE,
        bold: bool = False,
        color: tuple[int, int, int] = INK,
        height: float = LINE_HEIGHT,
        after: float = 2.5,
    ) -> None:
        """A right-aligned, right-to-left paragraph, wrapped to the page."""
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*color)
        for line in self._lines(words):
            self._draw_line(line, height=height)
        self.ln(after)

    def text_paragraph(self, text: str, **style) -> None:
        self.paragraph(words_of(text), **style)

    def rule(self) -> None:
        self.set_draw_color(217, 212, 199)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)


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
    doc.text_paragraph(
        " · ".join(m for m in meta if m), size=10.5, color=MUTED, height=6.5, after=0
    )
    doc.text_paragraph(content.page_url, size=9, color=ACCENT, height=6, after=0)
    if article.url:
        doc.text_paragraph(article.url, size=9, color=MUTED, height=6, after=0)
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
    doc = Document(footer_text=f"مرصد · {content.page_url}")
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
    """A result set: a title page (query, filters, counts, the cap) then one article per page."""
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
            f"يضم هذا الملف أول {shown} مقالة فقط من {total} (الحد الأقصى {cap} مقالة في الملف)؛ "
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
    doc.text_paragraph(search_url, size=9, color=ACCENT, height=6)
    for content in articles:
        doc.add_page()
        _article_section(doc, content)
    return bytes(doc.output())
