"""Scanned pages imported by OCR, as a user does it: chromium prints real articles, the page is
rasterised at 200 dpi, turned and soiled (``tests/scanpages.py``), and ``unionsearch index``
imports the folder.  Two small pages are OCR'd once per run (module fixture); every other
test reads the import's results or its OCR cache.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from search.engine import Engine
from search.retrieval.request import SearchRequest

from .helpers import REPO, Server, http_get, unionsearch
from .scanpages import make_page, print_pdf, save_scan, scan

pytest.importorskip("rapidocr_onnxruntime")

PAGES = (("narrow5", 7, ".png"), ("ruled4", 8, ".tif"))
SIZE = (420, 595)  # an A5 page: two pages OCR in seconds


@pytest.fixture(scope="module")
def scans(tmp_path_factory, browser):
    """The folder of scans, their truth, and the index they were imported into."""
    root = tmp_path_factory.mktemp("scans")
    src = root / "in"
    src.mkdir()
    pages = [make_page(f, s, *SIZE) for f, s, _ in PAGES]
    pdfs = print_pdf(pages, root, browser)
    files = []
    for pdf, sp, (_, _, suffix) in zip(pdfs, pages, PAGES, strict=True):
        files.append(save_scan(scan(pdf, sp.seed), src / f"{sp.family}{suffix}"))
    idx = root / "idx"
    done = unionsearch("index", str(src), "--index-dir", str(idx), "--json", timeout=900)
    return {"root": root, "src": src, "idx": idx, "pages": pages, "files": files,
            "first": done}


def _search(idx: Path, q: str) -> list[dict]:
    return Engine(str(idx)).search(SearchRequest(q=q, size=50))["hits"]


def _made_of(scans, page) -> dict[str, str]:
    """Truth title → the id of the imported article made of that story (the closest title
    of the page's issue: OCR may misread a character of it)."""
    import difflib

    issue = Engine(str(scans["idx"])).issue(page.date)
    heads = [a for p in issue["pages"] for a in p["articles"]]
    return {art.title: max(heads, key=lambda h: difflib.SequenceMatcher(
        None, h["title"], art.title).ratio())["id"] for art in page.articles}


def _phrases_found(scans, page) -> tuple[int, int, int]:
    """(in the right article, in any article, total) of a page's quoted phrases."""
    made = _made_of(scans, page)
    right = anywhere = total = 0
    for art in page.articles:
        for ph in art.phrases:
            total += 1
            found = [h for h in _search(scans["idx"], f'"{ph}"') if not h["partial"]]
            right += any(h["id"] == made[art.title] for h in found)
            anywhere += bool(found)
    return right, anywhere, total


def test_scans_import_with_titles_and_phrases_in_the_right_article(scans):
    done = scans["first"]
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["rejected"] == [] and summary["skipped"] == []
    stories = [a for p in scans["pages"] for a in p.articles]
    assert summary["added"] == len(stories)
    titles = sum(any(h["title"] == art.title for h in _search(scans["idx"], art.title))
                 for art in stories)
    # OCR misreads a headline character now and then (会晤 → 会): the story is still found
    assert titles >= len(stories) - 2, (titles, len(stories))
    for page in scans["pages"]:
        right, anywhere, total = _phrases_found(scans, page)
        assert right / total >= 0.9, (page.family, right, anywhere, total)


def test_each_article_remembers_its_printed_page_and_ocr_confidence(scans):
    engine = Engine(str(scans["idx"]))
    for page, path in zip(scans["pages"], scans["files"], strict=True):
        hits = engine.search(SearchRequest(q=page.articles[0].title, size=5))["hits"]
        art = engine.get(hits[0]["id"])
        printed = art["printed"]
        assert printed["file"] == str(path.resolve()) and printed["page"] == 0
        assert printed["size"] == pytest.approx(list(SIZE), abs=2)
        assert printed["ocr"]["confidence"] > 0.8 and printed["ocr"]["flagged"] is False
        assert art["date"] == page.date and art["page"] == page.ban


def test_no_ocr_line_runs_across_a_gutter(scans):
    """The narrow-gutter family: every body line stays within one of its five columns."""
    from indexer.printed.scans import cache_dir_for
    from indexer.printed.store import OcrCache, file_hash

    path = scans["files"][0]
    page = OcrCache(cache_dir_for(str(scans["idx"]))).get(file_hash(path), 0, str(path))
    assert page is not None
    column = (SIZE[0] - 2 * 26 - 4 * 6) / 5
    body = [ln for ln in page.lines if ln.size < 12 and 60 < ln.y0 < SIZE[1] - 40
            and not ln.text.startswith("本报记者")]  # a byline runs across the story
    assert len(body) > 20
    wide = [ln.text for ln in body if ln.width > column * 1.25]
    assert wide == []


def test_a_second_run_reads_every_page_from_the_cache(scans):
    """(A page whose result is gone is read again: the last test of this module.)"""
    from indexer.printed import scans as scanmod

    idx = str(scans["idx"])
    assert scanmod.prepare_import([str(scans["src"])], "auto", idx, 1) == 0
    again = unionsearch("index", str(scans["src"]), "--index-dir", idx, "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["unchanged"] == json.loads(scans["first"].stdout)["added"]


def test_a_page_below_the_confidence_floor_is_imported_and_flagged(scans, monkeypatch):
    from indexer.printed import scans as scanmod
    from indexer.readers import scan as reader
    from indexer.records import Loaded

    scanmod.configure(scanmod.cache_dir_for(str(scans["idx"])))
    try:
        monkeypatch.setattr(reader, "CONFIDENCE_FLOOR", 0.9999)
        items = list(reader.read_scan(str(scans["files"][0])))
    finally:
        scanmod.configure(None)
    loaded = [i for i in items if isinstance(i, Loaded)]
    assert loaded and all(i.article.printed["ocr"]["flagged"] for i in loaded)


def test_a_broken_image_is_rejected_by_name_and_the_rest_imported(scans, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(scans["files"][0], folder / "good.png")
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    idx = tmp_path / "idx"
    # the good page is in the shared cache: copy it beside this index
    shutil.copytree(Path(str(scans["idx"])).parent / ".idx.ocr-cache",
                    tmp_path / ".idx.ocr-cache")
    done = unionsearch("index", str(folder), "--index-dir", str(idx), "--json")
    assert done.returncode == 1
    summary = json.loads(done.stdout)
    assert summary["added"] == len(scans["pages"][0].articles)
    assert len(summary["rejected"]) == 1 and "broken.png" in summary["rejected"][0]


@pytest.fixture(scope="module")
def served(scans):
    with Server(scans["idx"]) as srv:
        yield srv.base


def _article_id(scans, k: int = 0) -> str:
    return _search(scans["idx"], scans["pages"][0].articles[k].title)[0]["id"]


def test_page_png_outlines_the_article_and_marks_the_query(scans, served):
    from io import BytesIO

    from PIL import Image

    art_id = _article_id(scans)
    status, headers, body = http_get(served, f"/articles/{art_id}/page.png")
    assert status == 200 and headers["Content-Type"] == "image/png"
    plain = Image.open(BytesIO(body)).convert("RGB")
    assert plain.width == 1000
    phrase = scans["pages"][0].articles[0].phrases[0]
    from urllib.parse import quote

    status, _, marked_body = http_get(served, f"/articles/{art_id}/page.png?q={quote(phrase)}")
    assert status == 200
    marked = Image.open(BytesIO(marked_body)).convert("RGB")
    yellow = sum(1 for px in marked.getdata() if px[0] > 200 and px[1] > 180 and px[2] < 140)
    assert yellow > sum(1 for px in plain.getdata()
                        if px[0] > 200 and px[1] > 180 and px[2] < 140) + 50
    red = sum(1 for px in plain.getdata() if px[0] > 180 and px[1] < 80 and px[2] < 80)
    assert red > 500  # the outline
    # The original downloads as it was imported.
    status, headers, body = http_get(served, f"/articles/{art_id}/original")
    assert status == 200 and body == scans["files"][0].read_bytes()
    assert "attachment" in headers["Content-Disposition"]


def test_issue_page_shows_each_ban_as_a_map_of_links(scans, served):
    page = scans["pages"][0]
    status, _, body = http_get(served, f"/issues/{page.date}")
    text = body.decode()
    assert status == 200 and "pagemap__svg" in text
    assert text.count('class="pagemap__area"') >= len(page.articles)
    status, headers, png = http_get(served, f"/issues/{page.date}/{page.ban}.png")
    assert status == 200 and headers["Content-Type"] == "image/png" and png[:4] == b"\x89PNG"


def test_no_printed_page_is_a_clear_404_and_a_moved_file_says_so(scans, served, tmp_path):
    status, _, body = http_get(served, "/articles/no-such-article/page.png")
    assert status == 404 and "没有这篇文章" in body.decode()
    status, _, body = http_get(served, f"/issues/{scans['pages'][0].date}/99.png")
    assert status == 404 and "没有第99版" in body.decode()
    moved = scans["files"][1].with_suffix(".moved")
    scans["files"][1].rename(moved)
    try:
        art_id = _search(scans["idx"], scans["pages"][1].articles[0].title)[0]["id"]
        status, _, body = http_get(served, f"/articles/{art_id}/page.png")
        assert status == 404 and "原版文件已不在原处" in body.decode()
        status, _, body = http_get(served, f"/articles/{art_id}")
        assert status == 200 and "原版文件已不在原处" in body.decode()
    finally:
        moved.rename(scans["files"][1])


def test_text_articles_have_no_printed_page(tmp_path):
    idx = tmp_path / "idx"
    from .helpers import SAMPLE

    assert unionsearch("index", str(SAMPLE), "--index-dir", str(idx)).returncode == 0
    art_id = Engine(str(idx)).search(SearchRequest(q="工匠精神"))["hits"][0]["id"]
    with Server(idx) as srv:
        status, _, body = http_get(srv.base, f"/articles/{art_id}/page.png")
        assert status == 404 and "没有原版页面" in body.decode()
        status, _, body = http_get(srv.base, f"/articles/{art_id}/original")
        assert status == 404
        status, _, body = http_get(srv.base, f"/articles/{art_id}")
        assert status == 200 and 'class="printed"' not in body.decode()


def test_a_text_import_starts_no_ocr(tmp_path):
    """An import of text files never starts OCR (no cache folder appears)."""
    from .helpers import SAMPLE

    idx = tmp_path / "idx"
    assert unionsearch("index", str(SAMPLE), "--index-dir", str(idx)).returncode == 0
    assert not (tmp_path / ".idx.ocr-cache").exists()


# -- in a real browser, desktop and phone ---------------------------------------------------

def _shot(page, name: str) -> None:
    """Screenshots for docs/ when UNIONSEARCH_SAVE_SHOTS is set (nothing checks them)."""
    import os

    if os.environ.get("UNIONSEARCH_SAVE_SHOTS"):
        page.screenshot(path=str(REPO / "docs" / name), full_page=False)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_article_page_shows_the_printed_page_beside_the_text(scans, served, tab, size):
    from urllib.parse import quote

    view = ({"viewport": {"width": 1280, "height": 900}} if size == "desktop" else
            {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
             "is_mobile": True})
    page = tab(locale="zh-CN", **view)
    art = scans["pages"][0].articles[0]
    page.goto(f"{served}/articles/{quote(_article_id(scans), safe='')}?q={quote(art.phrases[0])}")
    img = page.locator("img.printed__img")
    img.wait_for()
    img.scroll_into_view_if_needed()
    from playwright.sync_api import expect

    expect(img).to_have_js_property("complete", True)
    assert img.evaluate("i => i.naturalWidth") == 1000
    box = img.bounding_box()
    width = page.evaluate("innerWidth")
    assert box["width"] <= width and page.evaluate(
        "document.scrollingElement.scrollWidth") <= width  # no sideways scrolling on a phone
    body = page.locator(".article__body").bounding_box()
    if size == "desktop":  # beside the text: on its right, the text running down its left
        assert box["x"] > body["x"] + body["width"] / 3 and box["y"] < body["y"] + 50
    else:  # above the text, the screen's width
        assert box["y"] + box["height"] <= body["y"] + 5 and box["width"] > width * 0.8
    assert page.get_by_role("link", name="下载原件").count() == 1
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, f"printed-article-{size}.png")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_issue_page_map_opens_an_article_without_javascript(scans, served, tab, size):
    view = ({"viewport": {"width": 1280, "height": 900}} if size == "desktop" else
            {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
             "is_mobile": True, "has_touch": True})
    page = tab(locale="zh-CN", java_script_enabled=False, **view)
    sp = scans["pages"][0]
    page.goto(f"{served}/issues/{sp.date}")
    area = page.locator("a.pagemap__area").first
    area.scroll_into_view_if_needed()
    page.locator("figure.pagemap").first.scroll_into_view_if_needed()
    _shot(page, f"printed-issue-{size}.png")
    title = area.locator("title").text_content()
    if size == "phone":
        area.tap()
    else:
        area.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("h1.article__title").inner_text() == title


def test_flagged_lists_the_articles_an_editor_should_check(tmp_path):
    from .helpers import build_index

    place = {"file": "/archive/1998-01-05-3.png", "page": 0, "size": [595, 842],
             "regions": [[30, 60, 300, 400]]}
    build_index(tmp_path / "idx", [
        {"title": "扫描清楚的文章", "body": "正文一。", "date": "1998-01-05", "page": "3",
         "printed": {**place, "ocr": {"confidence": 0.97, "flagged": False}}},
        {"title": "扫描模糊的文章", "body": "正文二。", "date": "1998-01-05", "page": "3",
         "printed": {**place, "ocr": {"confidence": 0.61, "flagged": True}}},
        {"title": "文本导入的文章", "body": "正文三。", "date": "1998-01-05"}])
    done = unionsearch("flagged", "--json", "--index-dir", str(tmp_path / "idx"))
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["title"], r["confidence"], r["file_page"]) for r in rows] == [
        ("扫描模糊的文章", 0.61, 1)]
    text = unionsearch("flagged", "--index-dir", str(tmp_path / "idx")).stdout
    assert "扫描模糊的文章" in text and "1 flagged article" in text


