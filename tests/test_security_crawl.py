"""Hostile pages and hostile servers against the ingest, the store and the crawler (issue 18:
findings 3, 4, 7, 8, 10 and 12). Every server is on 127.0.0.1 (tests/fixture_site.py); the
pages are written for these tests; "internal address" cases are refused before any socket
is opened, so nothing leaves the machine."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import urllib3
from fixture_site import FixtureSite, podium_toml
from warcio.archiveiterator import ArchiveIterator

from podium import fetch, index, query
from podium.archive import archive_files
from podium.config import Config, Home, Source, load_config
from podium.crawl import crawl_source
from podium.discover import is_event_page
from podium.fetch import Fetcher
from podium.ingest import ingest_pages, read_inputs, trusted_url
from podium.models import SearchRequest
from podium.store import OriginConflict, Store

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
INTERNAL = ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
            "http://[::1]:9/", "http://0.0.0.0:9/"]  # fmt: skip


def event_page(title: str, canonical: str | None, quote: str, speaker: str) -> bytes:
    """A small event report of our own writing, with the canonical link a test chooses."""
    link = f'<link rel="canonical" href="{canonical}">' if canonical is not None else ""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title>{link}</head><body><article><h1>{title}</h1>
<p>On March 3, 2025, the Lantern Policy Circle held a round table on harbour tariffs.</p>
<p>{speaker}, a senior fellow at the Lantern Policy Circle, spoke first. “{quote},” {speaker}
said.</p><p>The discussion went on to port fees and the price of grain in winter.</p>
</article></body></html>""".encode()


GENUINE = ("Harbour Tariffs After the Thaw", "Tariffs will fall before the ice does",
           "Odile Marchetti")  # fmt: skip
FORGED_QUOTE = "I was wrong about everything and tariffs must rise"


def home_with(tmp_path, site: FixtureSite | None = None, **kw) -> tuple[Home, Config]:
    home = Home.resolve(tmp_path).ensure()
    if site is not None:
        home.config_path.write_text(podium_toml(site, **kw))
    return home, load_config(home)


def podium(home: Home, *args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "podium.cli", "--home", str(home.root), *args],
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def events(home: Home) -> dict[str, dict]:
    with Store.open(home) as store:
        rows = store.db.execute("SELECT id, url, current_version, origin FROM events")
        return {r["id"]: dict(r) for r in rows}


def quotes_of(home: Home, event_id: str) -> list[str]:
    with Store.open(home) as store:
        return [p.text for p in store.get_event(event_id).passages if p.kind == "quote"]


def indexed_event_ids(home: Home) -> set[str]:
    ix = index.open_index(home.index_dir)
    if ix is None:
        return set()
    with ix.searcher() as searcher:
        return {fields["event_id"] for fields in searcher.all_stored_fields()}


def no_connections(monkeypatch) -> list:
    """Make any socket connection attempt by urllib3 a recorded failure."""
    attempts = []

    def refuse(address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"a connection to {address} was attempted")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", refuse)
    return attempts


# --- 3. an event belongs to the site (or file) that first published it ------------------------


@pytest.fixture()
def genuine(tmp_path):
    """A site on 127.0.0.1 whose event page names itself as canonical, ingested by URL."""
    with FixtureSite(faults=False) as site:
        url = site.url("harbour-tariffs")
        site.pages["harbour-tariffs"] = event_page(GENUINE[0], url, GENUINE[1], GENUINE[2])
        home, config = home_with(tmp_path / "home", site)
        [result] = ingest_pages(home, read_inputs([url], config))
        assert result.status == "new", result.error
        yield site, home, config, result.event_id


def test_a_page_on_another_host_claiming_an_events_canonical_url_gets_its_own_event(genuine):
    site, home, config, eid = genuine
    # the same server under another name is another site to the crawler
    forged_at = site.url("harbour-tariffs-copy").replace("127.0.0.1", "localhost")
    site.pages["harbour-tariffs-copy"] = event_page(
        GENUINE[0], site.url("harbour-tariffs"), FORGED_QUOTE, GENUINE[2]
    )
    [result] = ingest_pages(home, read_inputs([forged_at], config))
    assert result.status == "new" and result.event_id != eid
    stored = events(home)
    assert stored[eid]["current_version"] == 1
    assert stored[result.event_id]["url"] == forged_at  # keyed and cited by where it was found
    assert [q.rstrip(",") for q in quotes_of(home, eid)] == [GENUINE[1]]


