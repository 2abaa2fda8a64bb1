"""Search says what it did and finds what a person said: through the CLI and the API, over the
dev reports and the bundled samples ingested into one real data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from podium_cli import podium

from podium.web import create_app

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "dev"
SAMPLES = ROOT / "corpus" / "samples"

pytestmark = pytest.mark.skipif(not DEV.exists(), reason="../shared/eval is not beside the repo")


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("search-home")
    pages = sorted(str(p) for p in (DEV / "html").glob("*.html"))
    podium(home, "ingest", *pages, *sorted(str(p) for p in SAMPLES.glob("*.html")))
    return home


@pytest.fixture(scope="module")
def client(home):
    return create_app({"PODIUM_HOME": str(home)}).test_client()


def cli_search(home: Path, *args: str) -> dict:
    return json.loads(podium(home, "search", *args, "--json").stdout)


def api_search(client, **params) -> dict:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def who(hit: dict) -> str | None:
    return (hit.get("speaker") or {}).get("name")


# --- a speaker's name finds what they said ---------------------------------------------------


def test_a_surname_puts_that_speakers_own_words_first(home, client):
    for data in (cli_search(home, "Maryasov", "--limit", "20"), api_search(client, q="maryasov")):
        results = data["results"]
        own = [i for i, r in enumerate(results) if who(r) == "Alexander Maryasov"]
        assert own and own[0] == 0, [(r["kind"], who(r)) for r in results]
        assert results[0]["kind"] == "quote"  # his quotes before reported speech about him
        others = [i for i, r in enumerate(results) if who(r) != "Alexander Maryasov"]
        assert not others or max(own) < min(others)  # mentions of him come after his words


def test_a_name_with_a_topic_puts_that_speakers_words_on_the_topic_first(home, client):
    top = cli_search(home, "Okafor sanctions")["results"][0]
    assert who(top) == "Amara Okafor" and "sanctions" in top["text"].lower()


def test_a_possessive_name_finds_that_speakers_words_like_the_bare_name(home, client):
    for q in ("Okafor's sanctions", "Okafor’s sanctions"):
        data = cli_search(home, q)
        assert not data.get("unmatched"), data.get("unmatched")  # no lone "s" left over
        top = data["results"][0]
        assert who(top) == "Amara Okafor" and "sanctions" in top["text"].lower()


def test_speaker_in_the_query_is_a_strict_filter(home, client):
    for data in (cli_search(home, "speaker:margoev JCPOA sanctions Iran Russia"),
                 api_search(client, q="speaker:margoev JCPOA sanctions Iran Russia")):  # fmt: skip
        assert data["results"] and {who(r) for r in data["results"]} == {"Adlan Margoev"}
    exported = podium(home, "export", "--format", "csv", "speaker:margoev JCPOA").stdout
    assert "Adlan Margoev" in exported and "Maryasov" not in exported


# --- every quote can be found by its own words -------------------------------------------------


def test_every_quote_of_a_multi_quote_paragraph_comes_first_for_its_own_words(home):
    from podium.config import Home
    from podium.store import Store

    with Store.open(Home.resolve(home)) as store:
        rows = store.db.execute(
            "SELECT p.id, p.text, p.event_id, p.paragraph FROM passages p WHERE p.kind = 'quote' "
            "AND (SELECT count(*) FROM passages q WHERE q.event_id = p.event_id AND "
            "q.paragraph = p.paragraph AND q.kind = 'quote') >= 2"
        ).fetchall()
    quotes = [r for r in rows if len(r["text"].split()) >= 5]
    assert len(quotes) >= 6
    missed = []
    for row in quotes:
        words = " ".join(row["text"].replace('"', " ").split()[:12])
        results = cli_search(home, words, "--limit", "3")["results"]
        top = results[0] if results else {}
        shown = [top.get("id")] + [a["id"] for a in top.get("also", [])]
        if top.get("id") != row["id"] and row["id"] not in shown:
            missed.append(row["text"][:60])
    assert not missed


# --- what the search did ---------------------------------------------------------------------


def test_the_total_does_not_depend_on_the_page_size(home, client):
    for q in ("sanctions", "energy security", "Iran nuclear deal sanctions relief"):
        one, twenty = cli_search(home, q, "--limit", "1"), cli_search(home, q, "--limit", "20")
        assert one["total"] == twenty["total"] > 1
        assert api_search(client, q=q, per_page=1)["total"] == one["total"]


def test_single_valued_facets_add_up_to_the_total(client):
    data = api_search(client, q="sanctions")
    assert sum(n for _, n in data["facets"]["kind"]) == data["total"]
    assert sum(n for _, n in data["facets"]["organisation"]) == data["total"]
    quotes = dict(data["facets"]["kind"])["quote"]
    assert api_search(client, q="sanctions", kind="quote")["total"] == quotes
    assert api_search(client, q="sanctions kind:quote")["total"] == quotes


def test_a_word_that_matches_nothing_is_reported_not_dropped_in_silence(home, client):
    data = cli_search(home, "Zyxwarblov sanctions")
    assert data["unmatched"] == ["Zyxwarblov"]
    assert data["total"] > 0 and all("sanction" in r["text"].lower() for r in data["results"])
    assert api_search(client, q="Zyxwarblov sanctions")["unmatched"] == ["Zyxwarblov"]
    alone = api_search(client, q="Zyxwarblov")
    assert alone["total"] == 0 and alone["unmatched"] == ["Zyxwarblov"]
    page = client.get("/", query_string={"q": "Zyxwarblov sanctions"}).get_data(as_text=True)
    assert "No results for" in page and "Zyxwarblov" in page


def test_no_passage_with_every_word_says_it_shows_some(client):
    data = api_search(client, q="glacier Maryasov")
    assert data["match"] == "any" and data["total"] > 0
    assert api_search(client, q="Western dictates")["match"] == "all"


# --- ranking and display ----------------------------------------------------------------------


def test_a_hosts_question_and_greeting_rank_below_substantive_quotes(client):
    results = api_search(client, q="sanctions", per_page=5)["results"]
    texts = [r["text"] for r in results]
    assert not any(t.strip().endswith("?") and len(t.split()) < 12 for t in texts), texts
    assert not any(t.lower().startswith(("welcome", "good morning")) for t in texts), texts


def test_the_newest_sort_shows_the_same_kinds_as_relevance(client):
    newest = api_search(client, q="sanctions", sort="newest", per_page=20)["results"]
    best = api_search(client, q="sanctions", per_page=20)["results"]
    assert {r["kind"] for r in newest} & {"quote", "turn"}
    share = lambda rs: sum(r["kind"] == "paragraph" for r in rs) / len(rs)  # noqa: E731
    assert share(newest) <= share(best) + 0.1


def test_function_words_are_not_highlighted(client):
    hit = api_search(client, q="the sanctions we")["results"][0]
    assert "<mark>sanctions</mark>" in hit["highlights"].lower()
    assert "<mark>the</mark>" not in hit["highlights"].lower()
    assert "<mark>we</mark>" not in hit["highlights"].lower()


def test_did_you_mean_offers_whole_words_that_find_more(client):
    assert api_search(client, q="sanctons")["suggestion"] == "sanctions"
    assert api_search(client, q="cable")["suggestion"] is None
    assert api_search(client, q="Western dictates")["suggestion"] is None


# --- did anyone say it? -------------------------------------------------------------------------


def test_check_says_exact_close_or_not_found(home, client):
    said = "do not accept Western dictates"
    assert json.loads(podium(home, "check", said, "--json").stdout)["verdict"] == "exact"
    misremembered = "Moscow and Tehran are working with countries that reject Western dictates"
    close = json.loads(podium(home, "check", misremembered, "--json").stdout)
    assert close["verdict"] == "close" and who(close["matches"][0]) == "Alexander Maryasov"
    nobody = "Universities should stop teaching diplomacy and teach accounting instead"
    assert json.loads(podium(home, "check", nobody, "--json").stdout)["verdict"] == "not found"
    assert podium(home, "check", nobody).stdout.startswith("not found")
    api = client.get("/api/check", query_string={"text": nobody}).get_json()
    assert api["verdict"] == "not found"


# --- the same statement on many pages ---------------------------------------------------------

_REPEATED = "Every tide gauge on the estuary now reads the barrier question as a matter of decades"
_PEOPLE = [("Ilse Varnholt", "harbour engineer"), ("Tomas Reddick", "port authority"),
           ("Nadia Okwuosa", "river board"), ("Piet Lanstrom", "tidal survey"),
           ("Cora Malvenne", "city council"), ("Joss Arkwright", "dock union")]  # fmt: skip


_BILLED = ["the night ferries should run until the spring tides return.",
           "the pier lights cost less than the insurance on one lost boat.",
           "nobody reads the timetable after the second bell.",
           "the town will pay for the dredging one way or another."]  # fmt: skip
_RECALLED = ("Feststein recalled the winter when the harbour master closed the port for a week "
             "and the bakeries on the quay ran out of flour before the ice broke.")  # fmt: skip


def _report(n: int, title: str, paragraphs: list[str], speaker: tuple[str, str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="canonical" href="https://estuary.example.org/events/{n}/"></head><body>'
        f'<article><h1>{title}</h1><time datetime="2024-03-{n + 1:02d}">2024-03-{n + 1:02d}</time>'
        f"<h2>Speakers</h2><ul><li><strong>{speaker[0]}</strong>, {speaker[1]}</li></ul>"
        f"{body}</article></body></html>"
    )


@pytest.fixture(scope="module")
def estuary(tmp_path_factory) -> Path:
    """Six reports that carry one statement word for word, each attributed to its own
    speaker, and one that says something else about the same barrier in a longer turn."""
    home, pages = tmp_path_factory.mktemp("estuary-home"), tmp_path_factory.mktemp("estuary")
    for n, person in enumerate(_PEOPLE):
        quote = f"{person[0]}, {person[1]}, said that “{_REPEATED},” {person[0].split()[-1]} added."
        (pages / f"copy-{n}.html").write_text(_report(n, f"Estuary briefing {n}", [quote], person))
    original = (
        "Hedda Brunsvik, a hydrologist, said that the barrier question had been asked of every "
        "council since the flood of the fifties, and that the answer always came back the same: "
        "build it higher, and pay for it later, when the gauges have said what they say."
    )
    (pages / "original.html").write_text(
        _report(9, "Flood defences round table", [original], ("Hedda Brunsvik", "hydrologist"))
    )
    harbour_master = ("Orla Feststein", "former harbour master")
    for n, said in enumerate(_BILLED):
        billed = f"{harbour_master[0]}, {harbour_master[1]}, said that {said}"
        (pages / f"billed-{n}.html").write_text(
            _report(10 + n, f"Ferry timetable hearing {n}", [billed], harbour_master)
        )
    (pages / "recalled.html").write_text(
        _report(20, "Winter of the closed port", [_RECALLED], harbour_master)
    )
    podium(home, "ingest", *sorted(str(p) for p in pages.glob("*.html")))
    return home


def test_a_statement_copied_on_many_pages_takes_one_place_among_the_top_results(estuary):
    results = cli_search(estuary, "barrier question", "--limit", "20")["results"]
    texts = [r["text"] for r in results]
    copies = [i for i, t in enumerate(texts) if "tide gauge" in t]
    other = [i for i, t in enumerate(texts) if "Brunsvik" in t or "flood of the fifties" in t]
    assert copies and other and other[0] == 1, texts  # one copy, then the passage not copied
    events = {r["event"]["id"] for i, r in enumerate(results) if i in copies}
    assert len(events) == len(_PEOPLE)  # no copy is hidden: each page's is further down


def test_pages_of_results_neither_skip_nor_repeat_a_passage_around_the_copies(estuary):
    whole = [r["id"] for r in cli_search(estuary, "barrier question", "--limit", "20")["results"]]
    for size in (1, 2, 3):
        paged = []
        for page in range(1, -(-len(whole) // size) + 1):
            found = cli_search(
                estuary, "barrier question", "--limit", str(size), "--page", str(page)
            )
            paged += [r["id"] for r in found["results"]]
        assert paged == whole, size


def test_a_speakers_role_in_the_line_that_bills_them_is_not_what_they_said(estuary):
    results = cli_search(estuary, "Feststein harbour master", "--limit", "10")["results"]
    assert results and "bakeries on the quay" in results[0]["text"], [r["text"] for r in results]
    assert who(results[0]) == "Orla Feststein"
    billed = [r for r in results if "said that" in r["text"]]
    assert len(billed) == len(_BILLED)  # still found, after what she said about a harbour master
