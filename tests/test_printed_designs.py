"""What the 理论 page and the 1990s news page (``tests/pdfdesigns.py``) taught the page reader,
each case the exact geometry in question, on the model OCR and the PDF reader fill
(:class:`indexer.printed.lines.PrintedPage`); ``bench/ingest_pdf.py`` and
``bench/ingest_scan.py`` measure the designs whole."""

from __future__ import annotations

import numpy as np

from indexer.printed.lines import Char, Line, PrintedPage
from indexer.printed.ocr import dropped_dashes
from indexer.printed.segment import segment

from .test_scan_segment import HAN, _column, _line, _page


def _pdf_line(text: str, x: float, y: float, size: float) -> Line:
    """A text-layer line (no confidence: sizes are exact)."""
    chars = [Char(ch, x + i * size, y, x + (i + 1) * size, y + size) for i, ch in enumerate(text)]
    return Line(text, x, y, x + len(text) * size, y + size, size, chars=chars)


def _pdf_column(words: str, x: float, y: float, width: float, rows: int, size: float = 9.5
                ) -> list[Line]:
    per = int(width // size)
    return [_pdf_line(words[(r * per) % 300:][:per], x, y + r * 1.5 * size, size)
            for r in range(rows)]


def test_a_letter_spaced_banmian_name_is_the_pages_name():
    """A 理论 page prints its 版面 name big and letter-spaced (理 论 与 实 践) beside a small
    第6版: the name is one word and the page number is still found."""
    head = [_line("理 论 与 实 践", 26, 20, 24, step=30), _line("职工日报 1998年1月21日 星期三",
                                                               300, 34, 10),
            _line("第6版", 540, 34, 10)]
    body = [_line("改革的几点思考", 26, 80, 20), *_column(HAN, 26, 110, 250, 12)]
    page = PrintedPage("page.png", 0, 595, 842, head + body, "scan")
    pieces = segment(page)
    assert [(p.title, p.page, p.page_name) for p in pieces] == [("改革的几点思考", "6", "理论与实践")]


def test_a_page_label_run_into_its_name_by_ocr_gives_both():
    """OCR drops the space in 第12版　专版: the label and the name are still both read."""
    head = [_line("第12版专版", 26, 34, 10), _line("1998年1月6日", 300, 34, 10),
            _line("江汉劳动报", 500, 30, 10)]
    body = [_line("同心协力奔小康", 26, 80, 20), *_column(HAN, 26, 110, 250, 12)]
    pieces = segment(PrintedPage("page.png", 0, 595, 842, head + body, "scan"))
    assert [(p.page, p.page_name) for p in pieces] == [("12", "专版")]


def test_a_header_set_centred_on_its_row_is_all_header():
    """The page number in a box and the 版面 name beside it sit lower than the date on the
    same header row (centred, not on one baseline): both are the header, no headline."""
    def boxed(text: str, x: float, y0: float, y1: float, size: float) -> Line:
        line = _line(text, x, y0, size)
        return Line(text, line.x0, y0, line.x1, y1, size, conf=0.99, chars=line.chars)

    # as OCR boxed them on a scan: the date 36-51, the name 45-64, the number 48-58
    head = [boxed("1998年1月9日星期五劳动周刊", 400, 36, 51, 11.2),
            boxed("言论·观点", 67, 45, 64, 13.5), boxed("8", 35, 48, 58, 11.4)]
    body = [_line("伊斯兰会议组织发表声明", 26, 90, 20), *_column(HAN, 26, 120, 250, 12)]
    pieces = segment(PrintedPage("page.png", 0, 595, 842, head + body, "scan"))
    assert [(p.title, p.page, p.page_name) for p in pieces] == [
        ("伊斯兰会议组织发表声明", "8", "言论·观点")]


def test_short_items_under_a_label_on_a_bar_are_stories_of_their_own():
    """A framed column of 短讯: a label reversed on a dark bar, then items whose headlines
    are barely larger than their text (11.5 pt over 9.5 pt).  Each item is a story with its
    headline; the label is no story's title and no story's kicker."""
    label = _pdf_line("时讯速览", 650, 90, 15)
    bar = (630.0, 86.0, 800.0, 109.0)
    lines = [_pdf_line("各地新闻摘要", 26, 90, 22), *_pdf_column(HAN, 26, 122, 560, 20), label]
    titles = ["李鹏会见英国客人", "首都机场大雪纷飞航班正常", "黎可漂强调勤俭建国"]
    for i, title in enumerate(titles):
        y = 120 + i * 120
        lines.append(_pdf_line(title, 630, y, 11.5))
        first = _pdf_line(HAN[i * 20:][:15], 649, y + 17, 9.5)  # an indented first line
        lines += [first, *_pdf_column(HAN[i * 30 + 15:], 630, y + 31, 170, 4)]
    page = PrintedPage("page.pdf", 0, 842, 1190, [*_page([]).lines[:3], *lines], "pdf")
    pieces = segment(page, [bar])
    by_title = {p.title: p for p in pieces}
    assert set(titles) <= set(by_title)
    assert "时讯速览" not in by_title and all(p.kicker != "时讯速览" for p in pieces)
    for i, title in enumerate(titles):
        assert HAN[i * 20:][:15] in by_title[title].body.replace("\n", "")
    assert any("时讯速览" in w for w in by_title[titles[0]].why)


def test_ocr_text_measured_large_stays_text():
    """OCR measures text up to a fifth large: a numbered 小标题 a little larger than the text
    with text under it, and a paragraph's indented first line measured over the headline
    ratio with the next line sharing its right edge, stay in the story's text."""
    title = _line("股份制改革要解决好四个问题", 26, 90, 20)
    col = _column(HAN, 26, 120, 250, 10)
    subhead = _line("三、切实转变工作作风", 26, col[-1].y1 + 6, 11.4)
    first = _line(HAN[50:][:22], 46, subhead.y1 + 8, 11.4, step=10)  # 2 ems in, large
    rest = _column(HAN[72:], 26, first.y1 + 1, 250, 8)
    pieces = segment(_page([title, *col, subhead, first, *rest]))
    assert [p.title for p in pieces] == ["股份制改革要解决好四个问题"]
    body = pieces[0].body.replace("\n", "")
    assert "三、切实转变工作作风" in body and HAN[50:][:22] in body


def test_a_dash_read_as_yi_and_a_dash_is_a_dash():
    """rapidocr reads a headline's 破折号 as 一— or as one —: in display type that is the
    two-em dash (a whole one stays as it is)."""
    gray = np.full((400, 800), 235, dtype=np.uint8)
    head = _line("互信合作发展经济一—孟巴印经贸首脑会议圆满结束", 20, 20, 20)
    lines = [head, *_column(HAN, 20, 60, 400, 8)]
    fixed = dropped_dashes(lines, gray, 72)
    assert fixed[0].text == "互信合作发展经济——孟巴印经贸首脑会议圆满结束"
    assert [c.text for c in fixed[0].chars][8:10] == ["—", "—"]
    both = dropped_dashes([_line("朝阳—“楹联之市”——又一城", 20, 20, 20), *lines[1:]], gray, 72)
    assert both[0].text == "朝阳——“楹联之市”——又一城" and len(both[0].chars) == 15
    body = _line("统一——这是", 20, 300, 10)  # 一 before a whole dash is a word's
    assert dropped_dashes([body, *lines], gray, 72)[0].text == "统一——这是"


def _pdf_paragraph(text: str, x: float, y: float, per: int, size: float = 9.5) -> list[Line]:
    """A paragraph set in a column ``per`` characters wide: its first line indented two."""
    rows = [text[:per - 2]] + [text[per - 2 + i:per - 2 + i + per]
                               for i in range(0, len(text) - per + 2, per)]
    return [_pdf_line(row, x + (2 * size if r == 0 else 0), y + r * 1.5 * size, size)
            for r, row in enumerate(rows) if row]


def test_a_bracketed_credit_after_the_last_sentence_names_the_writer():
    """A 1990s story that closes with its writer's name in brackets after its last sentence
    (…平方米。（汪大昭）), no 记者 byline over its text: the credit names its reporter, as the
    page-dump reader reads it, and stays in the body as printed; a photographer's credit
    before a writer's credit (（新华社记者索朗罗布摄）（单三娅）) names the writer only."""
    story = ("记者从国家教委获悉，在党中央、国务院的关心和推动下，我国教职工住房建设工作经过几年的"
             "努力已实现了历史性突破，全国城镇教职工住房建设共投资五百四十二亿元，教职工家庭人均"
             "居住面积由六点九零平方米提高到八点四五平方米。（汪大昭）")
    photo = ("一月一日，六十四辆满载拉萨人民捐助的价值六十万元的物资运往那曲灾区，几天来拉萨各"
             "机关、学校、居委会及部队为灾区人民捐赠了大量钱款、物资和食品。")
    lines = [_pdf_line("教职员工喜开颜", 26, 90, 22), *_pdf_paragraph(story, 26, 122, 30),
             _pdf_line("不忘藏北人民的拉萨市民", 330, 90, 22),
             *_pdf_paragraph(photo, 330, 122, 30)]
    lines.append(_pdf_line("（新华社记者索朗罗布摄）（单三娅）", 330, lines[-1].y1 + 4.75, 9.5))
    page = PrintedPage("page.pdf", 0, 842, 1190, [*_page([]).lines[:3], *lines], "pdf")
    by_title = {p.title: p for p in segment(page)}
    housing = by_title["教职员工喜开颜"]
    assert housing.reporters == ["汪大昭"]
    assert housing.body.replace("\n", "").endswith("平方米。（汪大昭）")
    assert by_title["不忘藏北人民的拉萨市民"].reporters == ["单三娅"]


def test_a_label_over_a_strip_of_pictures_is_no_story_and_says_where_it_went():
    """新闻摄影 over three photographs, each titled over its picture with its caption under
    it: the label has no text of its own and is no story; the stories under it say they are
    under it (what --dry-run prints).  A title with nothing under it and no row of stories
    beneath stays a story of its own, so nothing is lost."""
    lines = [_pdf_line("各地新闻摘要", 26, 90, 22), *_pdf_column(HAN, 26, 122, 560, 12),
             _pdf_line("新闻摄影", 51, 321, 13)]
    titles = ["江泽民分别会见美国客人", "吴仪率团出访斐济萨摩亚", "位尊不移公仆心"]
    for i, title in enumerate(titles):
        x = 34 + i * 198
        lines.append(_pdf_line(title, x, 355, 13))
        lines += _pdf_column(HAN[i * 40:], x, 520, 180, 4)  # the caption under the picture
    lines.append(_pdf_line("图片新闻", 26, 650, 13))
    page = PrintedPage("page.pdf", 0, 842, 1190, [*_page([]).lines[:3], *lines], "pdf")
    pieces = segment(page)
    by_title = {p.title: p for p in pieces}
    assert "新闻摄影" not in by_title and all("新闻摄影" not in p.kicker for p in pieces)
    for title in titles:
        assert any("under the label '新闻摄影' over a strip of pictures" in w
                   for w in by_title[title].why)
    assert by_title["图片新闻"].why == ["a headline with no text under it"]
