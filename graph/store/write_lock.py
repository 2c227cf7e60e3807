"""One writer at a time: an exclusive OS file lock held from reading the current store version to
publishing the next one, so every write lands on top of everything published before it.

The lock is `filelock`'s flock-based lock: the kernel drops it when its holder dies, even by
SIGKILL, so a killed writer never blocks the next one. Who holds it (pid, command, since) is kept in
a file beside the lock, so that a writer that has to wait can say for whom.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from defence_kg.errors import WriteBusy


@dataclass(frozen=True)
class Holder:
    """The process that holds a write lock."""

    pid: int
    command: str
    since: str

    def describe(self) -> str:
        return f"pid {self.pid} ({self.command}) since {self.since}"


Waiting = Callable[[Holder | None], None]  # told whom a writer waits for, once and on each change


def this_process() -> Holder:
    """This process as a holder: its pid, its command line, the time now (UTC)."""
    command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])[:200] if sys.argv else "python"
    return Holder(os.getpid(), command, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))


def read_holder(path: Path) -> Holder | None:
    """The holder recorded beside a lock, or None when unknown or unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Holder(int(raw["pid"]), str(raw["command"]), str(raw["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


# In-memory stores have no file to lock; their writers, threads of one process, share this one.
_MEMORY_LOCK = threading.Lock()


@contextlib.contextmanager
def memory_writer() -> Iterator[float]:
    """Serialise the writers of in-memory stores (threads of one process); yields the wait."""
    started = time.monotonic()
    with _MEMORY_LOCK:
        yield time.monotonic() - started


@contextlib.contextmanager
def exclusive(lock_path: Path, *, wait: float, on_wait: Waiting | None = None, what: str) -> Iterator[float]:
    """Hold the exclusive write lock at `lock_path`, waiting up to `wait` seconds for it; yields
    the seconds waited.

    Past the wait a `WriteBusy` error names the holder and nothing has been written. `what`
    names the thing locked in messages (e.g. "the store var/store").
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    holder_file = lock_path.with_name(lock_path.name + ".holder")
    lock = FileLock(lock_path, preserve_lock_file=True, thread_local=False)
    started = time.monotonic()
    deadline = started + wait
    told: Holder | bool | None = False  # False: not told yet
    while True:
        try:
            lock.acquire(timeout=min(1.0, max(0.0, deadline - time.monotonic())))
            break
        except Timeout:
            holder = read_holder(holder_file)
            if time.monotonic() >= deadline:
                who = holder.describe() if holder else "another writer"
                raise WriteBusy(
                    f"{what} is being written by {who}; gave up after waiting {wait:g} s "
                    "(DEFENCE_KG_WRITE_WAIT); nothing was written"
                ) from None
            if on_wait is not None and holder != told:
                on_wait(holder)
                told = holder
    waited = time.monotonic() - started
    try:
        me = this_process()
        holder_file.write_text(
            json.dumps({"pid": me.pid, "command": me.command, "since": me.since}), encoding="utf-8"
        )
        yield waited
    finally:
        with contextlib.suppress(OSError):
            holder_file.unlink()
        lock.release()
