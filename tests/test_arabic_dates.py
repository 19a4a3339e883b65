import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from articles.arabic.dates import parse_arabic_date, to_dateparser_months

LEVANTINE = [
    ("15 كانون الثاني 2024", datetime.date(2024, 1, 15)),
    ("15 شباط 2024", datetime.date(2024, 2, 15)),
    ("15 آذار 2024", datetime.date(2024, 3, 15)),
    ("15 نيسان 2024", datetime.date(2024, 4, 15)),
    ("15 أيار 2024", datetime.date(2024, 5, 15)),
    ("15 حزيران 2024", datetime.date(2024, 6, 15)),
    ("15 تموز 2024", datetime.date(2024, 7, 15)),
    ("15 آب 2024", datetime.date(2024, 8, 15)),
    ("15 أيلول 2024", datetime.date(2024, 9, 15)),
    ("1 تشرين الأول 2023", datetime.date(2023, 10, 1)),
    ("15 تشرين الثاني 2024", datetime.date(2024, 11, 15)),
    ("15 كانون الأول 2024", datetime.date(2024, 12, 15)),
    # hamza-less spellings
    ("3 اذار 2023", datetime.date(2023, 3, 3)),
    ("3 ايار 2023", datetime.date(2023, 5, 3)),
    ("3 ايلول 2023", datetime.date(2023, 9, 3)),
    ("3 تشرين الاول 2023", datetime.date(2023, 10, 3)),
    ("3 كانون الاول 2023", datetime.date(2023, 12, 3)),
]

EGYPTIAN = [
    ("17 يناير 2023", datetime.date(2023, 1, 17)),
    ("28 فبراير 2024", datetime.date(2024, 2, 28)),
    ("الجمعة 17 مارس 2023", datetime.date(2023, 3, 17)),
    ("5 أبريل 2023", datetime.date(2023, 4, 5)),
    ("5 ابريل 2023", datetime.date(2023, 4, 5)),
    ("5 إبريل 2023", datetime.date(2023, 4, 5)),
    ("20 مايو 2023", datetime.date(2023, 5, 20)),
    ("5 يونيو 2023", datetime.date(2023, 6, 5)),
    ("5 يونية 2023", datetime.date(2023, 6, 5)),
    ("5 يوليو 2023", datetime.date(2023, 7, 5)),
    ("5 يوليه 2023", datetime.date(2023, 7, 5)),
    ("5 أغسطس 2023", datetime.date(2023, 8, 5)),
    ("5 اغسطس 2023", datetime.date(2023, 8, 5)),
    ("18 سبتمبر 2023", datetime.date(2023, 9, 18)),
    ("1 أكتوبر 2023", datetime.date(2023, 10, 1)),
    ("5 نوفمبر 2023", datetime.date(2023, 11, 5)),
    ("5 ديسمبر 2023", datetime.date(2023, 12, 5)),
    ("١٧ مارس ٢٠٢٣", datetime.date(2023, 3, 17)),
]

DOUBLE_FORMS = [
    ("28 شباط (فبراير) 2024", datetime.date(2024, 2, 28)),
    ("8 نيسان (أبريل) 2024", datetime.date(2024, 4, 8)),
    ("18 سبتمبر/أيلول 2023", datetime.date(2023, 9, 18)),
    ("18 أيلول/سبتمبر 2023", datetime.date(2023, 9, 18)),
    ("الأحد 7 نيسان/أبريل 2024", datetime.date(2024, 4, 7)),
]

OTHER_FORMS = [
    ("18th, September 2023 GMT", datetime.date(2023, 9, 18)),
    ("8th, May 2025 GMT", datetime.date(2025, 5, 8)),
    ("2018-03-04T12:46:22+04:00", datetime.date(2018, 3, 4)),
    ("2015-07-21T02:56:15", datetime.date(2015, 7, 21)),
    ("17/03/2023", datetime.date(2023, 3, 17)),
]


@pytest.mark.parametrize(("text", "expected"), LEVANTINE + EGYPTIAN + DOUBLE_FORMS + OTHER_FORMS)
def test_parse_arabic_date(text, expected):
    assert parse_arabic_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "اليوم",  # relative: would otherwise be today's date
        "أمس",
        "اليوم الجمعة",
        "today",
        "18 سبتمبر/أيلول",  # no year: not guessed from the clock
        "آب 2023",  # no day
        "1678000000",  # not read as a Unix timestamp
        "ليس تاريخاً",
    ],
)
def test_incomplete_or_relative_dates_give_none(text):
    assert parse_arabic_date(text) is None


def test_levantine_names_are_rewritten_and_double_forms_collapsed():
    assert to_dateparser_months("1 تشرين الأول 2023") == "1 أكتوبر 2023"
    assert to_dateparser_months("28 شباط (فبراير) 2024") == "28 فبراير 2024"
    assert to_dateparser_months("18 سبتمبر/أيلول") == "18 سبتمبر"
    assert to_dateparser_months("الآباء") == "الآباء"  # "آب" only as a whole word


def test_importing_the_module_does_not_import_dateparser():
    root = Path(__file__).resolve().parents[1]
    code = "import sys, articles.arabic.dates; print('dateparser' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
