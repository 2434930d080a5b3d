"""One story once: merging an import's articles with the same story of the same day, and
undoing a merge.

Why after the batches, not inside them: the batches are built while earlier ones commit
(:mod:`indexer.writer`), and the two copies of a story may come from files far apart in
one import (a year of page dumps, then a year of e-paper pages).  So the import notes the
day and headline of every article it adds or changes (a few strings each); when its
batches are committed, each noted day whose headlines could hold a pair — or that held
articles before the import — is read back from the index, its articles compared
(:func:`search.dedupe.same_story`), and each group of one story replaced, in one more
commit, by one article made of all of them (:func:`search.dedupe.merged`).  The article
keeps the id of the copy stored first, so links already given out stay good; its sources
go to :mod:`indexer.mergestore`.  A day of a new import whose headlines are all
different costs no read.

:func:`unmerge` is the one way to undo a merge (the ``unionsearch unmerge`` command now,
an editor's correction later): every source comes back as its own article and is never
merged with the others again.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from search import schema as f
from search.dedupe import (
    MIN_HEAD_INSIDE,
    TITLE_SIMILAR,
    Match,
    fold,
    head_key,
    keys_reason,
    merged,
    pairs,
    same_story,
    title_key,
)
from search.document import Article, day_of, to_fields
from search.storage import folder as sindex
from search.storage.segments import build_segment, commit, drop_staging, move_in
from search.storage.store import Snapshot

from .locks import import_lock
from .mergestore import MergeStore

STALE = ""  # the digest of a merged article whose source changed: to be re-made
SEP = "\x1f"  # between headlines: never in folded text


@dataclass
class Merge:
    """One article folded into another: what ``--dry-run`` and the import report."""

    away: str  # the id that no longer stands alone
    into: str  # the merged article's id
    match: Match

    def __str__(self) -> str:
        return f"{self.away} merged with {self.into} ({self.match})"


class NotMerged(Exception):
    """``unmerge`` was given an id that is not a merged article; the message says why."""


# -- comparing the articles of one day -----------------------------------------------------

def candidate_pairs(heads: list[tuple[str, str]]) -> set[tuple[int, int]]:
    """Pairs (i < j) of ``heads`` (folded title, folded whole headline) that could pass
    :func:`search.dedupe.keys_reason`, found without comparing every pair of a day.

    A title within another headline (equal titles included) is found by one search of
    the day's headlines joined into one string.  Similar titles by prefix filtering: two
    sets whose Dice coefficient is at least t share at least ⌈t·|A|/(2−t)⌉ of A's
    character pairs, so with every title's pairs in one order, A's first
    |A| − ⌈t·|A|/(2−t)⌉ + 1 pairs meet B's first pairs; only those prefixes are listed.
    """
    found: set[tuple[int, int]] = set()
    joined = SEP.join(h for _, h in heads)
    starts, at = [], 0
    for _, head in heads:
        starts.append(at)
        at += len(head) + 1
    prefix_of: dict[str, list[int]] = defaultdict(list)
    share = TITLE_SIMILAR / (2 - TITLE_SIMILAR)
    short: dict[str, int] = {}
    for j, (title, _) in enumerate(heads):
        if not title:
            continue
        if len(title) < MIN_HEAD_INSIDE:  # only an equal title counts
            if title in short:
                found.add((short[title], j))
            short.setdefault(title, j)
            at = -1
        else:
            at = joined.find(title)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            if i != j:
                found.add((min(i, j), max(i, j)))
            at = joined.find(title, at + 1)
        order = sorted(pairs(title))
        for p in order[: len(order) - math.ceil(share * len(order) - 1e-9) + 1]:
            lst = prefix_of[p]
            found.update((i, j) for i in lst)
            lst.append(j)
    return found


def headline_pairs(heads: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """The :func:`candidate_pairs` whose headlines do agree (:func:`keys_reason`; each
    title's character pairs made once, however many candidates it is in)."""
    known: dict[str, set[str]] = {}

    def pairs_of(title: str) -> set[str]:
        found = known.get(title)
        if found is None:
            found = known[title] = pairs(title)
        return found

    return [(i, j) for i, j in sorted(candidate_pairs(heads))
            if keys_reason(*heads[i], *heads[j], pairs_of) is not None]


def _keys(article: Article) -> tuple[str, str]:
    return title_key(article), head_key(article)


def article_of(stored: dict) -> Article:
    """A stored article as an :class:`Article` (its id the stored one)."""
    page = stored.get(f.PAGE)
    return Article(title=stored.get(f.TITLE) or "", body=stored.get(f.BODY) or "",
                   date=stored.get(f.DATE) or "", subtitle=stored.get(f.SUBTITLE) or "",
                   reporters=list(stored.get(f.REPORTERS) or []),
                   page=None if page in (None, "") else page, url=stored.get(f.URL),
                   id=stored.get(f.ID), kicker=stored.get(f.KICKER) or "",
                   printed=stored.get(f.PRINTED) or None,
                   paper=stored.get(f.PAPER) or "", added=int(stored.get(f.ADDED) or 0))


def day_docs(searcher: Snapshot, days: Iterable[int]) -> dict[int, list[dict]]:
    """The live articles of ``days`` as stored, in docnum order (the order of import)."""
    wanted = np.asarray(sorted(set(days)), dtype=np.int64)
    out: dict[int, list[dict]] = defaultdict(list)
    if not len(wanted):
        return out
    for leaf in searcher.leaves():
        col = leaf.numeric_column(f.DAY)
        if col is None:
            continue
        live = leaf.live_mask()[: len(col)]
        col = col[: len(live)].astype(np.int64)
        for local in np.flatnonzero(np.isin(col, wanted) & live).tolist():
            out[int(col[local])].append(leaf.stored_fields(local))
    return out


def existing_days(searcher: Snapshot) -> set[int]:
    """Every day that has a live article."""
    found: set[int] = set()
    for leaf in searcher.leaves():
        col = leaf.numeric_column(f.DAY)
        if col is not None:
            live = leaf.live_mask()[: len(col)]
            found.update(np.unique(col[: len(live)][live]).tolist())
    return found


def _groups(arts: list[Article], ids: list[str], store: MergeStore, touched: set[str] | None,
            fixed: frozenset[str] | set[str] = frozenset()
            ) -> list[tuple[list[int], dict[int, Match]]]:
    """Groups of one story among one day's ``arts`` (index lists, first = stored first),
    with the match that joined each member; only pairs with a ``touched`` id (all when
    None), never pairs an editor kept apart, never an article an editor corrected
    (``fixed``: the editor decided what it is)."""
    parent = list(range(len(arts)))
    joined: dict[int, Match] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in headline_pairs([_keys(a) for a in arts]):
        if touched is not None and ids[i] not in touched and ids[j] not in touched:
            continue
        if ids[i] in fixed or ids[j] in fixed:
            continue
        if root(i) == root(j):
            continue
        match = same_story(arts[i], arts[j])
        if match is None or store.kept_apart(store.source_ids(ids[i]), store.source_ids(ids[j])):
            continue
        ri, rj = root(i), root(j)
        parent[max(ri, rj)] = min(ri, rj)
        joined[max(i, j)] = match
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(arts)):
        members[root(i)].append(i)
    return [(m, joined) for m in members.values() if len(m) > 1]


