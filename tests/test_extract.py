"""Extraction on real pages: the dev renderings (by path) and the project's own samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from podium.extract import decode, extract_event
from podium.models import ExtractError

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
DEV = ROOT.parent / "shared" / "eval" / "dev" / "html"


def extract(path: Path):
    return extract_event(path.read_bytes(), source=str(path))


def quotes_by(event):
    return {(q.speaker, q.text) for q in event.quotes}


# --- the project's own pages -------------------------------------------------------------------


def test_cp1251_page_with_a_declared_charset():
    event = extract(SAMPLES / "northern-2020-arctic-council-cp1251.html")
    assert event.venue == "Дом дружбы (House of Friendship), Murmansk, Russia"
    assert event.event_date == "2020-02-19"
    assert event.organisation == "Northern Dialogue Society"
    assert not any(p.startswith("By ") for p in event.paragraphs), "the byline is not body text"
    assert (
        "Kari Nordahl",
        "A station closed for a winter is a record lost for a century,",
    ) in quotes_by(event)


def test_cp1251_page_that_declares_no_charset_is_detected():
    raw = (SAMPLES / "sever-2019-nordic-forum-cp1251.html").read_bytes()
    assert b"charset" not in raw.lower()
    assert "Северный форум" in decode(raw)
    event = extract_event(raw, source="sever")
    assert event.title.startswith("Северный форум")
    assert any("Bridges are built slowly" in q.text for q in event.quotes)


def test_comments_teasers_and_cookie_banners_are_not_body_text():
    event = extract(SAMPLES / "meridian-2023-energy-security.html")
    body = " ".join(event.paragraphs)
    assert "we should have listened" not in body  # a reader's comment
    assert "rarely change a country" not in body  # a related-post teaser
    assert "cookies" not in body
    assert not any("listened to the Balts" in q.text for q in event.quotes)
    assert len(event.paragraphs) == 6


def test_role_noun_and_continuation_quotes_on_a_sample():
    event = extract(SAMPLES / "meridian-2023-energy-security.html")
    by_speaker = {q.text[:20]: q.speaker for q in event.quotes}
    assert by_speaker["Every crisis teaches"] == "Tomasz Wierzbicki"  # "the ambassador said"
    assert by_speaker["Diversity of supply "] == "Tomasz Wierzbicki"  # a second pair of marks
    assert by_speaker["We guard the pipelin"] == "Amara Okafor"  # "she warned"
    roles = {s.name: s.role for s in event.speakers}
    assert roles["Tomasz Wierzbicki"] == "Ambassador of Poland to Norway (2015-2019)"


def test_transcript_turns_carry_their_speakers_over_continued_paragraphs():
    event = extract(SAMPLES / "meridian-2022-podcast-transcript.html")
    turns = [(q.speaker, q.text[:25]) for q in event.quotes if q.kind == "turn"]
    assert turns[0] == ("Lena Ortiz", "Welcome to The Sanctions ")
    assert ("Rafael de la Cruz", "And the sender pays too, ") in turns  # an unlabelled paragraph
    assert all(not text.startswith("Rafael de la Cruz:") for _, text in turns)


def test_a_quote_by_someone_not_at_the_event_has_no_speaker():
    event = extract(SAMPLES / "meridian-2025-sanctions-review.html")
    marathon = [q for q in event.quotes if q.text.startswith("a marathon")]
    assert marathon and marathon[0].speaker is None
    assert not any(q.text == "secondary sanctions" for q in event.quotes)  # scare quotes


def test_json_ld_speakers_multi_day_event_and_angle_quotes():
    event = extract(SAMPLES / "baltic-2025-grain-corridors.html")
    assert event.event_date == "2025-06-03"
    assert event.place == "Tallinn, Estonia"
    assert [s.name for s in event.speakers].count("Maria Tamm") == 1
    assert (
        "Oleksandr Hrytsenko",
        "We did not wait for permission, we waited for insurance",
    ) in quotes_by(event)
    assert not any(q.text.startswith("Feeding the Map") for q in event.quotes)  # a session title


# --- bad pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (bytes(range(256)) * 40, "binary"),
        (b"<html><head><title>x</title></head><body><nav>Home</nav></body></html>", "no body text"),
        (b"<!doctype html><html><head><title>Cut", "truncated"),
        (b"just some words, not a page at all", "not an HTML page"),
    ],
)
def test_bad_pages_give_a_plain_reason(raw, message):
    with pytest.raises(ExtractError, match=message):
        extract_event(raw, source="bad")


# --- the dev renderings (scored in full by test_eval_floors.py) --------------------------------

pytestmark_dev = pytest.mark.skipif(
    not DEV.exists(), reason="../shared/eval is not beside the repo"
)


@pytestmark_dev
def test_seed_page():
    event = extract(DEV / "valdai-2023-russia-iran-crossroads.html")
    assert event.event_date == "2023-02-15"
    assert event.venue == "Valdai Club Conference Hall, Tsvetnoy Boulevard 16/1, Moscow, Russia"
    assert event.place == "Moscow, Russia"
    assert len(event.paragraphs) == 7 and len(event.speakers) == 7
    assert "anna_l" not in " ".join(event.paragraphs)
    speakers = [q.speaker for q in event.quotes]
    assert speakers == ["Alexander Maryasov", "Alexander Maryasov", "Adlan Margoev", "Davud Keyani"]


@pytestmark_dev
def test_mutated_renderings_extract_like_the_originals():
    for page in sorted((DEV / "mutated").glob("*.html"))[:8]:
        mutated, original = extract(page), extract(DEV / page.name)
        assert mutated.title == original.title
        assert mutated.event_date == original.event_date
        assert abs(len(mutated.paragraphs) - len(original.paragraphs)) <= 1
