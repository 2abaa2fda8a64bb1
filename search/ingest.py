"""The one way in: read a page, extract it, store it, index it.

Both the CLI (`podium extract`, `podium ingest`) and the crawler call this module, so a page
becomes an event the same way whichever door it came through.
"""

from __future__ import annotations

import hashlib
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .config import Home
from .models import Event, ExtractError, Passage, PodiumError

MAX_PAGE_BYTES = 10 * 1024 * 1024


@dataclass
class RawPage:
    """The bytes of one page and where they came from."""

    source: str  # the argument as given (path or URL)
    raw: bytes
    url: str | None = None  # where it was fetched from (None for a local file)
    content_type: str | None = None
    fetched_at: str | None = None  # ISO 8601 UTC

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def read_input(arg: str, max_bytes: int = MAX_PAGE_BYTES) -> RawPage:
    """Read a local file or fetch a URL, refusing what cannot be a page, with a plain reason."""
    if urllib.parse.urlsplit(arg).scheme in ("http", "https"):
        from .fetch import fetch_page  # the crawler's rules: robots.txt, caps, retries

        return fetch_page(arg, max_bytes=max_bytes)
    path = Path(arg)
    if not path.exists():
        raise ExtractError(f"no such file: {arg}")
    if not path.is_file():
        raise ExtractError(f"not a file: {arg}")
    size = path.stat().st_size
    if size == 0:
        raise ExtractError("the file is empty")
    if size > max_bytes:
        raise ExtractError(
            f"the file is too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"cannot read {arg}: {exc.strerror}") from exc
    fetched = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)
    return RawPage(source=arg, raw=raw, fetched_at=fetched.isoformat())


def extract_page(page: RawPage):
    """RawPage -> Event (raises ExtractError with a plain message)."""
    from .extract import extract_event

    return extract_event(page.raw, source=page.source, url=page.url, content_type=page.content_type)


def build_passages(event_id: str, event: Event) -> list[Passage]:
    """The searchable units of an event: its quotes and turns, sentences and paragraphs.

    A paragraph carries the speaker of the turn it belongs to, else the speaker most of its
    sentences report, so a hit on a paragraph still names who said it.
    """
    from .store import passage_id

    seen: dict[tuple[str, str], int] = {}
    out: list[Passage] = []

    def add(kind, text, paragraph, speaker, confidence, rule, start):
        key = (kind, " ".join(text.split()))
        occurrence = seen[key] = seen.get(key, -1) + 1
        pid = passage_id(event_id, kind, text, occurrence)
        out.append(
            Passage(pid, event_id, kind, text, paragraph, len(out), speaker, None, None,
                    confidence, rule, start)
        )  # fmt: skip

    quotes_by_para: dict[int, list] = {}
    for q in event.quotes:
        quotes_by_para.setdefault(q.paragraph, []).append(q)
    sentences_by_para: dict[int, list] = {}
    for s in event.sentences:
        sentences_by_para.setdefault(s.paragraph, []).append(s)

    for i, text in enumerate(event.paragraphs):
        if not text.strip():
            continue
        speaker, confidence, rule = _paragraph_speaker(
            quotes_by_para.get(i, []), sentences_by_para.get(i, [])
        )
        add("paragraph", text, i, speaker, confidence, rule, 0)
        for q in quotes_by_para.get(i, []):
            if q.text.strip():
                add(q.kind, q.text, i, q.speaker, q.confidence, q.rule, q.start)
        for s in sentences_by_para.get(i, []):
            if s.text.strip() and s.text.strip() != text.strip():
                add("sentence", s.text, i, s.speaker, s.confidence, s.rule, s.start)
    return out


def _paragraph_speaker(quotes, sentences) -> tuple[str | None, float, str]:
    turns = [q for q in quotes if q.kind == "turn" and q.speaker]
    if turns:
        return turns[0].speaker, turns[0].confidence, "turn"
    weight: dict[str, float] = {}
    for s in sentences:
        if s.speaker:
            weight[s.speaker] = weight.get(s.speaker, 0.0) + len(s.text) * (s.confidence or 0.5)
    for q in quotes:
        if q.speaker:
            weight[q.speaker] = weight.get(q.speaker, 0.0) + len(q.text) * (q.confidence or 0.5)
    if not weight:
        return None, 0.0, ""
    best = max(weight, key=weight.get)
    share = weight[best] / sum(weight.values())
    return best, round(0.9 * share, 3), "most of the paragraph"


@dataclass
class IngestResult:
    source: str
    status: str  # new | changed | unchanged | failed
    event_id: str | None = None
    version: int | None = None
    error: str | None = None
    passages: int = 0
    title: str | None = None


