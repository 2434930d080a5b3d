"""OCR of a scanned page into the printed-page model: lines with per-character boxes and
confidences, in page points.

Two engines read the same page image: rapidocr-onnxruntime (PP-OCR models shipped in its
wheel, the default) and Debian's tesseract with ``chi_sim`` (``engine="tesseract"``); which
reads newspapers better is measured by ``bench/ingest_scan.py`` (bench/RESULTS.md).

A text detector that sees two columns set close together reads a line of each as one line
across the gutter.  So every line OCR returns is checked against the page's ink: a gap
between two of its characters is a column break when the page is blank (a gutter) or ruled
(a column rule) in that gap for several lines above and below; the line is split there and a
rule read as a character (丨, |) is dropped.  A space inside a line (本报记者 张三) has ink
above or below it and stays.  Before that, a character read twice (the end of one line's box
reaching over the end of another's, across a gutter) is kept once (:func:`drop_doubles`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .lines import Char, Line, PrintedPage

ENGINES = ("rapidocr", "tesseract")
RULE_CHARS = set("|丨｜")
# Closing marks never start a printed line (Chinese line breaking forbids it): one read there
# with doubt is a speck of dirt.
CLOSING = set("”’」』）》〕】、，。：；！？")
# A page whose characters OCR read with a mean confidence below this is imported but
# flagged for an editor to check.
CONFIDENCE_FLOOR = 0.80


class OcrUnavailable(RuntimeError):
    """The chosen OCR engine is not installed; the message says how to install it."""


@dataclass
class RawChar:
    text: str
    box: tuple[float, float, float, float]  # pixels
    conf: float


@dataclass
class RawLine:
    chars: list[RawChar] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (min(c.box[0] for c in self.chars), min(c.box[1] for c in self.chars),
                max(c.box[2] for c in self.chars), max(c.box[3] for c in self.chars))


@lru_cache(maxsize=1)
def _rapid():  # noqa: ANN202 - a RapidOCR engine, imported lazily (it loads three models)
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise OcrUnavailable("rapidocr-onnxruntime is not installed: "
                             "pip install 'rapidocr-onnxruntime>=1.4.4'") from exc
    return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)


def read_rapidocr(gray: np.ndarray) -> list[RawLine]:
    """rapidocr's lines of a greyscale page, each character with its box and confidence."""
    rgb = np.repeat(gray[:, :, None], 3, axis=2)
    result, _ = _rapid()(rgb, return_word_box=True)
    lines = []
    for box, text, score, words_boxes, words, confs in result or []:
        if not text.strip():
            continue
        line = RawLine()
        confs = list(confs) if confs else [float(score)] * len(text)
        k = 0
        pieces = list(zip(words, words_boxes, strict=False)) if words_boxes else []
        if sum(len(w) for w, _ in pieces) != len(text):
            pieces = [(text, box)]  # no usable character boxes: the line box for all
        for word, wbox in pieces:
            xs = [p[0] for p in wbox]
            ys = [p[1] for p in wbox]
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            step = (x1 - x0) / max(1, len(word))
            for j, ch in enumerate(word):
                conf = float(confs[k]) if k < len(confs) else float(score)
                line.chars.append(RawChar(ch, (x0 + j * step, y0, x0 + (j + 1) * step, y1),
                                          conf))
                k += 1
        lines.append(line)
    return lines


def read_tesseract(gray: np.ndarray) -> list[RawLine]:
    """tesseract's (chi_sim) lines: its symbols with their boxes and confidences."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrUnavailable("tesseract is not installed: apt-get install tesseract-ocr "
                             "tesseract-ocr-chi-sim")
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.png"
        Image.fromarray(gray).save(src)
        out = subprocess.run([exe, str(src), "-", "-l", "chi_sim", "--psm", "3", "tsv"],
                             capture_output=True, text=True, check=False,
                             env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    if out.returncode != 0:
        raise OcrUnavailable(f"tesseract failed: {out.stderr.strip()[:200]}")
    groups: dict[tuple, RawLine] = {}
    for row in out.stdout.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        key = tuple(cols[1:5])  # page, block, paragraph, line
        x, y, w, h = (float(v) for v in cols[6:10])
        word = cols[11].strip()
        conf = max(0.0, float(cols[10])) / 100
        step = w / len(word)
        line = groups.setdefault(key, RawLine())
        for j, ch in enumerate(word):
            line.chars.append(RawChar(ch, (x + j * step, y, x + (j + 1) * step, y + h), conf))
    return [ln for ln in groups.values() if ln.chars]


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark pixels of the page (a fixed threshold between paper and print)."""
    return gray < 140


