"""The HTML pages: search, passage permalink, event, speaker, status.

The basics work without JavaScript (forms and links hold the whole search in the URL);
static/podium.js adds copy buttons, speaker autocomplete and the style picker.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import quote, urlencode

from flask import Blueprint, abort, current_app, render_template, request
from markupsafe import Markup

from podium import cite, config, index, query
from podium.export import EXPORT_FORMATS
from podium.models import PodiumError, SearchRequest

from . import get_store, web_settings
from .api import SEARCH_KEYS, search_request, with_citations
from .openapi import MAX_VERSION

MAX_SAVED_SEARCH = 2**63 - 1  # SQLite's largest integer: a larger id is no saved search
bp = Blueprint("views", __name__)

KINDS = [("", "All kinds"), ("quotes", "Quotes and turns"), ("quote", "Quotes"), ("turn", "Transcript turns"),
         ("sentence", "Sentences"), ("paragraph", "Paragraphs")]  # fmt: skip


def only_marks(html: str | None) -> Markup:
    """Highlights come escaped from the query layer; let nothing through but <mark>."""
    return Markup(re.sub(r"<(?!/?mark>)", "&lt;", html or ""))


def search_url(**changes) -> str:
    """The current search's URL with some parameters changed (None removes one)."""
    params = {k: v for k, v in request.args.items() if k in (*SEARCH_KEYS, "style") and v}
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    if "page" not in changes:
        params.pop("page", None)
    return "/?" + urlencode(params) if params else "/"


@bp.app_template_global()
def url_with(**changes) -> str:
    return search_url(**changes)


def error_page(code: int, message: str):
    return render_template("error.html", code=code, message=message), code


@bp.get("/")
def search_page():
    style = request.args.get("style") or "apa"
    data, error = None, None
    try:
        req = search_request()
        if req.q or req.speaker or req.org or req.date_from or req.date_to or req.kind:
            response = query.search(current_app.config["HOME"].index_dir, req)
            data = with_citations(response, style)
            for hit in data["results"]:
                hit["highlights"] = only_marks(hit["highlights"])
                for other in hit["also"]:
                    other["highlights"] = only_marks(other["highlights"])
            unmatched = {word.lower() for word in data["unmatched"]}
            data["shown"] = " ".join(
                w for w in req.q.split() if w.strip('.,;!?"').lower() not in unmatched
            )
    except PodiumError as exc:  # the form comes back as typed, with what was wrong
        req, data, error = _as_typed(), None, str(exc)
    export_params = urlencode({k: v for k, v in request.args.items() if k in SEARCH_KEYS and v})
    page = render_template(
        "search.html", req=req, data=data, error=error, style=style, styles=_main_styles(),
        kinds=KINDS, formats=list(EXPORT_FORMATS), export_params=export_params,
    )  # fmt: skip
    return page, 400 if error else 200


def _as_typed() -> SearchRequest:
    """The search form's fields as typed, unchecked: only for showing the form again."""
    args = request.args
    return SearchRequest(
        q=args.get("q", ""), speaker=args.get("speaker"), org=args.get("org"),
        date_from=args.get("from"), date_to=args.get("to"), kind=args.get("kind"),
        sort=args.get("sort") or "relevance",
    )  # fmt: skip


def _main_styles():
    return [(k, t) for k, t in cite.list_styles()[:6]]


@bp.get("/p/<pid>")
def passage_page(pid: str):
    store = get_store()
    passage = store.get_passage(pid)
    if passage is None:
        abort(404, description="No passage with that id.")
    rec = store.cite_record(pid)
    citations = [(title, cite.render([rec], key)[0]) for key, title in _main_styles()[:4]]
    paragraph = rec.paragraph_text or passage["text"]
    before, found, after = paragraph.partition(passage["text"])
    if not found:
        before, found, after = "", paragraph, ""
    return render_template(
        "passage.html", p=passage, rec=rec, citations=citations, ap=cite.ap_line(rec),
        deep_link=cite.deep_link(rec.url, rec.text or "", rec.paragraph_text) or None,
        before=before, found=found, after=after, date_meta=(rec.event_date or "").replace("-", "/"),
        versions=(store.get_event(passage["event_id"]) or {}).get("versions", []),
    )  # fmt: skip


