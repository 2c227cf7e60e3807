"""Answers cached per store version: the graph only changes when a new version is published, so
a cached answer is valid until then and is never served for another version."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Hashable
from typing import Any

from cachetools import LRUCache
from starlette.concurrency import run_in_threadpool

_MISSING = object()


class VersionCache:
    """A thread-safe LRU of answers keyed by (store version, question); size 0 disables it.

    The eviction is cachetools' LRUCache (not thread-safe on its own, hence the lock); what is
    ours is the version in the key and the single flight of `aget`, which cachetools lacks for
    asyncio."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: LRUCache[Hashable, Any] = LRUCache(maxsize=max(size, 1))
        self._lock = threading.Lock()
        self._pending: dict[Hashable, asyncio.Future[Any]] = {}  # misses being computed (aget)
        self.hits = self.misses = 0

    def _lookup(self, full: Hashable) -> Any:
        with self._lock:
            value = self._data.get(full, _MISSING)
            if value is not _MISSING:
                self.hits += 1
            return value

    def _keep(self, full: Hashable, value: Any) -> None:
        with self._lock:
            self.misses += 1
            self._data[full] = value

    def get(self, version: Hashable, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached answer, or `compute()` (run here) kept for next time."""
        if self.size <= 0:
            return compute()
        full = (version, key)
        value = self._lookup(full)
        if value is _MISSING:
            value = compute()
            self._keep(full, value)
        return value

    async def aget(self, version: Hashable, key: Hashable, compute: Callable[[], Any]) -> Any:
        """`get` for async routes: a hit is answered on the event loop without a thread hop; a
        miss runs the (blocking) `compute` in the thread pool, once: requests asking the same
        question meanwhile wait for that answer instead of computing it again (and a request that
        goes away does not cancel it for the others)."""
        if self.size <= 0:
            return await run_in_threadpool(compute)
        full = (version, key)
        value = self._lookup(full)
        if value is not _MISSING:
            return value
        task = self._pending.get(full)
        if task is None:
            task = self._pending[full] = asyncio.ensure_future(run_in_threadpool(compute))
            task.add_done_callback(lambda done: self._settle(full, done))
        return await asyncio.shield(task)

    def _settle(self, full: Hashable, done: asyncio.Future[Any]) -> None:
        del self._pending[full]
        if not done.cancelled() and done.exception() is None:
            self._keep(full, done.result())
