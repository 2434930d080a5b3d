"""Did-you-mean: the closest query that the archive answers, when a term occurs (almost) nowhere.

A term (an unquoted run or a phrase) that no article contains verbatim is
corrected by one edit: a character replaced by one that sounds the same
(pypinyin, tones ignored: 公匠 → 工匠, 精紳 → 精神 after the traditional fold)
or looks alike / is commonly confused (己/已, 侯/候), one character inserted
(工精神 → 工匠精神), dropped, or two neighbours swapped.  Candidates are kept
only if every bigram of them occurs in the index (its own vocabulary, see
:mod:`search.understanding.vocabulary`), ranked by their weakest bigram's association and the
edit's likelihood, and the best few are checked by counting the articles that
contain them.  A term found in a few articles (at most :data:`FEW`) is corrected only to a
far more plausible variant; a query whose terms all occur more often is never
corrected.
"""

from __future__ import annotations

import heapq
import math
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from ..retrieval.query import ParsedQuery
from ..text.normalize import squash
from .vocabulary import Vocabulary

# Terms corrected (squashed length): longer runs are pasted headlines, which
# search.understanding.knownitem
# finds without their punctuation; a term found somewhere is corrected only when short.
# (Two characters found somewhere are too often a real, rare word: 西疏, 自审.)
MIN_CHARS, MAX_CHARS, MIN_FOUND_CHARS, MAX_FOUND_CHARS = 2, 8, 3, 3
CHECKED = 5  # candidates counted per term (each count reads postings, the costly step)
INSERTED = 24  # characters tried at each place an insertion could go
FEW = 2  # a term in more articles than this is never corrected
STRONGER = 2.5  # how much more plausible a correction of a term found somewhere must be
# Never inserted: a particle or conjunction between two characters is rarely what was left out.
FUNCTION_CHARS = set("的地得了着过和与及或在是有也都就而并被把对从向为之其这那个一不大小")
# How likely each kind of slip is, relative to a homophone (the commonest with pinyin input).
PRIOR = {"sound": 1.0, "shape": 0.8, "swap": 0.6, "insert": 0.5, "drop": 0.4}
# Characters often confused in print or typing (形近字 and 别字), one group a word.
LOOKALIKES = (
    "己已巳 戊戌戍 未末 土士 人入 日曰 大太犬 天夭 折拆 侯候 即既 辨辩辫瓣 燥躁噪澡 "
    "密蜜 历厉 拔拨 壁璧 渴喝 暑署 徒徙 崇祟 汩汨 赢嬴羸 栗粟 斤斥 刺剌 免兔 鸟乌 "
    "代伐 仑仓 贷贸 洒酒 往住 析折 拆拓 幕墓慕暮募 棉绵 建健键 晴睛情请清 "
    "竞竟 复夏 间问 历沥 籍藉 峻竣俊骏 坚竖 赏尝 傅博搏 挑跳 练炼 佳隹 玩顽 "
    "候侯喉 概慨 狠恨很 烂栏拦 陷馅 拨泼 综棕粽 验检险 末未 茶荼 官宫 汽气"
)


