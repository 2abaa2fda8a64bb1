"""What the store gives its readers: typed records of passages, events, speakers, crawl state
(pages, discovery, runs), saved searches and their alerts.

Each is built from the store's rows (`Record.of`, or `from_row` for a passage), and its one
`to_json()` gives the JSON the API has always returned (the fields, in order, that DESIGN.md's contracts and
web/openapi.py describe; tests/test_api_schema.py holds every key to the spec). Code reads
attributes; the web's resource builders (web/resources.py) hand the templates that JSON.
"""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import asdict, dataclass, fields

from .models import attribution_state

EDITOR_CORRECTION = "editor correction"  # the rule of a passage an editor has attributed


class Record:
    """What every read model is built with: `of(row, **values)` takes the row's columns the
    record names (so a column a later migration adds breaks no reader) and then `values`;
    `to_json()` is the record as the API returns it."""

    @classmethod
    def of(cls, row, **values):
        names = _field_names(cls)
        return cls(**{k: row[k] for k in row.keys() if k in names and k not in values}, **values)

    def to_json(self) -> dict:
        """The record as the API returns it: its fields, in order."""
        return asdict(self)


@functools.cache
def _field_names(cls) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


@dataclass
class StoredPassage(Record):
    """A passage as stored, with its event's fields and an editor's correction applied."""

    id: str
    event_id: str
    kind: str
    text: str
    paragraph: int
    position: int
    start: int | None
    speaker: str | None
    speaker_id: str | None
    confidence: float
    rule: str
    first_version: int
    last_version: int
    event_title: str
    url: str | None
    organisation: str | None
    event_date: str | None
    removed: bool
    current_version: int
    venue: str | None
    genre: str | None
    place: str | None
    site_name: str | None
    language: str | None
    corrected: bool
    current: bool  # in its event's current version
    role: str | None  # the speaker's, as billed at this event
    attribution: str  # confident | uncertain | none

    @classmethod
    def from_row(cls, row: sqlite3.Row, **extra) -> StoredPassage:
        """From a row of the store's passage query (passage, event, correction and role)."""
        d = dict(row)
        corrected, d["removed"] = bool(d.pop("corrected")), bool(d["removed"])
        speaker, speaker_id = d.pop("corrected_speaker"), d.pop("corrected_speaker_id")
        if corrected:
            d.update(speaker=speaker, speaker_id=speaker_id, rule=EDITOR_CORRECTION, confidence=1.0)
        return cls.of(
            d,
            corrected=corrected,
            current=d["last_version"] == d["current_version"],
            attribution=attribution_state(d["speaker"], d["confidence"]),
            **extra,
        )  # fmt: skip


@dataclass
class PassageDetail(StoredPassage):
    """One passage on its own: with the paragraph it sits in, as its page has it."""

    paragraph_text: str | None = None


@dataclass
class EventSpeaker(Record):
    id: str
    name: str  # as given at this event
    role: str | None  # as billed at this event


@dataclass
class EventVersion(Record):
    version: int
    fetched_at: str | None
    ingested_at: str
    content_hash: str
    raw_sha256: str | None
    archived: int  # 1 when the raw page is in the archive (0/1, as the API has always said)


@dataclass
class StoredEvent(Record):
    """An event as it is now, with its speakers, every version and its current passages."""

    id: str
    url: str | None
    source: str
    title: str
    organisation: str | None
    venue: str | None
    event_date: str | None
    published: str | None
    genre: str | None
    place: str | None
    site_name: str | None
    language: str | None
    current_version: int
    removed: bool
    first_seen: str
    last_seen: str
    origin: str | None
    speakers: list[EventSpeaker]
    versions: list[EventVersion]
    passages: list[StoredPassage]


@dataclass
class SpeakerEvent(Record):
    """An event a speaker spoke at, with the name and role they were billed under there."""

    id: str
    title: str
    date: str | None
    organisation: str | None
    url: str | None
    billed_as: str
    role: str | None


@dataclass
class StoredSpeaker(Record):
    """One person: the fullest spelling, every spelling, their events, quotes and turns."""

    id: str
    name: str
    names: list[str]
    events: list[SpeakerEvent]
    passages: list[StoredPassage]


@dataclass
class SpeakerSummary(Record):
    """A speaker in a list: spellings and how many events they spoke at."""

    id: str
    name: str
    names: list[str]
    events: int


@dataclass
class Run(Record):
    """One crawl pass of a source."""

    id: int
    source: str
    started_at: str
    finished_at: str | None
    state: str  # running | done | failed
    summary: dict | None  # counts, bytes, seconds
    error: str | None


@dataclass
class SavedSearch(Record):
    """A search `podium watch add` saved, with how many alerts it has had."""

    id: int
    query: str
    filters: dict  # speaker, org, date_from, date_to, kind: those given
    created_at: str
    alerts: int


@dataclass
class Alert(StoredPassage):
    """A passage a crawl pass found for a saved search."""

    found_at: str
    run_id: int | None


@dataclass
class PageState(Record):
    """What the last pass that checked a URL learnt about it."""

    url: str
    source: str
    event_id: str | None  # the event the page holds (kept when a later fetch fails)
    etag: str | None
    last_modified: str | None
    outcome: str | None  # new | changed | unchanged | removed | failed | skipped
    http_status: int | None
    error: str | None
    checked_at: str | None
    run_id: int | None


@dataclass
class DiscoveryState(Record):
    """A listing, sitemap or feed as last read: its validators and what it held."""

    url: str
    source: str
    etag: str | None
    last_modified: str | None
    found: list  # [links, more pages or child sitemaps]
    checked_at: str


@dataclass
class EventListing(Record):
    """An event in the events list: how many quotes and turns it holds now."""

    id: str
    title: str
    organisation: str | None
    date: str | None
    removed: bool
    quotes: int


@dataclass
class SpeakerListing(Record):
    """A speaker in the speakers list: how many events they spoke at."""

    id: str
    name: str
    events: int
