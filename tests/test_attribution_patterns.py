"""One small fictional page per attribution or date pattern (tests/fixtures/attribution/), each
asserting the one thing a journalist would rely on: who said it, or that nobody at the event did,
or which day the event was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from podium.extract import extract_event
from podium.speakers import same_person

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


# --- issue 13: one page per class of failure on reports never seen -------------------------


def speakers(name: str) -> dict[str, str | None]:
    return {s.name: s.role for s in extract(name).speakers}


def test_people_introduced_in_running_prose_are_speakers_with_their_roles():
    """Class 1: two people in one sentence, no speakers box; later quoted by surname."""
    people = speakers("prose-intro")
    assert people["Petr Dvořák"] == "head of the Czech parliament's foreign committee"
    assert "Ana Whitlow" in people and len(people) == 2  # "Senator" is no part of her name
    assert [who for who, _ in quotes("prose-intro")] == ["Petr Dvořák", "Ana Whitlow"]


def test_a_person_a_sentence_opens_on_with_a_role_and_a_deed_is_a_speaker():
    """No speakers box: "NAME, ROLE, ranked…" reports someone taking part, even when the verb is
    not a speech verb or a participle clause comes first; arriving late is not taking part."""
    assert speakers("appositive-subject") == {
        "Ingrid Solhaug-Marr": "Director of the Institute's Coastal Transport Programme",
        "Tobias Wrenfield": "head of the harbour engineering desk",
    }


def test_roles_billed_before_names_in_lists_and_pairings_go_with_each_name():
    """No speakers box: "panelists include ROLE NAME; ROLE Adm. NAME (Ret.); and ROLE NAME",
    "ROLE NAME moderates a discussion between ROLE Dr. NAME and ROLE Amb. NAME", "remarks from
    ROLE NAME, as well as insight from TITLE and TITLE NAME and ROLE NAME"."""
    assert speakers("role-first-list") == {
        "Hanne Blomvik": "Riverwatch Senior Correspondent",
        "Arvid Tollefsen": "former Water Commissioner",
        "Sigrun Halvorsen": "former Navy Chief of Staff",
        "Casimir Nowel": "Deputy Director of Hydrology",
        "Oda Brekke": "Forum Fellow-in-Residence",
        "Leif Rasmark": "former Minister of Agriculture",
        "Tove Lindahl": "former Basin Authority President",
        "Ruth Adeyemi-Voss": "Forum President",
        "Jonas Ekberg": "Vice President and Director of the Treaties programme",
        "Mira Castellane": "Senior Fellow",
    }


def test_roles_stated_in_a_sentence_of_their_own_or_set_before_the_name():
    """No speakers box: "talk with ORG's NAME" bills only whose they are; "Ms. SURNAME is ROLE"
    and "NAME is a ROLE where…" say what; "The ROLE, Director NAME, read out…" sets the role
    before the name, and reading out a letter is taking part."""
    assert speakers("stated-roles") == {
        "Petra Halloran": "senior fellow for Arctic fisheries at the Norwood Institute",
        "Idris Moyo": "Radio Kestrel anchor",
        "Anneli Korsgaard": "The envoy of the Fisheries Ministry",
    }


def test_one_labelled_turn_whose_speaker_introduces_themself_is_a_transcript():
    """No speakers box and a single label: "NAME: … I'm NAME." says the label is a person, so
    the turn and the paragraph that continues it are hers."""
    assert [who for who, _ in quotes("self-introduced")] == ["Maren Vollstedt"] * 2
    assert speakers("self-introduced") == {"Maren Vollstedt": None}


def test_a_hosts_introduction_gives_guests_their_roles_and_the_host_none_invented():
    """ "Oona is, as listeners know, the director of X" (a given name, an aside) and "welcome Ms
    NAME, Secretary, and officers of Y" give roles; "I'm NAME, and this week…" gives none."""
    assert speakers("podcast-intro") == {
        "Kasimir Dahl": None,
        "Lotte Brande": "Secretary",
        "Oona Prell": "director of the Kestrel Transport Institute",
    }
    assert [who for who, _ in quotes("podcast-intro")] == [
        "Kasimir Dahl",
        "Oona Prell",
        "Lotte Brande",
    ]


