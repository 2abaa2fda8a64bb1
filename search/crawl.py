"""One crawl pass of one source: discover -> fetch -> archive -> ingest -> index.

What follows a pass on the read side (the saved searches' alerts, `watch.check_all`) is
the caller's: it hands it in as `after_pass`, so the write path never imports the read path.

A pass holds the source's lock (a second pass of the same source says so and stops), and
records itself as a run in the store. Every URL's outcome is committed as soon as it is
known, so a pass killed halfway is resumed by the next one: URLs the dead run already
dealt with are not fetched again. Each event page ends as one of

    new · changed · unchanged · removed (404/410: kept, searchable) · failed (with reason)
    · skipped (robots.txt disallows it)

and nothing a failure touches is lost: the last good version stays in the store and index.
Each failed page is logged (INFO); a page that breaks the extractor fails alone, its traceback
logged (WARNING), while a failing store (a SQLite error) is no page's fault: it stops the pass,
which is recorded as failed.

A pass stays on the source's own hosts (those of its `start`, `sitemaps` and `feeds`): links,
pagination, child sitemaps and redirects elsewhere are not followed, and internal addresses
are refused unless the source sets `allow_private = true` (see fetch.py, discover.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from . import discover
from .archive import ArchiveWriter
from .config import Config, Home, Source
from .fetch import Fetcher, FetchKind
from .ingest import catch_up_index, ingest_page, warm_citations
from .locks import SourceLock
from .models import RawPage, now_iso
from .store import Store

log = logging.getLogger(__name__)

OUTCOMES = ("new", "changed", "unchanged", "removed", "failed", "skipped")
INDEX_BATCH = 50


@dataclass
class PageOutcome:
    url: str
    outcome: str  # one of OUTCOMES
    reason: str | None = None
    event_id: str | None = None
    version: int | None = None
    http_status: int | None = None
    bytes: int = 0


@dataclass
class PassSummary:
    source: str
    run_id: int
    resumed: bool
    started_at: str
    seconds: float = 0.0
    counts: dict = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    bytes: int = 0
    requests: int = 0
    discovered: int = 0
    not_modified: int = 0
    discovery_errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. a robots.txt Crawl-delay capped
    pages: list[PageOutcome] = field(default_factory=list)
    alerts: int = 0
    citations: int = 0  # rendered ahead for the pass's new and changed events (cite panels)

    def add(self, page: PageOutcome) -> None:
        self.pages.append(page)
        self.counts[page.outcome] += 1
        self.bytes += page.bytes

    def to_json(self, pages: bool = True) -> dict:
        data = asdict(self)
        if not pages:
            data.pop("pages")
        return data

    def line(self) -> str:
        c = self.counts
        return (
            f"{self.source}: {c['new']} new, {c['changed']} changed, {c['unchanged']} unchanged, "
            f"{c['removed']} removed, {c['failed']} failed, {c['skipped']} skipped "
            f"({self.bytes / 1e3:,.0f} kB, {self.requests} requests, {self.seconds:.1f} s)"
        )


def discover_urls(fetcher: Fetcher, store: Store, source: Source, config: Config,
                  summary: PassSummary) -> list[str]:  # fmt: skip
    """Event-page URLs from the source's listings (with pagination), sitemaps and feeds.

    Each of those pages is fetched conditionally; a 304 reuses the links it held last time.
    """
    found: list[str] = []
    hosts = discover.source_hosts(source)

    def keep(urls):
        found.extend(u for u in urls if discover.is_event_page(u, source))

    def own(urls):  # pagination and child sitemaps stay on the source's hosts too
        return [u for u in urls if discover.on_hosts(u, hosts)]

    def read(url, kind, parse) -> list | None:
        state = store.discovery_state(url)
        got = fetcher.get(url, kind=kind, etag=state and state.etag,
                          last_modified=state and state.last_modified)  # fmt: skip
        summary.bytes += got.wire_bytes
        if got.kind is FetchKind.NOT_MODIFIED and state:
            return state.found
        if got.kind is not FetchKind.OK:
            summary.discovery_errors.append(f"{url}: {got.error or f'HTTP {got.status}'}")
            return None
        try:
            parsed = [list(part) for part in parse(got)]
        except ValueError as exc:
            summary.discovery_errors.append(f"{url}: {exc}")
            return None
        store.save_discovery(url, source.name, got.header("ETag"), got.header("Last-Modified"),
                             parsed)  # fmt: skip
        return parsed

    def listing(url):
        parsed = read(url, "page", lambda g: discover.listing_links(g.body, g.final_url))
        links, next_pages = parsed or ([], [])
        keep(links)
        return own(next_pages)

    def sitemap(url):
        parsed = read(url, "sitemap", lambda g: discover.sitemap_urls(g.body, config.max_bytes))
        pages, children = parsed or ([], [])
        keep(pages)
        return own(children)

    for start in source.start:
        _walk([start], config.max_listing_pages, listing)
    _walk(source.sitemaps, 1000, sitemap)
    for url in source.feeds:
        parsed = read(discover.normalise(url), "feed",
                      lambda g: [discover.feed_urls(g.body, g.final_url)])  # fmt: skip
        if parsed:
            keep(parsed[0])
    return list(dict.fromkeys(found))


def _walk(first: list[str], limit: int, visit) -> None:
    """Breadth-first over pages that lead to more pages (pagination, child sitemaps);
    `visit(url)` returns the next ones. At most `limit` pages, none twice."""
    queue, seen = [discover.normalise(u) for u in first], set()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url not in seen:
            seen.add(url)
            queue.extend(u for u in visit(url) if u not in seen)


def crawl_url(store: Store, fetcher: Fetcher, source: Source, run_id: int, url: str) -> PageOutcome:
    """Fetch one event page (conditionally) and file what came back."""
    state = store.page_state(url)
    known_event = state and state.event_id
    got = fetcher.get(url, etag=state and state.etag, last_modified=state and state.last_modified)
    out = PageOutcome(url, "failed", http_status=got.status, bytes=got.wire_bytes,
                      event_id=known_event)  # fmt: skip
    etag = last_modified = None
    if got.kind is FetchKind.DISALLOWED:
        out.outcome, out.reason = "skipped", got.error
    elif got.kind is FetchKind.NOT_MODIFIED:
        out.outcome = "unchanged"
    elif got.kind is FetchKind.GONE and known_event:
        store.mark_removed(known_event)
        out.outcome, out.reason = "removed", f"HTTP {got.status}"
    elif got.kind is not FetchKind.OK:
        out.reason = got.error or f"HTTP {got.status}"
    elif not discover.is_event_page(discover.normalise(got.final_url), source):
        # a deleted report often redirects to the listing or the home page: not an event
        out.reason = f"redirected to {got.final_url}, which is not an event page of this source"
        if known_event:
            store.mark_removed(known_event)
            out.outcome = "removed"
    else:
        page = RawPage(url, got.body, got.final_url, got.header("Content-Type"), got.fetched_at)
        # a page that breaks the extractor fails alone (ingest_page); a store error stops the
        # pass, which says why
        result = ingest_page(store, page, got.archived)
        if result.status == "failed":
            out.reason = result.error
        else:
            out.outcome, out.event_id, out.version = result.status, result.event_id, result.version
            etag, last_modified = got.header("ETag"), got.header("Last-Modified")
    if out.outcome == "failed":
        log.info("failed: %s: %s", url, out.reason)
    store.record_page(
        url, source.name, run_id, out.outcome, http_status=got.status, error=out.reason,
        event_id=out.event_id, etag=etag, last_modified=last_modified,
    )  # fmt: skip
    return out


def crawl_source(
    home: Home,
    config: Config,
    source: Source,
    *,
    limit: int | None = None,
    progress: Callable[[int, int, PageOutcome], None] | None = None,
    after_pass: Callable[[Home, Store, list[str], int], int] | None = None,
) -> PassSummary:
    """One pass over one source. Raises PodiumError only when the pass cannot start.

    `after_pass(home, store, new_passage_ids, run_id)`: called once the index holds the
    pass's pages, with the passages first seen in it; returns the alerts it recorded."""
    home.ensure()
    clock = time.monotonic()
    with SourceLock(home, source.name), Store.open(home) as store:
        run_id, resumed = store.start_run(source.name)
        summary = PassSummary(source.name, run_id, resumed, now_iso())
        done = store.run_pages(run_id) if resumed else {}
        fresh: list[tuple[str, int]] = []
        written = 0  # events stored since the index last caught up

        try:
            catch_up_index(home, store)  # what a crashed run stored but never indexed
            with ArchiveWriter(home.archive_dir, config.archive_file_mb) as archive:
                fetcher = Fetcher(config, delay=source.delay, archive=archive,
                                  allow_private=source.allow_private,
                                  hosts=discover.source_hosts(source))  # fmt: skip
                urls = discover_urls(fetcher, store, source, config, summary)
                summary.discovered = len(urls)
                known = [p.url for p in store.source_pages(source.name)
                         if p.event_id and discover.on_hosts(p.url, fetcher.hosts)]  # fmt: skip
                todo = list(dict.fromkeys(urls + known))
                if limit is not None:
                    todo = todo[:limit]
                for i, url in enumerate(todo, 1):
                    if url in done:
                        row = done[url]
                        page = PageOutcome(url, row.outcome, row.error, row.event_id,
                                           http_status=row.http_status)  # fmt: skip
                    else:
                        page = crawl_url(store, fetcher, source, run_id, url)
                        if page.outcome in ("new", "changed"):
                            fresh.append((page.event_id, page.version))
                        written += page.outcome in ("new", "changed", "removed")
                    summary.not_modified += page.http_status == 304
                    summary.add(page)
                    if written >= INDEX_BATCH:
                        catch_up_index(home, store)
                        written = 0
                    if progress:
                        progress(i, len(todo), page)
                summary.requests = len(fetcher.log)
                summary.notes = list(fetcher.notes)
            catch_up_index(home, store)
            summary.citations = warm_citations(home, store, dict.fromkeys(e for e, _ in fresh))
            if after_pass is not None:
                new_ids = [pid for eid, v in fresh for pid in store.added_passages(eid, v)]
                summary.alerts = after_pass(home, store, new_ids, run_id)
        except BaseException as exc:
            summary.seconds = round(time.monotonic() - clock, 3)
            if isinstance(exc, Exception):
                store.finish_run(run_id, "failed", summary.to_json(pages=False), str(exc))
            raise  # KeyboardInterrupt leaves the run "running": the next pass resumes it
        summary.seconds = round(time.monotonic() - clock, 3)
        store.finish_run(run_id, "done", summary.to_json(pages=False))
    return summary
