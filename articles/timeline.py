"""Timelines drawn in the page: periods, the frame every chart shares, and the bar chart
(actors compared as lines: ``articles.timeline_compare``).

A histogram is a list of ``(period, count)`` in time order, a period being ``"YYYY"``,
``"YYYY-MM"`` or ``"YYYY-MM-DD"`` (the engine's ``SearchResult.histogram``). This module fills
the empty periods between the first and the last, and lays the chart out in viewBox units; the
template ``_timeline.html`` only prints the numbers.

Time runs the way the page reads: right to left in Arabic pages (the oldest period at the right,
where an Arabic reader starts), left to right in English ones.
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.utils.translation import get_language, ngettext

from articles.templatetags.marsad import format_day, format_month

INTERVALS = ("day", "month", "year")
MAX_DAY_SPAN = 62  # a range of up to about two months is drawn day by day
MAX_MONTH_SPAN_YEARS = 12  # past that, year by year

WIDTH = 800
HEIGHT = 230
MARGIN_TOP = 14
MARGIN_BOTTOM = 52  # tick labels
MARGIN_AXIS = 60  # count labels (four digits at phone size), on the side the page starts from
MARGIN_END = 10
MIN_BAR_HEIGHT = 3  # a period with one article still shows
MAJOR_TICKS = 6  # labels kept on a phone
MINOR_TICKS = 14  # labels on a wide screen
# Label font sizes in viewBox units, as static/css/marsad.css sets them (wide screen, phone),
# and a generous average glyph width: labels closer than that would print over each other.
WIDE_FONT = 12
PHONE_FONT = 26
GLYPH_EM = 0.62


# --- periods ----------------------------------------------------------------------------------


def interval_of(period: str) -> str:
    return {4: "year", 7: "month", 10: "day"}[len(period)]


def interval_for(*, first: datetime.date, last: datetime.date) -> str:
    """The interval a range of dates is drawn in: days up to two months, years past twelve."""
    if (last - first).days <= MAX_DAY_SPAN:
        return "day"
    if last.year - first.year >= MAX_MONTH_SPAN_YEARS:
        return "year"
    return "month"


def period_key(day: datetime.date, *, interval: str) -> str:
    return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[
        interval
    ]


def period_bounds(period: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a period."""
    parts = [int(p) for p in period.split("-")]
    if len(parts) == 3:
        day = datetime.date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        return (
            datetime.date(year, month, 1),
            datetime.date(year, month, calendar.monthrange(year, month)[1]),
        )
    return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)


def _next_period(period: str) -> str:
    _first, last = period_bounds(period)
    return period_key(last + datetime.timedelta(days=1), interval=interval_of(period))


