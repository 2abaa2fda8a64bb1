"""The one way in: read a page, extract it, store it, index it.

Both the CLI (`podium extract`, `podium ingest`) and the crawler call this module, so a page
becomes an event the same way whichever door it came through. It alone moves what the store
holds into the index: `catch_up_index` (after an ingest batch, a crawl batch, `podium
correct`, `podium index`, `podium serve`) and `rebuild_index` (`podium index --rebuild`, and
after `reingest_archive`, `podium reindex --from-archive`).

Which event a page is filed under is decided here, not by the page: a fetched page's own
`<link rel=canonical>` is believed only when it is an http(s) URL on the same site (the same
registrable domain, by the Public Suffix List in `tld`; for an IP address, `localhost` or an
unlisted suffix, the same host without `www.`) as the URL the page was fetched from, else the
event is keyed by the fetched URL. A local file is always its own event, keyed by an opaque
hash of its path (its canonical URL, when http(s), is kept as the event's URL for citations),
so no file can become a version of a crawled event or of another file's. Every event
remembers the origin that created it (`web:<site>` or `file:<hash>`) and the store refuses a
version from any other.

A page is archived only once it has been extracted (a PDF, a binary or an unreadable file is
never written to the WARC), under `file:<hash>/<file name>` for a local file: no local path
reaches the archive. Each stored event is marked "to be indexed" in the same transaction
(`pending_index`); `catch_up_index` indexes the marked events and clears their marks, at the
start of every ingest, crawl, serve and `podium index`, so a crash between the store and the
index is made good by the next run.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import cite
from .citecache import CitationFile
from .config import Config, Home
from .ids import event_id_for, passage_id
from .models import Event, ExtractError, Passage, PodiumError, RawPage, file_key, site_of
from .vocabulary import MAIN_STYLES

log = logging.getLogger(__name__)


def trusted_url(claimed: str | None, fetched: str | None) -> str | None:
    """The URL an event is filed and cited under: the page's claimed canonical URL when it
    is http(s) and on the fetched URL's site, else the fetched URL (None for a local file
    that claims nothing usable)."""
    from .discover import is_web_url

    claimed = (claimed or "").strip()
    if fetched and claimed:
        claimed = urllib.parse.urljoin(fetched, claimed)  # a relative canonical link
    if is_web_url(claimed) and (fetched is None or site_of(claimed) == site_of(fetched)):
        return claimed
    return fetched


def read_input(arg: str, config=None) -> RawPage:
    """Read a local file or fetch a URL, refusing what cannot be a page, with a plain reason.

    `config`: podium.toml's Config, whose `[crawl]` settings a URL is fetched with."""
    from .fetch import fetch_page, sniff_binary  # the crawler's rules: robots.txt, caps, retries

    scheme = urllib.parse.urlsplit(arg).scheme.lower()
    if scheme in ("http", "https"):
        return fetch_page(arg, config)
    if "://" in arg and scheme != "file":
        raise ExtractError(f"the {scheme}:// scheme is not supported (use http or https)")
    max_bytes = (config or Config()).max_bytes
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
    what = sniff_binary(raw)
    if what:
        raise ExtractError(f"not a web page: the file is {what}")
    fetched = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)
    return RawPage(source=arg, raw=raw, fetched_at=fetched.isoformat(), file_key=file_key(path))


def extract_page(page: RawPage):
    """RawPage -> Event (raises ExtractError with a plain message)."""
    from .extract import extract_event

    return extract_event(page.raw, source=page.source, url=page.url, content_type=page.content_type)


def build_passages(event_id: str, event: Event) -> list[Passage]:
    """The searchable units of an event: its quotes and turns, sentences and paragraphs.

    A paragraph carries the speaker of the turn it belongs to, else the speaker most of its
    sentences report, so a hit on a paragraph still names who said it. A sentence of a
    transcript turn is the turn's speaker's, whatever it reports.
    """
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
        turns = [q for q in quotes_by_para.get(i, []) if q.kind == "turn" and q.start is not None]
        for s in sentences_by_para.get(i, []):
            if s.text.strip() and s.text.strip() != text.strip():
                turn = _turn_of(turns, s.start, len(s.text))
                if turn is not None:
                    add("sentence", s.text, i, turn.speaker, turn.confidence, "turn", s.start)
                else:
                    add("sentence", s.text, i, s.speaker, s.confidence, s.rule, s.start)
    return out


def _turn_of(turns, start: int, length: int):
    """The transcript turn a sentence at `start` belongs to: the last one begun by its end."""
    begun = [t for t in turns if t.start < start + length]
    return max(begun, key=lambda t: t.start) if begun else None


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


