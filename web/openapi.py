"""The OpenAPI 3.1 description of the JSON API served at ``/api/openapi.json``."""

from __future__ import annotations

from search.retrieval.request import (
    DEFAULT_SIZE,
    DEFAULT_SORT,
    MAX_PAGE,
    MAX_PAPERS,
    MAX_QUERY,
    MAX_REPORTER_CHARS,
    MAX_REPORTERS,
    MAX_SIZE,
    SORTS,
)

_NULLABLE_STRING = {"type": ["string", "null"]}
_ERROR = {"$ref": "#/components/responses/Error"}
_EMPTY = {"type": "string", "pattern": "^\\s*$"}  # blank: search.retrieval.request.blank
# Two copies of one story (the page dump and the e-paper of the same day) are one article;
# the id of the copy merged away answers with a permanent redirect to the one kept.
_MERGED = {"description": "The id is of a copy of a story merged into another article: "
                          "`Location` is the same URL with the kept article's id.",
           "headers": {"Location": {"schema": {"type": "string"}}}}
_KEY_PATTERN = "^([A-Za-z0-9][A-Za-z0-9_-]{0,31})?$"  # a paper key, or empty: none
_ABSENT = " Empty or blank (`to=`) is the same as leaving the parameter out."
MAX_REPORTER_PAGE = 10_000  # web.views.reporters: the list's and a profile's pages
# What every request may carry (web.app.check_request_size): more is a 400 anywhere.
_BOUNDS = (f"Any request: at most {MAX_REPORTERS + 20} parameters, each value at most "
           f"{MAX_QUERY} characters.")
_FLAG_WORDS = ["1", "0", "on", "off", "true", "false", "yes", "no", ""]


def _error(why: str) -> dict:
    """A 400 (or 404) answer: the Error body, ``why`` saying when it is sent."""
    return {"description": why, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Error"}}}}


def _or_empty(schema: dict) -> dict:
    """``schema``, or the empty string (read as absent)."""
    return {"anyOf": [schema, _EMPTY]}

# The stored fields a hit and an article both carry, in the order both list them.
_STORED_REQUIRED = ["id", "kicker", "title", "subtitle", "reporters", "date", "page", "paper"]
_PAPER_REF = {"type": ["object", "null"], "required": ["key", "name"],
              "properties": {"key": {"type": "string"}, "name": {"type": "string"}},
              "description": "报刊: the paper's key and name; null in an archive of one "
                             "unnamed paper (or for an article of none)."}
_STORED = {
    "paper": _PAPER_REF,
    "id": {"type": "string"},
    "title": {"type": "string"},
    "subtitle": {"type": "string"},
    "kicker": {"type": "string", "description": "引题, printed above the title"},
    "reporters": {"type": "array", "items": {"type": "string"}},
    "date": {"type": "string", "format": "date"},
    "page": _NULLABLE_STRING,
}


def _busy(what: str) -> dict:
    """The 503 of a costly request no worker process answered (web/workers.py)."""
    return {"description": f"{what} computed by a worker process that died, did not answer "
                           "in time, or were all busy; the worker is replaced: try again "
                           "after `Retry-After` seconds.",
            "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}},
            "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/Error"}}}}


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
                "Error": _json_response("A parameter that cannot be used, or nothing there. "
                                        + _BOUNDS, "Error"),
            },
            "schemas": {**_schemas(), **_correction_schemas()},
            "securitySchemes": {"apiToken": {
                "type": "http", "scheme": "bearer",
                "description": "An editor's API token: `unionsearch user token NAME`. "
                               "A signed-in browser's session cookie works too, with its "
                               "CSRF token in `X-CSRF-Token`."}},
        },
    }


