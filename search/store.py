"""The store: SQLite, the source of truth. Events, their versions, speakers, passages, corrections.

* Every ingest of a page whose extracted content changed becomes a new **version**; the old
  version's data and passages stay, so a citation pinned to it still resolves.
* Passage ids are stable (a hash of event, kind, text and occurrence), so re-ingesting the same
  page gives the same ids and links survive. A passage is *current* while it appears in its
  event's current version.
* One speaker row per person across events, with every spelling seen; the role is stored per
  event (a person's role in 2016 is not their role in 2023).
* The index is a view of this store (`iter_index_docs`), rebuildable at any time. Every write
  the index must see marks its event in `pending_index` in the same transaction; the mark is
  cleared only once the index has committed that event (`clear_pending`), so after a crash
  the store says what the index is missing.
* Each event remembers its `origin` (the web site or local file that first created it); a
  version from any other origin is refused (`check_origin`).

`Store` is one connection whose SQL is split by job: events, versions, passages, speakers,
corrections and citation records here; crawl state in `crawl_state` and saved searches and
alerts in `saved_searches` (classes `Store` inherits, sharing its connection); the schema and
its numbered migrations in `schema`. Who a name
belongs to is decided in `identity` (no SQL); the store only loads the candidates and saves.
A store opened read-only (`Store.open_readonly`, what the web serves from) cannot write.

A home's writers (`Store.open`) share a lock that `podium reindex --from-archive` takes alone
(`Store.replacing`) while it rebuilds the database beside the live one and swaps it in: no
write can land in the file being replaced, and a reindex does not start while one runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import identity
from .config import Home
from .crawl_state import CrawlState
from .ids import event_id_for, stable_hash
from .locks import hold
from .models import CiteRecord, Event, IndexDoc, Passage, PodiumError, now_iso
from .read_models import (
    EventListing,
    EventSpeaker,
    EventVersion,
    PassageDetail,
    SpeakerEvent,
    SpeakerListing,
    SpeakerSummary,
    StoredEvent,
    StoredPassage,
    StoredSpeaker,
)
from .saved_searches import SavedSearches
from .schema import LATEST, migrate, user_version
from .speakers import name_key
from .vocabulary import OWN_WORDS

_OWN_WORDS_SQL = "(" + ", ".join(f"'{kind}'" for kind in OWN_WORDS) + ")"  # for IN (…)


@dataclass
class SaveResult:
    event_id: str
    version: int
    status: str  # "new" | "changed" | "unchanged"


class OriginConflict(PodiumError):
    """A page that would become a version of an event another origin created."""


def content_hash(event: Event) -> str:
    """What counts as a change: the extracted content, not the page's markup or ads."""
    data = event.to_json()
    data.pop("source", None)
    return stable_hash(json.dumps(data, sort_keys=True, ensure_ascii=False))


# What a citation reads of a version's extracted event (models.Event's fields)
CITED_FIELDS = ("title", "url", "organisation", "site_name", "genre", "place", "event_date",
                "published", "language")  # fmt: skip
_CITED_COLUMNS = ", ".join(f"json_extract(data, '$.{f}') AS {f}" for f in CITED_FIELDS)


def _record(rid: str, cited: dict, version: int, **passage) -> CiteRecord:
    """A citation record from a version's cited fields and, for a passage, its own."""
    return CiteRecord(
        id=rid,
        title=cited["title"] or "",
        url=cited["url"],
        organisation=cited["organisation"],
        site_name=cited["site_name"],
        genre=cited["genre"],
        place=cited["place"],
        event_date=cited["event_date"] or cited["published"],
        accessed=(cited["fetched_at"] or "")[:10] or None,
        version=version,
        paragraph_text=cited["paragraph"],
        language=(cited["language"] or "en")[:2] or "en",
        **passage,
    )


REPLACE_WAIT = 600.0  # seconds a writer waits for a reindex to swap the store in


def _replace_lock(home: Home) -> Path:
    return home.db_path.with_name(home.db_path.name + ".lock")


def _schema_version(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)) as db:
        return user_version(db)


