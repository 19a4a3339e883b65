"""Segments read straight from the memory map, not copied.

Whoosh-Reloaded's ``CompoundStorage.open_file`` wraps each sub-file of a memory-mapped segment
in a ``BufferFile``, whose constructor copies the whole sub-file into a ``BytesIO``: every
searcher opened (after every commit) copied every segment into the heap (+4.5 GB and 10 s at
300k articles). :class:`MappedBufferFile` reads the same memoryview in place; ``install()``
makes ``whoosh.filedb.compound`` use it (pinned by tests/engine_contract/test_whoosh_internals.py).
"""

from __future__ import annotations

import os

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile


class _ViewReader:
    """The file interface StructFile needs (read, readline, seek, tell) over a memoryview."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        end = (
            len(self._view) if size is None or size < 0 else min(self._pos + size, len(self._view))
        )
        found = bytes(self._view[self._pos : end])
        self._pos = end
        return found

    def readline(self, size: int = -1) -> bytes:
        end = len(self._view) if size < 0 else min(self._pos + size, len(self._view))
        chunk = bytes(self._view[self._pos : end])
        newline = chunk.find(b"\n")
        line = chunk if newline < 0 else chunk[: newline + 1]
        self._pos += len(line)
        return line

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: len(self._view)}[whence]
        self._pos = base + offset
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._view = memoryview(b"")


class MappedBufferFile(BufferFile):
    """A BufferFile over a memoryview of the map, without the BytesIO copy."""

    def __init__(self, buf, name=None, onclose=None):
        self._buf = buf
        self._name = name
        self.file = _ViewReader(buf if isinstance(buf, memoryview) else memoryview(buf))
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def subset(self, position, length, name=None):
        return MappedBufferFile(self._buf[position : position + length], name=name or self._name)


def install() -> None:
    compound.BufferFile = MappedBufferFile
