"""The stored-articles dictionary: train it, and measure what it saves.

    .venv/bin/python -m bench.stored_dict                  # measure the shipped dictionary
    .venv/bin/python -m bench.stored_dict --write    # retrain it (search/storage/stored.zdict)

The shared corpus's articles are imported into a scratch index and read back as Whoosh
stores them (each a pickled dict of fields); the even-numbered train the dictionary
(:func:`search.storage.storedzip.train`), the odd-numbered measure it, next to the sample page
of a union daily (a paper the dictionary never saw).  For each: bytes with Whoosh's own
compression (zlib level 3, alone), with the dictionary at levels 3 and 6, and as blocks of
16 articles (what reading one article would then cost 16 decompressions for), and the
time to compress and decompress one article.  ``--append bench/RESULTS.md`` adds the
table there.

Retraining is for a new version of the dictionary only: values name their dictionary, so
an index keeps reading the old one only if :mod:`search.storage.storedzip` still knows it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pickle
import tempfile
import time
import zlib
from pathlib import Path

from indexer.readers import read
from indexer.writer import import_items
from search.engine import Engine
from search.storage import storedzip

from .report import publish

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "tests" / "data" / "pd1998-01-a.jsonl"
SAMPLE = HERE.parent / "web" / "sample" / "page-2022-09-30.txt"  # the sample page, dated


def stored_dicts(source: Path) -> list[dict]:
    """The stored fields of every article of ``source``, as Whoosh hands them back."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("UNIONSEARCH_MERGE_BESIDE", "0")
        import_items(tmp, read([str(source)]))
        snapshot = Engine(tmp).searcher()
        return [dict(fields) for fields in snapshot.all_stored_fields()]


def values(dicts: list[dict]) -> list[bytes]:
    """What Whoosh compresses: each article's fields pickled (its ``PickleColumn``)."""
    return [pickle.dumps(d, 2) for d in dicts]


def texts(dicts: list[dict]) -> list[str]:
    return ["\n".join(v if isinstance(v, str) else " ".join(map(str, v or []))
                      for v in d.values() if v) for d in dicts]


def framing(dicts: list[dict]) -> bytes:
    """The pickle framing every value starts with: field names and opcodes, no text."""
    return pickle.dumps({k: "" for k in dicts[0]}, 2)


def _timed(fn, items: list[bytes]) -> tuple[list[bytes], float]:
    started = time.perf_counter()
    out = [fn(b) for b in items]
    return out, (time.perf_counter() - started) / max(len(items), 1) * 1e6


def measure(items: list[bytes], zdict: bytes) -> dict:
    """Sizes (as a share of the pickled bytes) and µs per article, each way."""
    raw = sum(map(len, items))
    plain, plain_us = _timed(lambda b: zlib.compress(b, 3), items)
    _, plain_read_us = _timed(zlib.decompress, plain)
    row = {"articles": len(items), "raw_bytes": raw,
           "plain": sum(map(len, plain)) / raw, "plain_us": plain_us,
           "plain_read_us": plain_read_us}
    for level in (3, 6):
        primed = zlib.compressobj(level, zdict=zdict)

        def deflate(b: bytes, primed=primed) -> bytes:
            c = primed.copy()
            return c.compress(b) + c.flush()

        def inflate(b: bytes) -> bytes:
            d = zlib.decompressobj(zdict=zdict)
            return d.decompress(b) + d.flush()

        packed, us = _timed(deflate, items)
        _, read_us = _timed(inflate, packed)
        row[f"dict{level}"], row[f"dict{level}_us"] = sum(map(len, packed)) / raw, us
        row[f"dict{level}_read_us"] = read_us
    blocks = [b"".join(items[i:i + 16]) for i in range(0, len(items), 16)]
    row["block16"] = sum(len(zlib.compress(b, 3)) for b in blocks) / raw
    return row


def report(rows: dict[str, dict], zdict: bytes) -> str:
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [f"## Stored articles against a dictionary (issue 14; {stamp}, load "
             f"{os.getloadavg()[0]:.2f})", "",
             f"Dictionary: {len(zdict):,} bytes (`search/storage/stored.zdict`, Adler-32 "
             f"{zlib.adler32(zdict):08x}), trained on the even-numbered articles of the shared "
             "corpus. Sizes are shares of the pickled stored fields; times per article.", "",
             "| measured on | articles | Whoosh (zlib 3, alone) | dictionary, level 3 | "
             "level 6 | blocks of 16 | compress µs (alone → dict 3) | decompress µs |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in rows.items():
        lines.append(
            f"| {name} | {r['articles']:,} | {r['plain']:.3f} | {r['dict3']:.3f} "
            f"({(r['dict3'] / r['plain'] - 1) * 100:+.1f}%) | {r['dict6']:.3f} | "
            f"{r['block16']:.3f} | {r['plain_us']:.0f} → {r['dict3_us']:.0f} | "
            f"{r['plain_read_us']:.0f} → {r['dict3_read_us']:.0f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.stored_dict", description=__doc__)
    ap.add_argument("--write", action="store_true", help="retrain search/storage/stored.zdict")
    ap.add_argument("--append", type=Path, default=None, help="add the table to this file")
    args = ap.parse_args(argv)
    corpus = stored_dicts(CORPUS)
    train, held_out = corpus[0::2], corpus[1::2]
    if args.write:
        zdict = storedzip.train(texts(train), prefix=framing(corpus))
        storedzip.DICTIONARY_FILE.write_bytes(zdict)
        print(f"wrote {storedzip.DICTIONARY_FILE} ({len(zdict):,} bytes)")
    else:
        zdict = storedzip.DICTIONARY_FILE.read_bytes()
    rows = {"corpus, held-out half (People's Daily 1998)": measure(values(held_out), zdict),
            "sample page (a union daily, 2022)": measure(values(stored_dicts(SAMPLE)), zdict)}
    publish(report(rows, zdict), args.append)


if __name__ == "__main__":
    main()
