"""Cut a printed page into articles by typography and geometry.

The same for a PDF's text layer and for OCR boxes: only :class:`~.lines.PrintedPage` is read.

* The body size is the type size most of the page's characters are set in; a line set
  clearly larger (or larger and bold) is a headline line.  A headline line that a gutter
  of the body columns below it cuts in a gap between its characters is two headlines side
  by side.  Headline lines that touch
  vertically and overlap horizontally form one headline block: its largest lines are the
  主题 (title), smaller lines above it the 引题 (kicker), below it the 副题 (subtitle).
* The page header (the issue date, 第N版, the 版面's name: lines in the top band holding a
  date or a page label, and whatever shares their band) and the footer (责任编辑, 版式, 校对)
  are read for the page and kept out of every article.
* A body line belongs to the lowest headline block above it whose width covers it; a frame
  (a drawn box) keeps what is inside it with the headline inside it.  Lines no headline
  covers (a column beside a narrower headline) go to the article whose lines they sit
  beside.
* Inside an article the lines are read column by column (columns are the left edges of its
  lines), top to bottom; a line indented at its column's left edge starts a paragraph, a
  line ending short of its column's right edge ends one; a paragraph cut at a column's foot
  goes on at the top of the next column without a break.
* Bylines (本报记者 张三, 本报讯（记者 张三）, a name alone under the headline, a closing
  （张三）) name the reporters; photo credits (某某摄) never do.  Both stay in the body, as in
  the page-dump reader.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..byline import author_line, dateline_end, parse_byline, photo_credit
from ..pagedump import page_date, page_label, writers
from ..papers import printed_name
from ..records import page_number
from .columns import Stack, assign, join_text, read_columns, stacks
from .lines import Box, Line, PrintedPage, union

_WS = " \t\u3000\u00a0"
HEAD_RATIO = 1.3  # a line this many times the body size is a headline line
# OCR measures sizes from its boxes, the text's a little large and a headline's a little
# small (10 pt text read 10.75, 14 pt headlines 13.5-14.0): its threshold is lower by that
OCR_HEAD_RATIO = 1.22
# A line this much larger than the text is a small headline (a 短讯's) where the page shows
# one: a short line with text right under it and none right above it
SMALL_HEAD_RATIO = 1.15
SIDE_RATIO = 1.08  # a kicker or subtitle beside a headline: at least this much larger, or bold
DISPLAY_RATIO = 1.25  # a text layer's line this much larger than the text is display type
SHORT = 4  # an OCR'd line of this many characters or fewer is too short to measure by pitch
# … unless it measures this much larger than the block's longer lines: a pitch errs by a few
# percent (a lone 战 read 23.3 pt under a 22 pt line), a title over a kicker is a size above
SHORT_TITLE = 1.25
_FOOTER = re.compile(
    r"(?:责任编辑|责编|美术编辑|美编|版式设计|版式|校对|本版编辑|图片编辑|照排)\s*[:：/／\s]")
_PAGE_MARK = re.compile(
    r"第\s*[0-9０-９一二三四五六七八九十A-Za-z]{1,4}\s*版|[0-9０-９]{1,3}\s*版\s*[：:]")
# A page code printed alone, as city papers label their pages (A01, B3): no 第, no 版.
_PAGE_CODE = re.compile(r"[A-Z][0-9０-９]{1,2}")
_DATE_MARK = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月|[０-９]{4}年|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|星期")


@dataclass
class Piece:
    """One article found on a page: its fields, where it was printed, and why it was read so."""

    title: str = ""
    kicker: str = ""
    subtitle: str = ""
    reporters: list[str] = field(default_factory=list)
    date: str | None = None  # ISO, from the page header
    page: str | None = None  # the 版面 number ("3", "A3"), from the page header
    page_name: str = ""  # the 版面's name (综合新闻)
    paper: str = ""  # the masthead's paper name, from the page header
    banner: str = ""  # the page's 通栏 banner over its stories, when it prints one
    body: str = ""
    box: Box = (0.0, 0.0, 0.0, 0.0)
    regions: list[Box] = field(default_factory=list)
    why: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)  # the body lines, in reading order


@dataclass
class PageHead:
    """What the page header and footer say, and the band each takes."""

    date: str | None = None
    page: str | None = None
    page_name: str = ""
    paper: str = ""  # the paper's name where the header prints its masthead (劳动午报)
    top: float = 0.0  # articles start below this
    bottom: float = 0.0  # and end above this
    lines: list[Line] = field(default_factory=list)


def body_size(lines: list[Line]) -> float:
    """The type size most characters of the page are set in (rounded to a quarter point).

    OCR measures one size a little differently line by line, so its text's sizes straddle
    two quarter points about equally and which of the two holds more characters is chance:
    for OCR'd lines the size is the median, by characters, of the sizes near the commonest
    one, which stays where it is when a few lines move from one quarter point to the next.
    """
    sizes: Counter[float] = Counter()
    for ln in lines:
        sizes[round(ln.size * 4) / 4] += len(ln.text.strip())
    if not sizes:
        return 10.0
    top = sizes.most_common(1)[0][0]
    if not any(ln.conf is not None for ln in lines):
        return top
    near = sorted((s, n) for s, n in sizes.items() if abs(s - top) <= 0.6)
    half, seen = sum(n for _, n in near) / 2, 0
    for s, n in near:
        seen += n
        if seen >= half:
            return s
    return top


def read_head(page: PrintedPage, size: float) -> PageHead:
    """The page header (date, 第N版, name) and footer (责任编辑 …) and the bands they take."""
    head = PageHead(top=0.0, bottom=page.height)
    top_band = page.height * 0.15
    marks = sorted((ln for ln in page.lines if ln.y1 <= top_band and _head_mark(ln, size)),
                   key=lambda ln: ln.y0)
    if marks:
        lo, hi = marks[0].y0, marks[0].y1
        small = sorted((ln for ln in page.lines if ln.y1 <= top_band and ln.size <= 1.6 * size
                        and len(ln.text.strip(_WS)) <= 40), key=lambda ln: ln.y0)
        for ln in marks[1:]:  # a header of rows: the next mark right under the rows above
            if ln.y0 <= _rows_down(hi, small, size) + 2.5 * size:
                hi = max(hi, ln.y1)
        band = [ln for ln in page.lines if (ln.y0 + ln.y1) / 2 <= hi + 0.3 * size
                and (ln.y1 <= lo or ln.y0 < hi + 0.3 * size)]  # and the masthead above
        # and what shares a row with it: a header's parts centred on its row, not set on
        # one baseline (a page number in a box, the 版面 name beside it in larger type)
        band += [ln for ln in page.lines if ln not in band and ln.y1 <= top_band
                 and ln.size <= 1.6 * size and len(ln.text.strip(_WS)) <= 40
                 and any(min(ln.y1, o.y1) - max(ln.y0, o.y0) >= 0.5 * min(ln.height, o.height)
                         for o in band)]
        head.top = max(ln.y1 for ln in band)
        head.lines.extend(band)
        ordered = sorted(band, key=lambda ln: (round(ln.y0 / size), ln.x0))
        text = "\n".join(ln.text for ln in ordered)
        head.date = page_date(text)
        parts = [p for ln in ordered for p in _parts(ln.text)]
        # every line of the band is header: a label under a tall masthead's rows counts
        # (page_label reads the first few lines of what it is given)
        label = next((got for i in range(len(parts))
                      if (got := page_label("\n".join(parts[i:])))), None)
        if label and not label[1]:  # 第1版　封面故事: the name is the next part of its line
            label = (label[0], _name_after_label(ordered))
        if label:
            head.page, head.page_name = label
        else:
            head.page, head.page_name = _page_code(ordered, size)
        if not head.page_name:
            head.page_name = _name_in_head(ordered)
        head.paper = next((name for ln in ordered for part in _parts(ln.text)
                           if (name := printed_name(part))), "")
    # The footer: 责任编辑 … at the foot of the page or of what is printed on it.
    foot_band = min(page.height * 0.85, max(ln.y1 for ln in page.lines) - 4 * size)
    feet = [ln for ln in page.lines if ln.y0 >= foot_band and _FOOTER.search(ln.text)
            and len(ln.text.strip(_WS)) <= 60]
    if feet:
        lo = min(ln.y0 for ln in feet)
        band = [ln for ln in page.lines if ln.y0 >= lo - size * 0.3 and ln not in head.lines]
        head.bottom = min(ln.y0 for ln in band)
        head.lines.extend(band)
    return head


def _rows_down(y: float, small: list[Line], size: float) -> float:
    """The foot of the rows of small type that run on under ``y`` line after line (the
    date over a 农历 row over the page label: the label is a row or two under the date).
    Rows run on at up to 0.8 em of leading: a header's small type is set as loose as 1.8
    lines to the em, looser than text, and a story starts a rule and a gap further down."""
    for ln in small:
        if y - size < ln.y0 <= y + 0.8 * size:
            y = max(y, ln.y1)
    return y


def _head_mark(ln: Line, size: float) -> bool:
    """A header's date or page label: a short line in body type or near it."""
    text = ln.text.strip(_WS)
    return (len(text) <= 40 and ln.size <= 1.6 * size
            and bool(_PAGE_MARK.search(text) or _DATE_MARK.search(text)
                     or any(_PAGE_CODE.fullmatch(p) for p in _parts(text))))


