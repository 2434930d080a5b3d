"""Whether two indexes built from the same input hold the same thing.

    python -m bench.same_index INDEX_A INDEX_B

Compares, segment by segment in commit order: every stored article (its import time
aside), the id, reporter and paper term lists (every 200th term's documents), the day
column, and every array of each ``.usx`` file (type, length and CRC32C from its
header; ``.data`` arrays by their block CRCs).  Exit status 0 when all agree.
"""

from __future__ import annotations

import json
import sys

from search import schema as f
from search.storage import usx
from search.storage.store import Store


def usx_arrays(path: str) -> tuple[int, dict]:
    """A ``.usx`` file's article count and each array's (type, length, CRC32C)."""
    with open(path, "rb") as fh:
        data = fh.read()
    start = data.index(b"{")
    head, _ = json.JSONDecoder().raw_decode(data[start:].decode("latin-1"))
    return head["docs"], {name: (dt, n, tuple(crc))
                          for name, (_at, dt, n, *crc) in head["arrays"].items()}


def contents(folder: str) -> tuple[list, list]:
    """What :func:`main` compares of one index."""
    st = Store.open(folder)
    usxs = [usx_arrays(usx.segment_path(folder, s.segment_id())) for s in st.committed()]
    items: list = []
    with st.searcher() as snap:
        for leaf in snap.leaves():
            for local in range(leaf.doc_count_all()):
                doc = dict(leaf.stored_fields(local))
                doc.pop(f.ADDED, None)
                items.append(doc)
            for name in (f.ID, f.REPORTER, f.PAPER):
                terms = list(leaf.lexicon(name))
                items.append((name, len(terms), hash(tuple(terms))))
                for term in terms[:: max(1, len(terms) // 200)]:
                    found = leaf.term_docs(name, term)
                    items.append((name, term, None if found is None else found.tolist()))
            col = leaf.numeric_column(f.DAY)
            items.append(("day", None if col is None else col.tolist()))
    return items, usxs


def main(a: str, b: str) -> bool:
    (da, ua), (db, ub) = contents(a), contents(b)
    print(f"stored articles and terms: {len(da)} / {len(db)} items, equal: {da == db}")
    print(f".usx files: {len(ua)} / {len(ub)}, equal: {ua == ub}")
    return da == db and ua == ub


if __name__ == "__main__":
    sys.exit(0 if main(sys.argv[1], sys.argv[2]) else 1)
