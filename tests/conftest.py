"""Shared fixtures: a real data directory with the sample pages, the seed page and a hostile page
ingested through the CLI's pipeline, and a real `podium serve` on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from podium.config import Home
from podium.ingest import ingest_pages, read_inputs

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
SEED = ROOT.parent / "shared" / "eval" / "dev" / "html" / "valdai-2023-russia-iran-crossroads.html"
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile.html"


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory) -> Path:
    """A home holding the twelve sample pages, the hostile page and (if present) the seed page."""
    root = tmp_path_factory.mktemp("demo-home")
    pages = sorted(str(p) for p in SAMPLES.glob("*.html")) + [str(HOSTILE)]
    if SEED.exists():
        pages.append(str(SEED))
    results = ingest_pages(Home.resolve(root), read_inputs(pages))
    assert all(r.status == "new" for r in results), [r for r in results if r.status != "new"]
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(demo_home) -> str:
    """`podium serve` as a real process on 127.0.0.1; yields its base URL."""
    port = free_port()
    env = dict(os.environ, PODIUM_HOME=str(demo_home))
    proc = subprocess.Popen(
        [sys.executable, "-m", "podium.cli", "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):  # serve loads the meaning model and warms the index before it listens
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError(f"podium serve did not start: {proc.stdout.read().decode()[-2000:]}")
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def run_in_threads(workers, switch_interval: float = 1e-5) -> None:
    """Run each callable in its own thread at once, switching threads as often as a loaded
    server does, and wait for them all."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(switch_interval)
    try:
        threads = [threading.Thread(target=work) for work in workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
