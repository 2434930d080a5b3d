"""Second reads of a scan's headline lines: each line crop read again by rapidocr's
recogniser and by tesseract, for :mod:`indexer.printed.headlines` to choose from.

The page read misses headline characters in ways a read of the line alone does not repeat:
the detector's box stops short of a line's last character, the recogniser reads a scaled-down
crop (rapidocr reads a page scaled to 2,000 pixels a side), a character set alone on a line
is never boxed.  Here a line is cut from the full-resolution page with room around it and
read at more than one crop height; every read gives each character its confidence and its x
on the page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .ocr import _rapid

REC_HEIGHT = 48  # the PP-OCR recogniser's input height


@dataclass
class Read:
    """One read of a line crop: its characters, each with its confidence and x span in page
    pixels; ``engine`` says who read it."""

    engine: str
    chars: list[tuple[str, float, float, float]]  # text, conf, x0, x1

    @property
    def text(self) -> str:
        return "".join(c[0] for c in self.chars)

    @property
    def conf(self) -> float:
        return float(np.mean([c[1] for c in self.chars])) if self.chars else 0.0


def crop(gray: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """The page cut at ``box`` (pixels), white beyond the page's edge."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    h, w = gray.shape
    out = np.full((max(1, y1 - y0), max(1, x1 - x0)), 255, dtype=np.uint8)
    sx0, sy0, sx1, sy1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if sx1 > sx0 and sy1 > sy0:
        out[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = gray[sy0:sy1, sx0:sx1]
    return out


def rapid_rec(images: list[np.ndarray], lefts: list[float]) -> list[Read]:
    """rapidocr's recogniser on line images (greyscale); ``lefts``: each image's left edge
    on the page, so that a character's x is the page's.  Each character's confidence is its
    step's probability; its x span the steps it was read at."""
    engine = _rapid().text_rec
    chars = engine.postprocess_op.character
    out: list[Read] = []
    for img, left in zip(images, lefts, strict=True):
        rgb = np.repeat(img[:, :, None], 3, axis=2)
        ratio = img.shape[1] / img.shape[0]
        batch = engine.resize_norm_img(rgb, max(ratio, 320 / REC_HEIGHT))[None]
        preds = engine.session(batch.astype(np.float32))[0][0]  # steps × classes
        step_px = batch.shape[3] / preds.shape[0] * img.shape[0] / REC_HEIGHT
        idx = preds.argmax(axis=1)
        prob = preds.max(axis=1)
        got: list[tuple[str, float, float, float]] = []
        t = 0
        while t < len(idx):
            if idx[t] == 0:
                t += 1
                continue
            s = t
            while t + 1 < len(idx) and idx[t + 1] == idx[s]:
                t += 1
            conf = float(prob[s:t + 1].max())
            got.append((chars[idx[s]], conf, left + s * step_px, left + (t + 1) * step_px))
            t += 1
        out.append(Read("rapidocr", got))
    return out


_CINFO = re.compile(r"<span class='ocrx_cinfo' title='x_bboxes (\d+) \d+ (\d+) \d+; "
                    r"x_conf ([\d.]+)'>([^<]*)</span>")


def tesseract_rec(images: list[np.ndarray], lefts: list[float]) -> list[Read] | None:
    """tesseract (chi_sim, one line: ``--psm 7``) on line images: its characters with their
    boxes and confidences; None when tesseract or its chi_sim model is not installed."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    from PIL import Image

    if not images:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        names = []
        for i, img in enumerate(images):
            names.append(str(Path(tmp) / f"line{i}.png"))
            Image.fromarray(img).save(names[-1], dpi=(200, 200))
        listing = Path(tmp) / "lines.txt"
        listing.write_text("\n".join(names) + "\n")
        # one process reads every line (the model loads once): one hOCR page per image
        run = subprocess.run([exe, str(listing), "-", "-l", "chi_sim", "--psm", "7",
                              "-c", "hocr_char_boxes=1", "hocr"],
                             capture_output=True, text=True, check=False,
                             env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    if run.returncode != 0:
        return None
    pages = run.stdout.split("<div class='ocr_page'")[1:]
    if len(pages) != len(images):
        return None
    return [Read("tesseract", [(_unescape(t), float(c) / 100, left + float(a), left + float(b))
                               for a, b, c, t in _CINFO.findall(page) if t.strip()])
            for page, left in zip(pages, lefts, strict=True)]


def _unescape(s: str) -> str:
    return (s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&#39;", "'").replace("&amp;", "&"))
