"""Where uploaded originals are kept: each file whole or not at all.

A file is written to a partial file in PARTIALS_FOLDER, locked (flock) by its writer from the
moment it exists until it is renamed into place. A writer killed half-way (kill -9) releases its
lock with its life, so a partial whose lock is free belongs to nobody: the next store sweeps it
(`check_index` reports such leftovers, `--repair` removes them). A live writer's partial is
never touched, whichever process writes it.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from django.core.files.storage import FileSystemStorage

PARTIALS_FOLDER = ".partials"
PARTIAL_PREFIX = ".partial-"


class _WrittenFile:
    """A file already written to disk, which FileSystemStorage moves into place."""

    def __init__(self, path: str) -> None:
        self.path = path

    def temporary_file_path(self) -> str:
        return self.path


@contextmanager
def _folder_lock(folder: str, operation: int) -> Iterator[None]:
    """The folder's own flock: writers share it while they create and lock a partial, a sweep
    holds it alone, so a sweep never sees a partial before its writer has locked it."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, operation)
        yield
    finally:
        os.close(descriptor)


class WholeFileStorage(FileSystemStorage):
    """FileSystemStorage that writes a file as a locked partial and renames it into place, so a
    write that fails half-way (a full disk, a read-only folder, a killed process) leaves no
    partial original behind once the next store has run."""

    @property
    def partials_folder(self) -> str:
        return os.path.join(self.location, PARTIALS_FOLDER)

    def _save(self, name, content):
        os.makedirs(self.partials_folder, exist_ok=True)
        self.left_partials(remove=True)
        with _folder_lock(self.partials_folder, fcntl.LOCK_SH):
            descriptor, partial = tempfile.mkstemp(dir=self.partials_folder, prefix=PARTIAL_PREFIX)
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        try:
            with os.fdopen(descriptor, "wb") as out:  # closing it, after the rename, unlocks it
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
                out.flush()
                os.chmod(partial, 0o644)
                return super()._save(name, _WrittenFile(partial))
        except BaseException:
            with suppress(FileNotFoundError):
                os.unlink(partial)
            raise

    def left_partials(self, *, remove: bool) -> list[str]:
        """The partial files no live writer holds (left by a killed one), removed if `remove`."""
        try:
            with _folder_lock(self.partials_folder, fcntl.LOCK_EX):
                return [
                    entry.name
                    for entry in os.scandir(self.partials_folder)
                    if entry.name.startswith(PARTIAL_PREFIX)
                    and _abandoned(entry.path, remove=remove)
                ]
        except FileNotFoundError:  # nothing was ever stored
            return []


def _abandoned(path: str, *, remove: bool) -> bool:
    """Whether no process holds the partial at `path` (then removed if `remove`)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:  # renamed into place a moment ago
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # its writer is alive
        return False
    else:
        if remove:
            os.unlink(path)
        return True
    finally:
        os.close(descriptor)
