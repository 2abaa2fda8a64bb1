"""CI floors on the hand-labelled dev set: extraction, attribution and search quality.

Runs ../shared/eval/score.py exactly as a reviewer would (it shells out to `podium extract` and,
with --search, to `podium ingest` / `podium search`). A change that drops a figure below its
floor fails CI. Floors: issue 4's and issue 13's targets for extraction and attribution on the
38-report dev set, issue 3's for search.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCORER = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"

pytestmark = pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval is not beside the repo")

FLOORS = {
    "title_acc": 1.0,
    "date_acc": 0.95,
    "body_f1": 0.97,
    "speaker_f1": 0.95,
    "role_f1": 0.9,
    "quote_f1": 0.95,
    "attribution_acc": 0.95,
    # search (issue 14's targets, here without the 1,000 look-alikes: measured 1.0 / 1.0 /
    # 0.973 / 0.967 / 1.0 on 2026-11-30)
    "hit_at_1": 0.95,
    "hit_at_5": 0.99,
    "speaker_at_hit": 0.95,
    "hard_hit_at_1": 0.9,
    "hard_hit_at_5": 0.95,
}
# quoted strings that are not speech but come out as quotes
NON_QUOTE_HITS_CEILING = 0


@pytest.fixture(scope="module")
def figures() -> dict:
    proc = subprocess.run(
        [sys.executable, str(SCORER), "--search", "--json", "--cmd", f"{sys.executable} -m podium.cli extract --json",
         "--ingest-cmd", f"{sys.executable} -m podium.cli ingest",
         "--search-cmd", f"{sys.executable} -m podium.cli search"],
        capture_output=True, text=True, timeout=900, cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)["figures"]


@pytest.mark.parametrize("name", list(FLOORS))
def test_figure_at_or_above_its_floor(figures, name):
    assert figures[name] >= FLOORS[name], f"{name} = {figures[name]:.3f}, floor {FLOORS[name]}"


def test_no_page_fails_and_nothing_that_is_not_speech_is_a_quote(figures):
    assert figures["errors"] == 0
    assert figures["non_quote_hits"] <= NON_QUOTE_HITS_CEILING