def column_breaks(ink: np.ndarray, box: tuple[float, float, float, float],
                  em: float) -> list[tuple[float, bool, bool]]:
    """The x positions where a line in ``box`` may cross a gutter or a column rule.

    A gap in the line's own ink wider than 0.45 em (``em``: its character size in pixels)
    that stays blank (a few specks of dirt allowed) for 0.4 em or more in the two and a half
    lines above it or in those below it; looking up and down separately keeps the gutters
    just below or above a headline set across the columns.  One pixel column dark down the
    line and the lines above or below it, with paper on both sides, is a column rule.  Each
    comes as ``(x, strong, rule)``; ``strong``: text on both sides of the blank in that
    band (a white stripe between two columns of text), or a rule.  These are candidates:
    :func:`split_columns` keeps those the lines around confirm.
    """
    x0, y0, x1, y1 = box
    h = max(4.0, em)
    a, b = max(0, int(x0)), min(ink.shape[1], int(x1))
    if b - a < 3 * h:
        return []
    rows = ink.shape[0]
    own = ink[max(0, int(y0)):min(rows, int(y1) + 1), a:b].mean(axis=0)
    bands = []
    for top, bottom in ((y0 - 2.5 * h, y0), (y1, y1 + 2.5 * h)):
        band = ink[max(0, int(top)):min(rows, int(bottom)), a:b]
        if band.shape[0] >= h:
            bands.append(band.mean(axis=0))
    breaks: list[tuple[float, bool, bool]] = []
    min_run = max(3, int(0.45 * h))
    side = max(2, int(h))
    run_start = None
    for i, is_blank in enumerate([*(own < 0.06).tolist(), False]):
        if is_blank and run_start is None:
            run_start = i
        elif not is_blank and run_start is not None:
            lo, hi = run_start, i
            run_start = None
            if hi - lo < min_run or lo < h or hi > len(own) - h:
                continue
            found = None
            for band in bands:
                clear = _longest_run(band[lo:hi] < 0.06)
                if clear is None or clear[1] - clear[0] < 0.4 * h:
                    continue
                c0, c1 = lo + clear[0], lo + clear[1]
                strong = bool(band[max(0, c0 - side):c0].mean() > 0.05
                              and band[c1:c1 + side].mean() > 0.05)
                if found is None or strong:
                    found = (a + (c0 + c1) / 2, strong, False)
            if found:
                breaks.append(found)
    near = max(5, int(0.6 * h))
    for band in bands:
        ruled = (band > 0.85) & (own > 0.85)
        for i in np.flatnonzero(ruled):
            # a rule is a dark stroke with paper beside it; inside a dark box (white type
            # on a reversed ground) every pixel column is dark, and none is a rule
            if (h < i < len(own) - h and all(abs(a + i - x) > h for x, _, _ in breaks)
                    and band[max(0, i - near):max(0, i - 3)].mean() < 0.5
                    and band[i + 4:i + near].mean() < 0.5):
                breaks.append((float(a + i), True, True))
    return sorted(breaks)


