"""Caches that waitress's threads share: many threads evicting and inserting at once never raise
(the filter cache used to check, evict and insert outside its lock: KeyError or "dictionary
changed size during iteration" under load, a 500 for the reader)."""

from __future__ import annotations

import functools
from pathlib import Path

from conftest import run_in_threads

from podium import query
from podium.models import SearchRequest


def test_many_threads_with_a_tiny_filter_cache_never_fail(demo_home, monkeypatch):
    monkeypatch.setattr(query, "_FILTER_CACHE_SIZE", 2)
    index_dir = Path(demo_home) / "index"
    years = ["2019", "2020", "2021", "2022", "2023", "2024", "2025"]
    kinds = ["quote", "turn", "sentence", "paragraph"]
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for i in range(150):
                year = years[(i + offset) % len(years)]
                req = SearchRequest(q="", date_from=year, date_to=year, kind=kinds[i % 4])
                query.search(index_dir, req)
        except BaseException as exc:  # noqa: BLE001 - the test reports whatever broke
            errors.append(exc)

    run_in_threads([functools.partial(work, k) for k in range(8)], switch_interval=1e-6)
    assert not errors, errors[:3]
