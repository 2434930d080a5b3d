"""版面 PDFs: pages printed by chromium in five layout families, text layers written by hand
(/ActualText, radicals, a font with no Unicode map), broken and encrypted files, a folder
of mixed files, the dry run's page images, and the printed place stored with an article.

Real files, a real index on disk, the real command line; the PDFs chromium prints are made
once per test session.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.readers import read
from indexer.readers.pdf import read_pdf
from indexer.records import Loaded, Rejection, Skipped
from search.document import Article
from search.engine import Engine
from search.retrieval.request import SearchRequest

from .helpers import CLEAN, unionsearch
from .pdfdesigns import DESIGNS
from .pdffamilies import FAMILIES, HELD_OUT, render, score
from .pdfhand import Text, build, newspaper_page
from .pdfnewfamilies import NEW_FAMILIES

SEEDS = (1,)


@pytest.fixture(scope="session")
def family_pages(browser, tmp_path_factory) -> dict[tuple[str, int], tuple]:
    """(family, seed) → (page with its truth, path of its PDF), printed once."""
    folder = tmp_path_factory.mktemp("pdf-families")
    out = {}
    for fam in (f for f in FAMILIES if f not in NEW_FAMILIES + DESIGNS):  # bench/ingest_pdf.py
        for seed in SEEDS:
            page = render(browser, fam, seed)
            path = folder / f"{fam}-{seed}.pdf"
            path.write_bytes(page.pdf)
            out[fam, seed] = (page, path)
    return out


def _articles(items: list) -> list[Article]:
    return [x.article for x in items if isinstance(x, Loaded)]


@pytest.mark.parametrize("family", [f for f in FAMILIES if f not in HELD_OUT
                                    and f not in NEW_FAMILIES + DESIGNS])
def test_tuned_families_read_right(family_pages, family):
    """Every check of every article right on the tuned families' pages: titles, kickers,
    subtitles, reporters, date, 版面, whole bodies, phrases cut by column breaks, no other
    article's headline inside a body."""
    fails: list[str] = []
    for seed in SEEDS:
        page, path = family_pages[family, seed]
        counts, missed = score(page, list(read_pdf(str(path))))
        assert counts["title"][1] == len(page.articles) >= 3
        fails += missed
    assert not fails, "\n".join(fails)


def test_held_out_family_reads_its_headlines_and_pages(family_pages):
    """The held-out family (never looked at while tuning): every title, date and 版面 right,
    and no body holds another article's headline."""
    for fam in (f for f in HELD_OUT if f not in NEW_FAMILIES + DESIGNS):
        for seed in SEEDS:
            page, path = family_pages[fam, seed]
            counts, missed = score(page, list(read_pdf(str(path))))
            for check in ("title", "date", "版面", "no foreign headline"):
                right, total = counts[check]
                assert right == total > 0, [m for m in missed if f" {check}:" in m]


def test_articles_remember_where_they_were_printed(family_pages):
    """Each article carries its file, its page, the page size and regions inside the page;
    the regions of two articles do not overlap."""
    page, path = family_pages["grid", 1]
    arts = _articles(list(read_pdf(str(path))))
    assert len(arts) == len(page.articles)
    for art in arts:
        p = art.printed
        assert p["file"] == str(path.resolve()) and p["page"] == 0
        w, h = p["size"]
        assert (round(w), round(h)) == (992, 1417)  # 350 × 500 mm
        for x0, y0, x1, y1 in p["regions"]:
            assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
    boxes = [(a.title, r) for a in arts for r in a.printed["regions"]]
    for i, (t1, a) in enumerate(boxes):
        for t2, b in boxes[i + 1:]:
            if t1 != t2:
                inter = (min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1]))
                assert min(inter) <= 1, (t1, t2, a, b)


def test_a_whole_issue_in_one_pdf_gives_each_page_its_banmian(family_pages, tmp_path):
    """Two pages in one file: each article has the 版面 number and name of its own page."""
    import pypdfium2 as pdfium

    (first, p1), (second, p2) = family_pages["grid", 1], family_pages["feature", 1]
    merged = pdfium.PdfDocument.new()
    for src in (p1, p2):
        doc = pdfium.PdfDocument(str(src))
        merged.import_pages(doc)
    out = tmp_path / "issue.pdf"
    merged.save(str(out))
    items = list(read_pdf(str(out)))
    assert not [x for x in items if isinstance(x, Rejection)]
    for index, truth in enumerate((first, second)):
        on_page = [x for x in items if x.article.printed["page"] == index]
        assert len(on_page) == len(truth.articles)
        assert all(x.where.startswith(f"page {index + 1}, article ") for x in on_page)
        assert {(x.article.page, x.article.page_name, x.article.date) for x in on_page} == {
            (truth.page, truth.name, truth.date)}


