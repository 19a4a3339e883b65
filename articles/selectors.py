"""Reads: queries the views, API and commands share."""

from __future__ import annotations

import datetime
import functools
import threading
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth

from articles.entities.gazetteer import AliasSpec, EntitySpec, RoleSpec
from articles.entities.matcher import EntityMatcher
from articles.highlight import DateSpan, EntitySpan
from articles.models import Alias, Article, Entity, Mention, Role, Source
from articles.templatetags.marsad import format_day

GAZETTEER_VERSION_KEY = "marsad:gazetteer-version"
_matcher_lock = threading.Lock()
_matcher_cache: dict[str, object] = {}


def article_with_mentions(*, pk: int) -> Article:
    mentions = Mention.objects.select_related("entity").order_by("-field", "start")
    return (
        Article.objects.select_related("source")
        .prefetch_related(Prefetch("mentions", queryset=mentions), "event_dates")
        .get(pk=pk)
    )


def mention_legend(*, article: Article) -> list[dict]:
    """Each actor named in the article with its mention count, most-mentioned first."""
    counts: dict[int, dict] = {}
    for mention in article.mentions.all():
        entry = counts.setdefault(mention.entity_id, {"entity": mention.entity, "count": 0})
        entry["count"] += 1
    return sorted(counts.values(), key=lambda e: (-e["count"], e["entity"].name_ar))


def gazetteer_specs() -> list[EntitySpec]:
    """The gazetteer as curated in the database, in the matcher's own terms."""
    entities = Entity.objects.prefetch_related(
        Prefetch("aliases", queryset=Alias.objects.order_by("text")),
        Prefetch("roles", queryset=Role.objects.order_by("phrase", "valid_from")),
    )
    return [
        EntitySpec(
            slug=e.slug,
            kind=e.kind,
            name_ar=e.name_ar,
            name_en=e.name_en,
            aliases=tuple(
                AliasSpec(
                    text=a.text,
                    ambiguous=a.ambiguous,
                    valid_from=a.valid_from,
                    valid_to=a.valid_to,
                )
                for a in e.aliases.all()
            ),
            roles=tuple(
                RoleSpec(phrase=r.phrase, valid_from=r.valid_from, valid_to=r.valid_to)
                for r in e.roles.all()
            ),
        )
        for e in entities
    ]


def gazetteer_version() -> int:
    return cache.get_or_set(GAZETTEER_VERSION_KEY, 1)