def test_names_of_every_shape_are_recognised_whole():
    """Class 2: hyphens, particles, middle initials, a nickname, a suffix, a class year."""
    people = speakers("name-shapes")
    for name in ["Marguerite Okonkwo-Hale", "Hans-Joachim Keller", "María de los Ángeles Ruiz",
                 "James M. Lindsay", "Thomas “Mack” Ellery III"]:  # fmt: skip
        assert name in people, (name, people)
    assert people["James M. Lindsay"] == "a senior fellow at the institute"  # '92 is not his role
    assert [who for who, _ in quotes("name-shapes")] == [
        "Marguerite Okonkwo-Hale",
        "María de los Ángeles Ruiz",
        "Thomas “Mack” Ellery III",
    ]


def test_ranks_honorifics_and_post_nominals_are_not_the_name():
    """Class 3: Admiral Sir … KCMG, Maj. Gen. (Dr.) … (Retd.), H.E. Shri, Prof. Dame … PhD, Dr … KC."""
    people = speakers("ranks")
    assert set(people) == {"Ian Tregarth", "Arvind Mehra", "Devan Pillai", "Helen Rooke",
                           "Owen Fairley"}  # fmt: skip
    assert people["Ian Tregarth"] == "former First Sea Lord"
    assert people["Devan Pillai"] == "Ambassador of India to Norway"
    assert people["Owen Fairley"] == "counsel to the Harbour Board"
    assert quotes("ranks")[0][0] == "Owen Fairley"


def test_short_forms_are_the_same_person():
    """Class 4: Jim / James, "Ambassador Lund" / Karin Lund, "the minister" when one spoke."""
    assert list(speakers("short-forms")) == ["James Calloway", "Karin Lund", "Oren Falk"]
    assert [who for who, _ in quotes("short-forms")] == ["Karin Lund", "Oren Falk"]
    assert same_person("Jim Calloway", "James Calloway")
    assert same_person("Fred Ammon", "Frederick Ammon")
    assert not same_person("Karin Lund", "Nora Lund")


def test_transcript_labels_of_every_style_resolve_and_never_stay_in_the_text():
    """Class 5: timestamps, initials from the intro, capitals, labels run together, two
    speakers sharing a surname, and a label the page ties to nobody."""
    turns = [(q.speaker, q.text) for q in extract("transcript-labels").quotes]
    assert [who for who, _ in turns] == [
        "Paul Haas", "Karin Lund", "Nora Lund", "Paul Haas", "Karin Lund", "Nora Lund", None,
    ]  # fmt: skip
    assert ("Karin Lund", "With its cranes.") in turns
    assert ("Nora Lund", "And with its people.") in turns
    assert not any(re.match(r"(?:\d|[A-Z]{2,}:|Paul Haas|Nora Lund)", text) for _, text in turns)
    assert set(speakers("transcript-labels")) == {"Karin Lund", "Nora Lund", "Paul Haas"}


def test_committee_labels_resolve_the_chair_from_the_members_list():
    """Class 5: "Q12 Chair:", "The Chair:" and "Q13 NAME:" in oral evidence."""
    turns = [(q.speaker, q.text) for q in extract("committee").quotes]
    assert [who for who, _ in turns] == [
        "Ruth Carrow", "Ivo Brandt", "Tom Askew", "Ivo Brandt", "Ruth Carrow",
    ]  # fmt: skip
    assert turns[0][1].startswith("Good morning")
    assert "Lina Moor" not in speakers("committee")  # a member who did not speak


def test_the_speaker_named_only_in_the_quotes_own_sentence():
    """Class 6: "“…,” said NAME, ROLE." makes NAME a speaker with that role."""
    assert speakers("said-name-role") == {"Stanislav Orlov": "chairman of the forum's board"}
    assert quotes("said-name-role")[0][0] == "Stanislav Orlov"


