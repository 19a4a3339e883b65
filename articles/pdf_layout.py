"""The PDF page layout of Arabic text, in the bundled Noto Naskh Arabic (articles.pdf lays out
articles and dossiers with it).

The PDF carries real Unicode text: fpdf2 shapes every run with HarfBuzz (uharfbuzz) and orders a
line with its Unicode bidi algorithm, so letters join, lines read right to left, and a reader or
``pdftotext`` gets «بوتين», not presentation forms. The layout is ours:

1. words are measured (shaped) and wrapped into lines in LOGICAL order;
2. a line is drawn as one cell of its logical text, right to left (fpdf2 reorders it);
3. each word's place on the line comes from the same bidi algorithm (fpdf2's ``BidiParagraph``),
   so the words of a mention or a hit get their coloured background exactly where they land;
4. addresses are drawn left to right piece by piece, so an Arabic slug keeps its place in the URL.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import uharfbuzz as hb
from django.conf import settings
from fpdf import FPDF
from fpdf.bidi import BidiParagraph
from fpdf.enums import TextDirection
from fpdf.fonts import TTFFont

from articles.highlight import EntitySpan, HitSpan
from articles.spans import SpanLookup

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONT = "naskh"
FONT_FILES = {"": "NotoNaskhArabic-Regular.ttf", "B": "NotoNaskhArabic-Bold.ttf"}
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
BODY_SIZE = 12.5
LINE_HEIGHT = 8.2  # mm: Arabic needs room above and below the letters
MARGIN = 20

_WORD = re.compile(r"\S+")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
# An address wraps at its separators, and an Arabic word in it is a piece of its own.
_URL_TOKEN = re.compile(r"[/?&#=\-_.:~+%]+|[^/?&#=\-_.:~+%]+")


class SkeletonFirstFont(TTFFont):
    """The bundled font with each letter's text on the glyph that carries it.

    Noto Naskh draws a dotted letter as a dotless skeleton plus dot marks, and HarfBuzz lists the
    zero-width dots first in a right-to-left cluster; fpdf2 gives a cluster's text to its first
    glyph, so the letter's text sat on a dot above or below the line and ``pdftotext`` read
    «بو ت ي» and a lone «ن». Here the advancing glyph comes first (the marks keep their drawn
    place: their offset is moved back by the skeleton's advance).
    """

    MAX_REMEMBERED = 64

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.remembered: dict[tuple, tuple[list, list]] = {}

    def perform_harfbuzz_shaping(self, text, font_size_pt, text_shaping_params):
        """HarfBuzz's glyphs, skeleton first. fpdf2 shapes each run of a line three times (twice
        to measure it, once to draw it), so the last runs' glyphs are remembered."""
        params = text_shaping_params or {}
        key = (text, font_size_pt, params.get("fragment_direction"), params.get("script"))
        if key not in self.remembered:
            if len(self.remembered) >= self.MAX_REMEMBERED:
                self.remembered.clear()
            self.remembered[key] = self._skeleton_first(text, font_size_pt, text_shaping_params)
        return self.remembered[key]

    def _skeleton_first(self, text, font_size_pt, text_shaping_params):
        infos, positions = super().perform_harfbuzz_shaping(text, font_size_pt, text_shaping_params)
        infos, positions = list(infos), list(positions)
        count, start = len(infos), 0
        while start < count:
            cluster, base = infos[start].cluster, start
            while (
                base < count and positions[base].x_advance == 0 and infos[base].cluster == cluster
            ):
                base += 1
            if start < base < count and infos[base].cluster == cluster:
                advance = positions[base].x_advance
                marks = [
                    _MovedMark(p.x_advance, p.y_advance, p.x_offset - advance, p.y_offset)
                    for p in positions[start:base]
                ]
                infos[start : base + 1] = [infos[base], *infos[start:base]]
                positions[start : base + 1] = [positions[base], *marks]
            start = base + 1
        return infos, positions


