"""`podium reindex --from-archive` gives back the store it replaces, and a failed ingest leaves
nothing behind: no row, no archived record. Real HTTP on 127.0.0.1 (fixture_site), real
`podium` processes."""

from __future__ import annotations

import json
import re

import pytest
from fixture_site import SAMPLES, FixtureSite
from podium_cli import podium

from podium import store as store_module
from podium.archive import ArchiveWriter, archive_files, iter_archive
from podium.config import Home
from podium.locks import SourceLock
from podium.models import PodiumError
from podium.store import Store

SLUG = "meridian-2024-arctic-shipping"
LOST = "caspian-2021-water-diplomacy.html"  # a file whose archived copy is then damaged
# podium ingest URL on 127.0.0.1 needs allow_private; no [[source]]: the URL is no source's page
PRIVATE_CRAWL = "[crawl]\ntimeout = 2.0\nallow_private = true\n"


def snapshot(home: Home):
    """What a reader of the store sees: events (with when they were first and last seen), every
    version, passages, speakers with every spelling, roles, and editors' corrections."""
    with Store.open(home) as store:
        db = store.db
        return (
            sorted(tuple(r) for r in db.execute(
                "SELECT id, url, source, origin, title, organisation, event_date, "
                "current_version, removed, first_seen, last_seen FROM events")),
            sorted(tuple(r) for r in db.execute(
                "SELECT event_id, version, content_hash, raw_sha256, fetched_at, ingested_at, "
                "data FROM versions")),
            sorted(tuple(r) for r in db.execute(
                "SELECT id, event_id, kind, text, speaker, speaker_id, confidence, "
                "first_version, last_version FROM passages")),
            sorted(tuple(r) for r in db.execute(
                "SELECT event_id, speaker_id, name, role FROM event_speakers")),
            sorted(tuple(r) for r in db.execute(
                "SELECT s.id, s.name, n.name, n.key FROM speakers s "
                "JOIN speaker_names n ON n.speaker_id = s.id")),
            sorted(tuple(r) for r in db.execute("SELECT * FROM corrections")),
        )  # fmt: skip


def test_two_versions_from_a_url_and_a_file_survive_a_reindex(tmp_path):
    """Also: an archived page that no longer extracts is named, and an event whose archived
    copy cannot be read at all is kept as it was, and named."""
    home = Home.resolve(tmp_path / "home").ensure()
    home.config_path.write_text(PRIVATE_CRAWL)
    with FixtureSite(faults=False) as site:
        url = site.url(SLUG)
        first = podium(home.root, "ingest", url, "--json")
        assert json.loads(first.stdout)["status"] == "new"
        html = site.pages[SLUG].decode("utf-8")
        quote = re.search(r"“([^”]+)”", html).group(1)
        site.pages[SLUG] = html.replace(quote, quote + " And we said so at the time", 1).encode()
        second = json.loads(podium(home.root, "ingest", url, "--json").stdout)
        assert (second["status"], second["version"]) == ("changed", 2)
    podium(home.root, "ingest", str(SAMPLES / "baltic-2021-cyber-norms.html"))
    files_before = set(archive_files(home.archive_dir))
    kept = json.loads(podium(home.root, "ingest", "--json", str(SAMPLES / LOST)).stdout)
    [damaged] = set(archive_files(home.archive_dir)) - files_before
    damaged.write_bytes(b"not a WARC file any more")  # the page cannot be re-read
    with ArchiveWriter(home.archive_dir) as archive:  # a page an older Podium archived
        archive.write_resource("http://127.0.0.1:9/report.pdf", b"%PDF-1.7\n" + b"\0" * 200,
                               "application/pdf", "2026-01-02T03:04:05+00:00")  # fmt: skip
    baltic = json.loads(podium(home.root, "search", "--json", "cyber norms").stdout)
    corrected = baltic["results"][0]["id"]  # an editor names someone no page names
    podium(home.root, "correct", corrected, "--speaker", "Zebulon Quillfeather")
    before = snapshot(home)
    assert len(before[1]) == 4  # two versions of the URL's event, one of each file's

    result = podium(home.root, "reindex", "--from-archive", "--json", check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["failures"] == [
        {"source": "http://127.0.0.1:9/report.pdf", "error": report["failures"][0]["error"]}
    ]
    assert (report["new"], report["changed"], report["failed"]) == (2, 1, 1)
    assert report["kept_events"] == [kept["event_id"]]
    assert snapshot(home) == before
    searched = podium(home.root, "search", "we said so at the time", "--json")
    assert json.loads(searched.stdout)["total"] > 0

    said = podium(home.root, "reindex", "--from-archive", check=False)
    assert said.returncode == 0, said.stderr
    assert "failed     http://127.0.0.1:9/report.pdf: " in said.stderr
    assert f"kept       {kept['event_id']}: " in said.stderr
    assert "(1 failed)" in said.stdout
    assert snapshot(home) == before


def test_a_failed_ingest_stores_nothing_not_even_in_the_archive(tmp_path):
    home = Home.resolve(tmp_path / "home").ensure()
    home.config_path.write_text(PRIVATE_CRAWL)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" * 50)
    csv = tmp_path / "speakers.csv"
    csv.write_text("name,role\nAnna Berg,Director\nJon Dahl,Fellow\n")
    blob = tmp_path / "blob.bin"
    blob.write_bytes(bytes(range(256)) * 40)
    with FixtureSite(faults=True) as site:
        site.pages["speakers-csv"] = csv.read_bytes()
        urls = [f"{site.base}/events/fault-binary/", site.url("speakers-csv")]
        result = podium(home.root, "ingest", "--json", str(pdf), str(csv), str(blob), *urls,
                        check=False)  # fmt: skip
    assert result.returncode == 1
    results = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["status"] for r in results] == ["failed"] * 5, results
    assert list(iter_archive(home.archive_dir)) == []
    with Store.open(home) as store:
        assert store.counts()["events"] == 0