def test_quotations_without_the_usual_frame():
    """Class 7: two words in reported speech, scare quotes, a dash quote, a statement after a
    colon, and a quote split around "he recalled"."""
    found = quotes("unframed")
    assert ("Ilse Varga", "unusually candid") in found
    assert not any("grey room" in text for _, text in found)
    assert ("Tomasz Brenner", "We will not sign a treaty this year") in found
    assert ("Ilse Varga", "Ports are cheaper to protect than to rebuild.") in found
    split = [who for who, text in found if "blockades" in text or "insurance letter" in text]
    assert split == ["Tomasz Brenner", "Tomasz Brenner"]


def test_run_in_labels_never_make_a_transcript():
    """Class 8: READ MORE:, WATCH:, KEEPING SCORE:, Related:, Photo: are not speakers."""
    event = extract("run-in")
    assert [s.name for s in event.speakers] == ["Ilse Varga"]
    assert [(q.kind, q.speaker) for q in event.quotes] == [("quote", "Ilse Varga")] * 2


def test_a_person_introduced_once_is_the_antecedent_of_a_later_surname_or_pronoun():
    """Class 9: "Sarah Kettle, who chairs the board, arrived late." … "Kettle said" / "she said";
    an office before the name is the role; a place is not a person."""
    people = speakers("introduced-once")
    assert people == {
        "Sarah Kettle": None,
        "Tom Varga": "Liberal leader",
        "Ama Osei": "Nova Scotia's chief medical examiner",
    }
    assert [who for who, _ in quotes("introduced-once")] == [
        "Sarah Kettle", "Sarah Kettle", "Tom Varga", "Ama Osei",
    ]  # fmt: skip


def test_words_of_people_not_at_the_event_stay_off_its_speakers():
    """Class 10: a letter read out is the reader's reading; a minister quoted from a radio
    interview is nobody at the event."""
    assert list(speakers("absent-words")) == ["Lena Brandt", "Tomasz Brenner"]
    found = quotes("absent-words")
    assert found[0][0] == "Lena Brandt"  # she read the letter out
    assert found[1][0] is None  # the minister, to a radio station, in 2023
    assert found[2][0] == "Tomasz Brenner"


def test_two_speakers_who_share_a_surname_are_told_apart_or_left_uncertain():
    """Class 5/9: the given name decides; a bare shared surname is never a confident guess."""
    event = extract("shared-surname")
    assert {s.name: s.role for s in event.speakers} == {
        "Ruth Abara": "Harbour Trust",
        "Marta Lindqvist": None,
        "Jonas Lindqvist": None,
    }
    first, second = event.quotes
    assert (first.speaker, first.attribution) == ("Marta Lindqvist", "confident")
    assert second.attribution in ("uncertain", "none")


def test_q_and_a_labels_are_the_interviewer_and_interviewee_the_introduction_names():
    """Class 5: "Q:" / "A:" with "NAME interviewed NAME" in the introduction."""
    event = extract("interview")
    assert [(q.kind, q.speaker) for q in event.quotes] == [
        ("turn", "Anna Berg"), ("turn", "Mikkel Dahl"), ("turn", "Anna Berg"), ("turn", "Mikkel Dahl"),
    ]  # fmt: skip
    assert event.quotes[1].text == "Older than I am, and I am not young."


def test_a_witness_whose_only_turn_runs_together_with_a_question_is_a_speaker():
    """Class 5: "…before the ice came? NAME: Because…" inside one paragraph is NAME's turn, and
    NAME spoke at the session though no label opens a paragraph with them."""
    assert list(speakers("run-together-witness")) == ["Pia Rautio", "Tom Askew", "Oskar Velde"]
    assert [who for who, _ in quotes("run-together-witness")][-1] == "Oskar Velde"


def test_the_people_a_panel_is_with_are_its_speakers():
    """Class 1: 'the panel "TITLE" with NAME, NAME, NAME, and NAME' names all four speakers,
    though the text goes on to report only two of them; a list of names is nobody's role."""
    assert speakers("panel-with") == {
        "Ines Marlow": "director of the Harbourline Institute",
        "Petter Sund": None,
        "Dag Ilves": None,
        "Rosa Keane": None,
    }


def test_a_name_glued_to_its_position_is_the_name_with_that_role():
    """Class 2: a name card's name and position run together with no space ("NAMEHarbour Gazette
    columnist, led off…") is the name billed in that role; "MacLeary" stays one name."""
    assert speakers("glued-name-role") == {
        "Lotta Kervinen": "Harbour Gazette columnist and Harbourline senior fellow",
        "Aidan MacLeary": "the port's chief engineer",
    }


