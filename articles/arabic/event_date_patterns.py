"""The words and patterns of the dates news text writes (``event_dates`` reads them): month
names in both spellings, weekdays, ordinal days, relative words, and one compiled pattern per
kind of date expression, plus the words around a date that make it something else."""

from __future__ import annotations

import re

from .dates import LEVANTINE_MONTHS

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
INDIC_DIGIT = re.compile("[٠-٩۰-۹]")

# Each Egyptian spelling (those of dates.EGYPTIAN_MONTHS) by month number; Levantine names map
# onto them (dates.LEVANTINE_MONTHS).
_EGYPTIAN_NUMBER = {
    name: number
    for number, names in enumerate(
        (
            ("يناير",),
            ("فبراير",),
            ("مارس",),
            ("أبريل", "ابريل", "إبريل"),
            ("مايو",),
            ("يونيو", "يونية"),
            ("يوليو", "يوليه"),
            ("أغسطس", "اغسطس"),
            ("سبتمبر",),
            ("أكتوبر", "اكتوبر"),
            ("نوفمبر",),
            ("ديسمبر",),
        ),
        start=1,
    )
    for name in names
}
MONTH_NUMBER = _EGYPTIAN_NUMBER | {
    name: _EGYPTIAN_NUMBER[egyptian] for name, egyptian in LEVANTINE_MONTHS.items()
}

WEEKDAYS = {
    "الاثنين": 0, "الإثنين": 0, "الأثنين": 0,
    "الثلاثاء": 1,
    "الأربعاء": 2, "الاربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4, "الجمعه": 4,
    "السبت": 5,
    "الأحد": 6, "الاحد": 6,
}  # fmt: skip

