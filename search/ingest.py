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
        return _fetch_once(arg, max_bytes)
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


def _fetch_once(url: str, max_bytes: int) -> RawPage:
    """One polite GET for a URL named on the command line (the crawler has its own fetcher)."""
    try:
        from . import fetch  # the crawler's fetcher, when present

        return fetch.fetch_page(url, max_bytes=max_bytes)
    except ImportError:
        pass
    request = urllib.request.Request(url, headers={"User-Agent": "Podium/0.1"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            raw = response.read(max_bytes + 1)
            content_type = response.headers.get("Content-Type")
            final_url = response.geturl()
    except OSError as exc:
        raise ExtractError(f"cannot fetch {url}: {exc}") from exc
    if len(raw) > max_bytes:
        raise ExtractError(f"the page is larger than {max_bytes / 1e6:.0f} MB")
    return RawPage(url, raw, final_url, content_type, now_iso())


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


def ingest_pages(home: Home, pages, *, batch: int = 200) -> list[IngestResult]:
    """Extract, store and index pages. `pages` yields RawPage or PodiumError (a read failure).

    The store commits per page; the index is updated once per batch, so a crash leaves the
    store ahead of the index (`podium index --rebuild` catches up) but never the reverse.
    """
    from . import index
    from .store import Store, event_id_for

    home.ensure()
    results: list[IngestResult] = []
    pending: list[str] = []
    with Store.open(home) as store:

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
            try:
                event = extract_page(page)
            except PodiumError as exc:
                results.append(IngestResult(page.source, "failed", error=str(exc)))
                continue
            eid = event_id_for(event)
            passages = build_passages(eid, event)
            saved = store.save_event(
                event, passages, raw_sha256=page.sha256, fetched_at=page.fetched_at
            )
            results.append(
                IngestResult(page.source, saved.status, eid, saved.version, None, len(passages),
                             event.title)
            )  # fmt: skip
            if saved.status != "unchanged":
                pending.append(eid)
            if len(pending) >= batch:
                flush()
        flush()
    return results


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
    "ingest_pages",
]
