"""The index schema: what is stored, what is indexed, and how.

Stored fields keep the article as printed.  Indexed fields hold normalised
text: ``head`` (title, subtitle) and ``text`` (body) as jieba words for
ranking, ``head_g`` and ``text_g`` as character bigrams for exact substring
search, ``head_c`` and ``text_c`` as the set of characters (one-character
searches).  Word fields keep no positions (phrases go to the gram fields), which
keeps the index small.
"""

from __future__ import annotations

from whoosh import fields

from .analysis import CharField, GramField, WordField

# Field names used across the package.
ID, TITLE, SUBTITLE, BODY, REPORTERS, DATE, PAGE, URL = (
    "id", "title", "subtitle", "body", "reporters", "date", "page", "url")
HEAD, HEAD_G, HEAD_C, TEXT, TEXT_G, TEXT_C, REPORTER, DAY = (
    "head", "head_g", "head_c", "text", "text_g", "text_c", "reporter", "day")


def build_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.STORED(),
        subtitle=fields.STORED(),
        body=fields.STORED(),
        reporters=fields.STORED(),
        date=fields.STORED(),
        page=fields.STORED(),
        url=fields.STORED(),
        digest=fields.STORED(),  # of the stored content: tells "unchanged" from "updated"
        head=WordField(),
        head_g=GramField(),
        head_c=CharField(),
        text=WordField(),
        text_g=GramField(),
        text_c=CharField(),
        # Whole names, normalised; commas separate them.
        reporter=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        # yyyymmdd as an integer; filters, sorting and the year facet read its column.
        day=fields.NUMERIC(int, bits=32, signed=False, sortable=True),
    )