def _search_parameters() -> list[dict]:
    """The query parameters of ``GET /api/search``, limits and defaults from
    search.retrieval.request."""
    return [
        _param("q", "Query text; may be empty when a filter is given (then "
               "every article that passes the filters is a hit, newest "
               "first). Broken syntax is searched as plain words. Unquoted terms also "
               "match their synonyms, and a Latin term that is the full pinyin of a "
               "frequent title word or phrase also matches it (gongjiangjingshen: "
               "工匠精神); what was added is listed in `expanded`. A quoted phrase stays "
               "exact unless written ~\"phrase\" (or synonyms=all).",
               {"type": "string", "maxLength": MAX_QUERY, "default": ""}, "工匠精神"),
        _param("synonyms", "包含同义词: 1 (the default) expands unquoted terms as "
               "described under q; all: quoted phrases too, as if each were ~\"phrase\" "
               "(what the search form's checkbox sends); 0: no synonyms or pinyin words. "
               "on/true/yes mean 1, off/false/no mean 0." + _ABSENT,
               {"type": "string", "enum": ["all", *_FLAG_WORDS], "default": "1"}),
        _param("reporter", f"Reporter name; repeat for several (any matches), at most "
               f"{MAX_REPORTERS}.",
               {"type": "array", "maxItems": MAX_REPORTERS,
                "items": {"type": "string", "maxLength": MAX_REPORTER_CHARS}}, ["周美玉"],
               style="form", explode=True),
        _param("from", "First date, inclusive (YYYY-MM-DD)." + _ABSENT,
               _or_empty({"type": "string", "format": "date"}), "2022-01-01"),
        _param("to", "Last date, inclusive (YYYY-MM-DD); a to before from is a 400."
               + _ABSENT, _or_empty({"type": "string", "format": "date"}), "2022-12-31"),
        _param("sort", "Order of hits." + _ABSENT,
               {"type": "string", "enum": [*SORTS, ""], "default": DEFAULT_SORT}),
        _param("page", "Page of results, from 1." + _ABSENT,
               _or_empty({"type": "integer", "minimum": 1, "maximum": MAX_PAGE}), 1),
        _param("size", "Hits per page." + _ABSENT,
               _or_empty({"type": "integer", "minimum": 1, "maximum": MAX_SIZE}),
               DEFAULT_SIZE),
        _PAPER_PARAM,
        _param("since", "Only articles imported at or after this time: a date (midnight "
               "UTC) or a date and time, 2022-09-01T08:30 (UTC unless an offset or Z is "
               "given). 最新入库 links use it." + _ABSENT,
               {"anyOf": [{"type": "string", "format": "date"},
                          {"type": "string", "format": "date-time"},
                          {"type": "string", "maxLength": 0}]}, "2022-09-01"),
    ]


_PAPER_PARAM = _param(
    "paper", f"Paper (报刊) key, e.g. ldwb; repeat for several (any matches), at most "
    f"{MAX_PAPERS}. Letters a-z, digits, - and _ (upper case is lowered); a key no "
    "article has matches nothing.",
    {"type": "array", "maxItems": MAX_PAPERS,
     "items": {"type": "string", "pattern": _KEY_PATTERN}}, ["ldwb"], style="form",
    explode=True)


def _get(operation_id: str, summary: str, responses: dict, **more) -> dict:
    """A path item with one GET operation."""
    return {"get": {"operationId": operation_id, "summary": summary, **more,
                    "responses": responses}}


def _paths() -> dict:
    paths = _read_paths()
    for path, item in _correction_paths().items():  # PATCH beside GET on one path
        paths.setdefault(path, {}).update(item)
    return paths


