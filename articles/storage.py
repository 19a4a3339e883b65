"""Where uploaded originals are kept: each file whole or not at all."""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress

from django.core.files.storage import FileSystemStorage

PARTIAL_PREFIX = ".partial-"


class _WrittenFile:
    """A file already written to disk, which FileSystemStorage moves into place."""

    def __init__(self, path: str) -> None:
        self.path = path

    def temporary_file_path(self) -> str:
        return self.path


class WholeFileStorage(FileSystemStorage):
    """FileSystemStorage that writes a file beside its final name and renames it into place, so
    a write that fails half-way (a full disk, a read-only folder) leaves no partial original."""

    def _save(self, name, content):
        folder = os.path.dirname(self.path(name))
        os.makedirs(folder, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(dir=folder, prefix=PARTIAL_PREFIX)
        try:
            with os.fdopen(descriptor, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
            os.chmod(partial, 0o644)
            return super()._save(name, _WrittenFile(partial))
        except BaseException:
            with suppress(FileNotFoundError):
                os.unlink(partial)
            raise
