"""A corpus large enough to page through: 45 dated articles over fifteen months, three outlets,
Putin in all, Xi Jinping in every third, Lavrov in every fifth, saved through services."""

from __future__ import annotations

import datetime

from tests.actors_support import make_draft

COUNT = 45
OUTLETS = ("الجزيرة", "بي بي سي عربي", "العربية")
FIRST_MONTH = datetime.date(2023, 1, 1)


def article_date(n: int) -> datetime.date:
    """Article n's date: three a month from January 2023, days 5, 15 and 25."""
    month = FIRST_MONTH.month - 1 + n // 3
    return datetime.date(FIRST_MONTH.year + month // 12, month % 12 + 1, 5 + 10 * (n % 3))


def article_text(n: int) -> tuple[str, str]:
    names = ["الرئيس الروسي فلاديمير بوتين"]
    if n % 3 == 0:
        names.append("الرئيس الصيني شي جين بينغ")
    if n % 5 == 0:
        names.append("وزير الخارجية سيرغي لافروف")
    title = f"لقاء رقم {n} في موسكو"
    body = f"في اللقاء رقم {n} تحدث {' و'.join(names)} عن التعاون الاقتصادي والعلاقات الثنائية."
    return title, body


def load_navigation_corpus() -> list:
    """The gazetteer and the 45 articles; the index follows each save after its commit."""
    from articles.services.articles import save_article
    from articles.services.gazetteer import load_gazetteer_file

    load_gazetteer_file()
    saved = []
    for n in range(COUNT):
        title, body = article_text(n)
        draft = make_draft(title, body, source=OUTLETS[n % 3], day=article_date(n))
        saved.append(save_article(draft=draft).article)
    return saved
