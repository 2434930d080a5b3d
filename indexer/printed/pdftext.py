"""A PDF page's text layer as lines with their boxes, through PDFium (pypdfium2).

PDFium reads what a page's text layer says better than the other libraries tried here: it
honours ``/ActualText`` (a span whose glyphs are look-alikes gives the text the typesetter
meant) and it says which glyphs come from a font with no Unicode map
(``FPDFText_HasUnicodeMapError``), so such text is reported instead of imported as garbage;
it renders pages too (the annotated ``--dry-run`` image, the page viewer).

Characters are grouped into lines by position, not by the order the content stream draws
them: a character continues a line when it sits on the line's band and starts within a
character's width of its end.  Wider gaps (a column gutter, the spaced parts of a page
header) start another line; single characters stacked one under the other (竖排) make one
line read top to bottom.  Radicals printed for whole characters are mapped back
(:mod:`.radicals`).
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .lines import Box, Char, Line, PrintedPage
from .radicals import is_radical, unradical

GAP = 0.8  # a gap wider than this many character sizes starts another line
SPACED = 1.5  # … unless the file put a space there (本报记者　张三: an ideographic space)
UNREADABLE = "\ufffd"  # stands for a glyph with no Unicode map


@dataclass
class PageLayer:
    """One page's text layer and drawing: lines, frames (drawn boxes), rules and images."""

    page: PrintedPage
    frames: list[Box] = field(default_factory=list)
    rules: list[Box] = field(default_factory=list)
    images: list[Box] = field(default_factory=list)
    chars: int = 0  # characters drawn as text (not counting spaces PDFium adds)
    unreadable: int = 0  # glyphs of fonts with no Unicode map
    radicals: int = 0  # radicals mapped back to ideographs
    unknown_radicals: int = 0  # radicals with no known ideograph (kept, reported)


@dataclass
class _C:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    space_before: bool = False
    bold: bool = False


def read_layer(doc: pdfium.PdfDocument, path: str, index: int) -> PageLayer:
    """The text lines, frames, rules and images of page ``index`` (0-based) of ``doc``."""
    page = doc[index]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            layer = PageLayer(PrintedPage(path, index, width, height, [], "pdf"))
            chars = _chars(textpage, height, layer)
        finally:
            textpage.close()
        _drawing(page, height, layer)
        layer.page.lines = _lines(chars, [r for r in layer.rules if r[3] - r[1] > r[2] - r[0]])
    finally:
        page.close()
    if layer.unreadable:
        layer.page.problems.append(
            f"{layer.unreadable} character(s) in a font with no Unicode map: their text "
            "cannot be read from the PDF")
    if layer.unknown_radicals:
        layer.page.problems.append(
            f"{layer.unknown_radicals} radical(s) with no known ideograph, kept as printed")
    return layer


def _chars(textpage: pdfium.PdfTextPage, height: float, layer: PageLayer) -> list[_C]:
    out: list[_C] = []
    pending_space = False
    matrix = pdfium_c.FS_MATRIX()
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        generated = pdfium_c.FPDFText_IsGenerated(textpage, i) == 1
        ch = chr(code) if 0 < code < 0x110000 else UNREADABLE
        if ch in "\r\n" or (generated and ch.isspace()):
            pending_space = pending_space or ch == " "
            continue
        if ch.isspace() and ch != "\u3000":
            pending_space = True
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        size = pdfium_c.FPDFText_GetFontSize(textpage, i)
        if pdfium_c.FPDFText_GetMatrix(textpage, i, ctypes.byref(matrix)):
            size *= math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
        if pdfium_c.FPDFText_HasUnicodeMapError(textpage, i) == 1:
            ch = UNREADABLE
            layer.unreadable += 1
        elif is_radical(ch):
            mapped = unradical(ch)
            if mapped != ch:
                layer.radicals += 1
                ch = mapped
            else:
                layer.unknown_radicals += 1
        layer.chars += 1
        bold = _bold(textpage, i, name, flags)
        out.append(_C(ch, left, height - top, right, height - bottom, size or (top - bottom),
                      pending_space, bold))
        pending_space = False
    return out


_BOLD = re.compile(rb"bold|heavy|black|semibold|demi|[-_ ]b$|zhongdeng|cuhei", re.I)


def _bold(textpage: pdfium.PdfTextPage, i: int, name: ctypes.Array, flags: ctypes.c_int
          ) -> bool:
    """A character set in a bold font: by its weight when the font says it, else by its
    name (Helvetica-Bold, FZHei-B01, …); a Type 3 font says neither (not bold)."""
    if pdfium_c.FPDFText_GetFontWeight(textpage, i) >= 600:
        return True
    if not pdfium_c.FPDFText_GetFontInfo(textpage, i, name, len(name), ctypes.byref(flags)):
        return False
    return bool(_BOLD.search(name.value.split(b"+")[-1]))


def _lines(chars: list[_C], rules: list[Box]) -> list[Line]:
    """Characters → lines: same band, no gap wider than :data:`GAP` sizes, no vertical
    rule (a column rule) between two characters."""
    runs: list[list[_C]] = []
    for c in chars:
        if runs and _continues(runs[-1], c, rules):
            runs[-1].append(c)
        else:
            runs.append([c])
    runs = _split_at_gutters(_vertical(_merge_runs(runs, rules)))
    return [_line_of(run) for run in runs]


