"""Where an import's CPU goes, stage by stage, in CPU seconds per 1,000 articles.

    python -m bench.import_stages CORPUS.jsonl [--articles 16000] [--repeat 3]

Runs the import's own functions in this one process, each stage timed by the process's
CPU clock (so a loaded machine inflates the figures little), the best of ``--repeat``:

* the importing process's share, per article: ``read`` (JSON Lines read and checked
  into an article, papers assigned), ``check`` (``article_problem``), ``fields``
  (``to_fields``: ids, digest, index fields), ``note`` (the merge step's headline
  keys), ``pairs`` (each day's headlines compared, as the merge step does once the
  batches are in), ``send`` (a batch pickled for the workers, as the pool sends it);
* a worker's share, per segment of ``--articles / 2`` (what each of two workers builds
  of a batch): ``receive`` (the batch unpickled), ``store`` (the store's per-article
  writing: Whoosh's writer, stored fields pickled), ``zlib`` (stored fields deflated),
  ``store finish`` (the store's segment written), ``normalize``, ``jieba``
  (``cut_for_search``), ``numbering`` (tokens to word ids, words' keys), ``encode``
  (postings encoded, C), ``grams`` (bigram and character occurrences, NumPy), ``usx other``
  (the rest of building and writing the ``.usx`` file: words' keys and order, skip
  tables, checksums, the file).

Each stage's time is its own (a stage inside another is not counted twice).  What it
leaves out: the commit of each batch, the pool's processes starting, and memory
traffic between the processes.
"""

from __future__ import annotations

import argparse
import itertools
import pickle
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

PARENT = ["read", "check", "fields", "note", "pairs", "send"]
WORKER = ["receive", "store", "zlib", "store finish", "normalize", "jieba", "numbering",
          "encode", "grams", "usx other"]


class Clock:
    """CPU seconds per stage, each stage's own (time in a stage it calls goes to that)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.stack: list[str] = []
        self.mark = time.process_time()

    def _switch(self) -> None:
        now = time.process_time()
        if self.stack:
            self.spent[self.stack[-1]] += now - self.mark
        self.mark = now

    def enter(self, stage: str) -> None:
        self._switch()
        self.stack.append(stage)

    def leave(self) -> None:
        self._switch()
        self.stack.pop()

    def wrap(self, stage: str, fn: Callable) -> Callable:
        def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            self.enter(stage)
            try:
                return fn(*args, **kwargs)
            finally:
                self.leave()
        return timed


class _TimedNumbering:
    """A segment's numbering with its ``ids`` timed as the ``numbering`` stage."""

    def __init__(self, numbering, clock: Clock) -> None:  # noqa: ANN001
        self.ids = clock.wrap("numbering", numbering.ids)
        self._numbering = numbering

    @property
    def vocab(self) -> list[str]:
        return self._numbering.vocab


class _Native:
    """The C library with some functions timed as stages."""

    def __init__(self, lib, clock: Clock) -> None:  # noqa: ANN001
        self._lib = lib
        self.Numbering = lambda is_word: _TimedNumbering(lib.Numbering(is_word), clock)
        self.encode_postings = clock.wrap("encode", lib.encode_postings)

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._lib, name)


def parent_stages(corpus: Path, n: int, clock: Clock) -> list:
    """The importing process's per-article work on the first ``n`` articles; returns
    their index fields."""
    from indexer.merges import Merger, headline_pairs
    from indexer.papers import Papers, assign
    from indexer.readers import read
    from indexer.writer import article_problem
    from search.document import to_fields

    class _NoStore:
        def stale(self) -> set:
            return set()

        def pending_days(self) -> set:
            return set()

    merger = Merger(None, _NoStore())
    docs = []
    clock.enter("read")
    items = assign(read([str(corpus)]), Papers.from_settings(None, {}), "", {})
    for item in itertools.islice(items, n):
        clock.enter("check")
        problem = article_problem(item.article)
        clock.leave()
        if problem:
            continue
        clock.enter("fields")
        fields = to_fields(item.article)
        clock.leave()
        clock.enter("note")
        merger.note(fields, added=True)
        clock.leave()
        docs.append(fields)
    clock.leave()
    clock.enter("pairs")
    for heads in merger.heads.values():
        headline_pairs(heads)
    clock.leave()
    clock.enter("send")
    names: list[str] = []
    half = (len(docs) + 1) // 2
    sent = [pickle.dumps((str(corpus), names, docs[i:i + half]), pickle.HIGHEST_PROTOCOL)
            for i in range(0, len(docs), half)]
    clock.leave()
    return sent


def worker_stages(sent: list[bytes], clock: Clock) -> None:
    """What the workers do with each pickled share: the segment built in a scratch
    index, every stage of ``build_segment`` timed."""
    from search import schema as f
    from search.document import head_text
    from search.storage import store as sstore
    from search.storage import storedzip, usx
    from search.storage.usx import postings
    from search.text import normalize as norm_mod

    saved = (postings._native, postings.index_tokens, postings.normalize, storedzip.compress,
             sstore.storedzip.compress, postings._gram_and_char_fields)
    postings._native = _Native(saved[0], clock)
    postings.index_tokens = clock.wrap("jieba", postings.index_tokens)
    postings.normalize = clock.wrap("normalize", norm_mod.normalize)
    sstore.storedzip.compress = clock.wrap("zlib", storedzip.compress)
    postings._gram_and_char_fields = clock.wrap("grams", postings._gram_and_char_fields)
    scratch = Path(tempfile.mkdtemp(prefix="import-stages-"))
    try:
        for k, blob in enumerate(sent):
            clock.enter("receive")
            _, _names, docs = pickle.loads(blob)
            clock.leave()
            folder = scratch / str(k)
            sstore.Store.create(str(folder))
            builder = sstore.SegmentBuilder(sstore.Store.open(str(folder)))
            clock.enter("store")
            for doc in docs:
                builder.add(doc)
            clock.leave()
            clock.enter("store finish")
            seg = builder.finish()
            clock.leave()
            clock.enter("usx other")  # usx.build and usx.write besides the stages above
            arrays = usx.build([head_text(d) for d in docs], [d.get(f.BODY) or "" for d in docs])
            usx.write(usx.segment_path(str(folder), seg.segment_id()), len(docs), arrays)
            clock.leave()
    finally:
        (postings._native, postings.index_tokens, postings.normalize, storedzip.compress,
         sstore.storedzip.compress, postings._gram_and_char_fields) = saved
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--articles", type=int, default=16_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    from search.text import wordseg

    wordseg.cut_for_search("预热")  # the dictionary loaded: once per worker, not per article
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        clock = Clock()
        sent = parent_stages(args.corpus, args.articles, clock)
        worker_stages(sent, clock)
        for stage, spent in clock.spent.items():
            best[stage] = min(best.get(stage, spent), spent)
    k = args.articles / 1000
    for side, stages in (("importing process", PARENT), ("workers", WORKER)):
        total = sum(best.get(s, 0.0) for s in stages)
        print(f"{side}: {total / k:.3f} CPU s per 1,000 articles")
        for s in stages:
            print(f"  {s:<13} {best.get(s, 0.0) / k:.3f}  {100 * best.get(s, 0.0) / total:5.1f}%")


if __name__ == "__main__":
    main()