def test_a_local_file_claiming_a_crawled_events_url_never_becomes_a_version_of_it(genuine,
                                                                                 tmp_path):  # fmt: skip
    site, home, config, eid = genuine
    forged = tmp_path / "saved-copy.html"
    forged.write_bytes(event_page(GENUINE[0], site.url("harbour-tariffs"), FORGED_QUOTE,
                                  GENUINE[2]))  # fmt: skip
    other = tmp_path / "another-copy.html"
    other.write_bytes(forged.read_bytes().replace(b"must rise", b"must rise again"))
    results = ingest_pages(home, read_inputs([str(forged), str(other)], config))
    assert [r.status for r in results] == ["new", "new"]
    ids = {r.event_id for r in results}
    assert eid not in ids and len(ids) == 2  # nor a version of each other
    assert events(home)[eid]["current_version"] == 1
    assert [q.rstrip(",") for q in quotes_of(home, eid)] == [GENUINE[1]]
    hits = query.search(home.index_dir, SearchRequest(q='"tariffs will fall"'))
    assert {h.event["id"] for h in hits.results} == {eid}
    again = ingest_pages(home, read_inputs([str(forged)], config))  # the same file: unchanged
    assert again[0].status == "unchanged" and again[0].event_id == results[0].event_id


def test_the_store_refuses_a_version_from_another_origin(genuine):
    _, home, _, eid = genuine
    with Store.open(home) as store:
        assert store.db.execute("SELECT origin FROM events WHERE id = ?", (eid,)).fetchone()[0]
        with pytest.raises(OriginConflict, match="another origin"):
            store.check_origin(eid, "file:0123456789abcdef")


# --- 10. only http(s) URLs become an event's URL --------------------------------------------


@pytest.mark.parametrize("canonical", ["javascript:alert(document.domain)",
                                       "data:text/html,<b>x</b>", "https://ok.example/a\nb"])  # fmt: skip
def test_a_non_web_canonical_url_is_never_stored(tmp_path, canonical):
    page = tmp_path / "page.html"
    page.write_bytes(event_page(GENUINE[0], canonical, GENUINE[1], GENUINE[2]))
    home, config = home_with(tmp_path / "home")
    with FixtureSite(faults=False) as site:
        site.pages["odd-canonical"] = page.read_bytes()
        home.config_path.write_text(podium_toml(site))
        config = load_config(home)
        results = ingest_pages(home, read_inputs([str(page), site.url("odd-canonical")], config))
    assert [r.status for r in results] == ["new", "new"]
    urls = {r["id"]: r["url"] for r in events(home).values()}
    assert urls[results[0].event_id] is None  # a file that claims nothing usable
    assert urls[results[1].event_id] == site.url("odd-canonical")  # where it was fetched


def test_which_canonical_urls_are_believed():
    fetched = "https://news.lantern.org.uk/events/tariffs/?utm_source=feed"
    assert trusted_url("https://www.lantern.org.uk/events/tariffs/", fetched) == (
        "https://www.lantern.org.uk/events/tariffs/"  # the same registrable domain
    )
    assert trusted_url("/events/tariffs/", fetched) == "https://news.lantern.org.uk/events/tariffs/"
    assert trusted_url("https://other.org.uk/events/tariffs/", fetched) == fetched  # .org.uk
    assert trusted_url("//meridian.example/events/x/", fetched) == fetched
    assert trusted_url("javascript:alert(1)", None) is None
    assert trusted_url("https://lantern.org.uk/x", None) == "https://lantern.org.uk/x"  # a file


# --- 4. internal addresses, other hosts, patterns on the path ----------------------------------


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_addresses_are_refused_before_any_connection(monkeypatch, url):
    attempts = no_connections(monkeypatch)
    fetcher = Fetcher(Config(retries=1))
    got = fetcher.get(url)
    assert got.error and got.error.startswith("refused:") and "allow_private" in got.error
    assert attempts == [] and fetcher.log == []


