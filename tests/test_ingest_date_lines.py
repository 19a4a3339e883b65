"""Uploaded texts whose date sits on a labelled line ("التاريخ:", "تاريخ:", "بتاريخ", "نُشر في")
or alone under the headline (issue 13): the date is read, the line leaves the body, and the draft
says which line gave each field."""

import datetime

import pytest

from articles.ingest.cleaning import date_line_value, is_bare_date_line
from articles.ingest.drafts import DATE_NOT_FOUND, draft_from_text

BODY = (
    "أعلنت وزارة الخارجية المصرية أن الوزير سيتوجه إلى موسكو الأسبوع المقبل لبحث ملفات التعاون.\n"
    "وقال المتحدث باسم الوزارة إن الزيارة تأتي في إطار التنسيق المستمر بين البلدين.\n"
)


def page(*header: str, body: str = BODY) -> str:
    return "\n".join(["وزير الخارجية يزور موسكو الأسبوع المقبل", *header, "", body])


@pytest.mark.parametrize(
    "line",
    [
        "التاريخ: 12 يونيو 2025",
        "التاريخ : 12 يونيو 2025",
        "تاريخ: 12/06/2025",
        "بتاريخ 12 حزيران 2025",
        "بتاريخ: الخميس 12 يونيو 2025",
        "نُشر في 12 يونيو 2025",
        "نشر في: 12 يونيو 2025 - 10:30",
        "نـُشر في 12 يونيو 2025",  # a tatweel as well as the damma
        "تاريخ النشر: 12 يونيو 2025",
    ],
)
def test_labelled_date_line_gives_the_date_and_leaves_the_body(line):
    draft = draft_from_text(page("المصدر: الأهرام", line), name="a.txt")
    assert draft.published_on == datetime.date(2025, 6, 12)
    assert draft.metadata_origin["date"] == "text"
    assert draft.metadata_lines["date"] == line
    assert "12" not in draft.body and "2025" not in draft.body
    assert draft.body.startswith("أعلنت وزارة الخارجية")
    assert DATE_NOT_FOUND not in draft.warnings


def test_a_date_line_below_the_first_paragraph_is_read_too():
    text = page(body=BODY + "التاريخ: 3 مارس 2024\n")
    draft = draft_from_text(text, name="a.txt")
    assert draft.published_on == datetime.date(2024, 3, 3)
    assert "التاريخ" not in draft.body


@pytest.mark.parametrize(
    "line",
    ["12 يونيو 2025", "الخميس، 12 يونيو 2025 - 10:30", "2025-06-12", "١٢ يونيو ٢٠٢٥"],
)
def test_bare_date_line_under_the_headline(line):
    draft = draft_from_text(page(line), name="a.txt")
    assert draft.title == "وزير الخارجية يزور موسكو الأسبوع المقبل"
    assert draft.published_on == datetime.date(2025, 6, 12)
    assert draft.metadata_lines == {"title": draft.title, "date": line}
    assert draft.body.startswith("أعلنت وزارة الخارجية")


def test_the_preview_knows_every_line_that_gave_a_field():
    text = "\n".join(
        [
            "سياسة",
            "البرلمان يقر موازنة العام الجديد",
            "نُشر في: 8 مايو 2025",
            "",
            "أقر مجلس النواب مساء الأحد مشروع الموازنة العامة للدولة بعد نقاش استمر ثلاثة أيام.",
            "المصدر: وكالة الأنباء الأردنية",
        ]
    )
    draft = draft_from_text(text, name="budget.txt")
    assert draft.metadata_lines == {
        "title": "البرلمان يقر موازنة العام الجديد",
        "date": "نُشر في: 8 مايو 2025",
        "source": "المصدر: وكالة الأنباء الأردنية",
    }
    assert (draft.source_name, draft.published_on) == (
        "وكالة الأنباء الأردنية",
        datetime.date(2025, 5, 8),
    )
    assert draft.body.startswith("أقر مجلس النواب") and "المصدر" not in draft.body


@pytest.mark.parametrize(
    "line",
    [
        "تاريخ طويل من الصراع بين البلدين يعود إلى القرن الماضي",  # prose that starts with تاريخ
        "بتاريخ 12 يونيو 2025 وقعت الحكومة اتفاقا مع الاتحاد الأوروبي لتمويل مشروعات الطاقة.",
        "التاريخيون يرون أن 12 يونيو 2025 يوم فاصل",  # a longer word, not the label
        "نشر في الصحيفة مقال عن الزيارة",
    ],
)
def test_prose_that_starts_like_a_label_stays_in_the_body(line):
    assert date_line_value(line) is None
    draft = draft_from_text(page(body=BODY + line + "\n"), name="a.txt")
    assert line in draft.body


def test_a_labelled_line_that_does_not_parse_is_a_warning_not_a_paragraph():
    draft = draft_from_text(page("التاريخ: الخميس الماضي"), name="a.txt")
    assert draft.published_on is None
    assert "date could not be parsed: الخميس الماضي" in draft.warnings
    assert "التاريخ" not in draft.body


def test_a_dated_sentence_under_the_headline_is_not_a_date_line():
    sentence = "القمة في 12 يونيو 2025"  # a subheadline naming a date: not the article's date
    assert not is_bare_date_line(sentence)
    draft = draft_from_text(page(body=sentence + "\n" + BODY), name="a.txt")
    assert draft.published_on is None and sentence in draft.body


def test_the_upload_preview_shows_the_line_that_gave_each_field(admin_client):
    from tests.upload_support import upload

    text = page("المصدر: الأهرام", "التاريخ: 12 يونيو 2025")
    preview = upload(admin_client, text=text).content.decode()
    provenance = preview[preview.index('<ul class="provenance">') :]
    provenance = provenance[: provenance.index("</ul>")]
    assert 'data-field="date"' in provenance and "«<bdi>التاريخ: 12 يونيو 2025</bdi>»" in provenance
    assert "«<bdi>المصدر: الأهرام</bdi>»" in provenance
    assert "«<bdi>وزير الخارجية يزور موسكو الأسبوع المقبل</bdi>»" in provenance
