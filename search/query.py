"""The query language of CONTRACT.md, parsed without ever failing.

``parse`` turns any string into a :class:`ParsedQuery`: groups joined by AND,
each group a list of clauses joined by OR.  Anything that is not valid syntax
(an unbalanced quote, a lone operator, ``title:`` with nothing after it) is
kept as plain words, so every input is searchable.

``to_whoosh`` then builds the Whoosh query:

* a quoted phrase matches exactly where its normalised text is a substring of
  the title or body (a phrase of character bigrams);
* an unquoted run matches where it occurs verbatim *or* where all its jieba
  words occur; verbatim matches carry a bonus larger than any BM25 score, so
  they all rank first;
* ``reporter:`` matches whole names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.matching import NullMatcher, WrappingMatcher

from . import schema as f
from .analysis import words
from .document import reporter_key
from .normalize import normalize

FIELDS = {
    "title": "title", "标题": "title",
    "body": "body", "正文": "body",
    "reporter": "reporter", "记者": "reporter", "作者": "reporter",
}
QUOTES = {'"': '"', "＂": "＂", "“": "”", "”": "”", "「": "」", "『": "』"}
HEAD_BOOST = 3.0
VERBATIM_BONUS = 1_000_000.0
MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 32


@dataclass
class Clause:
    text: str
    phrase: bool = False
    field: str | None = None  # None, "title", "body" or "reporter"
    negate: bool = False


@dataclass
class ParsedQuery:
    groups: list[list[Clause]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
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
            groups[-1].append(clause)
        else:
            groups.append([clause])
        pending_or = False
        if sum(len(g) for g in groups) >= MAX_CLAUSES:
            break
    # A query of nothing but exclusions is read as words: "-" alone means nothing.
    return ParsedQuery(groups)


# --- building Whoosh queries -------------------------------------------------


class _BonusMatcher(WrappingMatcher):
    def __init__(self, child, bonus: float):
        super().__init__(child)
        self.bonus = bonus

    def _replacement(self, newchild):
        return _BonusMatcher(newchild, self.bonus)

    def score(self):
        return self.child.score() + self.bonus

    def max_quality(self):
        return self.child.max_quality() + self.bonus

    def block_quality(self):
        return self.child.block_quality() + self.bonus


class Bonus(wq.WrappingQuery):
    """Adds a constant to the child's score: puts verbatim matches in a tier above."""

    def __init__(self, child, bonus: float = VERBATIM_BONUS):
        super().__init__(child)
        self.bonus = bonus

    def _rewrap(self, child):
        return Bonus(child, self.bonus)

    def __eq__(self, other):
        return isinstance(other, Bonus) and self.child == other.child and self.bonus == other.bonus

    def __hash__(self):
        return hash((Bonus, self.child, self.bonus))

    def matcher(self, searcher, context=None):
        m = self.child.matcher(searcher, context)
        if not m.is_active():
            return NullMatcher()
        return _BonusMatcher(m, self.bonus)


def squashed(text: str) -> str:
    return "".join(normalize(text).split())


def substring_query(fieldname: str, s: str, boost: float = 1.0) -> wq.Query:
    """Matches documents whose normalised field contains ``s`` (already squashed)."""
    if not s:
        return wq.NullQuery
    if len(s) == 1:
        return wq.Prefix(fieldname, s, boost=boost)
    if len(s) == 2:
        return wq.Term(fieldname, s, boost=boost)
    bigrams = [s[i : i + 2] for i in range(len(s) - 1)]
    return wq.Phrase(fieldname, bigrams, boost=boost)


def _fields_for(clause: Clause) -> list[tuple[str, str, float]]:
    """(word field, gram field, boost) pairs a clause searches."""
    both = [(f.HEAD, f.HEAD_G, HEAD_BOOST), (f.TEXT, f.TEXT_G, 1.0)]
    if clause.field == "title":
        return both[:1]
    if clause.field == "body":
        return both[1:]
    return both


def clause_query(clause: Clause) -> wq.Query:
    if clause.field == "reporter":
        key = reporter_key(clause.text)
        return wq.Term(f.REPORTER, key) if key else wq.NullQuery
    s = squashed(clause.text)
    if not s:
        return wq.NullQuery
    pairs = _fields_for(clause)
    verbatim = wq.Or([substring_query(g, s, b) for _, g, b in pairs])
    if clause.phrase:
        return verbatim
    if not any(ch.isalnum() for ch in s):
        return wq.NullQuery  # bare punctuation outside quotes carries no meaning
    ws = words(clause.text)
    if not ws:
        return Bonus(verbatim)
    apart = wq.And([wq.Or([wq.Term(w_f, w, boost=b) for w_f, _, b in pairs]) for w in ws])
    return wq.Or([Bonus(verbatim), apart])


def to_whoosh(parsed: ParsedQuery) -> wq.Query | None:
    """The Whoosh query for ``parsed``; ``None`` when it has no positive part."""
    must, must_not = [], []
    for group in parsed.groups:
        pos = [clause_query(c) for c in group if not c.negate]
        neg = [clause_query(c) for c in group if c.negate]
        if len(group) == 1 and neg:
            must_not.extend(q for q in neg if q is not wq.NullQuery)
            continue
        alts = [q for q in pos if q is not wq.NullQuery]
        alts += [wq.Not(q) for q in neg if q is not wq.NullQuery]
        if alts:
            must.append(alts[0] if len(alts) == 1 else wq.Or(alts))
    if not must and not must_not:
        return None
    base = wq.And(must) if must else wq.Every()
    if must_not:
        return wq.AndNot(base, wq.Or(must_not))
    return base
