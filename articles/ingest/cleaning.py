"""Line filters that strip page furniture from news text copied out of web pages.

Each stage takes the page as a list of stripped lines ("" marks a blank line) and returns a new
list, so every stage can be tested alone and the order is explicit in `BOILERPLATE_STAGES`.
Photo captions are handled separately (`caption_indices`) because the headline finder needs to
know where they were: a caption sits directly under the headline.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from articles.arabic import normalize, normalize_with_offsets
from articles.arabic.dates import MONTH_PATTERN, parse_arabic_date
from articles.ingest.signatures import SECTION_LABELS

Lines = list[str]
LineFilter = Callable[[Lines], Lines]

_ALSO = r"أيض(?:اً|ًا|ا)"  # "أيضاً" with the tanween before or after the alef, or without it
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ODD_SPACE_RE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")  # not a plain space
_INVISIBLE_RE = re.compile(r"[\ufeff\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Lines after which nothing belongs to the article: comment sections, and the keyword line of
# aggregator pages (003/004), after which such pages append a different story ("إقرأ أيضاً:").
FOOTER_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"^التعليقات$"),
    re.compile(r"^كلمات دلالية\s*:"),
)
MASTHEAD_ROLE_RE = re.compile(
    r"^رئيس (?:مجلس[يى]? الإدارة(?: والتحرير)?|التحرير)(?P<name>(?:\s+\S+){0,4})$"
)
MAX_NAME_WORDS = 4
PROMO_BOX_START_RE = re.compile(r"^تخطى (?P<box>.+?) وواصل القراءة$")
SOCIAL_NETWORK_RE = re.compile(r"تويتر|فيسبوك|فيس بوك|تلغرام|تيليجرام|واتساب|يوتيوب")
FOLLOW_CALL_RE = re.compile(r"مستخدمي|متابعة|تابعونا|تابعوا|اشترك|للاشتراك")
CLICK_HERE_RE = re.compile(r"^[إا]ضغط هنا")
MAX_PROMO_WORDS = 15
MAX_HEADLINE_WORDS = 25
READ_ALSO_TEASER_RE = re.compile(rf"^[إا]قرأ {_ALSO}\s*:?$")
# The teaser on the same line: "إقرأ أيضا: لقاء بين مسؤولين…", "قد يهمك: …" (CNN Arabic).
INLINE_TEASER_RE = re.compile(rf"^(?:[إا]قرأ {_ALSO}|قد يهمك)\s*:\s*\S")
SOURCE_LINE_RE = re.compile(r"^(?:إعلان\s*)?المصدر\s*[:|]")
# Date labels, matched on the search-normalized line (so "نُشر في" with its damma, or with a
# tatweel, is the same label): "تاريخ النشر", "نشر بتاريخ" name a date whatever follows them; the
# shorter ones only with a colon or when what follows reads as a date ("تاريخ طويل من …" is prose).
DATE_LABEL_RE = re.compile(
    r"^(?:(?P<strong>تاريخ النشر|نشر بتاريخ)|التاريخ|تاريخ|بتاريخ|نشر في)(?!\w)\s*(?P<colon>:)?\s*"
)
MAX_DATE_LINE_WORDS = 8
# A line's label is in the normalized form of its first characters (normalizing is character by
# character); past that many normalized characters, the longest label would have been seen.
_LABEL_HEAD_CHARS = 40
_LONGEST_LABEL = len("تاريخ النشر")
PHOTO_CREDIT_RE = re.compile(r"^(?:صدر|مصدر) الصورة\s*[،,:]")
CAPTION_LABEL_RE = re.compile(r"^التعليق على الصورة\s*[،,:]?\s*(?P<inline>.*)$")
MAX_CAPTION_WORDS = 12
# Wire-photo captions end with the date the photo was taken: "… في موسكو بتاريخ 28 شباط (فبراير) 2024".
WIRE_CAPTION_RE = re.compile(
    rf"\S+(?:\s+\S+){{3,}}\s\d{{1,2}}\s+(?:{MONTH_PATTERN})"
    rf"(?:\s*\(\s*(?:{MONTH_PATTERN})\s*\)|\s*/\s*(?:{MONTH_PATTERN}))?\s+\d{{4}}$"
)
SENTENCE_END = (".", ":", "!", "،", ",", "؛", ";")


def split_lines(text: str) -> Lines:
    """Normalize newlines and spaces (NBSP, bidi marks) and strip each line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE_RE.sub("", text)
    # A run of spaces never holds a newline, so the whole text is one pass (when it has a run
    # that is more than one plain space)
    if "  " in text or _ODD_SPACE_RE.search(text):
        text = _SPACES_RE.sub(" ", text)
    return [line.strip() for line in text.split("\n")]


