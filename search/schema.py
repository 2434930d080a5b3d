"""The index schema: what is stored, what is indexed, and how.

Whoosh stores the article as printed and indexes its id, reporters and
date.  The title and body are indexed beside each Whoosh segment by
:mod:`search.postings` (``head``/``text`` words, ``head_g``/``text_g``
bigrams, ``head_c``/``text_c`` characters), written in bulk rather than
through Whoosh's per-posting writer.
"""

from __future__ import annotations

from whoosh import fields

# Field names used across the package.
ID, TITLE, SUBTITLE, BODY, REPORTERS, DATE, PAGE, URL, KICKER = (
    "id", "title", "subtitle", "body", "reporters", "date", "page", "url", "kicker")
HEAD, HEAD_G, HEAD_C, TEXT, TEXT_G, TEXT_C, REPORTER, DAY = (
    "head", "head_g", "head_c", "text", "text_g", "text_c", "reporter", "day")


def build_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.STORED(),
        subtitle=fields.STORED(),
        kicker=fields.STORED(),  # 引题; absent from articles stored before it existed
        body=fields.STORED(),
        reporters=fields.STORED(),
        date=fields.STORED(),
        page=fields.STORED(),
        url=fields.STORED(),
        digest=fields.STORED(),  # of the stored content: tells "unchanged" from "updated"
        # Whole names, normalised; commas separate them.
        reporter=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        # yyyymmdd as an integer; filters, sorting and the year facet read its column.
        day=fields.NUMERIC(int, bits=32, signed=False, sortable=True),
    )