class _MovedMark(NamedTuple):
    """A mark's HarfBuzz position, moved to follow its base glyph."""

    x_advance: int
    y_advance: int
    x_offset: int
    y_offset: int


@dataclass(frozen=True)
class Word:
    """A word of the logical text, with its background (a mention's kind or "hit") if any."""

    text: str
    fill: str | None = None
    span: int | None = None  # the mention or hit it belongs to: one background across spaces


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


def visual_order(words: Sequence[str]) -> list[int]:
    """The indexes of `words` (one line, joined by spaces) from left to right as the Unicode bidi
    algorithm places them in a right-to-left paragraph: the order fpdf2 draws them in."""
    owners: list[int | None] = []
    for number, word in enumerate(words):
        owners += [number] * len(word) + [None]
    paragraph = BidiParagraph(text=" ".join(words), base_direction=TextDirection.RTL)
    order: list[int] = []
    for character in paragraph.get_reordered_characters():
        owner = owners[character.character_index]
        if owner is not None and owner not in order:
            order.append(owner)
    return order


def _is_arabic(word: Word) -> bool:
    return _ARABIC.search(word.text) is not None


_WIDTHS: dict[tuple[str, str, float, str], float] = {}
MAX_CACHED_WIDTHS = 200_000


class Document(FPDF):
    """A4, the bundled font shaped by HarfBuzz, page numbers; drawn right-aligned, right to left."""

    def __init__(self, *, footer_text: str) -> None:
        super().__init__(format="A4", unit="mm")
        for style, filename in FONT_FILES.items():
            key = FONT + style
            self.fonts[key] = SkeletonFirstFont(self, FONT_DIR / filename, key, style)
        self.set_text_shaping(use_shaping_engine=True, direction="rtl")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.c_margin = 0
        self.footer_text = footer_text
        self.set_creator("Marsad")

    def footer(self) -> None:
        self.set_y(-MARGIN + 6)
        self.set_font(FONT, "", 9)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}", align="C")

    def width_of(self, text: str) -> float:
        """The width of `text` (a word, a space) as HarfBuzz shapes it, summed as fpdf2 sums it,
        remembered per font and size across documents (the bundled fonts never change). Shaped
        here directly: through get_string_width every word also went through fpdf2's bidi
        algorithm, and measuring was a third of a dossier's time."""
        key = (self.font_family, self.font_style, self.font_size_pt, text)
        if key not in _WIDTHS:
            if len(_WIDTHS) > MAX_CACHED_WIDTHS:
                _WIDTHS.clear()
            font = self.current_font
            buffer = hb.Buffer()
            buffer.add_str(text)
            buffer.guess_segment_properties()
            hb.shape(font.hbfont, buffer, {})
            units = sum(round(font.scale * p.x_advance + 0.001) for p in buffer.glyph_positions)
            _WIDTHS[key] = units * self.font_size_pt * 0.001 / self.k
        return _WIDTHS[key]

    @property
    def text_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def _fitting(self, word: Word) -> list[tuple[Word, float]]:
        """A word and its width; a word wider than a line (a long address) is cut into pieces."""
        pieces: list[tuple[Word, float]] = []
        text = word.text
        while text:
            cut = len(text)
            while cut > 1 and self.width_of(text[:cut]) > self.text_width:
                cut -= 1
            piece = Word(text[:cut], fill=word.fill, span=word.span)
            pieces.append((piece, self.width_of(piece.text)))
            text = text[cut:]
        return pieces

    def _lines(self, words: list[Word]) -> list[list[tuple[Word, float]]]:
        """Greedy wrapping in logical order (the first words on the first line)."""
        space = self.width_of(" ")
        lines: list[list[tuple[Word, float]]] = [[]]
        used = 0.0
        for word, width in (piece for w in words for piece in self._fitting(w)):
            needed = width if not lines[-1] else used + space + width
            if lines[-1] and needed > self.text_width:
                lines.append([])
                needed = width
            lines[-1].append((word, width))
            used = needed
        return [line for line in lines if line]

    def _new_line(self, height: float) -> float:
        if self.will_page_break(height):
            self.add_page()
        return self.get_y()

    def _draw_line(self, line: list[tuple[Word, float]], *, height: float) -> None:
        """One line as one right-aligned cell of its logical text (fpdf2 shapes and orders it),
        over the backgrounds of its marked words."""
        y = self._new_line(height)
        if any(word.fill for word, _width in line):
            self._fills(line, y=y, height=height)
        self.set_xy(self.l_margin, y)
        self.cell(self.text_width, height, " ".join(word.text for word, _w in line), align="R")
        self.set_xy(self.l_margin, y + height)

    def _fills(self, line: list[tuple[Word, float]], *, y: float, height: float) -> None:
        """Each marked word's background where bidi puts it, continued over the space to the
        next word of the same mention or hit."""
        space = self.width_of(" ")
        total = sum(width for _word, width in line) + space * (len(line) - 1)
        x = self.w - self.r_margin - total
        boxes: dict[int, tuple[float, float]] = {}
        for number in visual_order([word.text for word, _width in line]):
            boxes[number] = (x, line[number][1])
            x += line[number][1] + space
        for number, (word, _width) in enumerate(line):
            if not word.fill:
                continue
            x, width = boxes[number]
            self.set_fill_color(*FILLS[word.fill])
            self.rect(x - 0.4, y + 0.8, width + 0.8, height - 1.6, style="F")
            following = line[number + 1][0] if number + 1 < len(line) else None
            if following is not None and following.span == word.span:
                next_x, next_width = boxes[number + 1]
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

    def items(self, items: Sequence[str], *, size: float, color: tuple[int, int, int]) -> None:
        """Short items (an outlet, a date) on one line from right to left, "·" between them, each
        drawn apart so none is reordered into another: "RT Arabic · 12 يونيو 2025" would
        otherwise read as one left-to-right run "RT Arabic · 12" before the month."""
        self.set_font(FONT, "", size)
        self.set_text_color(*color)
        height = size * 0.62
        y = self._new_line(height)
        x = self.w - self.r_margin
        for number, item in enumerate(items):
            for text in (item,) if number == 0 else (" · ", item):
                width = self.width_of(text)
                x -= width
                self.set_xy(x, y)
                self.cell(width, height, text)
        self.set_xy(self.l_margin, y + height)

    def address(self, url: str, *, size: float, color: tuple[int, int, int]) -> None:
        """A web address, left to right like a browser's address bar, right-aligned and wrapped at
        its separators. Its Arabic words are drawn apart, each between the separators around it,
        so an Arabic slug keeps its place (the bidi algorithm would move a run of them around)."""
        self.set_font(FONT, "", size)
        self.set_text_color(*color)
        height = size * 0.65
        pieces = [
            piece for token in _URL_TOKEN.findall(url) for piece in self._fitting(Word(token))
        ]
        lines: list[list[tuple[Word, float]]] = [[]]
        for piece, width in pieces:
            if lines[-1] and sum(w for _p, w in lines[-1]) + width > self.text_width:
                lines.append([])
            lines[-1].append((piece, width))
        self.set_text_shaping(use_shaping_engine=True, direction="ltr")
        for line in lines:
            y = self._new_line(height)
            x = self.w - self.r_margin - sum(width for _piece, width in line)
            for arabic, group in itertools.groupby(line, key=lambda item: _is_arabic(item[0])):
                run = list(group)
                cells = [[item] for item in run] if arabic else [run]
                for cell in cells:
                    width = sum(w for _p, w in cell)
                    self.set_xy(x, y)
                    self.cell(width, height, "".join(piece.text for piece, _w in cell))
                    x += width
            self.set_xy(self.l_margin, y + height)
        self.set_text_shaping(use_shaping_engine=True, direction="rtl")

    def rule(self) -> None:
        self.set_draw_color(217, 212, 199)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)
