"""Many rows of one model inserted with one ``executemany``: the bulk import's mentions, event
dates and index operations, thousands a batch, without a model instance per row.

Values go through each field's own ``get_db_prep_save`` (as the ORM prepares them) — but a plain
int or str of an integer or text column that the database's preparation returns unchanged is
passed as it is, without a call per value. The fields left out take their default or, for
``auto_now``/``auto_now_add``, the time of the call (prepared once); the statement runs on the
caller's connection, inside the caller's transaction. Portable SQL
(quoted names, one placeholder per value) for SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from django.db import models, transaction
from django.utils import timezone

# Columns whose prepared value may be the value itself (checked on the first row, per backend).
PLAIN_FIELDS: frozenset[type[models.Field]] = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.IntegerField,
        models.BigIntegerField,
        models.PositiveIntegerField,
        models.PositiveBigIntegerField,
        models.CharField,
        models.TextField,
    }
)


def _plain_type(*, field: models.Field, value: object, connection) -> type | None:
    """The type of ``value`` when the column stores values of that type as they are (an int or
    str the field's preparation gives back unchanged), else None."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if type(target) not in PLAIN_FIELDS or type(value) not in (int, str):
        return None
    prepared = field.get_db_prep_save(value, connection)
    return type(value) if type(prepared) is type(value) and prepared == value else None


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
        f.get_db_prep_save(
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default(),
            connection,
        )
        for f in rest
    )
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    prepare = [field.get_db_prep_save for field in given]
    plain = [
        _plain_type(field=f, value=v, connection=connection)
        for f, v in zip(given, first, strict=True)
    ]
    values = [
        (
            *(
                v if type(v) is kind else p(v, connection)
                for p, kind, v in zip(prepare, plain, row, strict=True)
            ),
            *filled,
        )
        for row in itertools.chain((first,), rows)
    ]
    columns = [*given, *rest]
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in columns)  # from the model's own metadata
    placeholders = ", ".join(["%s"] * len(columns))  # the values are parameters
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
    return len(values)
