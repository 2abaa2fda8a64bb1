"""CI floors per page family: the dev reports rendered in the six layouts of
../shared/eval/render_layouts.py (one seed), and the three dev layouts themselves, each scored by
../shared/eval/score.py (it shells out to `podium extract --json`).

Issue 12's targets hold in every layout: body F1 >= 0.97, title 1.0, event date >= 0.95. Speaker
F1 and attribution are floored at what each layout reaches today; the target is within 0.03 of the
club layout (dev/html). Attribution is being rewritten in parallel (issue 13), so those move.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
SCORER = EVAL / "score.py"
RENDER = EVAL / "render_layouts.py"

pytestmark = pytest.mark.skipif(
    not (SCORER.exists() and RENDER.exists()), reason="../shared/eval is not beside the repo"
)

LAYOUTS = ["table-cms", "drupal", "hydrated-spa", "wordpress-elementor", "amp", "plain-transcript"]
EVERY_LAYOUT = {"body_f1": 0.97, "title_acc": 1.0, "date_acc": 0.95}
# measured on 2026-11-30 (seed 0; seeds 3 and 7 within 0.01), a little below. Club layout
# (dev/html): speaker F1 0.853, attribution 0.756; every family but AMP is at or above it.
SPEAKER_F1 = {
    "dev": 0.83,
    "table-cms": 0.93,
    "drupal": 0.96,
    "hydrated-spa": 0.95,
    "wordpress-elementor": 0.95,
    "amp": 0.53,  # no speaker list on the page: the text alone names them (0.554)
    "plain-transcript": 0.95,
}
ATTRIBUTION = {
    "dev": 0.73,
    "table-cms": 0.77,
    "drupal": 0.77,
    "hydrated-spa": 0.77,
    "wordpress-elementor": 0.77,
    "amp": 0.45,  # as above (0.480)
    "plain-transcript": 0.76,
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("layouts")
    proc = subprocess.run(
        [sys.executable, str(RENDER), str(EVAL / "dev"), "--out", str(out)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def figures(rendered) -> dict[str, dict]:
    """score.py's figures per layout, one run each."""
    found = {}
    for layout in ["dev", *LAYOUTS]:
        html = EVAL / "dev" / "html" if layout == "dev" else rendered / layout
        proc = subprocess.run(
            [sys.executable, str(SCORER), "--gold", str(EVAL / "dev"), "--html", str(html),
             "--json", "--cmd", f"{sys.executable} -m podium.cli extract --json"],
            capture_output=True, text=True, timeout=600, cwd=Path(__file__).resolve().parents[1],
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr[-2000:]
        found[layout] = json.loads(proc.stdout)["figures"]
    return found


@pytest.mark.parametrize("layout", ["dev", *LAYOUTS])
def test_every_page_extracts_with_body_title_and_date(figures, layout):
    got = figures[layout]
    assert got["errors"] == 0, f"{layout}: {got['errors']} pages failed"
    for name, floor in EVERY_LAYOUT.items():
        assert got[name] >= floor, f"{layout}: {name} = {got[name]:.3f}, floor {floor}"


@pytest.mark.parametrize("layout", ["dev", *LAYOUTS])
def test_speakers_and_attribution_hold_their_floors(figures, layout):
    got = figures[layout]
    assert got["speaker_f1"] >= SPEAKER_F1[layout], f"{layout}: speaker F1 {got['speaker_f1']:.3f}"
    assert got["attribution_acc"] >= ATTRIBUTION[layout], (
        f"{layout}: attribution {got['attribution_acc']:.3f}"
    )
