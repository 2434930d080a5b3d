"""What an index holds: articles, issues, dates, reporters, bytes on disk; and which
generation is served (for ``/healthz`` and ``/metrics``)."""

from __future__ import annotations

import os
from typing import TypedDict

import numpy as np

from ..document import date_of
from .generations import IndexState
from .store import toc_name


class Stats(TypedDict):
    """The body of ``unionsearch stats --json``; the home page shows it too."""

    documents: int
    issues: int  # distinct dates
    date_from: str | None
    date_to: str | None
    reporters: int
    index_bytes: int
    index_dir: str


def index_stats(st: IndexState, index_dir: str) -> Stats:
    """Counts of one generation, from its arrays, and the folder's size on disk."""
    arrays, documents = st.arrays, st.searcher.doc_count()
    live_days = np.unique(arrays.days[arrays.live]).tolist()
    size = 0
    for entry in os.scandir(index_dir):
        if entry.is_file():
            size += entry.stat().st_size
    reporters = np.unique(arrays.rep_id) if len(arrays.rep_id) else []
    return {
        "documents": documents,
        "issues": len(live_days),
        "date_from": date_of(live_days[0]) if live_days else None,
        "date_to": date_of(live_days[-1]) if live_days else None,
        "reporters": len(reporters),
        "index_bytes": size,
        "index_dir": index_dir,
    }


class GenerationFacts(TypedDict):
    """What monitoring asks of the served generation."""

    generation: int
    documents: int
    segments: int
    last_import: float | None  # Unix time of the generation's commit


def generation_facts(st: IndexState, index_dir: str) -> GenerationFacts:
    """The generation number (the last part of the state's key), live articles, segments
    holding articles, and the commit time: the modification time of its table of contents."""
    generation = int(st.key[-1])
    try:
        last = os.stat(os.path.join(index_dir, toc_name(generation))).st_mtime
    except OSError:
        last = None
    return {"generation": generation, "documents": st.searcher.doc_count(),
            "segments": len(st.searcher.leaves()), "last_import": last}
