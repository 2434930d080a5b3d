"""What the weekly's front and the youth daily's page (``tests/pdfpapers.py``) taught the page
reader, each case the geometry in question on the model the PDF reader fills
(:class:`indexer.printed.lines.PrintedPage`); ``bench/ingest_pdf.py`` measures the designs
whole."""

from __future__ import annotations

from indexer.byline import parse_byline
from indexer.printed.lines import Char, Line, PrintedPage
from indexer.printed.pdftext import _C, _lines
from indexer.printed.segment import segment

from .test_printed_designs import _pdf_column, _pdf_line
from .test_scan_segment import HAN


def _story(title: str, x: float, y: float, rows: int = 10) -> list:
    return [_pdf_line(title, x, y, 20), *_pdf_column(HAN, x, y + 30, 250, rows)]


def test_the_page_label_under_a_tall_masthead_and_its_name_after_it():
    """A weekly's masthead: the paper's name in big type (not ending in 报), 总第N期 and
    今日十六版 under it, the 刊号, then the date and 第1版　焦点 at the right: the page is 1,
    its name 焦点 (not the paper's name, not 今日十六版's number)."""
    head = [_pdf_line("工友周末", 26, 49, 34), _pdf_line("1998年1月19日 星期一", 420, 68, 10),
            _pdf_line("总第737期", 26, 85, 9), _pdf_line("今日十六版", 90, 85, 9),
            _pdf_line("国内统一刊号：CN 48-0069", 230, 86, 8),
            _pdf_line("第1版 焦点", 480, 83, 10)]
    body = _story("国产数字彩电来了", 26, 130)
    pieces = segment(PrintedPage("p.pdf", 0, 595, 842, head + body, "pdf"))
    assert [(p.title, p.page, p.page_name) for p in pieces] == [("国产数字彩电来了", "1", "焦点")]


def test_a_footer_set_with_slashes_is_kept_out_of_the_story():
    """编辑/张三　设计/李四　校对/王五 at the foot of the page is the footer, in no story."""
    head = [_pdf_line("1998年1月30日 第5版", 26, 20, 10)]
    foot = [_pdf_line("编辑/张丽玲 设计/乔新贤 校对/丛亚平", 26, 810, 8)]
    body = _story("一张名片", 26, 80)
    pieces = segment(PrintedPage("p.pdf", 0, 595, 842, head + body + foot, "pdf"))
    assert len(pieces) == 1 and "张丽玲" not in pieces[0].body and "校对" not in pieces[0].body


def test_a_line_set_across_over_a_vertical_title_is_no_kicker():
    """A box's label (本期看点) set across over a vertical headline heads the box: the
    story's title is the vertical headline, with no kicker."""
    head = [_pdf_line("1998年1月19日 第1版", 26, 20, 10)]
    label = _pdf_line("本期看点", 430, 80, 12.5)
    vertical = [_pdf_line(ch, 450, 100 + i * 21, 21) for i, ch in enumerate("震不断的银线")]
    text = _pdf_column(HAN, 420, 240, 120, 4)
    story = _story("国产数字彩电来了", 26, 80)
    pieces = segment(PrintedPage("p.pdf", 0, 595, 842, head + [label, *vertical] + text + story,
                                 "pdf"))
    got = {p.title: p.kicker for p in pieces}
    assert got["震不断的银线"] == ""
    assert "本期看点" not in "".join(p.body + p.title for p in pieces)


def test_a_photo_credit_over_a_short_headline_goes_with_its_story():
    """Under a picture, the credit set right (图/本报记者 张三), then the story's short
    headline set left: the credit is the story's, and names no reporter."""
    head = [_pdf_line("1998年1月30日 第5版", 26, 20, 10)]
    credit = _pdf_line("图/本报记者 扈志民", 180, 300, 9.5)
    story = [_pdf_line("努力提高国民素质", 26, 318, 15), *_pdf_column(HAN, 26, 340, 250, 5)]
    other = _story("谱写脱贫致富新篇章", 320, 80, 8)
    pieces = segment(PrintedPage("p.pdf", 0, 595, 842, head + other + [credit] + story, "pdf"))
    got = next(p for p in pieces if p.title == "努力提高国民素质")
    assert "扈志民" in got.body and got.reporters == []
    assert all(p.title for p in pieces)  # no untitled article of the credit alone


