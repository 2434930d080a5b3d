"""Marking matches in stored text, and cutting snippets around them.

Matching is done on the normalised stored text, whose offsets equal the
original's (see :mod:`search.text.normalize`), with optional whitespace between
characters, exactly as the gram index matches.  No segmentation runs per hit:
one regular-expression scan per needle over the article.  Text is escaped
first; ``<mark>`` is the only markup produced.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_left
from functools import lru_cache
from html import escape
from itertools import accumulate, islice

from ..text.normalize import normalize
from .plan import Analysis
from .query import ParsedQuery

SNIPPET_CHARS = 160
FRAGMENT_CHARS = 80
MAX_NEEDLES = 24
MAX_MATCHES = 1000  # matches of one needle marked in one text


class Needles:
    """What to mark for a query: phrases whole, and the words of unquoted runs.

    An unquoted run of several words (工匠精神) matches an article that holds it
    verbatim or only its words apart.  Its words are needles only where the
    article has no verbatim occurrence: :meth:`for_article` drops them otherwise,
    so 精神 in 劳模精神 is not marked (nor counted) for 工匠精神.

    A search passes its plan's ``text`` (:class:`~search.retrieval.plan.Analysis`), so the
    clauses are not squashed or segmented again here.
    """

    def __init__(self, parsed: ParsedQuery | None, text: Analysis | None = None):
        text = text if text is not None else Analysis()
        found: dict[str, float] = {}
        runs: list[tuple[str, tuple[str, ...]]] = []
        own: set[str] = set()
        for clause_text, is_phrase in (parsed.positive_texts() if parsed else []):
            s = text.squash(clause_text)
            if len(s) >= 1:
                found[s] = max(found.get(s, 0.0), 2.0 + len(s))
                own.add(s)
            if not is_phrase:
                parts = tuple(w for w in text.words(clause_text) if w != s)
                for w in parts:
                    found.setdefault(w, 1.0)
                if parts and s:
                    runs.append((s, parts))
        self.own = own  # every clause's own text: never dropped
        self.runs = runs
        self.apart: list[str] = []  # runs marked by their words: no verbatim occurrence
        ranked = sorted(found.items(), key=lambda kv: (-len(kv[0]), kv[0]))
        self.items = ranked[:MAX_NEEDLES]

    def __bool__(self) -> bool:
        return bool(self.items)

    def for_article(self, *texts: str) -> Needles:
        """These needles for one article (its ``texts``: title, body …).

        A run found verbatim in any of the texts is marked verbatim only; a run
        found nowhere verbatim keeps its words, and is listed in ``apart``.
        Words that are also a query term of their own stay.
        """
        if not self.runs:
            return self
        norm = "\n".join(normalize(t) for t in texts if t)
        keep: set[str] = set()
        drop: set[str] = set()
        apart: list[str] = []
        for run, parts in self.runs:
            if _pattern(run).search(norm):
                drop.update(parts)
            else:
                keep.update(parts)
                if any(_pattern(w).search(norm) for w in parts):
                    apart.append(run)
        gone = drop - keep - self.own
        out = copy.copy(self)
        out.items = [(w, wt) for w, wt in self.items if w not in gone]
        out.apart = apart
        return out


@lru_cache(maxsize=512)
def _pattern(needle: str) -> re.Pattern:
    return re.compile(r"\s*".join(re.escape(ch) for ch in needle))


def find_spans(text: str, needles: Needles,
               limit: int = MAX_MATCHES) -> list[tuple[int, int, float]]:
    """Merged (start, end, weight) spans of matches in ``text``, ``limit`` per needle.

    The limit bounds the Python work per article: 工工 in an article of 300,000
    identical characters would make 500,000 spans for every hit; the page shows
    a snippet of 160 characters, and an article page a few hundred marks at most.
    """
    if not text or not needles:
        return []
    norm = normalize(text)
    spans = []
    for needle, weight in needles.items:
        for m in islice(_pattern(needle).finditer(norm), limit):
            spans.append((m.start(), m.end(), weight))
    if not spans:
        return []
    spans.sort()
    merged = [list(spans[0])]
    for s, e, w in spans[1:]:
        last = merged[-1]
        if s < last[1]:
            last[1] = max(last[1], e)
            last[2] = max(last[2], w)
        else:
            merged.append([s, e, w])
    return [tuple(x) for x in merged]


def _render(text: str, spans, start: int, end: int) -> str:
    out, pos = [], start
    for s, e, _ in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[pos:s]))
        out.append("<mark>" + escape(text[s:e]) + "</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def mark(text: str, needles: Needles) -> str:
    """The whole text escaped, with every match in ``<mark>``."""
    return _render(text, find_spans(text, needles), 0, len(text))


def _best_window(spans, length: int, width: int, taken) -> tuple[int, int] | None:
    """The window of ``width`` characters holding the most match weight.

    Candidate windows start a little before each match.  A match counts for the
    window it *starts* in, so one longer than the window (a quoted sentence of
    61+ characters) still gets a window showing its start; counting only
    matches that fit left no window for it (an IndexError, a 500).  Spans are
    merged, so their starts are sorted: the spans starting inside a window are a
    contiguous run, summed from prefix sums in O(log n).
    """
    starts = [sp[0] for sp in spans]
    prefix = [0.0, *accumulate(sp[2] for sp in spans)]
    best, best_score = None, 0.0
    for s in starts:
        start = max(0, min(s - width // 4, length - width))
        end = min(length, start + width)
        if any(start < te and ts < end for ts, te in taken):
            continue
        lo = bisect_left(starts, start)
        hi = bisect_left(starts, end)
        score = prefix[hi] - prefix[lo] if hi > lo else 0.0
        if score > best_score:
            best, best_score = (start, end), score
    return best


# A snippet prefers to start after, and end on, one of these.
BOUNDARY = "。！？；!?;\n，,、：:）)」』”"
SLACK = 16  # characters a window's edge may move to reach a boundary
LONG_MARK = SNIPPET_CHARS  # a window's edge may move this far to end a mark it cuts


def _adjust(text: str, spans, start: int, end: int) -> tuple[int, int]:
    """``start, end`` moved so that no mark is cut, and onto clause boundaries where near.

    A window's edge inside a match moves to the match's edge (by up to
    :data:`LONG_MARK` characters: a quoted passage longer than that is cut, its
    tags still balanced).  Then each edge moves to a boundary character within
    :data:`SLACK` (the nearest), never so far that a mark it holds falls out.
    """
    n = len(text)
    inside = [sp for sp in spans if sp[0] < end and sp[1] > start]
    for s, e, _ in inside:
        if s < start <= s + LONG_MARK:
            start = s
        if e > end and e - end <= LONG_MARK:
            end = e
    first = min((sp[0] for sp in inside), default=end)
    last = max((min(sp[1], end) for sp in inside), default=start)
    if start > 0:
        back = [j for j in range(start - 1, max(-1, start - SLACK - 1), -1) if text[j] in BOUNDARY]
        ahead = [j for j in range(start, min(first, start + SLACK)) if text[j] in BOUNDARY]
        near = _nearest(start, back, ahead)
        if near is not None:
            start = near + 1
    if end < n:
        back = [j for j in range(end - 1, max(last - 1, end - SLACK - 1), -1)
                if text[j] in BOUNDARY]
        ahead = [j for j in range(end, min(n, end + SLACK)) if text[j] in BOUNDARY]
        near = _nearest(end - 1, back, ahead)
        if near is not None:
            end = near + 1
    return start, end


def _nearest(at: int, back: list[int], ahead: list[int]) -> int | None:
    """The boundary of ``back`` (descending) or ``ahead`` (ascending) nearest to ``at``."""
    options = back[:1] + ahead[:1]
    return min(options, key=lambda j: (abs(j - at), j)) if options else None


def snippet(text: str, needles: Needles, width: int = SNIPPET_CHARS) -> str:
    """Up to two windows around the best matches, joined by an ellipsis.

    No window ends inside a mark, and windows begin and end at clause
    boundaries where one is near (:func:`_adjust`).
    """
    text = text or ""
    spans = find_spans(text, needles)
    flat = " ".join(text.split())
    if not spans:
        cut = flat[:width]
        return escape(cut) + ("…" if len(flat) > width else "")
    windows: list[tuple[int, int]] = []
    first = _best_window(spans, len(text), FRAGMENT_CHARS, windows)
    if first:
        windows.append(first)
        second = _best_window(spans, len(text), width - FRAGMENT_CHARS, windows)
        if second:
            windows.append(second)
    if not windows:  # cannot happen (each match starts in its own window); never fail
        windows.append((0, min(len(text), width)))
    windows = sorted(_adjust(text, spans, s, e) for s, e in windows)
    joined = [list(windows[0])]
    for s, e in windows[1:]:
        if s <= joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], e)
        else:
            joined.append([s, e])
    pieces = [" ".join(_render(text, spans, start, end).split()) for start, end in joined]
    lead = "…" if joined[0][0] > 0 else ""
    tail = "…" if joined[-1][1] < len(text) else ""
    return lead + "…".join(pieces) + tail
