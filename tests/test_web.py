"""The web app through Flask's test client, and one real `podium serve` over HTTP."""

from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.request

import pytest

from podium.web import create_app


@pytest.fixture(scope="module")
def client(demo_home):
    return create_app({"PODIUM_HOME": str(demo_home)}).test_client()


def search(client, **params) -> dict:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_api_search_has_the_design_shape_with_facets_and_citations(client):
    data = search(client, q="sanctions")
    assert data["total"] > 3 and set(data["facets"]) == {"speaker", "organisation", "year", "kind"}
    hit = data["results"][0]
    assert {"id", "kind", "text", "highlights", "speaker", "score", "event"} <= set(hit)
    assert set(hit["event"]) >= {"id", "title", "date", "url", "organisation"}
    assert "<mark>" in hit["highlights"] and hit["citation"] is None  # only when asked
    quote = search(client, q="Every crisis teaches the same lesson", kind="quote")["results"][0]
    assert quote["ap"].startswith("“Every crisis teaches") and quote["deep_link"]
    asked = search(client, q="Every crisis teaches the same lesson", kind="quote", cite="mla")
    assert asked["results"][0]["citation"].startswith("Wierzbicki, Tomasz. “Energy Security")


def test_searching_never_waits_for_a_citation_to_render(client, monkeypatch):
    from podium import cite

    def no_pandoc(*args, **kwargs):
        raise AssertionError("a search rendered a citation")

    monkeypatch.setattr(cite, "render", no_pandoc)
    monkeypatch.setattr(cite, "render_panel", no_pandoc)
    assert search(client, q="sanctions")["results"]
    page = client.get("/?q=sanctions&style=mla")
    assert page.status_code == 200 and "Permalink" in page.get_data(as_text=True)


def test_the_cite_panel_gets_every_style_of_a_passage_in_one_request(client):
    hit = search(client, q="Every crisis teaches the same lesson", kind="quote")["results"][0]
    response = client.get(f"/api/passages/{hit['id']}/cite?style=all&also=ieee")
    assert response.status_code == 200
    data = response.get_json()
    by_style = {c["style"]: c for c in data["citations"]}
    assert list(by_style) == ["apa", "mla", "chicago-author-date", "chicago-note-bibliography",
                              "ieee"]  # fmt: skip
    assert by_style["apa"]["citation"].startswith("Wierzbicki, T. (2023, March 14).")
    assert by_style["ieee"]["citation"].startswith("T. Wierzbicki,")  # the entry, not "[1]"
    notes = by_style["chicago-note-bibliography"]
    assert notes["note"].startswith("Tomasz Wierzbicki, “Energy Security")
    assert notes["citation"].startswith("Wierzbicki, Tomasz. “Energy Security")
    assert data["ap"].startswith("“Every crisis") and data["deep_link"].startswith("http")
    bad = client.get(f"/api/passages/{hit['id']}/cite?style=all&also=no-such-style")
    assert bad.status_code == 400 and bad.get_json()["error"]


def test_filters_combine_with_the_query(client):
    only = search(client, q="sanctions", speaker="Volkov")
    assert only["results"] and all("Volkov" in r["speaker"]["name"] for r in only["results"])
    assert search(client, q="sanctions", **{"from": "2030"})["total"] == 0
    quotes = search(client, q="sanctions", kind="quotes")["results"]
    assert quotes and all(r["kind"] in ("quote", "turn") for r in quotes)


def test_one_person_under_two_spellings_is_one_speaker(client):
    [person] = client.get("/api/speakers?prefix=Volkov").get_json()["speakers"]
    assert set(person["names"]) == {"Andrei Volkov", "Andrey Volkov"}
    page = client.get(f"/s/{person['id']}").get_data(as_text=True)
    assert "Northern Maritime Institute" in page and "Also spelled" in page


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?page=0",
        "/api/search?page=abc",
        "/api/search?per_page=100000",
        "/api/search?from=yesterday",
        "/api/search?from=2024&to=2020",
        "/api/search?kind=poem",
        "/api/search?sort=random",
        "/api/export?format=docx",
        "/api/passages/x/cite?style=../../etc/passwd",
        "/api/check?text=",
    ],
)
def test_bad_input_is_a_json_400(client, url):
    response = client.get(url)
    assert response.status_code in (400, 404)
    assert response.is_json and response.get_json()["error"]


def test_unknown_ids_are_404_json_or_page(client):
    assert client.get("/api/passages/nope").status_code == 404
    assert client.get("/api/events/nope").get_json() == {"error": "no event nope"}
    assert client.get("/p/nope").status_code == 404