def _page_code(lines: list[Line], size: float) -> tuple[str | None, str]:
    """(page, name) from a page code printed alone in the header, else (None, "").

    A code is A01 in a spaced part of a header line, or a number of one or two digits that
    is a line of its own set at least in body type (a union daily prints its page number
    alone in a dark box, 评论·工运 beside it); its name is the next part of the line, or the
    next line on its row to its right, when that is a name."""
    for ln in lines:
        parts = _parts(ln.text)
        for i, part in enumerate(parts):
            if _PAGE_CODE.fullmatch(part):
                name = parts[i + 1] if i + 1 < len(parts) else ""
                return page_number(part), name if _NAME.fullmatch(name) else ""
        text = ln.text.strip(_WS)
        if _ALONE.fullmatch(text) and ln.size >= size and page_number(text):
            return page_number(text), _name_beside(ln, lines, size)
    return None, ""


_NAME = re.compile(r"[\u4e00-\u9fff·]{2,8}")
_ALONE = re.compile(r"[0-9０-９]{1,2}")


def _name_beside(number: Line, lines: list[Line], size: float) -> str:
    """The 版面 name printed right of a page number on its row (its first part), or ""."""
    row = sorted((ln for ln in lines if ln.x0 >= number.x1 - 1
                  and ln.x0 - number.x1 <= 4 * size
                  and min(ln.y1, number.y1) - max(ln.y0, number.y0) > 0.5 * ln.height),
                 key=lambda ln: ln.x0)
    name = _parts(row[0].text)[0].strip(_WS) if row else ""
    return name if _NAME.fullmatch(name) else ""


def _parts(text: str) -> list[str]:
    """A header line cut where it is spaced (人民日报　1998年1月2日　第3版：要闻); a word set
    letter-spaced (思 想 纵 横: single characters one space apart) stays one part, and a page
    label run into the name after it (第12版专版) is cut from it."""
    text = _LETTER_SPACED.sub(lambda m: re.sub(r"[ \u3000]", "", m[0]), text.strip(_WS))
    text = _LABEL_GLUED.sub(r"\1 ", text)
    return [p for p in re.split(r"[\s\u3000]{1,}", text) if p] or [text]


# 第12版专版: OCR drops the space between a page label and the 版面 name after it.
_LABEL_GLUED = re.compile(r"(?<!\S)(第\s*[0-9０-９]{1,3}\s*版)(?=[\u4e00-\u9fff·]{2,8}(?:\s|$))")


# Two or more single ideographs each one space from the next: a letter-spaced word.
_LETTER_SPACED = re.compile(
    r"(?<![^\s])[\u4e00-\u9fff](?:[ \u3000][\u4e00-\u9fff])+(?![^\s])")


_PAPER = re.compile(r"(?:日报|晚报|早报|时报|午报|商报|导报|报)$")
_WEEKDAY = re.compile(r"^(?:星期|周)[一二三四五六日天]$")


