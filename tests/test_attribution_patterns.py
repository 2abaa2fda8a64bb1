"""One small fictional page per attribution or date pattern (tests/fixtures/attribution/), each
asserting the one thing a journalist would rely on: who said it, or that nobody at the event did,
or which day the event was."""

from __future__ import annotations

from pathlib import Path

import pytest

from podium.extract import extract_event

PAGES = Path(__file__).resolve().parent / "fixtures" / "attribution"
VARGA, BRENNER, OSEI = "Ilse Varga", "Tomasz Brenner", "Amara Osei"


def extract(name: str):
    path = PAGES / f"{name}.html"
    return extract_event(path.read_bytes(), source=str(path))


def quotes(name: str) -> list[tuple[str | None, str]]:
    return [(q.speaker, q.text) for q in extract(name).quotes]


@pytest.mark.parametrize(
    ("page", "speaker"),
    [
        ("full-name", VARGA),  # “…,” said Ilse Varga.
        ("surname", VARGA),  # “…,” Varga said.
        ("pronoun", VARGA),  # Ilse Varga opened… “…,” she said.
        ("role-noun", BRENNER),  # Tomasz Brenner, former ambassador… “…,” the diplomat said.
        ("according-to", OSEI),  # Amara Osei spoke… According to her, “…”
        ("speaker-at-end", BRENNER),  # a quote opening the paragraph, the name at its end
        ("missing-close", BRENNER),  # “… he said, and … (never closed)
        ("nested-straight", BRENNER),  # "… 'never again' …," Brenner said.
        ("partial-in-reported", OSEI),  # Osei said the regime was "a slow-motion blockade"
        ("transliteration", "Hasan Ünal"),  # listed as Ünal, quoted as Unal
        ("honorifics", "Peter Okello"),  # H.E. Amb Lt Gen (Rtd) Peter Okello
        ("suffix", "Carlyle Fielding Stewart III"),  # "Stewart said"; III is no surname
    ],
)
def test_the_one_quote_is_attributed(page, speaker):
    found = quotes(page)
    assert len(found) == 1, found
    assert found[0][0] == speaker


def test_nested_straight_marks_stay_inside_the_quote():
    [(_, text)] = quotes("nested-straight")
    assert "'never again'" in text


def test_a_continuation_quote_keeps_its_speaker():
    assert [who for who, _ in quotes("continuation")] == [OSEI, OSEI]


def test_a_quote_running_over_two_paragraphs_keeps_its_speaker():
    found = quotes("multi-paragraph")
    assert len(found) == 2 and {who for who, _ in found} == {VARGA}


def test_words_of_someone_not_at_the_event_have_no_speaker():
    event = extract("absent-speaker")
    assert [s.name for s in event.speakers] == [VARGA, BRENNER, OSEI]  # Weber did not speak
    [(who, _)] = quotes("absent-speaker")
    assert who is None


@pytest.mark.parametrize("page", ["quoted-title", "scare-quotes"])
def test_titles_and_scare_quotes_are_not_quotes(page):
    assert quotes(page) == []


def test_a_speakers_line_gives_each_speaker_their_role():
    speakers = {s.name: s.role for s in extract("full-name").speakers}
    assert speakers == {
        VARGA: "Senior Fellow at the Harbourline Institute",
        BRENNER: "former Ambassador of Poland to Norway",
        OSEI: "Director of the Coastal Trade Programme",
    }


def test_transcript_turns_resolve_labels_and_run_over_paragraphs():
    turns = [(q.speaker, q.text, q.kind) for q in extract("transcript").quotes]
    assert [who for who, _, _ in turns] == [VARGA, BRENNER, BRENNER, VARGA, BRENNER]
    assert all(kind == "turn" for _, _, kind in turns)
    assert not any(text.startswith(("VARGA", "BRENNER")) for _, text, _ in turns)


def test_moderator_label_is_the_named_moderator_only_when_the_page_says_so():
    named = [q.speaker for q in extract("moderator-label").quotes]
    assert named == [OSEI, BRENNER, OSEI]  # "Moderator: Amara Osei." is not itself a turn
    unnamed = [(q.speaker, q.text) for q in extract("q-label").quotes]
    assert (None, "What would make them believe?") in unnamed


@pytest.mark.parametrize(
    ("page", "day"),
    [
        ("date-event-not-published", "2024-03-14"),  # "Published 20 March 2024" / "On March 14"
        ("date-multi-day", "2024-03-14"),  # "on 14-15 March 2024": the first day
        ("date-yesterday", "2022-05-11"),  # "Gdynia, 12 May 2022" / "Yesterday …"
        ("date-no-year", None),  # "On March 14", no year anywhere: no guess
    ],
)
def test_the_event_day(page, day):
    assert extract(page).event_date == day
