"""The citation cache: rendered bibliography entries and note forms, kept so pandoc renders
each one once.

Every passage of one speaker at one version of an event cites the same way, so an entry is
keyed by what the citation says — the CSL file, the form (a bibliography entry, or a note
style's note) and the CSL-JSON item without its id (the event version's title, date, place,
URL, fetch day, and the speaker) — not by the passage.
A key can never go stale: a new version, a corrected speaker or a re-extracted title is a new
key. Two kinds, one interface (`get` many keys, `put` many entries):

* `CitationFile`: a SQLite file in the data directory (`corpus/citations.db`), shared by the
  web server's threads, `podium export` and `podium cite`; a lost or unreadable file only
  costs re-rendering (it is derived, like the index).
* `CitationMemory`: a bounded in-process map, for callers without a data directory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

# Bump when the rendering itself changes (pandoc post-processing, marks), so entries made by
# older code are not served.
RENDERING = 2  # 2: no doubled period after an author whose name ends with one
ENTRY, NOTE = "entry", "note"  # the forms of a citation: bibliography entry, footnote
log = logging.getLogger(__name__)


def citation_key(csl_file: str, item: dict, form: str) -> str:
    """The cache key of one entry: its style file, its form and its CSL-JSON item minus the
    id."""
    content = {k: v for k, v in item.items() if k != "id"}
    text = json.dumps([RENDERING, csl_file, form, content], sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class CitationMemory:
    """Rendered entries in this process only, the oldest dropped past `size`."""

    def __init__(self, size: int = 20000):
        self.size = size
        self._entries: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, keys: Iterable[str]) -> dict[str, str]:
        with self._lock:
            return {k: self._entries[k] for k in keys if k in self._entries}

    def put(self, entries: dict[str, str]) -> None:
        with self._lock:
            self._entries.update(entries)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


class CitationFile:
    """Rendered entries in a SQLite file; one connection per thread, WAL so that readers in
    other processes never wait for a writer."""

    _CHUNK = 500  # keys per SELECT (SQLite's variable limit is far above)

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()

    @classmethod
    def for_home(cls, home) -> CitationFile:
        """The cache of a data directory (a `config.Home`)."""
        return cls(home.corpus_dir / "citations.db")

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS citation (key TEXT PRIMARY KEY, entry TEXT NOT NULL)"
                " WITHOUT ROWID"
            )
            self._local.db = db
        return db

    def get(self, keys: Iterable[str]) -> dict[str, str]:
        keys = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        try:
            db = self._db()
            for start in range(0, len(keys), self._CHUNK):
                chunk = keys[start : start + self._CHUNK]
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT key, entry FROM citation WHERE key IN ({marks})"
                found.update(db.execute(sql, chunk))
        except sqlite3.Error as exc:  # an unreadable cache is a cold one
            log.warning("citation cache %s unreadable: %s", self.path, exc)
        return found

    def put(self, entries: dict[str, str]) -> None:
        if not entries:
            return
        try:
            db = self._db()
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO citation (key, entry) VALUES (?, ?)", entries.items()
                )
        except sqlite3.Error as exc:
            log.warning("citation cache %s not written: %s", self.path, exc)
