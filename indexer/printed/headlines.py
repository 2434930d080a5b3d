"""A scan's headline lines read a second time, and the one read the engines agree on kept.

A headline is a few lines a page in large type, and one wrong character in it is a wrong
title; the page read (:func:`indexer.printed.ocr.read_raw`) drops a headline's last
character, reads 洒 as 酒, or never boxes a character set alone on a line.  So each line of
display type is cut from the page at full resolution, with room around it (as far as the
lines beside it allow), and read again (:mod:`indexer.printed.headreads`): by rapidocr's
recogniser at two crop heights and by tesseract (``chi_sim``, one line), when installed.

The reads vote, each by its text (NFKC, spaces and rules at the ends aside): the page read
and each crop read one vote, tesseract half of one (on headline lines it misreads more
characters than rapidocr does: bench/RESULTS.md).  The page read's text stays unless
another text has more votes; one that wins must differ from it by a few characters at
most, every character it puts in or changes must be read with one chance in three or
better by a crop read, and more surely than the page read read what it replaces; none it
drops was read with :data:`SURE` confidence.  Where
the rapidocr reads give one character but doubt it, tesseract's other character there
replaces it when tesseract is sure of it (:func:`overruled`); a 一 a crop
read adds at the line's end, its ink one stroke two ems long, is the 破折号 ——.  No list
of titles or words is consulted: only the engines and the ink.

A character the page read never boxed (a headline's last character alone on the next line)
is ink under a headline line that no line covers, a character's height: its marks are cut
out and read, and kept as a line of their own when the crop read gives them good odds.
"""

from __future__ import annotations

import difflib
import unicodedata

import numpy as np

from . import headreads
from .lines import Char, Line
from .ocr import OcrUnavailable

HEAD_RATIO = 1.15  # a line this many times the text's size is display type
PAD_X = 0.6  # ems of room either side of a line, short of the lines beside it
PADS_Y = (0.15, 0.4)  # ems above and below: the two crop heights
MAX_CHANGE = 2  # characters a second read may change, add or drop
RAPID_DOUBT = 0.75  # below this in every rapidocr read, a character is in doubt
TESS_SURE = 0.9  # tesseract's confidence that overrules a character in doubt
SURE = 0.9  # a character the page read gives this is never dropped
MIN_CONF = 0.35  # what a crop read must give a character it puts in or changes
WEIGHTS = {"page": 1.0, "rapidocr": 1.0, "tesseract": 0.5}


def text_size(lines: list[Line]) -> float | None:
    """The type size of the page's text: the median size of its lines of six characters or
    more (None on a page without)."""
    sizes = [ln.size for ln in lines if len(ln.text.strip()) >= 6]
    return float(np.median(sizes)) if sizes else None


def headline_lines(lines: list[Line]) -> list[Line]:
    """The page's lines of display type set across (a vertical line is read as it is)."""
    size = text_size(lines)
    if size is None:
        return []
    return [ln for ln in lines if ln.size >= HEAD_RATIO * size and ln.chars
            and len(ln.chars) == len(ln.text) and ln.height < 2 * ln.width
            and len(ln.text) <= 40]


def key(text: str) -> str:
    """A read's text as the vote compares it."""
    s = "".join(unicodedata.normalize("NFKC", text).split())
    return s.strip("|丨｜[]")


def crop_box(ln: Line, lines: list[Line], scale: float, pad_y: float
             ) -> tuple[float, float, float, float]:
    """The crop around ``ln`` in pixels: ``PAD_X`` ems either side, stopping at the lines
    on its row, and ``pad_y`` ems above and below."""
    em = ln.size
    left, right = ln.x0 - PAD_X * em, ln.x1 + PAD_X * em
    for other in lines:
        if other is ln or min(other.y1, ln.y1) - max(other.y0, ln.y0) < 0.3 * ln.height:
            continue
        if other.x1 <= ln.x0 + 0.5 * em:
            left = max(left, other.x1)
        elif other.x0 >= ln.x1 - 0.5 * em:
            right = min(right, other.x0)
    return (left * scale, (ln.y0 - pad_y * em) * scale, right * scale,
            (ln.y1 + pad_y * em) * scale)


