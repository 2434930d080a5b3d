"""Tables sized by the vocabulary, one per index folder, shared by its generations.

The search box's prefix table, the vocabulary did-you-mean reads and the pinyin
table of title words hold word and bigram frequencies, and take seconds to build on a
large archive.  Built per generation, a process would hold one per generation still
in use and build them again after every import.  Frequencies move little when a few
articles are added, so :func:`shared` keeps one table per folder and kind and hands it
to every generation:

* a generation asks for a table built for it, for a newer one, or for one from which
  it differs by articles in segments the table has not seen amounting to at most
  :data:`STALE_SHARE` of those it has (a daily import, the small merges after it):
  it gets the held table, or the held table passed through ``refresh`` (adding what
  must not wait, e.g. new reporters' names), which replaces it;
* otherwise (the first use, another folder swapped in, a larger import or a merge
  that rewrote big segments) the table is built again and replaces the held one;
* a held table that has not seen every article of the generation served and is older
  than :data:`REFRESH_AFTER` is built again by the service's background thread
  (:func:`search.understanding.suggest.prepare`, through :func:`behind` and ``fresh``), so the words
  of the latest imports are proposed within hours whatever the share; requests go on
  reading the held table meanwhile.

What a table is built from, and so what a request reads, never mixes folders. Counts
shown to users are never read from these tables: they are frequencies for ordering
proposals, and every proposal is still checked against the generation searched.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ..storage.generations import IndexState

T = TypeVar("T")

STALE_SHARE = 0.02  # articles unseen by a table, as a share of those it saw, it may still serve
REFRESH_AFTER = 6 * 3600.0  # seconds after which a table missing articles is built again


@dataclass
class _Held:
    identity: tuple  # the folder's (device, inode, index id)
    generation: int
    segments: dict[str, int]  # segment id → documents, of the generation it was built from
    value: Any
    built_at: float  # time.monotonic() when built


_lock = threading.Lock()
_held: dict[str, _Held] = {}
_build_locks: dict[str, threading.RLock] = {}


def segment_docs(st: IndexState) -> dict[str, int]:
    """The generation's segments and the documents each holds (deleted ones included)."""
    return {leaf.segment_id: sp.doc_count
            for leaf, sp in zip(st.view.leaves, st.view.usx, strict=True)}


def unseen_share(built_from: dict[str, int], now: dict[str, int]) -> float:
    """Documents in segments of ``now`` that ``built_from`` lacks, over those it holds."""
    unseen = sum(n for seg, n in now.items() if seg not in built_from)
    return unseen / max(sum(built_from.values()), 1)


def _serves(held: _Held | None, st: IndexState, docs: dict[str, int]) -> bool:
    if held is None or held.identity != st.key[:3]:
        return False
    return st.key[3] <= held.generation or unseen_share(held.segments, docs) <= STALE_SHARE


def shared(st: IndexState, what: str, build: Callable[[], T],
           refresh: Callable[[T], T] | None = None, fresh: bool = False) -> T:
    """The one ``what`` table of ``st``'s folder, built by ``build()`` when none can serve
    ``st`` (see the module's rules), or when ``fresh`` and the held one is :func:`behind`;
    a held one serving a newer generation is passed through ``refresh`` first.  One build
    at a time per table; a generation the held table serves never waits for another's
    build."""
    held = _held.get(what)
    if (not fresh and held is not None and held.identity == st.key[:3]
            and st.key[3] <= held.generation):
        return held.value  # the common case: no walk over the segments
    docs = segment_docs(st)
    with _lock:
        build_lock = _build_locks.setdefault(what, threading.RLock())
    with build_lock:
        held = _held.get(what)
        if _serves(held, st, docs) and not (fresh and behind(st, what)):
            if st.key[3] <= held.generation:
                return held.value
            value = refresh(held.value) if refresh is not None else held.value
            # The segments it was built from stay those counted: many small imports add up
            # to a rebuild once together they pass the share.
            _held[what] = _Held(held.identity, st.key[3], held.segments, value, held.built_at)
            return value
        value = build()
        _held[what] = _Held(st.key[:3], st.key[3], docs, value, time.monotonic())
        return value


def behind(st: IndexState, what: str) -> bool:
    """Whether the held ``what`` table of ``st``'s folder has not seen every article of
    ``st``'s segments and was built :data:`REFRESH_AFTER` seconds ago or more."""
    held = _held.get(what)
    if held is None or held.identity != st.key[:3]:
        return False
    return (unseen_share(held.segments, segment_docs(st)) > 0
            and time.monotonic() - held.built_at >= REFRESH_AFTER)


def is_held(st: IndexState, what: str) -> bool:
    """Whether a ``what`` table that serves ``st`` is built (nothing is built here)."""
    return _serves(_held.get(what), st, segment_docs(st))