def gazetteer_stamp() -> tuple:
    """Changes whenever an actor, alias or role may have, read in one query: the version their
    saves bump (seen by every process) and each table's row count and highest id (a rolled back
    transaction or a restored database changes rows without a save to announce it)."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT COUNT(*) FROM {table}), (SELECT MAX({pk}) FROM {table})"  # noqa: S608 - model names
        for table, pk in (
            (quote(model._meta.db_table), quote(model._meta.pk.column))
            for model in (Entity, Alias, Role)
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return (gazetteer_version(), *cursor.fetchone())


def bump_gazetteer_version() -> None:
    """Tell every worker process that an actor, alias or role changed."""
    cache.set(GAZETTEER_VERSION_KEY, gazetteer_version() + 1, timeout=None)


def entity_matcher() -> tuple[EntityMatcher, dict[str, int]]:
    """The matcher built from the database gazetteer, rebuilt only when the gazetteer changed
    (``gazetteer_stamp``: seen by every worker process, and after a rollback or a restore)."""
    version = gazetteer_stamp()
    with _matcher_lock:
        if _matcher_cache.get("version") != version:
            _matcher_cache["matcher"] = EntityMatcher(gazetteer_specs())
            _matcher_cache["ids"] = dict(Entity.objects.values_list("slug", "id"))
            _matcher_cache["version"] = version
        return _matcher_cache["matcher"], _matcher_cache["ids"]


def published_between(
    prefix: str, *, date_from: datetime.date | None, date_to: datetime.date | None
) -> Q | None:
    """The condition "the article at `prefix` was published in the range" for an annotation's
    filter, or None without a range (the lists' `?from=&to=` counts go through this)."""
    condition = Q()
    if date_from:
        condition &= Q(**{f"{prefix}published_on__gte": date_from})
    if date_to:
        condition &= Q(**{f"{prefix}published_on__lte": date_to})
    return condition or None


# browse ------------------------------------------------------------------------------------------
# Home, archive, outlets, exports, KWIC and feeds read through these (actors: actor_selectors).

EXPORT_CHUNK = 500


def articles_between(
    articles: QuerySet[Article], *, date_from: datetime.date | None, date_to: datetime.date | None
) -> QuerySet[Article]:
    """`articles` narrowed to a publication date range (either end open); any article list's
    `?from=&to=` goes through this so every list filters the same way."""
    if date_from:
        articles = articles.filter(published_on__gte=date_from)
    if date_to:
        articles = articles.filter(published_on__lte=date_to)
    return articles


def article_list(*, source: Source | None = None) -> QuerySet[Article]:
    """Articles for a listing (newest first), with the outlet joined and without the heavy text."""
    articles = Article.objects.select_related("source").defer("body", "original")
    if source is not None:
        articles = articles.filter(source=source)
    return articles.order_by(*Article._meta.ordering)


def corpus_overview() -> dict:
    """Totals for the home page: articles, undated ones, first and last publication date."""
    return Article.objects.aggregate(
        total=Count("pk"),
        undated=Count("pk", filter=Q(published_on=None)),
        first=Min("published_on"),
        last=Max("published_on"),
    )


def corpus_last_modified() -> datetime.datetime | None:
    """When any article last changed: the Last-Modified of pages that list articles."""
    return Article.objects.aggregate(last=Max("updated_at"))["last"]


def articles_per_month(*, articles: QuerySet[Article]) -> list[dict]:
    """Dated `articles` per month, `[{"month": datetime.date(y, m, 1), "count": n}]`, oldest
    first, with empty months between the first and the last included (a timeline shows gaps)."""
    rows = (
        articles.exclude(published_on=None)
        .order_by()
        .values(month=TruncMonth("published_on"))
        .annotate(count=Count("pk"))
    )
    counts = {row["month"]: row["count"] for row in rows}
    if not counts:
        return []
    month, last = min(counts), max(counts)
    months = []
    while month <= last:
        months.append({"month": month, "count": counts.get(month, 0)})
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def archive_years(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> list[dict]:
    """Every year with articles (in the date range, if any), newest first, with its count and
    its months that have any."""
    years: dict[int, dict] = {}
    articles = articles_between(Article.objects.all(), date_from=date_from, date_to=date_to)
    for row in articles_per_month(articles=articles):
        if row["count"]:
            number = row["month"].year
            year = years.setdefault(number, {"year": number, "count": 0, "months": []})
            year["count"] += row["count"]
            year["months"].append(row)
    return sorted(years.values(), key=lambda y: -y["year"])


def sources_with_counts(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> QuerySet[Source]:
    """Outlets with their article count and first and last publication date, largest first
    (within the date range when one is given: then outlets with nothing in it are left out)."""
    within = published_between("articles__", date_from=date_from, date_to=date_to)
    sources = Source.objects.annotate(
        article_count=Count("articles", filter=within),
        first=Min("articles__published_on", filter=within),
        last=Max("articles__published_on", filter=within),
    ).order_by("-article_count", "name")
    return sources.filter(article_count__gt=0) if within else sources


def source_by_slug(*, slug: str) -> Source:
    """One outlet with its counts; raises Source.DoesNotExist."""
    return sources_with_counts().get(slug=slug)


def export_rows(*, ids: list[int]) -> list[dict]:
    """One chunk of an export: the articles `ids` (in that order) with outlet and actor slugs.

    Two queries per chunk, so a 30,000-row export never holds more than a chunk of rows.
    """
    articles = (
        Article.objects.select_related("source")
        .only("pk", "title", "url", "published_on", "source__name")
        .in_bulk(ids)
    )
    actors: dict[int, list[str]] = {}
    for article_id, slug in (
        Mention.objects.filter(article_id__in=ids)
        .order_by("entity__slug")
        .values_list("article_id", "entity__slug")
        .distinct()
    ):
        actors.setdefault(article_id, []).append(slug)
    return [{"article": articles[pk], "actors": actors.get(pk, [])} for pk in ids if pk in articles]


def mention_spans(*, article: Article, field: str = "body") -> list[EntitySpan]:
    """The article's prefetched mentions in ``field`` ("body" or "title") as highlight spans."""
    return [
        EntitySpan(
            start=m.start, end=m.end, slug=m.entity.slug, kind=m.entity.kind, name=m.entity.name_ar
        )
        for m in article.mentions.all()
        if m.field == field
    ]


def event_date_spans(*, article: Article) -> list[DateSpan]:
    """The dates the article's body talks about, as reading-page marks titled with their days."""
    spans = []
    for row in article.event_dates.all():
        days = format_day(row.first)
        if row.last != row.first:
            days = f"{days} – {format_day(row.last)}"
        spans.append(
            DateSpan(
                start=row.start,
                end=row.end,
                first=row.first.isoformat(),
                last=row.last.isoformat(),
                title=days,
            )
        )
    return spans


@dataclass(frozen=True)
class ResultArticle:
    """What a result card shows of an article, read without its body."""

    pk: int
    title: str
    content_hash: str
    published_on: datetime.date | None
    source_name: str | None  # None: no outlet
    source_slug: str | None
    actors: list[str]  # slugs, sorted
    title_spans: list[EntitySpan]  # the headline's mentions, in text order


def result_articles(*, article_ids: list[int]) -> list[ResultArticle]:
    """A page of results in the order of ``article_ids`` (a deleted one left out), in three
    small queries: the rows without their bodies, each one's actors, its headline's mentions.
    Written in SQL: the ORM's building of these three took longer than running them."""
    if not article_ids:
        return []
    rows_sql, actors_sql, titles_sql = (
        sql.replace("{ids}", ", ".join(["%s"] * len(article_ids))) for sql in _result_sql()
    )
    with connection.cursor() as cursor:
        cursor.execute(rows_sql, article_ids)
        found = {row[0]: row for row in cursor.fetchall()}
        cursor.execute(actors_sql, article_ids)
        actors: dict[int, list[str]] = {}
        for article_id, slug in cursor.fetchall():
            actors.setdefault(article_id, []).append(slug)
        cursor.execute(titles_sql, [*article_ids, Mention.Field.TITLE.value])
        titles: dict[int, list[EntitySpan]] = {pk: [] for pk in article_ids}
        for article_id, start, end, slug, kind, name in cursor.fetchall():
            titles[article_id].append(
                EntitySpan(start=start, end=end, slug=slug, kind=kind, name=name)
            )
    return [
        ResultArticle(
            pk,
            title,
            content_hash,
            _date(published_on),
            source_name,
            source_slug,
            actors=sorted(actors.get(pk, ())),
            title_spans=titles[pk],
        )
        for pk, title, content_hash, published_on, source_name, source_slug in (
            found[pk] for pk in article_ids if pk in found
        )
    ]


@functools.cache
def _result_sql() -> tuple[str, str, str]:
    """The SQL of :func:`result_articles` (``{ids}``: the ids' placeholders), its table and
    column names taken from the models."""
    quote = connection.ops.quote_name

    def columns(model) -> dict[str, str]:
        fields = {field.name: quote(field.column) for field in model._meta.concrete_fields}
        return fields | {"pk": quote(model._meta.pk.column), "table": quote(model._meta.db_table)}

    a, s, m, e = (columns(model) for model in (Article, Source, Mention, Entity))
    rows = (
        f"SELECT a.{a['pk']}, a.{a['title']}, a.{a['content_hash']}, a.{a['published_on']},"  # noqa: S608 - model names
        f" s.{s['name']}, s.{s['slug']} FROM {a['table']} a"
        f" LEFT JOIN {s['table']} s ON s.{s['pk']} = a.{a['source']}"
        f" WHERE a.{a['pk']} IN ({{ids}})"
    )
    mentions = (
        f"FROM {m['table']} m JOIN {e['table']} e ON e.{e['pk']} = m.{m['entity']}"
        f" WHERE m.{m['article']} IN ({{ids}})"
    )
    actors = f"SELECT DISTINCT m.{m['article']}, e.{e['slug']} {mentions}"  # noqa: S608 - model names
    titles = (
        f"SELECT m.{m['article']}, m.{m['start']}, m.{m['end']}, e.{e['slug']}, e.{e['kind']},"  # noqa: S608 - model names
        f" e.{e['name_ar']} {mentions} AND m.{m['field']} = %s ORDER BY m.{m['start']}"
    )
    return rows, actors, titles


def _date(value) -> datetime.date | None:
    """A DATE column as read by a raw cursor (SQLite gives its ISO text)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def article_bodies(*, ids: list[int]) -> dict[int, str]:
    return dict(Article.objects.filter(pk__in=ids).values_list("pk", "body"))


def articles_with_mentions(*, ids: list[int]) -> list[Article]:
    """Full articles `ids`, in that order, each with its mentions (for a dossier)."""
    mentions = Mention.objects.select_related("entity").order_by("-field", "start")
    found = (
        Article.objects.select_related("source")
        .prefetch_related(Prefetch("mentions", queryset=mentions))
        .in_bulk(ids)
    )
    return [found[pk] for pk in ids if pk in found]
