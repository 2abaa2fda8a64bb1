"""`podium serve --workers N`: several processes answer on one port, a worker that dies is
replaced, and a server that cannot start says why."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port
from podium_cli import podium


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _workers(pid: int) -> list[int]:
    """The server's worker processes (not multiprocessing's resource tracker)."""
    out = []
    for child in _children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" not in cmdline:
            out.append(child)
    return out


def _wait_for(condition, what: str, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def _search(base: str, q: str) -> dict:
    with urllib.request.urlopen(f"{base}/api/search?q={q}", timeout=30) as resp:
        return json.load(resp)


def _up(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


@pytest.fixture
def two_workers(demo_home):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "podium.cli", "--home", str(demo_home), "serve", "--port",
         str(port), "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _up(base) or proc.poll() is not None, "the server")
        assert proc.poll() is None, proc.stdout.read()
        yield proc, base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_two_workers_answer_on_one_port_and_a_dead_one_is_replaced(two_workers):
    proc, base = two_workers
    expected = _search(base, "sanctions")
    assert expected["total"] > 0
    workers = _wait_for(lambda: len(_workers(proc.pid)) == 2 and _workers(proc.pid), "2 workers")
    os.kill(workers[0], signal.SIGKILL)
    for _ in range(6):  # the other worker answers meanwhile, the same answer
        assert _search(base, "sanctions")["results"] == expected["results"]
    replaced = _wait_for(
        lambda: (w := _workers(proc.pid)) and len(w) == 2 and workers[0] not in w and w,
        "a new worker",
    )
    assert workers[1] in replaced
    _wait_for(lambda: _up(base), "the new worker")
    assert _search(base, "sanctions")["results"] == expected["results"]


def test_stopping_the_server_stops_its_workers(two_workers):
    proc, _base = two_workers
    workers = _wait_for(lambda: len(_workers(proc.pid)) == 2 and _workers(proc.pid), "2 workers")
    proc.terminate()
    proc.wait(timeout=30)
    for pid in workers:
        _wait_for(lambda pid=pid: not Path(f"/proc/{pid}").exists()
                  or b"Z" in Path(f"/proc/{pid}/stat").read_bytes().split(b")")[-1][:3],
                  f"worker {pid} to stop")  # fmt: skip


def test_a_taken_port_is_a_plain_error(demo_home):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = podium(demo_home, "serve", "--port", str(port), check=False)
    assert done.returncode != 0
    assert f"cannot serve on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("value", ["0", '"two"', "true"])
def test_workers_in_podium_toml_must_be_a_whole_number(tmp_path, value):
    (tmp_path / "podium.toml").write_text(f"[web]\nworkers = {value}\n")
    done = podium(tmp_path, "serve", "--port", str(free_port()), check=False)
    assert done.returncode != 0
    assert "[web] workers must be a whole number" in done.stderr
    assert "Traceback" not in done.stderr
