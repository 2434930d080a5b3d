"""Radicals printed for whole characters, mapped back to the ideographs they stand for.

Typesetting fonts often carry a character's glyph twice, once as the ideograph and once as
a radical, and a PDF's text layer may then name the radical (⺠ U+2EA0 for 民, ⻓ U+2ED3 for
长): the page looks right and the text searches wrong.  The Kangxi Radicals block
(U+2F00–U+2FD5) has compatibility decompositions, so NFKC maps it; the CJK Radicals
Supplement (U+2E80–U+2EF3) has them for two characters only, so its table is here: each
radical to the unified ideograph Unicode names as its equivalent (EquivalentUnifiedIdeograph),
for the radicals that stand for a character or a component with a character of its own.
"""

from __future__ import annotations

import unicodedata

SUPPLEMENT = {
    "⺁": "厂", "⺂": "乛", "⺃": "乚", "⺄": "乙", "⺅": "亻", "⺆": "冂", "⺉": "刂", "⺊": "卜",
    "⺌": "小", "⺍": "小", "⺖": "忄", "⺗": "心", "⺘": "扌", "⺙": "攵", "⺛": "旡", "⺜": "日",
    "⺝": "月", "⺞": "歺", "⺟": "母", "⺠": "民", "⺡": "氵", "⺢": "氺", "⺣": "灬", "⺤": "爫",
    "⺦": "丬", "⺨": "犭", "⺩": "王", "⺬": "示", "⺭": "礻", "⺮": "竹", "⺯": "糸", "⺰": "纟",
    "⺲": "罒", "⺹": "耂", "⺻": "聿", "⺽": "臼", "⺾": "艹", "⺿": "艹", "⻀": "艹", "⻁": "虎",
    "⻂": "衤", "⻃": "覀", "⻄": "西", "⻅": "见", "⻆": "角", "⻈": "讠", "⻉": "贝", "⻋": "车",
    "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻏": "阝", "⻐": "钅", "⻑": "長", "⻒": "镸", "⻓": "长",
    "⻔": "门", "⻖": "阝", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞",
    "⻝": "食", "⻟": "飠", "⻠": "饣", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟",
    "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻫": "斉", "⻬": "齐", "⻭": "歯", "⻮": "齿",
    "⻯": "竜", "⻰": "龙", "⻱": "龜", "⻲": "亀", "⻳": "龟",
}


def is_radical(ch: str) -> bool:
    """A character of the CJK Radicals Supplement or Kangxi Radicals blocks."""
    return "\u2e80" <= ch <= "\u2eff" or "\u2f00" <= ch <= "\u2fdf"


def unradical(ch: str) -> str:
    """The ideograph a radical stands for; the character itself when it is no radical or no
    ideograph is known for it (the caller reports those)."""
    if "\u2f00" <= ch <= "\u2fdf":
        return unicodedata.normalize("NFKC", ch)
    return SUPPLEMENT.get(ch, ch)