def ingest_page(store, page: RawPage, archived: tuple[str, int] | None = None) -> IngestResult:
    """Extract one page and save it in the store (the index is the caller's business)."""
    from .store import event_id_for

    try:
        event = extract_page(page)
    except PodiumError as exc:
        return IngestResult(page.source, "failed", error=str(exc))
    eid = event_id_for(event)
    passages = build_passages(eid, event)
    saved = store.save_event(
        event, passages, raw_sha256=page.sha256, fetched_at=page.fetched_at, archived=archived
    )
    return IngestResult(
        page.source, saved.status, eid, saved.version, None, len(passages), event.title
    )


def archive_uri(page: RawPage) -> str:
    """The URI a page is archived under: where it was fetched, else the file it was read from."""
    return page.url or Path(page.source).resolve().as_uri()


def ingest_pages(
    home: Home, pages, *, batch: int = 200, archive: bool = True
) -> list[IngestResult]:
    """Extract, store and index pages. `pages` yields RawPage or PodiumError (a read failure).

    Each page read from a file is archived as a WARC resource record first (the crawler
    archives its own responses). The store commits per page; the index is updated once per
    batch, so a crash leaves the store ahead of the index (`podium index --rebuild` catches
    up) but never the reverse.
    """
    from . import index
    from .archive import ArchiveWriter
    from .store import Store

    home.ensure()
    results: list[IngestResult] = []
    pending: list[str] = []
    with Store.open(home) as store, ArchiveWriter(home.archive_dir) as writer:

        def flush():
            if pending:
                docs = list(store.iter_index_docs(pending))
                index.update(home.index_dir, docs, list(pending))
                pending.clear()

        for page in pages:
            if isinstance(page, PodiumError):
                results.append(
                    IngestResult(getattr(page, "source", "?"), "failed", error=str(page))
                )
                continue
            archived = None
            if archive:
                archived = writer.write_resource(
                    archive_uri(page), page.raw, page.content_type, page.fetched_at
                )
            result = ingest_page(store, page, archived)
            results.append(result)
            if result.status in ("new", "changed"):
                pending.append(result.event_id)
            if len(pending) >= batch:
                flush()
        flush()
    return results


CARRIED_TABLES = ("corrections", "pages", "runs", "saved_searches", "alerts")


def reingest_archive(home: Home, config) -> dict:
    """Rebuild the store from the WARC archive alone, without fetching anything.

    Every archived page (a resource record, or a 200 HTML response whose URL is an event
    page of a configured source) is extracted again, oldest first, into a new database,
    so versions come back in the order they were fetched. What only an editor or the
    crawler knows (corrections, crawl state, runs, saved searches) is carried over from
    the old database. The old file is kept beside the new one as `podium.db.before-reindex`.
    """
    import os
    import sqlite3

    from .archive import iter_archive
    from .discover import matches
    from .store import Store

    new_path = home.db_path.with_name("podium.db.reindex")
    for leftover in (new_path, *(new_path.with_name(new_path.name + x) for x in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    counts = {"records": 0, "pages": 0, "failed": 0, "new": 0, "changed": 0, "unchanged": 0}
    with Store(new_path) as store:
        for record in iter_archive(home.archive_dir):
            counts["records"] += 1
            if record.status != 200:
                continue
            is_file = record.url.startswith("file:")
            if not is_file and not any(
                matches(record.url, s.include, s.exclude) for s in config.sources
            ):
                continue
            source = (
                urllib.request.url2pathname(record.url[5:].removeprefix("//"))
                if is_file
                else record.url
            )
            page = RawPage(source, record.body, None if is_file else record.url,
                           record.header("Content-Type"), record.date)  # fmt: skip
            result = ingest_page(store, page, (record.file, record.offset))
            counts["pages"] += 1
            counts[result.status] += 1
        if home.db_path.exists():
            store.db.execute("ATTACH DATABASE ? AS old", (str(home.db_path),))
            with store.db:
                for table in CARRIED_TABLES:
                    store.db.execute(f"INSERT OR REPLACE INTO {table} SELECT * FROM old.{table}")
                store.db.execute(
                    "UPDATE events SET removed = 1 WHERE id IN "
                    "(SELECT id FROM old.events WHERE removed = 1)"
                )
            store.db.execute("DETACH DATABASE old")
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if home.db_path.exists():
        with sqlite3.connect(home.db_path) as old:
            old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        os.replace(home.db_path, home.db_path.with_name("podium.db.before-reindex"))
    os.replace(new_path, home.db_path)
    return counts


def read_inputs(args):
    """RawPages for command-line arguments; an unreadable one becomes its ExtractError."""
    for arg in args:
        try:
            yield read_input(arg)
        except PodiumError as exc:
            exc.source = arg
            yield exc


__all__ = [
    "RawPage",
    "IngestResult",
    "read_input",
    "read_inputs",
    "extract_page",
    "build_passages",
    "ingest_page",
    "ingest_pages",
]
