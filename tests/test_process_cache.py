"""The per-process memo behind snippets and shingle sets: one value for every thread, bounded."""

import threading

from articles.process_cache import ProcessLRU


def test_a_value_computed_on_one_thread_serves_another():
    cache: ProcessLRU[str] = ProcessLRU(size=4)
    computed = []

    def compute():
        computed.append(1)
        return "snippet"

    thread = threading.Thread(target=lambda: cache.get("key", compute))
    thread.start()
    thread.join()
    assert cache.get("key", compute) == "snippet"
    assert len(computed) == 1


def test_the_least_recently_used_value_goes_first():
    cache: ProcessLRU[str] = ProcessLRU(size=2)
    cache.get("a", lambda: "A")
    cache.get("b", lambda: "B")
    cache.get("a", lambda: "not again")  # "a" used last, "b" is now the oldest
    cache.get("c", lambda: "C")
    assert cache.get("a", lambda: "recomputed") == "A"
    assert cache.get("b", lambda: "recomputed") == "recomputed"
