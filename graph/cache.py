"""Answers cached per store version: the graph only changes when a new version is published, so
a cached answer is valid until then and is never served for another version."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class VersionCache:
    """A thread-safe LRU of answers keyed by (store version, question); size 0 disables it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, version: Hashable, key: Hashable, compute: Callable[[], Any]) -> Any:
        if self.size <= 0:
            return compute()
        full = (version, key)
        with self._lock:
            if full in self._data:
                self._data.move_to_end(full)
                self.hits += 1
                return self._data[full]
        value = compute()
        with self._lock:
            self.misses += 1
            self._data[full] = value
            self._data.move_to_end(full)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value