def _name_after_label(lines: list[Line]) -> str:
    """The 版面 name printed after the page label on its line (第1版　焦点), else ""."""
    for ln in lines:
        parts = _parts(ln.text)
        for i, part in enumerate(parts[:-1]):
            name = parts[i + 1].strip(_WS)
            if (page_label(part) and _NAME.fullmatch(name) and not _WEEKDAY.match(name)
                    and not _DATE_MARK.search(name) and not _PAGE_MARK.search(name)):
                return name
    return ""


def _name_in_head(lines: list[Line]) -> str:
    """A 版面 name printed on its own in the header (not the paper, the date or 第N版)."""
    for ln in lines:
        for part in _parts(ln.text):
            p = part.strip(_WS)
            if (2 <= len(p) <= 8 and re.fullmatch(r"[\u4e00-\u9fff·]+", p)
                    and not _PAPER.search(p) and not _WEEKDAY.match(p)
                    and not _DATE_MARK.search(p) and not _PAGE_MARK.search(p)):
                return p
    return ""


@dataclass
class _Block:
    lines: list[Line]
    label: bool = False  # a column's label over the short items under it: no story's

    @property
    def box(self) -> Box:
        return union([ln.box for ln in self.lines])


def _is_head(ln: Line, size: float) -> bool:
    text = ln.text.strip(_WS)
    ratio = HEAD_RATIO if ln.conf is None else OCR_HEAD_RATIO
    return bool(text) and ln.size >= size * ratio and len(text) <= 60


def split_at_gutters(lines: list[Line], size: float) -> list[Line]:
    """Headline lines cut where they cross a gutter of the text beneath them.

    Two stories side by side print their headlines level, one gutter apart, and a reader
    (OCR's line finder, a text layer's line builder) may take both for one line.  What
    tells them apart is the page below, not the headline line alone: where the body
    columns under the line split into two sides, with a gutter between them that lies in
    a gap between two of the line's characters, the line is two headlines.  A headline
    over its own columns crosses its gutter without a gap of most of a character (the
    margins of a closing quote are less); a gap inside one headline has text running on
    under it."""
    body = [ln for ln in lines if not _is_head(ln, size)]
    heads = [ln for ln in lines if _is_head(ln, size)]
    is_head = {id(ln) for ln in heads}
    out: list[Line] = []
    for ln in lines:
        cuts = (_gutter_cuts(ln, body, heads, size)
                if id(ln) in is_head and len(ln.chars) > 1 else [])
        if not cuts:
            out.append(ln)
            continue
        chars = sorted(ln.chars, key=lambda c: c.x0)
        start = 0
        for end in [*cuts, len(chars)]:
            out.append(_sub_line(ln, chars[start:end]))
            start = end
    return out


def _gutter_cuts(ln: Line, body: list[Line], heads: list[Line], size: float) -> list[int]:
    """Where (indices into ``ln.chars``, sorted by x) a gutter of the body below cuts it:
    not where a headline line right above or below it runs on over the gutter (one
    headline over its own columns, one of whose characters OCR lost)."""
    chars = sorted(ln.chars, key=lambda c: c.x0)
    below = [b for b in body if ln.y1 - 0.3 * size <= b.y0 <= ln.y1 + 15 * size]
    cuts = []
    for i, (a, b) in enumerate(zip(chars, chars[1:], strict=False), 1):
        if b.x0 - a.x1 < 0.75 * ln.size:  # more than a character's own margins and spacing
            continue
        left = sorted(o.x1 for o in below if a.x1 - 4 * size <= o.x1 <= b.x0 and o.x0 < a.x1)
        right = sorted(o.x0 for o in below if a.x1 <= o.x0 <= b.x0 + 4 * size and o.x1 > b.x0)
        if len(left) < 3 or len(right) < 3:
            continue
        lo, hi = left[int(0.9 * (len(left) - 1))], right[int(0.1 * (len(right) - 1))]
        across = sum(1 for o in below if o.x0 < lo - size and o.x1 > hi + size)
        if lo < hi and across <= 0.1 * (len(left) + len(right)) and not any(
                o is not ln and -0.3 * o.size <= max(o.y0 - ln.y1, ln.y0 - o.y1) <= 0.9 * o.size
                and any(c.x0 < hi and c.x1 > lo for c in o.chars) for o in heads):
            cuts.append(i)
    return cuts


def _sub_line(ln: Line, chars: list) -> Line:
    """The part of ``ln`` made of ``chars``."""
    confs = [c.conf for c in chars if c.conf is not None]
    return Line(join_text([c.text for c in chars]).strip(_WS), min(c.x0 for c in chars),
                min(c.y0 for c in chars), max(c.x1 for c in chars), max(c.y1 for c in chars),
                ln.size, ln.bold, sum(confs) / len(confs) if confs else ln.conf, list(chars))


def _run_on(lines: list[Line], size: float) -> list[Line]:
    """OCR'd lines measured a little over the headline ratio that run on in a column of
    text, between a line right above and a line right below at the column's pitch, sharing
    an edge with each (a paragraph's indented first line and short last line included), or
    a paragraph's first line, indented two characters, over a line of text at the column's
    pitch that shares its right edge (justified), or a line at the top of a column whose
    text a little below spans the same measure, edge to edge: text measured large (a skewed
    scan's box), set back to the body size.  So is a numbered 小标题 (一、…) set a little
    larger with its story's text close under it (at the top of a column, nothing above)."""
    ocr = [ln for ln in lines if ln.conf is not None]
    if not ocr:
        return lines

    def text(ln: Line) -> bool:
        return ln.size < size * OCR_HEAD_RATIO

    def neighbour(ln: Line, other: Line, below: bool) -> bool:
        gap = other.y0 - ln.y1 if below else ln.y0 - other.y1
        return (text(other) and -0.3 * size <= gap <= 0.6 * size
                and _overlap(other, ln.box) >= 0.6 * min(other.width, ln.width)
                and (abs(other.x0 - ln.x0) <= 2.5 * size or abs(other.x1 - ln.x1) <= size))

    def opens(ln: Line, other: Line) -> bool:  # ln is the indented first line over other
        return (text(other) and -0.3 * size <= other.y0 - ln.y1 <= 0.6 * size
                and abs(other.x1 - ln.x1) <= size and 1.4 * size <= ln.x0 - other.x0 <= 2.8 * size
                and len(ln.text.strip(_WS)) >= 12)

    def measure(ln: Line, other: Line) -> bool:  # other, a little below, spans ln's measure
        return (text(other) and -0.3 * size <= other.y0 - ln.y1 <= 3.5 * size
                and abs(other.x0 - ln.x0) <= 0.6 * size and abs(other.x1 - ln.x1) <= 0.6 * size
                and ln.size < 1.28 * size and len(ln.text.strip(_WS)) >= 12)

    def inside(ln: Line, other: Line, below: bool) -> bool:  # text of its column close by
        gap = other.y0 - ln.y1 if below else ln.y0 - other.y1
        return text(other) and -0.3 * size <= gap <= 2.0 * size and _overlap(other, ln.box) > 0

    for _ in range(3):  # two lines measured large one under the other: the second pass
        out, changed = [], False
        for ln in lines:
            if ln.conf is not None and not text(ln) and ln.size < 1.4 * size and ((
                    len(ln.text.strip(_WS)) >= 8
                    and (any(neighbour(ln, o, False) for o in ocr)
                         or any(opens(ln, o) or measure(ln, o) for o in ocr))
                    and any(neighbour(ln, o, True) for o in ocr)) or (
                    _NUMBERED.match(ln.text.strip(_WS)) and ln.size < HEAD_RATIO * size
                    and any(inside(ln, o, True) for o in ocr))):
                ln = Line(ln.text, ln.x0, ln.y0, ln.x1, ln.y1, size, ln.bold, ln.conf, ln.chars)
                changed = True
            out.append(ln)
        lines = out
        ocr = [ln for ln in lines if ln.conf is not None]
        if not changed:
            break
    return lines


