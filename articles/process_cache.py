"""A bounded least-recently-used memo shared by every thread of a process.

``make run`` serves each request on a new thread, so a per-thread cache would start empty on every
request; this one is locked, and computes outside the lock (two threads may both compute a missing
value once: the result is the same)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class ProcessLRU(Generic[Value]):
    def __init__(self, *, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Value]) -> Value:
        """The value kept for ``key``, else ``compute()`` kept (the oldest dropped past ``size``)."""
        with self._lock:
            found = self._values.get(key)
            if found is not None:
                self._values.move_to_end(key)
                return found
        found = compute()
        with self._lock:
            self._values[key] = found
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return found
