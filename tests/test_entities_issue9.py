"""Issue 9, point 10: headlines, the two Bushes, quoted nicknames, namesakes, office + another name.

Every example is copied from a corpus, named by its id: ANT (news-ant-multisource, Chouigui et
al.) or NewsFANE Gold (Alotaibi & Lee 2014). Pure matcher tests, no database.
"""

from __future__ import annotations

from datetime import date

import pytest

from articles.entities import AliasSpec, EntityMatcher, EntitySpec, load_gazetteer
from articles.entities.gazetteer import entity_from_dict, entity_to_dict, validate_gazetteer

D2018 = date(2018, 5, 7)


@pytest.fixture(scope="module")
def matcher() -> EntityMatcher:
    return EntityMatcher(load_gazetteer())


def found(matcher, text, day=D2018):
    mentions = matcher.find(text, published_on=day)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    return [(m.slug, m.text) for m in mentions]


def slugs(matcher, text, day=D2018):
    return [slug for slug, _ in found(matcher, text, day)]


# --- headlines ---------------------------------------------------------------------------------


def test_title_mentions_have_field_and_title_offsets(matcher):
    # ANT BB-internationalNews-148-20180313 (title), body shortened
    title = "ما هي الأسباب التي أطاحت بتيلرسون؟"
    body = "رغم أن الرئيس الأمريكي دونالد ترامب ووزير الخارجية السابق ريكس تيلرسون من رجال الأعمال"
    mentions = matcher.find_article(title=title, body=body, published_on=date(2018, 3, 13))
    title_ones = [m for m in mentions if m.field == "title"]
    assert [(m.slug, m.text) for m in title_ones] == [("rex-tillerson", "بتيلرسون")]
    assert title[title_ones[0].start : title_ones[0].end] == "بتيلرسون"
    for m in mentions:
        assert (title if m.field == "title" else body)[m.start : m.end] == m.text
    assert [m.field for m in mentions] == sorted((m.field for m in mentions), reverse=True)


def test_actor_only_in_the_headline_is_found(matcher):
    # ANT SK-technology-697-20180517: the body names neither country in the title's form
    title = "الصين تتحدى الولايات المتحدة بمدينة الذكاء الاصطناعي"
    body = "أعلنت مدينة تيانجين الساحلية عن خطط لتأسيس صندوق لدعم قطاع الذكاء الاصطناعي."
    mentions = matcher.find_article(title=title, body=body, published_on=date(2018, 5, 17))
    assert {(m.slug, m.field) for m in mentions} == {
        ("china", "title"),
        ("united-states", "title"),
    }


def test_short_form_in_title_is_licensed_by_the_body(matcher):
    # ANT SK-internationalNews-2229-20180620: «كيم يشكر الصين», the body names Kim in full
    title = "من أجل ترامب.. كيم يشكر الصين"
    body = "ذكرت وسائل إعلام كورية شمالية رسمية أن زعيم البلاد، كيم جونغ أون، شكر الرئيس الصيني"
    mentions = matcher.find_article(title=title, body=body, published_on=date(2018, 6, 20))
    assert ("kim-jong-un", "title", "كيم") in {(m.slug, m.field, m.text) for m in mentions}
    # without the body's full name the bare «كيم» is nobody (ANT AL-internationalNews-209-...:
    # «وعقد مون لقاء مع كيم» is general Kim Yong-chol)
    assert "kim-jong-un" not in slugs(matcher, "وعقد مون لقاء مع كيم استمر ساعة قبل الحفل")


def test_find_article_without_title_is_find(matcher):
    body = "قال بوتين إن المحادثات كانت مثمرة"
    assert matcher.find_article(title="", body=body, published_on=D2018) == matcher.find(
        body, published_on=D2018
    )


