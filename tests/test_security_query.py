"""Issue 18, the query, export and web findings: hostile input and hostile stored data are
refused or made harmless at the edges (API, search page, CLI, exports, feeds, status).

The pages are fictional, written for these tests; a hostile URL already in the database is
written there directly, as an older version of Podium (or a bug) could have stored it."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from podium import index, meaning, query
from podium.config import Home
from podium.ingest import ingest_pages, read_inputs
from podium.models import SearchRequest
from podium.store import Store
from podium.web import create_app

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
TOO_LONG = "tariffs " * (query.MAX_QUERY_CHARS // 8 + 1)
EVIL_URL = "javascript:alert(document.domain)//"
# What a spreadsheet runs as a formula when it leads a cell (OWASP), full-width forms too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def podium(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "podium.cli", "--home", str(home), *args],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A dated page, then (a second ingest, so a second index segment) an undated one, then
    a page of formula-like text; one event's URL then set to javascript: in the store."""
    root = tmp_path_factory.mktemp("sec-query")
    for name in ("query-dated.html", "query-undated.html", "query-formulas.html"):
        [result] = ingest_pages(Home.resolve(root), read_inputs([str(HOSTILE / name)]))
        assert result.status == "new", result
    return root


@pytest.fixture(scope="module")
def client(home):
    return create_app({"PODIUM_HOME": str(home)}).test_client()


@pytest.fixture(scope="module")
def evil_home(tmp_path_factory) -> Path:
    """The dated page with a javascript: URL in the events table, and the index rebuilt."""
    root = tmp_path_factory.mktemp("sec-query-evil")
    h = Home.resolve(root)
    [result] = ingest_pages(h, read_inputs([str(HOSTILE / "query-dated.html")]))
    with sqlite3.connect(h.db_path) as db:
        db.execute("UPDATE events SET url = ?", (EVIL_URL,))
    with Store.open(h) as store:
        index.rebuild(h.index_dir, store.iter_index_docs())
    return root


# --- 1. long queries ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url,params",
    [
        ("/api/search", {"q": TOO_LONG}),
        ("/api/search", {"q": "tariffs", "speaker": "x" * (query.MAX_FILTER_CHARS + 1)}),
        ("/api/search", {"q": "tariffs", "org": "x" * (query.MAX_FILTER_CHARS + 1)}),
        ("/api/check", {"text": TOO_LONG}),
        ("/api/export", {"format": "ris", "q": TOO_LONG}),
    ],
)
def test_a_query_over_the_limit_is_a_plain_400(client, url, params):
    response = client.get(url, query_string=params)
    assert response.status_code == 400
    assert "too long" in response.get_json()["error"]


