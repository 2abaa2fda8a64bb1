"""The JSON API: search (with facets), passages, citations, events, speakers, exports.

Bad input is a 400 with {"error": "..."}; an unknown id a 404; never a 500 for input.
"""

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context

from podium import cite, index, query
from podium.export import EXPORT_FORMATS, export, export_filename
from podium.models import PodiumError, SearchRequest, attribution_state

from . import citation_cache, get_store, resources, web_settings
from .openapi import MAX_PAGE, MAX_STYLES, MAX_VERSION, SEARCH_KINDS, SORTS, spec

bp = Blueprint("api", __name__)

SEARCH_KEYS = ("q", "speaker", "org", "from", "to", "kind", "sort", "page", "per_page")


def int_arg(name: str, default: int, low: int = 0, high: int = MAX_PAGE) -> int:
    """A whole-number query parameter in [low, high]; PodiumError (a 400) otherwise."""
    value = request.args.get(name)
    if value in (None, ""):
        return default
    value = value.strip()
    if not re.fullmatch(r"[0-9]+", value):
        raise PodiumError(f"{name} must be a whole number")
    if len(value) > 9 or not low <= int(value) <= high:  # no int() of a 10,000-digit string
        raise PodiumError(f"{name} must be between {low} and {high}")
    return int(value)


def search_request(default_per_page: int = 10) -> SearchRequest:
    """A checked SearchRequest from the query string (the same keys everywhere): anything the
    search would refuse is a PodiumError (a 400) here, for search, export and the HTML page."""
    args = request.args
    kind = args.get("kind") or None
    if args.get("quotes_only") in ("1", "true", "on"):
        kind = "quotes"
    if kind is not None and kind not in SEARCH_KINDS:
        raise PodiumError(f"unknown kind {kind!r} (use {', '.join(SEARCH_KINDS)})")
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        raise PodiumError(f"sort must be {', '.join(SORTS[:-1])} or {SORTS[-1]}")
    req = SearchRequest(
        q=args.get("q", ""),
        speaker=args.get("speaker") or None,
        org=args.get("org") or None,
        date_from=args.get("from") or None,
        date_to=args.get("to") or None,
        kind=kind,
        sort=sort,
        page=int_arg("page", 1, 1, MAX_PAGE),
        per_page=int_arg("per_page", default_per_page, 1, query.MAX_PER_PAGE),
    )
    return req


@bp.get("/healthz")
def healthz():
    """Always 200 while the service answers (searches serve the last committed index).
    `status` is "ok" only when the index holds every current passage of the store;
    "catching up" while stored events wait to be indexed (`pending_index` > 0: the next
    ingest, crawl, serve or `podium index` indexes them); "index out of date" when the
    counts differ with nothing waiting (`podium index --rebuild` mends it)."""
    counts = get_store().counts()
    indexed = index.doc_count(current_app.config["HOME"].index_dir)
    if counts["pending_index"]:
        status = "catching up"
    elif indexed != counts["passages"]:
        status = "index out of date"
    else:
        status = "ok"
    return jsonify(status=status, indexed_passages=indexed, **counts)


@bp.get("/api/search")
def api_search():
    req = search_request()
    style = request.args.get("cite") or request.args.get("style") or None  # style: the old name
    if style:
        cite.style_path(style)  # an unknown style is a 400 whether or not anything matched
    return jsonify(resources.search_results(req, style))


@bp.get("/api/check")
def api_check():
    text = request.args.get("text", "")
    query.check_length("quote", text, query.MAX_QUERY_CHARS)
    if not text.strip():
        raise PodiumError("give the quote to check as text=")
    limit = int_arg("limit", 5, 1, 50)
    found = query.check(current_app.config["HOME"].index_dir, text, limit)
    return jsonify(verdict=found["verdict"], results=found["matches"])


@bp.get("/api/passages/<pid>")
def api_passage(pid: str):
    data, _ = resources.passage(pid)
    return jsonify(data)


@bp.get("/api/passages/<pid>/cite")
def api_cite(pid: str):
    style = request.args.get("style") or "apa"
    version = int_arg("version", 0, 0, MAX_VERSION) or None
    fmt = request.args.get("format") or "text"
    if fmt not in ("text", "html"):
        raise PodiumError("format must be text or html")
    rec = resources.citation_record(pid, version)
    if style == "all":
        return jsonify(resources.citations(rec, request.args.get("also"), fmt))
    if style == "ap":
        line = cite.ap_line(rec)
        if not line and attribution_state(rec.speaker, rec.confidence) == "uncertain":
            raise PodiumError(
                f"no AP line: the attribution to {rec.speaker} is uncertain (confidence "
                f"{rec.confidence:.2f}); check the source before quoting"
            )
        if not line:
            raise PodiumError("an AP line needs an attributed quote")
        return jsonify(id=pid, style="ap", version=rec.version, citation=line)
    if style in EXPORT_FORMATS and style != "csv":
        return jsonify(
            id=pid, style=style, version=rec.version, citation="".join(export([rec], style))
        )
    text = cite.render([rec], style, fmt, cache=citation_cache())[0]
    return jsonify(id=pid, style=style, version=rec.version, accessed=rec.accessed, citation=text)


@bp.get("/api/styles")
def api_styles():
    prefix = (request.args.get("q") or "").lower()
    styles = [
        {"id": i, "title": t} for i, t in cite.list_styles() if prefix in t.lower() or prefix in i
    ]
    return jsonify(styles=styles[: int_arg("limit", 50, 1, MAX_STYLES)])


@bp.get("/api/events/<eid>")
def api_event(eid: str):
    return jsonify(resources.event(eid))


@bp.get("/api/speakers")
def api_speakers():
    limit = int_arg("limit", 20, 1, 100)
    found = get_store().list_speakers(request.args.get("prefix", ""), limit)
    return jsonify(speakers=[speaker.to_json() for speaker in found])


@bp.get("/api/speakers/<sid>")
def api_speaker(sid: str):
    return jsonify(resources.speaker(sid))


@bp.get("/api/export")
def api_export():
    fmt = request.args.get("format") or ""
    if fmt not in EXPORT_FORMATS:
        raise PodiumError(f"format must be one of {', '.join(EXPORT_FORMATS)}")
    style = request.args.get("style") or None  # CSV rows in APA, CSL-JSON's full item if none
    if style:
        cite.style_path(style)
    req = search_request()
    home = current_app.config["HOME"]
    ids = list(query.iter_ids(home.index_dir, req))
    mimetype = EXPORT_FORMATS[fmt][0]

    base_url = web_settings().base_url or ""
    cache = citation_cache()

    def generate():
        from podium.store import Store

        with Store.open_readonly(home) as store:
            records = (r for r in (store.cite_record(i) for i in ids) if r is not None)
            yield from export(records, fmt, style, base_url=base_url, cache=cache)

    label = req.q or req.speaker or req.org or "all"
    name = export_filename(fmt, label, date.today().isoformat())
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(stream_with_context(generate()), mimetype=mimetype, headers=headers)


@bp.get("/api/openapi.json")
def api_openapi():
    return jsonify(spec())