def test_a_person_named_in_full_only_as_an_owner_is_the_antecedent_of_a_later_surname():
    """Class 9: "NAME’s opening remarks" and "Ambassador to the PLACE NAME’s new book" name NAME
    (the office and place are the role); a later "Ranvik said" or "asking Ambassador Dalby to
    describe…" makes them speakers. The owner of tariffs is not at the event (class 10)."""
    assert speakers("possessive-intro") == {
        "Mette Ranvik": None,
        "Henrik Dalby": "former Danish Ambassador to the Faroe Islands",
    }
    assert [who for who, _ in quotes("possessive-intro")] == ["Mette Ranvik", None]


def test_a_guest_welcomed_beside_another_with_a_who_is_clause_is_a_speaker_with_that_office():
    """Class 1: "welcome Mr NAME, ROLE, and NAME, who is the ROLE" welcomes two speakers, and
    the relative clause bills the second one's office (the minister, never named in full, is
    not one)."""
    assert speakers("welcome-who-is") == {
        "Elin Marsh": "Head of Ferry Contracts at the transport ministry"
    }


def test_a_guest_the_host_thanks_for_being_with_us_is_a_speaker():
    """Class 9: "Thank you for being with us, Deputy Minister SURNAME." makes the person the page
    named in full with that surname a speaker, with the office billed before their name."""
    assert speakers("thanked-guest") == {
        "Tove Aasland": "director of outreach at the Harbourline Institute",
        "Jens Holberg": "Deputy Fisheries Minister",
        "Rune Vik": None,
    }


def test_roles_read_across_a_paragraph_that_stops_mid_sentence():
    """Class 5: a transcript wrapped at a fixed width breaks sentences over paragraphs ("I’m
    NAME from" / "the Institute, and…", "NAME, the" / "editor of…"); the roles run on."""
    assert speakers("wrapped-transcript") == {
        "Ola Brenna": "the Harbourline Institute",
        "Siv Lunde": "the editor of the Coastal Review",
    }


def test_a_speakers_table_row_is_one_person_and_a_hosts_cell_lists_each_host():
    """Listed speakers: a row "NAME | Co-founder, Baltic Underwriters" or a card of a name and a
    position is one person with that role, never a second person named by the role; a field
    "<b>NAME</b>, ROLE<br><b>NAME</b>" bills the first host's role to the first host only."""
    assert speakers("speakers-table") == {
        "Greta Holm": "director of the Harbourline Institute",
        "Anselm Varga": None,
        "Mirela Dunca": "Co-founder, Baltic Underwriters",
        "Jonas Teder": "The Coastal Review",
        "Petra Sand": "Editor, Harbour Gazette",
        "Kalle Rimm": "Partner, Rimm Shipping",
    }


def test_one_speakers_label_heads_every_row_of_speaker_cards():
    """Listed speakers: "Speakers" above rows of look-alike cards heads them all, the last row
    with a single card too."""
    assert speakers("speaker-card-rows") == {
        "Ilka Mertens": "Director, Polar Routes Programme",
        "Oskar Lind": "Harbour Master, Port of Vardby",
        "Signe Aho": "Senior Fellow",
        "Bram Keller": "Editor, Northern Shipping",
        "Vera Holt": "Chief Economist, Baltic Freight Union",
    }


def test_a_rank_in_parentheses_before_a_name_is_no_part_of_the_role_set_before_it():
    """Class 3: "and the ROLE, Capt (Retd) NAME" sets the role before the name; the rank and
    "(Retd)" between them are the name's form of address."""
    assert speakers("rank-in-parentheses")["Lena Voss"] == (
        "the Chief Hydrographer of the Harbour Authority"
    )


def test_a_self_introduction_gives_the_role_said_in_the_next_sentence():
    """Class 5: "My name is NAME. I’m the director of X." bills that role; "I’m NAME. I’m sorry we are
    late" after a name is no role."""
    assert speakers("self-intro-then-role") == {
        "Ola Brenna": "director of research at the Harbourline Institute",
        "Siv Lunde": None,
    }
