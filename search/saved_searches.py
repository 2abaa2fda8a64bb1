"""Saved searches and their alerts in the store: what `podium watch` saves and what each crawl
pass found for it.

`SavedSearches` is one part of `store.Store` (it owns these tables' SQL; the Store owns the
connection and the passage query an alert's passage is read with).
"""

from __future__ import annotations

import json
import sqlite3

from .models import now_iso
from .read_models import Alert, SavedSearch


class SavedSearches:
    """Saved searches, and the passages found for each (once per search and passage)."""

    db: sqlite3.Connection
    _PASSAGE_SQL: str  # the Store's: a passage with its event, correction and role

    _SAVED_SQL = (
        "SELECT s.*, (SELECT count(*) FROM alerts a WHERE a.search_id = s.id) AS alerts "
        "FROM saved_searches s"
    )

    def add_saved_search(self, query: str, filters: dict) -> int:
        with self.db:
            cur = self.db.execute(
                "INSERT INTO saved_searches (query, filters, created_at) VALUES (?, ?, ?)",
                (query, json.dumps(filters, sort_keys=True), now_iso()),
            )
            return cur.lastrowid

    def saved_searches(self) -> list[SavedSearch]:
        rows = self.db.execute(self._SAVED_SQL + " ORDER BY s.id")
        return [_saved_search(r) for r in rows]

    def saved_search(self, search_id: int) -> SavedSearch | None:
        row = self.db.execute(self._SAVED_SQL + " WHERE s.id = ?", (search_id,)).fetchone()
        return _saved_search(row) if row else None

    def delete_saved_search(self, search_id: int) -> bool:
        with self.db:
            self.db.execute("DELETE FROM alerts WHERE search_id = ?", (search_id,))
            cur = self.db.execute("DELETE FROM saved_searches WHERE id = ?", (search_id,))
            return cur.rowcount > 0

    def add_alerts(self, search_id: int, passage_ids: list[str], run_id: int | None) -> int:
        """Record new matches; a passage already alerted for this search is not repeated."""
        with self.db:
            before = self.db.total_changes
            self.db.executemany(
                "INSERT OR IGNORE INTO alerts (search_id, passage_id, run_id, found_at) "
                "VALUES (?, ?, ?, ?)",
                [(search_id, pid, run_id, now_iso()) for pid in passage_ids],
            )
            return self.db.total_changes - before

    def alerts(self, search_id: int, limit: int = 100) -> list[Alert]:
        """The passages found for a saved search, newest first (one query)."""
        rows = self.db.execute(
            "SELECT x.*, a.found_at, a.run_id FROM alerts a "
            f"JOIN ({self._PASSAGE_SQL}) x ON x.id = a.passage_id WHERE a.search_id = ? "
            "ORDER BY a.found_at DESC, a.passage_id LIMIT ?",
            (search_id, limit),
        )
        return [Alert.from_row(r) for r in rows]


def _saved_search(row: sqlite3.Row) -> SavedSearch:
    return SavedSearch.of(row, filters=json.loads(row["filters"]))
