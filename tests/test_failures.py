"""Failures typed and visible: what a fetch came to is a kind the crawler decides on, a retry
is logged, a page that breaks the extractor fails alone with its traceback in the log, a
failing store stops the pass instead of passing for a bad page, and a crashed pass in
`podium schedule` logs its traceback while the schedule goes on."""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fixture_site import SAMPLES, FixtureSite, podium_toml
from podium_cli import podium

from podium import extract
from podium.config import Config, Home, Source, load_config
from podium.crawl import PassSummary, crawl_source
from podium.fetch import Fetcher, FetchKind
from podium.ingest import ingest_pages, read_inputs
from podium.models import PodiumError
from podium.schedule import run_schedule
from podium.store import Store

PAGE = b"<html><head><title>A talk</title></head><body><p>Words were said.</p></body></html>"


class ScriptedSite:
    """127.0.0.1 answering each path with its script, one step per request: a status, or
    "drop" (the connection closed before any reply). The last step repeats; robots.txt is 404."""

    def __init__(self, scripts: dict[str, list]):
        self.scripts = scripts
        self.served: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                site.served.append(self.path)
                script = site.scripts.get(self.path, [404])
                step = script.pop(0) if len(script) > 1 else script[0]
                if step == "drop":
                    self.close_connection = True
                    return
                body = PAGE if step == 200 else b"no"
                self.send_response(step)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> ScriptedSite:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def fetcher() -> Fetcher:
    return Fetcher(Config(retries=3, backoff=0.01), delay=0, allow_private=True,
                   sleep=lambda seconds: None)  # fmt: skip


def test_a_retried_fetch_is_logged_and_then_succeeds(caplog):
    with ScriptedSite({"/talk": [503, 200]}) as site:
        with caplog.at_level(logging.INFO, logger="podium.fetch"):
            got = fetcher().get(site.base + "/talk")
    assert got.kind is FetchKind.OK and got.body == PAGE
    retries = [r.getMessage() for r in caplog.records if r.name == "podium.fetch"]
    assert retries == [f"{site.base}/talk: HTTP 503; trying again in 0.0 s (attempt 2 of 3)"]


def test_a_dropped_connection_is_retried_as_a_connection_failure(caplog):
    with ScriptedSite({"/talk": ["drop", "drop", 200]}) as site:
        with caplog.at_level(logging.INFO, logger="podium.fetch"):
            got = fetcher().get(site.base + "/talk")
    assert got.kind is FetchKind.OK
    assert site.served.count("/talk") == 3
    retries = [r.getMessage() for r in caplog.records if r.name == "podium.fetch"]
    assert len(retries) == 2 and all("connection failed" in line for line in retries)


def test_what_a_fetch_came_to_is_its_kind():
    with ScriptedSite({"/gone": [410], "/broken": [500], "/dropped": ["drop"]}) as site:
        got = {path: fetcher().get(site.base + path) for path in ("/gone", "/broken", "/dropped")}
    assert got["/gone"].kind is FetchKind.GONE
    assert got["/broken"].kind is FetchKind.HTTP_ERROR
    assert got["/broken"].error == "HTTP 500 Internal Server Error"
    assert got["/dropped"].kind is FetchKind.CONNECTION_FAILED
    assert got["/dropped"].error.endswith("(after 3 attempts)")


def test_verbose_logs_each_request_and_the_default_logs_nothing(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "podium.toml").write_text("[crawl]\nallow_private = true\n")  # 127.0.0.1
    with ScriptedSite({"/talk": [200]}) as site:
        verbose = podium(home, "-v", "ingest", site.base + "/talk", check=False)
        quiet = podium(home, "ingest", site.base + "/talk", check=False)
    assert f"DEBUG podium.fetch: GET {site.base}/talk: 200" in verbose.stderr
    assert "podium.fetch" not in quiet.stderr


def make_home(tmp_path, site) -> tuple[Home, Config]:
    home = Home.resolve(tmp_path).ensure()
    home.config_path.write_text(podium_toml(site))
    return home, load_config(home)