def test_actual_text_and_radicals_are_read_as_meant(tmp_path):
    """Glyphs whose text is only in /ActualText give that text; radicals printed for whole
    characters (⺠ for 民, ⻓ for 长) come back as the characters."""
    page = newspaper_page(stories=[
        ("人⺠的好⻓官", ["本报记者张三", "　　今天全⺠动员，⻓江两岸一片繁忙，工人们在工地上",
                     "忙碌着。"], "actual")])
    path = tmp_path / "1998-01-02.pdf"
    path.write_bytes(build([page]))
    (item,) = list(read_pdf(str(path)))
    art = item.article
    assert art.title == "人民的好长官"
    assert "全民动员，长江两岸一片繁忙，工人们在工地上忙碌着。" in art.body
    assert "⺠" not in art.body + art.title and "⻓" not in art.body + art.title
    assert art.reporters == ["张三"]
    assert (art.date, art.page, art.page_name) == ("1998-01-02", "3", "要闻")


@pytest.mark.parametrize("gutter", [6.0, 9.0])
def test_two_columns_a_narrow_gutter_apart_are_read_one_after_the_other(tmp_path, gutter):
    """Two columns of a story whose lines are drawn row by row, a narrow gutter apart
    (PDFium marks the gap between the two text objects with a space): the first column is
    read whole, then the second, not one row of both after another."""
    left = ("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥春夏秋冬东南"
            "西北上下左右前后天地人山水火木金土日月星辰江河湖海风雨雷电云雾霜雪花草树")
    right = ("东方红太阳升中国出了个大好人为人民谋幸福呼儿嗨哟他是人民大救星山高水长源远"
             "流长千秋万代百花齐放百家争鸣实事求是与时俱进开拓创新团结奋斗勇往直前奋发")

    def rows(text: str, x: float) -> list[tuple[float, str]]:
        out = [(x + 20, text[:9])]  # a paragraph's indented first line
        out += [(x, text[k:k + 11]) for k in range(9, len(text), 11)]
        return out

    lines = newspaper_page(stories=[("两栏之间窄缝不连行", [], "actual")])[:-1]
    y = 118.0
    for (lx, a), (rx, b) in zip(rows(left, 40), rows(right, 150 + gutter), strict=True):
        lines += [Text(lx, y, 10, a), Text(rx, y, 10, b)]
        y += 15
    lines.append(Text(40, 800, 8, "责任编辑：李四"))
    path = tmp_path / "1998-01-02.pdf"
    path.write_bytes(build([lines]))
    (item,) = list(read_pdf(str(path)))
    assert item.article.title == "两栏之间窄缝不连行"
    assert "".join(item.article.body.split()) == left + right


def test_radicals_in_a_browser_printed_page(tab, tmp_path):
    """A page chromium prints with radicals in its text (a font's radical glyphs): the
    article's text has the ideographs, so a quoted phrase finds it."""
    html = ("<html><body style='font-family:\"Noto Serif CJK SC\";font-size:10pt'>"
            "<div>工人日报　1998年1月2日　星期五　第3版：要闻</div>"
            "<h1 style='font-size:24pt'>⻓江两岸⺠工忙</h1>"
            "<p>本报记者 张三</p><p>　　今天，⻓江两岸的⺠工们在工地上忙碌着，人⺠群众送来了茶水。</p>"
            "</body></html>")
    tab = tab()
    tab.set_content(html)
    path = tmp_path / "radicals.pdf"
    path.write_bytes(tab.pdf())
    (item,) = [x for x in read_pdf(str(path)) if isinstance(x, Loaded)]
    assert item.article.title == "长江两岸民工忙"
    assert "长江两岸的民工们在工地上忙碌着，人民群众送来了茶水。" in item.article.body


