"""Editors' corrections written into the index: edit, split, merge, hide, revert.

Each change runs under the import lock (no import interleaves), reads the articles as
stored, works out the correction group before and after (:mod:`indexer.corrections`),
keeps the new state and its audit entry in one SQLite transaction, then writes the
corrected articles through the normal writer (:func:`indexer.merges.write`: one commit),
so a search finds them at once, and marks the entry applied.  A process killed between
the two leaves an entry not yet applied; :func:`recover` (run by the next change, the
next import and the service's start) writes it, so the index ends with the new articles
and the audit trail agrees with it.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace

from search import schema as f
from search.document import Article, day_of, id_problem, to_fields
from search.pausepoints import pause_point
from search.storage import folder as sindex

from .corrections import Corrections, Group, Result, Source
from .locks import import_lock
from .merges import article_of, day_docs, write
from .mergestore import MergeStore, article_from_dict
from .records import date_problem

LOCK_WAIT = 30.0  # seconds a correction waits for an import to finish
MAX_FIELD_CHARS = {"kicker": 200, "title": 300, "subtitle": 300, "page": 20,
                   "body": 200_000}
MAX_REPORTERS = 20
EDITABLE = ("kicker", "title", "subtitle", "reporters", "date", "page", "body")
_NAME_SEP = re.compile(r"[、,，;；\s]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class EditError(Exception):
    """A correction that cannot be made; ``status`` is the HTTP answer (400, 404, 409)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


# -- reading what is stored ----------------------------------------------------------------

def _stored(searcher, art_id: str) -> Article | None:  # noqa: ANN001
    num = searcher.document_number(id=art_id)
    if num is None:
        return None
    return article_of(searcher.stored_fields(num))


def _group_for(store: Corrections, merges: MergeStore, searcher, art_id: str  # noqa: ANN001
               ) -> Group:
    """The correction group ``art_id`` stands in, or a new one made of it as stored (its
    reader's version: the sources of a merged article, else the article itself)."""
    found = store.group_of_result(art_id)
    if found is not None:
        return found[1]
    art = _stored(searcher, art_id)
    if art is None:
        raise EditError(f"no article {art_id!r} in the index", 404)
    sources = merges.sources(art_id)
    if sources:
        srcs = [Source(a.stable_id(), d, "", a) for a, d in sources]
        owner = art_id if any(s.id == art_id for s in srcs) else srcs[0].id
        return Group(srcs, [Result(owner, art)])
    digest = to_fields(art)["digest"]
    return Group([Source(art_id, digest, "", art)], [Result(art_id, art)])


def _origin(art: Article, position: int | None) -> str:
    return f"{art.date}|{art.page or ''}|article {position}" if position else ""


# -- checking an editor's input ------------------------------------------------------------

def reporters_of(value: object) -> list[str]:
    """Names from a list or a string separated by 、 , ， ; or spaces."""
    if isinstance(value, list):
        names = [str(v).strip() for v in value]
    else:
        names = _NAME_SEP.split(str(value or ""))
    return [n for n in names if n]


def checked(article: Article, changes: dict) -> Article:
    """``article`` with ``changes`` (field → new value) applied; raises :class:`EditError`
    naming the field for a value that cannot be stored."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise EditError(f"unknown field(s): {', '.join(unknown)}; editable: "
                        f"{', '.join(EDITABLE)}")
    new = replace(article, reporters=list(article.reporters))
    for name, value in changes.items():
        if name == "reporters":
            names = reporters_of(value)
            if len(names) > MAX_REPORTERS or any(len(n) > 40 for n in names):
                raise EditError(f"reporters: at most {MAX_REPORTERS} names of at most 40 "
                                "characters")
            new.reporters = names
            continue
        if value is None:
            value = ""
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise EditError(f"{name}: must be text")
        text = str(value).replace("\r\n", "\n").replace("\r", "\n")
        if name != "body":
            text = " ".join(text.split())
        if len(text) > MAX_FIELD_CHARS.get(name, 20):
            raise EditError(f"{name}: {len(text):,} characters; at most "
                            f"{MAX_FIELD_CHARS.get(name, 20):,}")
        setattr(new, name, text)
    for name in ("kicker", "title", "subtitle", "body", "page"):
        value = getattr(new, name) or ""
        if "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            raise EditError(f"{name}: holds a character that is not text")
    if not new.title.strip():
        raise EditError("title: must not be empty")
    if not new.body.strip():
        raise EditError("body: must not be empty")
    try:
        if not _DATE.fullmatch(str(new.date)):
            raise ValueError
        dt.date.fromisoformat(str(new.date))
    except ValueError:
        raise EditError(f"date: {str(new.date)[:40]!r} is not a date like 2022-09-30") from None
    problem = date_problem(str(new.date))
    if problem:
        raise EditError(f"date: {problem}")
    new.page = new.page or None
    return new


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs, as the article page numbers them (non-empty lines)."""
    return [p.strip() for p in body.split("\n") if p.strip()]


