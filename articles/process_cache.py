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
    """Values by key, the least recently used dropped once their total weight passes ``size``
    (each value weighs 1 unless ``weigh`` says otherwise; the last one is kept whatever it
    weighs)."""

    def __init__(self, *, size: int, weigh: Callable[[Value], int] | None = None) -> None:
        self.size = size
        self._weigh = weigh or (lambda _value: 1)
        self._values: OrderedDict[Hashable, Value] = OrderedDict()
        self._weight = 0
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
            return self._keep(key, found)

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
        values = compute(missing)
        with self._lock:
            computed = {
                key: self._keep(key, value) for key, value in zip(missing, values, strict=True)
            }
        return [computed[key] if value is None else value for key, value in pairs]

    def kept(self, key: Hashable) -> Value | None:
        """The value kept for ``key`` (None if none), neither computed nor made recent."""
        with self._lock:
            return self._values.get(key)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._weight = 0

    def _drop(self, key: Hashable) -> None:
        """(Under the lock.)"""
        self._weight -= self._weigh(self._values.pop(key))

    def _keep(self, key: Hashable, value: Value) -> Value:
        """(Under the lock.) ``value`` kept, unless another thread kept one for ``key``
        meanwhile (then that one, the same)."""
        kept = self._values.get(key)
        if kept is not None:
            return kept
        self._values[key] = value
        self._weight += self._weigh(value)
        while self._weight > self.size and len(self._values) > 1:
            self._drop(next(iter(self._values)))
        return value
