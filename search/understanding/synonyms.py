"""Synonyms and abbreviations, expanded at query time (产改 → 产业工人队伍建设改革).

A synonym file holds one group a line, its terms separated by ``=``, ``,``,
``，`` or ``、`` (``产改 = 产业工人队伍建设改革``, ``劳模, 劳动模范``); ``#`` starts a
comment.  Every term of a group stands for the others, both ways.  The
default list (:mod:`search.understanding.default_synonyms`) is always loaded; a site file
(``--synonyms`` / ``UNIONSEARCH_SYNONYMS``) adds groups.  Nothing is indexed:
the file is re-read when it changes (checked at most every
:data:`RELOAD_EVERY` seconds), so an edit takes effect on the next queries.

A malformed line is reported with its number and skipped; the rest loads.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..retrieval.query import Clause, ParsedQuery
from ..text.normalize import squash
from .default_synonyms import DEFAULT_SYNONYMS

log = logging.getLogger("unionsearch.synonyms")

RELOAD_EVERY = 1.0  # seconds between checks of the site file's modification time
MAX_TERM_CHARS = 50
MAX_ADDED = 8  # synonyms added for one query term
_SEPARATORS = re.compile(r"\s*[=,，、]\s*")
_BAD_CHARS = set('"＂“”「」『』:：~')


@dataclass
class SynonymTable:
    """Each term's (squashed) synonyms, and what was wrong with the lines read."""

    groups: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def of(self, term: str) -> list[str]:
        """The synonyms of ``term`` (not itself), as written in the file."""
        return self.of_squashed(squash(term))

    def of_squashed(self, key: str) -> list[str]:
        """The synonyms of a term already squashed."""
        return self.groups.get(key, [])


def _line_problem(terms: list[str]) -> str | None:
    """Why a line's terms cannot be a group, or None."""
    if any(not t for t in terms):
        return "an empty term (two separators in a row, or one at an end)"
    if len(terms) < 2:
        return "a group needs at least two terms, e.g. 产改 = 产业工人队伍建设改革"
    for t in terms:
        if len(t) > MAX_TERM_CHARS:
            return f"term {t[:20]!r}… is longer than {MAX_TERM_CHARS} characters"
        if _BAD_CHARS & set(t) or any(ch.isspace() for ch in t):
            return f"term {t!r} holds a space, a quote, ':' or '~' (query syntax)"
    return None


def parse_synonyms(text: str, source: str, table: SynonymTable | None = None) -> SynonymTable:
    """Add the groups of ``text`` to ``table``; bad lines go to ``table.problems``."""
    table = table if table is not None else SynonymTable()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        terms = [t.strip() for t in _SEPARATORS.split(line)]
        problem = _line_problem(terms)
        if problem:
            table.problems.append(f"{source}, line {number}: {problem}; line skipped")
            continue
        for term in terms:
            known = table.groups.setdefault(squash(term), [])
            for other in terms:
                if squash(other) != squash(term) and other not in known:
                    known.append(other)
    return table


class SynonymSource:
    """The default list plus an optional site file, re-read when the file changes.

    Safe to share between threads.  :attr:`version` changes with each reload,
    so cached results computed with older synonyms are not reused.
    """

    def __init__(self, path: str | None = None):
        self.path = path or None
        self._lock = threading.RLock()
        self._checked = 0.0
        self._stamp: tuple | None = None
        self.version = 0
        self.table = self._load()

    def _file_stamp(self) -> tuple | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _load(self) -> SynonymTable:
        table = parse_synonyms(DEFAULT_SYNONYMS, "default synonyms")
        if self.path:
            self._stamp = self._file_stamp()
            try:
                with open(self.path, encoding="utf-8-sig") as fh:
                    parse_synonyms(fh.read(), self.path, table)
            except (OSError, UnicodeDecodeError) as exc:
                table.problems.append(f"{self.path}: cannot be read ({exc}); only the "
                                      "default synonyms are used")
        for problem in table.problems:
            log.warning("synonyms: %s", problem)
        return table

    def current(self) -> SynonymTable:
        """The table, re-read first if the site file changed since the last check."""
        if not self.path:
            return self.table
        now = time.monotonic()
        with self._lock:
            if now - self._checked >= RELOAD_EVERY:
                self._checked = now
                if self._file_stamp() != self._stamp:
                    self.reload()
            return self.table

    def reload(self, path: str | None = None) -> None:
        """Read the file (or ``path`` instead, from now on) again now: a reload signal."""
        with self._lock:
            if path:
                self.path = path
            self.table = self._load()
            self.version += 1

    def use(self, path: str | None) -> None:
        """From now on the site file ``path`` (None: the default list only), read now."""
        with self._lock:
            self.path = path or None
            self._stamp = None
            self.table = self._load()
            self.version += 1


def expand(parsed: ParsedQuery, table: SynonymTable,
           key: Callable[[str], str] = squash) -> tuple[ParsedQuery, list[str]]:
    """``parsed`` with each term's synonyms OR-ed in, and the synonyms added.

    Only positive title/body terms are expanded: unquoted ones always, a quoted
    phrase only when asked for (``~"产改"``).  A synonym is searched as an
    exact phrase: its matches rank below the articles holding the term itself
    verbatim (which get the verbatim bonus), its words are not matched apart, and
    it is marked ``added`` (weighed below the typed words: :mod:`search.retrieval.evaluate`).
    ``key`` squashes a text (a search passes its plan's, which squashes each text once).
    """
    added: list[str] = []
    groups: list[list[Clause]] = []
    for group in parsed.groups:
        new = list(group)
        present = {key(c.text) for c in group}
        for c in group:
            if c.negate or c.field == "reporter" or (c.phrase and not c.expand):
                continue
            for syn in table.of_squashed(key(c.text))[:MAX_ADDED]:
                if key(syn) not in present:
                    present.add(key(syn))
                    new.append(replace(c, text=syn, phrase=True, expand=False, added=True))
                    added.append(syn)
        groups.append(new)
    return ParsedQuery(groups), list(dict.fromkeys(added))
