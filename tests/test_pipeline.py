"""End to end through the CLI: ingest the seed page, search it, cite it; bad inputs fail cleanly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from podium_cli import podium

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"
SEED = EVAL / "html" / "valdai-2023-russia-iran-crossroads.html"
SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="../shared/eval is not beside the repo")

APA = (
    "Maryasov, A. (2023, February 15). Russia and Iran at the Crossroads: From Short-Term "
    "Benefits to Long-Term Partnership [Expert discussion]. Valdai Discussion Club, Moscow, "
    "Russia. https://valdaiclub.com/events/posts/articles/russia-and-iran-at-the-crossroads-"
    "from-short-term-benefits-to-long-term-partnership/"
)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("home")
    podium(home, "ingest", str(SEED))
    return home


def search(home: Path, *args: str) -> dict:
    return json.loads(podium(home, "search", *args, "--json").stdout)


def test_western_dictates_finds_maryasovs_quote_first_with_his_role(home):
    result = search(home, "Western dictates")
    top = result["results"][0]
    assert "do not accept Western dictates" in top["text"]
    assert top["speaker"]["name"] == "Alexander Maryasov"
    assert "Plenipotentiary of Russia to Iran (2001-2005)" in top["speaker"]["role"]
    assert top["event"]["date"] == "2023-02-15"
    assert top["event"]["organisation"] == "Valdai Discussion Club"


def test_maryasov_sanctions_ranks_his_passages_first(home):
    top = search(home, "Maryasov sanctions")["results"][0]
    assert top["speaker"]["name"] == "Alexander Maryasov"


def test_filters_by_speaker_and_date(home):
    assert search(home, "sanctions", "--speaker", "Margoev")["results"]
    assert all(
        r["speaker"]["name"] == "Adlan Margoev"
        for r in search(home, "sanctions", "--speaker", "Margoev")["results"]
    )
    assert search(home, "sanctions", "--from", "2024-01-01")["total"] == 0


def test_cite_gives_the_apa_line_of_citations_md(home):
    top = search(home, "Western dictates", "--quotes-only")["results"][0]
    assert top["kind"] == "quote"
    assert podium(home, "cite", top["id"]).stdout.strip() == APA


def test_reingest_keeps_passage_ids(home):
    before = search(home, "crossroads")["results"][0]["id"]
    out = podium(home, "ingest", str(SEED)).stdout
    assert "unchanged" in out
    assert search(home, "crossroads")["results"][0]["id"] == before


def test_rebuilt_index_answers_the_same(home):
    before = search(home, "Western dictates")["results"][0]["id"]
    podium(home, "index", "--rebuild")
    assert search(home, "Western dictates")["results"][0]["id"] == before


def test_any_pasted_text_is_a_valid_query(home):
    for q in ["“Western dictates", "«crossroads»", "(", "speaker:", "*tehran", ":::", "a" * 1000]:
        result = search(home, q)
        assert isinstance(result["results"], list)


BAD_INPUTS = {
    "empty.html": b"",
    "binary.html": bytes(range(256)) * 64,
    "truncated.html": b"<!doctype html><html><head><title>Cut off",
    "nobody.html": b"<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>",
}


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    paths = {}
    for name, data in BAD_INPUTS.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    big = folder / "huge.html"
    with big.open("wb") as f:
        f.write(b"<html><body>" + b"<p>Words and more words.</p>" * (30 * 1024 * 1024 // 28))
    paths["huge.html"] = big
    paths["missing.html"] = folder / "missing.html"
    return paths


def test_bad_inputs_each_give_an_error_line_and_the_good_page_still_comes_out(bad_files):
    args = [str(p) for p in bad_files.values()] + [str(SEED)]
    proc = subprocess.run(
        [sys.executable, "-m", "podium.cli", "extract", "--json", *args],
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["source"] for line in lines] == args
    for line in lines[:-1]:
        assert line["error"] and len(line["error"]) < 300, line
    assert "error" not in lines[-1] and lines[-1]["event_date"] == "2023-02-15"
    errors = {Path(line["source"]).name: line["error"] for line in lines[:-1]}
    assert "empty" in errors["empty.html"]
    assert "large" in errors["huge.html"]
    assert "no such file" in errors["missing.html"]


def test_ingest_stores_nothing_for_bad_inputs(bad_files, tmp_path):
    proc = podium(tmp_path, "ingest", *[str(p) for p in bad_files.values()], check=False)
    assert proc.returncode == 1
    assert "0 new" in proc.stdout and f"{len(bad_files)} failed" in proc.stdout
    assert search(tmp_path, "words")["total"] == 0


@pytest.mark.skipif(not any(SAMPLES.glob("*.html")), reason="no sample pages yet")
def test_every_sample_page_ingests(tmp_path):
    pages = sorted(str(p) for p in SAMPLES.glob("*.html"))
    out = podium(tmp_path, "ingest", *pages).stdout
    assert f"{len(pages)} new" in out


def test_check_finds_the_original_of_a_misremembered_quote(home):
    pasted = "Moscow and Tehran are working with countries that reject Western dictates"
    result = json.loads(podium(home, "check", pasted, "--json").stdout)
    assert result["verdict"] == "close"
    best = result["matches"][0]
    assert best["speaker"]["name"] == "Alexander Maryasov"
    assert "do not accept Western dictates" in best["text"]
    assert 0.5 < best["similarity"] < 1.0
    changed = {d["text"] for d in best["diff"] if d["op"] != "same"}
    assert any("accept" in t for t in changed)  # what the reporter misremembered
    human = podium(home, "check", pasted).stdout.splitlines()
    assert human[0] == "close: said by Alexander Maryasov"
    assert human[1].startswith(f"{best['similarity']:.2f}")


def test_export_an_event_gives_the_page_and_each_quote(home):
    import rispy

    event_id = search(home, "Western dictates")["results"][0]["event"]["id"]
    ris = podium(home, "export", "--format", "ris", "--event", event_id).stdout
    entries = rispy.loads(ris)
    assert entries[0]["type_of_reference"] == "ELEC"  # the page, by its organisation
    speeches = entries[1:]
    assert len(speeches) == 4 and all(e["type_of_reference"] == "SLIDE" for e in speeches)
    assert [e["authors"][0] for e in speeches].count("Maryasov, Alexander") == 2
    missing = podium(home, "export", "--format", "ris", "--event", "nope", check=False)
    assert missing.returncode != 0 and "no event" in missing.stderr
