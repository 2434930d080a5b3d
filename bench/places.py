"""What finding a search's terms in the segments costs, and what checking their bytes costs.

    python -m bench.places INDEX_DIR CORPUS.jsonl [--per-class N] [--seed S] [--rounds R]

The bench mix (:mod:`bench.queries`) is run once in process (:func:`search.results.run`)
with :meth:`search.storage.postings_view.PostingsView.locate` recording the terms each
query finds.  Those terms are then found again, per class, three ways, the rounds
alternating and the least CPU (``time.thread_time``) kept:

* ``per segment``: each segment's tables searched from Python
  (:meth:`~search.storage.usx.postings.SegmentPostings.place`, a term's key made once);
* ``one C call``: every segment's tables in one ``_native.place_across`` call, the
  result made into a :class:`~search.storage.postings_view.Place` (what a search does the
  first time a generation meets a term);
* ``kept``: the place kept by the view (every later search of the generation).

And per class, of reading the terms' lists and skip records (``read``:
:meth:`PostingsView.fetch`, a ``pread`` of the 4 KB blocks each list spans, their CRC32C
checked, per segment), and ``crc``, the CRC32C alone over the same blocks read
beforehand.  Prints ms per query (mean).
"""

from __future__ import annotations

import argparse
import os
import time

from bench import queries as bq
from bench.inprocess import request
from search import results
from search.engine import Engine, archive_dates
from search.storage import postings_view
from search.storage.checksum import crc
from search.storage.usx.postings import term_key


def _terms_by_class(st, table, mix) -> dict[str, list[list[tuple[str, str]]]]:  # noqa: ANN001
    seen: list[tuple[str, str]] = []
    locate = postings_view.PostingsView.locate

    def recording(self, fieldname, text):  # noqa: ANN001, ANN202
        seen.append((fieldname, text))
        return locate(self, fieldname, text)

    postings_view.PostingsView.locate = recording
    out: dict[str, list[list[tuple[str, str]]]] = {}
    try:
        for q in mix:
            seen.clear()
            results.run(st, request(q).within(*archive_dates(st)), table)
            out.setdefault(q.cls, []).append(sorted(set(seen)))
    finally:
        postings_view.PostingsView.locate = locate
    return out


def _per_segment(view, terms) -> None:  # noqa: ANN001
    for field, text in terms:
        key = term_key(field, text)
        for sp in view.usx:
            sp.place(field, key, text)


def _one_call(view, terms) -> None:  # noqa: ANN001
    for field, text in terms:
        view._place(field, text)


def _kept(view, terms) -> None:  # noqa: ANN001
    for field, text in terms:
        postings_view.unpack(view._places[(field, text)], view.segments)


def _read(view, terms) -> None:  # noqa: ANN001
    for field, text in terms:
        view.fetch(field, postings_view.unpack(view._places[(field, text)], view.segments))


def _blocks(view, terms) -> list[bytes]:  # noqa: ANN001
    """The 4 KB blocks a fetch of ``terms``' lists checks, read once."""
    out = []
    for field, text in terms:
        place = postings_view.unpack(view._places[(field, text)], view.segments)
        for (sp, _, _), (start, stop) in zip(place.found, place.lists, strict=True):
            at, length, _ = sp._data[field]
            b = sp.block
            first, last = start // b, (stop - 1) // b
            out += [os.pread(sp._fd, min((k + 1) * b, length) - k * b, at + k * b)
                    for k in range(first, last + 1)]
    return out


def _crc_only(blocks: list[bytes]) -> None:
    for raw in blocks:
        crc(raw)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.places")
    ap.add_argument("index")
    ap.add_argument("corpus")
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1998)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    engine = Engine(args.index, synonyms_file="")
    st = engine.state()
    mix, _ = bq.build(args.corpus, args.seed, args.per_class)
    by_class = _terms_by_class(st, engine.synonyms.current(), mix)
    view = st.view
    ways = {"per segment": _per_segment, "one C call": _one_call, "kept": _kept,
            "read": _read, "crc": _crc_only}
    print(f"segments: {len(view.usx)}")
    print("| class | queries | terms a query | " + " | ".join(ways) + " |")
    print("|---|---:|---:|" + "---:|" * len(ways))
    for cls, per_query in by_class.items():
        terms = [t for ts in per_query for t in ts]
        best = dict.fromkeys(ways, float("inf"))
        blocks = _blocks(view, terms)
        for _ in range(args.rounds):
            for name, fn in ways.items():
                t0 = time.thread_time()
                if name == "crc":
                    fn(blocks)
                else:
                    fn(view, terms)
                best[name] = min(best[name], time.thread_time() - t0)
        row = [f"{best[name] * 1000 / len(per_query):.3f}" for name in ways]
        print(f"| {cls} | {len(per_query)} | {len(terms) / len(per_query):.1f} | "
              + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
