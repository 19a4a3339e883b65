"""Near-duplicates: a real edited copy of a seed is flagged with a link; other stories are not."""

import pytest
from django.contrib.auth.models import User

from articles.models import Article
from articles.near_duplicates import NEAR_DUPLICATE_THRESHOLD, jaccard, shingles
from articles.services.articles import content_hash
from tests.upload_support import SEEDS, confirm, upload

SEED = SEEDS[2].read_text(encoding="utf-8")  # Elaph: Lavrov to visit China


def edited_copy(text: str) -> str:
    """The same story re-published elsewhere: new headline, a few words changed, a paragraph cut."""
    text = text.replace(
        "لافروف يزور الصين الإثنين والثلاثاء", "وزير الخارجية الروسي في بكين مطلع الأسبوع"
    )
    text = text.replace("زيارة رسمية للصين", "زيارة رسمية إلى الصين")
    text = text.replace(
        "تعززت العلاقات بين موسكو وبكين بشكل كبير", "تعززت العلاقات بين البلدين كثيرا"
    )
    text = text.replace("وتندرج زيارة لافروف ضمن هذا التقارب.", "")
    text = text.replace("عامل استقرار", "عامل الاستقرار")
    return text


def body_of(text: str) -> str:
    from articles.ingest import read_upload

    (draft,) = read_upload(name="x.txt", data=text.encode("utf-8"))
    return draft.body


def test_the_edited_copy_is_above_the_threshold_and_other_stories_far_below():
    original, copy = shingles(body_of(SEED)), shingles(body_of(edited_copy(SEED)))
    assert content_hash(body=body_of(SEED)) != content_hash(body=body_of(edited_copy(SEED)))
    similarity = jaccard(original, copy)
    assert NEAR_DUPLICATE_THRESHOLD <= similarity < 1.0, similarity
    for other in (SEEDS[0], SEEDS[3], SEEDS[4]):
        assert jaccard(original, shingles(body_of(other.read_text(encoding="utf-8")))) < 0.1


@pytest.fixture
def admin_client(client, db, gazetteer):
    client.force_login(User.objects.create_superuser("root", password="pw"))
    return client


def test_the_preview_flags_a_near_duplicate_with_a_link_and_saves_it_with_a_warning(admin_client):
    confirm(admin_client, upload(admin_client, {"elaph.txt": SEED.encode()}))
    original = Article.objects.get()
    preview = upload(
        admin_client,
        {"copy.txt": edited_copy(SEED).encode(), "other.txt": SEEDS[0].read_bytes()},
    )
    items = {d.draft.original_name: d for d in preview.context["preview"].drafts}
    assert not items["copy.txt"].is_duplicate
    (near,) = items["copy.txt"].near_duplicates
    assert near.article_id == original.pk and near.similarity >= NEAR_DUPLICATE_THRESHOLD
    assert items["other.txt"].near_duplicates == []
    html = preview.content.decode()
    assert f'href="/admin/articles/article/{original.pk}/change/"' in html
    assert "near-duplicate" in html
    confirm(admin_client, preview)
    copy = Article.objects.get(original_name="copy.txt")
    assert any(w.startswith(f"near duplicate of #{original.pk}") for w in copy.ingest_warnings)


def test_without_any_indexed_article_nothing_is_near(admin_client):
    preview = upload(admin_client, {"copy.txt": edited_copy(SEED).encode()})
    assert preview.context["preview"].drafts[0].near_duplicates == []