def test_every_response_carries_the_security_headers(client):
    response = client.get("/?q=sanctions")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert "<script>" not in response.get_data(as_text=True).split("</head>")[1]


def test_hostile_page_text_is_escaped_everywhere(client):
    data = search(client, q="escaping boring")
    assert data["results"]
    for path in ["/?q=sanctions+scripts", "/?q=Payload", f"/e/{data['results'][0]['event']['id']}"]:
        page = client.get(path).get_data(as_text=True)
        assert "<script>window.pwned" not in page and "<img src=x" not in page.lower()
        assert 'onerror="window' not in page


def meta_tags(page: str) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for name, content in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)">', page):
        tags.setdefault(name, []).append(html.unescape(content))
    return tags


def test_passage_permalink_has_every_style_with_both_chicago_note_forms(client):
    hit = search(client, q="Every crisis teaches the same lesson", kind="quote")["results"][0]
    page = client.get(f"/p/{hit['id']}").get_data(as_text=True)
    for label in ("APA 7th edition", "MLA 9th edition", "Chicago 17th edition (author-date)",
                  "Chicago 17th edition (notes and bibliography) — note",
                  "Chicago 17th edition (notes and bibliography) — bibliography"):  # fmt: skip
        assert label in page
    assert "said Tomasz Wierzbicki, Poland’s ambassador to Norway from 2015 to 2019" in page


def test_a_passage_with_a_speaker_imports_as_a_presentation_by_that_person(client):
    hit = search(client, q="sanctions signal", speaker="Rafael de la Cruz")["results"][0]
    tags = meta_tags(client.get(f"/p/{hit['id']}").get_data(as_text=True))
    assert tags["z.itemType"] == ["presentation"]
    assert tags["z.presenters"] == ["de la Cruz, Rafael"]  # the particles go with the family name
    assert tags["citation_title"] == [hit["event"]["title"]]
    assert tags["citation_date"] == [hit["event"]["date"].replace("-", "/")]
    assert tags["citation_public_url"] == [hit["event"]["url"]]
    assert tags["citation_abstract"] == [hit["text"]]
    assert tags["eprints.event_title"] == [hit["event"]["organisation"]]
    for absent in ("citation_author", "citation_conference_title", "citation_publisher"):
        assert absent not in tags  # each makes Zotero import a conference paper or a person


def test_a_passage_with_no_speaker_and_an_event_page_import_as_web_pages(client):
    hit = search(client, q="sanctions", kind="paragraph")["results"][0]
    assert hit["speaker"] is None
    tags = meta_tags(client.get(f"/p/{hit['id']}").get_data(as_text=True))
    assert tags["z.itemType"] == ["webpage"]
    assert tags["og:site_name"] == [hit["event"]["organisation"]]
    assert not {"z.presenters", "citation_author", "DC.creator"} & set(tags)
    event_page = client.get(f"/e/{hit['event']['id']}").get_data(as_text=True)
    tags = meta_tags(event_page)
    assert tags["citation_title"] == [hit["event"]["title"]]
    assert tags["citation_date"] == [hit["event"]["date"].replace("-", "/")]
    assert tags["citation_public_url"] == [hit["event"]["url"]]
    assert tags["og:site_name"] == [hit["event"]["organisation"]]


def test_unapi_hands_reference_managers_the_ris_export(client):
    page = client.get("/?q=sanctions").get_data(as_text=True)
    assert '<link rel="unapi-server" type="application/xml" title="unAPI" href="/unapi">' in page
    ids = re.findall(r'<abbr class="unapi-id" title="([^"]+)">', page)
    assert len(ids) == 10  # Zotero's "select items" list: one per result
    assert b'<format name="ris"' in client.get("/unapi").data
    assert client.get(f"/unapi?id={ids[0]}").status_code == 300  # the formats for that id
    ris = client.get(f"/unapi?id={ids[0]}&format=ris")
    assert ris.status_code == 200 and ris.get_data(as_text=True).startswith("TY  - ")
    assert client.get("/unapi?id=nope&format=ris").status_code == 404
    assert client.get(f"/unapi?id={ids[0]}&format=mods").status_code == 406


def test_a_bad_or_reversed_date_range_is_shown_on_the_search_page_with_the_form(client):
    for args, words in [("from=yesterday", "yesterday"), ("from=2024&to=2020", "2020")]:
        response = client.get(f"/?q=sanctions&speaker=Volkov&{args}")
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert 'class="error" role="alert"' in page and words in page
        assert 'value="Volkov"' in page and 'value="sanctions"' in page