def test_the_search_page_refuses_a_long_query_and_keeps_the_form(client):
    response = client.get("/", query_string={"q": TOO_LONG, "speaker": "Kowalczyk"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "too long" in page and 'role="alert"' in page
    assert 'name="q"' in page and "tariffs tariffs" in page  # the form, as typed
    assert 'value="Kowalczyk"' in page


def test_the_command_line_refuses_a_long_query(home):
    search = podium(home, "search", "--json", TOO_LONG)
    assert search.returncode == 2 and "too long" in json.loads(search.stdout)["error"]
    check = podium(home, "check", TOO_LONG)
    assert check.returncode == 2 and "too long" in check.stderr
    export = podium(home, "export", "--format", "ris", TOO_LONG)
    assert export.returncode == 1 and "too long" in export.stderr and not export.stdout
    watch = podium(home, "watch", "add", TOO_LONG)
    assert watch.returncode == 1 and "too long" in watch.stderr
    assert "saved search" not in watch.stdout


def test_a_query_at_the_limit_still_answers(client):
    worst = " ".join(["tarifs~2", "tar*", "*ari*", '"harbour dues"', "coast~9"] * 40)
    worst = worst[: query.MAX_QUERY_CHARS]
    response = client.get("/api/search", query_string={"q": worst})
    assert response.status_code == 200, response.get_json()
    assert client.get("/api/check", query_string={"text": worst}).status_code == 200


def test_open_ended_words_are_bounded(home):
    searcher = query._searcher(Path(home) / "index")
    text = (
        " ".join(f"word{i}~5" for i in range(20))
        + " "
        + " ".join("abcdefghij"[i] + "*" for i in range(10))
    )
    parsed = query.parse(searcher.schema, text, group=query.qparser.OrGroup)
    q = query.bounded(searcher.reader(), parsed)
    fuzzy = [n for n in q.leaves() if isinstance(n, query.query.FuzzyTerm)]
    assert not fuzzy  # expanded into plain terms, or kept as typed
    assert len(list(q.leaves())) <= 3 * query.MAX_QUERY_TERMS + query.MAX_EXPANDED
    assert not [n for n in q.leaves() if isinstance(n, query.query.PatternQuery)]
    # the words were cut at MAX_QUERY_TERMS before parsing
    assert len({t for _f, t in parsed.iter_all_terms()}) <= query.MAX_QUERY_TERMS


def test_a_long_paste_searches_only_its_rarest_words(home):
    searcher = query._searcher(Path(home) / "index")
    # every word is in the index; "the", "said" and "tariffs" in most passages, the rest in few
    text = "the said of tariffs senior fellow lakeside institute small exporters harbour coast hurt"
    strict = query._words(searcher, text)
    assert len(strict.subqueries) == query.MAX_STRICT_TERMS
    kept = {t for f, t in strict.iter_all_terms() if f == "text"}
    assert not kept & {"the", "said", "tariff"}
    loose = query._words(searcher, text, query.qparser.OrGroup)
    texts = {t for f, t in loose.iter_all_terms() if f == "text"}
    assert len(texts) == query.MAX_LOOSE_TERMS and not texts & {"the", "said", "tariff"}
    hits = query.search(Path(home) / "index", SearchRequest(q=text)).results
    assert hits and "harbour" in hits[0].text.lower()


def test_the_meaning_rerank_embeds_the_query_alone_and_capped(home, monkeypatch):
    if not meaning.available():
        pytest.skip("wordllama is not installed")
    model, calls = meaning._model(), []

    class Spy:  # the real model, recording what it was given
        def embed(self, texts, **kwargs):
            calls.append(list(texts))
            return model.embed(texts, **kwargs)

    monkeypatch.setattr(meaning, "_model", lambda: Spy())
    long_words = " ".join(["tariffs", "harbour", "exporters", "coast"] * 60)[:990]
    query.search(Path(home) / "index", SearchRequest(q=long_words))
    assert calls, "the re-rank did not run"
    assert len(calls[0]) == 1  # the query alone: no padding of candidates to its length
    assert all(len(t) <= meaning.MAX_EMBED_CHARS for batch in calls for t in batch)


# --- 6. a page without a date in an index with dates ---------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2023"},
        {"to": "2023-12"},
        {"from": "2023-03", "to": "2023-03-31"},
        {"q": "tariffs date:2023"},
    ],
)
def test_date_filters_work_after_an_undated_page_is_added(client, params):
    response = client.get("/api/search", query_string={"q": "tariffs", **params})
    assert response.status_code == 200, response.get_json()
    hits = response.get_json()["results"]
    assert hits and {h["event"]["date"] for h in hits} == {"2023-03-14"}
    newest = client.get("/api/search", query_string={"q": "tariffs", "sort": "newest"})
    assert newest.status_code == 200 and newest.get_json()["total"] >= 2


def test_date_filters_work_from_the_command_line_after_an_undated_page(home):
    result = podium(home, "search", "--json", "--from", "2023", "--to", "2023", "tariffs")
    assert result.returncode == 0, result.stderr[-800:]
    data = json.loads(result.stdout)
    assert data["total"] >= 1 and all(r["event"]["date"] == "2023-03-14" for r in data["results"])
    inline = podium(home, "search", "--json", "river date:2023")
    assert inline.returncode == 0 and json.loads(inline.stdout)["total"] == 0  # river: undated


# --- 2. CSV formulas ------------------------------------------------------------------------


