"""Cutting a scanned page into articles where OCR joined what the page keeps apart.

Pages here are the model OCR fills (:class:`indexer.printed.lines.PrintedPage`): lines with
per-character boxes, in points, laid out as the scan families print them, so that each case
is exactly the geometry in question (the families in ``tests/test_scans.py`` and
``bench/ingest_scan.py`` measure the whole way from the image).
"""

from __future__ import annotations

from indexer.printed.lines import Char, Line, PrintedPage
from indexer.printed.segment import segment

HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"


def _line(text: str, x: float, y: float, size: float, step: float | None = None) -> Line:
    step = step or size
    chars = [Char(ch, x + i * step, y, x + i * step + size, y + size, 0.99)
             for i, ch in enumerate(text)]
    return Line(text, x, y, chars[-1].x1, y + size, size, conf=0.99, chars=chars)


def _joined(left: Line, right: Line) -> Line:
    """One OCR line made of two level lines (the detector read them as one)."""
    chars = left.chars + right.chars
    return Line(left.text + right.text, left.x0, left.y0, right.x1, left.y1, left.size,
                conf=0.99, chars=chars)


def _column(words: str, x: float, y: float, width: float, rows: int, size: float = 10
            ) -> list[Line]:
    per = int(width // size)
    return [_line(words[(r * per) % 300:][:per], x, y + r * 1.5 * size, size)
            for r in range(rows)]


def _page(lines: list[Line]) -> PrintedPage:
    head = [_line("工人日报", 26, 20, 10), _line("1998年1月5日星期一", 240, 20, 10),
            _line("第1版要闻", 500, 20, 10)]
    foot = [_line("责任编辑：王平", 26, 810, 8)]
    return PrintedPage("page.png", 0, 595, 842, head + lines + foot, "scan")


def test_two_headlines_read_as_one_line_across_a_gutter_are_two_stories():
    """Two stories side by side under a rule: the first line of one's two-line headline and
    the other's one-line headline, level one gutter apart, came out of OCR as one line."""
    left1 = _line("金融危机后痛定思痛东亚", 26, 100, 20)
    right = _line("天津人怎么过年", 302, 100, 20)
    left2 = _line("开始全面调整", 26, 124, 20)
    body_l = _column(HAN, 26, 152, 124, 20) + _column(HAN[40:], 160, 152, 124, 20)
    body_r = _column(HAN[80:], 302, 128, 124, 22) + _column(HAN[120:], 440, 128, 124, 22)
    pieces = segment(_page([_joined(left1, right), left2, *body_l, *body_r]))
    titles = sorted(p.title for p in pieces if p.title)
    assert titles == ["天津人怎么过年", "金融危机后痛定思痛东亚开始全面调整"]
    by_title = {p.title: p for p in pieces}
    left_text = {ln.text for ln in body_l}
    right_text = {ln.text for ln in body_r}
    assert {ln.text for ln in by_title["天津人怎么过年"].lines} == right_text
    assert {ln.text for ln in by_title["金融危机后痛定思痛东亚开始全面调整"].lines} == left_text


def test_a_headline_over_its_own_columns_stays_whole_where_it_has_a_gap():
    """A headline over its story's two columns, with the blank after a closing quote (half
    a character) right over the gutter, is one title; so is one whose characters are
    spaced out evenly across the gutter."""
    title = "“三下乡”惠泽万家文化潮涌"
    quote = title.index("”") + 1
    head = _line(title, 26, 100, 17)
    for c in head.chars[quote:]:  # the blank after ” lies over the gutter at x ≈ 155
        c.x0 += 8.5
        c.x1 += 8.5
    head.x1 = head.chars[-1].x1
    body = _column(HAN, 26, 126, 124, 20) + _column(HAN[40:], 163, 126, 124, 20)
    spaced = _line("古巴全国人大选举揭晓", 302, 100, 17, step=26)
    body2 = _column(HAN[60:], 302, 126, 124, 20) + _column(HAN[90:], 440, 126, 124, 20)
    pieces = segment(_page([head, *body, spaced, *body2]))
    assert sorted(p.title for p in pieces if p.title) == sorted([title, "古巴全国人大选举揭晓"])


def test_a_headline_missing_a_character_over_its_gutter_stays_one_title():
    """OCR lost a character of a two-line headline (会晤 → 会) right over its story's
    gutter: the blank there is a character wide, but the second line runs on across the
    gutter, so it is one headline over one story's columns."""
    first = _line("俄官员会晤车臣领导人", 222, 100, 17)
    lost = first.chars.pop(4)  # 晤, over the gutter at x ≈ 297
    assert lost.x0 < 297 < lost.x1
    first.text = "".join(c.text for c in first.chars)
    second = _line("讨论稳定车臣局势问题", 222, 120, 17)
    body = _column(HAN, 222, 146, 70, 16) + _column(HAN[50:], 310, 146, 70, 16)
    pieces = segment(_page([first, second, *body]))
    assert [p.title for p in pieces if p.title] == ["俄官员会车臣领导人讨论稳定车臣局势问题"]


def _vertical(text: str, x: float, y: float, size: float) -> Line:
    chars = [Char(ch, x, y + i * size, x + size, y + (i + 1) * size, 0.99)
             for i, ch in enumerate(text)]
    return Line(text, x, y, x + size, chars[-1].y1, size, conf=0.99, chars=chars)


def test_a_vertical_headline_right_of_its_text_takes_the_columns_beside_it():
    """A 竖题 at the right of its story's three columns, the story above ending one gap
    over them: the columns are the vertical headline's story, not the one above."""
    above = _line("香港各界举行活动喜庆元旦", 26, 100, 17)
    above_body = _column(HAN, 26, 126, 520, 8)
    vert = _vertical("南斯拉夫货币面临贬值危险", 540, 262, 18)
    cols = [_column(HAN[k * 40:], 26 + k * 172, 262, 160, 18) for k in range(3)]
    pieces = segment(_page([above, *above_body, vert, *[ln for c in cols for ln in c]]))
    by_title = {p.title: p for p in pieces}
    assert set(by_title) == {"香港各界举行活动喜庆元旦", "南斯拉夫货币面临贬值危险"}
    assert {ln.text for ln in by_title["南斯拉夫货币面临贬值危险"].lines} == {
        ln.text for c in cols for ln in c}
    assert {ln.text for ln in by_title["香港各界举行活动喜庆元旦"].lines} == {
        ln.text for ln in above_body}


def test_ocr_measures_a_vertical_line_across():
    """A vertical line's type size is its characters' step down the line, not across."""
    import numpy as np

    from indexer.printed.ocr import RawChar, RawLine, is_vertical, type_size

    ink = np.zeros((900, 200), dtype=bool)
    chars = []
    for i in range(10):
        top = 50 + i * 64
        ink[top + 4:top + 60, 72:128] = True  # a character's ink, 56 px of a 64 px em
        chars.append(RawChar("字", (68.0, float(top), 132.0, float(top + 64)), 0.99))
    line = RawLine(chars)
    assert is_vertical(line)
    assert 56 <= type_size(line, ink) <= 66


def _tall(line: Line, height: float) -> Line:
    """``line`` with the box OCR gives it: taller than its type, by ``height``."""
    line.y1 = line.y0 + height
    return line


def test_a_short_last_line_of_an_ocr_headline_stays_in_the_title():
    """服务, the two-character last line of a centred headline, measures small by its pitch
    (one step between two boxes tight to the ink) but its box is as tall as the first
    line's: it is the title's; a short line in a shorter box is not (a subtitle or text)."""
    for height, in_title in ((20.5, True), (15.0, False)):
        first = _tall(_line("首都在线开通市民尽享信息", 46, 316, 16.4), 23.0)
        short = _tall(_line("服务", 143, 339, 13.5), height)
        body = _column(HAN, 40, 366, 230, 10, size=10.5)
        pieces = [p for p in segment(_page([first, short, *body])) if p.title]
        assert len(pieces) == 1
        title = "首都在线开通市民尽享信息服务" if in_title else "首都在线开通市民尽享信息"
        assert pieces[0].title == title
        assert ("服务" in pieces[0].body + pieces[0].subtitle) is not in_title


def test_a_page_labelled_like_a_city_paper_gives_its_banmian():
    """A city paper's header prints its page as A04 (no 第, no 版) with the 版面's name
    beside it, under the date and a 今日32版 that is not this page's number."""
    head = [_line("东湖晚报", 24, 46, 34), _line("1998年1月22日星期四", 653, 51, 9.8),
            _line("农历丁丑年腊月廿四　今日32版", 620, 65, 8.8), _line("A04", 26, 95, 9),
            _line("本埠新闻", 332, 91, 10.2)]
    story = [_line("人才中介市场需要规范", 27, 150, 33.8), *_column(HAN, 27, 200, 300, 12)]
    page = PrintedPage("page.png", 0, 794, 1134, head + story, "scan")
    pieces = segment(page)
    assert [(p.title, p.page, p.page_name, p.date) for p in pieces] == [
        ("人才中介市场需要规范", "A4", "本埠新闻", "1998-01-22")]


def test_tinted_boxes_are_found_and_text_on_paper_is_not():
    """A teaser box on a grey ground (text inside it) and a picture are tinted areas; a
    block of dense text on white paper, specks and the paper's noise are not."""
    import numpy as np

    from indexer.printed.frames import tinted_boxes

    rng = np.random.default_rng(1)
    gray = np.full((1200, 1000), 242.0) + rng.normal(0, 9, (1200, 1000))
    gray[100:400, 600:900] -= 15  # the grey ground of a teaser box, 38 × 38 mm
    gray[500:800, 80:500] = np.linspace(90, 200, 420)[None, :]  # a picture
    for y in range(120, 380, 24):  # lines of text: strokes over the box and over paper
        for x in range(620, 880, 28):
            gray[y:y + 18, x:x + 4] = 30
            gray[y + 8:y + 11, x:x + 20] = 30
    for y in range(880, 1150, 24):
        for x in range(80, 900, 22):
            gray[y:y + 18, x:x + 5] = 30
            gray[y + 4:y + 7, x:x + 18] = 30
            gray[y + 12:y + 15, x:x + 18] = 30
    gray[rng.random(gray.shape) < 0.0015] = 60
    boxes = tinted_boxes(np.clip(gray, 0, 255).astype(np.uint8), 200)
    k = 72 / 200
    assert len(boxes) == 2
    for (x0, y0, x1, y1), want in zip(sorted(boxes, key=lambda b: b[1]),
                                      [(600, 100, 900, 400), (80, 500, 500, 800)], strict=True):
        assert all(abs(got - w * k) <= 4 for got, w in zip((x0, y0, x1, y1), want,
                                                             strict=True))


def test_columns_under_a_picture_belong_to_the_headline_over_it():
    """A lead story's headline over part of a picture, its text in three columns under the
    picture, the third starting a line lower: all three are the story's."""
    title = _line("人才中介市场需要规范", 27, 150, 30)
    cols = (_column(HAN, 32, 500, 170, 16) + _column(HAN[50:], 217, 500, 170, 16)
            + _column(HAN[100:], 402, 515, 170, 15))
    page = _page([title, *cols])
    picture = (29.0, 200.0, 573.0, 490.0)
    pieces = segment(page, [picture])
    assert [p.title for p in pieces] == ["人才中介市场需要规范"]
    assert {ln.text for ln in pieces[0].lines} == {ln.text for ln in cols}
    without = segment(page)
    assert len(without) == 2  # the third column, with no picture known, is nobody's


def test_a_box_drawn_with_rules_is_found_and_lone_rules_are_not():
    """A boxed story's frame (1 pt rules, the page turned 0.8°, text inside) is a box; the
    header's rule, a column rule and a line of heavy text are not."""
    import numpy as np
    from PIL import Image, ImageDraw

    from indexer.printed.frames import ruled_boxes

    img = Image.new("L", (1400, 1600), 242)
    draw = ImageDraw.Draw(img)
    draw.rectangle((100, 300, 800, 1000), outline=20, width=3)  # the box
    draw.line((60, 120, 1340, 120), fill=20, width=4)  # the header's rule
    draw.line((1000, 300, 1000, 1400), fill=20, width=2)  # a column rule
    for y in range(340, 960, 40):  # text in the box, and heavy text outside it
        for x in range(130, 760, 30):
            draw.rectangle((x, y, x + 24, y + 26), fill=30)
    for x in range(100, 1300, 29):
        draw.rectangle((x, 1450, x + 27, 1480), fill=30)
    turned = img.rotate(0.8, resample=Image.BICUBIC, fillcolor=242)
    boxes = ruled_boxes(np.asarray(turned), 200)
    k = 72 / 200
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert abs(x0 - 100 * k) < 6 and abs(x1 - 800 * k) < 6
    assert abs(y0 - 300 * k) < 8 and abs(y1 - 1000 * k) < 8


def _ink_lines(rows: list[str], x: int, em: int = 28, pitch: int = 42, top: int = 100
               ) -> tuple[list, object]:
    """OCR's lines of a justified column (one character an em on one grid) and the page's
    ink: a character inks most of its em, a full-width mark (，。：) only a corner, a space
    nothing."""
    import numpy as np

    from indexer.printed.ocr import CLOSING, RawChar, RawLine

    ink = np.zeros((top + pitch * len(rows) + 200, x + em * max(map(len, rows)) + 200), bool)
    lines = []
    for r, text in enumerate(rows):
        y = top + r * pitch
        line = RawLine()
        for i, ch in enumerate(text):
            x0 = x + i * em
            if ch == " ":
                continue
            if ch in CLOSING:
                ink[y + em - 9:y + em - 2, x0 + 2:x0 + 9] = True
            else:
                ink[y + 2:y + em - 2, x0 + 2:x0 + em - 2] = True
            line.chars.append(RawChar(ch, (x0, y, x0 + em, y + em), 0.99))
        lines.append(line)
    return lines, ink


def test_a_river_of_marks_down_a_column_is_no_gutter():
    """Justified text puts its characters on one grid, so the commas and full stops of a
    few lines in a row can fall one under another and leave a blank strip down the column,
    as a gutter does: the lines are not cut there.  A gutter the same lines' neighbours
    confirm (a second column joined to the first by OCR) is still cut, also where the left
    column's line ends with a mark."""
    from indexer.printed.ocr import split_columns

    plain = "国家医药管理局日前进行的全国医疗器械注册"
    rows = [plain, plain[:9] + "，" + plain[10:], plain[:9] + "。" + plain[10:],
            plain[:9] + "：" + plain[10:], plain[:9] + "，" + plain[10:], plain]
    lines, ink = _ink_lines(rows, 60)
    assert [ln.text for ln in split_columns(lines, ink)] == rows

    left, right = "一位女工正麻利地组装", "上海新卫塑料制品厂一"
    two = [left + "  " + right] * 3 + [left[:9] + "，  " + right] + [left + "  " + right] * 3
    lines, ink = _ink_lines(two, 60)
    got = [ln.text for ln in split_columns(lines, ink)]
    assert got == [t for row in two for t in row.split("  ")]


def test_a_headline_near_the_threshold_stays_one_when_ocr_sizes_shift_a_little():
    """OCR measures a column's text a little differently line by line (10.5 pt here,
    10.75 pt there, a few at 10.25): moving one line from one quarter point to the next
    does not move the page's body size, so a teaser headline measured 13 pt stays a
    headline either way."""
    from indexer.printed.segment import body_size

    def page(at_10_5: int, at_10_75: int) -> PrintedPage:
        sizes = [10.25] * 5 + [10.5] * at_10_5 + [10.75] * at_10_75
        body = [_line(HAN[(7 * r) % 200:][:12], 300, 130 + 16 * r, s)
                for r, s in enumerate(sizes)]
        return _page([_line("给黄土地拜年了", 300, 108, 13.0), *body])

    one, other = page(21, 20), page(20, 21)
    assert body_size(one.lines) == body_size(other.lines) == 10.5
    for p in (one, other):
        assert [x.title for x in segment(p) if x.title] == ["给黄土地拜年了"]


def test_a_four_character_title_between_a_longer_kicker_and_subtitle():
    """A story headed 图片新闻 (four characters, 22 pt) under a 14 pt kicker and over a 13 pt
    subtitle: the short line is the title although too short to measure by its pitch
    alone, for it measures a type size above the lines round it."""
    head = [_line("年货市场面面观", 277, 300, 14.0), _line("图片新闻", 277, 324, 21.4),
            _line("首批居民已拿到新房钥匙", 277, 355, 13.0)]
    body = _column(HAN, 277, 380, 230, 12, 10.5)
    (piece,) = [p for p in segment(_page([*head, *body])) if p.title]
    assert (piece.kicker, piece.title, piece.subtitle) == (
        "年货市场面面观", "图片新闻", "首批居民已拿到新房钥匙")


def test_a_headline_cut_at_its_dash_is_one_title_and_two_side_by_side_are_two():
    """OCR cut one story's headline where the engine dropped its 破折号 (the dash's stroke is
    still on the page, and the story's text runs under the gap): one title, the dash put
    back.  Two stories' headlines as far apart with a gutter under the gap stay two."""
    import numpy as np

    from indexer.printed.ocr import dropped_dashes

    dpi = 144.0  # two pixels a point
    gray = np.full((int(842 * 2), int(595 * 2)), 255, np.uint8)
    lead, tail = _line("群雄逐鹿竞风流", 26, 100, 20), _line("记深圳万德莱公司", 206, 100, 20)
    gray[2 * 109:2 * 111, 2 * 168:2 * 204] = 0  # the dash: a thin stroke at mid-height
    body = _column(HAN, 26, 130, 360, 12)
    lines = dropped_dashes([lead, tail, *body], gray, dpi)
    assert lines[1].text == "——记深圳万德莱公司"
    (piece,) = [p for p in segment(_page(lines)) if p.title]
    assert piece.title == "群雄逐鹿竞风流——记深圳万德莱公司"
    assert {ln.text for ln in piece.lines} == {ln.text for ln in body}

    # no stroke in the gap, a gutter under it: two stories
    blank = np.full_like(gray, 255)
    left, right = _line("群雄逐鹿竞风流", 26, 100, 20), _line("记深圳万德莱公司", 206, 100, 20)
    cols = _column(HAN, 26, 130, 150, 12) + _column(HAN[60:], 206, 130, 170, 12)
    lines = dropped_dashes([left, right, *cols], blank, dpi)
    assert [ln.text for ln in lines[:2]] == ["群雄逐鹿竞风流", "记深圳万德莱公司"]
    titles = sorted(p.title for p in segment(_page(lines)) if p.title)
    assert titles == ["群雄逐鹿竞风流", "记深圳万德莱公司"]


def test_items_of_a_briefs_column_headed_hardly_larger_than_their_text_are_apart():
    """A scanned briefs page (``tests/data/scanheads/briefs-541-page.json``: its lines as OCR
    read them, seed 541 of the briefs family).  In its 一周简报 column each item's headline is
    bold and a point or two larger than its text, which OCR measures 1.04-1.06 times the
    text; the blank of several lines over it and the paragraph opening under it show it
    heads an item, so the items after the second are no longer run into it."""
    import json
    from pathlib import Path

    from indexer.printed.store import page_from_json

    data = json.loads((Path(__file__).parent / "data" / "scanheads" / "briefs-541-page.json"
                       ).read_text())
    page = page_from_json(data)
    pieces = segment(page, page.frames)
    titles = [p.title for p in pieces]
    assert {"钱其琛会见陈方安生", "中国大饭店请首都记者健身", "南京：给特困户解决困难",
            "长野冬奥会火炬接力开始"} <= set(titles)
    bodies = "".join(p.body for p in pieces)
    assert "给特困户解决困难" not in bodies and "火炬接力开始" not in bodies