# A numbered 小标题 inside a story's text (一、…, （二）…, 3.…).
_NUMBERED = re.compile(r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]"
                       r"|\d{1,2}[.．、])\S")


def _dash_tails(lines: list[Line], size: float) -> list[Line]:
    """Pieces of one OCR'd headline line joined back where the engine cut it.

    The engine cuts a headline line at a 破折号 (切实安排好群众生活 | ——六论…) or drops the
    dash and leaves its two blank ems (群雄逐鹿竞风流 | 记深圳…).  Two headline pieces on
    one row at one size (by pitch, or by box height beside a dash: 《远湖》's brackets make
    its pitch small) are one line when the right one opens with the dash, or when the
    gap between them is under 2.5 ems and a line under them runs across it (two stories'
    headlines side by side have a gutter under the gap).  A dropped dash is not made up:
    the pieces are joined with a space."""
    heads = sorted((ln for ln in lines if ln.conf is not None and _is_head(ln, size)),
                   key=lambda ln: ln.x0)
    gone: set[int] = set()
    joined: dict[int, Line] = {}
    for tail in heads:
        dash = tail.text.lstrip(_WS).startswith(("—", "－－", "--"))
        lead = next((joined.get(id(ln), ln) for ln in reversed(heads)
                     if ln.x0 < tail.x0 and id(ln) not in gone - set(joined)
                     and (abs(ln.size - tail.size) <= 0.12 * ln.size
                          or (dash and abs(ln.height - tail.height)
                              <= 0.08 * max(ln.height, tail.height)))
                     and min(ln.y1, tail.y1) - max(ln.y0, tail.y0) > 0.5 * ln.height
                     and -0.2 * ln.size <= tail.x0 - joined.get(id(ln), ln).x1
                     <= (0.6 if dash else 2.5) * ln.size), None)
        if lead is None or not (dash or _spanned(lead, tail, lines, size)):
            continue
        key = next(k for k, ln in ((id(h), joined.get(id(h), h)) for h in heads) if ln is lead)
        glue = "" if dash or tail.x0 - lead.x1 < 0.6 * lead.size else " "
        joined[key] = Line(
            lead.text.rstrip(_WS) + glue + tail.text.strip(_WS), lead.x0,
            min(lead.y0, tail.y0), tail.x1, max(lead.y1, tail.y1),
            lead.size if abs(lead.size - tail.size) <= 0.12 * lead.size else tail.size,
            lead.bold,
            min(lead.conf, tail.conf), list(lead.chars) + list(tail.chars))
        gone.add(id(tail))
        gone.add(key)
    return [joined.get(id(ln), ln) for ln in lines if id(ln) not in gone or id(ln) in joined]


def _spanned(lead: Line, tail: Line, lines: list[Line], size: float) -> bool:
    """Whether a line printed under two pieces of a row, within eight lines, runs across
    the gap between them (under two stories' headlines side by side is a gutter)."""
    y = max(lead.y1, tail.y1)
    return any(ln is not lead and ln is not tail and y - 0.2 * size <= ln.y0 <= y + 8 * size
               and ln.x0 <= lead.x1 + 0.1 * size and ln.x1 >= tail.x0 - 0.1 * size
               for ln in lines)