def _read_paths() -> dict:
    return {
        "/api/search": _get(
            "search", "Search articles", parameters=_search_parameters(), responses={
                "200": _json_response("Ranked hits and facets of the whole result set.",
                                      "SearchResult"),
                "400": _error("A parameter that cannot be used: a date that is not "
                              "YYYY-MM-DD, from after to, page or size out of range, an "
                              "unknown sort or synonyms value, a paper key that is not one, "
                              "a since that is not a date. " + _BOUNDS),
                "503": _busy("A page of more than 50 hits (page × size),"),
            }),
        "/feed.atom": _get(
            "feed", "Atom feed of a search: its newest 50 articles",
            parameters=[p for p in _search_parameters()
                        if p["name"] not in ("sort", "page", "size")],
            responses={
                "200": {"description": "An Atom 1.0 feed; ETag and Last-Modified set.",
                        "headers": {"ETag": {"schema": {"type": "string"}},
                                    "Last-Modified": {"schema": {"type": "string"}}},
                        "content": {"application/atom+xml": {"schema": {"type": "string"}}}},
                "304": {"description": "Not modified: If-None-Match or If-Modified-Since "
                                       "still match (no body)."},
                "400": _error("A parameter that cannot be used, as for /api/search.")}),
        "/api/recent": _get(
            "recent", "最新入库: the last imports, newest first, with each paper's count",
            {"200": _json_response("The last 10 imports that left articles.", "Recent"),
             "400": _ERROR}),
        "/api/articles/{id}": _get(
            "getArticle", "One article as stored",
            parameters=[{"name": "id", "in": "path", "required": True,
                         "schema": {"type": "string"}}],
            responses={"200": _json_response("The article.", "Article"), "301": _MERGED,
                       "302": {"description": "An editor merged this article into another "
                                              "(docs/editing.md): `Location` is that one's URL.",
                               "headers": {"Location": {"schema": {"type": "string"}}}},
                       "400": _ERROR, "404": _ERROR}),
        "/api/articles/{id}/related": _get(
            "relatedArticles", "Up to five related articles (more like this one)",
            parameters=[{"name": "id", "in": "path", "required": True,
                         "schema": {"type": "string"}}],
            responses={"200": _json_response("The article's id and its related articles.",
                                             "Related"), "301": _MERGED, "400": _ERROR,
                       "404": _ERROR}),
        "/api/suggest": _get(
            "suggest", "Suggestions for the search box, by prefix in characters or pinyin",
            parameters=[
                _param("q", "The text typed so far (only its first 20 characters count).",
                       {"type": "string", "maxLength": MAX_QUERY, "default": ""}, "gongj"),
                _param("size", "Suggestions at most." + _ABSENT,
                       _or_empty({"type": "integer", "minimum": 1, "maximum": 20}), 8)],
            responses={"200": _json_response("Title words, reporters and titles.",
                                             "Suggestions"), "400": _ERROR}),
        "/healthz": _get(
            "health", "Liveness and the number of indexed articles",
            {"200": _json_response("The service is up.", "Health"), "400": _ERROR,
             "503": _json_response("A file of the served generation no longer matches its "
                                   "checksums: run unionsearch check.", "Damaged")}),
        "/api/openapi.json": _get(
            "openapi", "This document",
            {"200": {"description": "OpenAPI 3.1 document.", "content": {"application/json": {}}},
             "400": _ERROR}),
        **_browse_paths(),
    }


