"""The JSON API: search (with facets), passages, citations, events, speakers, exports.

Bad input is a 400 with {"error": "..."}; an unknown id a 404; never a 500 for input.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context

from podium import cite, index, query
from podium.export import check_format, export, export_filename
from podium.models import PodiumError, attribution_state
from podium.vocabulary import (
    AP_STYLE,
    CITATION_FORMATS,
    CITATION_MARKUPS,
    DEFAULT_CHECK_RESULTS,
    DEFAULT_STYLE,
    EXPORT_FORMATS,
    MAX_CHECK_RESULTS,
    MAX_SPEAKERS,
    MAX_STYLES,
    MAX_VERSION,
)

from . import resources
from .context import citation_cache, get_store, int_arg, search_request, web_settings
from .openapi import spec

bp = Blueprint("api", __name__)


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
    if not text.strip():
        raise PodiumError("give the quote to check as text=")
    limit = int_arg("limit", DEFAULT_CHECK_RESULTS, 1, MAX_CHECK_RESULTS)
    found = query.check(current_app.config["HOME"].index_dir, text, limit)
    return jsonify(verdict=found["verdict"], results=found["matches"])


@bp.get("/api/passages/<pid>")
def api_passage(pid: str):
    data, _ = resources.passage(pid)
    return jsonify(data)


@bp.get("/api/passages/<pid>/cite")
def api_cite(pid: str):
    style = request.args.get("style") or DEFAULT_STYLE
    version = int_arg("version", 0, 0, MAX_VERSION) or None
    fmt = request.args.get("format") or CITATION_MARKUPS[0]
    cite.check_markup(fmt)
    rec = resources.citation_record(pid, version)
    if style == "all":
        return jsonify(resources.citations(rec, request.args.get("also"), fmt))
    if style == AP_STYLE:
        line = cite.ap_line(rec)
        if not line and attribution_state(rec.speaker, rec.confidence) == "uncertain":
            raise PodiumError(
                f"no AP line: the attribution to {rec.speaker} is uncertain (confidence "
                f"{rec.confidence:.2f}); check the source before quoting"
            )
        if not line:
            raise PodiumError("an AP line needs an attributed quote")
        return jsonify(id=pid, style=AP_STYLE, version=rec.version, citation=line)
    if style in CITATION_FORMATS:
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
    limit = int_arg("limit", 20, 1, MAX_SPEAKERS)
    found = get_store().list_speakers(request.args.get("prefix", ""), limit)
    return jsonify(speakers=[speaker.to_json() for speaker in found])


@bp.get("/api/speakers/<sid>")
def api_speaker(sid: str):
    return jsonify(resources.speaker(sid))


@bp.get("/api/export")
def api_export():
    fmt = request.args.get("format") or ""
    check_format(fmt)
    style = request.args.get("style") or None  # CSV rows in APA, CSL-JSON's full item if none
    if style:
        cite.style_path(style)
    req = search_request()
    home = current_app.config["HOME"]
    ids = list(query.iter_ids(home.index_dir, req))
    mimetype = EXPORT_FORMATS[fmt].media_type

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
