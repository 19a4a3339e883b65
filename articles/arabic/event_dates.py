"""Dates written in news text, resolved against the article's publication day.

``find_event_dates(text, published=day)`` returns every date expression with its character
offsets and the days it names, ``first``..``last`` (one day, a week, a month or a year):

* days with a month name, Egyptian (مارس) or Levantine (آذار), alone or paired («حزيران/يونيو»,
  «يناير (كانون الثاني)»), with or without a year: «12 يونيو 2025», «15 من الشهر الجاري»;
  ordinal words: «التاسع من مايو», «الحادي والعشرين من الشهر الماضي»;
* ranges: «بين 20 و22 مارس», «من 30 مايو إلى 2 يونيو»;
* numeric dates: «12/6/2025», «2025-06-12»;
* a month or a year named: «في مارس», «مارس الماضي», «أيار 2024», «عام 2017»;
* relative words: «اليوم» (and «اليوم الجمعة»), «أمس», «أول أمس», «غدا», «بعد غد»,
  weekdays («الخميس», «يوم السبت المقبل», «الثلاثاء الماضي»), «الأسبوع المقبل»,
  «الشهر الماضي», «العام المقبل».

Rules of resolution (documented, so results are predictable):

* a day and month without a year takes the year that puts it nearest the publication day;
  «الماضي» after it means on or before, «المقبل»/«القادم» on or after, «الجاري»/«الحالي» the
  publication month;
* a bare weekday is the latest such day on or before publication, unless a future verb
  (سيزور، ستعقد …) or «سوف» stands just before it, or «المقبل»/«القادم» after it: then the next
  one on or after (strictly after with «المقبل»); «الماضي» is strictly before;
* a week is the ISO week, Monday to Sunday.

Digits may be Arabic-Indic (٠–٩, ۰–۹). Hijri dates are not read. Pure Python: no Django.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .event_date_patterns import (
    DAY_RANGE_RE,
    DIGITS,
    FULL_DATE_RE,
    FUTURE_VERB,
    INDIC_DIGIT,
    LAST,
    MONTH_ALONE_RE,
    MONTH_NUMBER,
    NEXT,
    NOT_A_DAY_BEFORE,
    NOT_FUTURE,
    NOT_TODAY,
    NOT_TODAY_BEFORE,
    NUMERIC_RE,
    ORDINAL_DAYS,
    PERIOD_RE,
    PERIOD_UNITS,
    RANGE_JOIN,
    RANGE_OPEN,
    RELATIVE_DAY,
    RELATIVE_DAY_RE,
    THIS,
    WEEKDAY_RE,
    WEEKDAYS,
    YEAR_ALONE_RE,
    YEAR_RANGE_RE,
)

# --- where to look: windows around cue words ----------------------------------------------------
# Running every pattern over a whole article cost 14 ms an article; dates are sparse, so the
# patterns run only around words that can be part of one (a month, weekday, relative or period
# word, an ordinal, a year), from a few words before to several after.

Windows = list[tuple[int, int]]
_WORD = re.compile(r"\w+")
_CUE_WORDS = frozenset(
    [
        *(name.split()[0] for name in MONTH_NUMBER),
        *WEEKDAYS,
        *(word.split()[-1] for word in RELATIVE_DAY),
        *(word.split()[0] for word in ORDINAL_DAYS),
        "الأسبوع", "الاسبوع", "الشهر", "شهر", "العام", "عام", "السنة", "سنة", "غد",
    ]
)  # fmt: skip
WORDS_BEFORE, WORDS_AFTER = 4, 8


@lru_cache(maxsize=1 << 16)
def _is_cue(word: str) -> bool:
    """A cue word, maybe behind one or two clitic letters (a loose test: windows only narrow).
    Cached: news repeats its words."""
    if word in _CUE_WORDS or word[1:] in _CUE_WORDS or word[2:] in _CUE_WORDS:
        return True
    if word[-1:].isdigit() and word.rstrip("0123456789") in _CUE_WORDS:  # «يناير2017»
        return True
    return len(word) == 4 and word.isdigit() and word[:2] in ("19", "20")


def _windows(text: str) -> Windows:
    """Disjoint [start, end) stretches of ``text`` around its cue words, on word boundaries."""
    words = list(_WORD.finditer(text))
    last = len(words) - 1
    windows: Windows = []
    for i, word in enumerate(words):
        if not _is_cue(word.group()):
            continue
        start = words[max(0, i - WORDS_BEFORE)].start()
        end = words[min(last, i + WORDS_AFTER)].end()
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _scan(pattern: re.Pattern, text: str, windows: Windows):
    for start, end in windows:
        yield from pattern.finditer(text, start, end)


@dataclass(frozen=True)
class DateMention:
    """A date expression: ``text[start:end]``, naming the days ``first``..``last``."""

    start: int
    end: int
    text: str
    first: datetime.date
    last: datetime.date


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _nearest_year(month: int, day: int, *, published: datetime.date, qual: str) -> datetime.date:
    """The day/month in the year that fits the qualifier, else the one nearest publication."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(datetime.date(year, month, day))
        except ValueError:
            continue
    if qual in LAST:
        candidates = [c for c in candidates if c <= published] or candidates
        return max(candidates)
    if qual in NEXT:
        candidates = [c for c in candidates if c >= published] or candidates
        return min(candidates)
    if qual in THIS:
        return next((c for c in candidates if c.year == published.year), candidates[0])
    return min(candidates, key=lambda c: (abs((c - published).days), c))