def _schemas() -> dict:
    facet_list = {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
    return {
        **_browse_schemas(),
        "Error": {
            "type": "object", "required": ["error"],
            "properties": {"error": {"type": "string"}},
        },
        "Health": {
            "type": "object",
            "required": ["status", "documents", "generation", "segments", "last_import"],
            "properties": {"status": {"type": "string", "const": "ok"},
                           "documents": {"type": "integer", "minimum": 0},
                           "generation": {"type": "integer", "minimum": 0},
                           "segments": {"type": "integer", "minimum": 0},
                           "last_import": {"type": ["string", "null"],
                                           "format": "date-time"},
                           "workers": {"$ref": "#/components/schemas/Workers"}},
        },
        "Workers": {
            "type": "object", "description": "The processes computing costly requests "
            "(present when the service runs them).",
            "required": ["size", "ready", "busy", "starting", "replaced", "answered", "nice",
                         "pids", "fork_parent"],
            "properties": {"size": {"type": "integer", "minimum": 1},
                           "ready": {"type": "integer", "minimum": 0},
                           "busy": {"type": "integer", "minimum": 0},
                           "starting": {"type": "integer", "minimum": 0},
                           "replaced": {"type": "integer", "minimum": 0},
                           "answered": {"type": "integer", "minimum": 0},
                           "nice": {"type": "integer"},
                           "pids": {"type": "array", "items": {"type": "integer"}},
                           "fork_parent": {
                               "type": ["integer", "null"],
                               "description": "the process that forks the workers from the "
                               "serving process's memory; null before the first fork and "
                               "after it has ended (workers are then new interpreters)"}},
        },
        "Damaged": {
            "type": "object", "required": ["status", "error"],
            "properties": {"status": {"type": "string", "const": "damaged"},
                           "error": {"type": "string"}},
        },
        "FacetValue": {
            "type": "object", "required": ["value", "count"],
            "properties": {"value": {"type": "string"},
                           "count": {"type": "integer", "minimum": 0}},
        },
        "Hit": {
            "type": "object",
            "required": [*_STORED_REQUIRED, "title_html", "snippet", "score", "partial",
                         "matched", "missing"],
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
                "partial": {"type": "boolean", "description":
                            "The article holds only some of the query's words (a hit of "
                            "partial_hits)."},
                "matched": {"type": "array", "items": {"type": "string"}, "description":
                            "The query's words and quoted phrases the article holds, as "
                            "typed (an unquoted run counts word by word)."},
                "missing": {"type": "array", "items": {"type": "string"}, "description":
                            "Those it lacks (缺少); empty for every hit of hits."},
            },
        },
        "SearchResult": {
            "type": "object",
            "required": ["query", "total", "page", "size", "took_ms", "hits", "facets",
                         "partial_hits", "partial_total"],
            "properties": {
                "query": {"type": "string"},
                "total": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "size": {"type": "integer", "minimum": 1, "maximum": MAX_SIZE},
                "took_ms": {"type": "number"},
                "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                "partial_hits": {
                    "type": "array", "items": {"$ref": "#/components/schemas/Hit"},
                    "description": "When all the words together match fewer than 10 "
                    "articles: articles holding most of them (the most words first), which "
                    "continue the list after the last of hits, on the same page and the "
                    "next ones. Never counted in total or the facets; a quoted phrase, a "
                    "field, a reporter or an exclusion always holds."},
                "partial_total": {"type": "integer", "minimum": 0, "maximum": 100,
                                  "description": "How many partial matches are listed "
                                  "(the best 100 at most)."},
                "facets": {
                    "type": "object", "required": ["reporter", "year"],
                    "description": "Counts over the whole result set; paper (报刊) only "
                    "when the archive holds more than one paper.",
                    "properties": {"reporter": facet_list, "year": facet_list,
                                   "paper": {"type": "array", "items": {
                                       "type": "object", "required": ["value", "name", "count"],
                                       "properties": {"value": {"type": "string"},
                                                      "name": {"type": "string"},
                                                      "count": {"type": "integer",
                                                                "minimum": 0}}}}},
                },
                "suggestion": {"type": "string", "description":
                               "Did-you-mean: the query corrected, present only when a "
                               "term occurs in (almost) no article."},
                "expanded": {"type": "array", "items": {"type": "string"}, "description":
                             "Synonyms (and words spelled by pinyin terms) searched too; "
                             "present only when any were added."},
                "expanded_pinyin": {"type": "array", "items": {"type": "string"}, "description":
                                    "Those of `expanded` that pinyin terms spelled (gongjiang: "
                                    "工匠), not synonyms; present only when any were added."},
            },
        },
        "Related": {
            "type": "object", "required": ["id", "related"],
            "properties": {
                "id": {"type": "string"},
                "related": {"type": "array", "maxItems": 5, "items": {
                    "type": "object", "required": _STORED_REQUIRED, "properties": _STORED}},
            },
        },
        "Suggestions": {
            "type": "object", "required": ["query", "suggestions"],
            "properties": {
                "query": {"type": "string"},
                "suggestions": {"type": "array", "items": {
                    "type": "object", "required": ["text", "kind"],
                    "properties": {"text": {"type": "string"},
                                   "kind": {"type": "string",
                                            "enum": ["word", "reporter", "title"]}}}},
            },
        },
        "Recent": {
            "type": "object", "required": ["imports"],
            "properties": {"imports": {"type": "array", "items": {
                "type": "object", "required": ["added", "articles", "papers"],
                "properties": {
                    "added": {"type": "string", "format": "date-time",
                              "description": "When the import started (UTC); its since=."},
                    "articles": {"type": "integer", "minimum": 0},
                    "papers": {"type": "array", "items": {
                        "type": "object", "required": ["key", "name", "count"],
                        "properties": {"key": {"type": "string"}, "name": {"type": "string"},
                                       "count": {"type": "integer", "minimum": 0}}}}}}}},
        },
        "Article": {
            "type": "object",
            "required": [*_STORED_REQUIRED, "body", "url"],
            "properties": {
                **_STORED,
                "body": {"type": "string", "description": "Paragraphs separated by \\n."},
                "url": _NULLABLE_STRING,
                "printed": {
                    "type": "object",
                    "description": "Where an article read from a PDF or scan was printed "
                                   "(absent for others): the source file, its 0-based page, "
                                   "the page size and the article's regions, in page points "
                                   "from the top-left corner.",
                    "required": ["file", "page", "size", "regions"],
                    "properties": {
                        "file": {"type": "string"},
                        "page": {"type": "integer", "minimum": 0},
                        "size": {"type": "array", "items": {"type": "number"},
                                 "minItems": 2, "maxItems": 2},
                        "regions": {"type": "array", "items": {
                            "type": "array", "items": {"type": "number"},
                            "minItems": 4, "maxItems": 4}},
                    },
                },
            },
        },
    }


