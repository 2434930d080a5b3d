"""Marking matches in stored text, and cutting snippets around them.

Matching is done on the normalised stored text, whose offsets equal the
original's (see :mod:`search.normalize`), with optional whitespace between
characters, exactly as the gram index matches.  No segmentation runs per hit:
one regular-expression scan per needle over the article.  Text is escaped
first; ``<mark>`` is the only markup produced.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from html import escape
from itertools import accumulate, islice

from .analysis import words
from .normalize import normalize, squash
from .query import ParsedQuery

SNIPPET_CHARS = 160
FRAGMENT_CHARS = 80
MAX_NEEDLES = 24
MAX_MATCHES = 1000  # matches of one needle marked in one text


class Needles:
    """What to mark for a query: phrases whole, and the words of unquoted runs."""

    def __init__(self, parsed: ParsedQuery | None):
        found: dict[str, float] = {}
        for text, is_phrase in (parsed.positive_texts() if parsed else []):
            s = squash(text)
            if len(s) >= 1:
                found[s] = max(found.get(s, 0.0), 2.0 + len(s))
            if not is_phrase:
                for w in words(text):
                    found.setdefault(w, 1.0)
        ranked = sorted(found.items(), key=lambda kv: (-len(kv[0]), kv[0]))
        self.items = ranked[:MAX_NEEDLES]

    def __bool__(self) -> bool:
        return bool(self.items)


@lru_cache(maxsize=512)
def _pattern(needle: str) -> re.Pattern:
    return re.compile(r"\s*".join(re.escape(ch) for ch in needle))


def find_spans(text: str, needles: Needles,
               limit: int = MAX_MATCHES) -> list[tuple[int, int, float]]:
    """Merged (start, end, weight) spans of matches in ``text``, ``limit`` per needle.

    The limit bounds the Python work per article: 工工 in an article of 300,000
    identical characters made 500,000 spans and took 1 s per hit; the page shows
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


def snippet(text: str, needles: Needles, width: int = SNIPPET_CHARS) -> str:
    """Up to two windows around the best matches, joined by an ellipsis."""
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
    windows.sort()
    pieces = [" ".join(_render(text, spans, start, end).split()) for start, end in windows]
    lead = "…" if windows[0][0] > 0 else ""
    tail = "…" if windows[-1][1] < len(text) else ""
    return lead + "…".join(pieces) + tail
