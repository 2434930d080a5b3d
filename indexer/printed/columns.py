"""Text columns of a printed page, which story each belongs to, and its reading order.

A page's body lines are first stacked into column pieces (:class:`Stack`): lines one under
the other at a line's pitch, with the same left and right edges (a paragraph's indented
first line and short last line included).  A stack never holds two stories: stories are
separated by their headlines, or by more space than a line's.  Each stack is then given to
a headline block, by the first evidence that holds, in this order:

1. its top is level with the top of a vertical headline (竖题) beside it, no headline over
   it: that headline's; else it goes on right under another stack (a byline, a caption
   above the text): that one's;
2. a headline sits right over it (within a few lines): its own;
3. its top is level with the top of a neighbouring stack that has a story, or with the
   first line under that stack's byline (the columns of a story start on one line, also
   where its headline is centred or narrower): that story;
4. a headline sits left of it, level with its top (左题右文): that headline's;
5. a headline or a column of a story sits over it with space between (a picture): that
   story; with nothing over it, a headline just above it and beside or overlapping its
   edge (a title centred over a column of short left-set lines, as verse is printed).

A weaker rule is tried only when no stronger one gives any stack a story.  What none of
these claims is kept as a story without a headline (continued from another
page).  Inside a story, lines above its first full line (a byline under the headline) are
read first, then each column top to bottom, left to right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..byline import author_line
from .lines import Box, Line, union

_WS = " \t\u3000\u00a0"


@dataclass
class Stack:
    """Lines one under the other in one column of text."""

    lines: list[Line] = field(default_factory=list)

    @property
    def box(self) -> Box:
        return union([ln.box for ln in self.lines])

    @property
    def top(self) -> float:
        return self.lines[0].y0

    @property
    def bottom(self) -> float:
        return self.lines[-1].y1


def stacks(lines: list[Line], size: float) -> list[Stack]:
    """The body lines stacked into columns (top to bottom, each line in one stack)."""
    out: list[Stack] = []
    for ln in sorted(lines, key=lambda ln: (ln.y0, ln.x0)):
        best = None
        for st in out:
            last = st.lines[-1]
            x0, _, x1, _ = st.box
            gap = ln.y0 - last.y1
            if not -0.3 * size <= gap <= 1.0 * max(size, ln.size):
                continue
            # the same column: left edges within an indent, not wider than the column
            # (a stack of a line or two may be a paragraph's short end: the next line is wider)
            if abs(ln.x0 - x0) <= 2.5 * size and (ln.x1 <= x1 + 1.5 * size
                                                  or len(st.lines) <= 2) and (
                    ln.x1 >= x0 + 0.5 * (x1 - x0) or ln.x0 <= x0 + 2.5 * size):
                if best is None or gap < best[0]:
                    best = (gap, st)
        if best:
            best[1].lines.append(ln)
        else:
            out.append(Stack([ln]))
    return out


def _cover(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def assign(sts: list[Stack], heads: list[Box], size: float,
           frame_of: Callable[[Box], Box | None]) -> tuple[dict[int, int], dict[int, str]]:
    """Stack index → headline index, and the rule that decided, for each stack given one."""
    hframe = [frame_of(h) for h in heads]
    sframe = [frame_of(st.box) for st in sts]
    owner: dict[int, int] = {}
    why: dict[int, str] = {}

    def above(i: int) -> tuple[str, int, float] | None:
        """What sits nearest over stack ``i`` (a stack or a headline), and how far."""
        x0, y0, x1, _ = sts[i].box
        best = None
        for j, other in enumerate(sts):
            if j == i or sframe[j] != sframe[i]:
                continue
            ox0, _, ox1, oy1 = other.box
            # OCR's boxes of two lines one under the other may overlap by a few points
            if oy1 <= y0 + 0.5 * size and _cover(x0, x1, ox0, ox1) >= 0.3 * min(
                    x1 - x0, ox1 - ox0):
                if best is None or y0 - oy1 < best[2]:
                    best = ("stack", j, y0 - oy1)
        for k, h in enumerate(heads):
            if hframe[k] != sframe[i]:
                continue
            if h[3] <= y0 + 0.5 * size and _cover(x0, x1, h[0], h[2]) >= 0.3 * min(
                    x1 - x0, h[2] - h[0]):
                if best is None or y0 - h[3] < best[2]:
                    best = ("head", k, y0 - h[3])
        return best

    nearest = [above(i) for i in range(len(sts))]
    order = sorted(range(len(sts)), key=lambda i: sts[i].top)
    rule = 1
    while rule <= 5:  # the strongest rule that gives any stack a story, then from the top
        found = False
        for i in order:
            if i in owner:
                continue
            got = _rule(rule, i, sts, heads, nearest, owner, sframe, hframe, size)
            if got is not None:
                owner[i], why[i] = got
                found = True
        rule = 1 if found else rule + 1
    return owner, why


def _rule(rule: int, i: int, sts: list[Stack], heads: list[Box], nearest: list,
          owner: dict[int, int], sframe: list, hframe: list, size: float
          ) -> tuple[int, str] | None:
    st = sts[i]
    near = nearest[i]
    if rule == 1 and not (near and near[0] == "head" and near[2] <= 4 * size):
        k = _vertical_beside(i, sts, heads, sframe, hframe, size)
        if k is not None:
            return k, "beside its vertical headline, level with its top (竖题)"
    if rule == 1 and near and near[0] == "stack" and near[2] <= 2.5 * size:
        j = near[1]
        return (owner[j], "goes on under a column of its story") if j in owner else None
    if rule == 2 and near and near[0] == "head" and near[2] <= 4 * size:
        return near[1], "right under its headline"
    if rule == 3:
        x0, y0, x1, _ = st.box
        for j in sorted(owner, key=lambda j: abs(sts[j].box[0] - x0)):
            ox0, oy0, ox1, _ = sts[j].box
            if sframe[j] != sframe[i] or min(abs(t - y0) for t in _tops(sts[j])) > 0.6 * size:
                continue
            gap = (x1, ox0) if ox0 >= x1 else (ox1, x0)
            if gap[1] - gap[0] <= 3 * size or _clear(gap, y0 + 0.5 * size, sts, heads, i, j):
                return owner[j], "level with the top of a column of its story"
    if rule == 4:
        x0, y0, _, _ = st.box
        side = [k for k, h in enumerate(heads) if hframe[k] == sframe[i]
                and h[2] <= x0 + 0.5 * size and x0 - h[2] <= 10 * size
                and h[1] - size <= y0 <= h[1] + 3 * size]
        if side:
            return max(side, key=lambda k: heads[k][2]), "beside its headline (左题右文)"
    if rule == 5 and near and near[0] == "head":
        return near[1], "under its headline, past a picture or a gap"
    if rule == 5 and near and near[0] == "stack" and near[1] in owner:
        return owner[near[1]], "under a column of its story, past a picture or a gap"
    if rule == 5 and near is None:
        x0, y0, x1, _ = st.box
        over = [k for k, h in enumerate(heads) if hframe[k] == sframe[i]
                and h[3] <= y0 + 0.5 * size and y0 - h[3] <= 4 * size
                and max(h[0] - x1, x0 - h[2]) <= 2 * size]
        if over:
            return (max(over, key=lambda k: heads[k][3]),
                    "under a headline centred over its short lines (verse), nothing else over it")
    return None


def _tops(st: Stack) -> list[float]:
    """Where a column's text starts: its top, and under a byline heading it (本报记者 张三
    over the first column only) the top of its text, level with the next columns'."""
    tops = [st.top]
    if len(st.lines) > 1 and author_line(st.lines[0].text.strip(_WS)):
        tops.append(st.lines[1].y0)
    return tops