def _toneless(syllable: str) -> str:
    """gōng → gong (ü kept: lü and lu are different syllables)."""
    decomposed = unicodedata.normalize("NFD", syllable.replace("ü", "v"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _readings() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Each CJK character's readings (tones ignored), and each reading's characters.

    Kept as strings per syllable, not a set per character, which takes several times
    the memory (bench/RESULTS.md).
    """
    from pypinyin.pinyin_dict import pinyin_dict

    by_syllable: dict[str, list[str]] = {}
    readings: dict[str, tuple[str, ...]] = {}
    for code, value in pinyin_dict.items():
        if not 0x4E00 <= code <= 0x9FFF:
            continue
        ch = chr(code)
        syls = tuple(sorted({_toneless(r) for r in value.split(",")}))
        readings[ch] = syls
        for syl in syls:
            by_syllable.setdefault(syl, []).append(ch)
    return readings, {syl: "".join(chars) for syl, chars in by_syllable.items()}


def _sound_groups_of(ch: str) -> set[str]:
    """The characters sharing a reading with ``ch`` (itself included)."""
    readings, by_syllable = _readings()
    return {c for syl in readings.get(ch, ()) for c in by_syllable[syl]}


@lru_cache(maxsize=1)
def _shape_groups() -> dict[str, str]:
    out: dict[str, str] = {}
    for group in LOOKALIKES.split():
        for ch in group:
            out[ch] = out.get(ch, "") + group.replace(ch, "")
    return out


def _weakest(text: str, vocab: Vocabulary) -> float:
    """The weakest link of ``text``: its least associated bigram (0 if one never occurs)."""
    return min((vocab.association(text[i : i + 2]) for i in range(len(text) - 1)), default=0.0)


class _Links:
    """The links (bigram associations) of a term, to score an edit by the links it makes.

    An edit changes at most three links; the weakest of the others is a prefix or
    suffix minimum, so each candidate costs only its new links.
    """

    def __init__(self, s: str, vocab: Vocabulary):
        self.s, self.vocab = s, vocab
        links = [vocab.association(s[i : i + 2]) for i in range(len(s) - 1)]
        self.pre = [float("inf")]
        for x in links:
            self.pre.append(min(self.pre[-1], x))
        self.suf = [float("inf")]
        for x in reversed(links):
            self.suf.append(min(self.suf[-1], x))
        self.suf.reverse()  # suf[k] = weakest of links[k:]
        self._memo: dict[str, float] = {}

    def link(self, pair: str) -> float:
        v = self._memo.get(pair)
        if v is None:
            v = self._memo[pair] = self.vocab.association(pair)
        return v

    def score(self, keep_before: int, keep_from: int, new_pairs: list[str]) -> float:
        """Weakest of links[:keep_before], links[keep_from:] and the new pairs' links."""
        lo = min(self.pre[max(keep_before, 0)], self.suf[min(keep_from, len(self.suf) - 1)])
        for pair in new_pairs:
            lo = min(lo, self.link(pair))
            if not lo:
                return 0.0
        return 0.0 if lo == float("inf") else lo


def _substitutions(s: str, links: _Links) -> list[tuple[str, str, float]]:
    out = []
    shapes = _shape_groups()
    vocab = links.vocab
    for i, ch in enumerate(s):
        fits = None
        if i:
            fits = vocab.following(s[i - 1]).keys()
        if i + 1 < len(s):
            after = vocab.preceding(s[i + 1]).keys()
            fits = after if fits is None else fits & after
        for kind, pool in (("sound", _sound_groups_of(ch)), ("shape", shapes.get(ch, ""))):
            for alt in pool:
                if alt != ch and (fits is None or alt in fits):
                    pairs = ([s[i - 1] + alt] if i else []) + (
                        [alt + s[i + 1]] if i + 1 < len(s) else [])
                    out.append((s[:i] + alt + s[i + 1 :], kind,
                                links.score(i - 1, i + 1, pairs)))
    return out


def _insertions(s: str, links: _Links) -> list[tuple[str, str, float]]:
    out = []
    vocab = links.vocab
    for i in range(1, len(s)):  # between s[i-1] and s[i]
        after, before = vocab.following(s[i - 1]), vocab.preceding(s[i])
        between = [ch for ch in after.keys() & before.keys()
                   if ch.isalnum() and ch not in FUNCTION_CHARS]
        # Scored on the weakest of the two new links first, from the weights at hand;
        # only the likeliest few get their full score.
        between = heapq.nlargest(INSERTED, between, key=lambda c: (min(
            vocab.association_of(s[i - 1], c, after[c]),
            vocab.association_of(c, s[i], before[c])), c))
        for ch in between:
            out.append((s[:i] + ch + s[i:], "insert",
                        links.score(i - 1, i, [s[i - 1] + ch, ch + s[i]])))
    return out


def _drops_and_swaps(s: str, links: _Links) -> list[tuple[str, str, float]]:
    out = []
    n = len(s)
    if n > MIN_CHARS + 1:  # 工精神 → 精神 would always "find more"
        for i in range(n):
            pairs = [s[i - 1] + s[i + 1]] if 0 < i < n - 1 else []
            out.append((s[:i] + s[i + 1 :], "drop", links.score(i - 1, i + 1, pairs)))
    for i in range(n - 1):
        if s[i] != s[i + 1]:
            cand = s[:i] + s[i + 1] + s[i] + s[i + 2 :]
            pairs = [cand[k : k + 2] for k in range(max(i - 1, 0), min(i + 2, n - 1))]
            out.append((cand, "swap", links.score(i - 1, i + 2, pairs)))
    return out


def candidates(s: str, vocab: Vocabulary) -> list[tuple[str, float, float]]:
    """(variant, plausibility, prior) of one-edit variants made of indexed bigrams, best first
    (``s``: a term squashed)."""
    if not MIN_CHARS <= len(s) <= MAX_CHARS:
        return []
    links = _Links(s, vocab)
    best: dict[str, tuple[float, float]] = {}
    for cand, kind, weight in (*_substitutions(s, links), *_insertions(s, links),
                               *_drops_and_swaps(s, links)):
        if weight <= 0 or len(cand) < MIN_CHARS or cand == s:
            continue
        scored = (weight * PRIOR[kind], PRIOR[kind])
        if cand not in best or best[cand] < scored:
            best[cand] = scored
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return [(cand, plausible, prior) for cand, (plausible, prior) in ranked]


def correct_term(s: str, vocab: Vocabulary, count: Callable[[str], int],
                 found: int = 0) -> str | None:
    """The best correction of the squashed term ``s``, which ``found`` articles contain,
    or None.

    A term found nowhere takes the checked candidate with the best prior ×
    log(articles containing it): the logarithm damps the count, so a shorter
    variant does not win just by occurring more.  A term found in a few
    articles (工精神, in one) is corrected only to a candidate whose weakest
    link is :data:`STRONGER` times stronger than its own and that occurs as often.
    """
    best, best_score = None, 0.0
    own = _weakest(s, vocab)
    for cand, plausible, prior in candidates(s, vocab)[:CHECKED]:
        if found and plausible < STRONGER * own:
            continue
        hits = count(cand)
        if hits < max(found, 1):
            continue
        score = prior * math.log1p(hits) if not found else plausible
        if score > best_score:
            best, best_score = cand, score
    return best


def suggest(q: str, parsed: ParsedQuery, vocab: Vocabulary,
            count: Callable[[str], int], key: Callable[[str], str] = squash) -> str | None:
    """``q`` with each term found in at most :data:`FEW` articles replaced by its correction.

    ``count(s)`` is the number of articles whose title or body contains the squashed
    text ``s``; ``key`` squashes a term (a search passes its plan's).  None when no
    term needed (or found) a correction.
    """
    changed = q
    for group in parsed.groups:
        for clause in group:
            if clause.negate or clause.field == "reporter":
                continue
            s = key(clause.text)
            if not MIN_CHARS <= len(s) <= MAX_CHARS:
                continue
            found = count(s)
            if found > FEW or (found and not MIN_FOUND_CHARS <= len(s) <= MAX_FOUND_CHARS):
                continue
            fixed = correct_term(s, vocab, count, found)
            if fixed is None:
                continue
            if clause.text in changed:
                changed = changed.replace(clause.text, fixed, 1)
            elif s in changed:
                changed = changed.replace(s, fixed, 1)
    return changed if changed != q else None