def choose(page: headreads.Read, reads: list[headreads.Read]) -> headreads.Read:
    """The read the vote picks (``page``: the page read's; it stays on a tie), with the
    characters in doubt tesseract is sure of (:func:`overruled`)."""
    got = _voted(page, reads)
    tess = [r for r in reads if r.engine == "tesseract"]
    rapid = [page, *(r for r in reads if r.engine == "rapidocr")]
    return overruled(got, rapid, tess[0]) if tess else got


def overruled(got: headreads.Read, rapid: list[headreads.Read], tess: headreads.Read
              ) -> headreads.Read:
    """``got`` with a Han character the rapidocr reads give alike but in doubt (under
    :data:`RAPID_DOUBT` in each) replaced by the other Han character tesseract reads in its
    place at :data:`TESS_SURE` or more.

    The reads are lined up with ``got`` character by character (:func:`_aligned`): what
    must agree is what each read gives at that place, not its whole text, so a crop read
    that drops or misreads another character of the line (a dash, a mark at its end) does
    not keep a doubted character from being overruled.  Two rapidocr reads at least must
    give the character there, and none another one."""
    k = key(got.text)
    at = [i for i, c in enumerate(got.chars) if key(c[0])]  # got's character per key place
    if "".join(key(got.chars[i][0]) for i in at) != k or len(at) != len(k):
        return got
    theirs_at = _aligned(k, tess)
    mine_at = [_aligned(k, r) for r in rapid]
    chars = list(got.chars)
    for j, mine in enumerate(k):
        if j not in theirs_at:
            continue
        theirs, tconf = theirs_at[j]
        seen = [r[j] for r in mine_at if j in r]
        if (theirs == mine or not _han(mine) or not _han(theirs) or tconf < TESS_SURE
                or len(seen) < 2 or any(c != mine for c, _ in seen)
                or max(conf for _, conf in seen) >= RAPID_DOUBT):
            continue
        old = chars[at[j]]
        chars[at[j]] = (theirs, tconf, old[2], old[3])
    return got if chars == got.chars else headreads.Read(got.engine, chars)


def _aligned(k: str, read: headreads.Read) -> dict[int, tuple[str, float]]:
    """Place in ``k`` → the character ``read`` gives there and its confidence, where the
    two line up one for one (equal runs, and runs replaced by as many characters)."""
    rk = key(read.text)
    out: dict[int, tuple[str, float]] = {}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, k, rk, autojunk=False
                                                       ).get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for d in range(i2 - i1):
                out[i1 + d] = (rk[j1 + d], _conf_at(read, rk, j1 + d))
    return out


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _voted(page: headreads.Read, reads: list[headreads.Read]) -> headreads.Read:
    """The read the vote picks (``page``: the page read's; it stays on a tie)."""
    votes: dict[str, float] = {}
    for r in [page, *reads]:
        if r.chars:
            k = key(r.text)
            votes[k] = votes.get(k, 0.0) + WEIGHTS["page" if r is page else r.engine]
    mine = key(page.text)
    best = max(votes, key=lambda k: (votes[k], k == mine))
    if best == mine or votes[best] <= votes.get(mine, 0.0):
        return page
    crops = [r for r in reads if r.engine == "rapidocr" and key(r.text) == best]
    if not crops:
        return page
    ops = difflib.SequenceMatcher(None, mine, best, autojunk=False).get_opcodes()
    changed = [(j1, j2) for tag, _, _, j1, j2 in ops if tag != "equal"]
    if sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal") > MAX_CHANGE:
        return page
    for j1, j2 in changed:
        for j in range(j1, j2):
            if max(_conf_at(r, best, j) for r in crops) < MIN_CONF:
                return page
    for tag, i1, i2, j1, j2 in ops:  # what it changes the page read was less sure of
        if tag == "replace" and max(_conf_at(page, mine, i) for i in range(i1, i2)) >= max(
                _conf_at(r, best, j) for r in crops for j in range(j1, j2)):
            return page
    for tag, i1, i2, _, _ in ops:  # what it drops the page read was in doubt of
        if tag == "delete" and any(_conf_at(page, mine, i) >= SURE for i in range(i1, i2)):
            return page
    return crops[0]