def ingest_page(store, page: RawPage, archived: tuple[str, int] | None = None,
                archive=None) -> IngestResult:  # fmt: skip
    """Extract one page and save it in the store (the index is the caller's business).

    `archived`: where the page's bytes already are in the WARC (the crawler's response);
    `archive(page) -> (file, offset)`: called to archive the page when the store writes a
    version of it (a page from a file or a URL given to `podium ingest`), never for a page
    that fails, is refused or changes nothing."""
    try:
        claimed = extract_page(page)
    except PodiumError as exc:
        return IngestResult(page.source, "failed", error=str(exc))
    except Exception as exc:  # a page that breaks the extractor fails alone; the run goes on
        log.warning("extracting %s failed", page.source, exc_info=True)
        error = f"extraction failed: {type(exc).__name__}: {exc}"
        return IngestResult(page.source, "failed", error=error)
    try:
        event = dataclasses.replace(
            claimed,
            url=trusted_url(claimed.url, page.url),
            source=page.source if page.url else archive_uri(page),  # no local path is stored
        )
        eid = _event_id(store, event, claimed, page)
        store.check_origin(eid, page.origin)
    except PodiumError as exc:
        return IngestResult(page.source, "failed", error=str(exc))
    passages = build_passages(eid, event)
    if archive is not None:
        archived = functools.partial(archive, page)  # once the store writes a version
    saved = store.save_event(event, passages, raw_sha256=page.sha256, fetched_at=page.fetched_at,
                             archived=archived, origin=page.origin)  # fmt: skip
    return IngestResult(
        page.source, saved.status, eid, saved.version, None, len(passages), event.title
    )


def _event_id(store, event: Event, claimed: Event, page: RawPage) -> str:
    """The id of the event a page files under: its trusted URL's, or its file's. A file
    ingested before events had origins was keyed by the URL it claimed, else its path: that
    event is kept (and stamped with the file's origin) rather than duplicated."""
    if page.url:
        return event_id_for(event, event.url)
    eid = event_id_for(event, page.origin)
    if store.event_origin(eid) is None:
        old = event_id_for(claimed)  # the claimed URL, else the path
        known = store.event_origin(old)
        if known and known[0] is None and Path(known[1]).resolve() == Path(page.source).resolve():
            return old
    return eid


def archive_uri(page: RawPage) -> str:
    """The URI a page is archived under: where it was fetched, else its file's opaque origin
    and bare name (`file:<hash>/<name>`: never the local path)."""
    if page.url:
        return page.url
    return f"{page.origin}/{urllib.parse.quote(Path(page.source).name)}"


def _archived_file(uri: str) -> tuple[str, str]:
    """(source, file key) of a file's archive URI; archives from before the opaque form hold
    `file:///absolute/path`."""
    if uri.startswith("file:///"):
        path = Path(urllib.request.url2pathname(uri[len("file://") :]))
        return str(path), file_key(path)
    key, _, name = uri.removeprefix("file:").partition("/")
    return urllib.parse.unquote(name) or uri, key


def catch_up_index(home: Home, store, batch: int = 500) -> int:
    """Index every event the store marked as waiting, then clear those marks; the number of
    events indexed. A mark made again meanwhile (a newer version) is kept for the next run."""
    from . import index

    waiting = store.pending_index()
    for i in range(0, len(waiting), batch):
        chunk = waiting[i : i + batch]
        ids = [event_id for event_id, _ in chunk]
        index.update(home.index_dir, list(store.iter_index_docs(ids)), ids)
        store.clear_pending(chunk)
    return len(waiting)


def warm_citations(home: Home, store, event_ids: Iterable[str]) -> int:
    """Render the cite panel's citations (every main style, and note forms) of these events
    into the data directory's citation cache, so a reader's panel opens without waiting for
    pandoc. Returns how many were rendered. A failure is logged, never raised: the panel then
    renders on opening, as it does for anything not warmed."""
    try:
        records = store.panel_records(event_ids)
        return cite.warm(records, list(MAIN_STYLES), CitationFile.for_home(home))
    except (PodiumError, OSError, subprocess.SubprocessError) as exc:
        log.warning("citations not rendered ahead: %s", exc)
        return 0


def rebuild_index(home: Home, store, docs=None, engine: str | None = None) -> int:
    """The whole index again from the store (`docs`: its index docs, as the caller wraps
    them, e.g. in a progress bar), with `engine` if given; the events waiting for it wait
    no more."""
    from . import index

    waiting = store.pending_index()
    docs = store.iter_index_docs() if docs is None else docs
    count = index.rebuild(home.index_dir, docs, engine=engine)
    store.clear_pending(waiting)
    return count


