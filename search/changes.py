"""What changed between two versions of an event: quotes added, removed and reworded.

Works on the stored JSON of each version (Event.to_json), so any two versions can be
compared long after the page changed again.
"""

from __future__ import annotations

from rapidfuzz import fuzz

REWORDED = (
    70  # rapidfuzz ratio at or above which a removed and an added quote are one quote reworded
)


def _quotes(version: dict) -> dict[str, str | None]:
    return {q["text"]: q.get("speaker") for q in version.get("quotes", [])}


def quote_changes(older: dict, newer: dict) -> dict:
    """{"added": [...], "removed": [...], "reworded": [{"before", "after", "speaker"}],
    "title_changed": bool}; quotes are {"text", "speaker"}."""
    a, b = _quotes(older), _quotes(newer)
    removed = [t for t in a if t not in b]
    added = [t for t in b if t not in a]
    reworded = []
    for before in list(removed):
        best = max(added, key=lambda after: fuzz.ratio(before, after), default=None)
        if best is not None and fuzz.ratio(before, best) >= REWORDED:
            reworded.append({"before": before, "after": best, "speaker": b[best] or a[before]})
            removed.remove(before)
            added.remove(best)
    return {
        "added": [{"text": t, "speaker": b[t]} for t in added],
        "removed": [{"text": t, "speaker": a[t]} for t in removed],
        "reworded": reworded,
        "title_changed": older.get("title") != newer.get("title"),
    }
