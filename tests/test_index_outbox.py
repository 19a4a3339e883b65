"""The index queue lives in the database: every article write queues its index operation in the
same transaction, the indexer applies and deletes it, and check_index compares ids and content
hashes (not counts) with the index's documents."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from articles.engines import get_backend
from articles.indexing import index_articles, unindex_articles
from articles.ingest.drafts import draft_from_text
from articles.models import Article, IndexOperation
from articles.services.articles import save_article
from articles.services.index import drain_index_queue, held_indexing
from tests.opensearch_support import fresh_alias, require_node

TEXT = "قمة في موسكو\n\nاستقبل الرئيس فلاديمير بوتين نظيره في الكرملين لبحث التعاون {n}.\n"


def save(n: int) -> Article:
    return save_article(draft=draft_from_text(TEXT.format(n=n), name=f"{n}.txt")).article


def check(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("check_index", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_save_queues_its_operation_in_its_transaction_and_the_indexer_applies_it():
    with held_indexing():  # as if the process died right after the commit
        article = save(1)
    assert list(IndexOperation.objects.values_list("article_id", "op")) == [(article.pk, "index")]
    assert article.pk not in get_backend().content_hashes()
    code, out = check()
    assert code == 1 and f"missing 1 (in the database, not in the index): #{article.pk}" in out

    assert drain_index_queue() == 1
    assert IndexOperation.objects.count() == 0
    assert article.pk in get_backend().content_hashes()
    assert check() == (0, "index consistent: 1 articles\n")


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        save(1)
        raise RuntimeError
    assert IndexOperation.objects.count() == 0
    assert check() == (0, "index consistent: 0 articles\n")


@pytest.mark.django_db(transaction=True)
def test_edits_and_deletes_are_applied_after_commit():
    article = save(1)
    article.title = "عنوان جديد"
    article.save()
    assert check()[0] == 0  # the edit reached the index: the content hash matches again
    pk = article.pk
    article.delete()
    assert pk not in get_backend().content_hashes()
    assert IndexOperation.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_check_index_sees_missing_orphan_and_stale_with_equal_counts():
    one, two, three = save(1), save(2), save(3)
    unindex_articles(pks=[one.pk])  # missing
    Article.objects.filter(pk=two.pk).update(title="تغير العنوان")  # stale: no signal, no queue
    gone = three.pk
    with held_indexing():
        three.delete()
    IndexOperation.objects.all().delete()  # the removal was lost: an orphan
    four = save(4)
    index_articles(pks=[four.pk])
    # 3 articles and 3 documents: a count comparison would call this consistent.
    assert Article.objects.count() == len(get_backend().content_hashes()) == 3

    code, out = check()
    assert code == 1
    assert f"missing 1 (in the database, not in the index): #{one.pk}" in out
    assert f"orphan 1 (in the index, not in the database): #{gone}" in out
    assert f"stale 1 (indexed with other content than the database holds): #{two.pk}" in out

    code, out = check("--repair")
    assert code == 0
    assert out.endswith("index consistent: 3 articles\n")
    assert check() == (0, "index consistent: 3 articles\n")


@pytest.mark.django_db(transaction=True)
def test_ensure_index_finishes_the_queue_and_says_so():
    save(1)  # indexed after its commit
    with held_indexing():
        two, three = save(2), save(3)
    out = StringIO()
    call_command("ensure_index", stdout=out)
    assert out.getvalue() == (
        "applied 2 queued index operations\nsearch index up to date: 3 of 3 articles\n"
    )
    assert {two.pk, three.pk} <= get_backend().content_hashes().keys()
    assert IndexOperation.objects.count() == 0
    out = StringIO()
    call_command("ensure_index", stdout=out)
    assert out.getvalue() == "search index up to date: 3 of 3 articles\n"  # nothing queued


@pytest.mark.django_db(transaction=True)
def test_a_save_applies_its_own_operations_not_a_running_imports():
    with held_indexing():  # an import's batch, queued, not yet drained by the import
        theirs = save(1)
    mine = save(2)
    assert mine.pk in get_backend().content_hashes()
    assert theirs.pk not in get_backend().content_hashes()
    assert list(IndexOperation.objects.values_list("article_id", flat=True)) == [theirs.pk]


def expect_missing_then_repaired(*, where: str, articles: int) -> None:
    """check_index: one line naming the missing index, exit 1; --repair builds it."""
    with pytest.raises(CommandError) as refused:
        call_command("check_index", stdout=StringIO())
    assert refused.value.returncode == 1
    assert str(refused.value) == (
        f"index missing: {where} (check_index --repair or rebuild_index builds it)"
    )
    code, out = check("--repair")
    assert code == 0 and out.splitlines()[-1] == f"index consistent: {articles} articles"
    assert check() == (0, f"index consistent: {articles} articles\n")


@pytest.mark.django_db(transaction=True)
def test_check_index_reports_a_deleted_whoosh_index_and_makes_none(settings):
    save(1), save(2)
    folder = Path(settings.MARSAD_WHOOSH_PATH)
    shutil.rmtree(folder)
    with pytest.raises(CommandError, match="index missing"):
        call_command("check_index", stdout=StringIO())
    assert not folder.exists()
    expect_missing_then_repaired(where=str(folder), articles=2)


@pytest.mark.django_db(transaction=True)
def test_check_index_reports_a_missing_opensearch_alias_and_makes_none(settings):
    url = f"{require_node()}/{fresh_alias()}"
    save(1), save(2)  # indexed in the embedded engine, not in OpenSearch
    settings.MARSAD_SEARCH_URL = url
    backend = get_backend()
    try:
        with pytest.raises(CommandError, match="index missing"):
            call_command("check_index", stdout=StringIO())
        assert backend.client.indices.get_alias(name=backend.alias, ignore=404)["status"] == 404
        expect_missing_then_repaired(where=url, articles=2)
    finally:
        backend.drop()


@pytest.mark.django_db(transaction=True)
def test_an_edit_indexed_while_an_older_drain_runs_is_not_undone_by_it():
    """An import's drain reads an article, an admin edits it and indexes the edit at once, then
    the import's drain commits the older document: the article is queued again, and the next
    drain leaves the index with the edit (the mixed drill's import + edits)."""
    from articles.services.article_edits import save_article_edit
    from articles.services.index import expected_content_hashes, start_index_drain

    with held_indexing():
        article = save(1)
    drain = start_index_drain()  # read the article as first saved
    article.body = "نص جديد تماما عن زيارة الكرملين."
    save_article_edit(article=article, changed=["body"], created=False)
    edited = expected_content_hashes()
    assert get_backend().content_hashes() == edited  # the edit's own drain indexed it
    drain.finish()  # commits the first version over the edit
    assert get_backend().content_hashes() != edited
    assert IndexOperation.objects.filter(article_id=article.pk).exists()
    drain_index_queue()
    assert get_backend().content_hashes() == edited
    assert check() == (0, "index consistent: 1 articles\n")
