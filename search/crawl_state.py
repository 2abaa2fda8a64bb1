"""Crawl state in the store: what each pass learnt about each URL (`pages`), the listings,
sitemaps and feeds it read (`discovery`), and the passes themselves (`runs`).

`CrawlState` is one part of `store.Store` (it owns these tables' SQL; the Store owns the
connection), so `store.record_page(...)` is called as before.
"""

from __future__ import annotations

import json
import sqlite3

from .models import now_iso
from .read_models import DiscoveryState, PageState, Run


class CrawlState:
    """Pages, discovery and runs: the crawler's memory between passes."""

    db: sqlite3.Connection

    def page_state(self, url: str) -> PageState | None:
        row = self.db.execute("SELECT * FROM pages WHERE url = ?", (url,)).fetchone()
        return PageState.of(row) if row else None

    def source_pages(self, source: str) -> list[PageState]:
        """Every URL this source has crawled before (to re-check, and to notice removals)."""
        rows = self.db.execute("SELECT * FROM pages WHERE source = ? ORDER BY url", (source,))
        return [PageState.of(r) for r in rows]

    def record_page(self, url: str, source: str, run_id: int, outcome: str, *,
                    http_status: int | None = None, error: str | None = None,
                    event_id: str | None = None, etag: str | None = None,
                    last_modified: str | None = None) -> None:  # fmt: skip
        """What one pass learnt about one URL. Validators and the event are kept when a
        failed or removed fetch brings none."""
        with self.db:
            self.db.execute(
                "INSERT INTO pages (url, source, event_id, etag, last_modified, outcome, "
                "http_status, error, checked_at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET source = excluded.source, "
                "event_id = coalesce(excluded.event_id, pages.event_id), "
                "etag = coalesce(excluded.etag, pages.etag), "
                "last_modified = coalesce(excluded.last_modified, pages.last_modified), "
                "outcome = excluded.outcome, http_status = excluded.http_status, "
                "error = excluded.error, checked_at = excluded.checked_at, "
                "run_id = excluded.run_id",
                (url, source, event_id, etag, last_modified, outcome, http_status, error,
                 now_iso(), run_id),
            )  # fmt: skip

    def discovery_state(self, url: str) -> DiscoveryState | None:
        row = self.db.execute("SELECT * FROM discovery WHERE url = ?", (url,)).fetchone()
        return DiscoveryState.of(row, found=json.loads(row["found"])) if row else None

    def save_discovery(self, url: str, source: str, etag: str | None,
                       last_modified: str | None, found: list) -> None:  # fmt: skip
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO discovery (url, source, etag, last_modified, found, "
                "checked_at) VALUES (?, ?, ?, ?, ?, ?)",
                (url, source, etag, last_modified, json.dumps(found), now_iso()),
            )

    def start_run(self, source: str) -> tuple[int, bool]:
        """A run id for a pass of `source`; an unfinished run (a killed pass) is resumed."""
        with self.db:
            row = self.db.execute(
                "SELECT id FROM runs WHERE source = ? AND state = 'running' ORDER BY id DESC",
                (source,),
            ).fetchone()
            if row:
                return row["id"], True
            cur = self.db.execute(
                "INSERT INTO runs (source, started_at, state) VALUES (?, ?, 'running')",
                (source, now_iso()),
            )
            return cur.lastrowid, False

    def finish_run(self, run_id: int, state: str, summary: dict, error: str | None = None):
        with self.db:
            self.db.execute(
                "UPDATE runs SET finished_at = ?, state = ?, summary = ?, error = ? WHERE id = ?",
                (now_iso(), state, json.dumps(summary), error, run_id),
            )

    def run_pages(self, run_id: int) -> dict[str, PageState]:
        """URLs a run has already dealt with (a resumed pass skips them)."""
        rows = self.db.execute("SELECT * FROM pages WHERE run_id = ?", (run_id,))
        return {r["url"]: PageState.of(r) for r in rows}

    def runs(self, source: str | None = None, limit: int = 20) -> list[Run]:
        """The latest passes (of one source, or of all), newest first."""
        sql, args = "SELECT * FROM runs", []
        if source:
            sql, args = sql + " WHERE source = ?", [source]
        rows = self.db.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit))
        return [Run.of(r, summary=json.loads(r["summary"]) if r["summary"] else None) for r in rows]

    def failures(self, limit: int = 50) -> list[PageState]:
        """The URLs whose last check failed, latest first."""
        rows = self.db.execute(
            "SELECT * FROM pages WHERE outcome = 'failed' ORDER BY checked_at DESC LIMIT ?",
            (limit,),
        )
        return [PageState.of(r) for r in rows]
