"""Whatever a reporter pastes into the search box gives results or an empty list, never an
exception: thousands of random strings through the query layer, hundreds through the API,
and the nastiest ones through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podium import query
from podium.models import SearchRequest
from podium.web import create_app

SYNTAX = list(':()[]{}*?~^"“”„«»\'-+!&|/\\') + ["AND", "OR", "NOT", "TO", "speaker:", "date:",
                                                  "kind:", "org:", "date:[", " to ", "*"]  # fmt: skip
WORDS = ["Maryasov", "sanctions", "Ünal", "energy", "Iran", "2023", "2022-01", "quote", "🙂", "é"]
pasted = st.lists(
    st.one_of(st.sampled_from(SYNTAX), st.sampled_from(WORDS), st.text(max_size=12)),
    max_size=25,
).map(lambda parts: " ".join(parts) if len(parts) % 2 else "".join(parts))
NASTY = [
    "", " ", ":", "(", ")", "[", "]", "*", "*sanctions", "?", "~", "^", '"', "“", "«", "„",
    "speaker:", "speaker:(", "date:[2022 to", "date:[to]", "date:9999999", "date:2023-13-45",
    'Western "dictates', "NOT", "AND OR NOT", "-", "--", "a" * 1_000, "🙂" * 500,
    "sanctions~99", "sanc*ions", "((((((((((", "\x00\x01", "<script>alert(1)</script>",
    "org:", "kind:nonsense", "text:sanctions", "speaker_id:x", "date:[2023-06 TO 2022-01]",
]  # fmt: skip


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=pasted)
def test_any_text_through_the_query_layer(demo_home, text):
    response = query.search(demo_home / "index", SearchRequest(q=text))
    assert response.total >= 0 and isinstance(response.results, list)


@pytest.fixture(scope="module")
def client(demo_home):
    return create_app({"PODIUM_HOME": str(demo_home)}).test_client()


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    text=pasted,
    speaker=st.one_of(st.none(), st.text(max_size=8)),
    date_from=st.one_of(st.none(), st.sampled_from(["2023", "2022-01", "x", "2023-02-30"])),
)
def test_any_text_through_the_api(client, text, speaker, date_from):  # fmt: skip
    params = {"q": text}
    if speaker is not None:
        params["speaker"] = speaker
    if date_from is not None:
        params["from"] = date_from
    response = client.get("/api/search", query_string=params)
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert ("results" in body) if response.status_code == 200 else ("error" in body)


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_nasty_pastes_through_the_api(client, text):
    response = client.get("/api/search", query_string={"q": text})
    assert response.status_code == 200
    assert isinstance(response.get_json()["results"], list)


def test_nasty_pastes_through_the_cli(demo_home):
    for text in NASTY[:: max(1, len(NASTY) // 12)]:
        result = subprocess.run(
            [sys.executable, "-m", "podium.cli", "--home", str(demo_home), "search", "--json",
             "--", text],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, (text[:40], result.stderr[-500:])
        assert isinstance(json.loads(result.stdout)["results"], list)
