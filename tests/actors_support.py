"""A small dated corpus for the actor pages, charts and API tests, saved through services."""

from __future__ import annotations

import datetime

ARTICLES = [
    # (title, body, outlet, date, url)
    (
        "بوتين يستقبل لافروف",
        "التقى الرئيس الروسي فلاديمير بوتين وزير الخارجية سيرغي لافروف في موسكو.\n\n"
        "وقال بوتين إن المحادثات كانت مثمرة، وأضاف لافروف أن الزيارة ناجحة.",
        "الجزيرة",
        datetime.date(2023, 3, 10),
        "https://example.org/a1",
    ),
    (
        "شي يزور موسكو",
        "استقبل فلاديمير بوتين الرئيس الصيني شي جين بينغ في موسكو، ورحب شي بالدعوة.",
        "بي بي سي عربي",
        datetime.date(2023, 5, 2),
        "https://example.org/a2",
    ),
    (
        "وانغ يي يتحدث",
        "قال وزير الخارجية الصيني وانغ يي إن بكين تدعم الحوار.",
        "الجزيرة",
        datetime.date(2023, 5, 20),
        "",
    ),
    (
        "تصريح بلا تاريخ",
        "صرح سيرغي لافروف للصحفيين بأن موسكو مستعدة للتفاوض مع كييف.",
        "",
        None,
        "",
    ),
    (
        "انفجار في المدينة",
        "انفجرت عبوتين ناسفتين قرب السوق، ولم يصب أحد.",
        "الجزيرة",
        datetime.date(2023, 7, 1),
        "",
    ),
]


def make_draft(title: str, body: str, *, source: str = "", day=None, url: str = ""):
    from articles.ingest.drafts import ArticleDraft

    text = f"{title}\n\n{body}"
    return ArticleDraft(
        title=title,
        body=body,
        source_name=source,
        published_on=day,
        url=url,
        original=text,
        original_name="test.txt",
        original_bytes=text.encode(),
        encoding="utf-8",
    )


def load_corpus() -> list:
    """The gazetteer and the articles above; returns the saved articles in order."""
    from articles.services.articles import save_article
    from articles.services.gazetteer import load_gazetteer_file

    load_gazetteer_file()
    return [
        save_article(draft=make_draft(title, body, source=source, day=day, url=url)).article
        for title, body, source, day, url in ARTICLES
    ]