def filled(histogram: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Every period from the first to the last with a count, the empty ones as 0."""
    counts = {period: count for period, count in histogram if count}
    if not counts:
        return []
    period, last = min(counts), max(counts)
    rows = []
    while period <= last:
        rows.append((period, counts.get(period, 0)))
        period = _next_period(period)
    return rows


def coarsened(histogram: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Months summed into years when they span MAX_MONTH_SPAN_YEARS or more (the engine draws
    an unbounded search by month), else the histogram as it is."""
    rows = [(p, c) for p, c in histogram if c]
    if not rows or interval_of(rows[0][0]) != "month":
        return list(histogram)
    if int(rows[-1][0][:4]) - int(rows[0][0][:4]) < MAX_MONTH_SPAN_YEARS:
        return list(histogram)
    years: dict[str, int] = {}
    for period, count in rows:
        years[period[:4]] = years.get(period[:4], 0) + count
    return sorted(years.items())


def period_label(period: str, *, language: str | None = None) -> str:
    """ "2024", "مارس 2024", "5 مارس 2024" (English month names in English pages)."""
    first, _last = period_bounds(period)
    interval = interval_of(period)
    if interval == "day":
        return format_day(first, language=language)
    if interval == "month":
        return format_month(year=first.year, month=first.month, language=language)
    return str(first.year)


def _tick_label(period: str, *, language: str | None, first_tick: bool) -> str:
    """Short axis labels: the year for years, for January and for the first month, the month
    name for the other months, day and month for days."""
    first, _last = period_bounds(period)
    interval = interval_of(period)
    if interval == "day":
        return format_day(first, language=language).rsplit(" ", 1)[0]
    if interval == "month" and first.month != 1 and not first_tick:
        return format_month(year=first.year, month=first.month, language=language).split(" ")[0]
    return str(first.year)


def is_rtl(language: str | None = None) -> bool:
    return not (language or get_language() or "ar").startswith("en")


def articles_label(count: int) -> str:
    return ngettext("%(counter)s article", "%(counter)s articles", count) % {"counter": count}


# --- geometry shared by both charts -----------------------------------------------------------


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    major: bool  # kept on a phone; the others are hidden by CSS on narrow screens
    anchor: str = "middle"  # the first label starts at the plot's edge, so it is never cut


@dataclass(frozen=True)
class CountTick:
    y: float
    label: str


@dataclass(frozen=True)
class Frame:
    """The plot area in viewBox units and the direction time runs."""

    periods: tuple[str, ...]
    rtl: bool
    top: int
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def left(self) -> int:
        return MARGIN_END if self.rtl else MARGIN_AXIS

    @property
    def right(self) -> int:
        return self.width - (MARGIN_AXIS if self.rtl else MARGIN_END)

    @property
    def baseline(self) -> int:
        return self.height - MARGIN_BOTTOM

    @property
    def slot(self) -> float:
        return (self.right - self.left) / max(len(self.periods), 1)

    @property
    def axis_x(self) -> float:
        """Where the count labels stand: beside the plot, on the side time starts from."""
        return self.right + 6 if self.rtl else self.left - 6

    def slot_start(self, index: int) -> float:
        """Left edge of period ``index``'s slot (the oldest at the right in RTL)."""
        position = len(self.periods) - 1 - index if self.rtl else index
        return self.left + position * self.slot

    def centre(self, index: int) -> float:
        return self.slot_start(index) + self.slot / 2

    def y(self, count: float) -> float:
        plot = self.baseline - MARGIN_TOP
        return self.baseline - plot * count / self.top if self.top else self.baseline

    def ticks(self, *, language: str | None) -> list[Tick]:
        ticks = [
            Tick(
                x=self.centre(i),
                label=_tick_label(p, language=language, first_tick=not k),
                major=major,
            )
            for k, (i, p, major) in enumerate(_tick_indexes(self.periods))
        ]
        if ticks:  # "start" follows the chart's direction: leftwards in RTL
            edge = self.slot_start(0) + (self.slot if self.rtl else 0)
            ticks[0] = Tick(x=edge, label=ticks[0].label, major=True, anchor="start")
        ticks = _apart(ticks, font=WIDE_FONT, rtl=self.rtl)
        shown_on_phone = {
            id(t) for t in _apart([t for t in ticks if t.major], font=PHONE_FONT, rtl=self.rtl)
        }
        return [t if id(t) in shown_on_phone else replace(t, major=False) for t in ticks]

    def count_ticks(self) -> list[CountTick]:
        values = sorted({0, math.ceil(self.top / 2), self.top}) if self.top else [0]
        return [CountTick(y=self.y(v), label=str(v)) for v in values]


def _extent(tick: Tick, *, font: int, rtl: bool) -> tuple[float, float]:
    """The stretch of x a tick's label covers, estimated from its length."""
    width = len(tick.label) * font * GLYPH_EM
    if tick.anchor == "middle":
        return tick.x - width / 2, tick.x + width / 2
    return (tick.x - width, tick.x) if rtl else (tick.x, tick.x + width)


def _apart(ticks: Sequence[Tick], *, font: int, rtl: bool) -> list[Tick]:
    """The ticks whose labels do not print over the previous one's (a gap of one glyph), in
    order. The edge tick gives way to the natural boundary that crowds it (a January beside a
    November start), any other tick to the one before it."""
    kept: list[Tick] = []
    for tick in ticks:
        if kept:
            a_low, a_high = _extent(kept[-1], font=font, rtl=rtl)
            b_low, b_high = _extent(tick, font=font, rtl=rtl)
            if min(a_high, b_high) + font * GLYPH_EM > max(a_low, b_low):
                if len(kept) == 1 and kept[0].anchor == "start":
                    kept[0] = tick
                continue
        kept.append(tick)
    return kept


def _tick_indexes(periods: Sequence[str]) -> list[tuple[int, str, bool]]:
    """Which periods get a label: natural boundaries (January, the 1st) first, then evenly
    spaced ones, at most MINOR_TICKS; at most MAJOR_TICKS of them are major."""
    n = len(periods)
    if not n:
        return []
    interval = interval_of(periods[0])
    if interval == "month" and n > MINOR_TICKS:
        chosen = [i for i, p in enumerate(periods) if p.endswith("-01") or i == 0]
    elif interval == "day" and n > MINOR_TICKS:
        chosen = [i for i, p in enumerate(periods) if p.endswith(("-01", "-08", "-15", "-22"))]
    else:
        chosen = list(range(n))
    chosen = chosen[:: math.ceil(len(chosen) / MINOR_TICKS)] if chosen else [0]
    major_step = math.ceil(len(chosen) / MAJOR_TICKS)
    return [(i, periods[i], k % major_step == 0) for k, i in enumerate(chosen)]


def round_top(value: int) -> int:
    """A round top for the count axis, at least ``value`` (1, 2, 5 × 10ⁿ, or even numbers)."""
    if value <= 2:
        return max(value, 1)
    magnitude = 10 ** int(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


def frame_for(*, periods: Sequence[str], largest: int, language: str | None) -> Frame:
    """The frame of a chart of ``periods`` whose largest count is ``largest``, time running the
    way ``language`` reads."""
    return Frame(periods=tuple(periods), rtl=is_rtl(language), top=round_top(largest))


@dataclass(frozen=True)
class Chart:
    """What every timeline draws: its frame, and the period and count ticks the frame gives."""

    frame: Frame
    language: str | None

    @property
    def ticks(self) -> list[Tick]:
        return self.frame.ticks(language=self.language)

    @property
    def count_ticks(self) -> list[CountTick]:
        return self.frame.count_ticks()


@dataclass(frozen=True)
class Counted:
    """A period's count as a chart names it (its hover title and accessible name)."""

    label: str
    count: int

    @property
    def title(self) -> str:
        return f"{self.label}: {articles_label(self.count)}"


# --- bars -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar(Counted):
    period: str
    date_from: datetime.date
    date_to: datetime.date
    slot_x: float
    slot_width: float
    x: float
    width: float
    y: float
    height: float
    url: str


@dataclass(frozen=True)
class BarChart(Chart):
    bars: list[Bar]
    range_url: str  # the page a dragged range opens (from/to set on it by timeline.js)
    total: int

    @property
    def interval(self) -> str:
        return interval_of(self.frame.periods[0])


def bar_chart(
    *,
    histogram: Sequence[tuple[str, int]],
    url_for: Callable[[datetime.date, datetime.date], str],
    range_url: str,
    language: str | None = None,
) -> BarChart | None:
    """The bars of ``histogram``; ``url_for(first, last)`` is where a click on a bar goes.
    None when nothing is dated."""
    rows = filled(coarsened(histogram))
    if not rows:
        return None
    language = language or get_language()  # read once, not once per bar
    frame = frame_for(
        periods=[p for p, _c in rows], largest=max(c for _p, c in rows), language=language
    )
    slot, baseline = frame.slot, frame.baseline
    gap = min(slot * 0.15, 4) if slot > 3 else 0
    bars = []
    for index, (period, count) in enumerate(rows):
        first, last = period_bounds(period)
        height = max(baseline - frame.y(count), MIN_BAR_HEIGHT) if count else 0
        slot_x = frame.slot_start(index)
        bars.append(
            Bar(
                period=period,
                label=period_label(period, language=language),
                count=count,
                date_from=first,
                date_to=last,
                slot_x=round(slot_x, 2),
                slot_width=round(slot, 2),
                x=round(slot_x + gap / 2, 2),
                width=round(slot - gap, 2),
                y=round(baseline - height, 2),
                height=round(height, 2),
                url=url_for(first, last),
            )
        )
    return BarChart(
        frame=frame,
        language=language,
        bars=bars,
        range_url=range_url,
        total=sum(c for _p, c in rows),
    )
