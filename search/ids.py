"""Stable ids: of events, passages and speakers, as hashes of what identifies them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .models import Event


def stable_hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def event_id_for(event: Event, key: str | None = None) -> str:
    """Stable id of an event: a hash of its key (ingest decides it: a trusted URL, or a
    local file's origin), else of its URL, else of the file it was read from."""
    key = key or event.url or "file:" + str(Path(event.source).resolve())
    return stable_hash("event", key)[:12]


def passage_id(event_id: str, kind: str, text: str, occurrence: int) -> str:
    return stable_hash("passage", event_id, kind, " ".join(text.split()), occurrence)[:16]
