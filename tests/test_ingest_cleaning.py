"""Cleaning stages one by one, then what the whole pipeline leaves of each seed's body."""

from pathlib import Path

import pytest

from articles.ingest.cleaning import (
    caption_indices,
    cut_at_footer,
    drop_captions,
    drop_leading_section_labels,
    drop_mastheads,
    drop_promo_boxes,
    drop_promo_lines,
    drop_publication_date_lines,
    drop_read_also_teasers,
    drop_source_lines,
    join_paragraphs,
    split_lines,
)
from articles.ingest.drafts import draft_from_text

SEED_DIR = Path(__file__).resolve().parents[1] / "articles" / "seed_corpus"


def seed_body(prefix: str) -> str:
    path = next(SEED_DIR.glob(f"{prefix}_*.txt"))
    return draft_from_text(path.read_text(encoding="utf-8"), name=path.name).body


def test_split_lines_normalizes_newlines_and_spaces():
    text = "\ufeffسطر\u00a0أول  \r\n\u00a0\rسطر\u200f ثان"
    assert split_lines(text) == ["سطر أول", "", "سطر ثان"]


def test_cut_at_footer_drops_comments_and_what_follows_keywords():
    assert cut_at_footer(["نص.", "التعليقات", "تعليق"]) == ["نص."]
    assert cut_at_footer(["نص.", "كلمات دلالية: الصين", "إقرأ أيضاً:", "قصة أخرى."]) == ["نص."]
    # "Read also" boxes are not footers: the article goes on after them.
    lines = ["نص.", "اقرأ أيضاً:", "عنوان", "نص."]
    assert cut_at_footer(lines) == lines


def test_drop_mastheads_two_line_and_one_line_forms():
    lines = ["رئيس مجلسى الإدارة والتحرير", "محمد الباز", "", "العنوان"]
    assert drop_mastheads(lines) == ["", "العنوان"]
    assert drop_mastheads(["رئيس مجلس الإدارة والتحرير محمد الباز", "العنوان"]) == ["العنوان"]
    # The line after a role line is kept when it is a sentence, not a name.
    assert drop_mastheads(["رئيس التحرير", "قال الوزير إن."]) == ["قال الوزير إن."]


def test_drop_leading_section_labels_only_at_the_top():
    assert drop_leading_section_labels(["أخبار", "", "العنوان", "أخبار"]) == ["العنوان", "أخبار"]


def test_drop_promo_boxes_matches_the_box_name():
    lines = ["قبل.", "تخطى البودكاست وواصل القراءة", "البودكاست", "حلقة", "البودكاست نهاية", "بعد."]
    assert drop_promo_boxes(lines) == ["قبل.", "بعد."]
    # Without its closing line only the opening line goes.
    assert drop_promo_boxes(["تخطى قصص مقترحة وواصل القراءة", "نص."]) == ["نص."]


def test_drop_promo_lines_keeps_sentences_about_social_networks():
    lines = [
        "قراؤنا من مستخدمي تويتر",
        "يمكنكم الآن متابعة آخر الأخبار مجاناً من خلال حسابنا على تويتر",
        "إضغط هنا للإشتراك",
        "وكتب الرئيس على تويتر أنه يتابع متابعة دقيقة ما يجري.",
    ]
    assert drop_promo_lines(lines) == [lines[3]]


def test_drop_read_also_teasers_drops_the_teaser_headlines_too():
    lines = ["نص.", "اقرأ أيضاً", "", "قمة العشرين.. توافق صيني روسي", "متابعة النص."]
    assert drop_read_also_teasers(lines) == ["نص.", "متابعة النص."]
    # BBC: a colon, several teasers, then the article goes on.
    lines = ["نص.", "اقرأ أيضاً:", "عنوان أول", 'عنوان ثان "بين قوسين"', "التحق كوهين بالجامعة."]
    assert drop_read_also_teasers(lines) == ["نص.", "التحق كوهين بالجامعة."]


def test_drop_read_also_teasers_on_the_same_line():
    lines = [
        "نص.",
        "إقرأ أيضا: لقاء بين مسؤولين سعوديين",
        "قد يهمك: المتحدث باسم الخارجية",
        "بقية.",
    ]
    assert drop_read_also_teasers(lines) == ["نص.", "بقية."]


def test_drop_source_and_date_lines():
    lines = ["المصدر | فرانس برسالمصدر: الخليج الجديد", "إعلانالمصدر: الجزيرة", "نص المصدر."]
    assert drop_source_lines(lines) == ["نص المصدر."]
    assert drop_publication_date_lines(["تاريخ النشر: 8th, May 2025 GMT", "نص."]) == ["نص."]


def test_caption_indices_recognizes_each_caption_kind():
    lines = [
        "العنوان",
        "صدر الصورة، EPA",
        "التعليق على الصورة،",
        "",
        "بايدن وبوتين في قمة جمعتهما عام 2021",
        "الرئيس الصيني وبوتين",
        "الرئيس الصيني وبوتين",
        "وزير الخارجية الروسي سيرغي لافروف خلال مؤتمر صحافي في موسكو بتاريخ 28 شباط (فبراير) 2024",
        "نص المقال.",
        "نص المقال.",
    ]
    assert caption_indices(lines) == {1, 2, 4, 5, 6, 7}
    assert drop_captions(lines) == ["العنوان", "", "نص المقال.", "نص المقال."]


def test_join_paragraphs_separates_with_blank_lines():
    assert join_paragraphs(["أ.", "", "", "ب."]) == "أ.\n\nب."