_UNITS = ("الحادي", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع")
_FIRST = {"الأول": 1, "الاول": 1}
ORDINAL_DAYS: dict[str, int] = {
    **_FIRST,
    **{word: n for n, word in enumerate(_UNITS, start=1) if n > 1},
    "العاشر": 10,
    **{f"{word} عشر": 10 + n for n, word in enumerate(_UNITS, start=1)},
    "العشرين": 20,
    **{f"{word} والعشرين": 20 + n for n, word in enumerate(_UNITS, start=1)},
    "الثلاثين": 30,
    "الحادي والثلاثين": 31,
}

NEXT = ("المقبل", "المقبلة", "القادم", "القادمة")
LAST = ("الماضي", "الماضية", "المنصرم", "المنصرمة", "الفائت", "الفائتة")
THIS = ("الجاري", "الجارية", "الحالي", "الحالية")


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# A word start (a conjunction or preposition may be attached), or digits right after letters
# («منذ19», «و15»).
_B = r"(?:(?<!\w)(?:[وفبل]|ول|وب|فب)?|(?<=[^\W\d])(?=\d))"
_E = r"(?!\w)"
_MONTH = _alt(MONTH_NUMBER)
# A month slot: a name, maybe paired with its other name, or "the current/last/next month".
_MONTH_SLOT = (
    rf"(?P<{{p}}month>{_MONTH})(?:\s*/\s*(?:{_MONTH})|\s*\(\s*(?:{_MONTH})\s*\))?"
    rf"|(?P<{{p}}rel>(?:الشهر|شهر)\s+(?:{_alt(NEXT + LAST + THIS)})|هذا\s+الشهر)"
)
_QUALIFIER = rf"(?:\s+(?P<{{p}}qual>{_alt(NEXT + LAST + THIS)}))"
_YEAR = r"(?:\s*،?\s*(?:من\s+)?(?:عام|العام|سنة)?\s*(?P<{p}year>(?:19|20)\d\d)(?!\d))"
_DAY = r"(?<!\d)(?:الـ\s*|ال)?(?P<{p}day>[0-3]?\d)(?!\d)"
_ORDINAL = rf"(?P<{{p}}ordinal>{_alt(ORDINAL_DAYS)})\s+من"
_WEEKDAY = _alt(WEEKDAYS)
# An optional weekday before a full date: «الجمعة 12 يونيو», «يوم الأحد الموافق 3 مارس».
_LEADING_WEEKDAY = rf"(?:(?:يوم\s+)?(?:{_WEEKDAY})\s*،?\s*(?:الموافق\s+)?)?"


def _day_month(p: str) -> str:
    """One day of a month: digits or ordinal words, the month slot, an optional year/qualifier."""
    return (
        rf"(?:{_DAY.format(p=p)}\s*(?:-\s*)?(?:من\s+)?|{_ORDINAL.format(p=p)}\s+)"
        rf"(?:{_MONTH_SLOT.format(p=p)})(?:{_YEAR.format(p=p)}|{_QUALIFIER.format(p=p)})?"
    )


FULL_DATE_RE = re.compile(rf"{_B}(?P<expr>{_LEADING_WEEKDAY}{_day_month('')}){_E}")
# «بين 20 و22 مارس», «من 20 إلى 22 مارس», «20-22 مارس», «يومي 20 و21 مارس»
DAY_RANGE_RE = re.compile(
    rf"(?<!\w)(?P<expr>(?:(?:بين|من|يومي)\s+)?(?<!\d)(?P<first>[0-3]?\d)\s*"
    rf"(?:و\s*|-\s*|–\s*|(?:إلى|الى|حتى)\s+)"
    rf"{_DAY.format(p='')}\s*(?:من\s+)?(?:{_MONTH_SLOT.format(p='')})"
    rf"(?:{_YEAR.format(p='')}|{_QUALIFIER.format(p='')})?){_E}"
)
NUMERIC_RE = re.compile(
    r"(?<![\d/.-])(?P<expr>(?P<day>[0-3]?\d)([/.-])(?P<month>[01]?\d)\3(?P<year>(?:19|20)\d\d)"
    r"|(?P<iyear>(?:19|20)\d\d)-(?P<imonth>[01]\d)-(?P<iday>[0-3]\d))(?![\d/.-])"
)
MONTH_ALONE_RE = re.compile(
    rf"{_B}(?P<cue>(?:في|منذ|خلال|حتى|مطلع|أوائل|اوائل|أواخر|اواخر|منتصف|نهاية|بداية|شهر)\s+)?"
    rf"(?P<expr>(?P<month>{_MONTH})(?:\s*/\s*(?:{_MONTH})|\s*\(\s*(?:{_MONTH})\s*\))?"
    rf"(?:{_YEAR.format(p='')}|{_QUALIFIER.format(p='')})?){_E}"
)
_YEAR_NUMBER = r"(?:19|20)\d\d(?!\d)"
YEAR_ALONE_RE = re.compile(
    rf"{_B}(?:(?P<expr>(?:عام|العام|سنة)\s+(?P<year>{_YEAR_NUMBER}))"
    rf"|(?:في|منذ|حتى|خلال|قبل|بعد)\s+(?P<bare>(?P<byear>{_YEAR_NUMBER})))"
)
# «بين 2008 و2013», «من 2015 إلى 2017»
YEAR_RANGE_RE = re.compile(
    rf"(?<!\w)(?P<expr>(?:بين|من)\s+(?P<first>{_YEAR_NUMBER})\s*(?:و|-|إلى|الى|حتى)\s*"
    rf"(?P<last>{_YEAR_NUMBER}))"
)
RELATIVE_DAY = {
    "أول أمس": -2, "اول امس": -2, "أول امس": -2, "أمس الأول": -2, "امس الاول": -2,
    "أمس": -1, "امس": -1, "البارحة": -1,
    "اليوم": 0,
    "غدا": 1, "غداً": 1, "غدًا": 1,
    "بعد غد": 2,
}  # fmt: skip
RELATIVE_DAY_RE = re.compile(
    rf"{_B}(?P<expr>(?P<word>{_alt(RELATIVE_DAY)})(?:\s*،?\s*(?P<weekday>{_WEEKDAY}))?){_E}"
)
WEEKDAY_RE = re.compile(
    rf"{_B}(?P<expr>(?:يوم\s+)?(?P<weekday>{_WEEKDAY})(?:\s+(?P<qual>{_alt(NEXT + LAST)}))?){_E}"
)
PERIOD_UNITS = ("الأسبوع", "الاسبوع", "الشهر", "العام", "السنة")
PERIOD_RE = re.compile(
    rf"{_B}(?P<expr>(?P<unit>{'|'.join(PERIOD_UNITS)})\s+(?P<qual>{_alt(NEXT + LAST + THIS)})"
    rf"|هذا\s+(?P<this>الأسبوع|الاسبوع|الشهر|العام)|هذه\s+(?P<thisf>السنة)){_E}"
)
# «اليوم» that is "the day", not today: «اليوم التالي», «اليوم الوطني», «اليوم الذي», «في اليوم»
# (per day), «باليوم».
NOT_TODAY = re.compile(r"\s+ال\w+|\s+(?:من|ذاته|نفسه|عينه)(?!\w)")
NOT_TODAY_BEFORE = re.compile(r"(?:في\s+|(?<!\w)[بل])$")
# A weekday that is a prayer or a name, not a day: «صلاة الجمعة», «يوم الجمعة العظيمة».
NOT_A_DAY_BEFORE = re.compile(r"(?:صلاة|صلاه|خطبة|خطبه|مسجد|جامع|سوق|شارع)\s*$")
FUTURE_VERB = re.compile(r"[وف]?(?P<word>سوف|س[يتنأ]\w{2,})")
NOT_FUTURE = frozenset(
    [
        "سياسة",
        "سياسي",
        "سياسية",
        "سياسيا",
        "سيارة",
        "سيارات",
        "سيد",
        "سيدة",
        "سيطرة",
        "ستة",
        "ستين",
        "سنة",
        "سنوات",
        "سنوي",
        "سنوية",
        "سنويا",
        "سيناء",
        "سيناريو",
        "سيول",
        "سينما",
        "ستار",
        "سيئة",
        "سيئ",
    ]
)
RANGE_JOIN = re.compile(r"\s*(?:و|-|–|إلى|الى|حتى)\s*$")
RANGE_OPEN = re.compile(r"(?:بين|من)\s+$")
