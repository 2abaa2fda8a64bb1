"""Regenerate expected.json: Podium's CSL-JSON items rendered by citeproc-js (Zotero's processor).

Run from the repository root (needs node >= 20.19 and, once, `npm install` in this folder):

    (cd tests/citeproc_js && npm install) && python tests/citeproc_js/make_expected.py

The records are the quotes of the Valdai seed page (tests/test_cite.py SEED and its
neighbours) plus one record per hard case of CITATIONS.md. Each is turned into CSL-JSON by
`podium.cite.csl_item(rec, style)` (the item differs per style: MLA gets `event-date`, APA
drops a container title equal to the author), rendered by `render.mjs` (citation-js 0.8.2,
citeproc-js 2.4.63, one Cite per item, plain text, en-US), and written with the records
themselves and the CSL-JSON items to expected.json, which tests/test_cite_citeproc_js.py
reads without node.

Normalisation of citeproc-js's text output (nothing else is touched):
* the newline citeproc-js ends every bibliography entry with is removed (`str.strip`).
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from podium import cite
from podium.models import CiteRecord

HERE = Path(__file__).resolve().parent
OUT = HERE / "expected.json"
STYLES = ["apa", "mla", "chicago-author-date", "chicago-note-bibliography"]
COMMAND = "(cd tests/citeproc_js && npm install) && python tests/citeproc_js/make_expected.py"

VALDAI_URL = (
    "https://valdaiclub.com/events/posts/articles/russia-and-iran-at-the-crossroads-"
    "from-short-term-benefits-to-long-term-partnership/"
)
VALDAI = dict(
    title="Russia and Iran at the Crossroads: From Short-Term Benefits to Long-Term Partnership",
    url=VALDAI_URL,
    organisation="Valdai Discussion Club",
    site_name="Valdai Discussion Club",
    genre="Expert discussion",
    place="Moscow, Russia",
    event_date="2023-02-15",
    accessed="2026-11-24",
    version=1,
    kind="quote",
)

RECORDS = [
    # --- the seed page's quotes (the first is tests/test_cite.py SEED) -------------------
    CiteRecord(
        id="seed-maryasov-conditions",
        **VALDAI,
        speaker="Alexander Maryasov",
        role="Ambassador Extraordinary and Plenipotentiary of Russia to Iran (2001-2005)",
        text="Under these conditions, Moscow and Iran are making efforts to develop relations "
        "with countries that do not accept Western dictates,",
    ),
    CiteRecord(
        id="seed-maryasov-prerequisites",
        **VALDAI,
        speaker="Alexander Maryasov",
        role="Ambassador Extraordinary and Plenipotentiary of Russia to Iran (2001-2005)",
        text="The emerging geopolitical realities also create objective prerequisites for "
        "rapprochement between Moscow and Tehran.",
    ),
    CiteRecord(
        id="seed-margoev-perimeter",
        **VALDAI,
        speaker="Adlan Margoev",
        role="a research fellow at MGIMO University",
        text="The Russian interest, in simple terms, is that countries on our perimeter, in "
        "particular, our southern neighbour Iran, should be doing well. Therefore, if sanctions "
        "are lifted from Iran due to the restoration of the JCPOA, it will be in Russia’s favour,",
    ),
    CiteRecord(
        id="seed-keyani-crossroads",
        **VALDAI,
        speaker="Davud Keyani",
        role="Member of the IPIS Scientific Council",
        text="We are now at a very important crossroads,",
    ),
    # --- hard cases -------------------------------------------------------------------
    # a name particle (non-dropping "de la"); from corpus/samples/baltic-2022-...
    CiteRecord(
        id="hard-particle",
        title="Sanctions That Work: Lessons From Three Decades",
        url="https://bpi.example.org/events/2022/sanctions-that-work",
        organisation="Baltic Policy Institute",
        site_name="Baltic Policy Institute",
        genre="Round table",
        place="Vilnius, Lithuania",
        event_date="2022-11-08",
        accessed="2026-10-03",
        version=1,
        speaker="Rafael de la Cruz",
        role="Professor of International Economics, University of Salamanca",
        text="The broader the measure, the faster the target learns to live without us,",
        kind="quote",
    ),
    # an accented, hyphenated given name and compound surname with an apostrophe
    CiteRecord(
        id="hard-accented-apostrophe",
        title="The Mediterranean as a Strategic Crossroads",
        url="https://www.frstrategie.org/en/events/mediterranean-strategic-crossroads",
        organisation="Fondation pour la Recherche Stratégique",
        site_name="FRS",
        genre="Round table",
        place="Paris, France",
        event_date="2022-11-17",
        accessed="2026-10-05",
        version=2,
        speaker="Marie-Hélène Dufour-d'Argenson",
        role="Director of the Mediterranean Programme, FRS",
        text="The Mediterranean is no longer a frontier; it is a corridor,",
        kind="quote",
    ),
    # an ampersand in the title (and the host)
    CiteRecord(
        id="hard-ampersand",
        title="Trade & Security in the Sahel: Lessons From a Decade of Crises",
        url="https://issafrica.org/events/trade-security-in-the-sahel",
        organisation="Institute for Security Studies & Sahel Research Network",
        site_name="ISS Africa",
        genre="Webinar",
        place="Pretoria, South Africa",
        event_date="2021-05-20",
        accessed="2026-09-14",
        version=1,
        speaker="Amara Diallo",
        role="Senior Researcher, Sahel Programme",
        text="Every closed border in the Sahel opens a smuggling route,",
        kind="quote",
    ),
    # straight inner quotes (and an apostrophe) in a title that styles put in quotes
    CiteRecord(
        id="hard-inner-quotes",
        title='Beyond the "Pivot to the East": Russia\'s Asia Policy in 2024',
        url="https://russiancouncil.ru/en/news/beyond-the-pivot-to-the-east/",
        organisation="Russian International Affairs Council",
        site_name="RIAC",
        genre="Expert discussion",
        place="Moscow, Russia",
        event_date="2024-04-11",
        accessed="2026-11-02",
        version=1,
        speaker="Ivan Sokolov",
        role="RIAC Program Manager",
        text="The pivot is less a turn than a slow drift,",
        kind="quote",
    ),
    # curly inner quotes closing the title (and an en dash), as the page has them; from
    # eval/dev/html/gorchakov-2019-caucasus-dialogue-day2.html. citeproc-js moves the
    # period inside both closing quotes (‘…Survival.’”), pandoc only inside the outer one
    # (‘…Survival’.”): a known engine difference, see tests/test_cite_citeproc_js.py
    CiteRecord(
        id="hard-inner-quotes-closing-title",
        title="The Caucasus Dialogue – 2019. Day 2. “Not about love, but survival”",
        url="https://www.gorchakovfund.ru/en/news/view/the-caucasus-dialogue-2019-day-2-not-about-love-but-survival/",
        organisation="Alexander Gorchakov Public Diplomacy Fund",
        site_name="Alexander Gorchakov Public Diplomacy Fund",
        genre="Discussion",
        event_date="2019-09-24",
        accessed="2026-10-12",
        version=1,
        speaker="Alexander Iskanderyan",
        role="Director of the Institute of Caucasus (Yerevan)",
        text="It is not an easy task because as a result of multivectorness in the West Armenia "
        "is suspected of being pro-Russian and Russia of being extremely pro-western. However, "
        "it is not about love, but survival",
        kind="quote",
    ),
    # a title ending in "?" (and a speaker with a middle initial, no place);
    # from eval/dev/html/cfr-2018-world-how-worried.html
    CiteRecord(
        id="hard-question-title",
        title="The World: How Worried Should You Be?",
        url="http://cdn.cfr.org/event/world-how-worried-should-you-be",
        organisation="Council on Foreign Relations",
        site_name="Council on Foreign Relations",
        event_date="2018-05-08",
        accessed="2026-08-21",
        version=1,
        speaker="Richard N. Haass",
        role="president of the Council on Foreign Relations",
        text="Thank you, Juju. Thank you all. Great to see so many of you back here again.",
        kind="turn",
    ),
    # the event page itself: a webpage by the organisation (no speaker);
    # from eval/dev/html/csis-2019-smart-women-campaign-2020.html
    CiteRecord(
        id="hard-organisation-author",
        title="Security and Foreign Policy in Campaign 2020: A Conversation with Washington "
        "Journalists",
        url="https://docslib.org/doc/11203368/security-and-foreign-policy-in-campaign-2020-"
        "a-conversation-with-washington-journalists",
        organisation="Center for Strategic and International Studies",
        site_name="Center for Strategic and International Studies",
        place="Washington, D.C.",
        event_date="2019-07-23",
        accessed="2026-07-30",
        version=1,
    ),
    # a mononymous speaker (a CSL literal name)
    CiteRecord(
        id="hard-mononym",
        title="Disaster Diplomacy in Southeast Asia — Lessons From Sulawesi",
        url="https://www.csis.or.id/events/disaster-diplomacy-in-southeast-asia/",
        organisation="CSIS Indonesia",
        site_name="CSIS Indonesia",
        genre="Lecture",
        place="Jakarta, Indonesia",
        event_date="2023-08-30",
        accessed="2026-09-01",
        version=1,
        speaker="Sutrisno",
        role="Researcher, Department of International Relations",
        text="A tsunami warning does not stop at a maritime boundary,",
        kind="quote",
    ),
    # a date the page gives only as a month and a year
    CiteRecord(
        id="hard-year-month",
        title="Caucasus Dialogue: Youth and Regional Cooperation",
        url="https://www.gorchakovfund.ru/en/news/view/caucasus-dialogue-youth-and-regional-cooperation/",
        organisation="Alexander Gorchakov Public Diplomacy Fund",
        site_name="Alexander Gorchakov Public Diplomacy Fund",
        genre="Round table",
        place="Tbilisi, Georgia",
        event_date="2019-09",
        accessed="2026-10-12",
        version=1,
        speaker="Giorgi Beridze",
        role="Director of the Caucasus Policy Centre",
        text="Young people in the region already cooperate more than their governments do,",
        kind="quote",
    ),
]


def normalise(text: str) -> str:
    """citeproc-js ends every plain-text entry with a newline; nothing else is changed."""
    return text.strip()


def render_with_citeproc_js(style: str, items: list[dict]) -> tuple[dict, dict]:
    """({item id: citeproc-js string}, engine versions) for CSL-JSON items in one style."""
    payload = {"items": items, "styles": {style: str(cite.style_path(style))}}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.json"
        path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(
            ["node", "render.mjs", str(path)],
            cwd=HERE,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    if proc.returncode != 0:
        sys.exit(f"node render.mjs failed:\n{proc.stderr}")
    data = json.loads(proc.stdout)
    return {rid: normalise(s) for rid, s in data[style].items()}, data["_engine"]


def main() -> None:
    out: dict = {
        "generated_by": COMMAND,
        "normalisation": "citeproc-js's trailing newline stripped; nothing else changed",
        "csl": {},
        "expected": {},
        "items": {},
    }
    for style in STYLES:
        items = [cite.csl_item(rec, style) for rec in RECORDS]
        strings, engine = render_with_citeproc_js(style, items)
        out["engine"] = engine
        out["csl"][style] = cite.style_path(style).name
        out["expected"][style] = {rec.id: strings[rec.id] for rec in RECORDS}
        out["items"][style] = {item["id"]: item for item in items}
    out["records"] = [dataclasses.asdict(rec) for rec in RECORDS]
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(RECORDS)} records x {len(STYLES)} styles)")


if __name__ == "__main__":
    main()
