"""No cold start: `podium serve` warms up before it listens, so a user's first search waits
for nothing the tenth would not (the meaning model, the index readers, derived columns)."""

from __future__ import annotations

import threading

from podium import meaning, query
from podium.models import SearchRequest
from podium.web import WARM_UP_SEARCHES, create_app, warm_up


def test_warm_up_opens_a_reader_for_each_server_thread(demo_home, monkeypatch):
    app = create_app({"PODIUM_HOME": str(demo_home)})
    warm_up(app, threads=3)
    assert meaning._model.cache_info().currsize == 1  # loaded (or known absent), once
    opened = []
    real_open = query._new_searcher
    monkeypatch.setattr(query, "_new_searcher", lambda *a: opened.append(1) or real_open(*a))
    results = []

    def user():
        results.append(query.search(demo_home / "index", SearchRequest(q="sanctions")).total)

    threads = [threading.Thread(target=user) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert opened == []  # three threads, three readers opened ahead
    assert len(results) == 3 and len(set(results)) == 1 and results[0] > 0
    user_thread = threading.Thread(target=user)  # a fourth thread opens its own
    user_thread.start()
    user_thread.join()
    assert opened == [1] and results[-1] == results[0]


def test_warm_up_on_an_empty_home_still_serves(tmp_path):
    app = create_app({"PODIUM_HOME": str(tmp_path)})
    warm_up(app, threads=2)
    assert app.test_client().get("/api/search?q=anything").get_json()["total"] == 0


def test_warm_up_searches_are_valid_requests():
    for req in WARM_UP_SEARCHES:
        query.validate(req)
