"""Tinted areas of a scanned page: boxes printed on a grey or coloured ground, and pictures.

Why: a scan has no drawing to read, and OCR gives only text.  A city paper sets its teasers
(导读) and sidebars on a tinted ground, and a picture is a large area of tone; both part
what is printed around them as a drawn frame does on a PDF page (a text layer's frames,
:mod:`indexer.printed.pdftext`), so the segmentation gets them the same way: lines inside
a box stay with the headline inside it, and a picture under a headline is its story's.

The page is cut into cells about a millimetre square; a cell's ground is the light end of
its pixels (the paper between the strokes of any characters on it), so text does not tint
a cell and a grey ground does.  Cells clearly darker than the page's paper that join into
a large, nearly rectangular area make a box.
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
