"""Which segments to merge: a tiered policy, split into what an import may do itself and
what runs beside it.

Every query pays a term lookup per segment, so segments are merged a size tier at a time: a
tier is the segments whose live article count has the same integer ``log`` base
:data:`FACTOR`, and a tier holding :data:`FACTOR` segments is merged into one of the next
tier.  Each tier then holds fewer than :data:`FACTOR` segments, and an archive of *N*
articles fewer than ``FACTOR × log_FACTOR(N)`` of them (a daily import of 60 articles adds
one).

A merge costs time in proportion to its articles (postings copied, not re-analysed),
so only merges of at most :data:`INLINE_MAX` articles run inside an import's commit
(a daily import's commit stays short); larger ones
(:func:`beside`) run in their own process (``unionsearch optimize --tiered``, started
by an import when one is due), which builds the merged segment without any lock and
holds Whoosh's write lock only to swap it in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

FACTOR = 8  # segments of one tier merged together
INLINE_MAX = 1000  # articles an import merges itself; more is merged beside it
# Articles a merge writes into one segment at most: a merge holds the new ``.usx``
# file in memory before writing it, so this bounds a merge's memory (bench/RESULTS.md).
MAX_SEGMENT = 262_144


class SegmentLike(Protocol):
    """What the policy reads of a Whoosh segment."""

    def doc_count(self) -> int: ...  # noqa: D102
    def doc_count_all(self) -> int: ...  # noqa: D102
    def deleted_count(self) -> int: ...  # noqa: D102


def _mostly_deleted(seg: SegmentLike) -> bool:
    return seg.doc_count() > 0 and seg.deleted_count() * 2 > seg.doc_count_all()


def tier_of(seg: SegmentLike, factor: int = FACTOR) -> int:
    """The segment's size tier: ``int(log_factor(live articles))``."""
    return int(math.log(max(seg.doc_count(), 1), factor))


def _full_tiers(segments: Sequence[SegmentLike], factor: int) -> list[list[SegmentLike]]:
    """Groups of ``factor`` segments of one tier, smallest tiers first."""
    tiers: dict[int, list[SegmentLike]] = {}
    for seg in segments:
        if seg.doc_count() > 0 and not _mostly_deleted(seg):
            tiers.setdefault(tier_of(seg, factor), []).append(seg)
    groups = []
    for _, segs in sorted(tiers.items()):
        segs = sorted(segs, key=lambda s: s.doc_count())
        groups += [segs[i:i + factor] for i in range(0, len(segs) - factor + 1, factor)]
    return [g for g in groups if sum(s.doc_count() for s in g) <= MAX_SEGMENT]


def inline(segments: Sequence[SegmentLike], factor: int = FACTOR,
           limit: int = INLINE_MAX) -> tuple[list[list[SegmentLike]], list[SegmentLike]]:
    """(groups to merge now, segments to drop) for an import's commit: full tiers of at
    most ``limit`` articles, small segments mostly deleted, and empty segments."""
    empty = [s for s in segments if s.doc_count() == 0]
    small = [s for s in segments if s.doc_count_all() <= limit]
    groups = [[s] for s in small if _mostly_deleted(s)]
    groups += [g for g in _full_tiers(small, factor)
               if sum(s.doc_count_all() for s in g) <= limit]
    return groups, empty


def beside(segments: Sequence[SegmentLike], factor: int = FACTOR,
           limit: int = INLINE_MAX) -> list[list[SegmentLike]]:
    """Groups to merge outside an import: full tiers over ``limit`` articles, and large
    segments with more deleted articles than live ones (rewritten alone)."""
    groups = [[s] for s in segments if s.doc_count_all() > limit and _mostly_deleted(s)]
    groups += [g for g in _full_tiers(segments, factor)
               if sum(s.doc_count_all() for s in g) > limit]
    return groups


def down_to(segments: Sequence[SegmentLike], count: int) -> list[list[SegmentLike]]:
    """``unionsearch optimize``: the segments in at most ``count`` groups of about equal
    size (more when they would exceed :data:`MAX_SEGMENT` articles), in index order; a
    group of one is left alone unless it has deletions."""
    live = [s for s in segments if s.doc_count() > 0]
    total = sum(s.doc_count() for s in live)
    if not live:
        return []
    count = max(count, math.ceil(total / MAX_SEGMENT))
    per = max(total / max(count, 1), 1)
    groups: list[list[SegmentLike]] = [[]]
    filled = size = 0
    for seg in live:
        n = seg.doc_count()
        if groups[-1] and (size + n > MAX_SEGMENT or (
                filled + n / 2 > per * len(groups) and len(groups) < count)):
            groups.append([])
            size = 0
        groups[-1].append(seg)
        filled += n
        size += n
    return [g for g in groups if len(g) > 1 or g[0].deleted_count()]
