"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

It describes what the handlers in api.py accept and what they really return, errors included:
tests/test_api_schema.py sends generated requests and checks every response against it.
Objects are open (new keys may be added, as DESIGN.md allows); the keys listed as required are
always there.
"""

from __future__ import annotations

from podium.vocabulary import (
    AP_STYLE,
    CITATION_FORMATS,
    CITATION_MARKUPS,
    DEFAULT_STYLE,
    EXPORT_FORMATS,
    MAIN_STYLES,
    MAX_CHECK_RESULTS,
    MAX_FILTER_CHARS,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    MAX_SPEAKERS,
    MAX_STYLES,
    MAX_VERSION,
    OWN_WORDS,
    PASSAGE_KINDS,
    SEARCH_KINDS,
    SORTS,
    VERDICTS,
    one_of,
)

DATE_PATTERN = r"^[1-9][0-9]{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"

_STR = {"type": "string"}
_FILTER = {**_STR, "maxLength": MAX_FILTER_CHARS}
_NSTR = {"type": ["string", "null"]}
_INT = {"type": "integer"}
_NINT = {"type": ["integer", "null"]}
_BOOL = {"type": "boolean"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: dict, optional: dict | None = None) -> dict:
    """An open object: `required` keys are always present, `optional` ones may be."""
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
    }


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_BAD = _json(_ref("Error"), "Bad input: a parameter is missing, malformed or out of range")
_NOT_FOUND = _json(_ref("Error"), "No such id")


def _param(name, description, schema=None, required=False, where="query"):
    return {"name": name, "in": where, "required": required, "description": description,
            "schema": schema or _STR}  # fmt: skip


def _id(what: str) -> dict:
    return _param("id", f"{what} id", required=True, where="path")


def _range(low: int, high: int) -> dict:
    return {"type": "integer", "minimum": low, "maximum": high}


SEARCH_PARAMS = [
    _param(
        "q",
        'Query: words, "phrases", speaker:NAME, org:NAME, kind:quote, date:2023, AND/OR/NOT',
        {**_STR, "maxLength": MAX_QUERY_CHARS},
    ),
    _param("speaker", "Only passages by this speaker (any spelling)", _FILTER),
    _param("org", "Only events of this organisation", _FILTER),
    _param("from", "From date: YYYY, YYYY-MM or YYYY-MM-DD", {**_STR, "pattern": DATE_PATTERN}),
    _param("to", "To date: YYYY, YYYY-MM or YYYY-MM-DD", {**_STR, "pattern": DATE_PATTERN}),
    _param(
        "kind",
        f"{one_of(SEARCH_KINDS)} ({'+'.join(OWN_WORDS)})",
        {"enum": list(SEARCH_KINDS)},
    ),
    _param("quotes_only", "1, true or on: the same as kind=quotes", _STR),
    _param("sort", one_of(SORTS), {"enum": list(SORTS)}),
    _param("page", "Page number (1-based)", _range(1, MAX_PAGE)),
    _param("per_page", f"Results per page, 1-{MAX_PER_PAGE}", _range(1, MAX_PER_PAGE)),
]

# --- response bodies ------------------------------------------------------------------------

_SPEAKER_REF = _obj({"name": _STR, "role": _NSTR}, {"id": _NSTR})
_EVENT_REF = _obj({"id": _STR, "title": _NSTR, "date": _NSTR, "url": _NSTR, "organisation": _NSTR})
_FACET = {
    "type": "array",
    "description": "[value, count] pairs, most frequent first",
    "items": {
        "type": "array",
        "prefixItems": [_STR, {"type": "integer", "minimum": 0}],
        "minItems": 2,
        "maxItems": 2,
    },
}

SCHEMAS = {
    "Error": {**_obj({"error": {"type": "string", "minLength": 1}}), "additionalProperties": False},
    "Health": _obj(
        {
            "status": {
                "enum": ["ok", "catching up", "index out of date"],
                "description": "ok: the index holds every current passage; catching up: "
                "stored events wait to be indexed; index out of date: podium index --rebuild",
            },
            "indexed_passages": _INT,
            "pending_index": _INT,
            "events": _INT,
            "versions": _INT,
            "speakers": _INT,
            "passages": _INT,
            "removed_events": _INT,
        }
    ),
    "Hit": _obj(
        {
            "id": _STR,
            "kind": {"enum": list(PASSAGE_KINDS)},
            "text": _STR,
            "highlights": _STR,
            "score": {"type": "number"},
            "speaker": {"oneOf": [{"type": "null"}, _SPEAKER_REF]},
            "event": _EVENT_REF,
        },
        {
            "paragraph": _INT,
            "confidence": {"type": ["number", "null"]},
            "citation": _NSTR,
            "ap": _NSTR,
            "deep_link": _NSTR,
            "attribution": {
                "enum": ["confident", "uncertain", "none"],
                "description": "uncertain: below the calibrated confidence; check the source",
            },
            "also": {
                "type": "array",
                "description": "The paragraph's other quotes and turns that matched (hits "
                "without citations of their own)",
                "items": {"type": "object"},
            },
        },
    ),
    "SearchResponse": _obj(
        {
            "total": {"type": "integer", "minimum": 0},
            "results": {"type": "array", "items": _ref("Hit")},
            "facets": {
                "type": "object",
                "description": "Counts over every match (empty when nothing matched): "
                "speaker, organisation, year, kind",
                "properties": {k: _FACET for k in ("speaker", "organisation", "year", "kind")},
            },
            "suggestion": _NSTR,
            "page": _INT,
            "per_page": _INT,
            "unmatched": {
                "type": "array",
                "items": _STR,
                "description": "Query words (or phrases) no passage has; the rest were searched",
            },
            "match": {
                "enum": ["all", "any"],
                "description": "all: every hit has every word; any: none had them all",
            },
        },
    ),
    "Passage": _obj(
        {
            "id": _STR,
            "event_id": _STR,
            "kind": {"enum": list(PASSAGE_KINDS)},
            "text": _STR,
            "paragraph": _INT,
            "position": _INT,
            "start": _NINT,
            "speaker": _NSTR,
            "speaker_id": _NSTR,
            "role": _NSTR,
            "confidence": {"type": "number"},
            "rule": _STR,
            "first_version": _INT,
            "last_version": _INT,
            "current_version": _INT,
            "current": _BOOL,
            "corrected": _BOOL,
            "removed": _BOOL,
            "event_title": _STR,
            "url": _NSTR,
            "organisation": _NSTR,
            "event_date": _NSTR,
        },
        {"venue": _NSTR, "genre": _NSTR, "place": _NSTR, "site_name": _NSTR, "language": _NSTR},
    ),
    "PassageDetail": {
        "allOf": [
            _ref("Passage"),
            _obj(
                {"paragraph_text": _NSTR, "deep_link": _NSTR, "ap": _NSTR},
                {"attribution": {"enum": ["confident", "uncertain", "none"]}},
            ),
        ]
    },
    "Citation": _obj(
        {"id": _STR, "style": _STR, "version": _INT, "citation": _STR},
        {"accessed": _NSTR},
    ),
    "CitationSet": _obj(
        {
            "id": _STR,
            "version": _INT,
            "citations": {
                "type": "array",
                "description": "APA, MLA, Chicago author-date and notes, then the `also` style",
                "items": _obj(
                    {"style": _STR, "title": _STR, "citation": _STR},
                    {"note": {**_STR, "description": "A note style's footnote form"}},
                ),
            },
            "ap": _NSTR,
            "deep_link": _NSTR,
        },
        {"accessed": _NSTR},
    ),
    "Event": _obj(
        {
            "id": _STR,
            "url": _NSTR,
            "title": _STR,
            "organisation": _NSTR,
            "event_date": _NSTR,
            "current_version": _INT,
            "removed": _BOOL,
            "speakers": {"type": "array", "items": _obj({"id": _STR, "name": _STR, "role": _NSTR})},
            "versions": {
                "type": "array",
                "items": _obj(
                    {"version": _INT, "content_hash": _STR, "ingested_at": _STR},
                    {
                        "fetched_at": _NSTR,
                        "raw_sha256": _NSTR,
                        "archived": {"type": ["integer", "boolean"]},
                    },
                ),
            },
            "passages": {"type": "array", "items": _ref("Passage")},
        },
        {
            "source": _STR,
            "venue": _NSTR,
            "published": _NSTR,
            "genre": _NSTR,
            "place": _NSTR,
            "site_name": _NSTR,
            "language": _NSTR,
            "first_seen": _STR,
            "last_seen": _STR,
            "origin": {
                **_NSTR,
                "description": "who may add versions: web:<registrable domain> or file:<hash>",
            },
        },
    ),
    "SpeakerSummary": _obj(
        {
            "id": _STR,
            "name": _STR,
            "names": {"type": "array", "items": _STR},
            "events": {"type": "integer", "minimum": 0},
        }
    ),
    "Speaker": _obj(
        {
            "id": _STR,
            "name": _STR,
            "names": {"type": "array", "items": _STR},
            "events": {
                "type": "array",
                "items": _obj(
                    {
                        "id": _STR,
                        "title": _STR,
                        "date": _NSTR,
                        "organisation": _NSTR,
                        "url": _NSTR,
                        "billed_as": _STR,
                        "role": _NSTR,
                    }
                ),
            },
            "passages": {"type": "array", "items": _ref("Passage")},
        }
    ),
    "CheckResult": _obj(
        {
            "id": _STR,
            "kind": {"enum": list(PASSAGE_KINDS)},
            "text": _STR,
            "similarity": {"type": "number", "minimum": 0, "maximum": 1},
            "coverage": {"type": "number", "minimum": 0, "maximum": 1},
            "exact": _BOOL,
            "diff": {
                "type": "array",
                "items": _obj({"op": {"enum": ["same", "added", "removed"]}, "text": _STR}),
            },
            "speaker": {"oneOf": [{"type": "null"}, _SPEAKER_REF]},
            "event": _EVENT_REF,
        }
    ),
}

_EXPORT_BODIES = {}
for _fmt in EXPORT_FORMATS.values():
    _EXPORT_BODIES[_fmt.media_type] = {
        "schema": {"type": "array", "items": {"type": "object"}}
        if _fmt.media_type.endswith("json")
        else {"type": "string"}
    }


def _get(summary: str, parameters: list, ok: dict, *errors: str) -> dict:
    responses = {"200": ok}
    for code in errors:
        responses[code] = _NOT_FOUND if code == "404" else _BAD
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


def spec() -> dict:
    list_of = lambda key, name: _obj({key: {"type": "array", "items": _ref(name)}})  # noqa: E731
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Podium API",
            "version": "1.0",
            "description": "Search and cite who said what at think-tank events. Every error is "
            'JSON {"error": "..."} with a 4xx status.',
        },
        "paths": {
            "/healthz": _get("Liveness and counts", [], _json(_ref("Health"), "OK")),
            "/api/search": _get(
                "Search passages, with facets",
                [
                    *SEARCH_PARAMS,
                    _param(
                        "cite",
                        "Render each hit's citation in this style (none unless asked: a search "
                        "never waits for citations; the AP line and deep link are always there)",
                    ),
                    _param("style", "The older name of cite"),
                ],
                _json(_ref("SearchResponse"), "A page of results"),
                "400",
            ),
            "/api/check": _get(
                "Find the original of a pasted, possibly misremembered quote",
                [
                    _param(
                        "text",
                        "The quote",
                        {**_STR, "minLength": 1, "maxLength": MAX_QUERY_CHARS},
                        required=True,
                    ),
                    _param(
                        "limit", f"How many, 1-{MAX_CHECK_RESULTS}", _range(1, MAX_CHECK_RESULTS)
                    ),
                ],
                _json(
                    _obj(
                        {
                            "verdict": {"enum": list(VERDICTS)},
                            "results": {"type": "array", "items": _ref("CheckResult")},
                        }
                    ),
                    "The verdict and the closest originals, best first",
                ),  # fmt: skip
                "400",
            ),
            "/api/passages/{id}": _get(
                "One passage with its speaker, event and version",
                [_id("Passage")],
                _json(_ref("PassageDetail"), "The passage"),
                "404",
            ),
            "/api/passages/{id}/cite": _get(
                f"A citation of a passage (or an event) in a style: {', '.join(MAIN_STYLES)}, "
                f"any CSL id, {AP_STYLE}, {', '.join(CITATION_FORMATS)}; "
                "style=all gives every main style at once (what the cite panel shows)",
                [
                    _id("Passage (or event)"),
                    _param("style", f"Style id (default {DEFAULT_STYLE}), or all"),
                    _param("also", "With style=all: one more style, listed last"),
                    _param("version", "Cite this version (0: the latest)", _range(0, MAX_VERSION)),
                    _param(
                        "format",
                        f"{one_of(CITATION_MARKUPS)} (default {CITATION_MARKUPS[0]})",
                        {"enum": list(CITATION_MARKUPS)},
                    ),
                ],
                _json(
                    {"oneOf": [_ref("Citation"), _ref("CitationSet")]},
                    "The citation (a CitationSet for style=all)",
                ),
                "400",
                "404",
            ),
            "/api/styles": _get(
                "Citation styles by title",
                [_param("q", "Filter"), _param("limit", "How many", _range(1, MAX_STYLES))],
                _json(
                    _obj({"styles": {"type": "array", "items": _obj({"id": _STR, "title": _STR})}}),
                    "Styles, the main ones first",
                ),
                "400",
            ),
            "/api/events/{id}": _get(
                "An event: speakers with roles, passages, versions",
                [_id("Event")],
                _json(_ref("Event"), "The event"),
                "404",
            ),
            "/api/speakers": _get(
                "Speakers by any spelling (autocomplete)",
                [
                    _param("prefix", "Start of a name"),
                    _param("limit", f"1-{MAX_SPEAKERS}", _range(1, MAX_SPEAKERS)),
                ],
                _json(list_of("speakers", "SpeakerSummary"), "Matching speakers"),
                "400",
            ),
            "/api/speakers/{id}": _get(
                "A speaker: spellings, events with roles, quotes",
                [_id("Speaker")],
                _json(_ref("Speaker"), "The speaker"),
                "404",
            ),
            "/api/export": _get(
                "Export every passage matching a search (page and per_page are ignored)",
                [
                    _param(
                        "format",
                        ", ".join(EXPORT_FORMATS),
                        {"enum": list(EXPORT_FORMATS)},
                        required=True,
                    ),
                    _param(
                        "style",
                        f"Citation style of CSV rows (default {DEFAULT_STYLE}) and of CSL-JSON "
                        "items (default: the full item every style but APA renders)",
                    ),
                    *SEARCH_PARAMS,
                ],
                {"description": "The export file (an attachment)", "content": _EXPORT_BODIES},
                "400",
            ),
            "/api/openapi.json": _get(
                "This description", [], _json({"type": "object"}, "OpenAPI 3.1")
            ),
        },
        "components": {"schemas": SCHEMAS},
    }
