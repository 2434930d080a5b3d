"""A scan's headline lines read again (``indexer/printed/headlines.py``) on real scans.

Each case is a region of a page of ``tests/scanpages.py`` (printed by chromium, rasterised
at 200 dpi, turned and soiled) where rapidocr's read of the whole page got the headline
wrong, with the lines that read returned for the region (``tests/data/scanheads/*.json``:
what the engine gave, recorded once, since the whole page takes a minute to OCR).  The
page is built from those lines as the import builds it; the headline is then read again
from the region's pixels by the real engines.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from indexer.printed.ocr import RawChar, RawLine, ocr_page

pytest.importorskip("rapidocr_onnxruntime")

DATA = Path(__file__).parent / "data" / "scanheads"


def _page(name: str, headlines: bool) -> list[str]:
    """The texts of the lines the import makes of the region ``name``, top to bottom."""
    from PIL import Image

    raw = json.loads((DATA / f"{name}.json").read_text())["raw"]
    lines = [RawLine([RawChar(t, tuple(b), c) for t, b, c in ln]) for ln in raw]
    gray = np.asarray(Image.open(DATA / f"{name}.png").convert("L"))
    page = ocr_page(gray, 200, name, 0, raw=lines, headlines=headlines)
    return [ln.text for ln in page.lines]


def test_a_headline_character_alone_on_its_own_line_is_found():
    before = _page("lone-last-character", headlines=False)
    assert "人" not in before  # the page read never boxed it
    after = _page("lone-last-character", headlines=True)
    assert after[:2] == ["意大利新年桌边添餐椅有家人请无家", "人"]
    assert after[2:] == before[1:]  # the text under it as it was


def test_a_headline_s_dropped_last_character_is_read_from_its_crop():
    before = _page("dropped-last-character", headlines=False)
    assert before[0] == "学会接受道"
    after = _page("dropped-last-character", headlines=True)
    assert after[0] == "学会接受道歉"
    assert after[1:] == before[1:]  # text lines untouched


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_a_character_rapidocr_doubts_is_tesseract_s_when_it_is_sure():
    before = _page("doubted-character", headlines=False)
    assert before[0] == "拾金不味好少年"
    after = _page("doubted-character", headlines=True)
    assert after[0] == "拾金不昧好少年"
    assert after[1:] == before[1:]


def test_a_character_read_twice_across_a_gutter_stays_with_its_own_headline():
    # Two headlines side by side over a narrow gutter: the detector's box of the right one
    # reaches back over the left one's last character (伟), whose right half it reads as 韦.
    from indexer.printed.segment import segment

    raw = json.loads((DATA / "read-twice-across-gutter.json").read_text())["raw"]
    assert "".join(c[0] for c in raw[1]).startswith("韦农业科技推广结硕果")  # as read
    lines = [RawLine([RawChar(t, tuple(b), c) for t, b, c in ln]) for ln in raw]
    from PIL import Image

    gray = np.asarray(Image.open(DATA / "read-twice-across-gutter.png").convert("L"))
    page = ocr_page(gray, 200, "labor", 0, raw=lines)
    titles = [p.title for p in segment(page, page.frames)]
    assert titles == ["《周恩来军事文选》出版发行江苏隆重纪念一代伟人",
                      "农业科技推广结硕果去年农业科技进步贡献率42%"]


def test_a_doubted_character_is_overruled_though_a_crop_read_drops_another():
    # The reads agree on 味 and doubt it, tesseract is sure of 昧; one crop read lost the
    # line's last character, which says nothing about the fourth.
    from indexer.printed.headlines import overruled
    from indexer.printed.headreads import Read

    def read(engine: str, text: str, doubt: float) -> Read:
        return Read(engine, [(c, doubt if c in "味昧" else 0.99, 50.0 * i, 50.0 * i + 48)
                             for i, c in enumerate(text)])

    page = read("page", "拾金不味好少年", 0.66)
    crops = [read("rapidocr", "拾金不味好少年", 0.7), read("rapidocr", "拾金不味好少", 0.65)]
    got = overruled(page, [page, *crops], read("tesseract", "拾金不昧好少年", 0.96))
    assert got.text == "拾金不昧好少年"
    sure = overruled(page, [page, read("rapidocr", "拾金不味好少", 0.8)],
                     read("tesseract", "拾金不昧好少年", 0.96))
    assert sure.text == "拾金不味好少年"  # a read sure of 味 keeps it
