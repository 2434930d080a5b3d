"""The model of a printed page: lines of text with their boxes, in page points.

Both sources of printed pages fill it: a PDF's text layer (:mod:`indexer.readers.pdf`) and
OCR of a scan (:mod:`indexer.printed.ocr`).  Coordinates are PDF points (1/72 inch) with the
origin at the page's top-left corner, y growing downwards, so a box drawn on a page image
rendered at ``scale`` pixels per point is the box times ``scale``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 (page points, origin top-left)


@dataclass
class Char:
    """One character and its box; ``conf`` is OCR's confidence (None for a text layer)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float | None = None


@dataclass
class Line:
    """One printed line: its text, box, type size and weight.

    ``size`` is the font size for a text layer, the box height for OCR; ``bold`` is the
    font's weight (or a stroke-width guess for OCR); ``conf`` is OCR's mean confidence and
    None for a text layer; ``chars`` the per-character boxes when the source has them.
    """

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool = False
    conf: float | None = None
    chars: list[Char] = field(default_factory=list)

    @property
    def box(self) -> Box:
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class PrintedPage:
    """One page of a PDF or one scanned image: its size and its lines.

    ``index`` is the 0-based page in its file; ``problems`` lists what could not be read on
    the page (glyphs without a Unicode map, …), reported instead of guessed; ``frames`` are
    the boxes a scan shows printed on a tinted ground and its pictures
    (:mod:`indexer.printed.frames`; a PDF's drawn frames come with its text layer).
    """

    path: str
    index: int
    width: float
    height: float
    lines: list[Line]
    source_kind: Literal["pdf", "scan"] = "pdf"
    problems: list[str] = field(default_factory=list)
    frames: list[Box] = field(default_factory=list)


def union(boxes: list[Box]) -> Box:
    """The smallest box holding all of ``boxes`` (which must not be empty)."""
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))
