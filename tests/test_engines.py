"""Two index engines behind one seam: Whoosh (the default) and tantivy give the same answers,
a home chooses its engine in podium.toml (or PODIUM_ENGINE), and a rebuild switches it.

The rest of the suite runs on whichever engine PODIUM_ENGINE names (Whoosh by default); this
file builds one home per engine itself, and runs the searching test files once more on
tantivy in a pytest of their own, so that the one test command covers both engines."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import SAMPLES

from podium import index, query, tantivy_index
from podium.config import Home, load_config
from podium.ingest import ingest_pages, read_inputs
from podium.models import PodiumError, SearchRequest

REQUESTS = [
    SearchRequest(q="sanctions"),
    SearchRequest(q="Volkov sanctions"),
    SearchRequest(q='"shadow fleet"'),
    SearchRequest(q="insur*"),
    SearchRequest(q="sanctons"),
    SearchRequest(q="sanctions NOT insurers"),
    SearchRequest(q="route", date_from="2024", date_to="2024"),
    SearchRequest(q="sanctions", kind="quotes", sort="newest"),
    SearchRequest(q="", org="meridian forum"),
    SearchRequest(q="speaker:okafor"),
    SearchRequest(q="arctic shipping route growing despite the sanctions"),
    SearchRequest(q="nothingwhatsoever"),
]


@pytest.fixture(scope="module")
def homes(tmp_path_factory) -> dict[str, Home]:
    """The sample pages ingested into one home per engine (podium.toml chooses it)."""
    out = {}
    pages = sorted(str(p) for p in SAMPLES.glob("*.html"))
    for engine in ("whoosh", "tantivy"):
        home = Home.resolve(tmp_path_factory.mktemp(engine))
        home.config_path.write_text(f'[index]\nengine = "{engine}"\n', encoding="utf-8")
        ingest_pages(home, read_inputs(pages))
        out[engine] = home
    return out


def answer(home: Home, req: SearchRequest) -> dict:
    found = query.search(home.index_dir, req)
    return {
        "total": found.total,
        "facets": found.facets,
        "ids": {hit.id for hit in found.results},
        "first": found.results[0].id if found.results else None,
        "suggestion": found.suggestion,
        "unmatched": found.unmatched,
        "highlights": {hit.id: hit.highlights for hit in found.results},
    }


def test_each_home_has_the_engine_its_podium_toml_names(homes):
    for engine, home in homes.items():
        assert index.engine_of(home.index_dir) == engine


@pytest.mark.parametrize("req", REQUESTS, ids=lambda r: f"{r.q or r.org}")
def test_both_engines_find_the_same(homes, req):
    whoosh, tantivy = answer(homes["whoosh"], req), answer(homes["tantivy"], req)
    assert whoosh["total"] == tantivy["total"]
    assert whoosh["facets"] == tantivy["facets"]
    assert whoosh["suggestion"] == tantivy["suggestion"]
    assert whoosh["unmatched"] == tantivy["unmatched"]
    assert whoosh["first"] == tantivy["first"] or req.q.count(" ") >= 3  # paraphrases: close
    shared = whoosh["ids"] & tantivy["ids"]
    assert len(shared) >= 0.7 * len(whoosh["ids"])
    for hit in shared:
        assert whoosh["highlights"][hit] == tantivy["highlights"][hit]


def test_both_engines_index_the_same_words(homes):
    """Every word a query can match, in as many passages, and every word did-you-mean can
    suggest: tantivy is handed Whoosh's analyses, word by word."""
    tantivy = tantivy_index.TantivySearcher(index.live_dir(homes["tantivy"].index_dir))
    whoosh = index.open_index(homes["whoosh"].index_dir)
    with whoosh.searcher() as searcher:
        reader = searcher.reader()
        for field in tantivy_index.ANALYSED:
            words = list(reader.lexicon(field))
            assert words and words == tantivy.lexicon(field), field
            frequencies = [(reader.doc_frequency(field, w), tantivy.doc_frequency(field, w))
                           for w in words]  # fmt: skip
            assert all(w == t for w, t in frequencies), field
        spelling = sorted(
            term for term, _ in tantivy.t.terms_with_prefix(tantivy_index.SPELLING, "")
        )
        assert [w.decode("utf-8") for w in reader.lexicon("spell_text")] == spelling


