"""The JSON API against its own OpenAPI description, with schemathesis.

Schemathesis reads /api/openapi.json from the real Flask app (create_app over the session's
demo data) and sends generated requests, valid and invalid, to every operation. Every response
must be no 5xx, have a status code and a content type the description lists, and a body that
conforms to the description: bad input is a 4xx JSON {"error": "..."}, never a 500.

So that the 200 bodies are exercised and not only 404s and empty result pages, path ids are drawn
half the time from the ids that exist, and search queries often contain a word that matches.
Generation is derandomized (the same ~1,000 requests on every run, about 10 s) and keeps no
example database, so the test is not flaky. To explore further, run it with
PODIUM_SCHEMA_EXAMPLES=1000 PODIUM_SCHEMA_RANDOM=1 (fresh random inputs each run).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation.value import GeneratedValue

from podium.config import Home
from podium.store import Store
from podium.web import create_app
from podium.web.openapi import SCHEMAS

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = int(os.environ.get("PODIUM_SCHEMA_EXAMPLES", "50"))
DERANDOMIZE = os.environ.get("PODIUM_SCHEMA_RANDOM") != "1"
WORDS = ["sanctions", "energy", "Iran", "Arctic", "pipeline", '"Western dictates"',
         "Volkov", "speaker:Ortiz", "date:2023", "kind:quote crisis", "Maryasov sanctions"]  # fmt: skip


def _ids(home) -> dict[str, list[str]]:
    with Store.open(Home.resolve(home)) as store:
        db = store.db
        return {
            "passages": [r[0] for r in db.execute("SELECT id FROM passages ORDER BY id LIMIT 40")],
            "events": [r[0] for r in db.execute("SELECT id FROM events ORDER BY id")],
            "speakers": [r[0] for r in db.execute("SELECT id FROM speakers ORDER BY id")],
        }


def _set_q(generated, word: str):
    """The generated query string with q= a word that matches (negative cases stay negative)."""

    def with_q(query):
        return {**query, "q": word} if isinstance(query, dict) else query

    if isinstance(generated, GeneratedValue):
        return generated.map_value(with_q)
    return with_q(generated or {})


@pytest.fixture(scope="module")
def known_ids(demo_home) -> dict[str, list[str]]:
    return _ids(demo_home)


@pytest.fixture(scope="module")
def api_schema(demo_home, known_ids):
    app = create_app({"PODIUM_HOME": str(demo_home)})
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)

    @schema.hook
    def before_generate_path_parameters(context, strategy):
        path = context.operation.path
        pool = known_ids["passages"] if path.startswith("/api/passages/") else None
        pool = known_ids["events"] if path.startswith("/api/events/") else pool
        pool = known_ids["speakers"] if path.startswith("/api/speakers/") else pool
        if pool is None:
            return strategy
        return st.one_of(strategy, st.sampled_from(pool).map(lambda i: {"id": i}))

    @schema.hook
    def before_generate_query(context, strategy):
        if context.operation.path not in ("/api/search", "/api/export"):
            return strategy
        with_word = st.tuples(strategy, st.sampled_from(WORDS)).map(lambda pair: _set_q(*pair))
        return st.one_of(strategy, with_word)

    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case):
    case.call_and_validate(checks=CHECKS)


def test_real_bodies_conform_to_the_schema(api_schema, known_ids):
    """The 200 bodies of every operation over real ids, in every kind of citation style."""
    pid, eid, sid = known_ids["passages"][0], known_ids["events"][0], known_ids["speakers"][0]
    requests = [
        ("/healthz", {}, {}),
        ("/api/search", {}, {"q": "sanctions", "per_page": "50"}),
        ("/api/search", {}, {"q": "sanctions", "cite": "mla"}),
        ("/api/search", {}, {"q": '"Western dictates"', "sort": "newest", "page": "2"}),
        ("/api/search", {}, {"speaker": "Volkov", "from": "2020", "to": "2024-06"}),
        ("/api/check", {}, {"text": "ice doesn't read the newspapers"}),
        ("/api/passages/{id}", {"id": pid}, {}),
        ("/api/events/{id}", {"id": eid}, {}),
        ("/api/speakers", {}, {"prefix": "V"}),
        ("/api/speakers/{id}", {"id": sid}, {}),
        ("/api/styles", {}, {"q": "chicago"}),
        *[
            ("/api/passages/{id}/cite", {"id": pid}, {"style": style})
            for style in (
                "apa",
                "mla",
                "chicago-note-bibliography",
                "ris",
                "bibtex",
                "csl-json",
                "all",
            )
        ],
        ("/api/passages/{id}/cite", {"id": eid}, {"format": "html"}),
        *[
            ("/api/export", {}, {"format": fmt, "q": "sanctions"})
            for fmt in ("ris", "bibtex", "biblatex", "csl-json", "csv")
        ],
    ]
    for path, path_parameters, query in requests:
        case = api_schema[path]["GET"].Case(path_parameters=path_parameters, query=query)
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code == 200, (path, query, response.text[:300])


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?to=9999",
        "/api/search?q=date:9999",
        "/api/search?q=sanctions+date:[2020+to+9999-12]",
        "/api/search?from=2020&to=9999-12-31",
        "/api/export?format=ris&q=date:9999",
    ],
)
def test_the_last_day_of_year_9999_is_a_date_not_a_crash(api_schema, url):
    response = api_schema.app.test_client().get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?style=no-such-style",
        "/api/search?page=1234567",
        "/api/search?page=" + "9" * 5000,
        "/api/export?format=csv&sort=random",
        "/api/export?format=csv&kind=poem",
        "/api/passages/x/cite?format=pdf",
        "/api/styles?limit=0",
    ],
)
def test_bad_input_found_by_schemathesis_is_a_json_400(api_schema, url):
    response = api_schema.app.test_client().get(url)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.is_json and response.get_json()["error"]


def _described(name: str) -> tuple[set[str], set[str]]:
    """The keys schema `name` describes, and those it requires (following allOf and $ref)."""
    schema, described, required = SCHEMAS[name], set(), set()
    for part in schema.get("allOf", [schema]):
        if "$ref" in part:
            more, needed = _described(part["$ref"].rsplit("/", 1)[1])
            described, required = described | more, required | needed
        else:
            described |= set(part.get("properties", {}))
            required |= set(part.get("required", []))
    return described, required


def test_every_key_the_api_returns_is_described_in_its_schema(demo_home, known_ids):
    """The read models and the spec are written apart; a key one gains must reach the other
    (the schemas are open objects, so schemathesis alone would not notice)."""
    client = create_app({"PODIUM_HOME": str(demo_home)}).test_client()
    search = client.get("/api/search", query_string={"q": "sanctions"}).get_json()
    bodies = {
        "SearchResponse": [search],
        "Hit": search["results"],
        "PassageDetail": [
            client.get(f"/api/passages/{p}").get_json() for p in known_ids["passages"]
        ],
        "Event": [client.get(f"/api/events/{e}").get_json() for e in known_ids["events"]],
        "Speaker": [client.get(f"/api/speakers/{s}").get_json() for s in known_ids["speakers"]],
        "SpeakerSummary": client.get("/api/speakers", query_string={"prefix": ""}).get_json()[
            "speakers"
        ],
    }
    for name, items in bodies.items():
        described, required = _described(name)
        for body in items:
            assert set(body) <= described, (name, sorted(set(body) - described))
            assert required <= set(body), (name, sorted(required - set(body)))