def _month_of(match: re.Match, *, published: datetime.date) -> tuple[int, int | None, str]:
    """(month, year or None, qualifier) of a month slot."""
    qual = match.group("qual") or ""
    if match.group("rel"):
        rel = match.group("rel").split()[-1]
        by = 1 if rel in NEXT else -1 if rel in LAST else 0
        year, month = _shift_month(published.year, published.month, by)
        return month, year, qual
    year = match.group("year")
    return MONTH_NUMBER[match.group("month")], int(year) if year else None, qual


def _day_of(match: re.Match) -> int:
    if match.group("ordinal"):
        return ORDINAL_DAYS[" ".join(match.group("ordinal").split())]
    return int(match.group("day"))


def _dated(month: int, day: int, year: int | None, *, published, qual) -> datetime.date | None:
    try:
        if year is not None:
            return datetime.date(year, month, day)
        return _nearest_year(month, day, published=published, qual=qual)
    except (ValueError, IndexError):
        return None


def _full_dates(text: str, published: datetime.date, windows: Windows):
    for match in _scan(FULL_DATE_RE, text, windows):
        month, year, qual = _month_of(match, published=published)
        day = _dated(month, _day_of(match), year, published=published, qual=qual)
        if day is not None:
            yield match.start("expr"), match.end("expr"), day, day


def _day_ranges(text: str, published: datetime.date, windows: Windows):
    for match in _scan(DAY_RANGE_RE, text, windows):
        month, year, qual = _month_of(match, published=published)
        last = _dated(month, int(match.group("day")), year, published=published, qual=qual)
        if last is None or not 1 <= int(match.group("first")) < last.day:
            continue
        yield (
            match.start("expr"),
            match.end("expr"),
            last.replace(day=int(match.group("first"))),
            last,
        )


def _numeric(text: str, published: datetime.date, windows: Windows):
    for match in _scan(NUMERIC_RE, text, windows):
        parts = (
            (match.group("year"), match.group("month"), match.group("day"))
            if match.group("year")
            else (match.group("iyear"), match.group("imonth"), match.group("iday"))
        )
        try:
            day = datetime.date(*map(int, parts))
        except ValueError:
            continue
        yield match.start("expr"), match.end("expr"), day, day


def _months(text: str, published: datetime.date, windows: Windows):
    for match in _scan(MONTH_ALONE_RE, text, windows):
        year, qual = match.group("year"), match.group("qual") or ""
        if not (match.group("cue") or year or qual):
            continue  # a bare مارس is as often the verb "practised"
        month = MONTH_NUMBER[match.group("month")]
        if year:
            y = int(year)
        else:  # «مارس الماضي» in March is last year's: compare with the month before or after
            by = -1 if qual in LAST else 1 if qual in NEXT else 0
            ref = datetime.date(*_shift_month(published.year, published.month, by), 1)
            y = _nearest_year(month, 1, published=ref, qual=qual).year
        yield (
            match.start("expr"),
            match.end("expr"),
            datetime.date(y, month, 1),
            _month_end(y, month),
        )


def _years(text: str, published: datetime.date, windows: Windows):
    for match in _scan(YEAR_ALONE_RE, text, windows):
        group = "expr" if match.group("expr") else "bare"
        year = int(match.group("year") or match.group("byear"))
        yield (
            match.start(group),
            match.end(group),
            datetime.date(year, 1, 1),
            datetime.date(year, 12, 31),
        )
    for match in _scan(YEAR_RANGE_RE, text, windows):
        first, last = int(match.group("first")), int(match.group("last"))
        if first < last:
            yield (
                match.start("expr"),
                match.end("expr"),
                datetime.date(first, 1, 1),
                datetime.date(last, 12, 31),
            )


def _nearest_weekday(day: datetime.date, weekday: int) -> datetime.date:
    """The date with ``weekday`` nearest ``day`` (a story dated after midnight UTC, or a day
    late, still says «اليوم السبت» of its own Saturday)."""
    back = (day.weekday() - weekday) % 7
    return day - datetime.timedelta(days=back) if back <= 3 else day + datetime.timedelta(7 - back)


def _relative_days(text: str, published: datetime.date, windows: Windows):
    for match in _scan(RELATIVE_DAY_RE, text, windows):
        word = " ".join(match.group("word").split())
        start = match.start("expr")
        if word == "اليوم" and (
            (not match.group("weekday") and NOT_TODAY.match(text, match.end()))
            or NOT_TODAY_BEFORE.search(text[max(0, start - 4) : start])
        ):
            continue
        day = published + datetime.timedelta(days=RELATIVE_DAY[word])
        if match.group("weekday"):
            day = _nearest_weekday(day, WEEKDAYS[match.group("weekday")])
        yield match.start("expr"), match.end("expr"), day, day


