"""What the blueprints need of the running app: the request's store, the data directory's
rendered citations and podium.toml's [web] settings. Both `api` and `views` import this
module, and the package's `__init__` (the app factory) imports them, so the arrows point one
way.
"""

from __future__ import annotations

from flask import current_app, g

from podium.citecache import CitationFile
from podium.config import WebSettings, load_config
from podium.models import PodiumError
from podium.store import Store


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
