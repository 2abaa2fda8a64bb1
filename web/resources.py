"""One builder per resource, for both renderings: web/api.py answers with a resource's data as
JSON and web/views.py renders the same data as a page (Datasette's model), so the API and
the pages cannot disagree about what a passage, an event or a search hit holds.

Each builder fetches from the request's read-only store, or aborts with a 404 naming what
is missing (the Flask tutorial's fetch-or-404): a passage, an event, a speaker, the record
a citation is made from, the citations of a record, and a page of search results.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app

from podium import cite, query
from podium.models import CiteRecord, SearchRequest
from podium.vocabulary import MAIN_STYLES, OWN_WORDS

from .context import citation_cache, get_store


def found(value, description: str):
    """`value`, or a 404 with `description` when there is none."""
    if value is None:
        abort(404, description=description)
    return value


def own_lines(rec: CiteRecord) -> dict:
    """Podium's own lines for a passage, cheap enough for every hit: the AP line (quotes and
    turns, confidently attributed) and the deep link that opens the source at the text."""
    return {
        "ap": cite.ap_line(rec) if rec.kind in OWN_WORDS else None,
        "deep_link": cite.deep_link(rec.url, rec.text or "") or None,
    }


def citation_record(rid: str, version: int | None = None) -> CiteRecord:
    """What a citation of a passage (or, given an event id, of the event page) is made from."""
    return found(get_store().cite_record(rid, version), f"no passage {rid}")


def passage(pid: str) -> tuple[dict, CiteRecord]:
    """A passage with its event's fields, its source link (http only), AP line and deep link;
    and the record its citations are made from."""
    store = get_store()
    data = found(store.get_passage(pid), f"no passage {pid}").to_json()
    rec = store.cite_record(pid)
    data["url"] = cite.http_url(data.get("url"))
    data.update(own_lines(rec))
    return data, rec


def event(eid: str) -> dict:
    """An event with its speakers, versions and current passages; links are http only and a
    local file is named, never given by its path."""
    data = found(get_store().get_event(eid), f"no event {eid}").to_json()
    data["source"] = cite.http_url(data["source"]) or Path(data["source"] or "").name
    for item in [data, *data.get("passages", [])]:
        item["url"] = cite.http_url(item.get("url"))
    return data


def speaker(sid: str) -> dict:
    """A speaker with every spelling, the events they spoke at and their quotes and turns."""
    return found(get_store().get_speaker(sid), f"no speaker {sid}").to_json()


def citations(rec: CiteRecord, also: str | None = None, fmt: str = "text") -> dict:
    """Every main style's citation of one record (and `also`, the reader's own pick), with the
    note form beside the bibliography entry for a note style, the AP line and the deep link:
    what the cite panel and the permalink page show. An unknown style is a 400; what the cache
    lacks, one pandoc process renders."""
    styles = list(MAIN_STYLES)
    if also and also not in styles:
        styles.append(also)
    rendered = cite.render_panel(rec, styles, fmt, cache=citation_cache())
    titles = cite.style_titles()
    out = []
    for key, (citation, note) in zip(styles, rendered, strict=True):
        entry = {"style": key, "title": titles.get(key, key), "citation": citation}
        if note:
            entry["note"] = note
        out.append(entry)
    return {
        "id": rec.id, "version": rec.version, "accessed": rec.accessed, "citations": out,
        **own_lines(rec),
    }  # fmt: skip


def search_results(req: SearchRequest, style: str | None = None) -> dict:
    """A page of search results with each hit's AP line and deep link (Podium's own, cheap); a
    citation per hit only when a style is asked for (one pandoc call for the page), else
    "citation" is null."""
    response = query.search(current_app.config["HOME"].index_dir, req)
    data = response.to_json()
    store = get_store()
    records = [store.cite_record(hit.id) for hit in response.results]
    found_records = [r for r in records if r is not None]
    rendered = {}
    if style and found_records:
        rendered = dict(
            zip(
                (r.id for r in found_records),
                cite.render(found_records, style, cache=citation_cache()),
                strict=True,
            )
        )
    for hit, rec in zip(data["results"], records, strict=True):
        if rec is None:
            continue
        hit["citation"] = rendered.get(rec.id)
        hit.update(own_lines(rec))
    return data