def test_a_page_that_breaks_the_extractor_fails_alone_with_its_traceback_logged(
    tmp_path, monkeypatch, caplog
):
    real = extract.extract_event

    def breaks_on_one_page(raw, **kw):
        if "caspian-2021-water-diplomacy" in (kw.get("url") or ""):
            raise RuntimeError("the extractor tripped")
        return real(raw, **kw)

    monkeypatch.setattr(extract, "extract_event", breaks_on_one_page)
    with FixtureSite(faults=False) as site:
        home, config = make_home(tmp_path, site)
        with caplog.at_level(logging.INFO, logger="podium.crawl"):
            summary = crawl_source(home, config, config.sources[0])
    failed = [p for p in summary.pages if p.outcome == "failed"]
    assert [p.reason for p in failed] == ["extraction failed: RuntimeError: the extractor tripped"]
    assert summary.counts["new"] == 11
    crashes = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(crashes) == 1 and failed[0].url in crashes[0].getMessage()
    assert "breaks_on_one_page" in caplog.text  # the traceback, down to where it broke


def test_a_failing_store_stops_the_pass_and_is_not_called_a_bad_page(tmp_path):
    with FixtureSite(faults=False) as site:
        home, config = make_home(tmp_path, site)
        Store.open(home).close()  # the schema, then a store that refuses every new event
        with sqlite3.connect(home.db_path) as db:
            db.execute("CREATE TRIGGER disk_full BEFORE INSERT ON events "
                       "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")  # fmt: skip
        with pytest.raises(sqlite3.Error, match="disk is full"):
            crawl_source(home, config, config.sources[0])
    with Store.open(home) as store:
        run = store.runs(limit=1)[0]
    assert run.state == "failed" and "disk is full" in run.error


def test_a_crashed_pass_logs_its_traceback_and_the_schedule_goes_on(tmp_path, monkeypatch, caplog):
    home = Home.resolve(tmp_path).ensure()
    config = Config(sources=[Source("broken", schedule="0 * * * *"),
                             Source("fine", schedule="30 * * * *")])  # fmt: skip
    ran = []

    def crawl_source(home, config, source, after_pass=None):
        ran.append(source.name)
        if source.name == "broken":
            raise KeyError("a bug in the pass")
        return PassSummary(source.name, len(ran), False, "2026-01-01T00:00:00+00:00")

    monkeypatch.setattr("podium.crawl.crawl_source", crawl_source)
    lines = []
    with caplog.at_level(logging.ERROR, logger="podium.schedule"):
        runs = run_schedule(home, config, run_now=True, max_runs=2, echo=lines.append,
                            sleep=lambda seconds: None)  # fmt: skip
    assert runs == 2 and sorted(ran) == ["broken", "fine"]
    crash = [r for r in caplog.records if r.name == "podium.schedule"]
    assert len(crash) == 1 and crash[0].getMessage() == "broken: pass failed"
    assert crash[0].exc_info and crash[0].exc_info[0] is KeyError
    assert "raise KeyError" in caplog.text  # the traceback, not just the message
    assert any("broken: pass failed: KeyError" in line for line in lines)
    assert any("run 2 done: fine" in line for line in lines)


@pytest.mark.parametrize(
    "text, message",
    [
        ('source = "blog"', "source must be [[source]] tables"),
        ("crawl = 3", "crawl must be a [crawl] table"),
        ("source = [1]", "[[source]] number 1 has no name"),
    ],
)
def test_a_podium_toml_of_the_wrong_shape_is_a_plain_error(tmp_path, text, message):
    home = Home.resolve(tmp_path).ensure()
    home.config_path.write_text(text, encoding="utf-8")
    with pytest.raises(PodiumError, match=re.escape(message)):
        load_config(home)


def test_a_page_that_breaks_the_extractor_fails_alone_in_an_ingest_too(tmp_path, monkeypatch):
    real = extract.extract_event

    def breaks_on_one_page(raw, **kw):
        if b"Caspian" in raw[:2000]:
            raise RuntimeError("the extractor tripped")
        return real(raw, **kw)

    monkeypatch.setattr(extract, "extract_event", breaks_on_one_page)
    home = Home.resolve(tmp_path).ensure()
    pages = [
        SAMPLES / "caspian-2021-water-diplomacy.html",
        SAMPLES / "baltic-2021-cyber-norms.html",
    ]
    results = ingest_pages(home, read_inputs([str(p) for p in pages]))
    assert [(r.status, r.error) for r in results] == [
        ("failed", "extraction failed: RuntimeError: the extractor tripped"),
        ("new", None),
    ]
