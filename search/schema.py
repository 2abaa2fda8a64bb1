"""The store's schema and its numbered migrations, counted in `PRAGMA user_version`.

`migrate` brings any podium.db up to `LATEST`, one migration per transaction, each run once:
migration 1 is the schema as it stood before numbering (a database made then has the tables
already, with or without the columns added since, and is taken in as it is); every change
after it is a new numbered step appended to `MIGRATIONS`, never an edit of an old one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from .identity import family_key

BASELINE = """
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    url TEXT,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    organisation TEXT,
    venue TEXT,
    event_date TEXT,
    published TEXT,
    genre TEXT,
    place TEXT,
    site_name TEXT,
    language TEXT,
    current_version INTEGER NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    event_id TEXT NOT NULL REFERENCES events(id),
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    raw_sha256 TEXT,
    fetched_at TEXT,
    ingested_at TEXT NOT NULL,
    data TEXT NOT NULL,              -- the extracted Event as JSON, for this version
    PRIMARY KEY (event_id, version)
);
CREATE TABLE IF NOT EXISTS speakers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL               -- the fullest spelling seen
);
CREATE TABLE IF NOT EXISTS speaker_names (
    speaker_id TEXT NOT NULL REFERENCES speakers(id),
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (speaker_id, name)
);
CREATE INDEX IF NOT EXISTS speaker_names_key ON speaker_names(key);
CREATE TABLE IF NOT EXISTS event_speakers (
    event_id TEXT NOT NULL REFERENCES events(id),
    speaker_id TEXT NOT NULL REFERENCES speakers(id),
    name TEXT NOT NULL,              -- as given at this event
    role TEXT,                       -- as billed at this event
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, speaker_id)
);
CREATE TABLE IF NOT EXISTS passages (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    paragraph INTEGER NOT NULL,
    position INTEGER NOT NULL,
    start INTEGER,
    speaker TEXT,
    speaker_id TEXT,
    confidence REAL NOT NULL DEFAULT 0,
    rule TEXT NOT NULL DEFAULT '',
    first_version INTEGER NOT NULL,
    last_version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_event ON passages(event_id, last_version);
CREATE INDEX IF NOT EXISTS passages_speaker ON passages(speaker_id);
CREATE TABLE IF NOT EXISTS corrections (
    passage_id TEXT PRIMARY KEY,
    speaker TEXT,                    -- NULL: nobody said it
    speaker_id TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pages (   -- crawl state: one row per URL a source crawls
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    event_id TEXT,
    etag TEXT,
    last_modified TEXT,
    outcome TEXT,                    -- new | changed | unchanged | removed | failed | skipped
    http_status INTEGER,
    error TEXT,
    checked_at TEXT,
    run_id INTEGER
);
CREATE INDEX IF NOT EXISTS pages_source ON pages(source);
CREATE TABLE IF NOT EXISTS discovery (  -- listings, sitemaps, feeds: validators and what they held
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    found TEXT NOT NULL,             -- JSON [links, more pages or child sitemaps]
    checked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    state TEXT NOT NULL,             -- running | done | failed
    summary TEXT,                    -- JSON: counts, bytes, seconds
    error TEXT
);
CREATE TABLE IF NOT EXISTS saved_searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    query TEXT NOT NULL,
    filters TEXT NOT NULL,           -- JSON: speaker, org, from, to, kind
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending_index (  -- events stored but not yet in the index
    event_id TEXT PRIMARY KEY,
    token TEXT NOT NULL               -- new on every mark: a clear removes only the mark it saw
);
CREATE TABLE IF NOT EXISTS alerts (
    search_id INTEGER NOT NULL REFERENCES saved_searches(id) ON DELETE CASCADE,
    passage_id TEXT NOT NULL,
    run_id INTEGER,
    found_at TEXT NOT NULL,
    PRIMARY KEY (search_id, passage_id)
);
"""
# Columns added to tables before migrations were numbered: (table, column, type). A database
# made before numbering may lack any of them.
BASELINE_ADDED_COLUMNS = [
    ("versions", "warc_file", "TEXT"),
    ("versions", "warc_offset", "INTEGER"),
    ("events", "origin", "TEXT"),  # web:<site> or file:<hash>; NULL: made before origins
]


def _baseline(db: sqlite3.Connection) -> None:
    """1: the tables as they stood before numbering (kept as they are where they exist)."""
    for statement in BASELINE.split(";"):
        if statement.strip():
            db.execute(statement)
    for table, column, kind in BASELINE_ADDED_COLUMNS:
        if column not in _columns(db, table):
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


def _speaker_family_keys(db: sqlite3.Connection) -> None:
    """2: every spelling's family key, indexed, so finding a name's namesakes is a lookup, not
    a scan of every spelling for a surname fragment."""
    db.execute("ALTER TABLE speaker_names ADD COLUMN family TEXT NOT NULL DEFAULT ''")
    rows = db.execute("SELECT rowid, name FROM speaker_names").fetchall()
    db.executemany(
        "UPDATE speaker_names SET family = ? WHERE rowid = ?",
        [(family_key(name), rowid) for rowid, name in rows],
    )
    db.execute("CREATE INDEX speaker_names_family ON speaker_names(family)")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_baseline, _speaker_family_keys]
LATEST = len(MIGRATIONS)


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def user_version(db: sqlite3.Connection) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite3.Connection) -> int:
    """Run the migrations `db` has not had yet, each in its own transaction with the version
    bump (another process migrating at the same time waits, then finds nothing to do).
    Returns the version reached."""
    while (done := user_version(db)) < LATEST:
        db.execute("BEGIN IMMEDIATE")
        try:
            if user_version(db) == done:  # not migrated by another process meanwhile
                MIGRATIONS[done](db)
                db.execute(f"PRAGMA user_version = {done + 1}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return user_version(db)