def test_the_connection_itself_goes_only_to_a_checked_address():
    """Even a request that skips Fetcher.get's check cannot open a socket to loopback."""
    with FixtureSite(faults=False) as site:
        with pytest.raises(fetch.AddressRefused):
            Fetcher(Config()).pool.request("GET", site.base + "/robots.txt", retries=False)
        assert site.paths() == []


def test_without_the_opt_in_a_crawl_of_127_0_0_1_sends_nothing(tmp_path):
    with FixtureSite(faults=False) as site:
        home, config = home_with(tmp_path, site, allow_private=False)
        summary = crawl_source(home, config, config.sources[0])
        assert site.paths() == []
    assert summary.counts["new"] == 0
    assert summary.discovery_errors and all("refused" in e for e in summary.discovery_errors)
    result = podium(home, "ingest", site.url("caspian-2021-water-diplomacy"))
    assert result.returncode == 1 and "refused" in result.stderr


def test_links_and_redirects_off_the_sources_hosts_are_not_followed(tmp_path):
    with FixtureSite(faults=False) as site:
        port = site.base.rsplit(":", 1)[1]
        secret = f"http://localhost:{port}/internal-secret?/events/"
        site.extra_links = [secret, f"http://localhost:{port}/events/elsewhere/"]
        site.redirects["/events/moved-away/"] = secret
        site.extra_links.append("/events/moved-away/")
        home, config = home_with(tmp_path, site)
        source = config.sources[0]
        source.include = ["/events/"]  # loose: would match the secret's query
        summary = crawl_source(home, config, source)
        requested = site.paths()
    assert not any("internal-secret" in p or "elsewhere" in p for p in requested)
    assert all(not p.url.startswith("http://localhost") for p in summary.pages)
    moved = next(p for p in summary.pages if p.url.endswith("/events/moved-away/"))
    assert moved.outcome == "failed" and "not on the source's own hosts" in moved.reason
    for path in archive_files(home.archive_dir):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                assert "internal-secret" not in record.rec_headers.get_header("WARC-Target-URI")


def test_include_and_exclude_match_the_path_not_the_host():
    source = Source("s", start=["https://think.example/events/"], include=["^/events/"],
                    exclude=["/drafts/"])  # fmt: skip
    assert is_event_page("https://www.think.example/events/a-talk/", source)
    assert not is_event_page("https://think.example/about/?next=/events/", source)
    assert not is_event_page("https://think.example/events/drafts/x/", source)
    assert not is_event_page("https://events.other.example/events/a-talk/", source)
    everything = Source("s", start=["https://think.example/"])  # empty include: the own hosts
    assert is_event_page("https://think.example/anything", everything)
    assert not is_event_page("http://localhost/internal-secret?/events/", everything)


def test_a_redirect_to_an_internal_address_is_refused_before_it_is_requested(monkeypatch):
    """127.0.0.1 plays a public site here, so that its redirect to the metadata address is
    the only internal hop; that hop is refused without a connection."""
    public = fetch.why_not_public
    monkeypatch.setattr(fetch, "why_not_public", lambda a: None if a == "127.0.0.1" else public(a))
    with FixtureSite(faults=False) as site:
        site.redirects["/events/metadata/"] = "http://169.254.169.254/latest/meta-data/"
        connect = urllib3.util.connection.create_connection
        hosts = []

        def only_loopback(address, *args, **kwargs):
            hosts.append(address[0])
            assert address[0] == "127.0.0.1"
            return connect(address, *args, **kwargs)

        monkeypatch.setattr(urllib3.util.connection, "create_connection", only_loopback)
        got = Fetcher(Config(retries=1), delay=0).get(site.base + "/events/metadata/")
    assert "redirected to http://169.254.169.254" in got.error and "refused" in got.error
    assert set(hosts) == {"127.0.0.1"}


# --- 8. slow servers: the deadline at the socket, Crawl-delay capped, [crawl] for ingest ------


