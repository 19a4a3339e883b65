"""Walking the normalized text around a hit: words before and after, spaces, apposition."""

from __future__ import annotations

import datetime
import re

from articles.arabic.normalize import normalize

from .records import Candidate
from .vocabulary import ARABIC_LETTERS, OFFICE_NOUNS

# Horizontal whitespace other than a plain space: without it, a run is two plain spaces.
_ODD_SPACE = re.compile(r"[^\S\n\r\u2028\u2029 ]")
# A run of horizontal whitespace other than one plain space (the runs collapse_spaces changes).
_HSPACE_RUN = re.compile(rf"[^\S\n\r\u2028\u2029]{{2,}}|{_ODD_SPACE.pattern}")


def key_form(text: str) -> str:
    """The matching form of a gazetteer string: normalized, single spaces."""
    return " ".join(normalize(text).split())


def collapse_spaces(text: str) -> tuple[str, list[int] | None]:
    """Turn runs of horizontal whitespace into one space, so "شي  جين" matches "شي جين".

    Returns the new string and, if anything changed, the map from its indices to ``text``'s
    (one entry per character plus the end). Newlines are kept: names don't run across lines.
    """
    # Hashtags join words with "_" (#فلاديمير_بوتين); matching reads it as a space (same length).
    text = text.replace("_", " ")
    if "  " not in text and _ODD_SPACE.search(text) is None:  # most texts: a quicker test
        return text, None
    runs = list(_HSPACE_RUN.finditer(text))
    pieces: list[str] = []
    index: list[int] = []
    done = 0
    for match in runs:
        start, end = match.span()
        pieces.append(text[done:start])
        index.extend(range(done, start))
        pieces.append(" ")
        index.append(start)
        done = end
    pieces.append(text[done:])
    index.extend(range(done, len(text) + 1))
    return "".join(pieces), index


def after_apposition(s: str, pos: int) -> int:
    """Where a name in apposition would start after ``pos``: spaces, one comma, a '#'."""
    while pos < len(s) and s[pos] == " ":
        pos += 1
    if pos < len(s) and s[pos] in "،,":
        pos += 1
        while pos < len(s) and s[pos] == " ":
            pos += 1
    if pos < len(s) and s[pos] == "#":  # "الرئيس الروسي، #فلاديمير_بوتين"
        pos += 1
    return pos


def next_word(s: str, pos: int) -> tuple[str, int] | None:
    """The Arabic word after ``pos`` across spaces and one hyphen («كيم جونغ-أون»)."""
    while pos < len(s) and s[pos] in " -":
        pos += 1
    end = pos
    while end < len(s) and s[end] in ARABIC_LETTERS:
        end += 1
    return (s[pos:end], end) if end > pos else None


def period_covers(
    period: tuple[datetime.date | None, datetime.date | None], day: datetime.date
) -> bool:
    start, end = period
    return (start is None or day >= start) and (end is None or day < end)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (short words only)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def word_before(s: str, index: int) -> tuple[str | None, int]:
    """The Arabic word ending just before ``index`` (spaces skipped, punctuation stops)."""
    end = index
    while end > 0 and s[end - 1] == " ":
        end -= 1
    start = end
    while start > 0 and s[start - 1] in ARABIC_LETTERS:
        start -= 1
    return (s[start:end], start) if start < end else (None, index)


def is_office_noun(word: str, *, definite: bool) -> bool:
    """``word`` (maybe with و/ف, and with ال if ``definite``) is one of :data:`OFFICE_NOUNS`."""
    forms = [word]
    if word[:1] in ("و", "ف"):
        forms.append(word[1:])
    for form in forms:
        if form in OFFICE_NOUNS:
            return True
        if definite and form.startswith("ال") and form[2:] in OFFICE_NOUNS:
            return True
    return False


def overlaps_any(cand: Candidate, blocks: list[tuple[int, int]]) -> bool:
    return any(start < cand.end and cand.start < end for start, end in blocks)