# -- the archive as a newspaper: issues, trends ------------------------------------------

_DATE_PATH = {"name": "date", "in": "path", "required": True,
              "schema": {"type": "string", "format": "date"}, "example": "2022-09-30"}


_ONE_PAPER = _param("paper", "Only this paper's articles (its key, e.g. ldwb; a key no "
                    "article has: 404 for an issue, an empty calendar)." + _ABSENT,
                    {"type": "string", "pattern": _KEY_PATTERN}, "")


def _browse_paths() -> dict:
    return {
        "/api/issues": _get(
            "issues", "The calendar: every date with articles, and how many",
            {"200": _json_response("Years (newest first), their months and days.",
                                   "Calendar"), "400": _ERROR},
            parameters=[_ONE_PAPER]),
        "/api/issues/{date}": _get(
            "issue", "One issue: its 版面 in order, each with its articles in page order",
            {"200": _json_response("The issue; articles without a 版面 last (page null).",
                                   "Issue"), "400": _ERROR, "404": _ERROR},
            parameters=[_DATE_PATH, _ONE_PAPER]),
        "/api/trends": _get(
            "trends", "Matching articles per year (or month, for a short range) per query",
            {"200": _json_response("Counts over each query's whole result set, on one axis.",
                                   "Trend"),
             "400": _error("A parameter that cannot be used: more than 3 queries, a date "
                           "that is not YYYY-MM-DD, from after to, an unknown by or "
                           "synonyms value. " + _BOUNDS),
             "503": _busy("A trend,")},
            parameters=_trend_parameters()),
        "/api/reporters": _get(
            "reporters", "Reporters with their article counts, most first (100 a page)",
            {"200": _json_response("One page of the list.", "ReporterList"),
             "400": _error(f"q longer than {MAX_REPORTER_CHARS} characters, or a page that "
                           f"is not a whole number from 1 to {MAX_REPORTER_PAGE:,}. "
                           + _BOUNDS)},
            parameters=[_param("q", "Part of a name, or its pinyin or initials (liu, lxx).",
                               {"type": "string", "maxLength": MAX_REPORTER_CHARS}, "刘"),
                        _param("page", "Page of the list, from 1 (a page past the list is "
                               "empty)." + _ABSENT,
                               _or_empty({"type": "integer", "minimum": 1,
                                          "maximum": MAX_REPORTER_PAGE}), 1),
                        _ONE_PAPER]),
        "/api/reporters/{name}": _get(
            "reporter", "One reporter: span, themes, colleagues (articles: /api/search?"
            "reporter=…&sort=newest)",
            {"200": _json_response("The profile.", "ReporterProfile"), "400": _ERROR,
             "404": _ERROR},
            parameters=[{"name": "name", "in": "path", "required": True,
                         "schema": {"type": "string"}}]),
    }


