"""What the blueprints need of the running app and the request: the request's store, the data
directory's rendered citations, podium.toml's [web] settings, and the request's search and
whole-number parameters, checked the same way for the API and the pages. Both `api` and `views` import this
module, and the package's `__init__` (the app factory) imports them, so the arrows point one
way.
"""

from __future__ import annotations

import re

from flask import current_app, g, request

from podium import query
from podium.citecache import CitationFile
from podium.config import WebSettings, load_config
from podium.models import PodiumError, SearchRequest
from podium.store import Store
from podium.vocabulary import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, QUOTES, RELEVANCE


def get_store() -> Store:
    """The request's store, opened read-only on first use (SQLite itself refuses a write from
    the web) and closed when the request ends."""
    if "store" not in g:
        g.store = Store.open_readonly(current_app.config["HOME"])
    return g.store


def citation_cache() -> CitationFile:
    """The data directory's rendered citations: pass it to `cite.render`."""
    return current_app.extensions["podium_citations"]


def web_settings() -> WebSettings:
    """podium.toml's [web] table, read per request; the defaults when the file is broken
    (the status page shows that error)."""
    try:
        return load_config(current_app.config["HOME"]).web
    except PodiumError:
        return WebSettings()


SEARCH_KEYS = ("q", "speaker", "org", "from", "to", "kind", "sort", "page", "per_page")


def int_arg(name: str, default: int, low: int = 0, high: int = MAX_PAGE) -> int:
    """A whole-number query parameter in [low, high]; PodiumError (a 400) otherwise."""
    value = request.args.get(name)
    if value in (None, ""):
        return default
    value = value.strip()
    if not re.fullmatch(r"[0-9]+", value):
        raise PodiumError(f"{name} must be a whole number")
    number = int(value) if len(value) <= 9 else None  # no int() of a 10,000-digit string
    query.check_range(name, number, low, high)
    return number


def search_request(default_per_page: int = DEFAULT_PER_PAGE) -> SearchRequest:
    """A checked SearchRequest from the query string (the same keys everywhere): anything the
    search would refuse (`query.validate`) is a PodiumError (a 400) here, for search, export
    and the HTML page."""
    args = request.args
    kind = args.get("kind") or None
    if args.get("quotes_only") in ("1", "true", "on"):
        kind = QUOTES
    req = SearchRequest(
        q=args.get("q", ""),
        speaker=args.get("speaker") or None,
        org=args.get("org") or None,
        date_from=args.get("from") or None,
        date_to=args.get("to") or None,
        kind=kind,
        sort=args.get("sort") or RELEVANCE,
        page=int_arg("page", 1, 1, MAX_PAGE),
        per_page=int_arg("per_page", default_per_page, 1, MAX_PER_PAGE),
    )
    query.validate(req)
    return req
