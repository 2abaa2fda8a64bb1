"""Saved searches and their alerts: which new passages of a crawl pass match, as Atom.

`podium watch add QUERY [filters]` saves a search. After each crawl pass (`podium crawl` and
`podium schedule` hand `check_all` to the pass as its `after_pass`), the passages that first
appeared in that pass are matched against every saved search; each match becomes an
alert (once per search and passage), and `/feeds/<id>.atom` lists them newest first.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from . import query
from .config import Home
from .models import SearchRequest
from .read_models import Alert, SavedSearch

FILTER_KEYS = ("speaker", "org", "date_from", "date_to", "kind")
ATOM = "http://www.w3.org/2005/Atom"


def request_for(saved: SavedSearch) -> SearchRequest:
    filters = {k: v for k, v in saved.filters.items() if k in FILTER_KEYS and v}
    return SearchRequest(q=saved.query, **filters)


def check_all(home: Home, store, new_passage_ids: list[str], run_id: int | None) -> int:
    """Record alerts for the new passages that match a saved search; returns how many."""
    if not new_passage_ids:
        return 0
    wanted = set(new_passage_ids)
    total = 0
    for saved in store.saved_searches():
        matched = [
            pid for pid in query.iter_ids(home.index_dir, request_for(saved)) if pid in wanted
        ]
        total += store.add_alerts(saved.id, matched, run_id)
    return total


def describe(saved: SavedSearch) -> str:
    parts = [saved.query or "(everything)"]
    parts += [f"{k}={v}" for k, v in sorted(saved.filters.items()) if v]
    return " ".join(parts)


def atom_feed(saved: SavedSearch, alerts: list[Alert], base_url: str | None) -> bytes:
    """The saved search's alerts as an Atom 1.0 document (ElementTree escapes all text).

    Ids and links are built on `base_url` (podium.toml's [web] base_url). Without one, links
    are relative to the feed's own address and ids are urn:podium:… names, which Atom
    accepts (an id must be absolute, a link may be relative)."""
    feed_path, base = f"/feeds/{saved.id}.atom", base_url or ""

    def id_of(path: str) -> str:
        return base + path if base_url else "urn:podium:" + path.strip("/").replace("/", ":")

    ET.register_namespace("", ATOM)

    def sub(parent, tag, text=None, **attrs):
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", id_of(feed_path))
    sub(feed, "title", f"Podium: {describe(saved)}")
    sub(feed, "updated", alerts[0].found_at if alerts else saved.created_at)
    sub(feed, "link", rel="self", href=base + feed_path)
    sub(sub(feed, "author"), "name", "Podium")
    for alert in alerts:
        speaker = alert.speaker or "No attributed speaker"
        role = f" ({alert.role})" if alert.role else ""
        entry = sub(feed, "entry")
        sub(entry, "id", id_of(f"/p/{alert.id}"))
        sub(entry, "title", f"{speaker} at {alert.event_title}")
        sub(entry, "updated", alert.found_at)
        sub(entry, "link", href=f"{base}/p/{alert.id}")
        summary = (
            f"{speaker}{role}, {alert.event_title}"
            f"{', ' + alert.event_date if alert.event_date else ''}"
            f"{', ' + alert.organisation if alert.organisation else ''}. "
            f"Matched “{saved.query}” in a {alert.kind}: {alert.text}"
        )
        sub(entry, "summary", summary)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
