"""What ``bench_search`` searches and on what: its fixed queries, and the corpus it imports into
a scratch data dir (once, then N−1 shifted copies for the ×N lines)."""

from __future__ import annotations

import datetime
import gzip
import json
from collections.abc import Iterator
from pathlib import Path

# Text part of each query; actor and date filters are added to some below. At least 50 in all.
WORDS = [
    "الرئيس", "روسيا", "الصين", "بوتين", "أمريكا", "الاقتصاد", "النفط", "الحرب", "السعودية",
    "الانتخابات", "العلاقات", "الأمم المتحدة", "الرئيس الروسي", "الصينية", "موسكو", "بكين",
    "لبوتين", "والرئيس", "للرئيس", "بالعلاقات", "الْعَرَبِــيَّة", "احمد", "مصطفى", "سوريا",
    "إيران", "ترامب", "الإرهاب", "كرة القدم", "اقتصاد*", "الصين OR روسيا", "روسيا NOT أوكرانيا",
    "وزير الخارجية", "المملكة", "البنك المركزي", "الأسعار", "فلسطين", "مصر", "تركيا", "اللاجئين",
]  # fmt: skip
PHRASES = [
    '"الرئيس الروسي"', '"وزير الخارجية"', '"الأمم المتحدة"', '"كأس العالم"', '"البيت الأبيض"',
    '"مجلس الأمن"', '"رئيس الوزراء"', '"الشرق الأوسط"',
]  # fmt: skip
FILTERED = [
    ("روسيا", {"actor": "vladimir-putin"}),
    ("الرئيس", {"actor": "donald-trump"}),
    ("الاقتصاد", {"actor": "china"}),
    ("النفط", {"actor": "united-states"}),
    ("العلاقات", {"actor": "russia"}),
    ("الحرب", {"from": "2018-03-01", "to": "2018-06-30"}),
    ("الرئيس", {"from": "2018-01-01", "to": "2018-12-31", "sort": "date"}),
    ("الصين", {"from": "2018-05-01"}),
    ("المملكة", {"to": "2018-04-30"}),
    ("الانتخابات", {"actor": "russia", "from": "2018-01-01", "to": "2018-12-31"}),
]


def bench_queries() -> list[tuple[str, dict[str, str]]]:
    """(query text, other search parameters) of every query the benchmark times."""
    return [(w, {}) for w in WORDS] + [(p, {}) for p in PHRASES] + FILTERED


def read_corpus(path: Path, *, limit: int | None) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                return
            if line.strip():
                yield json.loads(line)


def _day(value: object) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _shifted(day: datetime.date | None, *, years: int) -> datetime.date | None:
    if day is None or not years:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def import_corpus(corpus: Path, *, limit: int | None) -> int:
    """Bulk insert: Source rows, Article rows (content_hash deduplicates), matcher mentions."""
    from django.db import transaction

    from articles.models import Article, Mention
    from articles.services.articles import content_hash, get_or_create_source, mentions_for

    sources: dict[str, object] = {}
    seen: set[str] = set()
    batch: list[Article] = []
    total = 0

    def flush() -> None:
        with transaction.atomic():
            Article.objects.bulk_create(batch)
            Mention.objects.bulk_create(
                mention for article in batch for mention in mentions_for(article=article)
            )
        batch.clear()

    for record in read_corpus(corpus, limit=limit):
        body = (record.get("body") or "").strip()
        digest = content_hash(body=body)
        url = (record.get("url") or "").strip()[:990]
        if not body or digest in seen or (url and url in seen):
            continue  # the corpus's own duplicates, by text or by URL, as an import skips them
        seen.update({digest, url} - {""})
        name = (record.get("source") or "").strip()
        if name not in sources:
            sources[name] = get_or_create_source(name=name)
        batch.append(
            Article(
                title=(record.get("title") or body[:80]).strip()[:500],
                body=body,
                source=sources[name],
                published_on=_day(record.get("date")),
                url=url,
                content_hash=digest,
            )
        )
        total += 1
        if len(batch) == 1000:
            flush()
    if batch:
        flush()
    return total


def import_copies(*, copies: int) -> int:
    """Copies 2..N of every article the database holds (the corpus imported once): its date
    a year later per copy, its body and URL marked with the copy number, so each is a
    distinct article the index analyses and writes like any other. A copy's mentions are
    its original's, re-pointed (same title, same body up to the mark: the same offsets),
    instead of running the matcher again, which at 300k takes longer than the rest of the
    build; the matcher reads the publication day, so a date-dependent role could resolve
    otherwise on a real article of that later year."""
    from django.db import transaction

    from articles.models import Article, Mention
    from articles.services.articles import content_hash

    article_fields = ("pk", "title", "body", "source_id", "published_on", "url")
    mention_fields = ("article_id", "entity_id", "start", "end", "text", "via", "field")
    originals = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    total = 0
    for start in range(0, len(originals), 1000):
        chunk = originals[start : start + 1000]
        rows = list(Article.objects.filter(pk__in=chunk).values_list(*article_fields))
        mentions = list(Mention.objects.filter(article_id__in=chunk).values_list(*mention_fields))
        for copy in range(1, copies):
            made = {}
            for pk, title, body, source_id, day, url in rows:
                body = f"{body}\n(نسخة {copy + 1})"
                made[pk] = Article(
                    title=title,
                    body=body,
                    source_id=source_id,
                    published_on=_shifted(day, years=copy),
                    url=f"{url}#copy{copy + 1}" if url else "",
                    content_hash=content_hash(body=body),
                )
            with transaction.atomic():
                Article.objects.bulk_create(made.values())
                Mention.objects.bulk_create(
                    Mention(
                        article_id=made[article_id].pk,
                        **dict(zip(mention_fields[1:], rest, strict=True)),
                    )
                    for article_id, *rest in mentions
                )
            total += len(made)
    return total
