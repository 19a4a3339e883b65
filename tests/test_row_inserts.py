"""Rows inserted with one executemany (``services.row_inserts``) are the rows the ORM's
bulk_create writes: the same values read back, defaults and auto_now_add filled, inside the
caller's transaction (SQLite and PostgreSQL alike: run with DATABASE_URL for the latter)."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Entity, EventDate, IndexOperation, Mention
from articles.services.event_dates import EVENT_DATE_FIELDS
from articles.services.pipeline import MENTION_FIELDS
from articles.services.row_inserts import insert_rows

pytestmark = pytest.mark.django_db


def stored(model, fields: tuple[str, ...]) -> list[tuple]:
    return list(model.objects.order_by("pk").values_list(*fields))


def article(n: int) -> Article:
    return Article.objects.create(title=f"t{n}", body=f"نص {n}", content_hash=f"h{n}")


def test_mentions_read_back_as_the_orm_writes_them(gazetteer):
    first, second = article(1), article(2)
    putin, xi = Entity.objects.get(slug="vladimir-putin"), Entity.objects.get(slug="xi-jinping")
    rows = [
        (first.pk, putin.pk, 0, 5, "بوتين", "name", "title"),
        (first.pk, xi.pk, 10, 27, "الرئيس الصيني", "role", "body"),
        (second.pk, putin.pk, 3, 9, "لبوتين" + "\u064e", "name", "body"),
    ]
    assert insert_rows(model=Mention, fields=MENTION_FIELDS, rows=rows) == 3
    raw = stored(Mention, MENTION_FIELDS)
    Mention.objects.all().delete()
    Mention.objects.bulk_create(Mention(**dict(zip(MENTION_FIELDS, r, strict=True))) for r in rows)
    assert raw == stored(Mention, MENTION_FIELDS) == rows


def test_event_dates_read_back_as_dates():
    first = article(1)
    rows = [
        (first.pk, 0, 4, "أمس", datetime.date(2024, 3, 1), datetime.date(2024, 3, 1)),
        (first.pk, 9, 20, "الشهر الماضي", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
    ]
    insert_rows(model=EventDate, fields=EVENT_DATE_FIELDS, rows=rows)
    raw = stored(EventDate, EVENT_DATE_FIELDS)
    EventDate.objects.all().delete()
    EventDate.objects.bulk_create(
        EventDate(**dict(zip(EVENT_DATE_FIELDS, r, strict=True))) for r in rows
    )
    assert raw == stored(EventDate, EVENT_DATE_FIELDS) == rows


def test_a_field_left_out_takes_its_auto_now_add_time():
    before = timezone.now()
    insert_rows(
        model=IndexOperation,
        fields=("article_id", "op"),
        rows=[(7, IndexOperation.Op.INDEX), (8, IndexOperation.Op.REMOVE)],
    )
    operations = list(IndexOperation.objects.order_by("pk"))
    assert [(o.article_id, o.op) for o in operations] == [(7, "index"), (8, "remove")]
    assert all(before <= o.created <= timezone.now() for o in operations)


def test_no_rows_inserts_nothing():
    assert insert_rows(model=IndexOperation, fields=("article_id", "op"), rows=[]) == 0
    assert not IndexOperation.objects.exists()


def test_the_rows_belong_to_the_callers_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        insert_rows(model=IndexOperation, fields=("article_id", "op"), rows=[(1, "index")])
        assert IndexOperation.objects.count() == 1
        raise RuntimeError("the batch fails")
    assert not IndexOperation.objects.exists()
