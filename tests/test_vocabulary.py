"""Every surface offers the same words: the OpenAPI description, the CLI's choices and the search
and passage pages list exactly the kinds, sorts and formats of `podium.vocabulary`, and a bad
one is refused with the same message by the API, the page, the CLI and a saved search."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape
from podium_cli import podium

from podium import query, vocabulary
from podium.cli import main
from podium.models import PodiumError, SearchRequest
from podium.web import create_app
from podium.web.openapi import spec


@pytest.fixture(scope="module")
def empty_client(tmp_path_factory):
    return create_app({"PODIUM_HOME": str(tmp_path_factory.mktemp("home"))}).test_client()


def _params(path: str) -> dict:
    return {p["name"]: p["schema"] for p in spec()["paths"][path]["get"]["parameters"]}


def _choices(command: str, option: str) -> list[str]:
    param = next(p for p in main.commands[command].params if p.name == option)
    return list(param.type.choices)


def _options(page: str, select: str) -> list[str]:
    found = re.search(rf'<select name="{select}"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r'<option value="([^"]*)"', found.group(1))


def test_the_openapi_description_offers_the_vocabulary():
    for path in ("/api/search", "/api/export"):
        params = _params(path)
        assert params["kind"]["enum"] == list(vocabulary.SEARCH_KINDS)
        assert params["sort"]["enum"] == list(vocabulary.SORTS)
        assert params["q"]["maxLength"] == vocabulary.MAX_QUERY_CHARS
        assert params["speaker"]["maxLength"] == params["org"]["maxLength"]
        assert params["org"]["maxLength"] == vocabulary.MAX_FILTER_CHARS
        assert params["page"]["maximum"] == vocabulary.MAX_PAGE
        assert params["per_page"]["maximum"] == vocabulary.MAX_PER_PAGE
    assert _params("/api/export")["format"]["enum"] == list(vocabulary.EXPORT_FORMATS)
    cite = _params("/api/passages/{id}/cite")
    assert cite["version"]["maximum"] == vocabulary.MAX_VERSION
    assert cite["format"]["enum"] == list(vocabulary.CITATION_MARKUPS)
    schemas = spec()["components"]["schemas"]
    for name in ("Hit", "Passage", "CheckResult"):
        assert schemas[name]["properties"]["kind"]["enum"] == list(vocabulary.PASSAGE_KINDS)


def test_the_cli_offers_the_vocabulary():
    for command in ("search", "export"):
        assert _choices(command, "kind") == list(vocabulary.PASSAGE_KINDS)
        assert _choices(command, "sort") == list(vocabulary.SORTS)
    assert _choices("export", "fmt") == list(vocabulary.EXPORT_FORMATS)
    cite_help = next(p for p in main.commands["cite"].params if p.name == "style").help
    for word in (*vocabulary.MAIN_STYLES, vocabulary.AP_STYLE, *vocabulary.CITATION_FORMATS):
        assert word in cite_help


def test_the_search_page_offers_the_vocabulary(empty_client):
    page = empty_client.get("/?q=sanctions").get_data(as_text=True)
    assert sorted(_options(page, "kind")) == sorted(["", *vocabulary.SEARCH_KINDS])
    assert _options(page, "sort") == list(vocabulary.SORTS)
    exports = re.findall(r'href="/api/export\?format=([^&"]+)', page)
    assert exports == list(vocabulary.EXPORT_FORMATS)


def test_the_passage_page_offers_every_citation_format(demo_home):
    client = create_app({"PODIUM_HOME": str(demo_home)}).test_client()
    hit = client.get("/api/search?q=sanctions&kind=quote").get_json()["results"][0]
    page = client.get(f"/p/{hit['id']}").get_data(as_text=True)
    offered = re.findall(r'/cite\?style=([a-z-]+)">([^<]+)</a>', page)
    labels = [(f, vocabulary.EXPORT_FORMATS[f].label) for f in vocabulary.CITATION_FORMATS]
    assert offered == labels


def test_every_word_is_accepted_and_a_wrong_one_refused_alike(empty_client, tmp_path):
    for kind in vocabulary.SEARCH_KINDS:
        assert empty_client.get(f"/api/search?q=x&kind={kind}").status_code == 200
    for sort in vocabulary.SORTS:
        assert empty_client.get(f"/api/search?q=x&sort={sort}").status_code == 200
    for field, wrong in (("kind", "quotation"), ("sort", "best")):
        with pytest.raises(PodiumError) as refused:
            query.validate(SearchRequest(q="x", **{field: wrong}))
        message = str(refused.value)
        api = empty_client.get(f"/api/search?q=x&{field}={wrong}")
        assert (api.status_code, api.get_json()["error"]) == (400, message)
        html = empty_client.get(f"/?q=x&{field}={wrong}")
        assert html.status_code == 400 and escape(message) in html.get_data(as_text=True)
    saved = podium(tmp_path, "watch", "add", "x", "--kind", "quotation", check=False)
    assert saved.returncode == 1 and "unknown kind 'quotation' (use quote, turn" in saved.stderr
    big = vocabulary.MAX_PER_PAGE + 1
    with pytest.raises(PodiumError) as refused:
        query.validate(SearchRequest(q="x", per_page=big))
    assert empty_client.get(f"/api/search?per_page={big}").get_json()["error"] == str(refused.value)


def test_check_takes_as_many_results_on_the_command_line_as_on_the_api(empty_client, tmp_path):
    over = vocabulary.MAX_CHECK_RESULTS + 1
    api = empty_client.get(f"/api/check?text=sanctions&limit={over}")
    assert api.status_code == 400
    cli = podium(tmp_path, "check", "sanctions", "--limit", str(over), check=False)
    assert cli.returncode == 2 and cli.stderr.strip() == f"error: {api.get_json()['error']}"