# -- the import's part ---------------------------------------------------------------------

@dataclass
class Outcome:
    """What the merge step of an import did."""

    merges: list[Merge] = field(default_factory=list)
    folded_new: int = 0  # merged-away articles that this import had added
    rewritten: int = 0  # merged articles re-made because a source changed


class Merger:
    """An import's merging: told of each article it writes, merges when the batches are in.

    ``searcher`` is the index as the import found it (None for a new index); ``store``
    the index's :class:`MergeStore` (for a rebuild, a new one with the old ``apart``).
    """

    def __init__(self, searcher, store: MergeStore):  # noqa: ANN001
        self.store = store
        self.before = existing_days(searcher) if searcher is not None else set()
        self.heads: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self.touched: dict[int, set[str]] = defaultdict(set)
        self.added: set[str] = set()
        self.dirty: set[str] = store.stale()  # re-makes a stopped import left undone
        self.recover = store.pending_days()  # days a stopped import left uncompared
        self.pending = set(self.recover)
        self.fixed: set[str] = set()  # ids of editors' corrections: never merged

    def known_source(self, article: Article, fields: dict, find) -> str | None:  # noqa: ANN001
        """For an article that is a source of a merged article: "unchanged", or "updated"
        (the merged article will be re-made from the changed source); else None.

        ``find(id)`` gives the stored fields of an id in the index as found, or None.
        """
        art_id = fields[f.ID]
        kept = self.store.kept_of(art_id)
        if kept is None:
            return None
        stored = find(kept)
        digest = self.store.merged_digest(kept)
        if stored is None or (digest and stored.get("digest") != digest):
            self.store.drop(kept)  # deleted or re-written since: no longer a merge
            return None
        sources = self.store.sources(kept)
        if any(a.stable_id() == art_id and d == fields["digest"] for a, d in sources):
            return "unchanged"
        sources = [(a, d) for a, d in sources if a.stable_id() != art_id]
        sources.append((article, fields["digest"]))
        self.store.set_group(kept, sources, STALE)  # re-made by settle, or the next import
        self.dirty.add(kept)
        return "updated"

    def note(self, fields: dict, added: bool) -> None:
        """An article this import adds (``added``) or changes."""
        day = day_of(fields[f.DATE])
        title = fold(fields.get(f.TITLE) or "")
        head = fold(fields.get(f.KICKER) or "") + title + fold(fields.get(f.SUBTITLE) or "")
        self.heads[day].append((title, head))
        self.touched[day].add(fields[f.ID])
        if added:
            self.added.add(fields[f.ID])

    def record_days(self) -> None:
        """List the days noted so far as pending in the store (compared by :meth:`settle`;
        by the next import if this one stops before)."""
        days = set(self.heads) - self.pending
        if days:
            self.store.add_pending(days)
            self.store.save()
            self.pending |= days

    def settle(self, index_dir: str, index, names: list[str]) -> Outcome:  # noqa: ANN001
        """Merge what the import brought in; one commit; the store saved."""
        out = Outcome()
        days = set(self.recover)
        for day, heads in self.heads.items():
            if day in self.before or headline_pairs(heads):
                days.add(day)
        deletes: list[str] = []
        docs: list[dict] = []
        dirty = set(self.dirty)
        if days or dirty:
            with index.searcher() as searcher:
                by_day = day_docs(searcher, days)
                for day in sorted(by_day):
                    touched = None if day in self.recover else self.touched.get(day, set())
                    self._merge_day(by_day[day], touched, deletes, docs, dirty, out)
        if dirty:
            with index.searcher() as searcher:
                gone = {k for k in dirty if searcher.document_number(id=k) is None}
            for kept in gone:
                self.store.drop(kept)
            dirty -= gone
        for kept in sorted(dirty):
            sources = self.store.sources(kept)
            art = merged([a for a, _ in sources], kept)
            fields = to_fields(art)
            self.store.set_group(kept, sources, fields["digest"])
            deletes.append(kept)
            docs.append(fields)
            out.rewritten += 1
        if docs or deletes:
            write(index_dir, index, names, docs, deletes)
        self.store.clear_pending()
        self.store.save()
        return out

    def _merge_day(self, stored: list[dict], touched: set[str] | None, deletes: list[str],
                   docs: list[dict], dirty: set[str], out: Outcome) -> None:
        arts = [article_of(s) for s in stored]
        ids = [s[f.ID] for s in stored]
        for members, joined in _groups(arts, ids, self.store, touched, self.fixed):
            # the copy stored first keeps its id, unless one is already a merged article
            kept_at = next((i for i in members if self.store.is_merged(ids[i])), members[0])
            kept = ids[kept_at]
            sources: list[tuple[Article, str]] = []
            for i in members:
                own = self.store.sources(ids[i])
                sources += own or [(arts[i], stored[i].get("digest") or "")]
                if i != kept_at:
                    self.store.drop(ids[i])
                    match = joined.get(i) or next(joined[m] for m in members if m in joined)
                    out.merges.append(Merge(ids[i], kept, match))
                    out.folded_new += ids[i] in self.added
                deletes.append(ids[i])
            art = merged([a for a, _ in sources], kept)
            fields = to_fields(art)
            self.store.set_group(kept, sources, fields["digest"])
            dirty.discard(kept)
            docs.append(fields)