SEED_DROPPED = {
    "000": ["رئيس مجلسى الإدارة والتحرير", "محمد الباز", "الرئيس الصيني وبوتين"],
    "001": [
        "صدر الصورة",
        "التعليق على الصورة",
        "بايدن وبوتين في قمة جمعتهما عام 2021",
        "تخطى قصص مقترحة وواصل القراءة",
        "قصص مقترحة",
        "هل تدعم الصين موسكو خلال الحرب؟",
        "تخطى البودكاست",
        "البودكاست",
        "تغيير بسيط: ما علاقة سلة مشترياتك بتغير المناخ؟",
        "الحلقات",
    ],
    "002": [
        "أخبار\n",
        "وزير الخارجية الروسي سيرغي لافروف خلال مؤتمر صحافي في موسكو بتاريخ",
        "قراؤنا من مستخدمي تويتر",
        "حسابنا على تويتر",
        "إضغط هنا للإشتراك",
        "التعليقات",
        "جميع التعليقات المنشورة",
    ],
    "003": [
        "تاريخ النشر",
        "اقرأ أيضاً",
        "قمة العشرين.. توافق صيني روسي على المواجهة",
        "توسيع بريكس.. انتصار للصين وروسيا أم طلقة تحذيرية للغرب؟",
        "المصدر",
        "فرانس برس",
        "كلمات دلالية",
        "إقرأ أيضاً",
        "ترامب يزور موسكو للاحتفال",
        "لوبوان",
        "زيلينسكي",
    ],
    "004": [
        "تاريخ النشر",
        "إعلان",
        "المصدر",
        "كلمات دلالية",
        "حريات",
        "إقرأ أيضاً",
        "نكايةً في ترامب",
        "شينخوا",
        "لوفيجارو",
        "أوشاكوف",
    ],
}

SEED_KEPT = {
    "000": [
        "أعلنت الولايات المتحدة الأمريكية، اليوم الجمعة، عن معارضتها لأي دعوة لوقف النار بأوكرانيا.",
        "زيارة رسمية لأول مرة منذ الحرب الروسية الاوكرانية",
        "العلاقات بين بكين وموسكو",
        "وأعلنا في هذه المناسبة عن عزمهما على تعزيز العلاقات بينهما وسط أزمة مع الغرب.",
    ],
    "001": [
        "التقى وزير الخارجية الصيني، وانغ يي، نظيره الروسي، سيرجي لافروف",
        "وقال بيان رسمي إن الجانبين، الصيني والروسي",
        "يأتي ذلك في وقت تسعى فيه الولايات المتحدة",
        "هل تدعم الصين روسيا عسكرياً؟",
        "ماذا نتوقع اليوم:",
        "• الرئيس الروسي، فلاديمير بوتين، سوف يلتقي وزير الخارجية الصيني",
        "• توقع انضمام آلاف الأشخاص إلى الرئيس الروسي، فلاديمير بوتين، في حفل موسيقي في ملعب لوجنيكي بموسكو.",
    ],
    "002": [
        "موسكو: يجري وزير الخارجية الروسية سيرغي لافروف الاثنين والثلاثاء زيارة رسمية للصين",
        '"ثقة سياسية متبادلة"',
        "عبر استخدام نفوذها على موسكو.",
    ],
    "003": [
        "يعتزم وزير الخارجية الصيني وانغ يي، زيارة روسيا بين 18 و21 سبتمبر/أيلول",
        "وتجمع الصين وروسيا رغبة مشتركة",
        "وفرض وابل من العقوبات الغربية على روسيا.",
    ],
    "004": [
        "التقى الرئيس الروسي فلاديمير بوتين نظيره الصيني شي جين بينغ اليوم الخميس في موسكو",
        "ما يقارب 250 مليار دولار.",
    ],
}

FIRST_PARAGRAPH_START = {
    "000": "أعلنت الولايات المتحدة الأمريكية",
    "001": "التقى وزير الخارجية الصيني",
    "002": "موسكو: يجري وزير الخارجية الروسية",
    "003": "يعتزم وزير الخارجية الصيني",
    "004": "التقى الرئيس الروسي فلاديمير بوتين",
}

LAST_PARAGRAPH_END = {
    "000": "وسط أزمة مع الغرب.",
    "001": "في حفل موسيقي في ملعب لوجنيكي بموسكو.",
    "002": "عبر استخدام نفوذها على موسكو.",
    "003": "وفرض وابل من العقوبات الغربية على روسيا.",
    "004": "لتصل إلى ما يقارب 250 مليار دولار.",
}


@pytest.mark.parametrize("prefix", sorted(SEED_DROPPED))
def test_seed_body_drops_page_furniture(prefix):
    body = seed_body(prefix)
    for dropped in SEED_DROPPED[prefix]:
        assert dropped not in body, dropped


@pytest.mark.parametrize("prefix", sorted(SEED_KEPT))
def test_seed_body_keeps_article_text(prefix):
    body = seed_body(prefix)
    for kept in SEED_KEPT[prefix]:
        assert kept in body, kept
    paragraphs = body.split("\n\n")
    assert paragraphs[0].startswith(FIRST_PARAGRAPH_START[prefix])
    assert paragraphs[-1].endswith(LAST_PARAGRAPH_END[prefix])
    assert all(paragraph.strip() == paragraph and paragraph for paragraph in paragraphs)


def test_seed_000_caption_and_002_kicker_are_not_paragraphs():
    assert "الرئيس الصيني وبوتين" not in seed_body("000").split("\n\n")
    assert "الشريك الدبلوماسي والاقتصادي الرئيسي لموسكو" not in seed_body("002").split("\n\n")


def test_seed_001_bullet_list_stays_under_its_heading():
    paragraphs = seed_body("001").split("\n\n")
    heading = paragraphs.index("ماذا نتوقع اليوم:")
    assert len(paragraphs[heading + 1 :]) == 5
    assert all(paragraph.startswith("• ") for paragraph in paragraphs[heading + 1 :])