def test_a_page_that_never_finishes_is_stopped_reported_and_read_by_the_next_run(scans,
                                                                                   tmp_path):
    """An OCR worker that stops on its page (SIGSTOP at the ``ocr-page`` pause point, as a
    hung engine would) is killed at the limit per page: that file is reported not read,
    by name and why, the other scan and a text file are imported, no stopped worker is
    left; the same command again reads the page (its result was gone from the cache, as
    after an import stopped while reading it), keeps the result and imports its articles;
    then no page is left to read."""
    from indexer.printed import scans as scanmod
    from indexer.printed.scans import cache_dir_for
    from indexer.printed.store import OcrCache, file_hash

    from .helpers import SAMPLE, _stopped_in_group, start_unionsearch

    folder = tmp_path / "in"
    folder.mkdir()
    for path in scans["files"]:
        shutil.copy(path, folder / path.name)
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    idx = tmp_path / "idx"
    shutil.copytree(cache_dir_for(str(scans["idx"])), cache_dir_for(str(idx)))
    hung = scans["files"][1]
    cache = OcrCache(cache_dir_for(str(idx)))
    cache._path(file_hash(hung), 0).unlink()  # to be read again
    assert not cache.has(file_hash(hung), 0)
    log = tmp_path / "first.log"
    proc = start_unionsearch("index", str(folder), "--index-dir", str(idx), "--json",
                             log=log, env={"UNIONSEARCH_PAUSE_AT": "ocr-page",
                                           "UNIONSEARCH_OCR_PAGE_LIMIT": "2"})
    assert proc.wait(timeout=600) == 1, log.read_text()
    assert _stopped_in_group(proc.pid) is None
    summary = json.loads(log.read_text().strip().splitlines()[-1])
    assert len(summary["rejected"]) == 1, summary["rejected"]
    why = summary["rejected"][0]
    assert hung.name in why and "not read" in why and "ocr_page_limit" in why
    first_added = summary["added"]
    assert first_added > len(scans["pages"][0].articles)  # the other scan and the text file
    again = unionsearch("index", str(folder), "--index-dir", str(idx), "--json", timeout=900)
    assert again.returncode == 0, again.stderr
    second = json.loads(again.stdout)
    assert second["added"] == len(scans["pages"][1].articles)
    assert second["unchanged"] == first_added and second["rejected"] == []
    assert cache.has(file_hash(hung), 0)
    assert scanmod.prepare_import([str(folder)], "auto", str(idx), 1) == 0  # nothing left


def test_ocr_workers_are_as_many_as_memory_holds():
    from indexer.printed.scans import WORKER_BYTES, ocr_workers

    assert ocr_workers(4, 40, 16 * WORKER_BYTES) == 4  # the cores bound it
    assert ocr_workers(4, 2, 16 * WORKER_BYTES) == 2  # two pages: two workers
    assert ocr_workers(4, 40, 2 * WORKER_BYTES + 1) == 2  # memory bounds it
    assert ocr_workers(4, 40, WORKER_BYTES // 2) == 1  # never none: one page at a time
    assert ocr_workers(4, 40, None) == 4  # memory unknown: the cores