@pytest.mark.parametrize("path", ["/trickle/", "/trickle-headers/"])
def test_a_trickled_body_or_header_stops_at_max_time(path):
    with FixtureSite(faults=False) as site:
        site.trickle = (40, 0.5)  # 20 s or more for the whole response
        got = Fetcher(Config(timeout=5, max_time=2, retries=1), delay=0,
                      allow_private=True).get(site.base + path)  # fmt: skip
        sent = site.trickled
    assert got.error and "timed out" in got.error and "2 s" in got.error
    assert sent < 20  # the crawler hung up long before the body was done
    assert got.body == b""


def test_a_huge_crawl_delay_is_capped_and_said(tmp_path):
    waits = []
    with FixtureSite(faults=False) as site:
        site.robots_extra = "Crawl-delay: 86400\n"
        fetcher = Fetcher(Config(), delay=0, allow_private=True, sleep=waits.append)
        for slug in ("caspian-2021-water-diplomacy", "meridian-2024-arctic-shipping"):
            assert fetcher.get(site.url(slug)).kind is fetch.FetchKind.OK
    assert waits and max(waits) <= 60
    assert fetcher.notes == [f"{site.base}/robots.txt asks for a Crawl-delay of 86400 s; "
                             "capped at 60 s"]  # fmt: skip


def test_podium_ingest_url_uses_the_crawl_settings_of_podium_toml(tmp_path):
    with FixtureSite(faults=False) as site:
        home, _ = home_with(tmp_path, site)
        toml = (
            home.config_path.read_text()
            .replace("[crawl]\n", '[crawl]\nuser_agent = "LanternTest/2.0 (fictional)"\n')
            .replace("max_time = 8.0", "max_time = 2.0")
        )
        home.config_path.write_text(toml)
        ok = podium(home, "ingest", site.url("caspian-2021-water-diplomacy"))
        slow = podium(home, "ingest", site.base + "/trickle/")
        agents, sent = list(site.agents), site.trickled
    assert ok.returncode == 0, ok.stderr
    assert agents and all(a == "LanternTest/2.0 (fictional)" for a in agents)
    assert slow.returncode == 1 and "timed out" in slow.stderr and sent < 20


# --- 7. the index catches up after a crash ---------------------------------------------------