def word_count(line: str) -> int:
    return len(line.split())


def is_sentence(line: str) -> bool:
    """A line ending like a sentence or a label, which headlines and captions do not."""
    return line.endswith(SENTENCE_END)


def is_headline_like(line: str) -> bool:
    """Short and unpunctuated at the end: headlines, kickers, teasers, subheadings."""
    return bool(line) and word_count(line) <= MAX_HEADLINE_WORDS and not is_sentence(line)


def next_nonblank(lines: Sequence[str], start: int) -> int | None:
    return next((i for i in range(start, len(lines)) if lines[i]), None)


def cut_at_footer(lines: Lines) -> Lines:
    """Drop everything from the first footer line on (comments, keywords, a second story)."""
    for index, line in enumerate(lines):
        if any(pattern.match(line) for pattern in FOOTER_RES):
            return lines[:index]
    return lines


def drop_mastheads(lines: Lines) -> Lines:
    """Drop "رئيس مجلس الإدارة والتحرير" lines and the editor's name on the line below."""
    kept: Lines = []
    skip_name = False
    for line in lines:
        if skip_name and line:
            skip_name = False
            if word_count(line) <= MAX_NAME_WORDS and not is_sentence(line):
                continue
        match = MASTHEAD_ROLE_RE.match(line)
        if match:
            skip_name = not match.group("name").strip()
            continue
        kept.append(line)
    return kept


def drop_leading_section_labels(lines: Lines) -> Lines:
    """Drop section labels ("أخبار") printed above the headline."""
    start = 0
    while start < len(lines) and (not lines[start] or lines[start] in SECTION_LABELS):
        start += 1
    return lines[start:]


def drop_promo_boxes(lines: Lines) -> Lines:
    """Drop "تخطى X وواصل القراءة … X نهاية" boxes (suggested stories, podcasts)."""
    kept: Lines = []
    index = 0
    while index < len(lines):
        match = PROMO_BOX_START_RE.match(lines[index])
        if match:
            end = f"{match.group('box')} نهاية"
            closing = next((i for i in range(index + 1, len(lines)) if lines[i] == end), index)
            index = closing + 1
            continue
        kept.append(lines[index])
        index += 1
    return kept


def is_promo_line(line: str) -> bool:
    """Follow-us-on-social-media and click-to-subscribe lines."""
    if CLICK_HERE_RE.match(line):
        return True
    return (
        word_count(line) <= MAX_PROMO_WORDS
        and not line.endswith(".")
        and bool(SOCIAL_NETWORK_RE.search(line))
        and bool(FOLLOW_CALL_RE.search(line))
    )


def drop_promo_lines(lines: Lines) -> Lines:
    return [line for line in lines if not is_promo_line(line)]


def drop_read_also_teasers(lines: Lines) -> Lines:
    """Drop "اقرأ أيضاً" boxes: the label and the teaser headlines under it (links elsewhere).

    The box ends at the first line that is a sentence; teasers on the label's own line
    ("إقرأ أيضا: عنوان") go with it.
    """
    kept: Lines = []
    in_box = False
    for line in lines:
        if INLINE_TEASER_RE.match(line):
            continue
        if READ_ALSO_TEASER_RE.match(line):
            in_box = True
            continue
        if in_box and (not line or is_headline_like(line)):
            continue
        in_box = False
        kept.append(line)
    return kept