def _trend_parameters() -> list[dict]:
    """``q`` repeats (up to three queries); the filters are those of ``/api/search``."""
    by_name = {p["name"]: p for p in _search_parameters()}
    return [
        _param("q", "A query; repeat to compare up to 3. None: every article the filters "
               "let through.", {"type": "array", "maxItems": 3,
                                "items": {"type": "string", "maxLength": MAX_QUERY}},
               ["工匠精神", "劳模精神"], style="form", explode=True),
        by_name["synonyms"], by_name["reporter"], by_name["from"], by_name["to"],
        by_name["paper"],
        _param("by", "Periods: auto (per month when the range spans at most 24 months, "
               "else per year), year or month." + _ABSENT,
               {"type": "string", "enum": ["auto", "year", "month", ""], "default": "auto"}),
    ]


def _count(**more) -> dict:
    return {"type": "integer", "minimum": 0, **more}


def _obj(required: list[str], **properties) -> dict:
    return {"type": "object", "required": required, "properties": properties}


def _browse_schemas() -> dict:
    heading = _obj(list(_STORED_REQUIRED), **_STORED)
    day = _obj(["date", "count"], date={"type": "string", "format": "date"}, count=_count())
    month = _obj(["month", "count", "days"], month=_count(minimum=1, maximum=12),
                 count=_count(), days={"type": "array", "items": day})
    year = _obj(["year", "count", "months"], year=_count(), count=_count(),
                months={"type": "array", "items": month})
    page = _obj(["page", "number", "name", "articles"],
                page={**_NULLABLE_STRING, "description": "版面 as stored; null: 未分版"},
                number={"type": "string", "description": "3, A3; empty when not a number"},
                name={"type": "string", "description": "the 版面's name where known"},
                articles={"type": "array", "items": heading})
    period = _obj(["period", "date_from", "date_to"],
                  period={"type": "string", "description": "2022, or 2022-09 per month"},
                  date_from={"type": "string", "format": "date"},
                  date_to={"type": "string", "format": "date"})
    series = _obj(["query", "total", "counts"], query={"type": "string"}, total=_count(),
                  counts={"type": "array", "items": _count(),
                          "description": "Matching articles in each period, in order."})
    named = _obj(["name", "count"], name={"type": "string"}, count=_count())
    return {
        "ReporterList": _obj(["q", "total", "reporters"], q={"type": "string"},
                             total=_count(), reporters={"type": "array", "items": named}),
        "ReporterProfile": _obj(
            ["name", "articles", "date_from", "date_to", "themes", "colleagues"],
            name={"type": "string"}, articles=_count(),
            date_from={"type": "string", "format": "date"},
            date_to={"type": "string", "format": "date"},
            themes={"type": "array", "items": _obj(["word", "count"], word={"type": "string"},
                                                   count=_count())},
            colleagues={"type": "array", "items": named}),
        "Trend": _obj(["by", "periods", "series"],
                      by={"type": "string", "enum": ["year", "month"]},
                      periods={"type": "array", "items": period},
                      series={"type": "array", "items": series}),
        "Calendar": _obj(["issues", "articles", "years"], issues=_count(), articles=_count(),
                         years={"type": "array", "items": year}),
        "Issue": _obj(["date", "paper", "articles", "pages", "previous", "next"],
                      date={"type": "string", "format": "date"}, paper=_PAPER_REF,
                      articles=_count(),
                      pages={"type": "array", "items": page},
                      previous={"type": ["string", "null"], "format": "date"},
                      next={"type": ["string", "null"], "format": "date"}),
    }


