"""The article as the engine sees it, and its mapping to index fields."""

from __future__ import annotations

import hashlib
import json
import time
import unicodedata
import zlib
from dataclasses import dataclass, field

from . import schema as f
from .text.normalize import squash


@dataclass
class Article:
    title: str
    body: str
    date: str  # YYYY-MM-DD
    subtitle: str = ""
    reporters: list[str] = field(default_factory=list)
    page: str | None = None
    url: str | None = None
    id: str | None = None
    kicker: str = ""  # 引题, printed above the title
    # The 版面's name as printed (综合新闻).  A name belongs to a page of an issue, not to
    # one article: it is kept per issue in the index's meta file (search.storage.folder), never in
    # the stored article or its digest.
    page_name: str = ""
    # Where it was printed, for articles read from a PDF or a scan: {"file": source path,
    # "page": 0-based page in the file, "size": [w, h], "regions": [[x0, y0, x1, y1], …]} in
    # page points (origin top-left).  Not part of the stable id: re-reading the same page
    # with better segmentation updates the article instead of adding another.
    printed: dict | None = None
    # The publication's short key (``ldwb``), "" in an archive of one unnamed paper.
    paper: str = ""
    # When the import that wrote it started (seconds since 1970); 0: unknown or not yet.
    added: int = 0

    def stable_id(self) -> str:
        """The given id, else a hash of date, title and body (re-imports update).

        With a paper the hash covers its key too, so one headline on one day in two
        papers is two articles; without one the id is the hash it always was, so an
        archive of one unnamed paper keeps its ids.
        """
        if self.id:
            return str(self.id)
        parts = (self.date, self.title, self.body)
        if self.paper:
            parts = ("paper:" + self.paper, *parts)
        digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
        return digest[:16]

    def digest(self, stable_id: str | None = None) -> str:
        """Fingerprint of everything stored, to skip re-writing unchanged articles
        (``stable_id``: this article's :meth:`stable_id`, when the caller has it)."""
        parts = [stable_id or self.stable_id(), self.title, self.subtitle or "", self.body,
                 self.date, "\x1e".join(self.reporters), str(self.page or ""), self.url or ""]
        if self.kicker:  # appended only when present: older digests stay valid
            parts.append("kicker:" + self.kicker)
        if self.printed:  # likewise: an article with no printed page keeps its digest
            parts.append("printed:" + json.dumps(self.printed, sort_keys=True,
                                                 ensure_ascii=False))
        if self.paper:  # the same
            parts.append("paper:" + self.paper)
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


MAX_ID_CHARS = 200


def id_problem(art_id: str) -> str | None:
    """Why a given id could not be reached at ``/articles/<id>``, or None.

    An id must survive the trip through a URL: a browser resolves ``.``/``..``
    segments before it asks (``/articles/..`` is ``/``), Werkzeug redirects ``//``
    to ``/`` (so ``//evil.com`` and ``/a`` 404 after a 308), the route does not
    match a line break, and a link longer than a URL is a burden everywhere.
    The route takes a ``path``, so inner slashes, ``?``, ``#``, ``%`` and spaces
    (percent-encoded by ``url_for``) are fine and stay allowed.
    """
    if len(art_id) > MAX_ID_CHARS:
        return f"id of {len(art_id):,} characters; the limit is {MAX_ID_CHARS}"
    if art_id != art_id.strip():
        return f"id {art_id[:60]!r} starts or ends with white space"
    bad = next((c for c in art_id if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")),
               None)
    if bad is not None:
        return f"id {art_id[:60]!r} holds the control character U+{ord(bad):04X}"
    if any(part in ("", ".", "..") for part in art_id.split("/")):
        return (f"id {art_id[:60]!r} has an empty, '.' or '..' part between slashes, "
                "which a browser or the server rewrites: /articles/<id> could not reach it")
    return None


def reporter_key(name: str) -> str:
    """How a reporter name is indexed: normalised, whitespace removed."""
    return squash(name)


def to_fields(article: Article) -> dict:
    """Keyword arguments for Whoosh's ``add_document`` (stored and Whoosh-indexed fields)."""
    art_id = article.stable_id()  # a hash of the whole body when no id is given: once
    doc = {
        f.ID: art_id,
        f.TITLE: article.title,
        f.SUBTITLE: article.subtitle or "",
        f.KICKER: article.kicker or "",
        f.BODY: article.body,
        f.REPORTERS: list(article.reporters),
        f.DATE: article.date,
        f.PAGE: article.page,
        f.URL: article.url,
        "digest": article.digest(art_id),
        f.ADDED: int(article.added or time.time()),
    }
    if article.printed:
        doc[f.PRINTED] = article.printed
    if article.paper:  # no paper, no field: the articles of one unnamed paper stay as they were
        doc[f.PAPER] = article.paper
    return with_index_fields(doc)


def with_index_fields(stored: dict) -> dict:
    """Stored fields plus the fields Whoosh indexes from them (reporter keys, day).

    Also rebuilds documents from what a segment stored, when segments merge.
    """
    doc = dict(stored)
    doc[f.DAY] = day_of(stored[f.DATE])
    keys = [reporter_key(r) for r in stored.get(f.REPORTERS) or [] if reporter_key(r)]
    if keys:
        doc[f.REPORTER] = ",".join(keys)
    return doc


def day_of(date: str) -> int:
    """``2022-09-30`` → ``20220930``: the form of the ``day`` column that filters, sorts and
    counts by date."""
    return int(str(date).replace("-", ""))


def date_of(day: int) -> str:
    """``20220930`` → ``2022-09-30``."""
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}"


def head_text(doc: dict) -> str:
    """What the title field indexes: kicker, title and subtitle (one line each)."""
    parts = (doc.get(f.KICKER) or "", doc.get(f.TITLE) or "", doc.get(f.SUBTITLE) or "")
    return "\n".join(p for p in parts if p)


# Whoosh stores each article's fields zlib-compressed already (its stored-fields column
# is a per-document CompressedBytesColumn): compressing the body again here was tried and
# saved nothing (0.60 of the text either way), so bodies are stored as text.  Bodies
# written as zlib bytes by that trial are still read.
def body_of(stored: dict) -> str:
    """A stored article's body as text (also when stored as zlib bytes, see above)."""
    body = stored.get(f.BODY)
    if isinstance(body, bytes):
        return zlib.decompress(body).decode("utf-8")
    return body or ""


def from_stored(stored: dict, papers: dict[str, str] | None = None) -> dict:
    """The public JSON shape of a stored article (``papers``: paper names by key)."""
    return {
        "id": stored.get(f.ID),
        "kicker": stored.get(f.KICKER) or "",
        "title": stored.get(f.TITLE) or "",
        "subtitle": stored.get(f.SUBTITLE) or "",
        "reporters": list(stored.get(f.REPORTERS) or []),
        "date": stored.get(f.DATE),
        "page": stored.get(f.PAGE),
        "body": body_of(stored),
        "url": stored.get(f.URL),
        **({"printed": stored[f.PRINTED]} if stored.get(f.PRINTED) else {}),
        "paper": paper_ref(stored.get(f.PAPER) or "", papers),
    }


def paper_ref(key: str, papers: dict[str, str] | None = None) -> dict | None:
    """How a hit or an article names its paper: ``{"key", "name"}`` (the name from
    ``papers``, key → name, else the key), None for an article of no named paper."""
    if not key:
        return None
    return {"key": key, "name": (papers or {}).get(key) or key}
