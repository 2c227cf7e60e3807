"""The per-version answer cache: hits, versions and one computation for concurrent misses."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from defence_kg.graph.answers.cache import VersionCache


def test_concurrent_misses_compute_once_and_share_the_answer():
    cache, calls, lock = VersionCache(8), [], threading.Lock()

    def compute() -> str:
        with lock:
            calls.append(1)
        time.sleep(0.05)
        return "answer"

    async def ask_many() -> list[str]:
        return await asyncio.gather(*(cache.aget("v1", "q", compute) for _ in range(20)))

    assert asyncio.run(ask_many()) == ["answer"] * 20
    assert len(calls) == 1
    assert asyncio.run(ask_many()) == ["answer"] * 20 and len(calls) == 1  # now a hit
    assert cache.get("v2", "q", lambda: "new version") == "new version"


def test_a_failed_computation_reaches_every_waiter_and_is_not_kept():
    cache, calls = VersionCache(8), []

    def fail() -> str:
        calls.append(1)
        time.sleep(0.05)
        raise ValueError("bad query")

    async def ask_many() -> list[object]:
        return await asyncio.gather(*(cache.aget("v1", "q", fail) for _ in range(5)), return_exceptions=True)

    answers = asyncio.run(ask_many())
    assert all(isinstance(a, ValueError) for a in answers) and len(calls) == 1
    with pytest.raises(ValueError):
        asyncio.run(cache.aget("v1", "q", fail))  # computed again: errors are not cached
    assert len(calls) == 2
