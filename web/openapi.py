"""The OpenAPI 3.1 description of the JSON API served at ``/api/openapi.json``."""

from __future__ import annotations

from search.request import DEFAULT_SIZE, DEFAULT_SORT, MAX_PAGE, MAX_SIZE, SORTS

_NULLABLE_STRING = {"type": ["string", "null"]}
_ERROR = {"$ref": "#/components/responses/Error"}

# The stored fields a hit and an article both carry, in the order both list them.
_STORED_REQUIRED = ["id", "kicker", "title", "subtitle", "reporters", "date", "page"]
_STORED = {
    "id": {"type": "string"},
    "title": {"type": "string"},
    "subtitle": {"type": "string"},
    "kicker": {"type": "string", "description": "引题, printed above the title"},
    "reporters": {"type": "array", "items": {"type": "string"}},
    "date": {"type": "string", "format": "date"},
    "page": _NULLABLE_STRING,
}


def _json_response(description: str, schema: str) -> dict:
    """A response whose body is the named component schema as JSON."""
    return {"description": description,
            "content": {"application/json": {"schema": {
                "$ref": f"#/components/schemas/{schema}"}}}}


def _param(name: str, description: str, schema: dict, example=None, **extra) -> dict:
    """A query parameter, never required (every one has a default)."""
    p = {"name": name, "in": "query", "required": False, "description": description,
         "schema": schema, **extra}
    if example is not None:
        p["example"] = example
    return p


def document(server: str = "/") -> dict:
    """The whole description, ``server`` being where the app is mounted (its prefix)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "unionsearch API",
            "version": "1.0.0",
            "description": (
                "Full-text search over a trade-union daily's archive. Query language: "
                "unquoted text matches verbatim or by its words (verbatim first); "
                "\"quoted\" is an exact phrase; A OR B; -B / NOT B; title:, body:, "
                "reporter: restrict to a field."),
        },
        "servers": [{"url": server}],
        "paths": _paths(),
        "components": {
            "responses": {
                "Error": _json_response("A parameter that cannot be used, or nothing there.",
                                        "Error"),
            },
            "schemas": _schemas(),
        },
    }


def _search_parameters() -> list[dict]:
    """The query parameters of ``GET /api/search``, limits and defaults from search.request."""
    return [
        _param("q", "Query text; may be empty when a filter is given (then "
               "every article that passes the filters is a hit, newest "
               "first). Broken syntax is searched as plain words.",
               {"type": "string", "default": ""}, "工匠精神"),
        _param("reporter", "Reporter name; repeat for several (any matches).",
               {"type": "array", "items": {"type": "string"}}, ["周美玉"],
               style="form", explode=True),
        _param("from", "First date, inclusive (YYYY-MM-DD).",
               {"type": "string", "format": "date"}, "2022-01-01"),
        _param("to", "Last date, inclusive (YYYY-MM-DD); not before from.",
               {"type": "string", "format": "date"}, "2022-12-31"),
        _param("sort", "Order of hits.",
               {"type": "string", "enum": list(SORTS), "default": DEFAULT_SORT}),
        _param("page", "Page of results, from 1.",
               {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}),
        _param("size", "Hits per page.",
               {"type": "integer", "minimum": 1, "maximum": MAX_SIZE, "default": DEFAULT_SIZE}),
    ]


def _get(operation_id: str, summary: str, responses: dict, **more) -> dict:
    """A path item with one GET operation."""
    return {"get": {"operationId": operation_id, "summary": summary, **more,
                    "responses": responses}}


def _paths() -> dict:
    return {
        "/api/search": _get(
            "search", "Search articles", parameters=_search_parameters(), responses={
                "200": _json_response("Ranked hits and facets of the whole result set.",
                                      "SearchResult"),
                "400": _ERROR,
            }),
        "/api/articles/{id}": _get(
            "getArticle", "One article as stored",
            parameters=[{"name": "id", "in": "path", "required": True,
                         "schema": {"type": "string"}}],
            responses={"200": _json_response("The article.", "Article"), "404": _ERROR}),
        "/healthz": _get(
            "health", "Liveness and the number of indexed articles",
            {"200": _json_response("The service is up.", "Health")}),
        "/api/openapi.json": _get(
            "openapi", "This document",
            {"200": {"description": "OpenAPI 3.1 document.", "content": {"application/json": {}}}}),
    }


def _schemas() -> dict:
    facet_list = {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
    return {
        "Error": {
            "type": "object", "required": ["error"],
            "properties": {"error": {"type": "string"}},
        },
        "Health": {
            "type": "object", "required": ["status", "documents"],
            "properties": {"status": {"type": "string", "const": "ok"},
                           "documents": {"type": "integer", "minimum": 0}},
        },
        "FacetValue": {
            "type": "object", "required": ["value", "count"],
            "properties": {"value": {"type": "string"},
                           "count": {"type": "integer", "minimum": 0}},
        },
        "Hit": {
            "type": "object",
            "required": [*_STORED_REQUIRED, "title_html", "snippet", "score"],
            "properties": {
                **_STORED,
                "page": {**_NULLABLE_STRING, "description": "版次, when known"},
                "title_html": {"type": "string", "description":
                               "The title escaped as HTML, matches in <mark>."},
                "snippet": {"type": "string", "description":
                            "Body excerpt escaped as HTML, matches in <mark>."},
                "score": {"type": ["number", "null"], "description":
                          "Relevance score; null when sorted by date or q is empty."},
                "verbatim": {"type": "boolean", "description":
                             "The query text occurs verbatim in the article."},
            },
        },
        "SearchResult": {
            "type": "object",
            "required": ["query", "total", "page", "size", "took_ms", "hits", "facets"],
            "properties": {
                "query": {"type": "string"},
                "total": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "size": {"type": "integer", "minimum": 1, "maximum": MAX_SIZE},
                "took_ms": {"type": "number"},
                "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                "facets": {
                    "type": "object", "required": ["reporter", "year"],
                    "description": "Counts over the whole result set.",
                    "properties": {"reporter": facet_list, "year": facet_list},
                },
            },
        },
        "Article": {
            "type": "object",
            "required": [*_STORED_REQUIRED, "body", "url"],
            "properties": {
                **_STORED,
                "body": {"type": "string", "description": "Paragraphs separated by \\n."},
                "url": _NULLABLE_STRING,
            },
        },
    }