# -- one change ----------------------------------------------------------------------------

def _apply(index_dir: str, index, before: list[Group], after: list[Group]) -> None:  # noqa: ANN001
    """One commit: the results of ``before`` removed, those of ``after`` written.

    The 版面 they are on are written whole, in their order: an issue lists a 版面's
    articles in the order they were stored, so a corrected article keeps its place (a
    split's new part right after the first, a merged one where the earlier was)
    instead of moving to the end.  The other articles of those 版面 are written
    unchanged (same fields, same digest: a re-import finds them unchanged)."""
    removed = {i for g in before for i in g.result_ids()}
    results = [r.article for g in after for r in g.results]
    new_of = {a.stable_id(): a for a in results}
    follows: dict[str, list[str]] = {}
    for g in after:  # a result that did not stand before goes after the one before it
        ids = g.result_ids()
        for prev, cur in zip(ids, ids[1:], strict=False):
            if cur not in removed:
                follows.setdefault(prev, []).append(cur)
    arts = [r.article for g in before + after for r in g.results]
    days = {day_of(a.date) for a in arts}
    pages = {(day_of(a.date), str(a.page or "")) for a in arts}
    docs: list[dict] = []
    placed: set[str] = set()

    def emit(art_id: str) -> None:
        if art_id in placed or art_id not in new_of:
            return
        placed.add(art_id)
        docs.append(to_fields(new_of[art_id]))
        for nxt in follows.get(art_id, []):
            emit(nxt)

    deletes = set(removed) | set(new_of)
    with index.searcher() as searcher:
        by_day = day_docs(searcher, days)
    for day in sorted(by_day):
        for stored in by_day[day]:
            sid = stored[f.ID]
            if (day, str(stored.get(f.PAGE) or "")) not in pages and sid not in new_of \
                    and sid not in removed:
                continue  # another 版面: its order is not touched
            deletes.add(sid)
            if sid in new_of:
                emit(sid)
            elif sid in removed:
                for nxt in follows.get(sid, []):
                    emit(nxt)
            else:
                fields = to_fields(article_of(stored))
                fields["digest"] = stored.get("digest") or fields["digest"]
                docs.append(fields)
    for art_id in new_of:  # not on a stored day (moved to another date)
        emit(art_id)
    new_names = {n for a in results for n in a.reporters}
    meta_names = set(sindex.read_meta(index_dir).get("names", []))
    if new_names - meta_names:
        sindex.remember_names(index_dir, new_names - meta_names)
    write(index_dir, index, sorted(meta_names | new_names), docs, sorted(deletes))


def _change(index_dir: str, user: str, action: str, art_id: str,
            make: Callable[[Corrections, MergeStore, object], tuple[list[Group], list[Group],
                                                                   str]],
            reverts: int | None = None, wait: float = LOCK_WAIT) -> dict:
    """Run ``make(store, merges, searcher)`` → (before, after, summary) under the lock,
    record it, write it; returns the audit entry."""
    index_dir = str(index_dir)
    with import_lock(index_dir, wait):
        _recover_locked(index_dir)
        index = sindex.open_index(index_dir)
        store = Corrections(index_dir)
        merges = MergeStore.load(index_dir)
        try:
            with index.searcher() as searcher:
                before, after, summary = make(store, merges, searcher)
            n = store.record(user, action, art_id, summary, before, after, reverts)
            store.drop_groups(before)
            for group in after:
                store.put_group(group)
            touched = {i for g in before + after for i in g.result_ids()}
            store.close_flags(touched, user)
            for i in touched:  # no longer a merged article: the correction stands for it
                merges.drop(i)
            store.save()
            merges.save()
            pause_point("correction-recorded")
            _apply(index_dir, index, before, after)
            store.mark_applied(n)
            return store.entry(n)
        finally:
            merges.close()
            store.close()


def _recover_locked(index_dir: str) -> list[int]:
    """Write the audit entries recorded but not applied (a process killed between its
    record and its commit); the import lock is held."""
    from .corrections import has_store

    if not has_store(index_dir):
        return []
    store = Corrections(index_dir)
    try:
        pending = store.unapplied()
        if not pending:
            return []
        index = sindex.open_index(index_dir)
        for n in pending:
            entry = store.entry(n)
            _apply(index_dir, index, entry["before"], entry["after"])
            store.mark_applied(n)
        return pending
    finally:
        store.close()


