"""The query language of CONTRACT.md, parsed without ever failing.

``parse`` turns any string into a :class:`ParsedQuery`: groups joined by AND,
each group a list of clauses joined by OR.  Anything that is not valid syntax
(an unbalanced quote, a lone operator, ``title:`` with nothing after it) is
kept as plain words, so every input is searchable.

:mod:`search.retrieval.evaluate` gives the clauses their meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIELDS = {
    "title": "title", "标题": "title",
    "body": "body", "正文": "body",
    "reporter": "reporter", "记者": "reporter", "作者": "reporter",
}
QUOTES = {'"': '"', "＂": "＂", "“": "”", "”": "”", "「": "」", "『": "』"}
MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 32
# What may stand before an operator quote: a sign, a field prefix, or both.
_PREFIX = re.compile(r"[-+~]?(?:(?:" + "|".join(map(re.escape, FIELDS)) + ")[:：])?", re.I)


@dataclass
class Clause:
    """One term, phrase or field restriction; ``negate`` for ``-x`` / ``NOT x``."""

    text: str
    phrase: bool = False
    field: str | None = None  # None, "title", "body" or "reporter"
    negate: bool = False
    expand: bool = False  # ~"产改": a phrase that still matches its synonyms
    added: bool = False  # not typed: a synonym or a pinyin spelling the query was widened by


@dataclass
class ParsedQuery:
    """Groups joined by AND, each a list of clauses joined by OR; no groups for an empty query."""

    groups: list[list[Clause]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Nothing to search for: an empty query, or one of spaces and operators."""
        return not self.groups

    def positive_texts(self) -> list[tuple[str, bool]]:
        """(text, is_phrase) of every clause that can be marked in a snippet."""
        return [(c.text, c.phrase) for g in self.groups for c in g
                if not c.negate and c.field != "reporter"]


def _closing(text: str, i: int) -> int:
    """Index of the quote closing the one at ``i``, or -1 when it is never closed."""
    closer = QUOTES[text[i]]
    end = text.find(closer, i + 1)
    if end == -1 and closer == "”":
        end = text.find("“", i + 1)
    return end


def _token_end(text: str, i: int) -> int:
    """End of the run starting at ``i``: the next whitespace outside a closed quote.

    Quotes inside a run are punctuation (a pasted headline 举办“紫砂”培训班), but
    the words they enclose stay in the run even when spaced.
    """
    n = len(text)
    while i < n and not text[i].isspace():
        if text[i] in QUOTES:
            end = _closing(text, i)
            if end != -1:
                i = end
        i += 1
    return i


def _operator_phrase(text: str, i: int, start: int) -> tuple[int, str] | None:
    """(end, body) when the quote at ``i`` opens a phrase operator, else None.

    A quote is an operator only when it stands apart: it opens the run (after an
    optional sign and field prefix) and what follows its closer, up to the next
    whitespace, is punctuation at most (``"工匠精神"，``).  Text glued to it on
    either side makes it punctuation of the run.
    """
    if not _PREFIX.fullmatch(text[start:i]):
        return None
    end = _closing(text, i)
    if end == -1:
        return None
    after = _token_end(text, end + 1)
    if any(ch.isalnum() for ch in text[end + 1 : after]):
        return None
    return after, text[i + 1 : end]


def _lex(text: str) -> list[tuple[str, bool]]:
    """Split into (token, was_quoted); a quote that is not an operator is a character."""
    out: list[tuple[str, bool]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = j = i
        while j < n and not text[j].isspace() and text[j] not in QUOTES:
            j += 1
        phrase = _operator_phrase(text, j, start) if j < n and text[j] in QUOTES else None
        if phrase is not None:
            end, body = phrase
            out.append((text[start:j] + "\x00" + body, True))
            i = end
            continue
        end = _token_end(text, start)
        out.append((text[start:end], False))
        i = end
    return out


def _clause(token: str, quoted: bool) -> Clause | None:
    """The clause a token reads as (sign, field prefix, text); None for an empty phrase."""
    negate = False
    if quoted:
        prefix, _, body = token.partition("\x00")
    else:
        prefix, body = "", token
    if not quoted:
        if body.startswith("-") and len(body) > 1:
            negate, body = True, body[1:]
        elif body.startswith("+") and len(body) > 1:
            body = body[1:]
        name, sep, rest = body.replace("：", ":").partition(":")
        if sep and name.lower() in FIELDS and rest:
            return Clause(rest, False, FIELDS[name.lower()], negate)
        return Clause(body, False, None, negate)
    expand = prefix.startswith("~")
    if prefix.startswith("-"):
        negate, prefix = True, prefix[1:]
    elif prefix.startswith(("+", "~")):
        prefix = prefix[1:]
    name = prefix.replace("：", ":").rstrip(":").lower()
    fld = FIELDS.get(name) if prefix.endswith((":", "：")) else None
    if prefix and fld is None:  # not produced by _lex; kept so that nothing is lost
        body = prefix + body
    if not body.strip():
        return None
    return Clause(body, True, fld, negate, expand)


def parse(text: str) -> ParsedQuery:
    """Parse any string; never raises."""
    text = (text or "")[:MAX_QUERY_CHARS]
    text = "".join(ch if ch.isprintable() or ch.isspace() else " " for ch in text)
    groups: list[list[Clause]] = []
    pending_or = False
    pending_not = False
    lexed = _lex(text)
    for pos, (token, quoted) in enumerate(lexed):
        if not quoted and token in ("OR", "|", "||"):
            if groups and pos + 1 < len(lexed):
                pending_or = True
                continue
        if not quoted and token in ("NOT", "AND", "&&"):
            if pos + 1 < len(lexed):
                pending_not = pending_not or token == "NOT"
                continue
        clause = _clause(token, quoted)
        if clause is None:
            continue
        if pending_not:
            clause.negate = True
            pending_not = False
        if pending_or and groups:
            if clause not in groups[-1]:
                groups[-1].append(clause)
        elif [clause] not in groups:  # 的 的 的 means 的 once
            groups.append([clause])
        pending_or = False
        if sum(len(g) for g in groups) >= MAX_CLAUSES:
            break
    # A query of nothing but exclusions stays one: search.retrieval.evaluate answers it with
    # every article that has none of them.  A lone "-" or "+" is kept as a word,
    # which search.retrieval.evaluate.meaningful then ignores.
    return ParsedQuery(groups)