def write(index_dir: str, index, names: list[str], docs: list[dict],  # noqa: ANN001
          deletes: list[str]) -> None:
    """One commit: ``deletes`` (ids) removed, ``docs`` added."""
    segments = []
    if docs:
        folder, seg = build_segment(index_dir, names, docs)
        move_in(folder, seg, index_dir)
        segments.append(seg)
    commit(index_dir, index, deletes, segments)
    drop_staging(index_dir)


# -- undoing a merge -----------------------------------------------------------------------

def merged_articles(index_dir: str) -> dict[str, list[str]]:
    """Every merged article's id and its sources' ids."""
    store = MergeStore(index_dir, read_only=True)
    try:
        return store.all_groups()
    finally:
        store.close()


def unmerge(index_dir: str, kept: str, wait: float = 600.0,
            notify: Callable[[str], None] = lambda msg: None) -> list[str]:
    """Put every source of merged article ``kept`` back as its own article and keep them
    apart on later imports; returns their ids.  Raises :class:`NotMerged`."""
    index_dir = str(index_dir)
    with import_lock(index_dir, wait, notify):
        index = sindex.open_index(index_dir)
        store = MergeStore.load(index_dir)
        try:
            return _unmerge(index_dir, index, store, kept)
        finally:
            store.close()


def _unmerge(index_dir: str, index, store: MergeStore, kept: str) -> list[str]:  # noqa: ANN001
    if not store.is_merged(kept):
        raise NotMerged(f"{kept!r} is not a merged article "
                        "(unionsearch unmerge --list shows those there are)")
    with index.searcher() as searcher:
        present = searcher.document_number(id=kept) is not None
    sources = store.sources(kept)
    store.drop(kept)
    if not present:
        store.save()
        raise NotMerged(f"{kept!r} is no longer in the index (deleted)")
    docs = []
    for art, digest in sources:
        fields = to_fields(art)
        fields["digest"] = digest or fields["digest"]  # a re-import finds it unchanged
        docs.append(fields)
    ids = [d[f.ID] for d in docs]
    names = sorted(set(sindex.read_meta(index_dir).get("names", [])))
    write(index_dir, index, names, docs, [kept])
    store.keep_apart(ids)
    store.save()
    return ids