# -- editors' corrections (web/views/editing.py, docs/editing.md) ---------------------------

_EDIT_FIELDS = {
    "kicker": {"type": "string", "maxLength": 200},
    "title": {"type": "string", "minLength": 1, "maxLength": 300},
    "subtitle": {"type": "string", "maxLength": 300},
    "reporters": {"anyOf": [{"type": "array", "maxItems": 20,
                             "items": {"type": "string", "maxLength": 40}},
                            {"type": "string", "maxLength": 900}],
                  "description": "Names, as a list or separated by 、 , ， ;"},
    "date": {"type": "string", "format": "date"},
    "page": {"type": "string", "maxLength": 20},
    "body": {"type": "string", "minLength": 1, "maxLength": 200_000,
             "description": "Paragraphs separated by \\n."},
}


def _write(operation_id: str, summary: str, body: dict, method: str = "post") -> dict:
    """One write operation on an article: signed in (API token), answers a Correction."""
    return {method: {
        "operationId": operation_id, "summary": summary,
        "security": [{"apiToken": []}],
        "parameters": [{"name": "id", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        "requestBody": {"required": False, "content": {"application/json": {"schema": body}}},
        "responses": {
            "200": _json_response("Done: the audit entry and the articles as now stored.",
                                  "Correction"),
            "400": _error("A value that cannot be stored (the message names the field)."),
            "401": _error("No API token or session: nothing was changed."),
            "403": _error("The user's role may not do this, or a session's CSRF token is "
                          "missing or wrong."),
            "404": _error("No article with this id."),
            "409": _error("Nothing to change, or articles that cannot be merged."),
            "503": _error("An import is running; try again when it has finished."),
        }}}


def _correction_paths() -> dict:
    return {
        "/api/articles/{id}": _write(
            "correctArticle", "Correct an article's fields (editors)",
            {"type": "object", "properties": _EDIT_FIELDS, "additionalProperties": False,
             "minProperties": 1}, method="patch"),
        "/api/articles/{id}/split": _write(
            "splitArticle", "Split an article in two before a paragraph (editors)",
            _obj(["paragraph", "title"],
                 paragraph={"type": "integer", "minimum": 2,
                            "description": "The first paragraph (from 1) of the new article"},
                 title={"type": "string", "minLength": 1, "maxLength": 300})),
        "/api/articles/{id}/merge": _write(
            "mergeArticle", "Merge an article with the previous or next one of its 版面 "
            "(editors)", _obj(["with"], **{"with": {"type": "string",
                                                     "enum": ["previous", "next"]}})),
        "/api/articles/{id}/hide": _write(
            "hideArticle", "Hide an article from search; an administrator can revert it "
            "in /admin/history (editors)", {"type": "object"}),
    }


def _correction_schemas() -> dict:
    stored = {"type": "object", "required": [*_STORED_REQUIRED, "body", "url"],
              "properties": {**_STORED, "body": {"type": "string"}, "url": _NULLABLE_STRING}}
    return {"Correction": _obj(
        ["change", "action", "article", "user", "summary", "at", "articles", "result"],
        change={"type": "integer", "description": "The audit entry's number"},
        action={"type": "string", "enum": ["edit", "split", "merge", "hide"]},
        article={"type": "string"}, user={"type": "string"}, summary={"type": "string"},
        at={"type": "string", "format": "date-time"},
        articles={"type": "array", "items": {"type": "string"},
                  "description": "The ids the correction now stands for"},
        result={"type": "array", "items": stored})}
