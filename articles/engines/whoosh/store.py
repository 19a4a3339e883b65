"""Where the Whoosh index lives: versioned directories behind one pointer file.

``<root>/CURRENT`` names the live directory (``<root>/v-<stamp>``). A rebuild writes a new
directory beside the live one and swaps the pointer with an atomic rename, so searches never see
an empty or half-built index. Writes that arrive during a rebuild go to the live index and to a
journal the rebuild replays into the new directory before the swap (under the live index's
write lock), so no edit is lost. Writers wait, with jittered backoff, while another thread or
process holds a lock.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import random
import shutil
import time
import uuid
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import LockError

from articles.arabic import analyzer_version

from .bulk_writer import GroupingSegmentWriter
from .schema import article_schema

WRITE_TIMEOUT_S = 120.0
POINTER = "CURRENT"
REBUILDING = "REBUILDING"  # names the directory a rebuild is writing
ANALYZER_VERSION_FILE = "marsad-analyzer-version"
LAYOUT = "2"  # bumped when the schema changes: an index of another layout is rebuilt


def codec() -> W3Codec:
    """Postings blocks without zlib: ~10% faster to write, and to read at every query."""
    return W3Codec(compression=0)


class write_lock:  # noqa: N801 - used like a function: `with write_lock(ix) as writer`
    """A writer, waiting (with jittered backoff) while another thread or process holds the lock
    (a :class:`GroupingSegmentWriter` unless several processes are asked for)."""

    def __init__(self, ix, *, merge: bool = True, **writer_options):
        self.ix = ix
        self.merge = merge
        self.writer_options = writer_options
        self.writer = None

    def __enter__(self):
        deadline = time.monotonic() + WRITE_TIMEOUT_S
        delay = 0.02
        while True:
            try:
                self.writer = (
                    self.ix.writer(codec=codec(), **self.writer_options)
                    if self.writer_options.get("procs", 1) > 1
                    else GroupingSegmentWriter(self.ix, codec=codec(), **self.writer_options)
                )
                return self.writer
            except LockError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(delay * (1 + random.random()))  # noqa: S311 - jitter, not crypto
                delay = min(delay * 2, 1.0)

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.writer.cancel()
        elif not self.writer.is_closed:
            self.writer.commit(merge=self.merge)
        return False


class IndexStore:
    """The versioned index directories under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def version(self) -> str:
        return f"{analyzer_version()}/{LAYOUT}"

    def live_name(self) -> str | None:
        try:
            name = (self.root / POINTER).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return name if name and (self.root / name).is_dir() else None

    def live_path(self) -> Path | None:
        name = self.live_name()
        return self.root / name if name else None

    def recorded_version(self) -> str | None:
        """The analyzer/layout version the live index was written with (None: no index)."""
        path = self.live_path()
        try:
            return (path / ANALYZER_VERSION_FILE).read_text(encoding="utf-8").strip()
        except (TypeError, FileNotFoundError):
            return None

    def new_directory(self):
        """An empty index in a new directory beside the live one: (name, index)."""
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"v-{time.time_ns():x}-{uuid.uuid4().hex[:6]}"
        path = self.root / name
        path.mkdir()
        (path / ANALYZER_VERSION_FILE).write_text(self.version(), encoding="utf-8")
        return name, whoosh_index.create_in(str(path), article_schema())

    def open(self, name: str):
        return whoosh_index.open_dir(str(self.root / name))

    def swap(self, name: str) -> None:
        """Point CURRENT at ``name`` (an atomic rename), then drop directories older than the
        previous one (a searcher another worker opened a moment ago may still read that)."""
        previous = self.live_name()
        pointer = self.root / f"{POINTER}.{uuid.uuid4().hex[:6]}"
        pointer.write_text(name, encoding="utf-8")
        os.replace(pointer, self.root / POINTER)
        keep = {name, previous, self.rebuilding()}
        for child in self.root.iterdir():
            if child.is_dir() and child.name.startswith("v-") and child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)
            elif child.name.startswith("journal-") and child.name[len("journal-") :] not in keep:
                child.unlink(missing_ok=True)  # left by a rebuild that was killed

    # --- the journal of writes made while a rebuild runs ------------------------------------

    def start_rebuild(self, name: str) -> None:
        self._journal(name).unlink(missing_ok=True)
        (self.root / REBUILDING).write_text(name, encoding="utf-8")

    def rebuilding(self) -> str | None:
        try:
            return (self.root / REBUILDING).read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def journal(self, *, action: str, payload: list) -> None:
        """Record a write for the running rebuild (called under the live write lock)."""
        name = self.rebuilding()
        if name and (self.root / name).is_dir():  # a killed rebuild's marker is ignored
            with self._journal(name).open("ab") as handle:
                pickle.dump((action, payload), handle)

    def replay(self, name: str):
        """The writes journalled for the rebuild into ``name``, in order."""
        path = self._journal(name)
        if not path.exists():
            return
        with path.open("rb") as handle:
            while True:
                try:
                    yield pickle.load(handle)  # noqa: S301 - our own file
                except EOFError:
                    return

    def end_rebuild(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            if self.rebuilding() == name:
                (self.root / REBUILDING).unlink()
        self._journal(name).unlink(missing_ok=True)

    def _journal(self, name: str) -> Path:
        return self.root / f"journal-{name}"
