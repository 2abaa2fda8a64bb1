"""Locks between Podium's processes, all flocks (freed by the OS if the holder dies): `hold`,
which the store's writers and the index's writer take too, and the crawl locks, one per
source, held by a crawl pass and by anything that must not run beside one (`podium reindex
--from-archive` takes them all).

A crawl lock is `<home>/locks/crawl-<source>.lock` holding the holder's pid: exclusive, never
waited for (a second holder says so and does not start).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

from .config import Config, Home
from .models import PodiumError


def hold(path: Path, busy, *, shared: bool = False, wait: float = 0.0) -> int:
    """An flock on `path`, shared or exclusive, tried every 50 ms until `wait` seconds have
    passed; its descriptor, whose closing releases it (as the OS does if the holder dies). An
    exclusive holder writes its pid in the file, and `busy(pid)` (the holder's, or "?") is
    the PodiumError's message when the lock cannot be had."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                os.close(fd)
                raise PodiumError(busy(holder)) from None
            time.sleep(0.05)
    if not shared:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


class SourceLock:
    """An exclusive, non-blocking lock per source; the OS frees it if the process dies."""

    def __init__(self, home: Home, name: str):
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:100]
        self.path = home.root / "locks" / f"crawl-{safe}.lock"
        self.name = name
        self._fd = None

    def __enter__(self) -> SourceLock:
        self._fd = hold(self.path, lambda pid: (
            f"a pass of source {self.name!r} is already running (pid {pid}); "
            "this one is not started"))  # fmt: skip
        return self

    def __exit__(self, *exc) -> None:
        os.close(self._fd)  # closing the descriptor releases the lock


@contextlib.contextmanager
def every_source(home: Home, config: Config) -> Iterator[None]:
    """Hold the lock of every source of podium.toml: no crawl pass runs meanwhile."""
    with contextlib.ExitStack() as held:
        for source in config.sources:
            held.enter_context(SourceLock(home, source.name))
        yield