@bp.get("/e/<eid>")
def event_page(eid: str):
    store = get_store()
    event = store.get_event(eid)
    if event is None:
        abort(404, description="No event with that id.")
    paragraphs = [p for p in event["passages"] if p["kind"] == "paragraph"]
    quotes_by_para: dict[int, list] = {}
    for p in event["passages"]:
        if p["kind"] in ("quote", "turn"):
            quotes_by_para.setdefault(p["paragraph"], []).append(p)
    changes = _version_changes(store, eid, event["versions"])
    return render_template(
        "event.html", e=event, paragraphs=paragraphs, quotes=quotes_by_para, changes=changes
    )


def _version_changes(store, eid: str, versions: list[dict]) -> list[dict]:
    """What changed between consecutive versions: quotes added, removed and reworded."""
    from podium.changes import quote_changes

    out = []
    for older, newer in zip(versions, versions[1:], strict=False):
        a = store.event_version(eid, older["version"]) or {}
        b = store.event_version(eid, newer["version"]) or {}
        out.append({"version": newer["version"], **quote_changes(a, b)})
    return out


@bp.get("/s/<sid>")
def speaker_page(sid: str):
    speaker = get_store().get_speaker(sid)
    if speaker is None:
        abort(404, description="No speaker with that id.")
    years = Counter(
        (p.get("event_date") or "")[:4] for p in speaker["passages"] if p.get("event_date")
    )
    timeline = sorted(years.items())
    peak = max(years.values()) if years else 1
    return render_template("speaker.html", s=speaker, timeline=timeline, peak=peak)


@bp.get("/status")
def status_page():
    home = current_app.config["HOME"]
    store = get_store()
    try:
        settings = config.load_config(home)
        sources, private, config_error = settings.sources, settings.web.show_private_status, None
    except Exception as exc:  # a broken podium.toml is shown (by file name), not fatal
        sources, private = [], False
        config_error = str(exc).replace(str(home.config_path), home.config_path.name)
    return render_template(
        "status.html", counts=store.counts(), index_bytes=index.size_bytes(home.index_dir),
        sources=sources, config_error=config_error, runs=store.runs(limit=30),
        failures=store.failures(), saved=store.saved_searches() if private else [],
        config_path=home.config_path if private else home.config_path.name,
    )  # fmt: skip


# An archived page is the site's HTML, not ours: shown only in a CSP sandbox (an opaque
# origin, no scripts, no forms, no plugins), never as live HTML of this origin.
ARCHIVE_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"


# Archived versions never change: a browser may keep them.
ARCHIVE_CACHE = "private, max-age=86400, immutable"


@bp.get("/archive/<eid>/<int:version>")
def archived_copy(eid: str, version: int):
    from podium.archive import read_record

    if version > MAX_VERSION:  # SQLite holds 64-bit integers; larger is no version at all
        abort(404, description="No archived copy of that version.")
    where = get_store().version_archive(eid, version)
    if where is None:
        abort(404, description="No archived copy of that version.")
    home = current_app.config["HOME"]
    record = read_record(home.archive_dir, *where)
    ctype = record.header("Content-Type") or ""
    if not ctype.lower().startswith(("text/html", "application/xhtml")):
        ctype = "text/plain; charset=utf-8"
    response = current_app.response_class(record.body, mimetype=None, content_type=ctype)
    response.headers["Content-Security-Policy"] = ARCHIVE_CSP
    response.headers["Cache-Control"] = ARCHIVE_CACHE
    source = record.url
    if source.startswith("file:"):  # a local file: its name only, never a path on this machine
        source = "file:" + source.rstrip("/").rsplit("/", 1)[-1]
    response.headers["X-Archived-From"] = quote(source, safe=":/?&=%#@+,;~")
    response.headers["X-Archived-At"] = record.date
    return response


@bp.get("/feeds/<int:sid>.atom")
def saved_search_feed(sid: int):
    from podium import watch

    store = get_store()
    saved = store.saved_search(sid) if sid <= MAX_SAVED_SEARCH else None
    if saved is None:
        abort(404, description="No saved search with that id.")
    body = watch.atom_feed(saved, store.alerts(sid), web_settings().base_url)
    return current_app.response_class(body, content_type="application/atom+xml; charset=utf-8")