def _future_before(text: str, position: int) -> bool:
    """A future verb (سيزور، ستعقد) or سوف among the three words before ``position``."""
    words = text[max(0, position - 60) : position].split()[-3:]
    return any(
        (verb := FUTURE_VERB.fullmatch(w)) and verb.group("word") not in NOT_FUTURE for w in words
    )


def _weekdays(text: str, published: datetime.date, windows: Windows):
    for match in _scan(WEEKDAY_RE, text, windows):
        if NOT_A_DAY_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
            continue
        weekday = WEEKDAYS[match.group("weekday")]
        qual = match.group("qual") or ""
        back = (published.weekday() - weekday) % 7
        ahead = (weekday - published.weekday()) % 7
        if qual in NEXT:
            delta = ahead or 7
        elif qual in LAST:
            delta = -(back or 7)
        elif _future_before(text, match.start("expr")):
            delta = ahead
        else:
            delta = -back
        day = published + datetime.timedelta(days=delta)
        yield match.start("expr"), match.end("expr"), day, day


def _periods(text: str, published: datetime.date, windows: Windows):
    for match in _scan(PERIOD_RE, text, windows):
        qual = match.group("qual") or ""
        by = 1 if qual in NEXT else -1 if qual in LAST else 0
        unit = match.group("unit") or match.group("this") or match.group("thisf")
        if unit in ("الأسبوع", "الاسبوع"):
            monday = (
                published
                - datetime.timedelta(days=published.weekday())
                + datetime.timedelta(weeks=by)
            )
            first, last = monday, monday + datetime.timedelta(days=6)
        elif unit == "الشهر":
            year, month = _shift_month(published.year, published.month, by)
            first, last = datetime.date(year, month, 1), _month_end(year, month)
        else:
            year = published.year + by
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        yield match.start("expr"), match.end("expr"), first, last


# Finders in order of preference where spans tie; longer spans always win. Those marked True
# match only text with a digit, so they skip the windows without one (half of them); each
# pattern's match also holds one of the words listed beside it (a month name, a weekday …), so
# it skips the windows that hold none of them: it could find nothing there.
_MONTH_SLOT_WORDS = (*MONTH_NUMBER, "شهر")  # a month's name, or «الشهر الماضي», «هذا الشهر»
_FINDERS: tuple[tuple[Callable, bool, tuple[str, ...]], ...] = (
    (_day_ranges, True, _MONTH_SLOT_WORDS),
    (_full_dates, False, _MONTH_SLOT_WORDS),  # «التاسع من مايو»
    (_numeric, True, ()),
    (_months, False, tuple(MONTH_NUMBER)),
    (_years, True, ()),
    (_relative_days, False, tuple(RELATIVE_DAY)),
    (_periods, False, PERIOD_UNITS),
    (_weekdays, False, tuple(WEEKDAYS)),
)
_DIGIT = re.compile(r"\d")  # what the patterns' \d matches


def _holding(text: str, windows: Windows, words: tuple[str, ...]) -> Windows:
    """The windows in which one of ``words`` stands (all of them when none is asked for)."""
    if not words:
        return windows
    return [(s, e) for s, e in windows if any(map(text[s:e].__contains__, words))]


def _cross_month_ranges(text: str, found: list[DateMention]) -> list[DateMention]:
    """«من 30 مايو إلى 2 يونيو», «بين 1 و3 مارس 2024»: two days joined into one range."""
    merged: list[DateMention] = []
    for mention in found:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.first == previous.last
            and mention.first == mention.last
            and previous.last < mention.first
            and RANGE_JOIN.fullmatch(text[previous.end : mention.start])
            and RANGE_OPEN.search(text[max(0, previous.start - 6) : previous.start])
        ):
            start = RANGE_OPEN.search(text[max(0, previous.start - 6) : previous.start]).start()
            start += max(0, previous.start - 6)
            merged[-1] = DateMention(
                start=start,
                end=mention.end,
                text=text[start : mention.end],
                first=previous.first,
                last=mention.last,
            )
            continue
        merged.append(mention)
    return merged


def find_event_dates(text: str, *, published: datetime.date) -> list[DateMention]:
    """Every date expression of ``text`` in order, none overlapping, resolved against
    ``published``. Offsets index ``text`` itself (digit folding keeps lengths)."""
    folded = text.translate(DIGITS) if INDIC_DIGIT.search(text) else text
    windows = _windows(folded)
    with_digits = [(s, e) for s, e in windows if _DIGIT.search(folded, s, e)]
    candidates = []
    for rank, (finder, needs_digit, needs_word) in enumerate(_FINDERS):
        where = _holding(folded, with_digits if needs_digit else windows, needs_word)
        for start, end, first, last in finder(folded, published, where):
            candidates.append((-(end - start), rank, start, end, first, last))
    taken: list[tuple[int, int]] = []
    chosen = []
    for _length, _rank, start, end, first, last in sorted(candidates):
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        chosen.append(
            DateMention(start=start, end=end, text=text[start:end], first=first, last=last)
        )
    chosen.sort(key=lambda m: m.start)
    return _cross_month_ranges(text, chosen)
