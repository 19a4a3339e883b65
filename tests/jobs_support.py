"""Helpers for the job tests: made-up JSONL articles (each body distinct) and a worker run."""

from __future__ import annotations

import io
import json

from django.core.management import call_command


def jsonl_articles(count: int, *, tag: str = "") -> bytes:
    """`count` JSONL records that name Lavrov, each with a body of its own."""
    lines = [
        json.dumps(
            {
                "title": f"لافروف يزور بكين {tag} {n}",
                "body": (
                    f"قال وزير الخارجية الروسي سيرغي لافروف في البيان رقم {n} {tag} إن المحادثات "
                    f"مع الصين ستتواصل، وأضاف أن الجولة {n + 1} تعقد في موسكو الشهر المقبل."
                ),
                "date": "2024-04-07",
                "source": "إيلاف",
            },
            ensure_ascii=False,
        )
        for n in range(count)
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def run_worker() -> str:
    """`manage.py worker --batch`: recover stale jobs, run every queued one, exit. Its output."""
    out = io.StringIO()
    call_command("worker", "--batch", "--interval", "0", stdout=out)
    return out.getvalue()