def headline_blocks(lines: list[Line], size: float, frames: list[Box] | None = None
                    ) -> list[_Block]:
    """Headline blocks: big lines that touch, with the kicker and subtitle lines beside them.

    A line alone on a bar (a frame little taller than it: a reversed label, white on a dark
    strip) reaches across its bar, so a label at the bar's left is the kicker of a title
    centred under the bar."""
    small = small_heads(lines, size)
    heads = sorted((ln for ln in lines if _is_head(ln, size) or id(ln) in small),
                   key=lambda ln: (ln.y0, ln.x0))
    blocks: list[_Block] = []
    for ln in heads:
        for b in blocks:
            last = b.lines[-1]
            gap = ln.y0 - last.y1
            # lines of one headline are near one size; a line under a far larger one (a
            # banner's) is as near as its own leading, else it heads something else
            lead = (max if max(ln.size, last.size) <= 1.6 * min(ln.size, last.size) else min)(
                ln.size, last.size)
            # a far larger line under a smaller one (a title under its 引题 in display
            # type) sits lower by its own leading over its glyphs
            over = 0.15 * ln.size if ln.size > 1.6 * last.size else 0.0
            if -0.3 * ln.size <= gap <= 0.9 * lead + over and _overlap(ln, b.box) > 0:
                b.lines.append(ln)
                break
        else:
            blocks.append(_Block([ln]))
    for b in list(blocks):  # a label on a bar over a smaller headline heads the column
        first = b.lines[0]
        nxt = b.lines[1] if len(b.lines) > 1 else _head_under(first, blocks, lines, size)
        if (nxt is not None and first.size >= 1.2 * nxt.size
                and _bars([first], lines, frames or [])):
            b.lines.remove(first)
            blocks.append(_Block([first], label=True))
            if not b.lines:
                blocks.remove(b)
    taken = {id(ln) for b in blocks for ln in b.lines}
    for b in blocks:  # an OCR'd headline's short last line, measured low by its pitch
        for ln in sorted(lines, key=lambda ln: ln.y0):
            last = b.lines[-1]
            if (id(ln) not in taken and _short_head_line(ln, b, size)
                    and -0.3 * last.size <= ln.y0 - last.y1 <= 0.9 * last.size):
                b.lines.append(ln)
                taken.add(id(ln))
    rest = [ln for ln in lines if id(ln) not in taken and not _column_top(ln, lines, size)]
    reach = _bars(rest, lines, frames or [])
    for b in (b for b in blocks if not b.label):  # kickers above, subtitles below: smaller
        # than the title, larger than body
        # the space under a kicker in display type grows with the title's own leading
        # (a line of body size gets none, nor a subtitle: under the title the text may
        # open with a line like one)
        top = max(ln.size for ln in b.lines)
        for direction in (-1, 1):
            while True:
                box = b.box
                near = [ln for ln in rest if id(ln) not in taken and _side_line(ln, size)
                        and _overlap(reach.get(id(ln), ln), box)
                        > 0.5 * min(reach.get(id(ln), ln).width, box[2] - box[0])
                        and (-0.3 * ln.size <= (box[1] - ln.y1 if direction < 0
                                                else ln.y0 - box[3])
                             <= 0.9 * ln.size + (0.2 * top if direction < 0
                                                 and ln.size >= size * SIDE_RATIO else 0.0))]
                if not near:
                    break
                pick = max(near, key=lambda ln: ln.y0) if direction < 0 else min(
                    near, key=lambda ln: ln.y0)
                taken.add(id(pick))
                b.lines.append(pick)
                b.lines.sort(key=lambda ln: ln.y0)
    return _side_by_side(_labels_over_vertical(blocks))


def _labels_over_vertical(blocks: list[_Block]) -> list[_Block]:
    """A vertical title (竖题) takes its 引题 set vertical beside it; a line set across over
    it (看点 at the top of a box over the vertical headline) heads the box, no story's
    kicker: it becomes a label."""
    out: list[_Block] = []
    for b in blocks:
        if not b.label:
            top = max(ln.size for ln in b.lines)
            title = [ln for ln in b.lines if ln.size >= 0.95 * top]
            first = min(ln.y0 for ln in title)
            over = [ln for ln in b.lines if ln.y1 <= first + 0.3 * ln.size
                    and ln.width > 1.5 * ln.size]
            tx0, ty0, tx1, ty1 = union([ln.box for ln in title])
            if over and ty1 - ty0 >= 2 * (tx1 - tx0) and all(
                    ln.width <= 1.5 * ln.size for ln in title):  # 『 alone is flat
                b.lines = [ln for ln in b.lines if not any(ln is o for o in over)]
                out.append(_Block(over, label=True))
        out.append(b)
    return out


def _head_under(ln: Line, blocks: list[_Block], lines: list[Line], size: float
                ) -> Line | None:
    """The first line of the headline block right under ``ln`` (within three lines, over
    its width, no text between), or None."""
    under = [b.lines[0] for b in blocks if b.lines[0] is not ln and _overlap(b.lines[0], ln.box)
             and -0.3 * size <= b.lines[0].y0 - ln.y1 <= 3 * size]
    if not under:
        return None
    first = min(under, key=lambda o: o.y0)
    heads = {id(o) for b in blocks for o in b.lines}
    if any(id(o) not in heads and _overlap(o, ln.box) > 0 and ln.y1 <= o.y0 < first.y0
           for o in lines):
        return None
    return first


def _bars(rest: list[Line], lines: list[Line], frames: list[Box]) -> dict[int, Line]:
    """The lines of ``rest`` printed alone on a bar, as lines reaching across the bar."""
    out: dict[int, Line] = {}
    for ln in rest:
        bar = [f for f in frames if f[0] <= ln.x0 + 1 and ln.x1 <= f[2] + 1
               and f[1] <= ln.y0 + 1 and ln.y1 <= f[3] + 1 and f[3] - f[1] <= 2.5 * ln.height]
        if len(bar) == 1 and not any(o is not ln and _overlap(o, bar[0]) > 0
                                     and o.y0 < bar[0][3] and o.y1 > bar[0][1] for o in lines):
            out[id(ln)] = Line(ln.text, bar[0][0], ln.y0, bar[0][2], ln.y1, ln.size)
    return out


def _upright(b: _Block) -> bool:
    """Whether a block is set vertically (竖排): a column of narrow lines, at least twice
    as tall as it is wide."""
    x0, y0, x1, y1 = b.box
    return (y1 - y0 >= 2 * (x1 - x0)
            and all(ln.width <= 1.5 * ln.size for ln in b.lines))


def _side_by_side(blocks: list[_Block]) -> list[_Block]:
    """Vertical headline columns set side by side with their tops level are one headline
    block (a vertical 引题 right of a vertical 主题), its lines read column by column from
    the right (vertical-rl), each column top to bottom, so that :func:`split_heads` finds
    the kicker before the title and the subtitle after it."""
    order = {id(b): i for i, b in enumerate(blocks)}
    out: list[_Block] = []
    for b in sorted(blocks, key=lambda b: -b.box[2]):
        if _upright(b):
            pitch = max(ln.size for ln in b.lines)
            mate = next((o for o in out if _upright(o) and -0.3 * pitch <= o.box[0] - b.box[2]
                         <= 1.2 * pitch and abs(o.box[1] - b.box[1]) <= 1.5 * pitch), None)
            if mate is not None:
                mate.lines = _columns_from_right(mate.lines + b.lines)
                continue
        out.append(b)
    return sorted(out, key=lambda b: order[id(b)])