def _vertical_beside(i: int, sts: list[Stack], heads: list[Box], sframe: list, hframe: list,
                     size: float) -> int | None:
    """The vertical headline (竖题) stack ``i`` sits beside, its top level with the
    headline's, on the same row with no other headline between them: a vertical headline
    runs down beside the columns of its own story, whose text starts level with it (the
    story above ends at that row)."""
    x0, y0, x1, _ = sts[i].box
    best = None
    for k, h in enumerate(heads):
        if hframe[k] != sframe[i] or h[3] - h[1] < 2.5 * (h[2] - h[0]):
            continue
        if not h[1] - size <= y0 <= h[1] + 3 * size:
            continue
        if h[0] >= x1 - 0.5 * size:
            lo, hi = x1, h[0]
        elif h[2] <= x0 + 0.5 * size:
            lo, hi = h[2], x0
        else:
            continue
        if any(j != k and o[1] <= y0 + size and o[3] >= y0 and o[0] < hi and o[2] > lo
               for j, o in enumerate(heads)):
            continue
        if best is None or hi - lo < best[1]:
            best = (k, hi - lo)
    return best[0] if best else None


def _clear(gap: tuple[float, float], y: float, sts: list[Stack], heads: list[Box], i: int,
           j: int) -> bool:
    """Whether nothing is printed between two stacks at height ``y`` (a short column's
    last line leaves the row open)."""
    boxes = [st.box for k, st in enumerate(sts) if k not in (i, j)] + heads
    return not any(b[1] <= y <= b[3] and b[0] < gap[1] and b[2] > gap[0] for b in boxes)