def test_csv_export_from_the_api_carries_no_formula(client):
    response = client.get("/api/export", query_string={"format": "csv", "q": "ledger"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    cells = [cell for row in rows[1:] for cell in row]
    assert len(rows) > 2
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert any(c.startswith("'=HYPERLINK(") for c in cells)  # kept, as text


def test_csv_export_from_the_command_line_carries_no_formula(home):
    result = podium(home, "export", "--format", "csv", "ledger")
    assert result.returncode == 0, result.stderr[-800:]
    cells = [c for row in list(csv.reader(io.StringIO(result.stdout)))[1:] for c in row]
    assert cells and not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert any(c.startswith("'@SUM(") or c.startswith("'-2+3") for c in cells)


# --- 9. ids beyond SQLite's integers ----------------------------------------------------------


def test_huge_ids_are_404_not_500(client, home):
    with Store.open(Home.resolve(home)) as store:
        eid = store.get_passage(
            next(iter(query.iter_ids(Path(home) / "index", SearchRequest(q="tariffs"))))
        ).event_id
    for url in (f"/archive/{eid}/99999999999999999999", "/feeds/99999999999999999999.atom"):
        assert client.get(url).status_code == 404, url


# --- 10. only http(s) URLs become links ---------------------------------------------------


def test_a_javascript_url_in_the_store_is_never_a_link(evil_home):
    client = create_app({"PODIUM_HOME": str(evil_home)}).test_client()
    data = client.get("/api/search", query_string={"q": "tariffs"}).get_json()
    hit = data["results"][0]
    assert hit["event"]["url"] is None and hit["deep_link"] is None
    urls = [f"/p/{hit['id']}", f"/e/{hit['event']['id']}", "/?q=tariffs"]
    urls += [f"/api/events/{hit['event']['id']}", f"/api/passages/{hit['id']}"]
    urls += [
        f"/api/export?format={f}&q=tariffs"
        for f in ("ris", "bibtex", "biblatex", "csl-json", "csv")
    ]
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.get_data(as_text=True)
    assert not [url for url, body in bodies.items() if "javascript:" in body]
    assert "citation_public_url" not in bodies[urls[0]]
    assert ">source page</a>" not in bodies[urls[1]]


# --- 13. feeds, status, headers -------------------------------------------------------------


def test_feeds_do_not_trust_the_host_header(home):
    h = Home.resolve(home)
    with Store.open(h) as store:
        sid = store.add_saved_search("tariffs", {})
        pid = next(iter(query.iter_ids(h.index_dir, SearchRequest(q="tariffs"))))
        store.add_alerts(sid, [pid], None)
    client = create_app({"PODIUM_HOME": str(home)}).test_client()
    feed = client.get(f"/feeds/{sid}.atom", headers={"Host": "evil.example"})
    body = feed.get_data(as_text=True)
    assert feed.status_code == 200 and "evil.example" not in body
    assert f"urn:podium:feeds:{sid}.atom" in body and f'href="/p/{pid}"' in body
    h.config_path.write_text('[web]\nbase_url = "https://podium.newsroom.example/"\n')
    try:
        body = client.get(f"/feeds/{sid}.atom", headers={"Host": "evil.example"}).get_data(
            as_text=True
        )
    finally:
        h.config_path.unlink()
    assert "evil.example" not in body
    assert f'href="https://podium.newsroom.example/p/{pid}"' in body


def test_status_hides_the_data_directory_and_saved_searches_unless_configured(home):
    h = Home.resolve(home)
    with Store.open(h) as store:
        store.add_saved_search("confidential source Kowalczyk", {})
    client = create_app({"PODIUM_HOME": str(home)}).test_client()
    page = client.get("/status").get_data(as_text=True)
    assert str(h.root) not in page and "confidential source" not in page
    h.config_path.write_text("[web]\nshow_private_status = true\n")
    try:
        page = client.get("/status").get_data(as_text=True)
    finally:
        h.config_path.unlink()
    assert "confidential source" in page


def test_a_broken_web_setting_is_a_plain_error(tmp_path):
    from podium.config import load_config
    from podium.models import PodiumError

    h = Home.resolve(tmp_path)
    h.config_path.write_text('[web]\nbase_url = "javascript:alert(1)"\n')
    with pytest.raises(PodiumError, match="base_url"):
        load_config(h)


def test_responses_say_how_to_cache_them(client, home):
    for url in ("/api/search?q=tariffs", "/?q=tariffs", "/api/check?text=tariffs", "/status"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    h = Home.resolve(home)
    with Store.open(h) as store:
        event = store.get_event(
            store.get_passage(
                next(iter(query.iter_ids(h.index_dir, SearchRequest(q="tariffs"))))
            ).event_id
        )
    archived = client.get(f"/archive/{event.id}/1")
    assert archived.status_code == 200 and "max-age" in archived.headers["Cache-Control"]


def test_podium_serve_sends_no_server_banner(server):
    with urllib.request.urlopen(server + "/healthz", timeout=10) as response:
        assert "waitress" not in (response.headers.get("Server") or "").lower()
        assert "waitress" not in (response.headers.get("Via") or "").lower()
