"""How `podium serve` runs: one process, or several worker processes sharing one socket.

A Python process serves on one core at a time (the GIL), so a newsroom's load on a machine
with more cores needs more processes. Each worker is a spawned interpreter that builds its
own app (its own store connections and index readers: nothing is inherited), warms it up, and only
then listens, so a connection is never answered cold. The parent binds the socket, starts
the workers, reports once every one is warm, and starts a worker again if one dies.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
import socket
import time
from collections.abc import Callable
from pathlib import Path

from podium.models import PodiumError

log = logging.getLogger(__name__)

THREADS = 8  # request threads per process
RESTART_PAUSE = 1.0  # seconds between a worker's death and its replacement


def bind(host: str, port: int) -> socket.socket:
    """The server's socket, bound but not yet listening: a connection is refused, not left
    waiting, until a warm worker listens on it. OSError if the address is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def run_worker(root: str, sock: socket.socket, on_ready: Callable[[], None]) -> None:
    """One process's server: build the app, warm it, call `on_ready`, then listen on `sock`
    until stopped."""
    import waitress

    from . import create_app, warm_up

    app = create_app({"PODIUM_HOME": root})
    warm_up(app, threads=THREADS)  # before listening: /healthz answers only when warm
    on_ready()
    # ident="": no "Server: waitress" banner telling a scanner what to try
    waitress.serve(app, sockets=[sock], threads=THREADS, ident="", _quiet=True)


def _wait_until_warm(procs: list, ready) -> None:
    """Return once every worker said it is warm; PodiumError if one ended before."""
    waiting = len(procs)
    while waiting:
        try:
            ready.get(timeout=RESTART_PAUSE)
            waiting -= 1
        except queue.Empty:
            for proc in procs:
                if not proc.is_alive():
                    raise PodiumError(f"a server worker ended as it started (exit code "
                                      f"{proc.exitcode}); the log above says why") from None  # fmt: skip


def _spawned_worker(root: str, sock: socket.socket, ready, verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING)
    run_worker(root, sock, lambda: ready.put(True))


def run(root: Path, sock: socket.socket, workers: int, announce: Callable[[], None],
        verbose: bool = False) -> None:  # fmt: skip
    """Serve on `sock` with `workers` processes (1: this one). `announce()` is called once
    every worker is warm, as it starts listening."""
    if workers <= 1:
        run_worker(str(root), sock, announce)
        return
    spawn = multiprocessing.get_context("spawn")  # a fresh interpreter: no forked threads or locks
    ready = spawn.Queue()

    def start() -> multiprocessing.Process:
        proc = spawn.Process(
            target=_spawned_worker, args=(str(root), sock, ready, verbose), daemon=True
        )
        proc.start()
        return proc

    procs = [start() for _ in range(workers)]
    stopping = False

    def stop(_signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    try:
        _wait_until_warm(procs, ready)
        announce()
        while not stopping:
            time.sleep(RESTART_PAUSE)
            for i, proc in enumerate(procs):
                if not proc.is_alive() and not stopping:
                    log.warning("worker %s ended (exit code %s): starting another",
                                proc.pid, proc.exitcode)  # fmt: skip
                    procs[i] = start()
    except KeyboardInterrupt:
        pass
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.join(5)