# --- George W. Bush and George H. W. Bush ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [
        # explicit forms, whatever the date
        (
            "الرئيس الأميركي حينها جورج دبليو بوش نبأ الهجمات",
            D2018,
            "george-w-bush",
        ),  # ANT SK-internationalNews-3207
        ("فرض جورج بوش الابن", D2018, "george-w-bush"),  # ANT
        (
            "الرئيس الأمريكي الأسبق، جورج بوش الأبن، مما وصفه",
            D2018,
            "george-w-bush",
        ),  # ANT CN-internationalNews-337
        ("جورج دابليو بوش رئاسة", D2018, "george-w-bush"),  # ANT
        ("إلى عهد بوش الابن، حين أخذوا", D2018, "george-w-bush"),  # ANT CN-middleEast-997
        ("الرئيس الأسبق جورج بوش الأب", D2018, "george-h-w-bush"),  # ANT
        ("بوش الأب", date(2005, 1, 1), "george-h-w-bush"),
        ("جورج هربرت ووكر بوش", D2018, "george-h-w-bush"),
        ("جورج إتش دبليو بوش", D2018, "george-h-w-bush"),
        # bare forms by date
        ("و كرر بوش القول ان هدف", date(2006, 1, 1), "george-w-bush"),  # NewsFANE
        ("قال جورج بوش لصحيفة وول ستريت جورنال", date(2006, 1, 1), "george-w-bush"),  # NewsFANE
        ("قال بوش إن القوات ستنسحب", date(1991, 2, 1), "george-h-w-bush"),
        ("قال بوش إن القوات ستنسحب", date(1993, 1, 20), "george-w-bush"),
        # no date: the open-ended reading (NewsFANE has no dates)
        ("و اعلن الرئيس بوش حالة طوارئ", None, "george-w-bush"),  # NewsFANE
    ],
)
def test_bush_by_form_and_date(matcher, text, day, expected):
    assert slugs(matcher, text, day) == [expected]


def test_bare_bush_follows_the_one_the_text_names(matcher):
    # Dec 2018 news of the father's death: the bare «بوش» is the father, not the date's reading
    text = "توفي الرئيس الأمريكي الأسبق جورج بوش الأب عن 94 عاما. وكان بوش قد تولى الرئاسة"
    assert slugs(matcher, text, date(2018, 12, 1)) == ["george-h-w-bush", "george-h-w-bush"]
    # both named: back to the date (ANT AL-internationalNews-1708-20180620)
    text = "رونالد ريغان وجورج بوش الأب وجورج بوش الابن ودونالد ترمب"
    assert slugs(matcher, text, date(2018, 6, 20)) == [
        "george-h-w-bush",
        "george-w-bush",
        "donald-trump",
    ]


def test_office_resolves_to_the_father_in_his_term(matcher):
    assert slugs(matcher, "قال الرئيس الأمريكي إن", date(1990, 8, 2)) == ["george-h-w-bush"]


# --- namesakes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "لكنه سقط بخطأ دفاعي كبير من النمسوي الشاب ستيفان بوش فسجل سيتي",  # ANT SK-sport-2765
        "مثل كتاب #لورا_بوش (سبوكن فروم ذا هارت)",  # ANT AL-internationalNews-220
        "المرشح الذي نافسه في الانتخابات التمهيدية للحزب الجمهوري، جيب بوش.",  # ANT SK-internationalNews-3375
        "في بطولة العالم روسلان بوش ولطفي بوش",  # ANT (روسلان بوش، لطفي بوش)
        "مديرية شرطة منطقة بوش دو رون (جنوب شرق)",  # ANT SK-internationalNews-1034
        "مذكرات ميشيل أوباما منذ الطفولة",  # ANT AL-internationalNews-220
    ],
)
def test_namesakes_are_not_the_actor(matcher, text):
    assert not {"george-w-bush", "george-h-w-bush", "barack-obama"} & set(slugs(matcher, text))


def test_bare_surname_after_a_namesake_is_the_namesake(matcher):
    # ANT SK-internationalNews-3375-20181009: the anchor Billy Bush, then «بوش» alone
    text = (
        "كشف المذيع الأميركي الشهير، بيلي بوش، الأحد، هذه التفاصيل. "
        "وكان بوش انضم في صيف عام 2016 إلى برنامج اليوم."
    )
    assert slugs(matcher, text, date(2018, 10, 9)) == []
    # ... but a text whose office phrase is the actor keeps his bare surname
    # (ANT AL-internationalNews-209-20180225)
    text = "إضافة إلى ابنة الرئيس الأميركي إيفانكا ترمب. وتابعت الوزارة أن ترمب يحاول تغييرنا"
    assert slugs(matcher, text, date(2018, 2, 25)) == ["donald-trump"]


def test_a_given_name_spelt_with_another_long_vowel_still_makes_a_namesake(matcher):
    # ANT SK-sport-2808-20181007: the tennis player, «دانييل» for the listed «دانيال»
    text = (
        "انتزع لاعب التنس دانييل ميدفيديف لقب بطولة اليابان المفتوحة. "
        "وقال ميدفيديف إن الجمهور ساعده."
    )
    assert slugs(matcher, text, date(2018, 10, 7)) == []
    # the prime minister keeps his name, and a short word one vowel off a name is no name
    text = "قال رئيس الوزراء ديمتري ميدفيديف إن الميزانية جاهزة"
    assert slugs(matcher, text, date(2018, 7, 1)) == ["dmitry-medvedev"]
    assert slugs(matcher, "وقال ميدفيديف إن الميزانية جاهزة", date(2018, 7, 1)) == [
        "dmitry-medvedev"
    ]


