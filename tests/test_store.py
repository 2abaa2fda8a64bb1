"""The store: versions, stable ids, speaker identities, corrections, pinned citations."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from podium.config import Home
from podium.ids import event_id_for
from podium.ingest import build_passages
from podium.models import Event, Quote, Sentence, Speaker
from podium.store import Store


def make_event(**changes) -> Event:
    para0 = "Hasan Ünal, a professor at Maltepe, said “the vote was a turning point,” he said."
    event = Event(
        source="sample.html",
        url="https://forum.example/events/turning-point/",
        title="A Turning Point",
        organisation="Meridian Forum",
        event_date="2023-05-30",
        speakers=[Speaker("Hasan Ünal", "a professor at Maltepe"), Speaker("Lena Ortiz", "chair")],
        paragraphs=[para0, "Lena Ortiz closed the session."],
        quotes=[Quote("the vote was a turning point,", "Hasan Ünal", 0, start=para0.index("the"))],
        sentences=[
            Sentence(0, 0, para0, "Hasan Ünal", 0.9, "name-before"),
            Sentence(1, 0, "Lena Ortiz closed the session.", None, 0.0, ""),
        ],
    )
    return dataclasses.replace(event, **changes)


def save(store: Store, event: Event):
    eid = event_id_for(event)
    return store.save_event(
        event, build_passages(eid, event), fetched_at="2024-01-02T03:04:05+00:00"
    )


@pytest.fixture
def store(tmp_path):
    with Store.open(Home.resolve(tmp_path).ensure()) as s:
        yield s


def test_reingesting_the_same_page_keeps_ids_and_adds_no_version(store):
    first = save(store, make_event())
    ids = [p.id for p in store.get_event(first.event_id).passages]
    again = save(store, make_event())
    assert (first.status, again.status) == ("new", "unchanged")
    assert again.version == 1
    assert [p.id for p in store.get_event(first.event_id).passages] == ids


def test_a_changed_page_is_a_new_version_and_old_citations_still_resolve(store):
    first = save(store, make_event())
    old_quote = next(p for p in store.get_event(first.event_id).passages if p.kind == "quote")
    edited = make_event(
        paragraphs=["Hasan Ünal said “the vote changed everything,” he said.", "Closing."],
        quotes=[Quote("the vote changed everything,", "Hasan Ünal", 0, start=17)],
        sentences=[],
    )
    second = save(store, edited)
    assert (second.status, second.version) == ("changed", 2)
    current = {p.text for p in store.get_event(first.event_id).passages}
    assert "the vote changed everything," in current
    assert "the vote was a turning point," not in current
    pinned = store.cite_record(old_quote.id)
    assert pinned.version == 1 and pinned.text == "the vote was a turning point,"
    assert "turning point" in pinned.paragraph_text
    assert pinned.accessed == "2024-01-02"


def test_spellings_of_one_person_share_one_speaker_with_roles_per_event(store):
    save(store, make_event())
    save(
        store,
        make_event(
            url="https://forum.example/events/later/",
            speakers=[Speaker("Hasan Unal", "dean of political science")],
            quotes=[Quote("the vote was a turning point,", "Hasan Unal", 0, start=10)],
            sentences=[],
        ),
    )
    [person] = store.list_speakers("Unal")
    assert set(person.names) == {"Hasan Ünal", "Hasan Unal"}
    roles = {e.role for e in store.get_speaker(person.id).events}
    assert roles == {"a professor at Maltepe", "dean of political science"}


def test_two_people_sharing_a_surname_stay_apart(store):
    save(store, make_event(speakers=[Speaker("Anna Ortiz", "x"), Speaker("Lena Ortiz", "y")]))
    assert {s.name for s in store.list_speakers("Ortiz")} == {"Anna Ortiz", "Lena Ortiz"}


def test_a_correction_survives_reingest_and_reaches_the_index_docs(store):
    saved = save(store, make_event())
    quote = next(p for p in store.get_event(saved.event_id).passages if p.kind == "quote")
    store.correct(quote.id, "Lena Ortiz")
    save(store, make_event())
    doc = next(d for d in store.iter_index_docs() if d.id == quote.id)
    assert doc.speaker == "Lena Ortiz" and doc.corrected and doc.role == "chair"
    assert store.get_passage(quote.id).rule == "editor correction"
    store.correct(quote.id, None)
    assert store.get_passage(quote.id).speaker is None


def test_the_store_is_a_plain_sqlite_file(store):
    save(store, make_event())
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT title FROM events").fetchone() == ("A Turning Point",)