def test_wen_tu_credits_the_writer_who_took_the_pictures():
    assert parse_byline("文/图　本报记者　赖林嵩").reporters == ["赖林嵩"]
    assert parse_byline("文/图 张三").reporters == ["张三"]


def test_a_character_drawn_after_the_rest_of_its_line_is_read_in_its_place():
    """A browser drew 工 of 工友周末 after 友周末, its glyph box lower than theirs: the line
    reads 工友周末, not 友周末 and 工 apart."""
    chars = [_C(ch, 70 + i * 34, 49, 104 + i * 34, 83, 34) for i, ch in enumerate("友周末")]
    chars.append(_C("工", 36, 53, 70, 79, 34))
    assert [ln.text for ln in _lines(chars, [])] == ["工友周末"]


def test_a_name_shaped_kicker_in_display_type_is_the_kicker():
    """城事 (a two-character label that could be a pen name) set at 1.3 × the text over a
    headline is its kicker, not an author line left over the story above."""
    head = [_pdf_line("1998年1月7日 第6版", 26, 20, 10)]
    above = [_pdf_line("购物中心像围城", 26, 80, 20), *_pdf_column(HAN, 26, 110, 250, 6, 10)]
    kicker = _pdf_line("城事", 26, 300, 12.9975)  # 13 pt as PDFium measures it, text 10 pt
    story = [_pdf_line("灾区打响建房攻坚战", 26, 320, 19),
             *_pdf_column(HAN, 26, 350, 250, 6, 10)]
    pieces = segment(PrintedPage("p.pdf", 0, 595, 842, head + above + [kicker] + story, "pdf"))
    got = {p.title: (p.kicker, p.body) for p in pieces}
    assert got["灾区打响建房攻坚战"][0] == "城事"
    assert "城事" not in got["购物中心像围城"][1]


def test_white_type_on_a_dark_box_is_not_cut_at_column_rules():
    """On a dark box every pixel column is dark above and below a line of white type: none
    is a column rule.  A thin rule with paper beside it still is."""
    import numpy as np

    from indexer.printed.ocr import column_breaks

    dark = np.ones((200, 400), dtype=bool)
    for x in range(30, 370, 20):  # white strokes of the letters
        dark[92:108, x:x + 8] = False
    assert column_breaks(dark, (20, 90, 380, 110), 20) == []
    paper = np.zeros((200, 400), dtype=bool)
    for x in range(30, 370, 20):
        paper[92:108, x:x + 16] = True
    paper[20:180, 200:202] = True  # a column rule through the line
    assert any(rule and abs(x - 200) <= 2 for x, _, rule in column_breaks(
        paper, (20, 90, 380, 110), 20))


def test_white_lines_on_one_dark_box_stay_one_story():
    """A dark 看点 box: a vertical title over two lines of summary, each line (and the title)
    found on a dark 'bar' of its own by the scan's frame finder.  Those one-line frames keep
    nothing apart: the summary is the vertical title's story."""
    head = [_pdf_line("1998年1月29日 第1版", 26, 20, 10)]
    chars = [Char(ch, 698, 140 + i * 21, 719, 161 + i * 21) for i, ch in enumerate("阿拉伯联手反恐怖")]
    title = [Line("阿拉伯联手反恐怖", 698, 140, 719, 308, 21, chars=chars)]  # read down
    text = [_pdf_line("一年来的变化有目共睹背后", 640, 321, 9.5),
            _pdf_line("的故事同样动人文见第版", 640, 337, 9.5)]
    story = _story("国产数字彩电来了", 26, 80)
    frames = [(619, 107, 809, 691), (621, 137, 802, 312), (623, 330, 804, 691)]
    page = PrintedPage("p.pdf", 0, 842, 1190, head + title + text + story, "pdf")
    got = {p.title: p.body for p in segment(page, frames)}
    assert "一年来的变化" in got["阿拉伯联手反恐怖"] and "动人" in got["阿拉伯联手反恐怖"]