def _split_at_gutters(runs: list[list[_C]]) -> list[list[_C]]:
    """Lines cut where a spaced gap is a column gutter.

    A gap the file marks with a space may be wider than :data:`GAP` (本报记者　张三), but
    PDFium also marks with a space the gap between two text objects, and the lines of two
    columns a narrow gutter apart may be drawn as one run with such a gap between them.
    The gap is a gutter when the lines above and below it have no character inside it and
    several of them end at its left edge and start at its right edge, as the columns of
    justified text do; a byline's space has text over and under it."""
    bands = [(_band(r), r) for r in runs]
    out: list[list[_C]] = []
    for (y0, y1), run in bands:
        cuts = [k for k in range(1, len(run)) if run[k].space_before
                and run[k].x0 - run[k - 1].x1 > GAP * run[k].size
                and _gutter(run[k - 1], run[k], y0, y1, run, bands)]
        start = 0
        for k in [*cuts, len(run)]:
            out.append(run[start:k])
            start = k
    return out


def _gutter(a: _C, b: _C, y0: float, y1: float, run: list[_C],
            bands: list[tuple[tuple[float, float], list[_C]]]) -> bool:
    """Whether the gap between ``a`` and ``b`` (in ``run``) is a column gutter."""
    size = b.size
    near = [r for (ry0, ry1), r in bands if r is not run
            and y0 - 6 * size <= ry0 and ry1 <= y1 + 6 * size]
    left = right = 0
    for r in near:
        if any(c.x1 > a.x1 + 1 and c.x0 < b.x0 - 1 for c in r):
            return False
        left += any(abs(c.x1 - a.x1) <= 0.5 * size for c in r)
        right += any(abs(c.x0 - b.x0) <= 0.5 * size for c in r)
    return left >= 3 and right >= 3


def _vertical(runs: list[list[_C]]) -> list[list[_C]]:
    """Single characters stacked one under the other at one size (竖排, a headline set
    vertically) joined into one line, read top to bottom."""
    single = sorted((r for r in runs if len(r) == 1), key=lambda r: (r[0].x0, r[0].y0))
    if len(single) < 2:
        return runs
    used: set[int] = set()
    joined: list[list[_C]] = []
    for r in single:
        if id(r) in used:
            continue
        col = [r[0]]
        used.add(id(r))
        for other in single:
            c, last = other[0], col[-1]
            if (id(other) not in used and abs((c.x0 + c.x1) - (last.x0 + last.x1)) / 2
                    <= 0.3 * c.size and -0.2 * c.size <= c.y0 - last.y1 <= 0.6 * c.size
                    and abs(c.size - last.size) < 0.15 * c.size):
                col.append(c)
                used.add(id(other))
        if len(col) >= 2:
            joined.append(col)
        else:
            used.discard(id(r))
    keep = [r for r in runs if not (len(r) == 1 and id(r) in used)]
    return keep + joined


def _band(run: list[_C]) -> tuple[float, float]:
    """A run's vertical band: its characters' boxes, a full type size high at least (a
    flat glyph such as 一 or — has a flat box in a Type 3 font)."""
    y0 = min(c.y0 for c in run)
    y1 = max(c.y1 for c in run)
    size = max(c.size for c in run)
    if y1 - y0 < 0.8 * size:
        mid = (y0 + y1) / 2
        y0, y1 = mid - 0.45 * size, mid + 0.45 * size
    return y0, y1


def _continues(run: list[_C], c: _C, rules: list[Box]) -> bool:
    """Whether ``c`` goes on the line ``run``: on its band, just after its end, same size,
    no rule between."""
    last = run[-1]
    y0, y1 = _band(run[-4:])  # the line's end: a long line may drift a little
    cy0, cy1 = _band([c])
    overlap = min(y1, cy1) - max(y0, cy0)
    return (overlap >= 0.5 * min(y1 - y0, cy1 - cy0)
            and c.x0 >= last.x0 - 0.1 * c.size
            and c.x0 - last.x1 <= (SPACED if c.space_before else GAP) * c.size
            and abs(c.size - last.size) < 0.15 * max(c.size, last.size)
            and not any(last.x1 - 1 <= (r[0] + r[2]) / 2 <= c.x0 + 1 and r[1] <= c.y1
                        and r[3] >= c.y0 for r in rules))


def _merge_runs(runs: list[list[_C]], rules: list[Box]) -> list[list[_C]]:
    """Join runs the content stream drew apart that still make one line (same band, close).

    Runs are taken by the tops of their bands, so a run whose glyphs sit lower (工, a flat
    character, before 友周末 in display type) may come after the run it precedes on the
    line: it is put in front of it."""
    out: list[list[_C]] = []
    for run in sorted(runs, key=lambda r: (_band(r)[0], r[0].x0)):
        for prev in reversed(out[-12:]):
            if _continues(prev, run[0], rules):
                prev.extend(run)
                break
            if _continues(run, prev[0], rules):
                prev[:0] = run
                break
        else:
            out.append(run)
    return out


def _line_of(run: list[_C]) -> Line:
    text = ""
    for k, c in enumerate(run):
        if k and c.space_before:
            text += " "
        text += c.text
    sizes = sorted(c.size for c in run)
    return Line(text=text, x0=min(c.x0 for c in run), y0=min(c.y0 for c in run),
                x1=max(c.x1 for c in run), y1=max(c.y1 for c in run),
                size=sizes[len(sizes) // 2], bold=2 * sum(c.bold for c in run) > len(run),
                conf=None,
                chars=[Char(c.text, c.x0, c.y0, c.x1, c.y1) for c in run])


def _drawing(page: pdfium.PdfPage, height: float, layer: PageLayer) -> None:
    """Frames (boxes drawn around stories), rules (thin lines) and images of the page."""
    for obj in page.get_objects(max_depth=4):
        kind = obj.type
        if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE):
            continue
        left, bottom, right, top = obj.get_bounds()
        box = (left, height - top, right, height - bottom)
        w, h = right - left, top - bottom
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            layer.images.append(box)
        elif w < 3 or h < 3:
            layer.rules.append(box)
        else:
            layer.frames.append(box)
