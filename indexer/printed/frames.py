"""Frames of a scanned page: boxes printed on a tinted ground, pictures, boxes drawn with rules.

Why: a scan has no drawing to read, and OCR gives only text.  A city paper sets its teasers
(导读) and sidebars on a tinted ground, and a picture is a large area of tone; both part
what is printed around them as a drawn frame does on a PDF page (a text layer's frames,
:mod:`indexer.printed.pdftext`), so the segmentation gets them the same way: lines inside
a box stay with the headline inside it, and a picture under a headline is its story's.

The page is cut into cells about a millimetre square; a cell's ground is the light end of
its pixels (the paper between the strokes of any characters on it), so text does not tint
a cell and a grey ground does.  Cells clearly darker than the page's paper that join into
a large, nearly rectangular area make a box.  A box drawn round white paper is two
horizontal rules of the same extent joined at both ends by vertical ones; a rule is a long
thin run of ink with paper just above and below it (a line of text is dark there too).
"""

from __future__ import annotations

from collections import deque

import numpy as np

from .lines import Box

TINT = 8  # grey levels below the paper that make a cell tinted (paper noise is ~1 level)
MIN_SIDE_MM = 12.0  # a box is at least this wide and high
FILL = 0.6  # tinted cells over the cells of the area's bounding box