def _columns_from_right(lines: list[Line]) -> list[Line]:
    cols: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: -ln.cx):
        if cols and abs(cols[-1][0].cx - ln.cx) <= 0.5 * max(ln.size, cols[-1][0].size):
            cols[-1].append(ln)
        else:
            cols.append([ln])
    return [ln for col in cols for ln in sorted(col, key=lambda ln: ln.y0)]


def small_heads(lines: list[Line], size: float) -> set[int]:
    """Lines set a little larger than the text (a 短讯's headline, barely bigger than its
    paragraph) that the page shows are headlines: short of the text's measure, not ending
    a sentence, with a line of text right under them and none right above.  A 小标题 inside
    a story has its story's text right above it.  So is an OCR'd line level with headlines
    of about its size on its row (titles over a strip of pictures), nothing right above it."""
    ratio = (HEAD_RATIO, OCR_HEAD_RATIO)
    out: set[int] = set()
    for ln in lines:
        text = ln.text.strip(_WS)
        ocr = ln.conf is not None
        low = SIDE_RATIO if ocr else SMALL_HEAD_RATIO
        if ocr and _blank_above(ln, lines, size) and text[-1] not in "”！？）":
            low = 1.0  # an item's headline after the blank that ends the item above
        if not (size * low <= ln.size < size * ratio[ocr] and 2 <= len(text) <= 24
                and text[-1] not in "。，；：、,;:" and not author_line(text)
                and not dateline_end(text)):
            continue
        under = [t for t in lines if t.size < ln.size and _overlap(t, ln.box) > 0
                 and -0.3 * size <= t.y0 - ln.y1 <= 1.2 * size]
        over = [t for t in lines if t.size < size * SMALL_HEAD_RATIO and _overlap(t, ln.box) > 0
                and -0.3 * size <= ln.y0 - t.y1 <= 1.0 * size]
        level = [h for h in lines if _is_head(h, size) and h.size <= 1.15 * ln.size
                 and abs(h.y0 - ln.y0) <= 0.3 * ln.height and abs(h.y1 - ln.y1) <= 0.3 * ln.height
                 and (h.x0 - ln.x1 > size or ln.x0 - h.x1 > size)]
        if ocr and not over and ln.size >= size * SMALL_HEAD_RATIO and level:
            out.add(id(ln))  # level with headlines of its size on its row (pictures' titles)
            continue
        if not under or over or ln.x1 > max(t.x1 for t in under) - size:
            continue
        # OCR measures text up to a fifth large: a line only a little larger is a headline
        # when the text under it opens a paragraph (indented from the line under that)
        if ocr and ln.size < size * SMALL_HEAD_RATIO and not any(
                any(-0.3 * size <= o.y0 - t.y1 <= 0.6 * size and 1.4 * size
                    <= t.x0 - o.x0 <= 2.8 * size for o in lines) for t in under):
            continue
        out.add(id(ln))
    return out


def _blank_above(ln: Line, lines: list[Line], size: float) -> bool:
    """Whether an OCR'd line has paper above it for three lines' height across its width:
    a column of 短讯 leaves a blank between items, and OCR measures an item's headline
    (bold, a point or two larger than the text) hardly larger than the text, so the blank
    over it, with a paragraph opening under it, is what shows it is one.  A line of text
    has the line before it right above, and a column's first line a headline or a rule
    (the header's, a frame's) close over it."""
    return not any(o is not ln and _overlap(o, ln.box) > 0
                   and -0.3 * size <= ln.y0 - o.y1 <= 3 * size for o in lines)


def _short_head_line(ln: Line, block: _Block, size: float) -> bool:
    """Whether an OCR'd line of a few characters under a headline block is a line of that
    headline (服务 under “首都在线”开通市民尽享信息): inside the block's width, its box
    nearly as tall as the block's tallest line, so taller than the text's (see
    :func:`split_heads` on why its measured size is no guide)."""
    return (ln.conf is not None and 0 < len(ln.text.strip(_WS)) <= SHORT
            and _overlap(ln, block.box) >= 0.9 * ln.width
            and ln.height >= 0.85 * max(o.height for o in block.lines))


def _column_top(ln: Line, lines: list[Line], size: float) -> bool:
    """Whether an OCR'd line under the headline ratio is the first line of a column of
    justified text (the line right under it ends where it ends and starts where it starts,
    or two characters left of it: a paragraph's indent): text, however large OCR measures
    it, no kicker or subtitle."""
    if ln.conf is None or ln.size >= size * OCR_HEAD_RATIO or len(ln.text.strip(_WS)) < 8:
        return False
    return any(o is not ln and -0.3 * size <= o.y0 - ln.y1 <= 0.6 * size
               and abs(o.x1 - ln.x1) <= 0.6 * size
               and (abs(o.x0 - ln.x0) <= 0.6 * size or 1.4 * size <= ln.x0 - o.x0 <= 2.8 * size)
               for o in lines)


def _side_line(ln: Line, size: float) -> bool:
    """A kicker or subtitle line: a little larger than the text, or bold, or a dash line;
    never a dateline or a byline (the text's first line, which OCR may measure a little
    large)."""
    text = ln.text.strip(_WS)
    if not text or len(text) > 60 or dateline_end(text):
        return False
    # a name-shaped word (城事) set in display type in a text layer is a label, not the
    # author: authors are set near the text's size
    if author_line(text) and not (ln.conf is None and ln.size >= size * DISPLAY_RATIO):
        return False
    return ln.size >= size * SIDE_RATIO or (ln.bold and ln.size >= size * 0.95) or (
        text.startswith(("——", "—", "－－")) and len(text) <= 40)


def _overlap(ln: Line, box: Box) -> float:
    return max(0.0, min(ln.x1, box[2]) - max(ln.x0, box[0]))