def drop_source_lines(lines: Lines) -> Lines:
    """Drop "المصدر: …" attribution lines (metadata reads them first)."""
    return [line for line in lines if not SOURCE_LINE_RE.match(line)]


def date_line_value(line: str) -> str | None:
    """The date as printed on a labelled date line ("التاريخ: 12 يونيو 2025" → "12 يونيو 2025"),
    or None when the line is not one. A labelled value that does not parse is still returned
    (the draft warns about it) when the label leaves no doubt: "تاريخ النشر" or a colon."""
    head = normalize(line[:_LABEL_HEAD_CHARS])  # most lines: no label, and the rest unread
    if (len(line) <= _LABEL_HEAD_CHARS or len(head) >= _LONGEST_LABEL) and not DATE_LABEL_RE.match(
        head
    ):
        return None
    folded = normalize_with_offsets(line)
    label = DATE_LABEL_RE.match(folded.text)
    if not label:
        return None
    value = line[folded.original_span(0, label.end())[1] :].strip()
    if not value or word_count(value) > MAX_DATE_LINE_WORDS or value.endswith("."):
        return None
    if label.group("strong") or label.group("colon") or parse_arabic_date(value):
        return value
    return None


def is_bare_date_line(line: str) -> bool:
    """A line that is only a date ("12 يونيو 2025", "الخميس، 12/06/2025 - 10:30"), as pages print
    under the headline."""
    return (
        bool(line)
        and word_count(line) <= MAX_DATE_LINE_WORDS
        and any(char.isdigit() for char in line)
        and not is_sentence(line)
        and parse_arabic_date(line) is not None
    )


def drop_publication_date_lines(lines: Lines) -> Lines:
    """Drop labelled date lines (metadata reads them first)."""
    return [line for line in lines if date_line_value(line) is None]


BOILERPLATE_STAGES: tuple[LineFilter, ...] = (
    cut_at_footer,
    drop_mastheads,
    drop_leading_section_labels,
    drop_promo_boxes,
    drop_promo_lines,
    drop_read_also_teasers,
    drop_source_lines,
    drop_publication_date_lines,
)


def remove_boilerplate(lines: Lines) -> Lines:
    for stage in BOILERPLATE_STAGES:
        lines = stage(lines)
    return lines


def caption_indices(lines: Sequence[str]) -> set[int]:
    """Indices of photo credits and captions.

    Recognized: BBC-style "صدر الصورة، X" credits and "التعليق على الصورة،" labels with the caption
    on the next line; a short line repeated on the next line (pages print the caption twice);
    wire-photo captions that end with the date the photo was taken.
    """
    found: set[int] = set()
    for index, line in enumerate(lines):
        if not line:
            continue
        if PHOTO_CREDIT_RE.match(line):
            found.add(index)
        elif label := CAPTION_LABEL_RE.match(line):
            found.add(index)
            caption = None if label.group("inline") else next_nonblank(lines, index + 1)
            if caption is not None:
                found.add(caption)
        elif is_sentence(line):
            continue
        elif index + 1 < len(lines) and lines[index + 1] == line:
            if word_count(line) <= MAX_CAPTION_WORDS:
                found.update({index, index + 1})
        elif WIRE_CAPTION_RE.fullmatch(line):
            found.add(index)
    return found


def drop_captions(lines: Lines) -> Lines:
    captions = caption_indices(lines)
    return [line for index, line in enumerate(lines) if index not in captions]


def join_paragraphs(lines: Sequence[str]) -> str:
    """Each non-blank line is one paragraph; paragraphs are separated by a blank line."""
    return "\n\n".join(line for line in lines if line)