def tinted_boxes(gray: np.ndarray, dpi: float) -> list[Box]:
    """Boxes (page points, origin top-left) of the tinted areas of a greyscale page."""
    cell = max(4, int(round(dpi / 25.4)))  # about a millimetre
    rows, cols = gray.shape[0] // cell, gray.shape[1] // cell
    if rows < 3 or cols < 3:
        return []
    cells = gray[:rows * cell, :cols * cell].reshape(rows, cell, cols, cell)
    cells = cells.transpose(0, 2, 1, 3).reshape(rows, cols, cell * cell)
    ground = np.percentile(cells, 80, axis=2)
    paper = float(np.median(ground))
    tinted = ground < paper - TINT
    seen = np.zeros_like(tinted)
    k = 72.0 / dpi * cell
    side = MIN_SIDE_MM / 25.4 * dpi / cell
    boxes: list[Box] = []
    for r, c in zip(*np.nonzero(tinted), strict=True):
        if seen[r, c]:
            continue
        seen[r, c] = True
        queue, n = deque([(r, c)]), 0
        r0 = r1 = r
        c0 = c1 = c
        while queue:
            y, x = queue.popleft()
            n += 1
            r0, r1, c0, c1 = min(r0, y), max(r1, y), min(c0, x), max(c1, x)
            for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                ny, nx = y + dy, x + dx
                if 0 <= ny < rows and 0 <= nx < cols and tinted[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    queue.append((ny, nx))
        h, w = r1 - r0 + 1, c1 - c0 + 1
        if h >= side and w >= side and n >= FILL * h * w:
            boxes.append((float(c0 * k), float(r0 * k), float((c1 + 1) * k),
                          float((r1 + 1) * k)))
    return boxes


RULE_MM = 15.0  # a rule is a thin dark line at least this long
BAND = 8  # pixels: a rule turned by the scanner drifts across rows; it is sought in bands


def _rule_runs(ink: np.ndarray, min_len: int) -> list[tuple[int, int, int]]:
    """Horizontal rules of ``ink`` as (row, x0, x1): runs of ink at least ``min_len`` long
    in a band of :data:`BAND` rows, with paper just above and below the band along most of
    the run (a line of text is as dark there as in the band)."""
    rows = ink.shape[0] // (BAND // 2)
    half = ink[:rows * (BAND // 2)].reshape(rows, BAND // 2, -1).any(axis=1)
    band = half[:-1] | half[1:]
    out: list[tuple[int, int, int]] = []
    for r in range(3, band.shape[0] - 3):
        line = np.concatenate(([False], band[r], [False]))
        edges = np.flatnonzero(line[1:] != line[:-1])
        for x0, x1 in zip(edges[::2], edges[1::2], strict=True):
            if x1 - x0 < min_len // 4:  # a turned rule steps from band to band
                continue
            above = band[r - 3, x0:x1].mean()  # a band clear of one the rule drifts into
            below = band[r + 3, x0:x1].mean()
            if above < 0.3 and below < 0.3:
                out.append((r * (BAND // 2) + BAND // 2, int(x0), int(x1)))
    return [m for m in _merge(out) if m[2] - m[1] >= min_len]


def _merge(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Runs of one rule (the same rule in overlapping bands, or in steps where the scan
    turned it) as one: (mean row, x0, x1)."""
    runs = sorted(runs, key=lambda r: (r[1], r[0]))
    merged: list[list[int]] = []
    for y, x0, x1 in runs:
        for m in merged:
            if abs(m[0] - y) <= 2 * BAND and x0 <= m[2] + BAND and x1 >= m[1] - BAND:
                m[0], m[1], m[2] = (m[0] + y) // 2, min(m[1], x0), max(m[2], x1)
                break
        else:
            merged.append([y, x0, x1])
    return [(m[0], m[1], m[2]) for m in merged]


def ruled_boxes(gray: np.ndarray, dpi: float) -> list[Box]:
    """Boxes drawn with thin rules round white paper (a boxed story), in page points: two
    horizontal rules of about the same extent joined at both ends by vertical ones."""
    ink = gray < 140
    mm = dpi / 25.4
    across = _rule_runs(ink, int(RULE_MM * mm))
    down = _rule_runs(np.ascontiguousarray(ink.T), int(RULE_MM * mm))  # (x, y0, y1)
    k = 72.0 / dpi
    tol = 3 * mm
    boxes: list[Box] = []
    for i, (ty, tx0, tx1) in enumerate(across):
        for by, bx0, bx1 in across[i + 1:]:
            top, bottom = min(ty, by), max(ty, by)
            if bottom - top < 10 * mm or abs(tx0 - bx0) > tol or abs(tx1 - bx1) > tol:
                continue
            sides = [x for x, y0, y1 in down
                     if y0 <= top + tol and y1 >= bottom - tol
                     and (abs(x - min(tx0, bx0)) <= tol or abs(x - max(tx1, bx1)) <= tol)]
            if (any(abs(x - min(tx0, bx0)) <= tol for x in sides)
                    and any(abs(x - max(tx1, bx1)) <= tol for x in sides)):
                boxes.append((min(tx0, bx0) * k, top * k, max(tx1, bx1) * k, bottom * k))
    return boxes


def reversed_bars(lines: list, gray: np.ndarray, dpi: float) -> list[Box]:
    """The dark bars that lines are printed on white-on-dark (a reversed column label):
    a line whose box is mostly dark ink, reaching left and right as far as the dark runs
    at its middle.  Their white letters keep :func:`tinted_boxes` from seeing them as
    tinted, and a bar too short for a box is still a bar (page points, origin top-left)."""
    px = dpi / 72.0
    h, w = gray.shape[:2]
    bars: list[Box] = []
    for ln in lines:
        y0, y1 = int(ln.y0 * px), int(ln.y1 * px)
        x0, x1 = int(ln.x0 * px), int(ln.x1 * px)
        if y1 - y0 < 4 or x1 - x0 < 4 or not (0 <= y0 < y1 <= h and 0 <= x0 < x1 <= w):
            continue
        if float(np.mean(gray[y0:y1, x0:x1] < 128)) < 0.55:
            continue
        mid = gray[(y0 + y1) // 2 - 1:(y0 + y1) // 2 + 2].min(axis=0) < 128
        dark = np.convolve(mid.astype(float), np.ones(5) / 5, mode="same") > 0.5
        a, b = x0, x1
        while a > 0 and dark[a - 1]:
            a -= 1
        while b < w and dark[b]:
            b += 1
        top, bottom = y0, y1
        col = gray[:, (x0 + x1) // 2]
        while top > 0 and col[top - 1] < 128:
            top -= 1
        while bottom < h and col[bottom] < 128:
            bottom += 1
        bars.append((a / px, top / px, b / px, bottom / px))
    return bars