def test_own_first_name_and_its_misspelling_are_not_namesakes(matcher):
    assert set(slugs(matcher, "للرئيس الروسي فلادمير بوتين وصهره")) == {"vladimir-putin"}  # ANT
    # a verb that is also a given name: «أشرف شي» (ANT SK-internationalNews-2492)
    text = "قال الرئيس الصيني، شي جين بينغ، ... ومنذ تولى السلطة أشرف شي، على حملة"
    assert slugs(matcher, text) == ["xi-jinping", "xi-jinping"]
    assert slugs(matcher, "لكن متحدثة باسم ترامب قالت") == [
        "donald-trump"
    ]  # ANT BB-internationalNews-148


# --- quoted nicknames --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'وسجل يوسف ابراهيم "أوباما" (11 و60) ومحمود عبد العزيز (20)',  # ANT SK-sport-1055
        'بتصديه لتسديدة يوسف إبراهيم "أوباما" وإخراجها بصعوبة',  # ANT SK-sport-2529
        'يرافقه فيها الطفل النوبي الملقب "أوباما".',  # ANT FR-culture-61
        'ويطلق أنصار دميرتاش عليه لقب "أوباما الكردي" تيمنا',  # ANT SK-internationalNews-1321
        "اللاعب محمد صلاح «بوتين» في المباراة",
        'الملقب بـ"ترامب" في الحي',
    ],
)
def test_quoted_nickname_after_a_name_is_not_the_actor(matcher, text):
    assert slugs(matcher, text) == []


def test_a_nickname_holds_in_the_whole_article(matcher):
    # ANT SK-sport-1055-20180507: the headline uses the nickname alone
    mentions = matcher.find_article(
        title='"أوباما" يسجل ثنائية والزمالك يتأهل لنهائي الكأس',
        body='وسجل يوسف ابراهيم "أوباما" (11 و60) أهداف الزمالك',
        published_on=D2018,
    )
    assert mentions == []
    # the real Obama beside the nickname still counts (ANT SK-internationalNews-1321)
    text = 'عليه لقب "أوباما الكردي" تيمنا بالرئيس الأميركي السابق باراك أوباما'
    assert found(matcher, text) == [("barack-obama", "باراك أوباما")]


@pytest.mark.parametrize(
    "text",
    [
        'الذي سعت إدارة "أوباما" إلى إحداثه',  # ANT AL-economy-756
        'ردا على تصريحات الرئيس الأمريكي "دونالد ترامب" باعتزامه',  # ANT BB-internationalNews-342
        'مستشار "ترمب": الخلاف التجاري',  # ANT AL-economy-693 (title)
    ],
)
def test_quoted_actor_after_a_common_word_still_counts(matcher, text):
    assert slugs(matcher, text) and set(slugs(matcher, text)) <= {"barack-obama", "donald-trump"}


# --- an office followed by another person's name -----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "عندما قدّم الرئيس الأمريكي فرانكلين روزفيلت طائرة",  # ANT CN-middleEast-440
        "قال الرئيس الأمريكي فرانكلين روزفلت إن",  # issue 9
        "الذي اتهم باغتيال الرئيس الأميركي جون كندي، مع تعليق",  # ANT SK-internationalNews-3500
        "اعترف الرئيس الأمريكي بيل كلينتون بفضيحة",  # ANT CN-internationalNews-525
        "الرئيس الأميركي انذاك، رونالد ريغن",  # ANT (آنذاك + name)
        "باللقاء الذي جمع الرئيس ريتشارد نيكسون بالرئيس الصيني ماو تسي تونغ",  # ANT SK-internationalNews-366
        "وقال الرئيس الروسي بوريس يلتسين",
        "قال وزير الخارجية الأمريكي، جون سوليفان، إن",
    ],
)
def test_office_followed_by_another_name_is_not_the_holder(matcher, text):
    assert slugs(matcher, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال الرئيس الأمريكي دونالد ترامب إن", "donald-trump"),
        ("الرئيس الأمريكي دونالدو ترامب، الأربعاء", "donald-trump"),  # ANT: a misspelt first name
        ("قال الرئيس الأمريكي جون إن", None),  # a given name alone still blocks
        ("قال الرئيس الأمريكي يوم الخميس", "donald-trump"),
        ("قال الرئيس الصيني شي جينبينغ", "xi-jinping"),
    ],
)
def test_office_followed_by_holder_or_common_word(matcher, text, expected):
    got = set(slugs(matcher, text))
    assert got == ({expected} if expected else set())


# --- dated aliases in the gazetteer --------------------------------------------------------------


