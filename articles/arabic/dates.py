"""Arabic date parsing on top of dateparser.

dateparser knows the Egyptian/Gulf month names (يناير … ديسمبر) but not the Levantine ones
(كانون الثاني … كانون الأول), which Levantine and Iraqi outlets print, often with the Egyptian name
in brackets or after a slash: "28 شباط (فبراير) 2024", "18 سبتمبر/أيلول". We only rewrite those
names to ones dateparser knows; the parsing itself stays dateparser's.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

# Levantine month name (with common hamza-less spellings) -> the Egyptian name dateparser knows.
LEVANTINE_MONTHS: dict[str, str] = {
    "كانون الثاني": "يناير",
    "شباط": "فبراير",
    "آذار": "مارس",
    "اذار": "مارس",
    "نيسان": "أبريل",
    "أيار": "مايو",
    "ايار": "مايو",
    "حزيران": "يونيو",
    "تموز": "يوليو",
    "آب": "أغسطس",
    "أيلول": "سبتمبر",
    "ايلول": "سبتمبر",
    "تشرين الأول": "أكتوبر",
    "تشرين الاول": "أكتوبر",
    "تشرين الثاني": "نوفمبر",
    "كانون الأول": "ديسمبر",
    "كانون الاول": "ديسمبر",
}

# Egyptian month names with the spelling variants seen in news text.
EGYPTIAN_MONTHS: tuple[str, ...] = (
    "يناير", "فبراير", "مارس", "أبريل", "ابريل", "إبريل", "مايو", "يونيو", "يونية", "يوليو",
    "يوليه", "أغسطس", "اغسطس", "سبتمبر", "أكتوبر", "اكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip


def _alternation(names: Iterable[str]) -> str:
    """Regex alternation, longest name first so "كانون الأول" wins over a shorter prefix."""
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


# Any month name, Levantine or Egyptian, for finders that look for dates inside text lines.
MONTH_PATTERN = _alternation({*LEVANTINE_MONTHS, *EGYPTIAN_MONTHS})
_LEVANTINE_RE = re.compile(rf"(?<!\w)({_alternation(LEVANTINE_MONTHS)})(?!\w)")
_EGYPTIAN = _alternation(EGYPTIAN_MONTHS)
# "فبراير (فبراير)" or "سبتمبر/سبتمبر" once the Levantine half has been rewritten.
_DOUBLE_MONTH_RE = re.compile(rf"({_EGYPTIAN})\s*(?:\(\s*(?:{_EGYPTIAN})\s*\)|/\s*(?:{_EGYPTIAN}))")

# Absolute dates only: no "اليوم"/"أمس" (relative to the clock) and no bare numbers read as Unix
# timestamps, so the same text always gives the same date. STRICT_PARSING refuses dates that lack a
# day, month or year rather than filling them in from today.
DATEPARSER_SETTINGS: dict[str, Any] = {
    "PARSERS": ["absolute-time"],
    "STRICT_PARSING": True,
    "PREFER_DAY_OF_MONTH": "first",
    "DATE_ORDER": "DMY",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def to_dateparser_months(text: str) -> str:
    """Rewrite Levantine month names to Egyptian ones and collapse bracketed/slashed pairs."""
    rewritten = _LEVANTINE_RE.sub(lambda match: LEVANTINE_MONTHS[match.group(1)], text)
    return _DOUBLE_MONTH_RE.sub(r"\1", rewritten)


@cache
def _dateparser() -> Any:
    """Import dateparser on first use: it is slow to import and most callers never need it."""
    import dateparser

    return dateparser


def parse_arabic_date(text: str) -> datetime.date | None:
    """Parse one date written in Arabic or English; None when it is not a complete absolute date."""
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    parsed = _dateparser().parse(
        to_dateparser_months(text), languages=["ar", "en"], settings=DATEPARSER_SETTINGS
    )
    return parsed.date() if parsed else None
