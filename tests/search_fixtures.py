"""Small Arabic articles for the search tests, indexed in the real Whoosh index of settings_test."""

import datetime

from articles.engines import get_backend
from articles.indexing import index_articles
from articles.models import Article
from articles.services.articles import content_hash, get_or_create_source, replace_mentions
from articles.services.gazetteer import load_gazetteer_file

ARTICLES = [
    # (key, title, body, source, date)
    (
        "hamza",
        "لقاء في القاهرة",
        "التقى أحمد السفير بالوفد الزائر في القاهرة.",
        "الجزيرة",
        "2023-03-01",
    ),
    ("yaa", "تصريح", "قال مصطفى إن الاتفاق قريب من التوقيع.", "الجزيرة", "2023-05-10"),
    ("taa", "بكين", "أكدت الحكومة الصينية أن المفاوضات مستمرة.", "بي بي سي عربي", "2024-01-15"),
    (
        "diacritics",
        "ثقافة",
        "تحتفل المنظمة باللغة الْعَرَبِــيَّة في يومها العالمي.",
        "بي بي سي عربي",
        "2024-02-20",
    ),
    (
        "clitics",
        "قمة موسكو",
        "استقبل بوتين الوفد، والرئيس الصيني شي جين بينغ قال للرئيس الروسي إن الصين ترحب بالعلاقات"
        " الجديدة. وقال الرئيس إن اللقاء مثمر.",
        "الجزيرة",
        "2024-03-21",
    ),
    ("lavrov", "لافروف في بكين", "وصل سيرغي لافروف إلى بكين لبحث العلاقات الثنائية.", "", None),
]


def create_article(
    *, title: str, body: str, source: str, published_on: datetime.date | None
) -> Article:
    """One article saved through the ORM with its mentions (not indexed: callers index)."""
    article = Article.objects.create(
        title=title,
        body=body,
        source=get_or_create_source(name=source),
        published_on=published_on,
        content_hash=content_hash(body=body),
    )
    replace_mentions(article=article)
    return article


def make_articles() -> dict[str, Article]:
    """Save the articles through the ORM with their mentions, and index them (no on_commit here)."""
    get_backend().clear()
    load_gazetteer_file()
    made = {}
    for key, title, body, source, day in ARTICLES:
        made[key] = create_article(
            title=title,
            body=body,
            source=source,
            published_on=datetime.date.fromisoformat(day) if day else None,
        )
    index_articles(pks=[a.pk for a in made.values()])
    return made
