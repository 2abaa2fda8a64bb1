"""Extraction on page shapes the rules were not written against: one fictional page per shape in
tests/fixtures/layouts/ (a table CMS in a legacy encoding, a div-per-paragraph app page with a
JSON payload, an empty app shell, WordPress-like widgets, a pre-formatted transcript, an AMP
article, a one-line "Date: … · Venue: …", an ISO-8859-1 page with cp1252 quotes, and a page with
bidi and zero-width characters)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from podium.extract import extract_event

LAYOUTS = Path(__file__).resolve().parent / "fixtures" / "layouts"


def extract(name: str):
    return extract_event((LAYOUTS / name).read_bytes(), source=name)


def podium(*args: str, home: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "podium.cli"]
    if home is not None:
        cmd += ["--home", str(home)]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=120)


def test_table_cms_in_koi8r_with_br_paragraphs_and_a_latest_events_column():
    event = extract("table-cms-koi8r.html")
    assert event.title == "Рыбные квоты в Балтийском море"  # not "Institute :: Events :: …"
    assert len(event.paragraphs) == 3  # <br><br> runs, one paragraph each
    assert event.paragraphs[1].startswith("«Квоты — это не арифметика, а доверие»")
    body = " ".join(event.paragraphs)
    assert "tolls" not in body and "shanties" not in body  # the latest-events column
    assert event.event_date == "2031-03-12"  # "On 12 March", its year from "Posted:"
    assert event.published == "2031-03-14"
    assert event.organisation == "Lindenholm Institute"  # not "… All rights reserved."
    roles = {s.name: s.role for s in event.speakers}
    assert roles["Петер Ланг"] == "Research Fellow, Coastal Economy Group"  # the speakers table
    assert [(q.speaker, q.text) for q in event.quotes] == [
        ("Ирина Соколова", "Квоты — это не арифметика, а доверие")
    ]


def test_div_paragraph_app_page_with_a_json_payload():
    event = extract("spa-div-paragraphs.html")
    assert event.body_from == "dom+payload"
    assert len(event.paragraphs) == 3  # hashed <div>s, no <p>; 'has-sidebar' hides nothing
    assert not any("turbines" in p for p in event.paragraphs)  # the recommended carousel
    assert event.event_date == "2030-02-06"
    roles = {s.name: s.role for s in event.speakers}
    assert roles == {
        "Halvard Brekke": "Chief Engineer, Fjordline Power",
        "Marta Quist": "Senior Analyst, Grid Futures Lab",
    }  # speaker cards with hashed classes
    assert event.quotes[0].speaker == "Halvard Brekke"


def test_an_app_shell_with_nothing_rendered_is_read_from_its_payload():
    event = extract("spa-empty-shell.html")
    assert event.body_from == "payload"
    assert event.title == "Tidal Power and the Northern Grid"
    assert event.paragraphs[1].startswith("Marta Quist warned")
    roles = {s.name: s.role for s in event.speakers}
    assert roles["Marta Quist"] == "Senior Analyst, Grid Futures Lab"  # the payload's speakers


def test_wordpress_widgets_comments_and_recent_posts_are_not_body_text():
    event = extract("wordpress-widgets.html")
    assert event.title == "Salt Roads Revisited"
    body = " ".join(event.paragraphs)
    assert len(event.paragraphs) == 3  # both text widgets around the image, no pull quote
    assert "wonderful evening" not in body and "herring" not in body.lower()
    assert event.event_date == "2029-10-11"  # the icon list, not a recent post's date
    assert event.organisation == "Kestrel Forum"
    roles = {s.name: s.role for s in event.speakers}
    assert roles["Tomas Reinholt"] == "Curator, Harbour Museum"  # image-box speakers
    assert [q.speaker for q in event.quotes] == ["Odile Marchetti"]


def test_preformatted_transcript_is_cut_at_blank_lines():
    event = extract("pre-transcript.html")
    assert event.body_from == "dom"
    assert event.paragraphs == [
        "ILONA FARKAS: Good morning. Rivers do not read maps, and neither do floods.",
        "GORAN PETRIĆ: That is why Ilona Farkas and I share our gauges every hour.",
        "ILONA FARKAS: We share them, and we still argue about what they mean.",
    ]
    assert event.event_date == "2030-06-04"  # the metadata table, not "posted June 9"
    assert event.venue == "Council Hall, Szeged"
    roles = {s.name: s.role for s in event.speakers}
    assert roles["Goran Petrić"] == "Hydrologist, Sava Institute"
    assert {q.speaker for q in event.quotes if q.kind == "turn"} == {"Ilona Farkas", "Goran Petrić"}


def test_amp_article_publication_date_is_not_the_event_day():
    event = extract("amp-article.html")
    assert event.published == "2031-08-22"
    assert event.event_date is None  # the page names no event day: no guess
    assert len(event.paragraphs) == 3
    assert not any("snow" in p for p in event.paragraphs)  # a teaser of the same tag


def test_date_and_venue_on_one_line():
    event = extract("one-line-date-venue.html")
    assert event.event_date == "2026-09-17"
    assert event.venue == "Hall B, Riga"
    assert not any(p.startswith("Date:") for p in event.paragraphs)
    roles = {s.name: s.role for s in event.speakers}
    assert roles["Liene Ozola"] == "Harbour Master of the Free Port"  # one, under "Moderator"


def test_iso_8859_1_page_with_cp1252_curly_quotes():
    raw = (LAYOUTS / "iso-8859-1-cp1252-quotes.html").read_bytes()
    assert b"\x93A queue" in raw  # cp1252 bytes under an ISO-8859-1 declaration
    event = extract_event(raw, source="latin")
    assert [(q.speaker, q.text) for q in event.quotes] == [
        ("Renate Vogl", "A queue at the border is a tax nobody voted for,")
    ]


def test_bidi_and_zero_width_characters_are_neutralised_in_text_not_in_the_archive(tmp_path):
    event = extract("bidi-zero-width.html")
    text = " ".join(event.paragraphs)
    for (
        ch
    ) in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\ufeff\u00ad":
        assert ch not in text and ch not in event.quotes[0].text
    assert "embargo on machine parts" in text

    home = tmp_path / "home"
    assert podium("ingest", str(LAYOUTS / "bidi-zero-width.html"), home=home).returncode == 0
    found = json.loads(podium("search", "embargo", "--json", home=home).stdout)
    assert found["total"] >= 1  # "em\u00adbargo" is found as "embargo"
    archived = b""
    for warc in sorted((home / "corpus").rglob("*.warc*")):
        with open(warc, "rb") as fh:
            for record in ArchiveIterator(fh):
                archived += record.content_stream().read()
    assert "\u202e".encode() in archived and "em\u00adbargo".encode() in archived


def test_extract_json_says_which_evidence_gave_the_body():
    proc = podium("extract", "--json", str(LAYOUTS / "spa-div-paragraphs.html"))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["body_from"] == "dom+payload"


def test_title_forms_lose_their_site_and_section_names():
    page = (
        "<html><head><title>{}</title></head><body><p>{}</p>"
        "<footer>© 2030 Gulf Ferry Forum. All rights reserved.</footer></body></html>"
    )
    text = (
        "The forum met to talk about ferries, harbours and the price of crossing the strait. " * 2
    )
    for title in (
        "Harbours at Dawn | Gulf Ferry Forum",
        "Harbours at Dawn · Gulf Ferry Forum",
        "Gulf Ferry Forum :: Events :: Harbours at Dawn",
    ):
        event = extract_event(page.format(title, text).encode(), source="t")
        assert event.title == "Harbours at Dawn", title
        assert event.organisation == "Gulf Ferry Forum", title


def test_a_page_whose_body_cannot_be_found_says_so_and_stores_nothing(tmp_path):
    page = tmp_path / "menu-only.html"
    page.write_text(
        "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a> "
        "<a href='/events'>Events</a></nav><footer>© 2030 Nobody</footer></body></html>"
    )
    home = tmp_path / "home"
    proc = podium("ingest", str(page), home=home)
    assert proc.returncode != 0
    assert "no body text" in proc.stdout + proc.stderr
    found = json.loads(podium("search", "Home", "--json", home=home).stdout)
    assert found["total"] == 0


def test_a_list_of_people_the_report_never_names_is_not_its_speakers():
    page = """<html><head><title>Canals and Cities</title></head><body><h1>Canals and Cities</h1>
    <p>Wilhelmina Dekker told the seminar that the canals of her city were dug for trade and kept
    for beauty, and that the bill for keeping them grows every year.</p>
    <div class="team"><div class="card"><div>Joost Verbeek</div><div>Web Editor</div></div>
    <div class="card"><div>Anouk Smits</div><div>Press Officer</div></div></div>
    </body></html>"""
    event = extract_event(page.encode(), source="t")
    assert [s.name for s in event.speakers] == ["Wilhelmina Dekker"]


def test_an_event_day_the_markup_names_beats_the_publication_date():
    page = """<html><head><title>Lighthouses Unlit</title></head><body><h1>Lighthouses Unlit</h1>
    <div class="byline">Published 30 June 2029</div>
    <p>The keepers' guild met to discuss lighthouses switched off for good and what the coast
    loses with them, from night fishing to the stories told in harbour towns.</p>
    <aside class="related"><div class="event-date">1 January 2029</div></aside>
    <div class="event__date"><time datetime="2029-06-21">Midsummer</time></div>
    </body></html>"""
    event = extract_event(page.encode(), source="t")
    assert event.event_date == "2029-06-21"
    assert event.published == "2029-06-30"


def test_a_report_spread_over_wrappers_of_every_kind_is_read_by_trafilatura_in_page_order():
    paragraphs = [
        "The assembly of river pilots met in the old customs hall to discuss the silting of the "
        "estuary and who should pay to dredge it.",
        "Captain Ilse Brandt said the channel had lost a metre of depth in ten years and that the "
        "pilots now wait for the tide twice as often.",
        "The harbour board answered that dredging money had gone to the new quay, and promised a "
        "survey before the winter storms.",
        "Several pilots asked for the survey to be published in full, including the soundings "
        "taken by the navy last spring.",
    ]
    wrappers = ["div class='lead-in'", "section class='s-two'", "div class='x-three'", "article"]
    page = "<html><head><title>Silt</title></head><body><h1>Silt</h1>" + "".join(
        f"<{w}><p>{p}</p></{w.split()[0]}>" for w, p in zip(wrappers, paragraphs, strict=True)
    )
    event = extract_event((page + "</body></html>").encode(), source="t")
    assert event.body_from == "trafilatura"
    assert event.paragraphs == paragraphs


def test_a_date_under_the_title_dates_the_page_when_the_opening_names_the_day():
    page = """<html><head><title>Salt Marsh Futures</title></head><body><h1>Salt Marsh Futures</h1>
    <div class="date">12.09.2030</div>
    <p>On March 3, the council discussed how salt marshes protect the coast, and who should pay
    for the new dykes that farmers and town councils both say they need.</p></body></html>"""
    event = extract_event(page.encode(), source="t")
    assert event.event_date == "2030-03-03"  # the opening's day, its year from the page's date
    assert event.published == "2030-09-12"


def test_a_transcripts_today_is_not_the_publication_day():
    page = """<html><head><title>Ferries at Night</title>
    <meta property="article:published_time" content="2031-05-02T10:00:00Z"></head><body>
    <h1>Ferries at Night</h1>
    <p>ASTRID NYGAARD: Welcome, everyone. Today we talk about ferries that run at night and the
    crews who keep them running when the rest of the harbour sleeps.</p></body></html>"""
    event = extract_event(page.encode(), source="t")
    assert event.published == "2031-05-02"
    assert event.event_date is None


def test_a_venue_marked_by_a_location_icon_is_the_venue_and_the_footers_address_is_not():
    page = (LAYOUTS / "location-icons.html").read_text(encoding="utf-8")
    assert extract("location-icons.html").venue == "Pilot House Hall, Quay Street 9, Brackwater"
    icon = '<i aria-hidden="true" class="fas fa-map-marker-alt"></i>'
    as_pin = page.replace(icon, '<span aria-hidden="true">📍</span>')  # an app's venue chip
    assert extract_event(as_pin.encode(), source="pin").venue.startswith("Pilot House Hall")
    unmarked = page.replace(icon, "")  # only the footer's office address has a pin now
    assert extract_event(unmarked.encode(), source="unmarked").venue is None