def recover(index_dir: str, wait: float = 0.0) -> list[int]:
    """Apply what a killed correction left recorded but unwritten; the entries' numbers.
    With ``wait`` 0 an import in progress is left alone (it recovers them itself)."""
    from .locks import ImportBusy

    try:
        with import_lock(str(index_dir), wait):
            return _recover_locked(str(index_dir))
    except ImportBusy:
        return []


def edit(index_dir: str, user: str, art_id: str, changes: dict,
         position: int | None = None, based_on: str | None = None) -> dict:
    """Correct fields of article ``art_id`` (kicker, title, subtitle, reporters, date, page,
    body); ``position`` is its place in its 版面 (where a re-import reads it).
    ``based_on``: the digest of the version the editor started from; when the article
    changed since (another editor saved first), nothing is written (409)."""
    if not changes:
        raise EditError("nothing to change: give at least one of " + ", ".join(EDITABLE))

    def make(store, merges, searcher):  # noqa: ANN001, ANN202
        if based_on:
            now = searcher.document(id=art_id)
            if now is not None and now.get("digest") != based_on:
                raise EditError("the article was changed by someone else since this form "
                                "was opened: reload it and make the change again", 409)
        group = _group_for(store, merges, searcher, art_id)
        new = copy.deepcopy(group)
        for r in new.results:
            if r.article.stable_id() == art_id:
                old = r.article
                r.article = checked(old, changes)
                r.article.id = art_id
        _note_origin(new, art_id, position)
        changed = [k for k in EDITABLE if getattr(old, k) != getattr(r_of(new, art_id), k)]
        if not changed:
            raise EditError("nothing changed: the values given are those stored", 409)
        return [group], [new], "edited " + ", ".join(changed)

    return _change(index_dir, user, "edit", art_id, make)


def r_of(group: Group, art_id: str) -> Article:
    return next(r.article for r in group.results if r.article.stable_id() == art_id)


def _note_origin(group: Group, art_id: str, position: int | None) -> None:
    for s in group.sources:
        if s.id == art_id and not s.origin:
            s.origin = _origin(s.article, position)


def _free_id(store: Corrections, searcher, base: str) -> str:  # noqa: ANN001
    taken = store.corrected_ids()
    for n in range(2, 1000):
        cand = f"{base}-{n}"
        if cand not in taken and searcher.document_number(id=cand) is None \
                and id_problem(cand) is None:
            return cand
    raise EditError("no free id for the new article", 409)


def split(index_dir: str, user: str, art_id: str, at: int, title: str,
          position: int | None = None) -> dict:
    """Split ``art_id`` before its paragraph ``at`` (1-based, at least 2): the paragraphs
    from there become a new article headed ``title``."""

    def make(store, merges, searcher):  # noqa: ANN001, ANN202
        group = _group_for(store, merges, searcher, art_id)
        new = copy.deepcopy(group)
        old = r_of(new, art_id)
        paras = paragraphs(old.body)
        if not isinstance(at, int) or not 2 <= at <= len(paras):
            raise EditError(f"paragraph: give a number from 2 to {len(paras)} (the first "
                            "paragraph of the second article)" if len(paras) > 1 else
                            "paragraph: the article has one paragraph; nothing to split")
        second_id = _free_id(store, searcher, art_id)
        first = checked(old, {"body": "\n".join(paras[: at - 1])})
        second = checked(replace(old, kicker="", subtitle="", id=second_id),
                         {"title": title or "", "body": "\n".join(paras[at - 1:])})
        second.id = second_id
        at_ = next(i for i, r in enumerate(new.results) if r.article.stable_id() == art_id)
        owner = new.results[at_].source
        new.results[at_] = Result(owner, first)
        new.results.insert(at_ + 1, Result(owner, second))
        _note_origin(new, art_id, position)
        return [group], [new], f"split before paragraph {at}: new article {second_id}"

    return _change(index_dir, user, "split", art_id, make)