class Store(CrawlState, SavedSearches):
    """One SQLite connection to a home's podium.db: writable (migrated to the latest schema on
    opening) or, with `readonly`, a reader that SQLite itself stops from writing."""

    _lock: int | None = None  # the descriptor of a writer's shared lock (`open`)

    def __init__(self, path: Path, *, readonly: bool = False):
        self.path = path
        if readonly:
            uri = path.resolve().as_uri() + "?mode=ro"
            self.db = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=30, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys=ON")
        version = user_version(self.db) if readonly else migrate(self.db)
        if version != LATEST:
            self.db.close()
            remedy = (
                "it was made by a newer Podium"
                if version > LATEST
                else "a command that writes (podium index) migrates it"
            )
            raise PodiumError(
                f"{path.name} has schema version {version}, this Podium reads {LATEST}: {remedy}"
            )

    @classmethod
    def open(cls, home: Home) -> Store:
        """The home's store, for writing (waiting up to REPLACE_WAIT for a reindex's swap)."""
        lock = hold(_replace_lock(home), lambda pid: (
            f"podium reindex --from-archive (pid {pid}) is replacing the store; waited "
            f"{REPLACE_WAIT:.0f} s, try again when it is done"), shared=True, wait=REPLACE_WAIT)  # fmt: skip
        try:
            store = cls(home.db_path)
        except BaseException:
            os.close(lock)
            raise
        store._lock = lock
        return store

    @staticmethod
    @contextlib.contextmanager
    def replacing(home: Home) -> Iterator[None]:
        """Hold the home's store alone (no `Store.open` writer), for replacing its file."""
        lock = hold(_replace_lock(home), lambda pid: (
            "the store is being written (an ingest, crawl, correction or serve start-up is "
            "running); try again when it is done"))  # fmt: skip
        try:
            yield
        finally:
            os.close(lock)  # closing the descriptor releases the lock

    @classmethod
    def open_readonly(cls, home: Home) -> Store:
        """The home's store for reading only (the database must exist, migrated)."""
        return cls(home.db_path, readonly=True)

    @classmethod
    def open_reader(cls, home: Home) -> Store:
        """The home's store for a command that only reads: read-only, so it neither holds up
        nor waits for a reindex; a missing or older database is made or migrated first."""
        if not home.db_path.exists() or _schema_version(home.db_path) != LATEST:
            cls.open(home).close()
        return cls.open_readonly(home)

    def close(self) -> None:
        self.db.close()
        lock, self._lock = self._lock, None
        if lock is not None:
            os.close(lock)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------

    def save_event(
        self,
        event: Event,
        passages: list[Passage],
        *,
        raw_sha256: str | None = None,
        fetched_at: str | None = None,
        archived: tuple[str, int] | Callable[[], tuple[str, int]] | None = None,
        origin: str | None = None,
    ) -> SaveResult:
        """Store one extracted page: a new event, a new version of it, or nothing new.

        `archived`: where the page's bytes are in the WARC, or a function that archives them
        and says where, called only when a version is written (so a page that changes
        nothing, or that is refused, is not archived again). `origin` (web:<site> or
        file:<hash>) is recorded with a new event; a version from another origin raises
        OriginConflict. A new or changed event is marked to be indexed."""
        eid = passages[0].event_id if passages else event_id_for(event)
        digest = content_hash(event)
        now = now_iso()
        with self.db:
            self.check_origin(eid, origin)
            if origin:  # an event stored before origins belongs to the first that writes it
                self.db.execute(
                    "UPDATE events SET origin = ? WHERE id = ? AND origin IS NULL", (origin, eid)
                )
            row = self.db.execute(
                "SELECT current_version, removed FROM events WHERE id = ?", (eid,)
            ).fetchone()
            if row:
                current = self.db.execute(
                    "SELECT content_hash FROM versions WHERE event_id = ? AND version = ?",
                    (eid, row["current_version"]),
                ).fetchone()
                if current and current["content_hash"] == digest:
                    self.db.execute(
                        "UPDATE events SET last_seen = ?, removed = 0 WHERE id = ?", (now, eid)
                    )
                    return SaveResult(eid, row["current_version"], "unchanged")
                version, status = row["current_version"] + 1, "changed"
            else:
                version, status = 1, "new"
            if callable(archived):
                archived = archived()
            fields = dict(
                url=event.url,
                source=event.source,
                title=event.title,
                organisation=event.organisation,
                venue=event.venue,
                event_date=event.event_date,
                published=event.published,
                genre=event.genre,
                place=event.place,
                site_name=event.site_name,
                language=event.language,
            )
            if row:
                sets = ", ".join(f"{k} = :{k}" for k in fields)
                self.db.execute(
                    f"UPDATE events SET {sets}, current_version = :version, removed = 0, "
                    "last_seen = :now WHERE id = :id",
                    {**fields, "version": version, "now": now, "id": eid},
                )
            else:
                cols = ", ".join(fields)
                marks = ", ".join(f":{k}" for k in fields)
                self.db.execute(
                    f"INSERT INTO events (id, {cols}, current_version, first_seen, last_seen, "
                    f"origin) VALUES (:id, {marks}, :version, :now, :now, :origin)",
                    {**fields, "id": eid, "version": version, "now": now, "origin": origin},
                )
            self._mark_pending(eid)
            warc_file, warc_offset = archived or (None, None)
            self.db.execute(
                "INSERT INTO versions (event_id, version, content_hash, raw_sha256, fetched_at, "
                "ingested_at, data, warc_file, warc_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    eid,
                    version,
                    digest,
                    raw_sha256,
                    fetched_at or now,
                    now,
                    json.dumps(event.to_json(), ensure_ascii=False),
                    warc_file,
                    warc_offset,
                ),
            )
            speaker_ids = self._save_speakers(eid, event)
            for p in passages:
                sid = None
                if p.speaker:
                    sid = speaker_ids.get(p.speaker) or self._speaker_id(p.speaker)
                self.db.execute(
                    "INSERT INTO passages (id, event_id, kind, text, paragraph, position, start, "
                    "speaker, speaker_id, confidence, rule, first_version, last_version) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET paragraph = excluded.paragraph, "
                    "position = excluded.position, start = excluded.start, "
                    "speaker = excluded.speaker, speaker_id = excluded.speaker_id, "
                    "confidence = excluded.confidence, rule = excluded.rule, "
                    "last_version = excluded.last_version",
                    (
                        p.id,
                        eid,
                        p.kind,
                        p.text,
                        p.paragraph,
                        p.position,
                        p.start,
                        p.speaker,
                        sid,
                        p.confidence,
                        p.rule,
                        version,
                        version,
                    ),
                )
        return SaveResult(eid, version, status)

    def event_origin(self, event_id: str) -> tuple[str | None, str] | None:
        """(origin, source) of an event (origin None: stored before origins), None if unknown."""
        row = self.db.execute(
            "SELECT origin, source FROM events WHERE id = ?", (event_id,)
        ).fetchone()
        return (row["origin"], row["source"]) if row else None

    def check_origin(self, event_id: str, origin: str | None) -> None:
        """Raise OriginConflict if the event exists and another origin created it."""
        known = self.event_origin(event_id)
        if known and origin and known[0] and known[0] != origin:
            raise OriginConflict(
                f"refused: this page claims event {event_id}, which was first seen from "
                f"another origin ({known[0].split(':')[0]})"
            )

    def _mark_pending(self, event_id: str) -> None:
        """Within the caller's transaction: the index must (re)read this event."""
        self.db.execute(
            "INSERT INTO pending_index (event_id, token) VALUES (?, ?) "
            "ON CONFLICT(event_id) DO UPDATE SET token = excluded.token",
            (event_id, uuid.uuid4().hex),
        )

    def pending_index(self) -> list[tuple[str, str]]:
        """(event id, mark) of every event stored but not yet in the index."""
        rows = self.db.execute("SELECT event_id, token FROM pending_index ORDER BY event_id")
        return [(r[0], r[1]) for r in rows]

    def clear_pending(self, marks: Iterable[tuple[str, str]]) -> None:
        """The index has committed these events as they were when `marks` were read."""
        with self.db:
            self.db.executemany(
                "DELETE FROM pending_index WHERE event_id = ? AND token = ?", list(marks)
            )

    def _save_speakers(self, event_id: str, event: Event) -> dict[str, str]:
        """Link the event's speakers to person rows (merging spellings); name -> speaker id."""
        self.db.execute("DELETE FROM event_speakers WHERE event_id = ?", (event_id,))
        ids: dict[str, str] = {}
        for position, sp in enumerate(event.speakers):
            sid = self._speaker_id(sp.name)
            ids[sp.name] = sid
            self.db.execute(
                "INSERT OR IGNORE INTO event_speakers (event_id, speaker_id, name, role, position) "
                "VALUES (?, ?, ?, ?, ?)",
                (event_id, sid, sp.name, sp.role, position),
            )
        return ids

    def _speaker_id(self, name: str) -> str:
        """The person row for a name: an existing one if this is a spelling of them, else new."""
        key, family = name_key(name), identity.family_key(name)
        known = [
            identity.KnownName(r["speaker_id"], r["name"])
            for r in self.db.execute(
                "SELECT speaker_id, name FROM speaker_names WHERE key = ? OR family = ? "
                "ORDER BY rowid",
                (key, family),
            )
        ]
        sid = identity.match_speaker(name, known)
        if sid is None:
            sid = identity.new_speaker_id(name)
            self.db.execute("INSERT OR IGNORE INTO speakers (id, name) VALUES (?, ?)", (sid, name))
        self.db.execute(
            "INSERT OR IGNORE INTO speaker_names (speaker_id, name, key, family) "
            "VALUES (?, ?, ?, ?)",
            (sid, name, key, family),
        )
        self.db.execute(  # the person is named by their fullest spelling
            "UPDATE speakers SET name = ? WHERE id = ? AND length(name) < length(?)",
            (name, sid, name),
        )
        return sid

    def correct(self, pid: str, speaker: str | None) -> PassageDetail:
        """Record an editor's correction of who said a passage (None: nobody at the event)."""
        if not self.db.execute("SELECT 1 FROM passages WHERE id = ?", (pid,)).fetchone():
            raise KeyError(pid)
        with self.db:
            sid = self._speaker_id(speaker) if speaker else None
            self.db.execute(
                "INSERT INTO corrections (passage_id, speaker, speaker_id, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(passage_id) DO UPDATE SET "
                "speaker = excluded.speaker, speaker_id = excluded.speaker_id, "
                "created_at = excluded.created_at",
                (pid, speaker, sid, now_iso()),
            )
            event_id = self.db.execute("SELECT event_id FROM passages WHERE id = ?", (pid,))
            self._mark_pending(event_id.fetchone()[0])
        return self.get_passage(pid)

    # --- reading -------------------------------------------------------------------------

    _PASSAGE_SQL = """
        SELECT p.*, e.title AS event_title, e.url, e.organisation, e.event_date, e.removed,
               e.current_version, e.venue, e.genre, e.place, e.site_name, e.language,
               c.passage_id IS NOT NULL AS corrected, c.speaker AS corrected_speaker,
               c.speaker_id AS corrected_speaker_id, es.role AS role
        FROM passages p JOIN events e ON e.id = p.event_id
        LEFT JOIN corrections c ON c.passage_id = p.id
        LEFT JOIN event_speakers es ON es.event_id = p.event_id AND es.speaker_id =
            CASE WHEN c.passage_id IS NULL THEN p.speaker_id ELSE c.speaker_id END
    """  # role: the speaker's (the corrected one's, if corrected) as billed at this event

    def _passage_row(self, pid: str) -> sqlite3.Row | None:
        return self.db.execute(self._PASSAGE_SQL + " WHERE p.id = ?", (pid,)).fetchone()

    def get_passage(self, pid: str) -> PassageDetail | None:
        row = self._passage_row(pid)
        if not row:
            return None
        cited = self._cited_version(row["event_id"], row["last_version"], row["paragraph"])
        return PassageDetail.from_row(row, paragraph_text=cited["paragraph"])

    def _cited_version(self, event_id: str, version: int, paragraph: int | None = None) -> dict:
        """What a citation reads of one version's extracted event (CITED_FIELDS), paragraph
        number `paragraph` of it, and when it was fetched; every value None when there is no
        such version. SQLite reads them out of the version's JSON: no whole event is parsed."""
        path = f"$.paragraphs[{paragraph}]" if paragraph is not None and paragraph >= 0 else None
        row = self.db.execute(
            f"SELECT {_CITED_COLUMNS}, json_extract(data, ?) AS paragraph, fetched_at "
            "FROM versions WHERE event_id = ? AND version = ?",
            (path, event_id, version),
        ).fetchone()
        names = (*CITED_FIELDS, "paragraph", "fetched_at")
        return dict(zip(names, row, strict=True)) if row else dict.fromkeys(names)

    def _version_data(self, event_id: str, version: int) -> dict | None:
        row = self.db.execute(
            "SELECT data FROM versions WHERE event_id = ? AND version = ?", (event_id, version)
        ).fetchone()
        return json.loads(row["data"]) if row else None

    def get_event(self, eid: str) -> StoredEvent | None:
        row = self.db.execute("SELECT * FROM events WHERE id = ?", (eid,)).fetchone()
        if not row:
            return None
        speakers = self.db.execute(
            "SELECT speaker_id AS id, name, role FROM event_speakers WHERE event_id = ? "
            "ORDER BY position",
            (eid,),
        )
        passages = self.db.execute(
            self._PASSAGE_SQL + " WHERE p.event_id = ? AND p.last_version = e.current_version "
            "ORDER BY p.position",
            (eid,),
        )
        return StoredEvent.of(
            row,
            removed=bool(row["removed"]),
            speakers=[EventSpeaker.of(r) for r in speakers],
            versions=self.event_versions(eid),
            passages=[StoredPassage.from_row(r) for r in passages],
        )

    def event_versions(self, eid: str) -> list[EventVersion]:
        """An event's versions, oldest first: when each was fetched and whether it is archived."""
        rows = self.db.execute(
            "SELECT version, fetched_at, ingested_at, content_hash, raw_sha256, "
            "warc_file IS NOT NULL AS archived FROM versions WHERE event_id = ? ORDER BY version",
            (eid,),
        )
        return [EventVersion.of(r) for r in rows]

    def panel_records(self, event_ids: Iterable[str]) -> Iterator[CiteRecord]:
        """One citation record per distinct citation the passages of these events' current
        versions have: the page's (no speaker) and each speaker's, a correction's included.
        Every other passage of the event cites as one of these."""
        for eid in event_ids:
            rows = self.db.execute(
                self._PASSAGE_SQL + " WHERE p.event_id = ? AND p.last_version = e.current_version",
                (eid,),
            )
            speakers: dict[str | None, StoredPassage] = {}
            for row in rows:
                passage = StoredPassage.from_row(row)
                speakers.setdefault(passage.speaker, passage)
            for passage in speakers.values():
                yield self._passage_citation(passage)

    def event_ids(self) -> list[str]:
        """Every event's id, newest first."""
        return [r[0] for r in self.db.execute("SELECT id FROM events ORDER BY rowid DESC")]

    def event_citation_ids(self, eid: str) -> list[str] | None:
        """What exporting an event cites: the page itself, then its quotes and turns in order."""
        if not self.db.execute("SELECT 1 FROM events WHERE id = ?", (eid,)).fetchone():
            return None
        rows = self.db.execute(
            "SELECT p.id FROM passages p JOIN events e ON e.id = p.event_id WHERE p.event_id = ? "
            f"AND p.last_version = e.current_version AND p.kind IN {_OWN_WORDS_SQL} "
            "ORDER BY p.position",
            (eid,),
        )
        return [eid] + [r["id"] for r in rows]

    def event_version(self, eid: str, version: int) -> dict | None:
        """The extracted event as it was in one version (for diffs and pinned citations)."""
        return self._version_data(eid, version)

    def get_speaker(self, sid: str) -> StoredSpeaker | None:
        row = self.db.execute("SELECT * FROM speakers WHERE id = ?", (sid,)).fetchone()
        if not row:
            return None
        names = self.db.execute(
            "SELECT name FROM speaker_names WHERE speaker_id = ? ORDER BY name", (sid,)
        )
        events = self.db.execute(
            "SELECT e.id, e.title, e.event_date AS date, e.organisation, e.url, "
            "es.name AS billed_as, es.role FROM event_speakers es "
            "JOIN events e ON e.id = es.event_id WHERE es.speaker_id = ? "
            "ORDER BY e.event_date DESC",
            (sid,),
        )
        passages = self.db.execute(
            self._PASSAGE_SQL + " WHERE coalesce(c.speaker_id, p.speaker_id) = ? "
            "AND p.last_version = e.current_version "
            f"AND p.kind IN {_OWN_WORDS_SQL} ORDER BY e.event_date DESC, p.position",
            (sid,),
        )
        return StoredSpeaker(
            id=row["id"],
            name=row["name"],
            names=[r["name"] for r in names],
            events=[SpeakerEvent.of(r) for r in events],
            passages=[StoredPassage.from_row(r) for r in passages],
        )

    def list_speakers(self, prefix: str = "", limit: int = 20) -> list[SpeakerSummary]:
        """Speakers any of whose spellings starts with `prefix` (or has a word that does)."""
        like_start, like_word = f"{prefix}%", f"% {prefix}%"
        rows = self.db.execute(
            "SELECT s.id, s.name, group_concat(DISTINCT n.name) AS names, "
            "(SELECT count(*) FROM event_speakers es WHERE es.speaker_id = s.id) AS events "
            "FROM speakers s JOIN speaker_names n ON n.speaker_id = s.id "
            "WHERE s.id IN (SELECT speaker_id FROM speaker_names "
            "               WHERE name LIKE ? OR name LIKE ? OR key LIKE ?) "
            "GROUP BY s.id ORDER BY events DESC, s.name LIMIT ?",
            (like_start, like_word, f"%{name_key(prefix)}%" if prefix else "%", limit),
        ).fetchall()
        return [
            SpeakerSummary(r["id"], r["name"], r["names"].split(","), r["events"]) for r in rows
        ]

    def counts(self) -> dict:
        one = self.db.execute
        return {
            "events": one("SELECT count(*) FROM events").fetchone()[0],
            "versions": one("SELECT count(*) FROM versions").fetchone()[0],
            "speakers": one("SELECT count(*) FROM speakers").fetchone()[0],
            "passages": one(
                "SELECT count(*) FROM passages p JOIN events e ON e.id = p.event_id "
                "WHERE p.last_version = e.current_version"
            ).fetchone()[0],
            "removed_events": one("SELECT count(*) FROM events WHERE removed = 1").fetchone()[0],
            "pending_index": one("SELECT count(*) FROM pending_index").fetchone()[0],
        }

    def iter_index_docs(self, event_ids: Iterable[str] | None = None) -> Iterator[IndexDoc]:
        """Every current passage as the index wants it (corrections applied)."""
        names: dict[str, list[str]] = {}
        for r in self.db.execute("SELECT speaker_id, name FROM speaker_names"):
            names.setdefault(r["speaker_id"], []).append(r["name"])
        sql = self._PASSAGE_SQL + " WHERE p.last_version = e.current_version"
        ids = list(event_ids) if event_ids is not None else None
        chunks = [ids[i : i + 500] for i in range(0, len(ids), 500)] if ids is not None else [None]
        for chunk in chunks:
            if chunk is None:
                rows = self.db.execute(sql + " ORDER BY p.event_id, p.position")
            else:
                marks = ",".join("?" * len(chunk))
                rows = self.db.execute(
                    sql + f" AND p.event_id IN ({marks}) ORDER BY p.event_id, p.position", chunk
                )
            for row in rows:
                p = StoredPassage.from_row(row)
                yield IndexDoc(
                    id=p.id,
                    event_id=p.event_id,
                    kind=p.kind,
                    text=p.text,
                    paragraph=p.paragraph,
                    position=p.position,
                    speaker=p.speaker,
                    speaker_id=p.speaker_id,
                    speaker_names=names.get(p.speaker_id, []) if p.speaker_id else [],
                    role=p.role,
                    confidence=p.confidence,
                    event_title=p.event_title,
                    organisation=p.organisation,
                    event_date=p.event_date,
                    url=p.url,
                    version=p.last_version,
                    removed=p.removed,
                    corrected=p.corrected,
                )

    def cite_record(self, pid: str, version: int | None = None) -> CiteRecord | None:
        """A citation of one passage (or, given an event id, of the event page), pinned to a version.

        `version` defaults to the latest version the passage appears in.
        """
        row = self._passage_row(pid)  # its paragraph comes from the version cited, read below
        p = StoredPassage.from_row(row) if row else None
        if p is None:
            event = self.db.execute(
                "SELECT current_version FROM events WHERE id = ?", (pid,)
            ).fetchone()
            if not event:
                return None
            v = version or event["current_version"]
            cited = self._cited_version(pid, v)
            return _record(pid, cited, v, speaker=None, role=None, text=None)
        return self._passage_citation(p, version)

    def _passage_citation(self, p: StoredPassage, version: int | None = None) -> CiteRecord:
        """A passage's citation record at `version` (default and outside its versions: the
        latest it appears in)."""
        v = version or p.last_version
        if not p.first_version <= v <= p.last_version:
            v = p.last_version
        cited = self._cited_version(p.event_id, v, p.paragraph)
        rec = _record(p.id, cited, v, speaker=p.speaker, role=p.role, text=p.text, kind=p.kind)
        rec.confidence = p.confidence  # 1.0 for an editor's correction
        return rec

    def mark_removed(self, event_id: str) -> None:
        """The page is gone from its site: kept, searchable and citable, marked removed."""
        with self.db:
            self.db.execute("UPDATE events SET removed = 1 WHERE id = ?", (event_id,))
            self._mark_pending(event_id)

    def version_archive(self, event_id: str, version: int) -> tuple[str, int] | None:
        row = self.db.execute(
            "SELECT warc_file, warc_offset FROM versions WHERE event_id = ? AND version = ?",
            (event_id, version),
        ).fetchone()
        if not row or row["warc_file"] is None:
            return None
        return row["warc_file"], row["warc_offset"]

    def added_passages(self, event_id: str, version: int) -> list[str]:
        """Passages that first appeared in this version of the event."""
        rows = self.db.execute(
            "SELECT id FROM passages WHERE event_id = ? AND first_version = ? ORDER BY position",
            (event_id, version),
        )
        return [r["id"] for r in rows]

    # --- browsing (the web's /events and /speakers pages) ------------------------------------

    def browse_events(self, limit: int, offset: int = 0) -> list[EventListing]:
        """Events newest first, a page at a time, with how many quotes and turns each holds."""
        rows = self.db.execute(
            "SELECT e.id, e.title, e.organisation, e.event_date AS date, e.removed, "
            "(SELECT count(*) FROM passages p WHERE p.event_id = e.id "
            f" AND p.last_version = e.current_version AND p.kind IN {_OWN_WORDS_SQL}) AS quotes "
            "FROM events e ORDER BY e.event_date IS NULL, e.event_date DESC, e.title "
            "LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [EventListing.of(r, removed=bool(r["removed"])) for r in rows]

    def browse_speakers(self, limit: int, offset: int = 0) -> list[SpeakerListing]:
        """Speakers by name, a page at a time, with how many events each spoke at."""
        rows = self.db.execute(
            "SELECT s.id, s.name, (SELECT count(*) FROM event_speakers es "
            "WHERE es.speaker_id = s.id) AS events FROM speakers s ORDER BY s.name LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [SpeakerListing.of(r) for r in rows]

    def last_updated(self) -> str | None:
        """When the store last took in a version of a page (UTC, ISO 8601), or None if never."""
        return self.db.execute("SELECT max(ingested_at) FROM versions").fetchone()[0]

    # --- a store rebuilt beside the live one (podium reindex --from-archive) ---------------

    KEPT_ON_REBUILD = ("corrections", "pages", "runs", "saved_searches", "alerts")
    # An event the rebuild did not bring back, row by row (parents before children).
    _LOST_SPEAKERS = (  # and the people only an editor's correction names
        "(SELECT speaker_id FROM old.event_speakers WHERE event_id IN lost "
        "UNION SELECT speaker_id FROM old.passages WHERE event_id IN lost "
        "UNION SELECT speaker_id FROM old.corrections WHERE speaker_id IS NOT NULL)"
    )
    # When an event and a fetch were first and last seen is history a re-extraction keeps.
    _KEPT_TIMES = (
        "UPDATE events SET "
        "first_seen = (SELECT o.first_seen FROM old.events o WHERE o.id = events.id), "
        "last_seen = (SELECT o.last_seen FROM old.events o WHERE o.id = events.id) "
        "WHERE id IN (SELECT id FROM old.events)",
        "UPDATE versions SET ingested_at = (SELECT o.ingested_at FROM old.versions o "
        "WHERE o.event_id = versions.event_id AND o.raw_sha256 = versions.raw_sha256 "
        "ORDER BY o.version LIMIT 1) WHERE EXISTS (SELECT 1 FROM old.versions o "
        "WHERE o.event_id = versions.event_id AND o.raw_sha256 = versions.raw_sha256)",
    )
    KEPT_EVENT_ROWS = (
        ("events", "id IN lost"),
        ("speakers", f"id IN {_LOST_SPEAKERS}"),
        ("speaker_names", f"speaker_id IN {_LOST_SPEAKERS}"),
        ("versions", "event_id IN lost"),
        ("event_speakers", "event_id IN lost"),
        ("passages", "event_id IN lost"),
    )  # fmt: skip

    def replace_live(self, live: Path) -> list[str]:
        """Put this store, rebuilt beside the live database file `live`, in its place, and
        close it; the ids of the events kept from the live file are returned.

        Carried over from the live file first: what only an editor or the crawler knows
        (corrections, crawl state, runs, saved searches and their alerts, which events were
        removed), and every event the rebuild did not bring back (a page that could not be
        re-read), whole: its versions, passages and speakers, waiting for the index. The
        live file is kept beside it as `<name>.before-reindex`."""
        kept: list[str] = []
        if live.exists():
            Store(live).close()  # migrated first, so its rows have this schema's columns
            self.db.execute("ATTACH DATABASE ? AS old", (str(live),))
            with self.db:
                self.db.execute(
                    "CREATE TEMP TABLE lost AS SELECT id FROM old.events "
                    "WHERE id NOT IN (SELECT id FROM main.events)"
                )
                kept = [row[0] for row in self.db.execute("SELECT id FROM lost ORDER BY id")]
                for table in self.KEPT_ON_REBUILD:
                    self._copy_rows(table, "INSERT OR REPLACE")
                for table, where in self.KEPT_EVENT_ROWS:
                    self._copy_rows(table, "INSERT OR IGNORE", where)
                for statement in self._KEPT_TIMES:
                    self.db.execute(statement)
                self.db.execute(
                    "INSERT INTO pending_index (event_id, token) SELECT id, ? FROM lost",
                    (uuid.uuid4().hex,),
                )
                self.db.execute(
                    "UPDATE events SET removed = 1 WHERE id IN "
                    "(SELECT id FROM old.events WHERE removed = 1)"
                )
                self.db.execute("DROP TABLE lost")
            self.db.execute("DETACH DATABASE old")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.close()
        if live.exists():
            with contextlib.closing(sqlite3.connect(live)) as old:
                old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            os.replace(live, live.with_name(f"{live.name}.before-reindex"))
        os.replace(self.path, live)
        return kept

    def _copy_rows(self, table: str, verb: str, where: str = "1") -> None:
        """Rows of `table` from the attached `old` database into this one, by column name
        (a column the old file lacks, from before a migration, stays at its default)."""
        old = {row[1] for row in self.db.execute(f"PRAGMA old.table_info({table})")}
        names = [r[1] for r in self.db.execute(f"PRAGMA main.table_info({table})") if r[1] in old]
        columns = ", ".join(names)
        self.db.execute(
            f"{verb} INTO main.{table} ({columns}) SELECT {columns} FROM old.{table} WHERE {where}"
        )
