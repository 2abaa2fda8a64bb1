"""An attribution below models.CONFIDENT is said to be uncertain on every surface, and no AP
line puts the words in anyone's mouth: a fictional round table where "she said" follows two
women named in one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from podium.config import Home
from podium.ingest import ingest_pages, read_inputs
from podium.web import create_app

PAGE = Path(__file__).resolve().parent / "fixtures" / "uncertain-attribution.html"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    home = tmp_path_factory.mktemp("uncertain")
    assert ingest_pages(Home.resolve(home), read_inputs([str(PAGE)]))[0].status == "new"
    return create_app({"PODIUM_HOME": str(home)}).test_client()


@pytest.fixture(scope="module")
def hit(client) -> dict:
    data = client.get("/api/search", query_string={"q": "insures a cable against an anchor"})
    top = data.get_json()["results"][0]
    assert top["kind"] == "quote" and top["text"].startswith("Nobody insures")
    return top


def test_the_search_hit_says_uncertain_and_offers_no_ap_line(hit):
    assert hit["attribution"] == "uncertain"
    assert hit["speaker"] and hit["ap"] is None


def test_the_passage_api_and_page_say_so(client, hit):
    passage = client.get(f"/api/passages/{hit['id']}").get_json()
    assert passage["attribution"] == "uncertain" and passage["ap"] is None
    page = client.get(f"/p/{hit['id']}").get_data(as_text=True)
    assert "Attribution uncertain" in page and "no AP line is offered" in page


def test_asking_for_the_ap_line_explains_the_refusal(client, hit):
    response = client.get(f"/api/passages/{hit['id']}/cite", query_string={"style": "ap"})
    assert response.status_code == 400 and "uncertain" in response.get_json()["error"]
