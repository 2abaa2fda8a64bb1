"""The store's schema over time and its connections: numbered migrations bring a podium.db made
before them up to date with its data intact; the web's read-only store cannot write; speaker
identity is decided over loaded candidates; an event's passages come with roles in one query."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_store import make_event, save

from podium.config import Home
from podium.identity import KnownName, family_key, match_speaker
from podium.models import Speaker
from podium.schema import LATEST
from podium.store import Store
from podium.web import create_app

BEFORE_MIGRATIONS = Path(__file__).parent / "fixtures" / "podium_before_migrations.sql"


@pytest.fixture
def home(tmp_path) -> Home:
    return Home.resolve(tmp_path).ensure()


def old_home(home: Home) -> Home:
    """A home whose podium.db was made by the store before numbered migrations."""
    with sqlite3.connect(home.db_path) as db:
        db.executescript(BEFORE_MIGRATIONS.read_text())
    return home


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA user_version").fetchone()[0]


def test_a_database_made_before_migrations_opens_migrated_with_its_data(home):
    old_home(home)
    assert user_version(home.db_path) == 0
    with Store.open(home) as store:
        [event] = store.browse_events(10)
        full = store.get_event(event.id)
        assert full.title == "A Turning Point" and full.event_date == "2023-05-30"
        assert [(s.name, s.role) for s in full.speakers] == [
            ("Hasan Ünal", "a professor at Maltepe"),
            ("Lena Ortiz", "chair"),
        ]
        quote = next(p for p in full.passages if p.kind == "quote")
        assert (quote.speaker, quote.rule, quote.role) == (
            "Lena Ortiz",
            "editor correction",
            "chair",
        )
        assert store.cite_record(quote.id).accessed == "2024-01-02"
        [run] = store.runs()
        assert (run.state, run.summary) == ("done", {"new": 1})
        assert store.page_state("https://forum.example/events/turning-point/").etag == '"v1"'
        [saved] = store.saved_searches()
        assert (saved.query, saved.alerts) == ("turning point", 1)
        assert [a.id for a in store.alerts(saved.id)] == [quote.id]
        # a new spelling of a person stored before migrating is found by the new family key
        later = save(
            store,
            make_event(
                url="https://forum.example/events/later/",
                speakers=[Speaker("Hasan Unal", "dean")],
                sentences=[],
            ),
        )
        [hasan] = store.get_event(later.event_id).speakers
        assert hasan.id == full.speakers[0].id
    assert user_version(home.db_path) == LATEST


def test_migrations_run_once(home):
    with Store.open(home) as store:
        save(store, make_event())
    with Store.open(home) as store:  # reopening migrates nothing and loses nothing
        assert store.counts()["events"] == 1
    assert user_version(home.db_path) == LATEST


def test_a_database_from_a_newer_podium_is_refused_plainly(home):
    Store.open(home).close()
    with sqlite3.connect(home.db_path) as db:
        db.execute(f"PRAGMA user_version = {LATEST + 1}")
    with pytest.raises(Exception, match="made by a newer Podium"):
        Store.open(home)


def test_a_read_only_store_reads_but_cannot_write(home):
    with Store.open(home) as store:
        saved = save(store, make_event())
    with Store.open_readonly(home) as reader:
        assert reader.get_event(saved.event_id).title == "A Turning Point"
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.add_saved_search("anything", {})
        quote = next(p for p in reader.get_event(saved.event_id).passages if p.text)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.correct(quote.id, "Lena Ortiz")


def test_the_web_app_reads_an_old_database_and_its_store_cannot_write(home):
    old_home(home)
    app = create_app({"PODIUM_HOME": str(home.root)})
    client = app.test_client()
    assert client.get("/events").status_code == 200
    assert "A Turning Point" in client.get("/events").get_data(as_text=True)
    from podium.web.context import get_store

    with app.app_context():
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            get_store().add_saved_search("anything", {})


def test_identity_is_decided_over_the_candidates_given():
    known = [KnownName("s1", "Hasan Ünal"), KnownName("s2", "Lena Ortiz")]
    assert match_speaker("Hasan Unal", known) == "s1"
    assert match_speaker("Anna Ortiz", known) is None  # a shared surname is not enough
    assert match_speaker("Hasan Unal", []) is None
    # a spelling with the very same key wins over a merely similar one listed first
    assert match_speaker("Andrei Bystritsky", [KnownName("a", "A. Bystritsky"),
                                               KnownName("b", "Andrey Bystritskiy")]) == "b"  # fmt: skip
    assert family_key("Hasan Ünal") == family_key("Hasan Unal")


def test_an_events_passages_and_their_roles_take_a_fixed_number_of_queries(home):
    with Store.open(home) as store:
        saved = save(store, make_event())
        statements: list[str] = []
        store.db.set_trace_callback(statements.append)
        event = store.get_event(saved.event_id)
        store.db.set_trace_callback(None)
    assert len(event.passages) == 3
    assert len(statements) <= 4  # the event, its speakers, its versions, its passages
    [quote] = [p for p in event.passages if p.kind == "quote"]
    assert quote.role == "a professor at Maltepe"


def test_a_saved_searchs_alerts_are_read_in_one_query_newest_first(home):
    with Store.open(home) as store:
        saved = save(store, make_event())
        pids = [p.id for p in store.get_event(saved.event_id).passages]
        sid = store.add_saved_search("turning point", {})
        store.add_alerts(sid, pids, None)
        statements: list[str] = []
        store.db.set_trace_callback(statements.append)
        alerts = store.alerts(sid)
        store.db.set_trace_callback(None)
    assert sorted(a.id for a in alerts) == sorted(pids) and len(statements) == 1
    [quote] = [a for a in alerts if a.kind == "quote"]
    assert (quote.speaker, quote.role) == ("Hasan Ünal", "a professor at Maltepe")


def test_a_reindex_of_a_database_made_before_migrations_keeps_its_people_findable(home):
    from podium_cli import podium

    old_home(home)  # never opened by this code: the reindex is the first to read it
    podium(home.root, "reindex", "--from-archive")
    with Store.open(home) as store:
        [event] = store.browse_events(10)
        hasan = store.get_event(event.id).speakers[0]
        later = save(
            store,
            make_event(
                url="https://forum.example/events/later/",
                speakers=[Speaker("H. Unal", "dean")],  # another key, the same family
                sentences=[],
            ),
        )
        assert store.get_event(later.event_id).speakers[0].id == hasan.id


def test_a_column_a_later_migration_adds_breaks_no_reader(home):
    """Readers take the columns their records name: a table that grew keeps answering."""
    old_home(home)
    with Store.open(home) as store:
        tables = [r[0] for r in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]  # fmt: skip
        for table in tables:
            store.db.execute(f"ALTER TABLE {table} ADD COLUMN later TEXT DEFAULT 'x'")
        [listed] = store.browse_events(10)
        event = store.get_event(listed.id)
        quote = next(p for p in event.passages if p.kind == "quote")
        assert store.get_passage(quote.id).text == quote.text
        assert store.get_speaker(event.speakers[0].id).name == "Hasan Ünal"
        assert store.browse_speakers(10) and store.event_versions(event.id)
        assert store.runs()[0].state == "done"
        assert store.page_state("https://forum.example/events/turning-point/").etag == '"v1"'
        [saved] = store.saved_searches()
        assert [a.id for a in store.alerts(saved.id)] == [quote.id]
