"""The crawl locks: one per source, held by a crawl pass and by anything that must not run
beside one (`podium reindex --from-archive` takes them all).

A lock is an flock on `<home>/locks/crawl-<source>.lock` holding the holder's pid: exclusive,
never waited for (a second holder says so and does not start), and freed by the OS if the
holder dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator

from .config import Config, Home
from .models import PodiumError


class SourceLock:
    """An exclusive, non-blocking lock per source; the OS frees it if the process dies."""

    def __init__(self, home: Home, name: str):
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:100]
        self.path = home.root / "locks" / f"crawl-{safe}.lock"
        self.name = name
        self._fd = None

    def __enter__(self) -> SourceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "another process"
            os.close(fd)
            raise PodiumError(
                f"a pass of source {self.name!r} is already running (pid {holder}); "
                "this one is not started"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)


@contextlib.contextmanager
def every_source(home: Home, config: Config) -> Iterator[None]:
    """Hold the lock of every source of podium.toml: no crawl pass runs meanwhile."""
    with contextlib.ExitStack() as held:
        for source in config.sources:
            held.enter_context(SourceLock(home, source.name))
        yield
