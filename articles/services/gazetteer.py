"""Writes for the gazetteer: loading the shipped file, role checks, re-matching after edits."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.entities.gazetteer import RoleSpec, load_gazetteer, validate_roles
from articles.models import (
    Alias,
    Article,
    Entity,
    IndexOperation,
    Job,
    Role,
)
from articles.selectors import bump_gazetteer_version
from articles.services.articles import replace_mentions
from articles.services.index import held_indexing, queue_index_operations, try_drain_index_queue


def role_term_errors(*, holder: Entity, terms: list[dict]) -> list[str]:
    """Overlapping or contradictory terms of office, checked against every other holder's."""
    others = Role.objects.exclude(holder_id=holder.pk) if holder.pk else Role.objects.all()
    roles = [
        (
            role.holder.slug,
            RoleSpec(phrase=role.phrase, valid_from=role.valid_from, valid_to=role.valid_to),
        )
        for role in others.select_related("holder")
    ]
    roles += [
        (
            holder.slug or "(new)",
            RoleSpec(
                phrase=t["phrase"], valid_from=t.get("valid_from"), valid_to=t.get("valid_to")
            ),
        )
        for t in terms
    ]
    return validate_roles(roles)


def rematch_articles(*, article_ids: list[int], on_result: Callable[[], None] | None = None) -> int:
    """Recompute mentions for these articles (one transaction each), then reindex them in batches."""
    count = 0
    with held_indexing():
        for article in Article.objects.filter(pk__in=article_ids).iterator():
            with transaction.atomic():
                replace_mentions(article=article)
                # its actors are part of its document: a write, which a drain under way sees
                Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
                queue_index_operations(article_ids=[article.pk], op=IndexOperation.Op.INDEX)
            count += 1
            if on_result:
                on_result()
    try_drain_index_queue()
    return count


def gazetteer_changed(*, entity: Entity) -> int:
    """After an admin edit: rebuild the matcher everywhere, re-match the articles it may touch
    (as a background job when they are more than MARSAD_JOB_MIN_ARTICLES; then returns 0)."""
    bump_gazetteer_version()
    phrases = [a.text for a in entity.aliases.all()] + [r.phrase for r in entity.roles.all()]
    affected = Q(mentions__entity=entity)
    for phrase in phrases:
        affected |= Q(body__contains=phrase) | Q(title__contains=phrase)
    ids = list(Article.objects.filter(affected).values_list("pk", flat=True).distinct())
    if len(ids) > settings.MARSAD_JOB_MIN_ARTICLES:
        from articles.jobs import start_job

        start_job(kind=Job.Kind.REEXTRACT, params={"article_ids": ids})
        return 0
    return rematch_articles(article_ids=ids)


def load_gazetteer_file(*, path: Path | None = None) -> tuple[int, int]:
    """Upsert the shipped gazetteer into the database (idempotent); returns (entities, new ones).

    Aliases and roles in the file are added; ones an admin added by hand are kept.
    """
    created_count = 0
    specs = load_gazetteer(path)
    with transaction.atomic():
        for spec in specs:
            entity, created = Entity.objects.update_or_create(
                slug=spec.slug,
                defaults={"kind": spec.kind, "name_ar": spec.name_ar, "name_en": spec.name_en},
            )
            created_count += created
            for alias in spec.aliases:
                Alias.objects.update_or_create(
                    entity=entity,
                    text=alias.text,
                    defaults={
                        "ambiguous": alias.ambiguous,
                        "valid_from": alias.valid_from,
                        "valid_to": alias.valid_to,
                    },
                )
            for role in spec.roles:
                Role.objects.get_or_create(
                    holder=entity,
                    phrase=role.phrase,
                    valid_from=role.valid_from,
                    defaults={"valid_to": role.valid_to},
                )
    return len(specs), created_count
