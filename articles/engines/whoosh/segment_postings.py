"""Decoded postings kept in LRUs bounded in bytes: per index generation, and per segment
across generations.

A commit adds a small segment and leaves the others as they were: their decoded postings stay
valid (only which of their documents are deleted changes, and snapshots mask that). Keeping
them per segment, not in the snapshot, means a commit no longer makes every term cold again: a
new snapshot decodes only the new segment's postings. One per-segment LRU per process, shared by
every thread.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

SEGMENT_POSTINGS_BYTES = 128 * 2**20


class ArrayLRU:
    """Key -> a tuple of read-only arrays, the least recently used dropped past ``max_bytes``
    (the last one kept whatever its size). Per segment the key is (segment id, kind, field,
    term), the arrays in that segment's own docnums."""

    def __init__(self, *, max_bytes: int = SEGMENT_POSTINGS_BYTES) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, tuple[np.ndarray, ...]] = OrderedDict()
        self._bytes = 0

    def get(self, key: tuple, decode: Callable[[], tuple[np.ndarray, ...]]):
        """The arrays under ``key``, made by ``decode()`` (outside the lock: a decode may
        read this LRU for its parts) when they are not kept."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        found = decode()
        for array in found:
            array.setflags(write=False)  # shared between snapshots and threads
        with self._lock:
            if key in self._entries:  # another thread decoded it meanwhile
                return self._entries[key]
            self._entries[key] = found
            self._bytes += sum(array.nbytes for array in found)
            while self._bytes > self.max_bytes and len(self._entries) > 1:
                _key, dropped = self._entries.popitem(last=False)
                self._bytes -= sum(array.nbytes for array in dropped)
            return found

    def keep_only(self, segment_ids: set[str]) -> None:
        """Drop the entries of segments (a key's first part) no longer in the index (merged
        away, or swapped out)."""
        with self._lock:
            for key in [k for k in self._entries if k[0] not in segment_ids]:
                self._bytes -= sum(array.nbytes for array in self._entries.pop(key))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