def merge(index_dir: str, user: str, art_id: str, other_id: str,
          positions: tuple[int | None, int | None] = (None, None)) -> dict:
    """Merge ``art_id`` with ``other_id`` (the article before or after it in the same 版面
    of the same day): the earlier one's headline, both bodies; the later one goes."""

    def make(store, merges, searcher):  # noqa: ANN001, ANN202
        if other_id == art_id:
            raise EditError("an article cannot be merged with itself")
        g1 = _group_for(store, merges, searcher, art_id)
        g2 = _group_for(store, merges, searcher, other_id)
        a, b = r_of(g1, art_id), r_of(g2, other_id)
        if a.date != b.date or str(a.page or "") != str(b.page or ""):
            raise EditError("only articles of the same 版面 of the same day can be merged", 409)
        _note_origin(g1, art_id, positions[0])
        _note_origin(g2, other_id, positions[1])
        same = [s.id for s in g1.sources] == [s.id for s in g2.sources]
        before = [g1] if same else [g1, g2]
        new = copy.deepcopy(g1)
        if not same:
            new.sources += copy.deepcopy(g2.sources)
            new.results += copy.deepcopy(g2.results)
        ids = [r.article.stable_id() for r in new.results]
        first_id, second_id = (art_id, other_id)
        if positions[0] and positions[1] and positions[1] < positions[0]:
            first_id, second_id = other_id, art_id
        first, second = r_of(new, first_id), r_of(new, second_id)
        names = list(dict.fromkeys(first.reporters + second.reporters))
        joined = checked(first, {"body": first.body.rstrip("\n") + "\n" + second.body,
                                 "reporters": names})
        joined.id = first_id
        new.results = [Result(r.source, joined) if i == first_id else r
                       for r, i in zip(new.results, ids, strict=True) if i != second_id]
        return before, [new], f"merged with {second_id} (kept {first_id})"

    return _change(index_dir, user, "merge", art_id, make)


def hide(index_dir: str, user: str, art_id: str, position: int | None = None) -> dict:
    """Take ``art_id`` out of the index (kept here: reverting the entry restores it)."""

    def make(store, merges, searcher):  # noqa: ANN001, ANN202
        group = _group_for(store, merges, searcher, art_id)
        _note_origin(group, art_id, position)
        new = copy.deepcopy(group)
        new.results = [r for r in new.results if r.article.stable_id() != art_id]
        return [group], [new], "hidden from search"

    return _change(index_dir, user, "hide", art_id, make)


def revert(index_dir: str, user: str, n: int) -> dict:
    """Undo audit entry ``n``: the articles it replaced come back (itself recorded)."""
    with Corrections(index_dir, read_only=True) as peek:
        known = peek.entry(n)
    if known is None:
        raise EditError(f"no change number {n}", 404)

    def make(store, merges, searcher):  # noqa: ANN001, ANN202
        entry = store.entry(n)
        if entry is None:
            raise EditError(f"no change number {n}", 404)
        if entry["reverted_by"]:
            raise EditError(f"change {n} was already reverted by change "
                            f"{entry['reverted_by']}", 409)
        current = []
        for g in entry["after"] + entry["before"]:
            for s in g.sources:
                found = store.group_of_source(s.id)
                if found and all(found[1].to_json() != c.to_json() for c in current):
                    current.append(found[1])
        if not current:
            current = copy.deepcopy(entry["after"])
        return current, copy.deepcopy(entry["before"]), f"reverted change {n}"

    return _change(index_dir, user, "revert", known["article"], make, reverts=n)


def take_source(index_dir: str, user: str, n: int) -> dict:
    """Resolve conflict ``n`` for the source: what the correction made of that article
    gives way to the source's new version (the rest of the correction stays); the
    conflict is closed.  Recorded like any change, so an administrator can revert it."""
    with Corrections(index_dir, read_only=True) as peek:
        found = next((c for c in peek.conflicts(open_only=False) if c["n"] == n), None)
    if found is None:
        raise EditError(f"no conflict number {n}", 404)
    if not found["open"]:
        raise EditError(f"conflict {n} is closed already", 409)
    new = article_from_dict(found["found"])
    src_id = found["source"]

    def make(store, merges, searcher):  # noqa: ANN001, ANN202
        current = store.group_of_source(src_id)
        if current is None:
            raise EditError(f"the correction of {src_id} is gone (reverted)", 409)
        group = current[1]
        after = copy.deepcopy(group)
        if new.stable_id() == src_id:  # the same article, changed: its new text stands
            after.sources = [Source(s.id, to_fields(new)["digest"], s.origin, new)
                             if s.id == src_id else s for s in after.sources]
            kept = [r for r in after.results if r.source != src_id]
            at = next((i for i, r in enumerate(after.results) if r.source == src_id),
                      len(kept))
            after.results = kept[:at] + [Result(src_id, new)] + kept[at:]
        else:  # a new id, imported beside the correction: the correction's articles go
            after.results = [r for r in after.results if r.source != src_id]
        store.close_conflict(n, user)
        return [group], [after], f"took the source's version (conflict {n})"

    return _change(index_dir, user, "resolve", src_id, make)


__all__ = ["EDITABLE", "EditError", "checked", "edit", "hide", "merge", "paragraphs",
           "recover", "reporters_of", "revert", "split", "take_source"]
