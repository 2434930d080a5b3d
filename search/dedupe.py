"""One story, one article: when two articles of the same day are the same story, and the
article made of both.

An archive fed from several sources of one issue (the page dump, the e-paper page, a
CMS export) receives each story more than once, each copy with different fields: the
page dump has the whole text but no 版面, the e-paper page has kicker, 版面 and
byline but may carry only part of the text.  Ids cannot tell: each source makes its
own.  The text can:

- the same date, always (different days are different articles, whatever they say);
- headlines that agree: equal once folded (full/half width, traditional/simplified,
  punctuation and spaces dropped), or one within the other's whole headline (a reader
  that glued the kicker to the title), or character pairs that nearly all agree;
- bodies that agree: the shorter body's character 4-grams lie (nearly) all in the
  longer one (an e-paper excerpt of a page dump's article is contained in it).  A body
  too short to judge by 4-grams must be equal once folded; an empty body never agrees;
- never two different 版面 numbers (a teaser on page 1 and the article on page 3 are
  two printed items).

Pure functions over :class:`~search.document.Article`; the import decides what to do
with a match (:mod:`indexer.merges`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from .document import Article
from .text.normalize import normalize

TITLE_SIMILAR = 0.8  # Dice coefficient of the folded titles' character pairs
BODY_CONTAINED = 0.8  # share of the shorter body's 4-grams found in the longer one
SHINGLE = 4
MIN_SHINGLES = 20  # fewer: the bodies must be equal once folded
MIN_HEAD_INSIDE = 6  # characters a title needs to count as lying within a headline

_NOT_TEXT = re.compile(r"[\W_]+")
_PAGE_NUMBER = re.compile(r"^\s*(?:第\s*)?([A-Za-z]?)\s*0*(\d{1,3})")


def fold(text: str) -> str:
    """``text`` as compared: normalised (width, script, case), only letters and digits."""
    return _NOT_TEXT.sub("", normalize(text or ""))


def title_key(article: Article) -> str:
    """The folded title: equal keys are the first sign of one story."""
    return fold(article.title)


def head_key(article: Article) -> str:
    """The folded whole headline: kicker, title and subtitle."""
    return fold(article.kicker) + fold(article.title) + fold(article.subtitle)


def pairs(key: str) -> set[str]:
    """Character pairs of a folded title (a one-character title is its own pair)."""
    return {key[i:i + 2] for i in range(len(key) - 1)} or {key}


def shingles(body: str) -> set[int]:
    """Hashes of the folded body's character 4-grams."""
    key = fold(body)
    return {hash(key[i:i + SHINGLE]) for i in range(len(key) - SHINGLE + 1)}


def page_number(page: object) -> str:
    """The 版面 number as compared (``"01"``, ``"第1版"`` → ``"1"``), "" when unknown."""
    m = _PAGE_NUMBER.match("" if page is None else str(page))
    return f"{m.group(1).upper()}{int(m.group(2))}" if m else ""


@dataclass(frozen=True)
class Match:
    """Why two articles are one story: the headline test passed, and how much of the
    shorter body lies in the longer (``similarity``)."""

    reason: str  # "same title", "title within headline", "similar title 0.86"
    similarity: float

    def __str__(self) -> str:
        return f"{self.reason}, similarity {self.similarity:.2f}"


def title_reason(a: Article, b: Article) -> str | None:
    """How the headlines of ``a`` and ``b`` agree, or None when they do not."""
    return keys_reason(title_key(a), head_key(a), title_key(b), head_key(b))


def keys_reason(ka: str, ha: str, kb: str, hb: str,
                pairs_of: Callable[[str], set[str]] = pairs) -> str | None:
    """:func:`title_reason` from folded titles (``k``) and whole headlines (``h``);
    ``pairs_of`` gives a title's :func:`pairs` (a caller comparing one title with many
    passes one that remembers them)."""
    if not ka or not kb:
        return None
    if ka == kb:
        return "same title"
    short, other = (ka, hb) if len(ka) <= len(kb) else (kb, ha)
    if len(short) >= MIN_HEAD_INSIDE and short in other:
        return "title within headline"
    pa, pb = pairs_of(ka), pairs_of(kb)
    dice = 2 * len(pa & pb) / (len(pa) + len(pb))
    if dice >= TITLE_SIMILAR:
        return f"similar title {dice:.2f}"
    return None


def body_similarity(a: str, b: str) -> float:
    """Share of the shorter body's 4-grams found in the longer (0 when either is empty;
    for bodies too short to judge so, 1 when equal once folded, else 0)."""
    sa, sb = shingles(a), shingles(b)
    if min(len(sa), len(sb)) < MIN_SHINGLES:
        fa, fb = fold(a), fold(b)
        return 1.0 if fa and fa == fb else 0.0
    small, large = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    return len(small & large) / len(small)


def same_story(a: Article, b: Article) -> Match | None:
    """A :class:`Match` when ``a`` and ``b`` are one story of one day, else None."""
    if a.date != b.date or a.paper != b.paper:  # two papers print two articles
        return None
    pa, pb = page_number(a.page), page_number(b.page)
    if pa and pb and pa != pb:
        return None
    reason = title_reason(a, b)
    if reason is None:
        return None
    similarity = body_similarity(a.body, b.body)
    if similarity < BODY_CONTAINED:
        return None
    return Match(reason, round(similarity, 2))


def _head_parts(art: Article) -> int:
    return sum(1 for part in (art.kicker, art.title, art.subtitle) if part)


def merged(sources: list[Article], keep_id: str) -> Article:
    """One article made of ``sources`` (one story), with the id ``keep_id``.

    Each field from the source that has it best, the same whichever source came first:
    the headline (kicker, title, subtitle) from the source that prints most of its parts
    (a reader that glued them together has fewer), then the shorter title; the longest
    body; the longest byline; 版面, its name, the link and the printed place (a PDF's page
    and regions) from any source that has them.
    Ties go to the source with the smaller id, so the result does not depend on order.
    """
    if not sources:
        raise ValueError("nothing to merge")
    order = sorted(sources, key=lambda s: s.stable_id())
    head = min(order, key=lambda s: (-_head_parts(s), len(title_key(s)) or 10**6))
    kicker, subtitle = head.kicker, head.subtitle
    inside = head_key(head)
    for src in order:
        if not kicker and src.kicker and fold(src.kicker) not in inside:
            kicker = src.kicker
            inside += fold(kicker)
        if not subtitle and src.subtitle and fold(src.subtitle) not in inside:
            subtitle = src.subtitle
            inside += fold(subtitle)
    body = max(order, key=lambda s: len(fold(s.body))).body
    reporters = max(order, key=lambda s: len(s.reporters)).reporters
    return replace(
        head, id=keep_id, kicker=kicker, subtitle=subtitle, body=body,
        reporters=list(reporters),
        page=next((s.page for s in order if s.page not in (None, "")), None),
        page_name=next((s.page_name for s in order if s.page_name), ""),
        url=next((s.url for s in order if s.url), None),
        printed=next((s.printed for s in order if s.printed), None))
