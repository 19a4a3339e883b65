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


def test_many_values_at_once_compute_only_the_missing_ones_in_one_call():
    cache: ProcessLRU[str] = ProcessLRU(size=8)
    cache.get("a", lambda: "A")
    calls = []

    def compute(missing):
        calls.append(list(missing))
        return [key.upper() for key in missing]

    assert cache.get_many(["b", "a", "c", "b"], compute) == ["B", "A", "C", "B"]
    assert calls == [["b", "c"]]
    assert cache.get_many(["c", "b"], compute) == ["C", "B"]
    assert calls == [["b", "c"]]