def test_quote_check_agrees(homes):
    pasted = "a signal is not a policy"
    checked = {e: query.check(h.index_dir, pasted) for e, h in homes.items()}
    assert checked["whoosh"]["verdict"] == checked["tantivy"]["verdict"] == "exact"
    assert checked["whoosh"]["matches"][0]["id"] == checked["tantivy"]["matches"][0]["id"]


def podium(home: Home, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "podium.cli", "--home", str(home.root), *args],
        capture_output=True, text=True, env=dict(os.environ, **(env or {})),
    )  # fmt: skip


def test_a_rebuild_switches_the_engine_and_updates_keep_it(homes, tmp_path):
    home = Home.resolve(tmp_path / "switch")
    shutil.copytree(homes["whoosh"].root, home.root, symlinks=True)
    home.config_path.unlink()  # podium.toml names no engine: the live index's stays
    before = answer(home, SearchRequest(q="sanctions"))
    done = podium(home, "index", "--rebuild", "--engine", "tantivy")
    assert done.returncode == 0 and "index rebuilt (tantivy)" in done.stdout
    assert index.engine_of(home.index_dir) == "tantivy"
    assert answer(home, SearchRequest(q="sanctions"))["total"] == before["total"]
    again = podium(home, "ingest", str(SAMPLES / "meridian-2025-sanctions-review.html"))
    assert again.returncode == 0, again.stderr
    assert podium(home, "index", "--rebuild").returncode == 0
    assert index.engine_of(home.index_dir) == "tantivy"
    home.config_path.write_text('[index]\nengine = "whoosh"\n', encoding="utf-8")
    back = podium(home, "index", "--rebuild")  # podium.toml, when it says, decides
    assert back.returncode == 0 and index.engine_of(home.index_dir) == "whoosh"
    assert answer(home, SearchRequest(q="sanctions"))["total"] == before["total"]


def test_an_unknown_engine_is_a_plain_error(tmp_path):
    home = Home.resolve(tmp_path)
    home.config_path.write_text('[index]\nengine = "lucene"\n', encoding="utf-8")
    with pytest.raises(PodiumError, match="engine must be whoosh or tantivy"):
        load_config(home)
    refused = podium(home, "index", "--rebuild", "--engine", "lucene")
    assert refused.returncode == 2 and "lucene" in refused.stderr
    home.config_path.unlink()
    refused = podium(home, "index", "--rebuild", env={"PODIUM_ENGINE": "lucene"})
    assert refused.returncode == 1
    assert "PODIUM_ENGINE must be whoosh or tantivy, not 'lucene'" in refused.stderr


def test_searches_see_an_update_to_a_tantivy_index(homes, tmp_path):
    home = Home.resolve(tmp_path / "live")
    shutil.copytree(homes["tantivy"].root, home.root, symlinks=True)
    total = query.search(home.index_dir, SearchRequest(q="sanctions")).total
    event = query.search(home.index_dir, SearchRequest(q="sanctions")).results[0].event["id"]
    index.update(home.index_dir, [], [event])  # the event's passages leave the index
    after = query.search(home.index_dir, SearchRequest(q="sanctions"))
    assert after.total < total and all(h.event["id"] != event for h in after.results)


# The test files that search through every path (CLI, API, pages, exports, concurrency).
SEARCHING_TESTS = [
    "tests/test_search.py", "tests/test_query_fuzz.py", "tests/test_security_query.py",
    "tests/test_pipeline.py", "tests/test_web.py", "tests/test_index_consistency.py",
    "tests/test_warm_up.py",
]  # fmt: skip


@pytest.mark.skipif(os.environ.get("PODIUM_ENGINE") == "tantivy", reason="already on tantivy")
def test_the_searching_tests_pass_on_tantivy():
    root = SAMPLES.parents[1]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *SEARCHING_TESTS],
        cwd=root, env=dict(os.environ, PODIUM_ENGINE="tantivy"),
        capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:]
