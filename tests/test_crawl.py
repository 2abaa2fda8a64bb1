"""Crawling a real website on 127.0.0.1 (tests/fixture_site.py): discovery, politeness,
faults, change tracking, the WARC archive, resumption after kill -9, locks, alerts."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
from fixture_site import FixtureSite, podium_toml
from warcio.archiveiterator import ArchiveIterator

from podium import query, watch
from podium.archive import archive_files
from podium.config import Home, load_config
from podium.crawl import SourceLock, crawl_source
from podium.models import SearchRequest
from podium.store import Store
from podium.web import create_app

FAULT_REASONS = {
    "fault-429": r"HTTP 429 Too Many Requests after 2 attempts",
    "fault-500": r"HTTP 500 Internal Server Error",
    "fault-slow": r"timed out",
    "fault-bomb": r"too large: .* once decompressed",
    "fault-huge": r"too large",
    "fault-loop": r"redirect loop",
    "fault-binary": r"not a web page: .* PDF document",
}


def make_home(tmp_path, site, **kw) -> tuple[Home, object]:
    home = Home.resolve(tmp_path).ensure()
    home.config_path.write_text(podium_toml(site, **kw))
    config = load_config(home)
    return home, config


def podium(home: Home, *args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "podium.cli", "--home", str(home.root), *args],
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """One pass over the site with every broken page in it."""
    with FixtureSite() as site:
        home, config = make_home(tmp_path_factory.mktemp("faulty"), site)
        summary = crawl_source(home, config, config.sources[0])
        yield site, home, summary


def by_slug(summary) -> dict:
    return {p.url.rstrip("/").rsplit("/", 1)[-1]: p for p in summary.pages}


def test_first_pass_finds_every_event_page(faulty):
    site, home, summary = faulty
    pages = by_slug(summary)
    for slug in site.pages:
        assert pages[slug].outcome == "new", (slug, pages[slug].reason)
    assert summary.counts["new"] == len(site.pages) == 12
    with Store.open(home) as store:
        assert store.counts()["events"] == 12
    hits = query.search(home.index_dir, SearchRequest(q="sanctions"))
    assert hits.total > 0


def test_a_pass_renders_its_events_cite_panels_ahead(faulty, monkeypatch):
    _site, home, summary = faulty
    assert summary.citations > 0
    started = []
    real = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: started.append(a) or real(*a, **k))
    client = create_app({"PODIUM_HOME": str(home.root)}).test_client()
    hits = client.get("/api/search?q=sanctions&per_page=50").get_json()["results"]
    for hit in hits:
        assert client.get(f"/api/passages/{hit['id']}/cite?style=all").status_code == 200
    assert hits and started == []  # no pandoc: the pass rendered every panel's citations


@pytest.mark.parametrize("slug", sorted(FAULT_REASONS))
def test_each_broken_page_fails_with_its_reason_and_the_pass_completes(faulty, slug):
    _, home, summary = faulty
    page = by_slug(summary)[slug]
    assert page.outcome == "failed"
    assert re.search(FAULT_REASONS[slug], page.reason), page.reason
    with Store.open(home) as store:
        assert store.runs(limit=1)[0].state == "done"
        assert any(f.url == page.url and f.error == page.reason for f in store.failures())


def test_a_gzip_bomb_sitemap_is_a_discovery_error_and_the_pass_goes_on(faulty):
    _, _, summary = faulty
    [problem] = [e for e in summary.discovery_errors if "sitemap-bomb" in e]
    assert "once decompressed" in problem
    assert summary.counts["new"] == 12


def test_robots_disallowed_page_is_never_requested(faulty):
    site, _, summary = faulty
    assert by_slug(summary)["members-only"].outcome == "skipped"
    assert not any("members-only" in path for path in site.paths())


def test_an_unreadable_robots_txt_keeps_the_crawler_out_and_says_why(tmp_path):
    with FixtureSite(faults=False) as site:
        site.robots_status = 503
        home, config = make_home(tmp_path, site)
        summary = crawl_source(home, config, config.sources[0])
        assert site.paths().count("/robots.txt") >= 1
        assert [p for p in site.paths() if p != "/robots.txt"] == []  # RFC 9309: stay out
    assert summary.counts["new"] == 0
    assert all("robots.txt could not be read (HTTP 503" in e for e in summary.discovery_errors)


def test_the_429_was_retried_after_waiting(faulty):
    site, _, _ = faulty
    assert [s for p, s in site.requests if p == "/events/fault-429/"] == [429, 429]


def test_warc_files_read_back_one_response_record_per_fetch(faulty):
    site, home, _ = faulty
    files = archive_files(home.archive_dir)
    assert files
    responses = []
    for path in files:
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    responses.append(record.rec_headers.get_header("WARC-Target-URI"))
                    assert record.rec_headers.get_header("WARC-Payload-Digest")
                    assert record.rec_headers.get_header("WARC-Date")
    # timed out: no reply; refused as not a page (a bomb, 50 MB, a PDF): not kept
    unkept = {f"/events/fault-{name}/" for name in ("slow", "bomb", "huge", "binary")}
    answered = [p for p, _ in site.requests if p not in unkept]
    assert len(responses) == len(answered)
    listing = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "index", "-f", "warc-type", *map(str, files)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert listing.stdout.count('"response"') == len(answered)


@pytest.fixture()
def clean(tmp_path):
    """A site without broken pages, crawled once."""
    with FixtureSite(faults=False) as site:
        home, config = make_home(tmp_path, site)
        first = crawl_source(home, config, config.sources[0])
        site.reset_log()
        yield site, home, config, first


def test_second_pass_of_an_unchanged_site_gets_only_304s(clean):
    site, home, config, first = clean
    second = crawl_source(home, config, config.sources[0])
    assert second.counts["unchanged"] == 12 and second.counts["new"] == 0
    assert set(site.statuses()) == {304}
    assert second.not_modified == 12
    assert sum(p.bytes for p in second.pages) == 0  # no event page was sent again
    print(f"first pass {first.seconds:.3f} s, second {second.seconds:.3f} s")


def test_an_edited_page_becomes_version_2_with_its_quote_diff(clean):
    site, home, config, _ = clean
    slug = "meridian-2023-energy-security"
    html = site.pages[slug].decode("utf-8")
    old_quote = re.search(r"“([^”]+)”", html).group(1)
    words = old_quote.split()
    new_quote = " ".join(words[:-2] + ["without", "delay"])
    site.pages[slug] = html.replace(old_quote, new_quote, 1).encode("utf-8")
    with Store.open(home) as store:
        before = store.get_event(store.page_state(site.url(slug)).event_id).to_json()
        old_pid = next(p["id"] for p in before["passages"] if p["text"].startswith(words[0])
                       and p["kind"] == "quote")  # fmt: skip
    summary = crawl_source(home, config, config.sources[0])
    assert by_slug(summary)[slug].outcome == "changed"
    assert by_slug(summary)[slug].version == 2
    assert summary.counts["unchanged"] == 11
    from podium.changes import quote_changes

    with Store.open(home) as store:
        eid = before["id"]
        diff = quote_changes(store.event_version(eid, 1), store.event_version(eid, 2))
        assert diff["reworded"] and diff["reworded"][0]["after"].endswith("without delay")
        # the old citation still names version 1 and resolves to the old wording
        record = store.cite_record(old_pid)
        assert record.version == 1 and old_quote.startswith(record.text.rstrip(",.")[:20])
    from podium.web import create_app

    page = create_app({"PODIUM_HOME": str(home.root)}).test_client().get(f"/e/{eid}")
    assert "Reworded" in page.get_data(as_text=True)


def test_a_removed_page_is_marked_removed_and_stays_searchable(clean):
    site, home, config, _ = clean
    slug = "baltic-2022-sanctions-roundtable"
    with Store.open(home) as store:
        eid = store.page_state(site.url(slug)).event_id
        title = store.get_event(eid).title
    del site.pages[slug]
    summary = crawl_source(home, config, config.sources[0])
    assert by_slug(summary)[slug].outcome == "removed"
    with Store.open(home) as store:
        assert store.get_event(eid).removed is True
    found = query.search(home.index_dir, SearchRequest(q=f'"{title}"', per_page=50))
    assert any(hit.event["id"] == eid for hit in found.results)


def test_a_page_that_now_redirects_to_the_listing_is_removed_not_replaced(clean):
    site, home, config, _ = clean
    slug = "caspian-2024-youth-session"
    with Store.open(home) as store:
        eid = store.page_state(site.url(slug)).event_id
        events_before = store.counts()["events"]
    site.moved_to_listing.add(slug)
    page = by_slug(crawl_source(home, config, config.sources[0]))[slug]
    assert page.outcome == "removed" and "not an event page" in page.reason
    with Store.open(home) as store:
        assert store.get_event(eid).removed is True
        assert store.counts()["events"] == events_before  # the listing was not stored as one


def test_reindex_from_archive_reproduces_the_store(clean):
    site, home, config, _ = clean
    slug = "meridian-2024-arctic-shipping"
    html = site.pages[slug].decode("utf-8")
    quote = re.search(r"“([^”]+)”", html).group(1)
    site.pages[slug] = html.replace(quote, quote + " And we said so at the time", 1).encode()
    crawl_source(home, config, config.sources[0])

    def snapshot():
        with Store.open(home) as store:
            db = store.db
            return (
                sorted(tuple(r) for r in db.execute("SELECT id, url, title, event_date FROM events")),
                sorted(tuple(r) for r in db.execute(
                    "SELECT event_id, version, content_hash, fetched_at FROM versions")),
                sorted(tuple(r) for r in db.execute(
                    "SELECT id, kind, speaker, first_version, last_version FROM passages")),
            )  # fmt: skip

    before = snapshot()
    result = podium(home, "reindex", "--from-archive")
    assert result.returncode == 0, result.stderr
    assert snapshot() == before
    assert len(before[1]) == 13  # twelve pages, one of them twice
    hits = query.search(home.index_dir, SearchRequest(q="sanctions"))
    assert hits.total > 0


def test_a_second_pass_of_the_same_source_says_so_and_exits(clean):
    site, home, _, _ = clean
    with SourceLock(home, "fixture"):
        result = podium(home, "crawl", "--source", "fixture")
    assert result.returncode == 1
    assert "already running" in result.stderr
    assert site.paths() == []


def test_crawl_json_gives_the_summary(clean):
    _, home, _, _ = clean
    result = podium(home, "crawl", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.splitlines()[-1])
    assert summary["counts"]["unchanged"] == 12
    assert {"new", "changed", "unchanged", "removed", "failed"} <= set(summary["counts"])
    assert summary["requests"] > 0 and summary["not_modified"] == 12 and summary["seconds"] >= 0


def test_searches_during_a_crawl_never_fail(tmp_path):
    with FixtureSite(faults=False) as site:
        home, config = make_home(tmp_path, site)
        errors, answers = [], []
        done = threading.Event()

        def searcher():
            while not done.is_set():
                try:
                    answers.append(query.search(home.index_dir, SearchRequest(q="energy")).total)
                except Exception as exc:  # noqa: BLE001 - any failure is the bug
                    errors.append(exc)

        thread = threading.Thread(target=searcher)
        thread.start()
        try:
            crawl_source(home, config, config.sources[0])
        finally:
            done.set()
            thread.join()
    assert errors == []
    assert answers and answers[-1] > 0


def test_kill_9_mid_pass_then_the_next_pass_resumes_and_loses_nothing(tmp_path):
    with FixtureSite(faults=False) as site:
        home, _ = make_home(tmp_path, site, delay=0.3)
        proc = subprocess.Popen(
            [sys.executable, "-m", "podium.cli", "--home", str(home.root), "crawl", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.time() + 60
        while time.time() < deadline and len(site.statuses()) < 5:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with Store.open(home) as store:
            stored = store.counts()["events"]
            run = store.runs(limit=1)[0]
            assert run.state == "running"
            done_before = set(store.run_pages(run.id))
        assert 0 < stored < 12 and done_before
        site.reset_log()
        result = podium(home, "crawl", "--json")
        assert result.returncode == 0, result.stderr
        summary = json.loads(result.stdout.splitlines()[-1])
    assert summary["resumed"] is True
    refetched = {site.base + p for p in site.paths()}
    assert not done_before & refetched  # what the killed pass finished is not fetched again
    with Store.open(home) as store:
        assert store.counts()["events"] == 12
        assert store.runs(limit=1)[0].state == "done"
    assert query.search(home.index_dir, SearchRequest(q="energy")).total > 0


def test_a_saved_search_gets_an_atom_feed_of_new_matches(tmp_path):
    from podium.web import create_app

    with FixtureSite(faults=False) as site:
        home, config = make_home(tmp_path, site)
        added = podium(home, "watch", "add", "sanctions")
        assert added.returncode == 0 and "/feeds/1.atom" in added.stdout
        summary = crawl_source(home, config, config.sources[0], after_pass=watch.check_all)
    assert summary.alerts > 0
    client = create_app({"PODIUM_HOME": str(home.root)}).test_client()
    feed = client.get("/feeds/1.atom")
    assert feed.status_code == 200
    assert feed.content_type.startswith("application/atom+xml")
    body = feed.get_data(as_text=True)
    assert body.count("<entry>") == summary.alerts
    assert "sanctions" in body.lower() and " at " in body
    assert client.get("/feeds/99.atom").status_code == 404


def test_schedule_runs_a_pass_and_logs_it(tmp_path):
    with FixtureSite(faults=False) as site:
        home, _ = make_home(tmp_path, site)
        result = podium(home, "schedule", "--run-now", "--max-runs", "1")
    assert result.returncode == 0, result.stderr
    log = (home.root / "logs" / "schedule.log").read_text()
    assert "run 1 done: fixture: 12 new" in log


def test_status_page_and_archived_copy(clean):
    from podium.web import create_app

    site, home, _, _ = clean
    client = create_app({"PODIUM_HOME": str(home.root)}).test_client()
    status = client.get("/status").get_data(as_text=True)
    assert "fixture" in status and "done" in status
    with Store.open(home) as store:
        eid = store.page_state(site.url("caspian-2021-water-diplomacy")).event_id
    copy = client.get(f"/archive/{eid}/1")
    assert copy.status_code == 200
    assert copy.headers["Content-Security-Policy"].startswith("sandbox")
    assert "script-src" not in copy.headers["Content-Security-Policy"]
    assert b"<html" in copy.data.lower()
    assert client.get(f"/archive/{eid}/9").status_code == 404
