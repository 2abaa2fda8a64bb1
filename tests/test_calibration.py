"""Confidence that means something: on the hand-labelled dev set, attributions at or above
`models.CONFIDENT` name the right person at least 97 % of the time.

Measures every attributed quote and turn of the dev pages (run through `extract_event`, matched
to the gold quotes as `score.py` matches them) and prints the calibration table, confidence band
-> share right (`python -m pytest -s tests/test_calibration.py` to see it). An attribution of a
string the gold does not hold as a quote counts as wrong.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from podium.extract import extract_event
from podium.models import CONFIDENT
from podium.speakers import same_person

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
BANDS = [(0.0, 0.5), (0.5, 0.7), (0.7, CONFIDENT), (CONFIDENT, 0.9), (0.9, 1.01)]

pytestmark = pytest.mark.skipif(not (EVAL / "score.py").exists(), reason="no ../shared/eval")


def _scorer():
    spec = importlib.util.spec_from_file_location("eval_score", EVAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def judged() -> list[tuple[float, bool]]:
    """(confidence, right) for every attributed quote or turn on the dev pages."""
    score = _scorer()
    html = EVAL / "dev" / "html"
    manifest = json.loads((html / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for path in sorted((EVAL / "dev").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold["id"] not in manifest:
            continue
        page = html / Path(manifest[gold["id"]]["path"]).name
        event = extract_event(page.read_bytes(), source=str(page))
        pairs = dict(score.match_quotes([{"text": q.text} for q in event.quotes], gold["quotes"]))
        for i, quote in enumerate(event.quotes):
            if not quote.speaker:
                continue
            truth = gold["quotes"][pairs[i]].get("speaker") if i in pairs else None
            right = bool(truth) and (
                score.fold_name(truth) == score.fold_name(quote.speaker)
                or same_person(truth, quote.speaker)
            )
            out.append((quote.confidence, right))
    return out


def table(judged: list[tuple[float, bool]]) -> str:
    lines = ["confidence   attributions   share right"]
    for lo, hi in BANDS:
        band = [right for conf, right in judged if lo <= conf < hi]
        share = f"{sum(band) / len(band):.3f}" if band else "  -  "
        lines.append(f"{lo:.2f}-{min(hi, 1.0):.2f}    {len(band):>12}   {share:>11}")
    return "\n".join(lines)


def test_confident_attributions_are_right_at_least_97_percent_of_the_time(judged):
    print("\n" + table(judged))
    confident = [right for conf, right in judged if conf >= CONFIDENT]
    assert len(confident) >= 50, "too few attributions on the dev set to calibrate"
    share = sum(confident) / len(confident)
    assert share >= 0.97, f"{share:.3f} of confident attributions right\n{table(judged)}"


def test_every_attribution_has_a_state_the_surfaces_can_show():
    path = Path(__file__).resolve().parent / "fixtures" / "attribution" / "absent-words.html"
    quotes = extract_event(path.read_bytes(), source=str(path)).quotes
    assert {q.attribution for q in quotes} <= {"confident", "uncertain", "none"}
    assert quotes[1].attribution == "none"  # the minister, quoted from a radio interview
