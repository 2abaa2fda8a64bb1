"""The cite panel (`/api/passages/<id>/cite?style=all`): every style's entry and the Chicago note
form from one pandoc process when cold, from the data directory's cache with no pandoc at all
when warm, and the same plain 400s as any citation when a style is unknown or broken."""

from __future__ import annotations

import sqlite3
import subprocess

import pytest

from podium import cite
from podium.citecache import CitationFile
from podium.web import create_app

QUOTE = "Every crisis teaches the same lesson"


def app_client(home, cache_path):
    """A web app on `home` whose rendered citations live in `cache_path` (a server restarted on
    the same file sees what the last one rendered)."""
    app = create_app({"PODIUM_HOME": str(home)})
    app.extensions["podium_citations"] = CitationFile(cache_path)
    return app.test_client()


@pytest.fixture
def cache_path(tmp_path):
    return tmp_path / "citations.db"  # cold: the shared demo home's cache may be warm


@pytest.fixture
def quote_id(demo_home, cache_path):
    search = app_client(demo_home, cache_path).get("/api/search", query_string={"q": QUOTE})
    return search.get_json()["results"][0]["id"]


@pytest.fixture
def pandoc_runs(monkeypatch) -> list[list[str]]:
    """The command line of every pandoc process started (they still run)."""
    runs: list[list[str]] = []
    real = subprocess.run

    def run(args, *more, **options):
        if args[0] == cite._pandoc():
            runs.append(list(args))
        return real(args, *more, **options)

    monkeypatch.setattr(subprocess, "run", run)
    return runs


def test_a_cold_panel_is_one_pandoc_process_and_a_warm_one_none(
    demo_home, cache_path, quote_id, pandoc_runs
):
    url = f"/api/passages/{quote_id}/cite?style=all&also=chicago-notes-bibliography"
    cold = app_client(demo_home, cache_path).get(url)
    assert cold.status_code == 200
    assert len(pandoc_runs) == 1
    by_style = {c["style"]: c for c in cold.get_json()["citations"]}
    assert by_style["apa"]["citation"].startswith("Wierzbicki, T. (2023, March 14).")
    assert by_style["mla"]["citation"].startswith("Wierzbicki, Tomasz. “Energy Security")
    for notes in ("chicago-note-bibliography", "chicago-notes-bibliography"):  # one CSL file
        assert by_style[notes]["citation"].startswith("Wierzbicki, Tomasz. “Energy Security")
        assert by_style[notes]["note"].startswith("Tomasz Wierzbicki, “Energy Security")
    assert "note" not in by_style["apa"]

    restarted = app_client(demo_home, cache_path)
    assert restarted.get(url).get_json() == cold.get_json()  # the note and the entry apart
    assert len(pandoc_runs) == 1


def test_the_note_form_is_kept_in_the_data_directory(demo_home, cache_path, quote_id):
    app_client(demo_home, cache_path).get(f"/api/passages/{quote_id}/cite?style=all")
    with sqlite3.connect(cache_path) as db:
        kept = [entry for (entry,) in db.execute("SELECT entry FROM citation")]
    assert any(entry.startswith("Tomasz Wierzbicki, <span>“Energy Security") for entry in kept)


def test_a_panel_in_html_is_one_pandoc_process_too(demo_home, cache_path, quote_id, pandoc_runs):
    client = app_client(demo_home, cache_path)
    data = client.get(f"/api/passages/{quote_id}/cite?style=all&format=html").get_json()
    notes = {c["style"]: c for c in data["citations"]}["chicago-note-bibliography"]
    assert "<a href=" in notes["note"] and "<a href=" in notes["citation"]
    assert len(pandoc_runs) == 1


def test_an_unknown_style_is_a_400_before_any_pandoc(demo_home, cache_path, quote_id, pandoc_runs):
    client = app_client(demo_home, cache_path)
    bad = client.get(f"/api/passages/{quote_id}/cite?style=all&also=no-such-style")
    assert bad.status_code == 400
    assert bad.get_json() == {"error": "unknown citation style 'no-such-style'"}
    assert pandoc_runs == []


def test_a_broken_style_is_a_400_with_citeprocs_own_message(
    demo_home, cache_path, quote_id, tmp_path, monkeypatch
):
    broken = tmp_path / "broken.csl"
    broken.write_text(
        '<?xml version="1.0"?><style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" '
        'version="1.0"><citation><layout><text variable="title"/></citation></style>',
        encoding="utf-8",
    )
    real = cite.style_path
    monkeypatch.setattr(
        cite, "style_path", lambda style: broken if style == "test-broken" else real(style)
    )
    client = app_client(demo_home, cache_path)
    bad = client.get(f"/api/passages/{quote_id}/cite?style=all&also=test-broken")
    assert bad.status_code == 400
    error = bad.get_json()["error"]
    assert error.startswith("the citation could not be rendered: CiteprocXMLError")
    assert ".lua" not in error  # pandoc's message, not the filter's


def test_after_warm_citations_every_panel_opens_without_pandoc(tmp_path, pandoc_runs):
    from conftest import SAMPLES
    from podium_cli import podium

    home = tmp_path / "home"
    podium(home, "ingest", *sorted(str(p) for p in SAMPLES.glob("*.html")))
    first = podium(home, "warm-citations").stdout
    assert "for 12 events" in first and not first.startswith("0 ")
    assert podium(home, "warm-citations").stdout.startswith("0 citations rendered")  # all cached
    client = create_app({"PODIUM_HOME": str(home)}).test_client()
    with sqlite3.connect(home / "corpus" / "podium.db") as db:
        passages = [pid for (pid,) in db.execute("SELECT id FROM passages")]
    for pid in passages:  # every passage: with a speaker, without one (the page's citation)
        panel = client.get(f"/api/passages/{pid}/cite?style=all")
        assert panel.status_code == 200 and panel.get_json()["citations"][0]["citation"]
    assert pandoc_runs == []
