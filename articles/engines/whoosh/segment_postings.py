"""Decoded postings kept in LRUs bounded in bytes: per index generation, and per segment
across generations.

A commit adds a small segment and leaves the others as they were: their decoded postings stay
valid (only which of their documents are deleted changes, and snapshots mask that). Keeping
them per segment, not in the snapshot, means a commit no longer makes every term cold again: a
new snapshot decodes only the new segment's postings. One per-segment LRU per process, shared by
every thread.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from articles.process_cache import ProcessLRU

SEGMENT_POSTINGS_BYTES = 128 * 2**20

Arrays = tuple[np.ndarray, ...]


def _nbytes(arrays: Arrays) -> int:
    return sum(array.nbytes for array in arrays)


class ArrayLRU(ProcessLRU[Arrays]):
    """Key -> a tuple of read-only arrays, bounded in bytes (``max_bytes``). Per segment the key
    is (segment id, kind, field, term), the arrays in that segment's own docnums."""

    def __init__(self, *, max_bytes: int = SEGMENT_POSTINGS_BYTES) -> None:
        super().__init__(size=max_bytes, weigh=_nbytes)

    def get(self, key: tuple, decode: Callable[[], Arrays]) -> Arrays:
        """The arrays under ``key``, made by ``decode()`` (outside the lock: a decode may
        read this LRU for its parts) when they are not kept."""
        return super().get(key, lambda: _read_only(decode()))

    def keep_only(self, segment_ids: set[str]) -> None:
        """Drop the entries of segments (a key's first part) no longer in the index (merged
        away, or swapped out)."""
        with self._lock:
            for key in [k for k in self._values if k[0] not in segment_ids]:
                self._drop(key)


def _read_only(arrays: Arrays) -> Arrays:
    for array in arrays:
        array.setflags(write=False)  # shared between snapshots and threads
    return arrays
