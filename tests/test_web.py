"""The web app through Flask's test client, and one real `podium serve` over HTTP."""

from __future__ import annotations

import json
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
    assert "<mark>" in hit["highlights"] and hit["citation"]


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


def test_passage_permalink_has_highwire_tags_and_every_style(client):
    hit = search(client, q="Every crisis teaches the same lesson", kind="quote")["results"][0]
    page = client.get(f"/p/{hit['id']}").get_data(as_text=True)
    assert '<meta name="citation_author" content="Tomasz Wierzbicki">' in page
    assert '<meta name="citation_date" content="2023/03/14">' in page
    for label in ("APA 7th edition", "MLA 9th edition", "Chicago 17th edition (author-date)"):
        assert label in page
    assert "said Tomasz Wierzbicki, Poland’s ambassador to Norway from 2015 to 2019" in page


def test_cite_and_export_endpoints(client):
    hit = search(client, q="Every crisis teaches the same lesson", kind="quote")["results"][0]
    mla = client.get(f"/api/passages/{hit['id']}/cite?style=mla").get_json()
    assert mla["citation"].startswith(
        "Wierzbicki, Tomasz. “Energy Security After the Pipeline Era.”"
    )
    response = client.get("/api/export?format=csv&q=sanctions")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).startswith("text,speaker,role")


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
