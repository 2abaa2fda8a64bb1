"""The OpenAPI 3 description of the JSON API, served at /api/openapi.json."""

from __future__ import annotations

_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}
_ERROR = {
    "description": "Bad input",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
_NOT_FOUND = {**_ERROR, "description": "No such id"}


def _param(name, description, schema=None, required=False, where="query"):
    return {"name": name, "in": where, "required": required, "description": description,
            "schema": schema or _STR}  # fmt: skip


SEARCH_PARAMS = [
    _param(
        "q", 'Query: words, "phrases", speaker:NAME, org:NAME, kind:quote, date:2023, AND/OR/NOT'
    ),
    _param("speaker", "Only passages by this speaker (any spelling)"),
    _param("org", "Only events of this organisation"),
    _param("from", "From date: YYYY, YYYY-MM or YYYY-MM-DD"),
    _param("to", "To date: YYYY, YYYY-MM or YYYY-MM-DD"),
    _param("kind", "quote, turn, sentence, paragraph or quotes (quote+turn)"),
    _param("sort", "relevance, newest or oldest"),
    _param("page", "Page number (1-based)"),
    _param("per_page", "Results per page, 1-100"),
]


def _ok(schema_ref: str | None = None, media: str = "application/json", schema: dict | None = None):
    body = schema or (
        {"$ref": f"#/components/schemas/{schema_ref}"} if schema_ref else {"type": "object"}
    )
    return {"description": "OK", "content": {media: {"schema": body}}}


def spec() -> dict:
    hit = {
        "type": "object",
        "required": ["id", "kind", "text", "highlights", "score", "speaker", "event"],
        "properties": {
            "id": _STR, "kind": _STR, "text": _STR, "highlights": _STR, "score": {"type": "number"},
            "speaker": {"type": ["object", "null"]}, "event": {"type": "object"},
            "citation": _NSTR, "ap": _NSTR, "deep_link": _NSTR,
        },
    }  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Podium API",
            "version": "1.0",
            "description": "Search and cite who said what at think-tank events.",
        },  # fmt: skip
        "paths": {
            "/healthz": {"get": {"summary": "Liveness and counts", "responses": {"200": _ok()}}},
            "/api/search": {
                "get": {
                    "summary": "Search passages, with facets",
                    "parameters": [*SEARCH_PARAMS, _param("style", "Citation style for each hit")],
                    "responses": {"200": _ok("SearchResponse"), "400": _ERROR},
                }
            },
            "/api/check": {
                "get": {
                    "summary": "Find the original of a pasted, possibly misremembered quote",
                    "parameters": [
                        _param("text", "The quote", required=True),
                        _param("limit", "1-50"),
                    ],
                    "responses": {"200": _ok(), "400": _ERROR},
                }
            },
            "/api/passages/{id}": {
                "get": {
                    "summary": "One passage with its speaker, event and version",
                    "parameters": [_param("id", "Passage id", required=True, where="path")],
                    "responses": {"200": _ok(), "404": _NOT_FOUND},
                }
            },
            "/api/passages/{id}/cite": {
                "get": {
                    "summary": "A citation of a passage in a style (apa, mla, chicago-author-date, "
                    "chicago-note-bibliography, any CSL id, ap, ris, bibtex, biblatex, csl-json)",
                    "parameters": [
                        _param("id", "Passage id", required=True, where="path"),
                        _param("style", "Style id"),
                        _param("version", "Cite this version"),
                        _param("format", "text or html"),
                    ],
                    "responses": {"200": _ok(), "400": _ERROR, "404": _NOT_FOUND},
                }
            },
            "/api/styles": {
                "get": {
                    "summary": "Citation styles by title",
                    "parameters": [_param("q", "Filter"), _param("limit", "How many")],
                    "responses": {"200": _ok(), "400": _ERROR},
                }
            },
            "/api/events/{id}": {
                "get": {
                    "summary": "An event: speakers with roles, passages, versions",
                    "parameters": [_param("id", "Event id", required=True, where="path")],
                    "responses": {"200": _ok(), "404": _NOT_FOUND},
                }
            },
            "/api/speakers": {
                "get": {
                    "summary": "Speakers by any spelling (autocomplete)",
                    "parameters": [_param("prefix", "Start of a name"), _param("limit", "1-100")],
                    "responses": {"200": _ok(), "400": _ERROR},
                }
            },
            "/api/speakers/{id}": {
                "get": {
                    "summary": "A speaker: spellings, events with roles, quotes",
                    "parameters": [_param("id", "Speaker id", required=True, where="path")],
                    "responses": {"200": _ok(), "404": _NOT_FOUND},
                }
            },
            "/api/export": {
                "get": {
                    "summary": "Export every passage matching a search",
                    "parameters": [
                        _param("format", "ris, bibtex, biblatex, csl-json or csv", required=True),
                        _param("style", "Citation style for CSV"),
                        *SEARCH_PARAMS,
                    ],
                    "responses": {"200": {"description": "The export file"}, "400": _ERROR},
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": _STR}},
                "SearchResponse": {
                    "type": "object",
                    "required": ["total", "results", "facets"],
                    "properties": {
                        "total": {"type": "integer"},
                        "results": {"type": "array", "items": hit},
                        "facets": {"type": "object"},
                        "suggestion": _NSTR,
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                    },
                },
            }
        },  # fmt: skip
    }
