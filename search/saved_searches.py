"""Saved searches and their alerts in the store: what `podium watch` saves and what each crawl
pass found for it.

`SavedSearches` is one part of `store.Store` (it owns these tables' SQL; the Store owns the
connection and the passages an alert points at).
"""

from __future__ import annotations

import json
import sqlite3

from .models import now_iso


class SavedSearches:
    """Saved searches, and the passages found for each (once per search and passage)."""

    db: sqlite3.Connection

    def add_saved_search(self, query: str, filters: dict) -> int:
        with self.db:
            cur = self.db.execute(
                "INSERT INTO saved_searches (query, filters, created_at) VALUES (?, ?, ?)",
                (query, json.dumps(filters, sort_keys=True), now_iso()),
            )
            return cur.lastrowid

    def saved_searches(self) -> list[dict]:
        rows = self.db.execute(
            "SELECT s.*, (SELECT count(*) FROM alerts a WHERE a.search_id = s.id) AS alerts "
            "FROM saved_searches s ORDER BY s.id"
        )
        return [{**dict(r), "filters": json.loads(r["filters"])} for r in rows]

    def saved_search(self, search_id: int) -> dict | None:
        row = self.db.execute("SELECT * FROM saved_searches WHERE id = ?", (search_id,)).fetchone()
        return {**dict(row), "filters": json.loads(row["filters"])} if row else None

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

    def alerts(self, search_id: int, limit: int = 100) -> list[dict]:
        rows = self.db.execute(
            "SELECT passage_id, found_at, run_id FROM alerts WHERE search_id = ? "
            "ORDER BY found_at DESC, passage_id LIMIT ?",
            (search_id, limit),
        ).fetchall()
        out = []
        for r in rows:
            passage = self.get_passage(r["passage_id"])
            if passage:
                out.append({**passage.to_json(), "found_at": r["found_at"], "run_id": r["run_id"]})
        return out