def _conf_at(read: headreads.Read, k: str, j: int) -> float:
    """The confidence ``read`` gives the ``j``-th character of its key ``k``."""
    seen = -1
    for text, conf, _, _ in read.chars:
        seen += len(key(text))
        if seen >= j:
            return conf
    return 0.0


def reread(lines: list[Line], gray: np.ndarray, dpi: float, tesseract: bool = True
           ) -> list[Line]:
    """``lines`` with each headline line's text (and characters) replaced by the read the
    vote picks; other lines as they were."""
    heads = headline_lines(lines)
    if not heads:
        return lines
    scale = dpi / 72.0
    images: list[list] = [[], []]
    lefts: list[list[float]] = [[], []]
    for ln in heads:
        for n, pad in enumerate(PADS_Y):
            box = crop_box(ln, lines, scale, pad)
            images[n].append(headreads.crop(gray, box))
            lefts[n].append(box[0])
    try:
        per = [headreads.rapid_rec(images[n], lefts[n]) for n in range(len(PADS_Y))]
    except OcrUnavailable:  # tesseract read the page and rapidocr is not installed
        return lines
    tess = headreads.tesseract_rec(images[0], lefts[0]) if tesseract else None
    out = {id(ln): ln for ln in lines}
    added = lone_marks(lines, heads, gray, scale, tesseract)
    for i, ln in enumerate(heads):
        page = headreads.Read("page", [(c.text, c.conf if c.conf is not None else 1.0,
                                        c.x0 * scale, c.x1 * scale) for c in ln.chars])
        reads = [p[i] for p in per] + ([tess[i]] if tess else [])
        got = choose(page, reads)
        if got is not page:
            out[id(ln)] = _relined(ln, _dashes(got, page, gray, ln, scale), scale)
    return sorted([out[id(ln)] for ln in lines] + added, key=lambda ln: (ln.y0, ln.x0))


LONE_CONF = 0.8  # the crop read's mean confidence a lone mark needs


def lone_marks(lines: list[Line], heads: list[Line], gray: np.ndarray, scale: float,
               tesseract: bool = True) -> list[Line]:
    """Lines for the characters set alone under a headline line that no line holds.

    Under each headline line (a line's height and a half, across its width) the ink no
    line's box covers is looked for: a band of rows a character of the headline's size
    high (0.6–1.15 em) starting within half an em, parted into one to four marks of a
    character's width by blank columns.  The marks are read by rapidocr's recogniser and
    kept when it reads as many Han characters as there are marks at
    :data:`LONE_CONF` or more, or tesseract reads the same."""
    ink = gray < 140
    covered = np.zeros_like(ink)
    for ln in lines:
        m = 0.15 * ln.height
        covered[max(0, int((ln.y0 - m) * scale)):max(0, int((ln.y1 + m) * scale)),
                max(0, int((ln.x0 - m) * scale)):max(0, int((ln.x1 + m) * scale))] = True
    free = ink & ~covered
    found: list[tuple[Line, tuple[float, float, float, float], list[tuple[int, int]]]] = []
    for ln in heads:
        em = ln.size * scale
        x0, x1 = int(ln.x0 * scale), int(ln.x1 * scale)
        y0 = int(ln.y1 * scale)
        y1 = min(free.shape[0], int(y0 + 1.5 * em))
        area = free[y0:y1, max(0, x0):x1]
        if area.size == 0:
            continue
        rows = area.sum(axis=1) >= max(3, 0.05 * em)
        band = _runs(rows, int(0.15 * em))
        band = [b for b in band if b[0] <= 0.5 * em and 0.6 * em <= b[1] - b[0] <= 1.15 * em]
        if len(band) != 1:
            continue
        r0, r1 = band[0]
        cols = area[r0:r1].sum(axis=0) >= 2
        marks = [m for m in _runs(cols, int(0.25 * em)) if m[1] - m[0] >= 0.15 * em]
        if not 1 <= len(marks) <= 4 or any(m[1] - m[0] > 1.2 * em for m in marks):
            continue
        left = max(0, x0)
        box = (left + marks[0][0] - 0.3 * em, y0 + r0 - 0.25 * em,
               left + marks[-1][1] + 0.3 * em, y0 + r1 + 0.25 * em)
        found.append((ln, box, [(left + a, left + b) for a, b in marks]))
    if not found:
        return []
    images = [headreads.crop(gray, box) for _, box, _ in found]
    lefts = [box[0] for _, box, _ in found]
    rapid = headreads.rapid_rec(images, lefts)
    tess = headreads.tesseract_rec(images, lefts) if tesseract else None
    out = []
    for i, (ln, box, marks) in enumerate(found):
        read = rapid[i]
        han = all(_han(t) for t, _, _, _ in read.chars)
        agreed = tess is not None and key(tess[i].text) == key(read.text)
        if not (han and len(read.chars) == len(marks)
                and (read.conf >= LONE_CONF or agreed)):
            continue
        y0, y1 = box[1] / scale + 0.25 * ln.size, box[3] / scale - 0.25 * ln.size
        chars = [Char(t, a / scale, y0, b / scale, y1, round(c, 4))
                 for (t, c, _, _), (a, b) in zip(read.chars, marks, strict=True)]
        out.append(Line(read.text, chars[0].x0, y0, chars[-1].x1, y1, ln.size, ln.bold,
                        round(read.conf, 4), chars))
    return out


