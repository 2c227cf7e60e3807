"""A real `defence-kg serve` subprocess on a free port of 127.0.0.1, for tests that need one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(store: Path, log: Path, **settings: str) -> Iterator[str]:
    """Serve `store` with the given settings (DEFENCE_KG_ names without the prefix); its stdout
    and stderr go to `log`. Yields the base URL."""
    port = free_port()
    env = {**os.environ, "DEFENCE_KG_STORE_PATH": str(store)}
    env.update({f"DEFENCE_KG_{k.upper()}": v for k, v in settings.items()})
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "defence_kg.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base}/api/search?q=NATO", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"the server did not answer: {log.read_text()[-2000:]}")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
