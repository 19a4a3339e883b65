"""What the index commands share: an engine that does not answer ends them with one line."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import CommandError

from articles.engines.base import EngineUnavailable


@contextmanager
def engine_answering() -> Iterator[None]:
    """An engine that does not answer, or an index folder the system refuses (OSError), becomes
    a CommandError naming the cause (exit code 1, no traceback)."""
    try:
        yield
    except (EngineUnavailable, OSError) as exc:
        raise CommandError(f"search index not reached: {exc}", returncode=1) from exc
