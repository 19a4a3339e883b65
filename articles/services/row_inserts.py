"""Many rows of one model inserted with one ``executemany``: the bulk import's mentions, event
dates and index operations, thousands a batch, without a model instance per row.

Values go through each field's own ``get_db_prep_save`` (as the ORM prepares them), the fields
left out take their default or, for ``auto_now``/``auto_now_add``, the time of the call; the
statement runs on the caller's connection, inside the caller's transaction. Portable SQL
(quoted names, one placeholder per value) for SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import models, transaction
from django.utils import timezone


def insert_rows(*, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert ``rows`` (values in the order of ``fields``, by attribute name: ``article_id``);
    returns how many. The primary key is the database's."""
    connection = transaction.get_connection()  # the wrapper itself: a proxy per value is slow
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    names = {field.attname for field in given}
    rest = [f for f in meta.concrete_fields if not f.primary_key and f.attname not in names]
    now = timezone.now()
    filled = tuple(
        now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in rest
    )
    columns = [*given, *rest]
    prepare = [field.get_db_prep_save for field in columns]
    values = [
        tuple(p(v, connection) for p, v in zip(prepare, (*row, *filled), strict=True))
        for row in rows
    ]
    if not values:
        return 0
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in columns)  # from the model's own metadata
    placeholders = ", ".join(["%s"] * len(columns))  # the values are parameters
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
    return len(values)
