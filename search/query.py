"""The query language of CONTRACT.md, parsed without ever failing.

``parse`` turns any string into a :class:`ParsedQuery`: groups joined by AND,
each group a list of clauses joined by OR.  Anything that is not valid syntax
(an unbalanced quote, a lone operator, ``title:`` with nothing after it) is
kept as plain words, so every input is searchable.

:mod:`search.evaluate` gives the clauses their meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FIELDS = {
    "title": "title", "标题": "title",
    "body": "body", "正文": "body",
    "reporter": "reporter", "记者": "reporter", "作者": "reporter",
}
QUOTES = {'"': '"', "＂": "＂", "“": "”", "”": "”", "「": "」", "『": "』"}
MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 32


@dataclass
class Clause:
    """One term, phrase or field restriction; ``negate`` for ``-x`` / ``NOT x``."""

    text: str
    phrase: bool = False
    field: str | None = None  # None, "title", "body" or "reporter"
    negate: bool = False


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


def _lex(text: str) -> list[tuple[str, bool]]:
    """Split into (token, was_quoted); an unmatched quote is just a character."""
    out: list[tuple[str, bool]] = []
    buf: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            if buf:
                out.append(("".join(buf), False))
                buf = []
            i += 1
            continue
        closer = QUOTES.get(ch)
        if closer is not None:
            end = text.find(closer, i + 1)
            if end == -1 and closer == "”":
                end = text.find("“", i + 1)
            if end != -1:
                if buf:  # field prefix before a quote: title:"…"
                    prefix = "".join(buf)
                    buf = []
                else:
                    prefix = ""
                out.append((prefix + "\x00" + text[i + 1 : end], True))
                i = end + 1
                continue
        buf.append(ch)
        i += 1
    if buf:
        out.append(("".join(buf), False))
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
    if prefix.startswith("-"):
        negate, prefix = True, prefix[1:]
    elif prefix.startswith("+"):
        prefix = prefix[1:]
    name = prefix.replace("：", ":").rstrip(":").lower()
    fld = FIELDS.get(name) if prefix.endswith((":", "：")) else None
    if prefix and fld is None:
        # Text glued to a quote (abc"def") stays part of the phrase.
        body = prefix + body
    if not body.strip():
        return None
    return Clause(body, True, fld, negate)


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
    # A query of nothing but exclusions stays one: search.evaluate answers it with
    # every article that has none of them.  A lone "-" or "+" is kept as a word,
    # which search.evaluate.meaningful then ignores.
    return ParsedQuery(groups)
