"""Readers pin the store versions they have open, so that cleanup never deletes one under them.

A pin is a shared lock on `<version>.pin` beside the version folder, held for as long as the
version is open. Cleanup (always by the one writer holding the write lock) takes the exclusive lock
on a version's pin file without waiting and skips the version when any reader holds a pin. The
kernel drops a pin when its process dies, so a killed reader pins nothing.

`fcntl.flock` is used directly because `filelock` offers exclusive locks only, not shared ones.
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
from pathlib import Path
from typing import IO

PIN_SUFFIX = ".pin"


def pin_path(folder: Path) -> Path:
    return folder.with_name(folder.name + PIN_SUFFIX)


class Pin:
    """A shared lock on one version folder; released by `release()` or when garbage collected."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._file: IO[bytes] | None = pin_path(folder).open("ab")
        fcntl.flock(self._file.fileno(), fcntl.LOCK_SH)

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the file drops the lock
            self._file = None


def pin_current(link: Path, attempts: int = 5) -> tuple[Path, Pin]:
    """The version folder `link` points at, pinned. Retries if cleanup removed that folder
    between reading the link and taking the pin (a writer published twice meanwhile)."""
    for _ in range(attempts):
        folder = link.resolve()
        pin = Pin(folder)
        if folder.is_dir():
            return folder, pin
        pin.release()
    raise FileNotFoundError(f"{link} points at no version folder")


def remove_unpinned(folder: Path) -> bool:
    """Delete a version folder and its pin file unless a reader has it pinned; True if deleted."""
    pin_file = pin_path(folder)
    with pin_file.open("ab") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            pin_file.unlink()
    return True
