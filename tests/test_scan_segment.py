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