def forget(index_dir: str, ids: Iterable[str]) -> None:
    """Deleted articles are no longer merged articles (called with the import lock)."""
    store = MergeStore.load(index_dir)
    try:
        for kept in ids:
            store.drop(kept)
        store.save()
    finally:
        store.close()


# -- what --dry-run says -------------------------------------------------------------------

class DryRun:
    """Says which article of a dry run would merge with which: with an earlier article of
    the run, or with one in the index (``searcher``, may be None)."""

    def __init__(self, searcher, store: MergeStore):  # noqa: ANN001
        self.searcher, self.store = searcher, store
        self.index_days: dict[int, list[tuple[str, Article]]] = {}
        self.run_days: dict[int, list[tuple[str, Article]]] = defaultdict(list)

    def _index_day(self, day: int) -> list[tuple[str, Article]]:
        if day not in self.index_days:
            stored = day_docs(self.searcher, [day]).get(day, []) if self.searcher else []
            self.index_days[day] = [(s[f.ID], article_of(s)) for s in stored]
        return self.index_days[day]

    def check(self, article: Article) -> Merge | None:
        """The merge this article would make, or None."""
        art_id = article.stable_id()
        day = day_of(article.date)
        index_day = self._index_day(day)
        if self.store.kept_of(art_id) is not None or any(i == art_id for i, _ in index_day):
            return None  # already in the index: unchanged or updated, not merged
        best: Merge | None = None
        for other_id, other in itertools.chain(index_day, self.run_days[day]):
            if other_id == art_id:
                continue
            match = same_story(article, other)
            if match is None or self.store.kept_apart({art_id}, self.store.source_ids(other_id)):
                continue
            if best is None or match.similarity > best.match.similarity:
                best = Merge(art_id, other_id, match)
        if best is None:
            self.run_days[day].append((art_id, article))
        return best
