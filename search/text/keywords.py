"""Keywords of an article, or of a reporter's articles: what the text is about.

jieba's own keyword extraction (``jieba.analyse``: TF-IDF over the words of
chosen parts of speech, less a stop list), with the inverse document frequency
taken from this index rather than from jieba's bundled table: the archive
knows which words are everywhere in *its* paper.  A keyword is a noun, verb,
place, organisation, abbreviation or idiom of two characters or more; never a
number, a date, a unit or measure word (一百五十个, 十三日, 亿元, 公斤) nor one of
the generic words of news prose (:data:`STOPWORDS`: 全年, 全行, 首家, 表示 …).
Title words count :data:`TITLE_WEIGHT` times: a headline says what a story is about.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable

from . import wordseg
from .normalize import normalize

TITLE_WEIGHT = 3
# jieba's tags: nouns (people, places, organisations, other proper nouns), verbs and
# verbal nouns, abbreviations (j), idioms (i, l), Latin words; "" for words taught
# without a tag (the user dictionary, names from bylines).
ALLOW_POS = frozenset({"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "nw", "ng", "vn", "v", "j",
                       "i", "l", "eng", ""})
# Time, quantity and units: what no one searches an archive for by itself.
QUANTITY = frozenset("""
    今天 昨天 明天 今年 去年 明年 前年 当年 当天 当日 日前 近日 近期 目前 现在 最近 以来 之后
    之前 期间 时候 时间 年底 年初 年末 月份 上午 下午 晚上 凌晨 每年 每月 多年 年来
    公斤 公里 千克 千米 公顷 平方米 立方米 平方公里 厘米 毫米 美元 港元 日元 欧元 万元 亿元
    百分点 百分之 共有 共计 合计 总计 累计 约合 左右 以上 以下 之间 多万 余人 余元 多元 人次
""".split())
# Words of every kind of news story: bylines and datelines, scope fragments, and the
# verbs and nouns of reporting; and :data:`QUANTITY`.
STOPWORDS = QUANTITY | frozenset("""
    本报 本报讯 记者 通讯员 实习生 特约 报道 消息 新华社 中新社 图片 附图 附图片 照片 摄影 来源
    编辑
    全年 全月 全行 全市 全省 全区 全县 全国 全厂 全局 全体 全部 全队 全团 全镇 全乡 全村 全校
    首家 首次 首批 首个 首位 本行 该行 本市 该市 本省 该省 本厂 该厂 本院 各地 各级 各类 各项
    各种 各界 此次 这次 其他 其它 其中 另外 一些 一批 一系列 有关 相关 有的 所有 许多 大量
    我们 他们 你们 自己 大家 人们 这个 那个 这些 那些 这里 那里 什么 怎么 如何 为了 因为 所以
    但是 如果 这样 那么 就是 还是 不是 可以 没有 已经 一定 不断 特别 进一步 同时 以及 通过
    进行 表示 指出 认为 提出 要求 强调 希望 需要 成为 作为 实现 提高 加强 坚持 推进 推动 开展
    做好 搞好 取得 获得 召开 举行 举办 参加 出席 介绍 了解 据悉 据了解 发现 告诉 说明 显示
    工作 问题 方面 情况 单位 部门 方式 方法 形式 内容 过程 领域 水平 能力 作用 意义 基础 条件
    主要 重要 重点 发展 建设 我国 国家 社会 群众 同志 人员 地方 全面 积极 认真 广大 有效 继续
    开始 结束 增加 增长 减少 达到
    加快 加大 步伐 力度 扩大 促进 改进 完善 深化 落实 抓好 搞活 努力 采取 措施 积极探索 富有成效
    不少 很多 各个 一道 一起 保持 地位 进展 成绩 成效 经验 活动 服务 管理 调整
""".split())
_NUMERIC = re.compile(
    r"[0-9.%零〇○一二三四五六七八九十百千万亿两几数多余半第点]+"
    r"[年月日号时分秒岁周天个次届期元角块万亿名位人家项件条种批台辆架吨米斤亩户股倍成]*")


def is_quantity(word: str) -> bool:
    """A number, date, unit or measure word (一百五十个, 十三日, 亿元, 公斤, 去年)."""
    return word in QUANTITY or bool(_NUMERIC.fullmatch(word))


def is_keyword(word: str, pos: str | None = None) -> bool:
    """Whether ``word`` (normalised) may say what a text is about; ``pos`` its jieba tag."""
    if len(word) < 2 or word in STOPWORDS or _NUMERIC.fullmatch(word):
        return False
    if not any(ch.isalpha() for ch in word):
        return False
    return pos is None or pos in ALLOW_POS


def counts(text: str, title: str = "", inner: bool = False) -> Counter[str]:
    """Keyword occurrences in ``text``, a title's words counted :data:`TITLE_WEIGHT` times.

    ``inner``: the dictionary words heading and ending a keyword of four characters or
    more count too (商业银行 → 商业, 银行),
    as the index holds them (jieba's search mode): an article about 建设银行 and
    商业银行 is about 银行.
    """
    found: Counter[str] = Counter()
    for part, weight in ((text, 1), (title, TITLE_WEIGHT)):
        if part:
            for word, pos in wordseg.tag(normalize(part)):
                if is_keyword(word, pos):
                    found[word] += weight
                    if inner and len(word) >= 4:
                        for sub in wordseg.cut_for_search(word):
                            # its head and its tail only: 集中统一 holds 集中 and 统一,
                            # not the dictionary's 中统
                            if sub != word and word.startswith(sub) or word.endswith(sub):
                                if sub != word and is_keyword(sub):
                                    found[sub] += weight
    return found


def ranked(tf: Counter[str] | dict[str, float], df: Callable[[str], float], docs: int,
           top: int, exclude: Iterable[str] = (), min_df: float = 0.0,
           max_df: float | None = None) -> list[tuple[str, float]]:
    """The ``top`` words by tf-idf: ``(1 + log tf) · log(1 + docs / df)``.

    Words in at most ``min_df`` articles (this one only: they find nothing else)
    or in more than ``max_df`` are left out, as are ``exclude`` (bylines' names).
    """
    skip = set(exclude)
    scored = []
    for word, count in tf.items():
        if word in skip:
            continue
        freq = df(word)
        if freq <= min_df or (max_df is not None and freq > max_df):
            continue
        scored.append((word, (1 + math.log(count)) * math.log(1 + docs / max(freq, 1.0))))
    scored.sort(key=lambda ws: (-ws[1], ws[0]))
    return scored[:top]