def _longest_run(mask: np.ndarray) -> tuple[int, int] | None:
    """The longest run of True in ``mask`` as (start, end), or None."""
    best, start = None, None
    for i, v in enumerate([*mask.tolist(), False]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            if best is None or i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    return best


def split_columns(lines: list[RawLine], ink: np.ndarray) -> list[RawLine]:
    """Every line cut where it crosses a gutter or a column rule; a rule read as a
    character is dropped, and so is a doubtful closing mark at the start of a line.

    A candidate break (:func:`column_breaks`) other than a rule is a gutter only where the
    page is blank there for several lines' height (:func:`_blank_down`).  It is kept when
    other lines within six lines
    above or below confirm a column edge there: a candidate of their own near the same x, or
    a line ending just left of it or starting just right of it.  A strong candidate needs
    one such line of any size (two headlines side by side over their columns); a weak one
    two of about its own type size (the blank after 』 in a headline, over empty paper, is
    confirmed by nothing: the text beneath is of another size).  The blank after
    a comma, or between half-width digits, lines up with nothing; a gutter lines up with
    the column edges of every line beside it.  Nor is a blank a gutter where a line of the
    same size runs across it just above or below the lines blank there (:func:`_river`).
    """
    ems = []
    for line in lines:
        widths = [c.box[2] - c.box[0] for c in line.chars if "\u4e00" <= c.text <= "\u9fff"]
        ems.append(float(np.median(widths)) if widths else line.box[3] - line.box[1])
    cands = [column_breaks(ink, line.box, em) for line, em in zip(lines, ems, strict=True)]
    boxes = [line.box for line in lines]
    out: list[RawLine] = []
    for i, line in enumerate(lines):
        em = ems[i]
        cy = (boxes[i][1] + boxes[i][3]) / 2
        kept = []
        for x, strong, rule in cands[i]:
            if not rule and (not _blank_down(ink, x, boxes[i], em)
                             or _river(i, x, boxes, ems, cands)):
                continue
            support = same = 0
            for j, other in enumerate(boxes):
                if j == i or abs((other[1] + other[3]) / 2 - cy) > 6 * em:
                    continue
                if (any(abs(x2 - x) < 0.6 * em for x2, _, _ in cands[j])
                        or x - 1.5 * em <= other[2] <= x or x <= other[0] <= x + 1.5 * em):
                    support += 1
                    same += 0.75 < ems[j] / em < 1.33
            if (strong and support >= 1) or same >= 2:
                kept.append(x)
        parts: list[RawLine] = [RawLine() for _ in range(len(kept) + 1)]
        for ch in line.chars:  # in the order read: boxes of neighbours may overlap
            cx = (ch.box[0] + ch.box[2]) / 2
            parts[sum(1 for x in kept if cx > x)].chars.append(ch)
        out.extend(p for p in parts if p.chars)
    cleaned = []
    for line in out:
        while line.chars and (line.chars[0].text in RULE_CHARS or (
                line.chars[0].text in CLOSING and line.chars[0].conf < 0.95)):
            line.chars.pop(0)
        while line.chars and line.chars[-1].text in RULE_CHARS:
            line.chars.pop()
        if line.chars:
            cleaned.append(line)
    return cleaned


GUTTER_EMS = 4.5  # a gutter is blank this many ems high at least, through its line


def _river(i: int, x: float, boxes: list[tuple[float, float, float, float]],
           ems: list[float], cands: list[list[tuple[float, bool, bool]]]) -> bool:
    """Whether the blank at ``x`` in line ``i`` is a river: justified text sets its
    characters on one grid, so the blanks that marks (，。：“) leave a few lines in a row
    can fall one under another down a column, as a gutter's do.  A river ends, above or
    below, at a line of the same type size that runs on across ``x`` with no blank there;
    a gutter's columns start under a headline, a rule or space, and end the same way (a
    line under or over them spans them only when it is of another size, or leaves the
    gutter blank)."""
    return _crossed(i, x, boxes, ems, cands, -1) or _crossed(i, x, boxes, ems, cands, 1)


def _crossed(i: int, x: float, boxes: list[tuple[float, float, float, float]],
             ems: list[float], cands: list[list[tuple[float, bool, bool]]], way: int
             ) -> bool:
    """Whether, going line by line from line ``i`` up (``way`` -1) or down (1) through the
    lines blank at ``x``, the next line spanning ``x`` runs across it without a blank."""
    em = ems[i]
    cur = i
    for _ in range(len(boxes)):
        cy = (boxes[cur][1] + boxes[cur][3]) / 2
        nxt = [j for j, o in enumerate(boxes) if j != cur and 0.75 < ems[j] / em < 1.33
               and 0.5 * em < way * ((o[1] + o[3]) / 2 - cy) <= 2.2 * em
               and o[0] < x - em and o[2] > x + em]
        if not nxt:
            return False
        j = min(nxt, key=lambda j: abs((boxes[j][1] + boxes[j][3]) / 2 - cy))
        if not any(abs(x2 - x) < 0.6 * em for x2, _, _ in cands[j]):
            return True
        cur = j
    return False


def _blank_down(ink: np.ndarray, x: float, box: tuple[float, float, float, float],
                em: float) -> bool:
    """Whether the page is blank at ``x`` (a strip 0.4 em wide, a speck allowed per row) in
    one run through the line's middle row at least :data:`GUTTER_EMS` ems high: a gutter
    runs the height of its columns, while the blank after a full stop or before an opening
    quote lines up with another such blank for a line or two at most.  A column rule is
    dark there, and found as a rule instead."""
    half = max(2, int(0.2 * em))
    xi = int(x)
    if xi - half < 0 or xi + half >= ink.shape[1]:
        return False
    reach = int(GUTTER_EMS * 2 * em)
    top, bottom = max(0, int(box[1]) - reach), min(ink.shape[0], int(box[3]) + reach)
    blank = ink[top:bottom, xi - half:xi + half + 1].sum(axis=1) <= 1  # a speck allowed
    mid = (int(box[1]) + int(box[3])) // 2 - top
    if not 0 <= mid < len(blank):
        return False
    lo = hi = mid
    while lo > 0 and blank[lo - 1]:
        lo -= 1
    while hi < len(blank) and blank[hi]:
        hi += 1
    return bool(blank[mid]) and hi - lo >= GUTTER_EMS * em


def _stroke_bold(ink: np.ndarray, box: tuple[float, float, float, float]) -> float:
    """The share of dark pixels in a line's box: heavy type inks more of its box."""
    x0, y0, x1, y1 = (int(v) for v in box)
    cut = ink[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    return float(cut.mean()) if cut.size else 0.0


def type_size(line: RawLine, ink: np.ndarray) -> float:
    """A line's type size in pixels, the smaller of two measures that each err only upwards:
    the median distance between the centres of neighbouring Han characters (one em, more
    where a justified line spaces its characters out) and the height of the line's ink
    (a Han character's ink is about 0.88 em tall; a box joined across a slanted gutter
    holds parts of two lines, but the tallest run of inked rows is one line's).  A line set
    vertically (a 竖题: characters one under the other) is measured across: its
    characters' steps down the line and the width of its ink."""
    vertical = is_vertical(line)
    wide = [unicodedata.east_asian_width(c.text[:1] or " ") in "WF" for c in line.chars]
    axis = (1, 3) if vertical else (0, 2)
    steps = [(b.box[axis[0]] + b.box[axis[1]]) / 2 - (a.box[axis[0]] + a.box[axis[1]]) / 2
             for a, b, wa, wb in zip(line.chars, line.chars[1:], wide, wide[1:], strict=False)
             if wa and wb]
    x0, y0, x1, y1 = (int(v) for v in line.box)
    rows = ink[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    run = _longest_run(rows.mean(axis=0 if vertical else 1) > 0.02) if rows.size else None
    across = (x1 - x0) if vertical else (y1 - y0)
    tall = (run[1] - run[0]) / 0.88 if run else across * 0.8
    return min(float(np.median(steps)), tall) if steps else tall


def is_vertical(line: RawLine) -> bool:
    """Whether the line runs down the page (two characters or more, one under the other)."""
    x0, y0, x1, y1 = line.box
    return len(line.chars) >= 2 and (y1 - y0) > 2 * (x1 - x0)


def to_lines(raw: list[RawLine], ink: np.ndarray, dpi: float) -> list[Line]:
    """Pixel lines → :class:`Line` in points; size from :func:`type_size`, bold a guess from
    how much ink its box holds."""
    k = 72.0 / dpi
    out = []
    for r in raw:
        x0, y0, x1, y1 = r.box
        chars = [Char(c.text, c.box[0] * k, c.box[1] * k, c.box[2] * k, c.box[3] * k,
                      round(c.conf, 4)) for c in r.chars]
        conf = float(np.mean([c.conf for c in r.chars]))
        out.append(Line(r.text, x0 * k, y0 * k, x1 * k, y1 * k, size=type_size(r, ink) * k,
                        bold=_stroke_bold(ink, r.box) > 0.30, conf=round(conf, 4),
                        chars=chars))
    out.sort(key=lambda ln: (ln.y0, ln.x0))
    return out


def read_raw(gray: np.ndarray, engine: str = "rapidocr") -> list[RawLine]:
    """What the engine itself reads on a greyscale page: its lines, in pixels."""
    if engine not in ENGINES:
        raise ValueError(f"unknown OCR engine {engine!r} (use {', '.join(ENGINES)})")
    return read_rapidocr(gray) if engine == "rapidocr" else read_tesseract(gray)


def ocr_gray(gray: np.ndarray, dpi: float, engine: str = "rapidocr",
             raw: list[RawLine] | None = None) -> list[Line]:
    """The lines of a greyscale page image (uint8, ``dpi`` pixels per inch): the engine's
    lines (``raw`` when already read) cut at gutters and rules, in points."""
    if raw is None:
        raw = read_raw(gray, engine)
    ink = ink_mask(gray)
    return to_lines(split_columns(drop_doubles(raw), ink), ink, dpi)


def _inside(a: tuple[float, float, float, float], b: tuple[float, float, float, float]
            ) -> bool:
    """Whether box ``a`` lies half or more inside ``b`` across and half or more down."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w >= 0.5 * (a[2] - a[0]) and h >= 0.5 * (a[3] - a[1])


def drop_doubles(lines: list[RawLine]) -> list[RawLine]:
    """The lines without the characters read twice: where the detector's boxes of two lines
    overlap (a line's box reaching across a gutter into the next column's line, or two
    boxes of one line), the ink at the end of one is read again at the end of the other,
    whole or in part (伟's right half as 韦 at the start of the next story's headline).  An
    end character half or more inside a character of another line is one of two reads of
    the same ink; the read less sure of itself goes.  Two characters never share ink on a
    printed page."""
    gone: set[tuple[int, int]] = set()
    boxes = [line.box for line in lines]
    for i, line in enumerate(lines):
        for k in {0, len(line.chars) - 1}:
            ch = line.chars[k]
            for j, other in enumerate(lines):
                b = boxes[j]
                if j == i or b[0] >= ch.box[2] or b[2] <= ch.box[0] or b[1] >= ch.box[3] \
                        or b[3] <= ch.box[1]:
                    continue
                for m, o in enumerate(other.chars):
                    if (j, m) not in gone and _inside(ch.box, o.box):
                        gone.add((i, k) if ch.conf <= o.conf else (j, m))
                        break
                if (i, k) in gone:
                    break
    out = []
    for i, line in enumerate(lines):
        chars = [c for k, c in enumerate(line.chars) if (i, k) not in gone]
        if chars:
            out.append(RawLine(chars))
    return out


def ocr_page(gray: np.ndarray, dpi: float, path: str, index: int,
             engine: str = "rapidocr", raw: list[RawLine] | None = None,
             headlines: bool = True) -> PrintedPage:
    """A scanned page as a :class:`PrintedPage` (``source_kind="scan"``) with its tinted
    boxes, pictures and ruled boxes as frames; a page OCR reads with little confidence carries a
    problem saying so.  ``raw``: the engine's lines when
    already read (the benchmark keeps them to measure the steps after the engine);
    ``headlines``: its headline lines read again (:mod:`indexer.printed.headlines`)."""
    from .frames import reversed_bars, ruled_boxes, tinted_boxes
    from .headlines import reread

    lines = dropped_dashes(ocr_gray(gray, dpi, engine, raw), gray, dpi)
    if headlines:
        lines = reread(lines, gray, dpi)
    h, w = gray.shape[:2]
    page = PrintedPage(path, index, w * 72.0 / dpi, h * 72.0 / dpi, lines, "scan",
                       frames=tinted_boxes(gray, dpi) + ruled_boxes(gray, dpi)
                       + reversed_bars(lines, gray, dpi))
    conf = page_confidence(page)
    if conf is not None and conf < CONFIDENCE_FLOOR:
        page.problems.append(f"OCR confidence {conf:.2f} is below {CONFIDENCE_FLOOR:.2f}: "
                             "check the text against the page")
    elif not lines:
        page.problems.append("OCR found no text on the page")
    return page


def dropped_dashes(lines: list[Line], gray: np.ndarray, dpi: float) -> list[Line]:
    """Headline lines with the 破折号 the engine dropped put back.

    The engine may leave a headline's dash (切实安排好群众生活——六论…) unread and cut the
    line in two around it.  Where two pieces of one row, a size larger than the text, are
    1–2.6 of their heights apart and the gap's ink is one thin stroke across it at mid-height
    (a dash, nothing else), the right piece opens with ``——`` over the gap."""
    if len(lines) < 3:
        return lines
    scale = dpi / 72.0
    text = float(np.median([ln.height for ln in lines]))
    big = sorted((ln for ln in lines if ln.height >= 1.15 * text and ln.text.strip()),
                 key=lambda ln: ln.x0)
    out = {id(ln): ln for ln in lines}
    for a in big:
        for b in big:
            gap = b.x0 - a.x1
            tall = max(a.height, b.height)
            if (b is a or not 1.0 * tall <= gap <= 2.6 * tall
                    or abs(a.height - b.height) > 0.15 * tall
                    or min(a.y1, b.y1) - max(a.y0, b.y0) < 0.6 * tall
                    or b.text.lstrip().startswith(("—", "－"))):
                continue
            y0, y1 = min(a.y0, b.y0), max(a.y1, b.y1)
            if _dash_between(gray, scale, a.x1, b.x0, y0, y1):
                conf = min((c.conf for c in b.chars if c.conf is not None), default=None)
                mid = (a.x1 + b.x0) / 2
                dash = [Char("—", a.x1, y0, mid, y1, conf), Char("—", mid, y0, b.x0, y1, conf)]
                out[id(b)] = Line("——" + b.text, a.x1, b.y0, b.x1, b.y1, b.size, b.bold,
                                  b.conf, [*dash, *b.chars])
    for orig in lines:  # a 破折号 read as 一— or as one —: the two-em dash
        ln = out[id(orig)]
        # 一— only in display type; one — also in a headline barely larger than the text
        pattern = _HALF_DASH if ln.height >= 1.15 * text else _ONE_DASH
        if (ln.height < 1.05 * text or len(ln.chars) != len(ln.text)
                or not pattern.search(ln.text)):
            continue
        chars: list[Char] = []
        for m in re.finditer(f"(?P<dash>{pattern.pattern})|.", ln.text, re.S):
            parts = ln.chars[m.start():m.end()]
            if m["dash"] is None:
                chars += parts
                continue
            x0, x1 = parts[0].x0, parts[-1].x1
            mid = (x0 + x1) / 2
            chars += [Char("—", x0, parts[0].y0, mid, parts[0].y1, parts[0].conf),
                      Char("—", mid, parts[-1].y0, x1, parts[-1].y1, parts[-1].conf)]
        out[id(orig)] = Line("".join(c.text for c in chars), ln.x0, ln.y0, ln.x1, ln.y1,
                             ln.size, ln.bold, ln.conf, chars)
    return [out[id(ln)] for ln in lines]


# A 破折号 (two ems) the engine read as 一— or —一, or as one — between words (a range of
# numbers, 1978—1998, is set with one): in a line of display type.
_HALF_DASH = re.compile(r"(?<![一—－\-])(?:一—|—一|(?<![0-9０-９])—(?![0-9０-９]))(?![一—－\-])")
_ONE_DASH = re.compile(r"(?<![一—－\-0-9０-９])—(?![一—－\-0-9０-９])")


def _dash_between(gray: np.ndarray, scale: float, x0: float, x1: float, y0: float,
                  y1: float) -> bool:
    """Whether the ink between ``x0`` and ``x1`` (points) on the band ``y0``–``y1`` is one
    thin horizontal stroke across most of it, in the band's middle."""
    pad = 0.1 * (x1 - x0)
    crop = gray[int(y0 * scale):int(y1 * scale) + 1,
                int((x0 + pad) * scale):int((x1 - pad) * scale) + 1]
    if crop.size == 0 or crop.shape[0] < 4 or crop.shape[1] < 4:
        return False
    ink = crop < 128
    rows = np.flatnonzero(ink.mean(axis=1) > 0.5)
    if rows.size == 0:
        return False
    top, bottom = rows[0], rows[-1]
    thin = (bottom - top + 1) <= 0.2 * crop.shape[0]
    middle = 0.3 * crop.shape[0] <= (top + bottom) / 2 <= 0.7 * crop.shape[0]
    stray = ink.sum() - ink[top:bottom + 1].sum()
    return bool(thin and middle and stray <= 0.02 * ink.size
                and ink[top:bottom + 1].any(axis=0).mean() >= 0.9)


def page_confidence(page: PrintedPage) -> float | None:
    """The mean confidence of every character OCR read on the page (None: no text)."""
    confs = [c.conf for ln in page.lines for c in ln.chars if c.conf is not None]
    return float(np.mean(confs)) if confs else None


def read_pdf_page(path: str, index: int) -> PrintedPage:
    """An image-only page of a PDF read by OCR, through the import's cache (the PDF
    reader's entry: :func:`indexer.printed.scans.read_pdf_page`)."""
    from .scans import read_pdf_page as read

    return read(path, index)
