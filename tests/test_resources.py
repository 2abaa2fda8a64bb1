"""One resource, two renderings: what the JSON API says of a passage, an event or a search hit
is what its page shows, because both are built by web/resources.py."""

from __future__ import annotations

import html
import re

import pytest

from podium.web import create_app


@pytest.fixture(scope="module")
def client(demo_home):
    return create_app({"PODIUM_HOME": str(demo_home)}).test_client()


def page_ap_line(page: str) -> str | None:
    found = re.search(r'<dt>AP</dt><dd><span class="citation">(.*?)</span>', page)
    return html.unescape(found.group(1)) if found else None


@pytest.mark.parametrize("kind", ["quote", "turn", "sentence", "paragraph"])
def test_a_passages_ap_line_is_the_same_in_the_api_the_search_and_its_page(client, kind):
    q = "Every crisis teaches the same lesson" if kind == "quote" else "sanctions"
    hits = client.get("/api/search", query_string={"q": q, "kind": kind}).get_json()
    if not hits["results"]:
        pytest.skip(f"no {kind} about sanctions in the sample pages")
    hit = hits["results"][0]
    passage = client.get(f"/api/passages/{hit['id']}").get_json()
    panel = client.get(f"/api/passages/{hit['id']}/cite?style=all").get_json()
    page = client.get(f"/p/{hit['id']}").get_data(as_text=True)
    assert passage["ap"] == hit["ap"] == panel["ap"] == page_ap_line(page)
    assert passage["deep_link"] == hit["deep_link"] == panel["deep_link"]
    if kind == "quote":
        assert passage["ap"]  # a confidently attributed quote has one


def test_an_event_names_its_local_file_without_its_path_in_json(client):
    hit = client.get("/api/search", query_string={"q": "sanctions"}).get_json()["results"][0]
    event = client.get(f"/api/events/{hit['event']['id']}").get_json()
    assert "/" not in event["source"] or event["source"].startswith("http")
    page = client.get(f"/e/{hit['event']['id']}").get_data(as_text=True)
    assert html.escape(event["title"], quote=False) in page


@pytest.mark.parametrize("what", ["passages", "events", "speakers"])
def test_an_unknown_id_is_a_404_in_json_and_as_a_page(client, what):
    response = client.get(f"/api/{what}/nope")
    assert response.status_code == 404
    assert response.get_json() == {"error": f"no {what[:-1]} nope"}
    page = client.get(f"/{what[0]}/nope")
    assert page.status_code == 404 and f"no {what[:-1]} nope" in page.get_data(as_text=True)
