"""Reads of the actors: the actor list, actor pages, suggestions, charts and the actor API."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from articles.arabic import normalize
from articles.models import Alias, Article, Entity, Mention, Role
from articles.selectors import articles_per_month, gazetteer_version, published_between

CO_MENTION_LIMIT = 10
SUGGEST_LIMIT = 8
HOME_ACTORS = 12


def actors_with_counts(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> QuerySet[Entity]:
    """Actors with their article and mention counts (within the date range when one is given:
    then actors not named in it are left out)."""
    within = published_between("mentions__article__", date_from=date_from, date_to=date_to)
    actors = Entity.objects.annotate(
        article_count=Count("mentions__article", distinct=True, filter=within),
        mention_count=Count("mentions", filter=within),
    ).order_by("-article_count", "name_en")
    return actors.filter(article_count__gt=0) if within else actors


def _fold(text: str) -> str:
    """Search form of a name: Arabic normalized as in search (أ/ا, ة/ه…), Latin lower-cased."""
    return " ".join(normalize(text).lower().split())


def _without_article(key: str) -> str:
    """The key with each word's definite article dropped, so "كرملين" finds "الكرملين"."""
    return " ".join(w[2:] if w.startswith("ال") and len(w) > 4 else w for w in key.split())


def _actor_keys() -> dict[int, set[str]]:
    """Every name each actor goes by (Arabic, English, aliases), in search form, by entity id.

    Names are matched in Python rather than SQL because the database holds them unnormalized;
    the gazetteer is a few hundred rows, so this is two small queries.
    """
    keys: dict[int, set[str]] = {}
    for pk, name_ar, name_en in Entity.objects.values_list("pk", "name_ar", "name_en"):
        keys.setdefault(pk, set()).update((_fold(name_ar), _fold(name_en)))
    for entity_id, text in Alias.objects.values_list("entity_id", "text"):
        keys.setdefault(entity_id, set()).add(_fold(text))
    for names in keys.values():
        names.update([_without_article(name) for name in names])
    return keys


def filter_actors(
    *,
    q: str = "",
    kind: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Entity]:
    """Actors with counts whose Arabic or English name or any alias contains `q`, of `kind`
    (counted within the date range, if any)."""
    actors = actors_with_counts(date_from=date_from, date_to=date_to)
    if kind in Entity.Kind.values:
        actors = actors.filter(kind=kind)
    needle = _fold(q)
    if needle:
        ids = [pk for pk, names in _actor_keys().items() if any(needle in n for n in names)]
        actors = actors.filter(pk__in=ids)
    return actors


def actors_by_kind(
    *,
    q: str = "",
    kind: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[dict]:
    """The filtered actors grouped by kind (people first), each group most-covered first."""
    actors = list(filter_actors(q=q, kind=kind, date_from=date_from, date_to=date_to))
    return [
        {"kind": value, "label": label, "actors": group}
        for value, label in Entity.Kind.choices
        if (group := [a for a in actors if a.kind == value])
    ]


def suggest_actors(*, q: str, limit: int = SUGGEST_LIMIT) -> list[Entity]:
    """Actors one of whose names has a word starting with `q` ("بوت", "put" → Putin).

    Names that start with `q` come before names that only have a later word starting with it;
    then the actors most written about.
    """
    needle = _fold(q)
    if not needle:
        return []
    rank: dict[int, int] = {}
    for pk, names in _actor_keys().items():
        if any(n.startswith(needle) for n in names):
            rank[pk] = 0
        elif any(f" {needle}" in f" {n}" for n in names):
            rank[pk] = 1
    actors = actors_with_counts().filter(pk__in=rank)
    return sorted(actors, key=lambda a: (rank[a.pk], -a.article_count, a.name_en))[:limit]


def actor_profile(*, slug: str) -> Entity:
    """One actor with counts, aliases and roles (terms in date order). Raises Entity.DoesNotExist."""
    return (
        actors_with_counts()
        .prefetch_related(
            Prefetch("aliases", queryset=Alias.objects.order_by("text")),
            Prefetch("roles", queryset=Role.objects.order_by("phrase", "valid_from")),
        )
        .get(slug=slug)
    )


def _articles_naming(entity: Entity) -> QuerySet[Article]:
    return Article.objects.filter(pk__in=Mention.objects.filter(entity=entity).values("article_id"))


def actor_articles(*, entity: Entity) -> QuerySet[Article]:
    """Articles that mention the actor, newest first, with how often each names it."""
    return (
        _articles_naming(entity)
        .select_related("source")
        .defer("body", "original")
        .annotate(actor_mentions=Count("mentions", filter=Q(mentions__entity=entity)))
        .order_by(*Article._meta.ordering)
    )


def actor_months(*, entity: Entity) -> list[dict]:
    """Dated articles mentioning the actor per month, `[{"month": "2023-03", "count": n}]`,
    empty months between the first and the last included (see `articles_per_month`)."""
    return [
        {"month": f"{row['month']:%Y-%m}", "count": row["count"]}
        for row in articles_per_month(articles=_articles_naming(entity))
    ]


def co_mentioned_actors(*, entity: Entity, limit: int = CO_MENTION_LIMIT) -> list[Entity]:
    """Other actors named in the same articles, by number of shared articles (`shared_articles`)."""
    article_ids = Mention.objects.filter(entity=entity).values("article_id")
    return list(
        Entity.objects.exclude(pk=entity.pk)
        .filter(mentions__article_id__in=article_ids)
        .annotate(shared_articles=Count("mentions__article", distinct=True))
        .order_by("-shared_articles", "name_en")[:limit]
    )


def actors_data_version() -> str:
    """Changes whenever any actor's counts may have: gazetteer edits, (re)matching, imports,
    deletions and date edits. Part of the cache key of rendered charts."""
    mentions = Mention.objects.aggregate(last=Max("pk"), total=Count("pk"))
    articles = Article.objects.aggregate(touched=Max("updated_at"), total=Count("pk"))
    touched = articles["touched"].isoformat() if articles["touched"] else "-"
    return (
        f"g{gazetteer_version()}-m{mentions['last'] or 0}.{mentions['total']}"
        f"-a{articles['total']}.{touched}"
    )


def top_actors(*, limit: int = HOME_ACTORS) -> list[Entity]:
    """The actors named in the most articles (with `article_count`), for the home page."""
    return list(actors_with_counts().filter(article_count__gt=0)[:limit])
