"""The matcher's fixed word lists and letter sets, all in normalized form."""

from __future__ import annotations

from itertools import chain
from typing import Literal

from articles.arabic.normalize import normalize

Via = Literal["name", "role"]
Field = Literal["title", "body"]

# Arabic letters as they can appear AFTER normalization (diacritics and tatweel are gone).
ARABIC_LETTERS: frozenset[str] = frozenset(
    chr(code)
    for code in chain(
        range(0x0621, 0x063F + 1),
        range(0x0641, 0x064A + 1),
        range(0x066E, 0x066F + 1),
        range(0x0671, 0x06D3 + 1),
        (0x06D5,),
        range(0x06EE, 0x06EF + 1),
        range(0x06FA, 0x06FC + 1),
        (0x06FF,),
        range(0x0750, 0x077F + 1),
        range(0x08A0, 0x08C9 + 1),
    )
)

_CONJUNCTIONS = ("", "و", "ف")
# Proclitics before a word without the article (بوتين، روسيا، وزير الخارجية الروسي).
BARE_PROCLITICS: frozenset[str] = frozenset(
    c + p for c in _CONJUNCTIONS for p in ("", "ب", "ل", "ك")
)
# Before a word that starts with ال (الصين، الرئيس الصيني): ل is excluded, it contracts (below).
ARTICLE_PROCLITICS: frozenset[str] = frozenset(c + p for c in _CONJUNCTIONS for p in ("", "ب", "ك"))
# ل + الصين = للصين: the pattern is "لصين" and the text before it must be one of these.
CONTRACTED_PROCLITICS: frozenset[str] = frozenset(c + "ل" for c in _CONJUNCTIONS)
MAX_PROCLITIC = max(len(p) for p in BARE_PROCLITICS | ARTICLE_PROCLITICS | CONTRACTED_PROCLITICS)

# Allowed endings per kind (normalized), tried longest first. Deliberately all empty: see module doc.
SUFFIXES: dict[str, tuple[str, ...]] = {
    "person": (),
    "organization": (),
    "country": (),
    "place": (),
    "role": (),
}

# A role phrase followed by one of these names someone else (a former/next/late holder, or the
# holder "at that time").
NOT_INCUMBENT: tuple[str, ...] = tuple(
    normalize(w)
    for w in (
        "السابق", "السابقة", "الأسبق", "الأسبقة", "المنتخب", "المنتخبة", "الراحل", "الراحلة",
        "المقبل", "القادم", "الأول", "المخلوع", "المعزول", "الأسبقين", "السابقين", "المقال", "المقالة", "المستقيل", "آنذاك",
        "حينذاك", "حينئذ", "حينها", "وقتها", "وقتذاك", "في ذلك الوقت", "في ذلك الحين", "في حينه",
    )
)  # fmt: skip

# Nouns that, in construct before an office phrase ("نائب الرئيس الأمريكي") or with ل before it
# ("المستشار الدبلوماسي للرئيس الروسي"), make it the title of a different person.
OFFICE_NOUNS: frozenset[str] = frozenset(
    normalize(w)
    for w in (
        "نائب", "نواب", "مستشار", "مستشارة", "مستشارو", "مستشاري", "مساعد", "مساعدة", "مساعدو",
        "مساعدي", "سكرتير", "سكرتيرة", "متحدث", "متحدثة", "ناطق", "ناطقة", "زوج", "زوجة", "عقيلة",
        "أرملة", "ابن", "ابنة", "نجل", "نجلة", "كريمة", "شقيق", "شقيقة", "أخ", "أخت", "حفيد",
        "حفيدة", "صهر", "مبعوث", "مبعوثة", "ممثل", "ممثلة", "مكتب", "ديوان", "حرس", "حارس",
        "طبيب", "مدير", "مديرة", "منصب", "مرشح", "مرشحة", "منافس", "خليفة", "سلف", "نظير",
        "نظيرة", "موظفي", "موظفو", "أقارب", "عائلة", "أسرة", "أبناء", "أولاد", "بنات",
    )
)  # fmt: skip
BY_NAME_OF = normalize("باسم")  # المتحدث باسم الرئيس الصيني: the spokesman, not the president

# Phrases that contain an alias but are not a mention of the entity; they veto overlapping hits.
NON_MENTIONS: tuple[str, ...] = (
    "روسيا البيضاء", "أمريكا اللاتينية", "أميركا اللاتينية", "أمريكا الجنوبية",
    "أميركا الجنوبية", "أمريكا الشمالية", "أميركا الشمالية", "أمريكا الوسطى", "أميركا الوسطى",
    "كابتن أمريكا", "كابتن أميركا", "الولايات المتحدة المكسيكية", "بحر الصين الجنوبي",
    "بحر الصين الشرقي", "سور الصين العظيم", "الصين تايبيه", "الصين الوطنية",
    "الاتحاد الروسي لكرة القدم", "الاتحاد الروسي لألعاب القوى", "سبارتاك موسكو", "دينامو موسكو",
    "لوكوموتيف موسكو", "سسكا موسكو", "تسسكا موسكو", "توربيدو موسكو", "دينامو كييف",
    "واشنطن بوست", "واشنطن تايمز", "ولاية واشنطن", "جورج واشنطن", "دنزل واشنطن",
    "ميلانيا ترامب", "إيفانكا ترامب", "ترامب جونيور", "ترامب الابن", "إريك ترامب", "لارا ترامب",
    "بارون ترامب", "ماري ترامب", "فريد ترامب", "هانتر بايدن", "جيل بايدن", "دميتري باتروشيف",
    "ديمتري باتروشيف", "بوش دو رون", "بوش دي رون", "جيب بوش",
)  # fmt: skip

# Words that introduce a nickname: «الملقب "أوباما"», «المعروف باسم "..."», «يلقب بـ"..."».
NICKNAME_CUES: frozenset[str] = frozenset(
    normalize(w)
    for w in (
        "الملقب", "الملقبة", "الملقبين", "الملقبون", "الملقّب", "يلقب", "تلقب", "يلقبونه",
        "يلقبه", "يلقبها", "لقب", "لقبه", "لقبها", "بلقب", "الشهير", "الشهيرة", "المعروف",
        "المعروفة", "المكنى", "المكناة", "يكنى", "الشهير", "ويلقب", "وتلقب", "يعرف", "تعرف",
    )
)  # fmt: skip
# «المعروف باسم "..."»: the cue may stand one word before these ("اسم" alone is not a cue:
# «قميص مطبوع على ظهره اسم "بوتين"» is Putin's name).
NAME_WORDS: frozenset[str] = frozenset(normalize(w) for w in ("اسم", "باسم", "بإسم"))
OPEN_QUOTES = frozenset("\"«“„'‘")
CLOSE_QUOTES = frozenset("\"»”'’")
# Between a title and the body in the text find_article matches (names never cross a newline).
FIELD_SEPARATOR = "\n\n"

# A given name's spelling variants: one of these long vowels for another (دانييل، دانيال).
LONG_VOWELS: frozenset[str] = frozenset("اي")
MIN_VARIANT_LETTERS = 6

# Candidate kinds (internal).
NAME, ROLE, BLOCK = 0, 1, 2