def test_kill_9_mid_ingest_then_the_next_ingest_makes_every_event_searchable(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for copy in range(10):
        for sample in sorted(SAMPLES.glob("*.html")):
            shutil.copy(sample, pages / f"{copy:02d}-{sample.name}")
    files = sorted(str(p) for p in pages.iterdir())
    home = Home.resolve(tmp_path / "home").ensure()
    proc = subprocess.Popen(
        [sys.executable, "-m", "podium.cli", "--home", str(home.root), "ingest", *files],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and stored < 5 and proc.poll() is None:
        time.sleep(0.05)
        if home.db_path.exists():
            try:
                with Store.open(home) as store:
                    stored = store.counts()["events"]
            except Exception:  # noqa: BLE001 - the schema is being created
                stored = 0
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store.open(home) as store:
        counts = store.counts()
    assert 0 < counts["events"] < len(files)
    assert counts["pending_index"] > 0  # stored, marked, never indexed

    from podium.web import create_app

    health = create_app({"PODIUM_HOME": str(home.root)}).test_client().get("/healthz").get_json()
    assert health["status"] == "catching up"
    assert health["pending_index"] == counts["pending_index"]

    result = podium(home, "ingest", *files)
    assert result.returncode == 0, result.stderr
    with Store.open(home) as store:
        every = {row[0] for row in store.db.execute("SELECT id FROM events")}
        counts = store.counts()
    assert len(every) == len(files) and counts["pending_index"] == 0
    assert indexed_event_ids(home) == every
    health = create_app({"PODIUM_HOME": str(home.root)}).test_client().get("/healthz").get_json()
    assert health["status"] == "ok" and health["indexed_passages"] == counts["passages"]


def crashed_home(tmp_path) -> tuple[Home, str]:
    """A home whose one event is stored and marked, but not in the index (a crash between)."""
    home = Home.resolve(tmp_path).ensure()
    ingest_pages(home, read_inputs([str(SAMPLES / "meridian-2024-arctic-shipping.html")]))
    with Store.open(home) as store:
        [eid] = [row[0] for row in store.db.execute("SELECT id FROM events")]
        with store.db:
            store._mark_pending(eid)
        index.update(home.index_dir, [], [eid])
        assert store.counts()["pending_index"] == 1
    assert indexed_event_ids(home) == set()
    return home, eid


def test_podium_index_indexes_what_a_crash_left(tmp_path):
    home, eid = crashed_home(tmp_path)
    result = podium(home, "index")
    assert result.returncode == 0 and "1 events indexed" in result.stdout
    assert indexed_event_ids(home) == {eid}


def test_podium_serve_indexes_what_a_crash_left_before_it_answers(tmp_path):
    import json
    import urllib.request

    from conftest import free_port

    home, eid = crashed_home(tmp_path)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "podium.cli", "--home", str(home.root), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        health = None
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    health = json.load(r)
                break
            except OSError:
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert health and health["status"] == "ok" and health["pending_index"] == 0
    assert indexed_event_ids(home) == {eid}


def test_a_crawl_pass_indexes_what_a_crash_left(tmp_path):
    home, eid = crashed_home(tmp_path)
    with FixtureSite(faults=False) as site:
        home.config_path.write_text(podium_toml(site))
        config = load_config(home)
        crawl_source(home, config, config.sources[0], limit=1)
    assert eid in indexed_event_ids(home)
    with Store.open(home) as store:
        assert store.counts()["pending_index"] == 0


# --- 12. only what was stored is archived, and never a local path --------------------------------


def test_failed_files_are_not_archived_and_no_local_path_is(tmp_path):
    secret_dir = tmp_path / "private-notes-of-a-reporter"
    secret_dir.mkdir()
    (secret_dir / "report.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    (secret_dir / "passwd.html").symlink_to("/etc/passwd")
    (secret_dir / "blob.html").write_bytes(bytes(range(256)) * 8)
    good = secret_dir / "harbour.html"
    good.write_bytes(event_page(*((GENUINE[0], None) + GENUINE[1:])))
    home = Home.resolve(tmp_path / "home").ensure()
    bad = [str(secret_dir / n) for n in ("report.pdf", "passwd.html", "blob.html")]
    results = ingest_pages(home, read_inputs([*bad, str(good)]))
    assert [r.status for r in results] == ["failed", "failed", "failed", "new"]
    records = []
    for path in archive_files(home.archive_dir):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                records.append((record.rec_headers.get_header("WARC-Target-URI"),
                                record.content_stream().read()))  # fmt: skip
    assert len(records) == 1  # the one page that was stored
    uri, body = records[0]
    assert uri.startswith("file:") and uri.endswith("/harbour.html")
    assert str(tmp_path) not in uri and "private-notes" not in uri
    assert body == good.read_bytes()

    from podium.web import create_app

    eid = results[-1].event_id
    client = create_app({"PODIUM_HOME": str(home.root)}).test_client()
    copy = client.get(f"/archive/{eid}/1")
    assert copy.status_code == 200
    assert "private-notes" not in str(copy.headers)
    shown = client.get(f"/api/events/{eid}")
    assert shown.status_code == 200 and "private-notes" not in shown.get_data(as_text=True)

    before = events(home)
    result = podium(home, "reindex", "--from-archive")
    assert result.returncode == 0, result.stderr
    assert events(home) == before  # the same event, keyed the same, from the archive alone


def test_a_file_ingested_before_origins_keeps_its_event(tmp_path):
    """Homes made before events had origins keyed a file by the URL it claimed: ingesting that
    file again updates that event rather than making a second one."""
    from podium.ids import event_id_for
    from podium.ingest import build_passages, extract_page

    page = SAMPLES / "meridian-2024-arctic-shipping.html"
    home = Home.resolve(tmp_path).ensure()
    [raw] = read_inputs([str(page)])
    event = extract_page(raw)
    with Store.open(home) as store:  # as the code before origins stored it
        old = event_id_for(event)
        store.save_event(event, build_passages(old, event))
    [result] = ingest_pages(home, read_inputs([str(page)]))
    assert result.event_id == old and result.status == "unchanged"
    assert events(home)[old]["origin"].startswith("file:")
