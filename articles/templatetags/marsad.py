"""Template helpers: dates in Arabic inside <time datetime>, Arabic-Indic-free numbers."""

import datetime

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_bidi

register = template.Library()

# One choice, used everywhere: the month names used in Egypt and the Gulf, Western digits.
ARABIC_MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_day(value: datetime.date, *, language: str | None = None) -> str:
    """ "18 سبتمبر 2023" in Arabic, "18 September 2023" in English."""
    months = (
        ENGLISH_MONTHS if (language or get_language() or "ar").startswith("en") else ARABIC_MONTHS
    )
    return f"{value.day} {months[value.month - 1]} {value.year}"


def format_month(*, year: int, month: int, language: str | None = None) -> str:
    months = (
        ENGLISH_MONTHS if (language or get_language() or "ar").startswith("en") else ARABIC_MONTHS
    )
    return f"{months[month - 1]} {year}"


def _time(machine: str, people: str):
    """<time> in the interface's language and direction, isolated from the text around it: an
    English "8 May 2025" inside an Arabic article would otherwise read "May 2025 8"."""
    return format_html(
        '<time datetime="{}" lang="{}" dir="{}">{}</time>',
        machine,
        get_language() or "ar",
        "rtl" if get_language_bidi() else "ltr",
        people,
    )


@register.filter
def time_tag(value: datetime.date | None):
    """The date for people, with its ISO form for machines: <time datetime="2023-09-18">."""
    if not value:
        return ""
    return _time(value.isoformat(), format_day(value))


@register.filter
def month_tag(value: datetime.date | None):
    """A month for people ("سبتمبر 2023"), with its ISO form for machines: <time datetime="2023-09">."""
    if not value:
        return ""
    return _time(
        f"{value.year:04d}-{value.month:02d}", format_month(year=value.year, month=value.month)
    )


@register.simple_tag
def timeline_slots(chart):
    """The timeline's slot rectangles, one per period (the drag targets of timeline.js): written
    here rather than by the template, whose ~850 lookups per chart cost a search page ~10 ms.
    Every value is a number or an ISO date: nothing to escape."""
    baseline = chart.frame.baseline
    return mark_safe(  # noqa: S308 - numbers and ISO dates only
        "".join(
            f'<rect class="slot" x="{bar.slot_x}" y="0" width="{bar.slot_width}" '
            f'height="{baseline}" data-from="{bar.date_from.isoformat()}" '
            f'data-to="{bar.date_to.isoformat()}"/>'
            for bar in chart.bars
        )
    )


@register.simple_tag
def timeline_bars(chart):
    """The timeline's bars with a count, each a link narrowing to its period (its URL, period
    and title escaped; the rest are numbers)."""
    baseline = chart.frame.baseline
    return mark_safe(  # noqa: S308 - the text parts are escaped
        "".join(
            f'\n      <a class="bar-link" href="{escape(bar.url)}" data-period="{escape(bar.period)}"'
            f' data-count="{bar.count}" aria-label="{escape(bar.title)}">'
            f"<title>{escape(bar.title)}</title>"
            f'<rect class="hit-area" x="{bar.slot_x}" y="0" width="{bar.slot_width}" '
            f'height="{baseline}"/><rect class="bar" x="{bar.x}" y="{bar.y}" '
            f'width="{bar.width}" height="{bar.height}"/></a>'
            for bar in chart.bars
            if bar.count
        )
    )
