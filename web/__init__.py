"""The Flask front end: an application factory, an HTML blueprint and a JSON API blueprint.

`create_app({"PODIUM_HOME": path})` serves one data directory. Nothing global: the store is
opened per request, read-only (the app makes or migrates the schema once, at start); the index
reader is cached by the query layer and refreshed on commit.
Every response carries a Content-Security-Policy without inline script, nosniff, a strict
referrer policy and a Cache-Control (no-store unless a view says otherwise: searches are a
journalist's business); scraped text is only ever rendered through Jinja's autoescaping, and
a stored URL becomes a link only through the `http_url` filter (http and https, nothing else).
"""

from __future__ import annotations

from flask import Flask, g, jsonify, request
from werkzeug.exceptions import HTTPException

from podium import cite, vocabulary
from podium.citecache import CitationFile
from podium.config import Home
from podium.models import PodiumError, SearchRequest
from podium.store import Store

from . import api, views

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(PODIUM_HOME=None, JSON_SORT_KEYS=False)
    app.config.update(config or {})
    app.config["HOME"] = Home.resolve(app.config["PODIUM_HOME"])
    app.extensions["podium_citations"] = CitationFile.for_home(app.config["HOME"])
    # The web only reads (context.get_store); its one write, making or migrating the schema, is
    # this, once at start.
    Store.open(app.config["HOME"]).close()
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.add_template_filter(cite.http_url, "http_url")
    app.jinja_env.globals["vocabulary"] = vocabulary  # the kinds, sorts and formats pages offer

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)

    @app.teardown_appcontext
    def close_store(_exc):
        store = g.pop("store", None)
        if store is not None:
            store.close()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "public, max-age=3600")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def wants_json() -> bool:
        return request.path.startswith("/api/") or request.path == "/healthz"

    @app.errorhandler(PodiumError)
    def bad_input(exc):
        if wants_json():
            return jsonify(error=str(exc)), 400
        return views.error_page(400, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if wants_json():
            return jsonify(error=exc.description or exc.name), exc.code
        return views.error_page(exc.code, exc.description or exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc):  # a bug: say so plainly, never leak a traceback
        # the path without its query: what a journalist searched for stays out of the log
        app.logger.exception("unhandled error: %s %s", request.method, request.path)
        if wants_json():
            return jsonify(error="internal error"), 500
        return views.error_page(500, "Something went wrong on our side.")

    return app


# Searches that build what all searches derive from the index (the filter sets, the date,
# kind, paragraph and facet columns) without costing much themselves: filters alone.
WARM_UP_SEARCHES = [
    SearchRequest(q="", kind=vocabulary.QUOTES),
    SearchRequest(q="", date_from="1000", sort=vocabulary.NEWEST),
]


def warm_up(app: Flask, threads: int) -> None:
    """Load the meaning model (and embed once), open the index for each of the server's
    `threads` and build what searches derive from it, and render each kind of page once:
    the first request after the server listens (and /healthz answers) is served like the
    tenth."""
    from podium import meaning, query

    try:
        if meaning.available():
            meaning.rerank("warm up the meaning model", ["one", "two"], str, len)
        client = app.test_client()
        for url in ("/", "/api/search?q=security&per_page=1", "/healthz"):
            client.get(url)
        query.warm(app.config["HOME"].index_dir, WARM_UP_SEARCHES, readers=threads)
    except Exception:  # a broken index is the requests' to report, not a reason not to serve
        app.logger.exception("warm-up failed: serving cold")
