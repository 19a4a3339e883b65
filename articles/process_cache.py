"""A bounded least-recently-used memo shared by every thread of a process.

``make run`` serves each request on a new thread, so a per-thread cache would start empty on every
request; this one is locked, and computes outside the lock (two threads may both compute a missing
value once: the result is the same)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
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

    def get_many(
        self, keys: Sequence[Hashable], compute: Callable[[list[Hashable]], list[Value]]
    ) -> list[Value]:
        """The values kept for ``keys``, in order; the missing ones from one ``compute(missing)``
        call (their values in the same order), kept."""
        with self._lock:
            pairs = [(key, self._values.get(key)) for key in keys]
            for key, value in pairs:
                if value is not None:
                    self._values.move_to_end(key)
        missing = list(dict.fromkeys(key for key, value in pairs if value is None))
        if not missing:
            return [value for _key, value in pairs]
        computed = dict(zip(missing, compute(missing), strict=True))
        with self._lock:
            self._values.update(computed)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return [computed[key] if value is None else value for key, value in pairs]
