"""The words the page splitter and the byline reader learned from pages, kept in one place.

Why: most of what reads a page dump is typography (brackets, dashes, blank lines, where a
line falls) and general knowledge of Chinese (surnames, the characters units and places end
with).  A few rules lean on *words* instead — the column names papers print after a title
(（农村新事）), the words that follow 记者 in a kicker (记者调查), the words of a closing
note (备注：), the noun phrases that end like units but are none (股市), the posts printed
before an author's name (司长).  Words like these are learned from the pages one has seen,
so a measurement on a layout family must be able to take that family's own words away
(leave-one-family-out): :func:`without` does, for the duration of a ``with`` block, and
every rule that uses a list reads it through :func:`words` or a :class:`LexRegex`.

Lists (name → words):

* ``columns``: column names that close a title, by their last two characters;
* ``not_names``: name-shaped words that follow 记者 in kickers and column names;
* ``closing``: the words that open a closing note line (备注：…);
* ``not_unit``: words that end like a unit or place (市, 会) but name none;
* ``post_end``: posts and trades printed between a unit and an author's name;
* ``orgs``: the words that make a 行/会/台/社 ending a unit (银行, 工会, 电视台, 报社);
* ``news_verbs``: verbs of the news that make a line a headline, not a unit and a name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

__all__ = ["LISTS", "LexRegex", "alternation", "removed_by", "version", "without", "words"]

LISTS: dict[str, tuple[str, ...]] = {
    "columns": ("新事", "随笔", "札记", "新风", "传真", "漫笔", "走笔", "见闻", "速写", "摘登",
                "来信", "短评", "杂谈", "絮语", "纪事", "小品", "点滴", "一瞥"),
    "not_names": ("调查", "手记", "观察", "札记", "述评", "专访", "视点", "随笔", "走访", "纪实",
                  "来信", "快评", "短评", "点评", "连线", "探访", "见闻", "追踪", "目击"),
    "closing": ("备注", "注", "附注", "说明"),
    "not_unit": ("股市", "城市", "超市", "都市", "上市", "夜市", "楼市", "集市", "车市", "开会",
                 "大会", "晚会", "社会", "机会", "宴会", "体会", "舞会", "银行业", "同学", "大学生",
                 "部分"),
    "post_end": ("长", "主任", "书记", "干事", "主席", "经理", "教授", "员", "工程师", "记者",
                 "导演", "作家", "画家", "诗人", "战士", "职工", "工人", "教师", "学生", "农民",
                 "民警", "律师", "医生", "编辑", "专家", "顾问"),
    "orgs": ("银行", "工会", "委员会", "协会", "学会", "商会", "联合会", "总会", "研究会", "基金会",
             "促进会", "理事会", "联谊会", "电视台", "电台", "气象台", "天文台", "报社", "出版社",
             "通讯社", "杂志社", "旅行社", "合作社", "新华社", "诗社"),
    "news_verbs": ("会见", "会晤", "举行", "当选", "召开", "出席", "访问", "表示", "指出", "强调",
                   "参观", "视察", "看望", "慰问", "接见", "发表", "宣布", "致电", "致信", "签署",
                   "任命", "获得", "荣获", "被评为"),
}

_removed: frozenset[str] = frozenset()
_version = 0
_in_force: dict[tuple[str, int], tuple[str, ...]] = {}


def words(name: str) -> tuple[str, ...]:
    """The words of list ``name`` still in force (all of them outside :func:`without`)."""
    key = (name, _version)
    got = _in_force.get(key)
    if got is None:
        if len(_in_force) > 64:
            _in_force.clear()
        got = _in_force[key] = tuple(w for w in LISTS[name] if w not in _removed)
    return got


def version() -> int:
    """Changes whenever the words in force change (compiled rules rebuild on it)."""
    return _version


# Where each list's words would show in what a layout prints: a column name closes a
# title (and is printed as a kicker too), the words after 记者 stand in kickers and column
# names, a closing note opens a line, units and posts stand before an author's name.
_READ_IN = {"columns": ("columns", "kickers"), "not_names": ("kickers", "columns"),
            "closing": ("notes",), "not_unit": ("units",), "post_end": ("units",),
            "orgs": ("units",), "news_verbs": ("kickers", "units")}


def removed_by(printed: dict[str, Iterable[str]]) -> frozenset[str]:
    """The learned words a family's own printed strings contain: its contributions.

    ``printed`` maps a kind (kickers, columns, units, notes) to the strings the family
    prints; a list's word counts when it occurs inside a string of a kind the list reads
    (a closing word only at the start of a note).
    """
    got: set[str] = set()
    for name, ws in LISTS.items():
        texts = [t for kind in _READ_IN[name] for t in printed.get(kind, ())]
        for w in ws:
            if any(t.lstrip("（(").startswith(w) if name == "closing" else w in t
                   for t in texts):
                got.add(w)
    return frozenset(got)


@contextmanager
def without(gone: Iterable[str]) -> Iterator[frozenset[str]]:
    """Rules run as if the words ``gone`` had never been learned, inside the block."""
    global _removed, _version
    before = _removed
    _removed = before | frozenset(gone)
    _version += 1
    try:
        yield _removed
    finally:
        _removed = before
        _version += 1


class LexRegex:
    """A regular expression built from the words in force, rebuilt when they change."""

    def __init__(self, build: Callable[[], str]) -> None:
        self._build = build
        self._seen = -1
        self._rx: re.Pattern[str] | None = None

    def _compiled(self) -> re.Pattern[str]:
        if self._rx is None or self._seen != _version:
            self._rx = re.compile(self._build())
            self._seen = _version
        return self._rx

    def search(self, s: str) -> re.Match[str] | None:
        return self._compiled().search(s)

    def match(self, s: str) -> re.Match[str] | None:
        return self._compiled().match(s)


def alternation(name: str) -> str:
    """The words of ``name`` in force as a regex alternation (never matches when empty)."""
    ws = words(name)
    return "|".join(map(re.escape, ws)) if ws else "(?!)"
