"""An annotated picture of a printed page: each article's regions outlined and labelled.

Made by ``unionsearch index --dry-run`` for every PDF page (or scanned image) it read, so an
editor sees at a glance how a new source is cut into articles: a headline read into the
wrong story, a column left out, a footer taken as text.  PDF pages are rendered by PDFium
(pypdfium2), images opened by Pillow; boxes are drawn in page points times the scale.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

SCALE = 1.0  # pixels per point: a broadsheet page comes out about 1,200 pixels wide
COLOURS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#e377c2",
           "#8c564b", "#bcbd22", "#7f7f7f"]
_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
          "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
          "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@dataclass
class Outline:
    """One article to draw: its label and its regions (page points)."""

    label: str
    regions: list[list[float]]


def _font(size: int) -> ImageFont.ImageFont:
    for path in _FONTS:
        if os.path.exists(path):
            try:
                return ImageFont.truetype(path, size)
            except OSError:
                continue
    return ImageFont.load_default()


def page_image(path: str, index: int, width: float, scale: float = SCALE) -> Image.Image:
    """Page ``index`` of the PDF or the image at ``path``, ``width`` points times ``scale``
    pixels wide."""
    with open(path, "rb") as fh:
        pdf = b"%PDF-" in fh.read(1024)
    if pdf:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(path)
        try:
            page = doc[index]
            try:
                return page.render(scale=scale).to_pil().convert("RGB")
            finally:
                page.close()
        finally:
            doc.close()
    with Image.open(path) as img:
        img.seek(index)
        img = img.convert("RGB")
        factor = width * scale / img.width
        return img.resize((max(1, round(img.width * factor)), max(1, round(img.height * factor))))


def annotate(path: str, index: int, size: tuple[float, float], outlines: list[Outline],
             out_dir: str, scale: float = SCALE) -> str:
    """Write the page with ``outlines`` drawn on it to a PNG in ``out_dir``; its path."""
    img = page_image(path, index, size[0], scale)
    draw = ImageDraw.Draw(img, "RGBA")
    font = _font(max(12, round(12 * scale)))
    for k, outline in enumerate(outlines):
        colour = COLOURS[k % len(COLOURS)]
        for box in outline.regions:
            x0, y0, x1, y1 = (v * scale for v in box)
            draw.rectangle((x0, y0, x1, y1), outline=colour, width=max(2, round(2 * scale)))
        x0, y0 = (min(b[0] for b in outline.regions) * scale,
                  min(b[1] for b in outline.regions) * scale)
        text = outline.label
        left, top, right, bottom = draw.textbbox((x0, y0), text, font=font)
        lift = bottom - top + 4
        draw.rectangle((left - 2, top - lift, right + 2, bottom - lift + 2),
                       fill=colour + "dd")
        draw.text((x0, y0 - lift), text, fill="white", font=font)
    os.makedirs(out_dir, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", os.path.splitext(os.path.basename(path))[0])
    out = os.path.join(out_dir, f"{stem}-p{index + 1}.png")
    img.save(out)
    return out