def test_text_in_a_font_with_no_unicode_map_is_reported_not_garbled(tmp_path):
    """A story set in a font with no Unicode map is rejected saying so; the page's other
    stories are imported."""
    page = newspaper_page(stories=[
        ("职工之家建起来", ["本报记者 张三", "　　职工之家建起来了，职工们有了活动的地方。"], "actual"),
        ("看不清的文章", ["　　这一段文字的字体没有编码表，读不出来。"], "nomap")])
    path = tmp_path / "1998-01-02.pdf"
    path.write_bytes(build([page]))
    items = list(read_pdf(str(path)))
    (loaded,) = [x for x in items if isinstance(x, Loaded)]
    (rejected,) = [x for x in items if isinstance(x, Rejection)]
    assert loaded.article.title == "职工之家建起来"
    assert "\ufffd" not in loaded.article.body
    assert "no Unicode map" in rejected.reason and "看不清的文章" in rejected.reason
    assert any("no Unicode map" in n for n in loaded.notes)


def test_image_only_page_goes_to_ocr_or_is_rejected_saying_why(tmp_path):
    """A scanned page in a PDF (an image, no text): handed to OCR when it is installed,
    else rejected with the reason, naming the file and page."""
    from PIL import Image

    path = tmp_path / "scan.pdf"
    # A small page (2 × 2.8 inches): OCR reads a page at a fixed resolution, so its cost
    # is the page's area, and what is tested is where an image-only page goes.
    Image.new("RGB", (400, 560), "white").save(path, "PDF", resolution=200)
    items = list(read_pdf(str(path)))
    try:
        from indexer.printed import ocr  # noqa: F401
    except ImportError:
        (rej,) = items
        assert isinstance(rej, Rejection) and rej.source == str(path)
        assert "image-only page" in rej.reason and "OCR is not available" in rej.reason
    else:
        assert not any("OCR is not available" in getattr(x, "reason", "") for x in items)


def _encrypted(src: Path, dst: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(src)))
    writer.encrypt(user_password="secret", owner_password="owner")
    with open(dst, "wb") as fh:
        writer.write(fh)


def test_a_folder_of_pdfs_and_other_files(family_pages, tmp_path):
    """One import of a folder: good PDFs (one with no .pdf suffix, found by its content)
    are imported, an encrypted and a broken PDF and a text PDF that is no newspaper are
    rejected naming the file, files no reader takes are listed as skipped with their
    kind; the exit status says something was rejected."""
    folder = tmp_path / "in"
    folder.mkdir()
    page, path = family_pages["boxed", 1]
    (folder / "good.pdf").write_bytes(path.read_bytes())
    (folder / "no-suffix").write_bytes(family_pages["sidebar", 1][1].read_bytes())
    _encrypted(path, folder / "locked.pdf")
    (folder / "broken.pdf").write_bytes(path.read_bytes()[:2000])
    (folder / "letter.pdf").write_bytes(build([[Text(40, 60, 10, "尊敬的各位同事：新年快乐！"),
                                                Text(40, 80, 10, "此致敬礼")]]))
    (folder / "photos.7z").write_bytes(b"7z\xbc\xaf\x27\x1c" + b"\0" * 40)
    (folder / "notes.docx").write_bytes(b"PK\x03\x04" + b"\0" * 40)
    idx = tmp_path / "idx"
    done = unionsearch("index", str(folder), "--index-dir", str(idx), "--json", env=CLEAN)
    assert done.returncode == 1, done.stderr
    summary = json.loads(done.stdout)
    want = len(page.articles) + len(family_pages["sidebar", 1][0].articles)
    assert summary["added"] == want
    rejected = "\n".join(summary["rejected"])
    assert f"{folder / 'locked.pdf'}: an encrypted PDF" in rejected
    assert f"{folder / 'broken.pdf'}: not a readable PDF" in rejected
    assert f"{folder / 'letter.pdf'}" in rejected and "not a newspaper page" in rejected
    assert sorted(summary["skipped"]) == [
        f"{folder / 'notes.docx'}: skipped: a ZIP archive (also .docx, .xlsx, .epub), "
        "which no reader takes",
        f"{folder / 'photos.7z'}: skipped: a 7-Zip archive, which no reader takes"]
    text = unionsearch("index", str(folder), "--index-dir", str(idx), env=CLEAN)
    assert f"skipped: {folder / 'photos.7z'} (a 7-Zip archive, which no reader takes)" in (
        text.stderr)
    assert f"{want} unchanged" in text.stdout and "2 skipped" in text.stdout