def test_dated_alias_round_trip_and_validation():
    w = EntitySpec(
        "w", "person", "جورج دبليو", "W",
        aliases=(AliasSpec("بوش", valid_from=date(1993, 1, 20)),),
    )  # fmt: skip
    hw = EntitySpec(
        "hw", "person", "جورج الأب", "HW",
        aliases=(AliasSpec("بوش", valid_to=date(1993, 1, 20)),),
    )  # fmt: skip
    assert validate_gazetteer([w, hw]) == []
    assert entity_from_dict(entity_to_dict(w)) == w
    overlapping = EntitySpec(
        "x", "person", "آخر", "X", aliases=(AliasSpec("بوش", valid_to=date(2000, 1, 1)),)
    )
    assert any("overlapping periods" in e for e in validate_gazetteer([w, overlapping]))
    undated = EntitySpec("y", "person", "ثالث", "Y", aliases=(AliasSpec("بوش"),))
    assert any("undated alias" in e for e in validate_gazetteer([w, undated]))


# --- what the ANT-wide comparison with the old matcher taught (each a real sentence) -------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وطالب ترامب الكونغرس بالتوصل لحلول", ["donald-trump"]),  # ANT SK-internationalNews-203
        (
            "دان ترمب قيام هيلاري كلينتون باستخدام خادم",
            ["donald-trump"],
        ),  # ANT AL-internationalNews-1285
        (
            "هل أصبح ترامب في جيب بوتين؟",
            ["donald-trump", "vladimir-putin"],
        ),  # ANT BB-internationalNews-840
        ("يأتي صدام ترامب مع برنستين", ["donald-trump"]),  # ANT BB-internationalNews-1017
        ("وسيكون عمر بوتين في حينها 71 عاما", ["vladimir-putin"]),  # ANT FR-internationalNews-512
        ("فمن هو بوتين، الذي تولى", ["vladimir-putin"]),  # ANT FR-internationalNews-442
        (
            "مع خالص الاحترام دونالد جاي ترامب رئيس",
            ["donald-trump"],
        ),  # ANT SK-internationalNews-1762
        ("ووزير الخارجية الأمريكي مارك بومبيو", ["mike-pompeo"]),  # ANT FR-internationalNews-1629
        ("قال توني بلينكن، النائب السابق", ["antony-blinken"]),  # ANT CN-middleEast-553
        ("من هو مايك بومبيو خليفة تيلرسون", ["mike-pompeo", "rex-tillerson"]),  # ANT CN-240
        ('مطبوعا على ظهره اسم "بوتين" يوم الأحد', ["vladimir-putin"]),  # ANT AL-sport-2364
    ],
)
def test_common_words_before_a_surname_are_not_given_names(matcher, text, expected):
    assert sorted(set(slugs(matcher, text))) == sorted(expected)


def test_quoted_alias_with_a_definite_word_is_a_nickname_but_the_actor_stays(matcher):
    # ANT SK-internationalNews-2406-20180630: Obrador is «"ترامب المكسيك"»; Trump is named too
    text = (
        'ويطلق المكسيكيون على أوبرادور لقب "ترامب المكسيك" نحو الرئيس الأميركي، دونالد ترامب. '
        "ويريد المكسيكيون أن يقف بقوة في وجه ترامب"
    )
    assert found(matcher, text, date(2018, 6, 30)) == [
        ("donald-trump", "الرئيس الأميركي، دونالد ترامب"),
        ("donald-trump", "ترامب"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "وذكر مسؤولون أميركيون أن كيم يونغ شول سيلتقي بومبيو",  # ANT SK-internationalNews-1860
        "لكن نائب وزير الخارجية الكوري الشمالي كيم كي غوان اتهم",  # ANT
        "وقال كيم أوي-كيوم المتحدث باسم البيت الأزرق",  # ANT SK-internationalNews-1156
        "وفاة كيم ايل سونغ، مؤسس الدولة",  # ANT AL-internationalNews-1565
        "الممثلة كيم كارداشيان",  # ANT
    ],
)
def test_another_kim_is_not_kim_jong_un(matcher, text):
    licensed = "التقى ترامب الزعيم الكوري الشمالي كيم جونغ أون. " + text
    assert slugs(matcher, licensed, date(2018, 6, 1)).count("kim-jong-un") == 1


def test_bare_kim_is_kim_jong_un_where_he_is_named(matcher):
    # ANT SK-internationalNews-1542 / SK-internationalNews-2109
    text = "قمة مع الزعيم الكوري الشمالي كيم جون-اون. وأضافت أن القمة بين ترامب وكيم هي الأولى"
    assert slugs(matcher, text, date(2018, 6, 12)) == ["kim-jong-un", "donald-trump", "kim-jong-un"]
    assert slugs(matcher, "وقال كيم جونغ- أون إن", date(2018, 6, 12)) == []  # not licensed
