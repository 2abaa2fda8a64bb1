"""The command line as a new user meets it: plain errors for what is not a page, progress on a
terminal only, an empty data directory that says so, and a demo that says how to search it."""

from __future__ import annotations

import os
import pty
import socket
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLES, free_port

PODIUM = [sys.executable, "-m", "podium.cli"]


def podium(home: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, PODIUM_HOME=str(home))
    return subprocess.run([*PODIUM, *args], env=env, capture_output=True, text=True,
                          timeout=120, **kwargs)  # fmt: skip


def test_what_is_not_a_page_is_refused_in_plain_words(tmp_path):
    pdf = tmp_path / "report.html"  # the name says HTML; the bytes say PDF
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n")
    out = podium(tmp_path / "home", "ingest", str(pdf), "ftp://files.example/report.html")
    assert out.returncode == 1
    assert "report.html: not a web page: the file is a PDF document" in out.stderr
    assert "the ftp:// scheme is not supported" in out.stderr


def test_a_refused_connection_says_so(tmp_path):
    with socket.socket() as s:  # a port nothing listens on: bound, never listening
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/events/one"
        home = tmp_path / "home"
        home.mkdir()
        (home / "podium.toml").write_text("[crawl]\nallow_private = true\n")  # 127.0.0.1
        out = podium(home, "ingest", url)
    assert out.returncode == 1
    assert "connection refused" in out.stderr and "timed out" not in out.stderr


def test_an_empty_data_directory_says_it_is_empty(tmp_path):
    out = podium(tmp_path / "empty", "search", "sanctions")
    assert "holds no pages yet" in out.stderr and "0 results" not in out.stdout
    as_json = podium(tmp_path / "empty", "search", "sanctions", "--json")
    assert '"total": 0' in as_json.stdout  # the JSON contract is unchanged


def run_on_a_terminal(home: Path, *args: str) -> str:
    """Run podium with stderr on a pseudo-terminal; what it wrote there."""
    leader, follower = pty.openpty()
    env = dict(os.environ, PODIUM_HOME=str(home), COLUMNS="100")
    proc = subprocess.Popen([*PODIUM, *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=follower, stdin=subprocess.DEVNULL)  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the pty closed: the process is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_long_commands_show_progress_on_a_terminal_only(tmp_path):
    pages = sorted(str(p) for p in SAMPLES.glob("*.html"))[:3]
    home = tmp_path / "home"
    assert "Ingesting" in run_on_a_terminal(home, "ingest", *pages)
    assert "Indexing" in run_on_a_terminal(home, "index", "--rebuild")
    assert "Indexing" not in run_on_a_terminal(home, "index", "--rebuild", "--quiet")
    piped = podium(home, "index", "--rebuild")
    assert piped.returncode == 0 and "Indexing" not in piped.stderr  # stderr is no terminal
    assert "Exporting" in run_on_a_terminal(home, "export", "--format", "ris", "-o", "-", "x")


def test_the_demo_says_how_to_search_its_pages(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PODIUM_HOME"}
    proc = subprocess.Popen([*PODIUM, "demo", "--port", str(port)], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "podium search" in line:
                break
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    printed = "".join(lines)
    home = tmp_path / "demo-home"
    assert f"export PODIUM_HOME={home}" in printed
    query = printed.split("podium search", 1)[1].strip().strip('"')
    found = podium(home, "search", query)
    assert "Viktor Lemansky" in found.stdout
