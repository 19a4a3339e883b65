"""Curating the gazetteer in the admin: bad aliases and role terms refused, edits re-match."""

import pytest
from django.urls import reverse
from haystack.query import SearchQuerySet

from articles.ingest.drafts import ArticleDraft
from articles.models import Article, Entity
from articles.services.articles import save_article
from articles.services.gazetteer import load_gazetteer_file


def draft(body: str, **extra) -> ArticleDraft:
    return ArticleDraft(
        title=extra.get("title", "خبر"),
        body=body,
        source_name="",
        published_on=extra.get("published_on"),
        url="",
        original=body,
        original_name="t.txt",
        original_bytes=body.encode(),
        encoding="utf-8",
    )


def entity_form(entity: Entity, *, aliases=(), roles=()) -> dict:
    """The admin change form's POST data: existing inlines kept, new rows appended."""
    data = {
        "kind": entity.kind,
        "name_ar": entity.name_ar,
        "name_en": entity.name_en,
        "slug": entity.slug,
        "_save": "Save",
    }
    existing_aliases = list(entity.aliases.all())
    rows = [(a.pk, a.text, a.ambiguous) for a in existing_aliases] + [
        (None, t, False) for t in aliases
    ]
    data.update({"aliases-TOTAL_FORMS": len(rows), "aliases-INITIAL_FORMS": len(existing_aliases)})
    for i, (pk, text, ambiguous) in enumerate(rows):
        data.update(
            {
                f"aliases-{i}-id": pk or "",
                f"aliases-{i}-entity": entity.pk,
                f"aliases-{i}-text": text,
            }
        )
        if ambiguous:
            data[f"aliases-{i}-ambiguous"] = "on"
    existing_roles = list(entity.roles.all())
    role_rows = [(r.pk, r.phrase, r.valid_from, r.valid_to) for r in existing_roles] + [
        (None, *r) for r in roles
    ]
    data.update({"roles-TOTAL_FORMS": len(role_rows), "roles-INITIAL_FORMS": len(existing_roles)})
    for i, (pk, phrase, start, end) in enumerate(role_rows):
        data.update(
            {
                f"roles-{i}-id": pk or "",
                f"roles-{i}-holder": entity.pk,
                f"roles-{i}-phrase": phrase,
                f"roles-{i}-valid_from": start or "",
                f"roles-{i}-valid_to": end or "",
            }
        )
    return data


@pytest.fixture
def putin(gazetteer) -> Entity:
    return Entity.objects.get(slug="vladimir-putin")


@pytest.mark.parametrize("alias", ["ب", "في", "من"])
def test_alias_that_would_tag_every_article_is_refused(admin_client, putin, alias):
    url = reverse("admin:articles_entity_change", args=[putin.pk])
    response = admin_client.post(url, entity_form(putin, aliases=[alias]))
    assert response.status_code == 200  # the form comes back with the error
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert any(e for e in errors), "the alias row must carry an error"
    assert not putin.aliases.filter(text=alias).exists()


def test_alias_of_only_spaces_is_refused_aloud(admin_client, putin):
    url = reverse("admin:articles_entity_change", args=[putin.pk])
    response = admin_client.post(url, entity_form(putin, aliases=["   "]))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors[-1]["text"]


def test_alias_emptied_by_an_edit_is_refused(admin_client, putin):
    url = reverse("admin:articles_entity_change", args=[putin.pk])
    data = entity_form(putin)
    data["aliases-0-text"] = "  "
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["text"]
    assert not putin.aliases.filter(text="").exists()


def test_overlapping_role_terms_are_refused(admin_client, putin):
    url = reverse("admin:articles_entity_change", args=[putin.pk])
    # Biden held "الرئيس الأمريكي" in 2023: giving it to Putin too would contradict that.
    response = admin_client.post(
        url, entity_form(putin, roles=[("الرئيس الأمريكي", "2023-01-01", "2023-12-31")])
    )
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][1].formset.non_form_errors()
    assert not putin.roles.filter(phrase="الرئيس الأمريكي").exists()


def test_role_ending_before_it_starts_is_refused(admin_client, putin):
    url = reverse("admin:articles_entity_change", args=[putin.pk])
    response = admin_client.post(
        url, entity_form(putin, roles=[("قيصر روسيا", "2020-01-01", "2019-01-01")])
    )
    assert response.context["inline_admin_formsets"][1].formset.non_form_errors()


@pytest.mark.django_db(transaction=True)
def test_editing_an_entity_rematches_articles_and_updates_the_index(admin_client):
    load_gazetteer_file()
    putin = Entity.objects.get(slug="vladimir-putin")
    article = save_article(draft=draft("قال القيصر فولوديا إن الحرب مستمرة.")).article
    assert not article.mentions.exists()
    url = reverse("admin:articles_entity_change", args=[putin.pk])
    response = admin_client.post(url, entity_form(putin, aliases=["القيصر فولوديا"]))
    assert response.status_code == 302
    mention = Article.objects.get(pk=article.pk).mentions.get()
    assert (mention.entity.slug, mention.text) == ("vladimir-putin", "القيصر فولوديا")
    assert article.body[mention.start : mention.end] == mention.text
    hits = SearchQuerySet().models(Article).filter(actors="vladimir-putin")
    assert [int(h.pk) for h in hits] == [article.pk]
