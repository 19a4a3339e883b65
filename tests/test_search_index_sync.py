"""The index follows the database after commit; concurrent writers wait instead of failing."""

import threading
import time

import pytest
from django.core.management import call_command

from articles.engines import get_backend
from articles.engines.whoosh.store import write_lock
from articles.indexing import index_articles, unindex_articles
from articles.ingest.drafts import draft_from_text
from articles.models import Article
from articles.services.articles import save_article
from articles.services.gazetteer import load_gazetteer_file


def indexed_count() -> int:
    return get_backend().count()


def is_indexed(*, pk: int) -> bool:
    return pk in get_backend().content_hashes()


def search_ids(q: str) -> set[int]:
    from django.http import QueryDict

    from articles.search import parse_params, run_search

    return {h.article.pk for h in run_search(parse_params(QueryDict(f"q={q}"))).hits}


@pytest.mark.django_db(transaction=True)
def test_save_edit_delete_follow_the_database():
    get_backend().clear()
    load_gazetteer_file()  # the matcher caches entity ids: reload them for this db
    draft = draft_from_text(
        "قمة في موسكو\n\nاستقبل الرئيس فلاديمير بوتين نظيره في الكرملين لبحث التعاون الاقتصادي.",
        name="summit.txt",
    )
    article = save_article(draft=draft).article
    assert is_indexed(pk=article.pk)
    assert article.pk in search_ids("الاقتصادي")

    article.body = "تناول اللقاء ملف الطاقة والنفط."
    article.save()
    assert article.pk in search_ids("النفط")
    assert article.pk not in search_ids("الاقتصادي")

    pk = article.pk
    article.delete()
    assert not is_indexed(pk=pk)
    assert search_ids("النفط") == set()


@pytest.mark.django_db(transaction=True)
def test_nothing_is_indexed_when_the_transaction_rolls_back():
    from django.db import transaction

    get_backend().clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.create(title="ت", body="نص يلغى", content_hash="x" * 64)
        raise RuntimeError
    assert indexed_count() == 0


@pytest.mark.django_db
def test_rebuild_and_update_index_commands(django_capture_on_commit_callbacks):
    get_backend().clear()
    for n in range(3):
        Article.objects.create(title=f"عنوان {n}", body=f"نص رقم {n}", content_hash=str(n) * 64)
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert indexed_count() == 3
    get_backend().clear()
    call_command("update_index", verbosity=0)
    assert indexed_count() == 3


@pytest.mark.django_db
def test_concurrent_writers_wait_for_the_lock():
    get_backend().clear()
    article = Article.objects.create(title="عنوان", body="نص", content_hash="c" * 64)
    index_articles(pks=[article.pk])
    errors: list[BaseException] = []
    holding = threading.Event()

    def hold_the_lock():
        try:
            with write_lock(get_backend().live_index()):
                holding.set()
                time.sleep(0.5)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def remove():
        holding.wait()
        try:
            unindex_articles(pks=[article.pk])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=hold_the_lock), threading.Thread(target=remove)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert not is_indexed(pk=article.pk)