def read_columns(parts: list[Stack], size: float) -> tuple[list[Line], list[str], list[Box]]:
    """(lines in reading order, paragraphs, column boxes) of one story's stacks.

    Stacks above all the others (a byline under the headline) are read first; the rest
    are grouped into columns (stacks that share most of their width) read left to right,
    each top to bottom.  A line indented from its column's left edge starts a paragraph, a
    line ending short of the right edge ends one; a paragraph cut at a column's foot goes
    on at the next column's top without a break.
    """
    if not parts:
        return [], [], []
    parts = sorted(parts, key=lambda st: st.top)
    lead: list[Stack] = []
    while len(parts) > 1 and parts[0].bottom <= min(st.top for st in parts[1:]) + 0.3 * size:
        lead.append(parts.pop(0))
    cols: list[list[Stack]] = []
    for st in sorted(parts, key=lambda st: (st.box[0], st.top)):
        x0, _, x1, _ = st.box
        for col in cols:
            c0 = min(c.box[0] for c in col)
            c1 = max(c.box[2] for c in col)
            if _cover(x0, x1, c0, c1) >= 0.5 * min(x1 - x0, c1 - c0):
                col.append(st)
                break
        else:
            cols.append([st])
    cols.sort(key=lambda col: min(c.box[0] for c in col))
    ordered: list[Line] = []
    paras: list[str] = []
    boxes: list[Box] = []
    for st in lead:
        paras.append(join_text([ln.text.strip(_WS) for ln in st.lines]))
        ordered.extend(st.lines)
        boxes.append(st.box)
    open_para = False
    for col in cols:
        col.sort(key=lambda st: st.top)
        c0 = min(c.box[0] for c in col)
        c1 = max(c.box[2] for c in col)
        boxes.append(union([c.box for c in col]))
        for ln in sorted((ln for st in col for ln in st.lines), key=lambda ln: (ln.y0, ln.x0)):
            text = ln.text.strip(_WS)
            indented = 1.2 * ln.size <= ln.x0 - c0 <= 3.5 * ln.size  # a paragraph's indent
            if not open_para or indented:
                paras.append(text)
            else:
                paras[-1] = join_text([paras[-1], text])
            open_para = c1 - ln.x1 < 1.2 * ln.size
            ordered.append(ln)
    return ordered, [p for p in paras if p], boxes


def join_text(parts: list[str]) -> str:
    """Lines joined as one text: no space between Chinese, one between Latin words."""
    out = ""
    for p in parts:
        if out and p[:1].isascii() and p[:1].isalnum() and out[-1:].isascii() and \
                out[-1:].isalnum():
            out += " "
        out += p
    return out
