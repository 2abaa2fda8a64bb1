"""The HTML pages: search, passage permalink, event, speaker, the events and speakers lists,
status, archived copies, and the unAPI endpoint reference managers read.

The basics work without JavaScript (forms and links hold the whole search in the URL; the
permalink page has every style); static/podium.js adds copy buttons, speaker autocomplete, the
style picker and the cite panel, which fetches a passage's citations when it is opened, so a
search never waits for a citation to render.

Reference managers (Zotero's translators) read a page's <meta> tags: a passage with a speaker
is a presentation by that person at the organisation's event, anything else a web page of the
organisation's site (`zotero_meta`); unAPI (`/unapi`) hands them the RIS export itself.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit

from flask import Blueprint, abort, current_app, render_template, request, send_file
from markupsafe import Markup

from podium import cite, config, index
from podium.export import export, person_sort_name
from podium.models import CiteRecord, PodiumError, SearchRequest
from podium.vocabulary import (
    DEFAULT_STYLE,
    EXPORT_FORMATS,
    MAX_PAGE,
    MAX_VERSION,
    OWN_WORDS,
    RELEVANCE,
)

from . import resources
from .context import SEARCH_KEYS, get_store, int_arg, search_request, web_settings

MAX_SAVED_SEARCH = 2**63 - 1  # SQLite's largest integer: a larger id is no saved search
bp = Blueprint("views", __name__)


def only_marks(html: str | None) -> Markup:
    """Highlights come escaped from the query layer; let nothing through but <mark>. A quote's
    trailing comma (the page's "…,” she said") goes, as in `quote_text`."""
    marked = re.sub(r"<(?!/?mark>)", "&lt;", html or "")
    return Markup(re.sub(r"\s*[,;:]\s*((?:</mark>)?)\s*$", r"\1", marked))


@bp.app_template_filter()
def quote_text(text: str | None) -> str:
    """A quote as a card shows it inside quote marks: without the comma or colon the page put
    before its own closing mark ("…the same lesson,” he said)."""
    return re.sub(r"\s*[,;:]\s*$", "", text or "")


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
    style = request.args.get("style") or DEFAULT_STYLE
    data, error = None, None
    try:
        cite.style_path(style)
        req = search_request()
        if req.q or req.speaker or req.org or req.date_from or req.date_to or req.kind:
            data = resources.search_results(req)
            data["empty_home"] = not data["total"] and not get_store().counts()["events"]
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
    export_params = {k: v for k, v in request.args.items() if k in SEARCH_KEYS and v}
    exports = [(f, "/api/export?" + urlencode({"format": f, **export_params, "style": style}))
               for f in EXPORT_FORMATS]  # fmt: skip
    page = render_template(
        "search.html", req=req, data=data, error=error, style=style, styles=_picker_styles(style),
        exports=exports,
    )  # fmt: skip
    return page, 400 if error else 200


def _as_typed() -> SearchRequest:
    """The search form's fields as typed, unchecked: only for showing the form again."""
    args = request.args
    return SearchRequest(
        q=args.get("q", ""), speaker=args.get("speaker"), org=args.get("org"),
        date_from=args.get("from"), date_to=args.get("to"), kind=args.get("kind"),
        sort=args.get("sort") or RELEVANCE,
    )  # fmt: skip


def _picker_styles(current: str) -> list[tuple[str, str]]:
    """The style picker's choices: the main styles, the numeric ones, and the current pick."""
    styles = cite.list_styles()[:6]
    titles = cite.style_titles()
    for extra in ("ieee", "nature", "american-medical-association", current):
        if extra in titles and extra not in dict(styles):
            styles.append((extra, titles[extra]))
    return styles


def zotero_meta(rec: CiteRecord) -> list[tuple[str, str]]:
    """The <meta name=... content=...> pairs that make a reference manager import `rec` as
    Podium's own exports do: a passage with a speaker is a presentation by that person (family
    name, with its particles, first), with the quote as abstract and the organisation's event
    as the event; anything else is a web page of the organisation's site, by no person."""
    url = cite.http_url(rec.url)
    when = (rec.event_date or "").replace("-", "/")
    if rec.speaker:
        pairs = [
            ("z.itemType", "presentation"), ("z.presenters", person_sort_name(rec.speaker)),
            ("citation_title", rec.title), ("citation_date", when), ("citation_public_url", url),
            ("citation_abstract", rec.text), ("DC.type", rec.genre),
            ("eprints.event_title", rec.organisation), ("eprints.event_location", rec.place),
            ("citation_language", rec.language),
        ]  # fmt: skip
    else:
        pairs = [
            ("z.itemType", "webpage"), ("citation_title", rec.title), ("citation_date", when),
            ("citation_public_url", url), ("DC.type", rec.genre),
            ("og:type", "website"), ("og:title", rec.title),
            ("og:site_name", rec.organisation or rec.site_name), ("og:url", url),
            ("citation_language", rec.language),
        ]  # fmt: skip
    return [(name, value) for name, value in pairs if value]


@bp.get("/p/<pid>")
def passage_page(pid: str):
    passage, rec = resources.passage(pid)
    cited = resources.citations(rec)
    paragraph = rec.paragraph_text or passage["text"]
    before, found, after = paragraph.partition(passage["text"])
    if not found:
        before, found, after = "", paragraph, ""
    return render_template(
        "passage.html", p=passage, rec=rec, cited=cited, meta=zotero_meta(rec),
        before=before, found=found, after=after,
        versions=get_store().event_versions(passage["event_id"]),
    )  # fmt: skip


@bp.get("/e/<eid>")
def event_page(eid: str):
    event = resources.event(eid)
    paragraphs = [p for p in event["passages"] if p["kind"] == "paragraph"]
    quotes_by_para: dict[int, list] = {}
    for p in event["passages"]:
        if p["kind"] in OWN_WORDS:
            quotes_by_para.setdefault(p["paragraph"], []).append(p)
    marked = {p["paragraph"]: marked_quotes(p["text"], quotes_by_para.get(p["paragraph"], []))
              for p in paragraphs}  # fmt: skip
    changes = _version_changes(get_store(), eid, event["versions"])
    return render_template(
        "event.html", e=event, paragraphs=paragraphs, quotes=quotes_by_para, marked=marked,
        changes=changes, meta=zotero_meta(resources.citation_record(eid)),
    )  # fmt: skip


def marked_quotes(text: str, quotes: list[dict]) -> list[tuple[str, dict | None]]:
    """A paragraph cut into (text, quote or None) pieces, each quote at its first place after
    the one before, so the page can mark quotes inline; a quote not found is left unmarked."""
    pieces, at = [], 0
    for q in quotes:
        start = text.find(q["text"], at)
        if start < 0 or not q["text"]:
            continue
        pieces.append((text[at:start], None))
        pieces.append((q["text"], q))
        at = start + len(q["text"])
    pieces.append((text[at:], None))
    return [(piece, q) for piece, q in pieces if piece]


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
    speaker = resources.speaker(sid)
    years = Counter(
        (p.get("event_date") or "")[:4] for p in speaker["passages"] if p.get("event_date")
    )
    timeline = sorted(years.items())
    peak = max(years.values()) if years else 1
    return render_template("speaker.html", s=speaker, timeline=timeline, peak=peak)


BROWSE_PAGE = 50


@bp.get("/events")
def events_page():
    return _browse("events", get_store().browse_events)


@bp.get("/speakers")
def speakers_page():
    return _browse("speakers", get_store().browse_speakers)


def _browse(what: str, rows_of):
    """A page of a list (`rows_of(limit, offset)`), BROWSE_PAGE rows at a time."""
    page = int_arg("page", 1, 1, MAX_PAGE)
    rows = rows_of(BROWSE_PAGE + 1, (page - 1) * BROWSE_PAGE)
    return render_template(
        "browse.html", what=what, rows=rows[:BROWSE_PAGE], page=page, more=len(rows) > BROWSE_PAGE
    )


@bp.get("/status")
def status_page():
    home = current_app.config["HOME"]
    store = get_store()
    try:
        settings = config.load_config(home)
        sources, private, config_error = settings.sources, settings.web.show_private_status, None
    except PodiumError as exc:  # a broken podium.toml is shown (by file name), not fatal
        sources, private = [], False
        config_error = str(exc).replace(str(home.config_path), home.config_path.name)
    return render_template(
        "status.html", counts=store.counts(), index_bytes=index.size_bytes(home.index_dir),
        last_updated=store.last_updated(),
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
    body = with_archive_banner(record.body, ctype, record.url, record.date, f"/e/{eid}")
    response = current_app.response_class(body, mimetype=None, content_type=ctype)
    response.headers["Content-Security-Policy"] = ARCHIVE_CSP
    response.headers["Cache-Control"] = ARCHIVE_CACHE
    source = record.url
    if source.startswith("file:"):  # a local file: its name only, never a path on this machine
        source = "file:" + source.rstrip("/").rsplit("/", 1)[-1]
    response.headers["X-Archived-From"] = quote(source, safe=":/?&=%#@+,;~")
    response.headers["X-Archived-At"] = record.date
    return response


_BODY_TAG = re.compile(rb"<body\b[^>]*>", re.I)
_BANNER_STYLE = (
    "all:initial;display:block;box-sizing:border-box;width:100%;padding:8px 12px;"
    "background:#fff4c2;color:#1b1f23;border-bottom:2px solid #b58900;"
    "font:15px/1.4 system-ui,sans-serif;overflow-wrap:anywhere"
)


def with_archive_banner(body: bytes, ctype: str, url: str, when: str, event_path: str) -> bytes:
    """The archived bytes with a banner first saying that this is an archived copy, of what and
    from when. The banner is ASCII (characters as entities) so the page's own encoding holds."""
    day = (when or "")[:19].replace("T", " ")
    if not cite.http_url(url):  # a page read from a file: its name, never the server's path
        url = "the file " + Path(unquote(urlsplit(url).path)).name
    if ctype.startswith("text/plain"):
        return f"Archived copy of {url}, fetched {day} UTC, kept by Podium.\n\n".encode() + body
    safe_url = html.escape(url).encode("ascii", "xmlcharrefreplace")
    banner = (
        f'<div role="note" style="{_BANNER_STYLE}"><strong>Archived copy</strong> of '.encode()
        + safe_url
        + f", fetched {html.escape(day)} UTC, kept by Podium. This is not the live page. "
        f'<a href="{event_path}" style="color:#0b5cad">Back to the event</a></div>'.encode()
    )
    found = _BODY_TAG.search(body)
    at = found.end() if found else 0
    return body[:at] + banner + body[at:]


@bp.get("/feeds/<int:sid>.atom")
def saved_search_feed(sid: int):
    from podium import watch

    store = get_store()
    saved = store.saved_search(sid) if sid <= MAX_SAVED_SEARCH else None
    if saved is None:
        abort(404, description="No saved search with that id.")
    body = watch.atom_feed(saved, store.alerts(sid), web_settings().base_url)
    return current_app.response_class(body, content_type="application/atom+xml; charset=utf-8")


@bp.get("/favicon.ico")
def favicon():
    icon = Path(current_app.static_folder) / "favicon.svg"
    response = send_file(icon, mimetype="image/svg+xml", max_age=86400)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


UNAPI_FORMATS = {"ris": EXPORT_FORMATS["ris"].media_type}


@bp.get("/unapi")
def unapi():
    """unAPI (unapi.info): the formats offered (for an id or overall), or an item's RIS export.
    Zotero reads `<abbr class="unapi-id">` on a page and fetches each id's RIS here."""
    uid, fmt = request.args.get("id"), request.args.get("format")
    formats = "".join(
        f'<format name="{name}" type="{mime}"/>' for name, mime in UNAPI_FORMATS.items()
    )
    xml = "application/xml; charset=utf-8"
    if not uid:
        return current_app.response_class(f"<formats>{formats}</formats>", content_type=xml)
    rec = resources.citation_record(uid)
    if not fmt:
        body = f'<formats id="{html.escape(uid)}">{formats}</formats>'
        return current_app.response_class(body, status=300, content_type=xml)
    if fmt not in UNAPI_FORMATS:
        abort(406, description="The only format offered is ris.")
    return current_app.response_class(
        "".join(export([rec], fmt)), content_type=UNAPI_FORMATS[fmt] + "; charset=utf-8"
    )
