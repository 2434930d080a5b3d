"""``merges.json`` in the index folder: what each merged article was made of, and which
articles an editor has kept apart.

A merged article (:mod:`search.dedupe`) is stored in the index as one article; its
sources are kept here in full, so that

- re-importing a source that is already part of a merged article changes nothing (its
  id and digest are found here), and a changed source re-makes the merged article;
- ``unmerge`` (an operator today, an editor's correction later) can put every source
  back as its own article; the pairs it separated are remembered (``apart``) and never
  merged again on a later import;
- days whose articles were committed but not yet compared (``pending``: an import
  stopped between its batches and its merge commit) are compared by the next import.

Written atomically (a temporary file, then a rename) by the import that holds the
index's import lock; a copy opened by ``backup`` is a consistent snapshot.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

from search.document import Article
from search.index import IndexUnusable

STORE_FILE = "merges.json"


class StoreUnreadable(IndexUnusable):
    """``merges.json`` exists but cannot be read; the message names it."""


def article_to_dict(article: Article) -> dict:
    """An article as kept in the store (every field, ``id`` set to its stable id)."""
    out = asdict(article)
    out["id"] = article.stable_id()
    return out


def article_from_dict(data: dict) -> Article:
    """The article a store record describes."""
    known = {k: v for k, v in data.items() if k in Article.__dataclass_fields__}
    return Article(**known)


class MergeStore:
    """The merged articles of one index folder and the pairs kept apart."""

    def __init__(self, index_dir: str | os.PathLike, data: dict | None = None):
        self.path = Path(index_dir) / STORE_FILE
        data = data or {}
        # kept id → {"digest": the merged article's digest,
        #            "sources": [{"id", "digest", "article": {...}}, ...]}
        self.groups: dict[str, dict] = data.get("groups", {})
        self.apart: set[tuple[str, str]] = {tuple(sorted(p)) for p in data.get("apart", [])}
        self.pending: set[int] = set(data.get("pending", []))
        self.source_of: dict[str, str] = {
            src["id"]: kept for kept, group in self.groups.items() for src in group["sources"]}

    @classmethod
    def load(cls, index_dir: str | os.PathLike) -> MergeStore:
        """The store of ``index_dir`` (empty when it has none)."""
        path = Path(index_dir) / STORE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(index_dir)
        except (OSError, ValueError) as exc:
            raise StoreUnreadable(f"{path} is unreadable: {exc}") from exc
        return cls(index_dir, data)

    def save(self) -> None:
        """Write the store (atomically); an empty store removes the file."""
        data = {"groups": self.groups,
                "apart": sorted(list(p) for p in self.apart),
                "pending": sorted(self.pending)}
        if not self.groups and not self.apart and not self.pending:
            self.path.unlink(missing_ok=True)
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)

    # -- groups --------------------------------------------------------------------------

    def sources(self, kept: str) -> list[tuple[Article, str]]:
        """The sources of merged article ``kept`` with their digests ([] if not merged)."""
        group = self.groups.get(kept)
        if group is None:
            return []
        return [(article_from_dict(s["article"]), s["digest"]) for s in group["sources"]]

    def source_ids(self, art_id: str) -> set[str]:
        """The ids an article stands for: its sources' if merged, else its own."""
        group = self.groups.get(art_id)
        return {s["id"] for s in group["sources"]} if group else {art_id}

    def set_group(self, kept: str, sources: list[tuple[Article, str]], digest: str) -> None:
        """Record merged article ``kept`` (digest ``digest``) as made of ``sources``."""
        self.drop(kept)
        records = [{"id": a.stable_id(), "digest": d, "article": article_to_dict(a)}
                   for a, d in sources]
        self.groups[kept] = {"digest": digest, "sources": records}
        for rec in records:
            old = self.source_of.get(rec["id"])
            if old is not None and old != kept:
                self.drop(old)
            self.source_of[rec["id"]] = kept

    def drop(self, kept: str) -> None:
        """Forget merged article ``kept`` (its sources become unknown)."""
        group = self.groups.pop(kept, None)
        if group is None:
            return
        for src in group["sources"]:
            if self.source_of.get(src["id"]) == kept:
                del self.source_of[src["id"]]

    # -- kept apart ----------------------------------------------------------------------

    def keep_apart(self, ids: list[str]) -> None:
        """Never merge any two of ``ids`` again."""
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if a != b:
                    self.apart.add(tuple(sorted((a, b))))

    def kept_apart(self, a: set[str], b: set[str]) -> bool:
        """Whether an editor separated any source of one from any source of the other."""
        return any(tuple(sorted((x, y))) in self.apart for x in a for y in b)


_into_cache: dict[str, tuple[tuple[int, int], dict[str, str]]] = {}


def merged_into(index_dir: str | os.PathLike, art_id: str) -> str | None:
    """The merged article that ``art_id`` (a merged-away source) is now part of, or None:
    a link given out before the merge leads there.  The store is read again only when
    its file changed."""
    path = Path(index_dir) / STORE_FILE
    try:
        st = path.stat()
    except OSError:
        return None
    key = (st.st_mtime_ns, st.st_size)
    cached = _into_cache.get(str(path))
    if cached is None or cached[0] != key:
        try:
            cached = (key, MergeStore.load(index_dir).source_of)
        except StoreUnreadable:
            return None
        _into_cache[str(path)] = cached
    kept = cached[1].get(art_id)
    return kept if kept != art_id else None