def test_browse_pages_status_time_favicon_and_inline_quotes(client):
    events = client.get("/events").get_data(as_text=True)
    assert "Energy Security After the Pipeline Era" in events
    assert "No more events" in client.get("/events?page=2").get_data(as_text=True)
    speakers = client.get("/speakers").get_data(as_text=True)
    assert "Rafael de la Cruz" in speakers and "Viktor Lemansky" in speakers
    assert client.get("/events?page=0").status_code == 400
    status = client.get("/status").get_data(as_text=True)
    assert re.search(r"Last updated: <time datetime=\"\d{4}-\d\d-\d\dT", status)
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    hit = search(client, q="Ice does not read newspapers", kind="quote")["results"][0]
    event = client.get(f"/e/{hit['event']['id']}").get_data(as_text=True)
    assert f'<a class="inline-quote" href="/p/{hit["id"]}"' in event


def test_quotes_lose_the_dangling_comma_in_cards_and_on_the_speaker_page(client):
    hit = search(client, q="Ice does not read newspapers", kind="quote")["results"][0]
    assert hit["text"] == "Ice does not read newspapers,"
    card = client.get("/?q=Ice+does+not+read+newspapers&kind=quote").get_data(as_text=True)
    assert "<mark>newspapers</mark></blockquote>" in card
    speaker = client.get(f"/s/{hit['speaker']['id']}").get_data(as_text=True)
    assert '<blockquote class="quote">Ice does not read newspapers</blockquote>' in speaker


def test_an_archived_copy_says_what_it_is_and_from_when():
    from podium.web.views import with_archive_banner

    page = b"<html><head></head><body class=x><h1>Original</h1></body></html>"
    out = with_archive_banner(
        page, "text/html", "https://x.example/é<a>", "2024-05-03T10:00:00Z", "/e/1"
    )
    assert out.index(b"Archived copy") > out.index(b"<body class=x>")
    assert b"fetched 2024-05-03 10:00:00 UTC" in out and b"&lt;a&gt;" in out
    assert b"<a>" not in out.split(b"Archived copy")[1].split(b"Back")[0]
    local = with_archive_banner(page, "text/html", "file:///srv/data/my%20page.html", "", "/e/1")
    assert b"the file my page.html" in local and b"/srv/data" not in local


def test_cite_and_export_endpoints(client):
    hit = search(client, q="Every crisis teaches the same lesson", kind="quote")["results"][0]
    mla = client.get(f"/api/passages/{hit['id']}/cite?style=mla").get_json()
    assert mla["citation"].startswith(
        "Wierzbicki, Tomasz. “Energy Security After the Pipeline Era.”"
    )
    response = client.get("/api/export?format=csv&q=sanctions")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).startswith("\ufefftext,speaker,role")
    assert re.fullmatch(
        r'attachment; filename="podium-sanctions-\d{4}-\d\d-\d\d\.csv"',
        response.headers["Content-Disposition"],
    )


def test_quote_check_finds_the_original_wording(client):
    data = client.get(
        "/api/check", query_string={"text": "ice doesn't read the newspapers"}
    ).get_json()
    top = data["results"][0]
    assert data["verdict"] == "close"
    assert (
        top["text"] == "Ice does not read newspapers,"
        and top["speaker"]["name"] == "Viktor Lemansky"
    )
    assert any(part["op"] != "same" for part in top["diff"])


def test_openapi_lists_every_endpoint(client):
    spec = client.get("/api/openapi.json").get_json()
    assert {"/api/search", "/api/passages/{id}", "/api/passages/{id}/cite", "/api/events/{id}",
            "/api/speakers/{id}", "/api/export", "/api/check", "/healthz"} <= set(spec["paths"])  # fmt: skip


def test_podium_serve_answers_over_real_http(server):
    with urllib.request.urlopen(server + "/api/search?q=Wierzbicki+sanctions") as response:
        data = json.load(response)
    assert data["results"][0]["speaker"]["name"] == "Tomasz Wierzbicki"
    with pytest.raises(urllib.error.HTTPError) as bad:
        urllib.request.urlopen(server + "/api/search?page=-1")
    assert bad.value.code == 400


def test_an_empty_podium_says_it_is_empty(tmp_path):
    empty = create_app({"PODIUM_HOME": str(tmp_path)}).test_client()
    page = empty.get("/?q=sanctions").get_data(as_text=True)
    assert "This Podium holds no pages yet" in page and "Nothing matched" not in page