def ingest_pages(
    home: Home, pages, *, batch: int = 200, archive: bool = True
) -> list[IngestResult]:
    """Extract, store and index pages. `pages` yields RawPage or PodiumError (a read failure).

    Each page that is stored is archived as a WARC resource record (the crawler archives its
    own responses). The store commits per page; the index catches up once per batch and at
    the end, and a crash in between is made good by the next run (`catch_up_index`).
    """
    from .archive import ArchiveWriter
    from .store import Store

    home.ensure()
    results: list[IngestResult] = []
    with Store.open(home) as store, ArchiveWriter(home.archive_dir) as writer:
        catch_up_index(home, store)

        def write(page: RawPage) -> tuple[str, int]:
            return writer.write_resource(
                archive_uri(page), page.raw, page.content_type, page.fetched_at
            )

        stored = 0
        for page in pages:
            if isinstance(page, PodiumError):
                results.append(
                    IngestResult(getattr(page, "source", "?"), "failed", error=str(page))
                )
                continue
            result = ingest_page(store, page, archive=write if archive else None)
            results.append(result)
            stored += result.status in ("new", "changed")
            if stored >= batch:
                catch_up_index(home, store)
                stored = 0
        catch_up_index(home, store)
    return results


@dataclass
class ReingestReport:
    """What `reingest_archive` did: archived records read, pages re-extracted by outcome,
    every page it could not re-read (with the reason), and the events kept as they were
    because none of their pages came back."""

    records: int = 0
    counts: dict = dataclasses.field(
        default_factory=lambda: dict.fromkeys(("new", "changed", "unchanged", "failed"), 0)
    )
    failed: list[IngestResult] = dataclasses.field(default_factory=list)
    kept_events: list[str] = dataclasses.field(default_factory=list)

    @property
    def pages(self) -> int:
        return sum(self.counts.values())

    def to_json(self) -> dict:
        failed = [{"source": r.source, "error": r.error} for r in self.failed]
        return {"records": self.records, "pages": self.pages, **self.counts, "failures": failed,
                "kept_events": self.kept_events}  # fmt: skip


def _archived_page(record, config) -> RawPage | None:
    """The page an archived record holds, or None for a record that is no event page: a
    resource record is a page `podium ingest` stored (from a file or a URL), a crawler's
    response counts when it is an event page of a configured source (the crawler also
    archives listings, sitemaps and robots.txt)."""
    from .discover import is_event_page

    if record.status != 200:
        return None
    content_type = record.header("Content-Type")
    if record.url.startswith("file:"):
        source, key = _archived_file(record.url)
        return RawPage(source, record.body, None, content_type, record.date, file_key=key)
    if record.kind == "resource" or any(is_event_page(record.url, s) for s in config.sources):
        return RawPage(record.url, record.body, record.url, content_type, record.date)
    return None


def reingest_archive(home: Home, config) -> ReingestReport:
    """Rebuild the store from the WARC archive alone, without fetching anything.

    Every archived page (`_archived_page`) is extracted again, oldest first, into a new
    database, so versions come back in the order they were fetched; the store then carries
    over what only an editor or the crawler knows, and every event none of whose pages came
    back, whole, and takes the old file's place (`Store.replace_live`, which keeps it as
    `podium.db.before-reindex`). It holds every source's crawl lock, the store alone
    (`Store.replacing`: no ingest, correction or crawl has it open for writing) and the
    index's write lock meanwhile, so nothing writes into the database being replaced; it
    does not start while a writer runs. The index is the caller's to rebuild
    (`rebuild_index`)."""
    from . import index
    from .archive import iter_archive
    from .locks import every_source
    from .store import Store

    new_path = home.db_path.with_name("podium.db.reindex")
    report = ReingestReport()
    with every_source(home, config), Store.replacing(home), index.writing(home.index_dir):
        for leftover in (
            new_path,
            *(new_path.with_name(new_path.name + x) for x in ("-wal", "-shm")),
        ):
            leftover.unlink(missing_ok=True)
        with Store(new_path) as store:  # closed by replace_live, or on an error
            for record in iter_archive(home.archive_dir):
                report.records += 1
                page = _archived_page(record, config)
                if page is None:
                    continue
                result = ingest_page(store, page, (record.file, record.offset))
                report.counts[result.status] += 1
                if result.status == "failed":
                    report.failed.append(result)
            report.kept_events = store.replace_live(home.db_path)
    return report


def read_inputs(args, config=None):
    """RawPages for command-line arguments; an unreadable one becomes its ExtractError."""
    for arg in args:
        try:
            yield read_input(arg, config)
        except PodiumError as exc:
            exc.source = arg
            yield exc


__all__ = [
    "IngestResult",
    "read_input",
    "read_inputs",
    "extract_page",
    "build_passages",
    "ingest_page",
    "ingest_pages",
    "catch_up_index",
    "rebuild_index",
    "reingest_archive",
    "trusted_url",
]
