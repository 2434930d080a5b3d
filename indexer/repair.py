"""Column-break repair for page dumps (stdlib only).

A page dump prints each column segment as its own line, so a paragraph is cut wherever a
column ended: ``北京链家置地房地产经纪有`` / ``限公司``.  Re-joining must add nothing
(Chinese has no spaces between words) and must not glue a headline onto a paragraph, so
these helpers only answer narrow questions; the page splitter decides *when* to join.
"""

from __future__ import annotations

import re

__all__ = [
    "ends_mid_sentence",
    "starts_as_continuation",
    "unbalanced",
    "join_cut",
    "is_han",
]

# A paragraph is complete when its last visible character is one of these…
_FINAL = "。！？!?…；;"
# …possibly followed by closing quotes/brackets (“……。” / （……。）).
_CLOSERS = "”’」』）)》〉】〕\"'"
# A line that starts with one of these cannot start a paragraph or a headline.
_CONT_START = "，,。．、；;：:！？!?）)》〉】〕」』”…%％"  # not ’: ’９７ is an apostrophe
_PAIRS = {
    "《": "》", "“": "”", "（": "）", "(": ")", "「": "」", "『": "』", "【": "】", "〈": "〉",
}
_CLOSE_OF = {v: k for k, v in _PAIRS.items()}

# Doubled characters that are ordinary words (AA / ABB / AABB reduplication, doubled given
# names).  A character repeated across a column break is only treated as a printing
# artefact if the doubled form is *not* one of these.
_DOUBLES = set(
    "常谢人天个年渐慢刚往纷默悄轻静匆稍偷暗久久渐处事家户样步层条件句声字点滴片阵串句代世"
    "辈岁月日时夜晨星山水重层重熊蒙蒙明亮亮红绿白黑黄蓝青紫甜香热冷暖凉湿干高低远近深浅长短"
    "大小多少早晚快满空实密浓淡清白平安好乐笑哈嘻呵哼咚叮当滚滔翩袅冉欣婷丽莉晶冰娜芳菲玲琳"
    "佳妍妮倩萍燕莹颖璐露蕾楠姗珊诺乐丹亭文武明华国强伟勇敏涛斌刚军平东南西北爸妈哥姐弟妹爷奶"
    "叔姨舅公婆宝贝毛乖弯团圆滚扎实稳牢紧松宽厚薄细粗匀整齐洋许楚恰仅区统通偏频屡累迭"
)
# Han characters that practically never begin a sentence, paragraph or headline.
_NO_START = set("的了们着过得地性者化吗呢吧啊么")


def is_han(ch: str) -> bool:
    """True for a CJK ideograph."""
    return bool(ch) and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


def unbalanced(text: str) -> bool:
    """True if ``text`` opens 《 “ （ … that it does not close (or closes unopened ones).

    A short line with an unclosed 《 or “ is a piece of a cut paragraph, never a headline.
    """
    depth: dict[str, int] = {}
    for ch in text:
        if ch in _PAIRS:
            depth[ch] = depth.get(ch, 0) + 1
        elif ch in _CLOSE_OF:
            o = _CLOSE_OF[ch]
            depth[o] = depth.get(o, 0) - 1
    return any(v != 0 for v in depth.values())


def ends_mid_sentence(line: str) -> bool:
    """True if a body line stops inside a sentence, i.e. a column break cut it.

    Complete: last visible character is 。！？…； possibly followed by closing quotes or
    brackets (``……。”``), or a trailing parenthesis right after such punctuation (the
    ``（张三）`` / ``（本报曼谷１月１０日电）`` that end an article).  Everything else —
    a Han character, a digit, ， 、 ： ——, a dangling 《 “, or a term in quotes
    (``“狼堡”``) — means the paragraph goes on.
    """
    s = line.rstrip()
    if not s:
        return False
    # (No quote counting over the whole paragraph: one misprinted “ would swallow the page.)
    i = len(s) - 1
    if s[i] in "）)":
        opener = max(s.rfind("（"), s.rfind("("))
        if opener > 0 and s[opener - 1] in _FINAL + _CLOSERS:
            return False  # 。（张三） — trailing credit after a full stop
        if opener == 0:
            return False  # a line that is only a parenthesis: credit, date, note
    while i >= 0 and s[i] in _CLOSERS:
        i -= 1
    if i < 0:
        return False
    return s[i] not in _FINAL


def starts_as_continuation(line: str) -> bool:
    """True if ``line`` can only be the rest of a cut sentence (starts with ， 。 ） 的 …)."""
    s = line.lstrip(" \u3000\t")
    if not s:
        return False
    if s[0] in _CONT_START:
        return True
    if s[0] in _NO_START:
        return True
    return False


def _doubled_is_word(a: str, ch: str) -> bool:
    """Whether ``ch`` doubled at the end of ``a`` can be a real word (常常, 一项项, 欣欣)."""
    if ch in _DOUBLES:
        return True
    before = a[-2] if len(a) >= 2 else ""
    # measure-word reduplication: 一项项 / 一个个 / 一步步
    return before in "一两几每"


def join_cut(head: str, tail: str, context: str = "") -> str:
    """Join a line cut by a column break with its continuation, adding nothing in between.

    Known artefact: the character at the break printed twice (``顺义天竺项`` / ``项目部``).
    The repeat is dropped only when (1) it is a Han character whose doubled form is not a
    common reduplication or doubled given name (see ``_DOUBLES``, 一项项 …), and (2) the
    page itself vouches for the single form: ``context`` (normally the whole page) contains
    the three characters after the break (``项目部``) elsewhere while the doubled form (``项项``)
    appears nowhere else, and (3) the character is not bound to the one before it: the pair
    before the break (``竺项``) occurs nowhere else on the page — ``法新社`` / ``社长`` keeps
    both 社 because 新社 is a word the page uses.  Without that evidence the text is kept.
    """
    head = head.rstrip(" \t\u3000")
    tail = tail.lstrip(" \t\u3000")
    if not head or not tail:
        return head + tail
    ch = head[-1]
    if (
        context
        and ch == tail[0]
        and is_han(ch)
        and len(tail) >= 2
        and is_han(tail[1])
        and not _doubled_is_word(head, ch)
    ):
        # the three characters after the break (项目部) must be a string the page uses
        word = tail[:3]
        if len(word) < 3 or not all(is_han(c) for c in word):
            return head + tail
        own = tail.count(word) if tail in context else 0
        elsewhere = context.count(word) - own
        bound = len(head) >= 2 and is_han(head[-2]) and (head[-2] + ch) in context.replace(
            head, "", 1)
        doubled_elsewhere = (ch + ch) in context or _count_re(ch, context) > 0
        if elsewhere >= 1 and not bound and not doubled_elsewhere:
            return head + tail[1:]
    return head + tail


def _count_re(ch: str, context: str) -> int:
    """Occurrences of ``ch`` doubled with only whitespace between, apart from line breaks
    that are the cut itself (those are the artefact we are judging, so only same-line)."""
    return len(re.findall(re.escape(ch) + r"[ \u3000]" + re.escape(ch), context))