def split_heads(block: _Block) -> tuple[str, str, str]:
    """(kicker, title, subtitle) of a headline block: the largest lines are the title.

    An OCR'd line of a few characters under the title (a headline's last line, 服务,
    centred under the first) has one or two steps between character centres, each from a
    box tight to a character's ink, so its measured size errs low; it is of the title's
    size when its line box is nearly as tall as the title line's (a kicker or subtitle is
    set a size or more smaller, and its box is shorter by as much)."""
    ocr = any(ln.conf is not None for ln in block.lines)
    measured = [ln for ln in block.lines if not ocr or len(ln.text.strip(_WS)) > SHORT]
    if measured:  # a short title (图片新闻) between a longer kicker and subtitle: its size,
        # a type size above theirs, is more than a pitch's error
        longest = max(ln.size for ln in measured)
        measured = [ln for ln in block.lines if any(ln is m for m in measured)
                    or ln.size >= SHORT_TITLE * longest]
    sized = {id(ln) for ln in measured or block.lines}  # short OCR'd lines: no measure
    top = max(ln.size for ln in measured or block.lines)
    tall = max(ln.height for ln in block.lines if ln.size == top)
    # OCR's sizes of one headline's lines differ by a few percent: a wider band
    band = top * (0.92 if ocr else 0.95)
    big = [i for i, ln in enumerate(block.lines) if ln.size >= band and id(ln) in sized]
    big += [i for i, ln in enumerate(block.lines) if i > big[0] and i not in big
            and ln.conf is not None and len(ln.text.strip(_WS)) <= SHORT
            and (ln.height >= 0.85 * tall or ln.size >= band)]  # a last line, not a kicker
    # a line as tall as the title's, measured a little small by its pitch: the title's too
    # (a kicker a size smaller has a box shorter by as much)
    big += [i for i, ln in enumerate(block.lines) if ocr and i not in big and id(ln) in sized
            and ln.height >= 0.95 * tall and ln.size >= 0.85 * top]
    big.sort()
    first, last = big[0], big[-1]

    def join(ls: list[Line]) -> str:
        return join_text([ln.text.strip(_WS) for ln in ls])

    return (join(block.lines[:first]), join(block.lines[first:last + 1]),
            join(block.lines[last + 1:]))


def segment(page: PrintedPage, frames: list[Box] | None = None) -> list[Piece]:
    """The articles of ``page``, in the order their headlines are read.

    ``frames`` are boxes drawn on the page (boxed stories); lines inside one stay with the
    headline inside it.  Text that no headline claims becomes an article without a title
    (the end of a story continued from another page) so that nothing is lost.
    """
    lines = [ln for ln in page.lines if ln.text.strip(_WS)]
    if not lines:
        return []
    size = body_size(lines)
    head = read_head(page, size)
    furniture = {id(ln) for ln in head.lines}
    lines = _dash_tails(split_at_gutters(
        _run_on([ln for ln in lines if id(ln) not in furniture], size), size), size)
    frames = [f for f in (frames or []) if (f[2] - f[0]) > 4 * size and (f[3] - f[1]) > 2 * size]
    blocks = headline_blocks(lines, size, frames)
    in_block = {id(ln) for b in blocks for ln in b.lines}
    body = [ln for ln in lines if id(ln) not in in_block]
    labels = [b for b in blocks if b.label]
    blocks = [b for b in blocks if not b.label]
    banner = _banner(blocks, body)
    blocks = [b for b in blocks if b is not banner]

    def inside(box: Box, f: Box) -> bool:
        return (box[0] >= f[0] - 1 and box[2] <= f[2] + 1 and box[1] >= f[1] - 1
                and box[3] <= f[3] + 1)

    # a frame round one line is that line's ground (white type on a dark bar), not a box of
    # stories: it keeps nothing apart (white lines on one dark box each find such a bar)
    boxes = [f for f in frames if sum(inside(ln.box, f) for ln in lines) >= 2]

    def frame_of(box: Box) -> Box | None:
        inner = [f for f in boxes if inside(box, f)]
        return min(inner, key=lambda f: (f[2] - f[0]) * (f[3] - f[1])) if inner else None

    sts = stacks(body, size)
    owner, rules = assign(sts, claims([b.box for b in blocks], frames, lines, size), size,
                          frame_of)
    _credits_over_heads(sts, blocks, owner, rules, size)
    groups: dict[int, list[Stack]] = {}
    notes: dict[int, list[str]] = {}
    for i, st in enumerate(sts):
        k = owner.get(i, -1)
        groups.setdefault(k, []).append(st)
        if k >= 0:
            notes.setdefault(k, []).append(rules[i])
    pieces: list[Piece] = []
    for k in sorted(groups, key=lambda k: (k >= 0, k)):
        ls = groups[k]
        piece = Piece(date=head.date, page=head.page, page_name=head.page_name,
                      paper=head.paper)
        if k >= 0:
            b = blocks[k]
            piece.kicker, piece.title, piece.subtitle = split_heads(b)
            piece.why.append(f"headline block of {len(b.lines)} line(s), title "
                             f"{max(ln.size for ln in b.lines):.1f}pt over body {size:.1f}pt")
            piece.why += [f"{n} column piece(s): {rule}" for rule, n in
                          sorted(Counter(notes.get(k, [])).items())]
        else:
            piece.why.append("text no headline claims (continued from another page?)")
        ordered, paras, cols = read_columns(ls, size)
        piece.lines = ordered
        piece.body = "\n".join(paras)
        piece.regions = ([b.box] if k >= 0 else []) + cols
        piece.box = union(piece.regions)
        ls.sort(key=lambda st: st.top)
        alone = len(ls) > 1 and len(ls[0].lines) == 1 and ls[0].bottom <= ls[1].top
        piece.reporters = reporters_of(paras, alone=alone)
        pieces.append(piece)
    for k, b in enumerate(blocks):  # a headline with no text (a picture's title) still counts
        if k not in groups and (row := _strip_under(b, pieces)):
            text = join_text([ln.text.strip(_WS) for ln in b.lines])
            for piece in row:
                piece.why.append(f"under the label {text!r} over a strip of pictures (the "
                                 "strip's heading, no story's title: in no article)")
            continue
        if k not in groups:
            piece = Piece(date=head.date, page=head.page, page_name=head.page_name,
                          paper=head.paper,
                          regions=[b.box], box=b.box, why=["a headline with no text under it"])
            piece.kicker, piece.title, piece.subtitle = split_heads(b)
            pieces.append(piece)
    if banner is not None:
        text = re.sub(r"(?<=[\u4e00-\u9fff])[\s\u3000]+(?=[\u4e00-\u9fff])", "",
                      split_heads(banner)[1])
        for piece in pieces:
            piece.banner = text
            piece.why.append(f"under the page's 通栏 banner {text!r} (a page heading, no "
                             "story's title)")
    for label in labels:
        x0, _, x1, y1 = label.box
        for piece in pieces:
            if piece.box[1] >= y1 - 1 and piece.box[0] < x1 and piece.box[2] > x0:
                piece.why.append(f"in the column under the label {label.lines[0].text!r} (a "
                                 "column's heading, no story's title)")
    pieces.sort(key=lambda p: (p.box[1], p.box[0]))
    return pieces