def test_a_reindex_does_not_start_beside_a_crawl_pass(tmp_path):
    home = Home.resolve(tmp_path / "home").ensure()
    home.config_path.write_text(
        PRIVATE_CRAWL + '[[source]]\nname = "fixture"\nstart = ["http://127.0.0.1:9/events/"]\n'
    )
    podium(home.root, "ingest", str(SAMPLES / LOST))
    before = snapshot(home)
    with SourceLock(home, "fixture"):  # a pass of the source is running
        result = podium(home.root, "reindex", "--from-archive", check=False)
    assert result.returncode == 1
    assert "'fixture' is already running" in result.stderr
    assert not home.db_path.with_name("podium.db.before-reindex").exists()
    assert snapshot(home) == before


def test_a_reindex_does_not_start_beside_a_writer_and_no_write_lands_during_one(
    tmp_path, monkeypatch
):
    home = Home.resolve(tmp_path / "home").ensure()
    podium(home.root, "ingest", str(SAMPLES / LOST))
    before = snapshot(home)
    with Store.open(home):  # an ingest, a correction or a crawl pass is writing
        result = podium(home.root, "reindex", "--from-archive", check=False)
    assert result.returncode == 1
    assert "the store is being written" in result.stderr
    assert not home.db_path.with_name("podium.db.before-reindex").exists()
    assert snapshot(home) == before

    monkeypatch.setattr(store_module, "REPLACE_WAIT", 0.2)
    with Store.replacing(home):  # a reindex is about to swap the database file
        with pytest.raises(PodiumError, match="is replacing the store"):
            Store.open(home)
    with Store.open(home) as store:  # and once it is done, writers go on
        assert store.counts()["events"] == 1


def test_commands_that_only_read_neither_wait_for_nor_hold_up_a_reindex(tmp_path):
    home = Home.resolve(tmp_path / "home").ensure()
    podium(home.root, "ingest", str(SAMPLES / LOST))
    found = json.loads(podium(home.root, "search", "--json", "water").stdout)["results"][0]
    with Store.replacing(home):  # a reindex is rebuilding the store
        cited = podium(home.root, "cite", found["id"], "--style", "apa")
        exported = podium(home.root, "export", "--format", "ris", "water", "-o", "-")
    assert "Water Diplomacy" in cited.stdout and "TY  - " in exported.stdout


def test_a_page_that_changes_nothing_is_not_archived_again(tmp_path):
    home = Home.resolve(tmp_path / "home").ensure()
    page = tmp_path / "report.html"
    html = (SAMPLES / LOST).read_text(encoding="utf-8")
    page.write_text(html, encoding="utf-8")
    podium(home.root, "ingest", str(page))
    again = json.loads(podium(home.root, "ingest", "--json", str(page)).stdout)
    assert again["status"] == "unchanged"
    assert len(list(iter_archive(home.archive_dir))) == 1
    quote = re.search(r"“([^”]+)”", html).group(1)
    page.write_text(html.replace(quote, quote + " We said so then", 1), encoding="utf-8")
    changed = json.loads(podium(home.root, "ingest", "--json", str(page)).stdout)
    assert changed["status"] == "changed"
    assert len(list(iter_archive(home.archive_dir))) == 2  # each version's bytes, once
