"""JSON API: articles with their mentions, actors with counts, actor suggestions.

Keys are a contract with outside tools (issue 3): change them only together with their tests.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from articles import actor_selectors, selectors
from articles.models import Article, Entity


def _json(data: dict, *, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _not_found(what_ar: str, what_en: str) -> JsonResponse:
    """A script asking the API gets JSON, even for a 404."""
    return _json({"error": f"{what_ar} غير موجود / {what_en} not found"}, status=404)


@require_safe
def article(request, pk: int):
    try:
        item = selectors.article_with_mentions(pk=pk)
    except Article.DoesNotExist:
        return _not_found("المقال", "Article")
    return _json(
        {
            "id": item.pk,
            "title": item.title,
            "body": item.body,
            "source": item.source.slug if item.source else None,
            "published_on": item.published_on.isoformat() if item.published_on else None,
            "url": item.url,
            "mentions": [
                {
                    "entity": m.entity.slug,
                    "kind": m.entity.kind,
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    "via": m.via,
                    "field": m.field,
                }
                for m in item.mentions.all()
            ],
        }
    )


@require_safe
def actor(request, slug: str):
    try:
        entity = actor_selectors.actor_profile(slug=slug)
    except Entity.DoesNotExist:
        return _not_found("الفاعل", "Actor")
    return _json(
        {
            "slug": entity.slug,
            "kind": entity.kind,
            "name_ar": entity.name_ar,
            "name_en": entity.name_en,
            "url": entity.get_absolute_url(),
            "aliases": [alias.text for alias in entity.aliases.all()],
            "roles": [
                {
                    "phrase": role.phrase,
                    "valid_from": role.valid_from.isoformat() if role.valid_from else None,
                    "valid_to": role.valid_to.isoformat() if role.valid_to else None,
                }
                for role in entity.roles.all()
            ],
            "mention_count": entity.mention_count,
            "article_count": entity.article_count,
            "months": actor_selectors.actor_months(entity=entity),
            "co_mentions": [
                {"slug": other.slug, "count": other.shared_articles}
                for other in actor_selectors.co_mentioned_actors(entity=entity)
            ],
        }
    )


@require_safe
def actor_suggest(request):
    """Actors for the search box as the researcher types: `{"results": [...]}`."""
    actors = actor_selectors.suggest_actors(q=request.GET.get("q", ""))
    return _json(
        {
            "results": [
                {
                    "slug": a.slug,
                    "name_ar": a.name_ar,
                    "name_en": a.name_en,
                    "url": a.get_absolute_url(),
                }
                for a in actors
            ]
        }
    )
