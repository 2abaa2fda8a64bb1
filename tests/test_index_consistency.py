"""One writer at a time, readers always see the last commit: searches during rebuilds and
ingests never fail, and a second writer waits or says plainly why it cannot."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from conftest import SAMPLES, run_in_threads

from podium import index, query
from podium.config import Home
from podium.ingest import ingest_pages, read_inputs
from podium.models import PodiumError, SearchRequest


@pytest.fixture()
def home(tmp_path) -> Home:
    home = Home.resolve(tmp_path)
    ingest_pages(home, read_inputs(sorted(str(p) for p in SAMPLES.glob("*.html"))))
    return home


def test_searches_during_rebuilds_never_fail_and_see_a_whole_index(home):
    request = SearchRequest(q="sanctions")
    expected = query.search(home.index_dir, request).total
    assert expected > 0
    errors, totals, done = [], [], threading.Event()

    def search_loop():
        while not done.is_set():
            try:
                totals.append(query.search(home.index_dir, request).total)
            except Exception as exc:  # noqa: BLE001 - any failure is the bug
                errors.append(repr(exc))

    readers = [threading.Thread(target=search_loop) for _ in range(2)]
    for t in readers:
        t.start()
    try:
        for _ in range(3):
            subprocess.run(
                [sys.executable, "-m", "podium.cli", "--home", str(home.root), "index",
                 "--rebuild"], check=True, capture_output=True, timeout=120,
            )  # fmt: skip
    finally:
        done.set()
        for t in readers:
            t.join()
    assert errors == []
    assert totals and set(totals) == {expected}  # never a half-built or empty index


def test_a_second_writer_waits_for_the_first(home):
    order = []
    holding = threading.Event()

    def first_writer():
        with index.writing(home.index_dir):
            holding.set()
            threading.Event().wait(0.5)
            order.append("first done")

    thread = threading.Thread(target=first_writer)
    thread.start()
    holding.wait()
    index.update(home.index_dir, [], [])
    order.append("second done")
    thread.join()
    assert order == ["first done", "second done"]


def test_a_writer_that_cannot_wait_says_why(home):
    holding, release = threading.Event(), threading.Event()

    def holder():
        with index.writing(home.index_dir):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    holding.wait()
    try:
        with pytest.raises(PodiumError, match="being written by another process"):
            with index.writing(home.index_dir, wait=0.2):
                pass
    finally:
        release.set()
        thread.join()
    assert query.search(home.index_dir, SearchRequest(q="energy")).total > 0


def test_searches_from_many_threads_at_once_all_answer_the_same(home):
    """waitress serves from 8 threads: a searcher shared between them garbles its reads."""
    queries = ["sanctions", "energy security", '"the Arctic"', "grain corridor"]
    expected = {q: query.search(home.index_dir, SearchRequest(q=q)).total for q in queries}
    errors, wrong = [], []

    def worker():
        for _ in range(15):
            for q in queries:
                try:
                    if query.search(home.index_dir, SearchRequest(q=q)).total != expected[q]:
                        wrong.append(q)
                except Exception as exc:  # noqa: BLE001 - any failure is the bug
                    errors.append(repr(exc))

    run_in_threads([worker] * 8)
    assert errors == [] and wrong == []