def _credits_over_heads(sts: list, blocks: list[_Block], owner: dict[int, int],
                        rules: dict[int, str], size: float) -> None:
    """A photo credit no column claims (图/本报记者 张三 under a picture) is the credit of
    the story whose headline is printed right under it (the picture's story)."""
    for i, st in enumerate(sts):
        if i in owner or len(st.lines) != 1 or not photo_credit(st.lines[0].text):
            continue
        x0, _, x1, y1 = st.box
        # over the story's width: a short headline set left, the credit set right
        wide = {k: union([b.box, *(sts[j].box for j, o in owner.items() if o == k)])
                for k, b in enumerate(blocks)}
        under = [(b.box[1] - y1, k) for k, b in enumerate(blocks)
                 if -0.3 * size <= b.box[1] - y1 <= 2.5 * size
                 and min(x1, wide[k][2]) - max(x0, wide[k][0]) > 0]
        if under:
            owner[i] = min(under)[1]
            rules[i] = "a photo credit right over its story's headline"


def _strip_under(label: _Block, pieces: list[Piece]) -> list[Piece]:
    """The stories right under a headline with no text of its own when it is the label
    over a strip of pictures (新闻摄影 over three photographs, each titled over its picture,
    its caption the story): two or more titled stories level with each other start within
    two and a half of its line heights under it, one of them under its width.  [] when it
    is not (a picture's own title, whose caption was not printed, stays a story)."""
    x0, _, x1, y1 = label.box
    tall = max(min(ln.height, ln.width) for ln in label.lines)  # a vertical title: its width
    under = [p for p in pieces if p.title and -0.3 * tall <= p.box[1] - y1 <= 2.5 * tall]
    if not under:
        return []
    top = min(p.box[1] for p in under)
    row = [p for p in under if p.box[1] - top <= tall]
    if len(row) < 2 or not any(p.box[0] < x1 and p.box[2] > x0 for p in row):
        return []
    return sorted(row, key=lambda p: p.box[0])


def _banner(blocks: list[_Block], body: list[Line]) -> _Block | None:
    """The page's 通栏 banner: a heading of the page (专版), the title of no story.

    It is the page's largest headline by a clear step (1.3 × every other), alone on its
    row, centred over the page's text (it runs across all the columns), with two or more
    headlines under it and the first thing printed under it a headline, not text."""
    if not body or len(blocks) < 3:
        return None
    left, right = min(ln.x0 for ln in body), max(ln.x1 for ln in body)
    big = max(blocks, key=lambda b: max(ln.size for ln in b.lines))
    x0, y0, x1, y1 = big.box
    top = max(ln.size for ln in big.lines)
    if any(o is not big and max(ln.size for ln in o.lines) * 1.3 > top for o in blocks):
        return None
    if any(o is not big and o.box[1] < y1 and o.box[3] > y0 for o in blocks):
        return None
    under = [o.box[1] for o in blocks if o.box[1] >= y1]
    if len(under) < 2 or abs((x0 + x1) / 2 - (left + right) / 2) > 0.1 * (right - left):
        return None
    text_under = [ln.y0 for ln in body if ln.y0 >= y1 and _overlap(ln, big.box) > 0]
    if text_under and min(text_under) < min(under):
        return None
    return big


def claims(heads: list[Box], frames: list[Box], lines: list[Line], size: float
           ) -> list[Box]:
    """The headline boxes as they claim the columns below: one with a picture right under
    it (a frame with no text inside, under its subtitle or byline) claims the picture's
    width, so the columns under the picture are its story's wherever the headline ends."""
    pics = [f for f in frames if not any(
        ln.x0 >= f[0] - 1 and ln.x1 <= f[2] + 1 and ln.y0 >= f[1] - 1 and ln.y1 <= f[3] + 1
        for ln in lines)]
    out = []
    for h in heads:
        for f in pics:
            if -size <= f[1] - h[3] <= 6 * size and f[0] < h[2] and f[2] > h[0]:
                h = (min(h[0], f[0]), h[1], max(h[2], f[2]), h[3])
        out.append(h)
    return out


_CAPTION = re.compile(
    r"^(?:图为|上图|下图|左图|右图|题图|压题图片|图片[：:]|图[①②③④⑤1-9１-９][：:])")
_NAMES_ALONE = re.compile(r"[\u4e00-\u9fff]{2,4}(?:[ \u3000]+[\u4e00-\u9fff]{2,4}){0,3}")


# A jump line opening a story continued from another page: （上接第1版）本报讯（记者 张三）…
_JUMP = re.compile(r"^[（(]\s*(?:上接|接|上转)\s*第?\s*[0-9０-９A-Za-z一二三四五六七八九十]{1,4}"
                   r"\s*(?:版|页)\s*[）)]\s*")


def reporters_of(paras: list[str], alone: bool = False) -> list[str]:
    """Reporter names from an article's first paragraphs (byline, dateline; captions and
    photo credits before them skipped) and its closing credit, read as the page-dump reader
    reads it (:func:`~indexer.pagedump.writers`): with no 记者 byline heading the article,
    the closing credit alone names its writers.

    ``alone``: the first paragraph was printed as a line of its own between the headline
    and the text; there a line of two to four spaced names is the author's whatever the
    surnames (别义勋), as papers print it.
    """
    names: list[str] = []
    lead = [_JUMP.sub("", p, count=1) for p in paras[:4]
            if not (_CAPTION.match(p) or photo_credit(p))][:2]
    if (alone and lead and lead[0] == paras[0] and not author_line(lead[0])
            and not parse_byline(lead[0]) and _NAMES_ALONE.fullmatch(lead[0].strip(_WS))):
        names = lead[0].split()
    for p in lead if not names else []:
        found = author_line(p) if len(p) <= 34 else None
        if found:
            names += found[0]
            continue
        by = parse_byline(p)
        if by and by.start == 0:
            names += by.reporters
        break
    return writers(names, paras)[0]
