"""The response cache and feed progress."""

from __future__ import annotations

from dantoc_gateway.domain.state import FeedStatus
from dantoc_gateway.services.runtime import Rendered, ResponseCache


def _answer(name: str) -> Rendered:
    return Rendered(name.encode() * 3, "text/plain")  # 3 bytes


def test_response_cache_is_an_lru_bounded_by_size() -> None:
    cache = ResponseCache(30)  # ten answers of 3 bytes
    names = "abcdefghij"
    for name in names:
        cache.put(name, _answer(name))
    assert cache.get("a") is not None  # a is now the most recent
    cache.put("k", _answer("k"))  # 33 bytes > 30: the least recent (b) goes
    assert (cache.get("a"), cache.get("b"), cache.get("k")) == (_answer("a"), None, _answer("k"))
    cache.put("a", _answer("a"))  # replacing an entry does not count it twice
    assert all(cache.get(name) is not None for name in "acdefghijk")


def test_answers_too_big_for_the_cache_are_not_kept() -> None:
    cache = ResponseCache(100)
    cache.put("big", Rendered(b"x" * 13, "text/plain"))  # more than an eighth of the capacity
    assert cache.get("big") is None
    disabled = ResponseCache(0)
    disabled.put("a", _answer("a"))
    assert disabled.get("a") is None


def test_feed_catches_up_with_the_ends_seen_at_start_and_stays_caught_up() -> None:
    status = FeedStatus("t", targets={0: 10, 1: 5}, assigned=True)
    status.applied = {0: 10, 1: 4}
    assert (status.refresh(), status.lag()) == (False, 1)
    status.applied[1] = 5
    status.highwater = {0: 12}
    assert (status.refresh(), status.lag(), status.reached.is_set()) == (True, 2, True)
    status.highwater = {0: 50}
    assert status.refresh()  # later traffic shows as lag, not as unreadiness
    assert (status.lag_by_partition(), status.lag()) == ({0: 40, 1: 0}, 40)  # per partition for the metric