def _runs(mask: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """The runs of True in ``mask`` as (start, end), runs less than ``gap`` apart joined."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, v in enumerate([*mask.tolist(), False]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            if runs and start - runs[-1][1] < gap:
                runs[-1] = (runs[-1][0], i)
            else:
                runs.append((start, i))
            start = None
    return runs


def _dashes(got: headreads.Read, page: headreads.Read, gray: np.ndarray, ln: Line,
            scale: float) -> headreads.Read:
    """``got`` with a 一 or — it puts before the page read's first character (after its
    last) read as the 破折号 it is when its ink is one thin stroke two ems long: a dash
    opening a 副题 (——学习……) read alone as one stroke."""
    chars = list(got.chars)
    if not page.chars or not chars:
        return got
    em = ln.size * scale
    y0, y1 = int(ln.y0 * scale), int(ln.y1 * scale) + 1
    for end in (0, -1):
        if chars[end][0] not in "一—" or chars[end][0] == page.chars[end][0]:
            continue
        edge = page.chars[0][2] if end == 0 else page.chars[-1][3]
        lo, hi = (int(edge - 3 * em), int(edge)) if end == 0 else (int(edge), int(edge + 3 * em))
        band = gray[max(0, y0):y1, max(0, lo):max(0, hi)] < 140
        if band.size == 0:
            continue
        cols = band.sum(axis=0) > 0
        runs = [r for r in _runs(cols, 3) if r[1] - r[0] >= 0.3 * em]
        if not runs:
            continue
        a, b = runs[-1] if end == 0 else runs[0]
        rows = np.flatnonzero(band[:, a:b].mean(axis=1) > 0.5)
        if b - a >= 1.6 * em and rows.size and rows[-1] - rows[0] < 0.2 * em:
            x0, x1 = max(0, lo) + a, max(0, lo) + b
            conf, mid = chars[end][1], (x0 + x1) / 2
            dash = [("—", conf, x0, mid), ("—", conf, mid, x1)]
            chars = dash + chars[1:] if end == 0 else chars[:-1] + dash
    return got if chars == got.chars else headreads.Read(got.engine, chars)


def _relined(ln: Line, read: headreads.Read, scale: float) -> Line:
    """``ln`` with the characters of ``read`` (spaces dropped), its box stretched to them."""
    chars = [Char(t, x0 / scale, ln.y0, x1 / scale, ln.y1, round(c, 4))
             for t, c, x0, x1 in read.chars if t.strip()]
    x0, x1 = min(ln.x0, chars[0].x0), max(ln.x1, chars[-1].x1)
    conf = float(np.mean([c.conf for c in chars]))
    return Line("".join(c.text for c in chars), x0, ln.y0, x1, ln.y1, ln.size, ln.bold,
                round(conf, 4), chars)