def test_skipped_files_are_not_rejections_to_the_walk(tmp_path):
    """The walk yields a Skipped record (a kind of Rejection) for each file no reader takes,
    and none for files a reader takes."""
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b.gif").write_bytes(b"GIF89a" + b"\0" * 10)
    items = list(read([str(tmp_path)], date="1998-01-02"))
    skipped = [x for x in items if isinstance(x, Skipped)]
    assert [(Path(s.source).name, s.reason) for s in skipped] == [
        ("b.gif", "skipped: a GIF image, which no reader takes")]


def test_printed_place_is_stored_and_served(family_pages, tmp_path):
    """An imported PDF article's printed place comes back from the index in the JSON API's
    shape; a re-import of the same file is unchanged."""
    page, path = family_pages["feature", 1]
    idx = tmp_path / "idx"
    done = unionsearch("index", str(path), "--index-dir", str(idx), "--json", env=CLEAN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == len(page.articles)
    engine = Engine(str(idx))
    found = engine.search(SearchRequest(q=f'"{page.articles[0].title}"'))
    art = engine.get(found["hits"][0]["id"])
    printed = art["printed"]
    assert art["title"] == page.articles[0].title
    assert printed["file"] == str(path.resolve()) and printed["page"] == 0
    assert [round(v) for v in printed["size"]] == [992, 1417]  # 350 × 500 mm
    assert printed["regions"] and all(len(r) == 4 for r in printed["regions"])
    again = unionsearch("index", str(path), "--index-dir", str(idx), "--json", env=CLEAN)
    assert json.loads(again.stdout)["unchanged"] == len(page.articles)


def test_printed_place_is_out_of_the_id_and_in_the_digest_only_when_present():
    """Re-reading a page with better regions updates the article (same id, new digest); an
    article without a printed place keeps the digest it always had."""
    plain = Article(title="标题", body="正文", date="1998-01-02")
    placed = Article(title="标题", body="正文", date="1998-01-02",
                     printed={"file": "/a.pdf", "page": 0, "size": [595, 842],
                              "regions": [[1, 2, 3, 4]]})
    moved = Article(title="标题", body="正文", date="1998-01-02",
                    printed={"file": "/a.pdf", "page": 0, "size": [595, 842],
                             "regions": [[1, 2, 3, 5]]})
    assert plain.stable_id() == placed.stable_id() == moved.stable_id()
    assert len({plain.digest(), placed.digest(), moved.digest()}) == 3
    import hashlib

    legacy = hashlib.sha1("\x1f".join([plain.stable_id(), "标题", "", "正文", "1998-01-02", "",
                                       "", ""]).encode("utf-8")).hexdigest()[:16]
    assert plain.digest() == legacy


def test_dry_run_draws_each_page_with_its_articles(family_pages, tmp_path):
    """`index --dry-run` lists each article with its regions and writes a PNG of the page
    with every article outlined in its colour; nothing is written to the index."""
    from PIL import Image

    from indexer.printed.annotate import COLOURS

    page, path = family_pages["grid", 1]
    shots = tmp_path / "shots"
    idx = tmp_path / "idx"
    done = unionsearch("index", str(path), "--dry-run", "--page-images", str(shots),
                       "--index-dir", str(idx), env=CLEAN)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("版面图  page 1") == len(page.articles)
    png = shots / "grid-1-p1.png"
    assert f"page image: {png}" in done.stdout
    img = Image.open(png).convert("RGB")
    assert img.size == (992, 1417)
    records = [json.loads(line) for line in unionsearch(
        "index", str(path), "--dry-run", "--json", "--page-images", str(shots),
        "--index-dir", str(idx), env=CLEAN).stdout.splitlines()]
    arts = [r for r in records if "printed" in r]
    assert len(arts) == len(page.articles)
    for k, rec in enumerate(arts):
        x0, y0, x1, y1 = rec["printed"]["regions"][0]
        colour = tuple(int(COLOURS[k % len(COLOURS)][i:i + 2], 16) for i in (1, 3, 5))
        edge = [img.getpixel((round(x0) + dx, round((y0 + y1) / 2))) for dx in range(-1, 3)]
        assert colour in edge, (rec["title"], edge)
    assert not idx.exists()


def test_a_story_merged_from_a_pdf_and_another_source_keeps_its_printed_place():
    """One story from a 版面 PDF and from an e-paper page, merged: the article made of both
    still knows where it was printed."""
    from search.dedupe import merged

    place = {"file": "/a.pdf", "page": 2, "size": [992.1, 1417.3], "regions": [[1, 2, 30, 40]]}
    from_pdf = Article(title="职工之家建起来", body="职工之家建起来了。", date="1998-01-02",
                       page="3", printed=place)
    from_web = Article(title="职工之家建起来", body="职工之家建起来了，职工们有了活动的地方。",
                       date="1998-01-02", url="http://example.invalid/a.htm")
    for sources in ([from_pdf, from_web], [from_web, from_pdf]):
        both = merged(sources, "keep")
        assert both.printed == place and both.body == from_web.body and both.url


def test_a_headline_set_vertically_beside_its_text(tab, tmp_path):
    """A 竖排 headline (characters one under the other) beside two columns of text: one
    title, read top to bottom, over the whole text."""
    body = "职工之家建起来了，职工们有了活动的地方。" * 12
    html = ("<html><body style='font-family:\"Noto Serif CJK SC\";font-size:10pt;width:180mm'>"
            "<div style='display:flex;justify-content:space-between'><span>工人日报</span>"
            "<span>1998年1月2日　星期五</span><span>第3版：要闻</span></div>"
            "<div style='display:flex;gap:6mm;margin-top:8mm'>"
            "<h1 style='writing-mode:vertical-rl;font-size:24pt;margin:0'>职工之家建起来</h1>"
            "<div style='column-count:2;column-gap:5mm;flex:1'>"
            f"<p style='text-indent:2em;margin:0'>本报记者张三报道：{body}</p></div></div>"
            "</body></html>")
    tab = tab()
    tab.set_content(html)
    path = tmp_path / "vertical.pdf"
    path.write_bytes(tab.pdf())
    (item,) = list(read_pdf(str(path)))
    assert item.article.title == "职工之家建起来"
    assert item.article.body == "本报记者张三报道：" + body
    assert item.article.reporters == ["张三"]


def test_a_bold_kicker_in_body_size_is_read_as_the_kicker(tmp_path):
    """A kicker set in the body's size but in a bold font (its weight known by the font's
    name, Helvetica-Bold) is read into the headline block above the title."""
    page = newspaper_page(stories=[
        ("职工之家建起来", ["本报记者 张三", "　　职工之家建起来了，职工们有了活动的地方。"], "actual")])
    page.insert(3, Text(40, 62, 10, "一线见闻", "bold"))
    path = tmp_path / "1998-01-02.pdf"
    path.write_bytes(build([page]))
    (item,) = list(read_pdf(str(path)))
    assert (item.article.kicker, item.article.title) == ("一线见闻", "职工之家建起来")
    assert not item.article.body.startswith("一线见闻")


def test_a_page_of_continued_text_is_imported_untitled(tmp_path):
    """A page whose header is printed but which holds only the rest of a story (no
    headline): its text is imported as an untitled article of that 版面, not rejected."""
    page = newspaper_page(page="第2版：要闻")
    page[3:3] = [Text(40, 70, 10, "（上接第一版）职工之家建起来以后，职工们有了活动的地方。", "actual"),
                 Text(40, 85, 10, "大家都说好。", "actual")]
    path = tmp_path / "p2.pdf"
    path.write_bytes(build([page]))
    (item,) = list(read_pdf(str(path)))
    assert isinstance(item, Loaded) and item.article.title == ""
    assert item.article.body == "（上接第一版）职工之家建起来以后，职工们有了活动的地方。大家都说好。"
    assert (item.article.date, item.article.page) == ("1998-01-02", "2")
    assert "continued from another page" in " ".join(item.why)


def test_the_masthead_names_the_paper_a_setting_declares(family_pages, tmp_path):
    """A page's header prints its paper (工人日报 …): declared in ``[papers]``, the articles
    belong to it; the same page imported with no setting stays one unnamed paper."""
    from indexer.papers import initials

    from .pdffamilies import PAPERS

    config = tmp_path / "unionsearch.toml"
    config.write_text("".join(f'[papers.{initials(n)}]\nname = "{n}"\n' for n in PAPERS),
                      encoding="utf-8")
    for fam in ("grid", "tabloid"):
        page, path = family_pages[fam, SEEDS[0]]
        idx = tmp_path / f"idx-{fam}"
        done = unionsearch("index", str(path), "--index-dir", str(idx), "--config",
                           str(config), env=CLEAN)
        assert done.returncode == 0, done.stderr
        hits = Engine(str(idx)).search(SearchRequest(q=f'"{page.articles[0].title}"'))["hits"]
        assert hits[0]["paper"] == {"key": initials(page.paper), "name": page.paper}, fam
    plain = tmp_path / "idx-plain"
    page, path = family_pages["grid", SEEDS[0]]
    assert unionsearch("index", str(path), "--index-dir", str(plain), env=CLEAN).returncode == 0
    hits = Engine(str(plain)).search(SearchRequest(q=f'"{page.articles[0].title}"'))["hits"]
    assert hits[0]["paper"] is None


def test_the_labor_and_special_families_print_words_of_their_own():
    """The ``labor`` and ``special`` families (held out) are measured on words no rule
    learned: their papers, 版面 names, column labels, kickers and banners hold no word of the
    splitter's lists and no string the page-dump families print."""
    from indexer.lexicon import LISTS, removed_by

    from . import pdfnewfamilies as new
    from .pagefamilies import WORDS

    names = [*new.LABOR_NAMES, *new.SPECIAL_NAMES]
    own = [*new.LABOR_PAPERS, *new.LABOR_LABELS, *new.SPECIAL_PAPERS, *new.BANNERS,
           *new.VERTICAL_KICKERS, *names]
    assert not removed_by({"kickers": own, "columns": own, "units": own, "notes": own})
    learned = {w for ws in LISTS.values() for w in ws if len(w) >= 2}
    assert not [(w, s) for s in own for w in learned if w in s]
    theirs = {s.strip("（）【】") for w in WORDS.values() for kind in w.printed().values()
              for s in kind}
    assert not [(t, s) for s in own for t in theirs if t in s or s in t]


@pytest.mark.parametrize(("family", "marks"), [
    ("labor", ("writing-mode: vertical-rl", "（下转第", "■ ", "class=\"fig\"")),
    ("special", ("class=\"banner\"", "（上接第1版）", "body verse"))])
def test_the_new_families_print_their_designs(family, marks):
    """Each page of the new families prints the parts its design is measured on (a
    vertical headline, a turn to another page, a signed comment, a photo story; a banner,
    a story continued from the front page, a column of verse), and the banner is kept as
    a headline no body may hold."""
    from .pdffamilies import make_html

    for seed in range(4):
        page, truths = make_html(family, seed)
        assert all(m in page.html for m in marks), (seed, [m for m in marks
                                                           if m not in page.html])
        assert len(truths) >= 5
        assert bool(page.banners) == (family == "special")
        assert not any(t["title"] in page.banners for t in truths)


def test_the_metro_family_prints_words_of_its_own():
    """The held-out ``metro`` family is measured on words no rule learned: none of its
    kickers, subtitles, captions, column label, paper or 版面 names holds a word of the
    splitter's lists (``indexer/lexicon.py``) or a string the page-dump families print
    (which the other PDF families draw their kickers and units from)."""
    from indexer.lexicon import LISTS, removed_by

    from .pagefamilies import WORDS
    from .pdffamilies import (
        METRO_CAPTIONS,
        METRO_KICKERS,
        METRO_LABEL,
        METRO_NAMES,
        METRO_PAPERS,
        METRO_SUBS,
    )

    own = [*METRO_KICKERS, METRO_LABEL, *METRO_SUBS, *METRO_CAPTIONS, *METRO_NAMES,
           *METRO_PAPERS]
    assert not removed_by({"kickers": own, "columns": own, "units": own, "notes": own})
    learned = {w for ws in LISTS.values() for w in ws if len(w) >= 2}
    assert not [(w, s) for s in own for w in learned if w in s]
    theirs = {s.strip("（）【】") for w in WORDS.values() for kind in w.printed().values()
              for s in kind}
    printed = [s for s in own if s not in METRO_NAMES]  # 要闻 is every paper's 版面
    assert not [(t, s) for s in printed for t in theirs if t in s or s in t]


@pytest.fixture(scope="module")
def union_pages(browser, tmp_path_factory) -> dict[str, tuple]:
    """A ``labor`` page with a vertical 引题 (seed 2) and a ``special`` page (seed 1),
    printed once: family → (page, PDF)."""
    folder = tmp_path_factory.mktemp("pdf-union")
    out = {}
    for fam, seed in zip(NEW_FAMILIES, (2, 1), strict=True):
        page = render(browser, fam, seed)
        path = folder / f"{fam}-{seed}.pdf"
        path.write_bytes(page.pdf)
        out[fam] = (page, path)
    return out


def test_a_union_dailys_comment_page_reads_its_page_number_and_vertical_heads(union_pages):
    """工人日报-style: the page number printed alone in a dark box is the 版面 (its name
    beside it), a vertical 引题 right of a vertical headline is its kicker, a reversed label
    on a bar over a centred title is the title's kicker, a comment's ■ signature its
    reporter; every check of every article right."""
    page, path = union_pages["labor"]
    items = list(read_pdf(str(path)))
    counts, missed = score(page, items)
    for check, (right, total) in counts.items():
        assert right == total, [m for m in missed if f" {check}:" in m]
    kickers = {t.kicker for t in page.articles} - {""}
    assert len(kickers) == 2 and kickers <= {a.kicker for a in _articles(items)}
    assert all(a.page == page.page and a.page_name == page.name for a in _articles(items))


def test_a_special_pages_banner_heads_the_page_and_no_story(union_pages):
    """A 专版's 通栏 banner is the page's heading: no article is titled by it, none holds
    it, each says it stood under it; the story continued from the front page names its
    reporter past （上接第1版）; the column of verse is one article."""
    page, path = union_pages["special"]
    items = list(read_pdf(str(path)))
    counts, missed = score(page, items)
    for check, (right, total) in counts.items():
        assert right == total, [m for m in missed if f" {check}:" in m]
    arts = _articles(items)
    (banner,) = page.banners
    assert not any(banner in a.title.replace(" ", "") or banner in a.body for a in arts)
    assert not any(isinstance(x, Rejection) for x in items)
    assert all(any("通栏 banner" in n and banner in n for n in x.notes)
               for x in items if isinstance(x, Loaded))


def test_a_theory_page_and_a_page_of_short_items_read_right(browser, tmp_path):
    """A 理论 page (a letter-spaced 版面 name, essays with numbered 小标题, the author's unit
    closing the text) and a 1990s news page (a framed column of 短讯 under a label on a bar,
    items headed barely larger than their text, a strip of news photographs, a three-level
    headline): every check of every article right, and neither label is an article's."""
    for fam in DESIGNS:
        page = render(browser, fam, 1)
        path = tmp_path / f"{fam}-1.pdf"
        path.write_bytes(page.pdf)
        items = list(read_pdf(str(path)))
        counts, missed = score(page, items)
        for check, (right, total) in counts.items():
            assert right == total, [m for m in missed if f" {check}:" in m]
        titles = {a.title for a in _articles(items)}
        assert not titles & set(page.banners)
        if fam == "briefs":
            assert counts["title"][1] >= 10  # the lead, five items, three photographs, two more


def test_a_broadsheet_front_with_a_vertical_masthead_and_a_boxed_lead(browser, tmp_path):
    """A four-column front (``tests/pdfbroad.py``): the paper's name set down the page in a
    box, the date, 农历, 刊号 and 第1版 name set in loose rows beside it; a lead boxed by a
    heavy rule under an 引题 in display type over a 32 pt title, jumping on (（下转第N版）).
    The page and its name are read from the rows beside the masthead, the 引题 is the lead's
    kicker, and every check of every article is right."""
    page = render(browser, "broad4", 1)
    path = tmp_path / "broad4-1.pdf"
    path.write_bytes(page.pdf)
    items = list(read_pdf(str(path)))
    counts, missed = score(page, items)
    for check, (right, total) in counts.items():
        assert right == total, [m for m in missed if f" {check}:" in m]
    arts = _articles(items)
    assert {(a.page, a.page_name) for a in arts} == {("1", page.name)}
    lead = page.articles[0]
    assert lead.kicker and any(a.kicker.split() == lead.kicker.split() for a in arts)
