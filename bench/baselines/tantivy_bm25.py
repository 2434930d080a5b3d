"""Baseline (c): tantivy (its official Python bindings) over this service's own words.

What is indexed is what this service's word fields get: :func:`search.text.analysis.index_words`
of the title and of the body (normalised, jieba's search mode, only tokens with a letter, digit
or ideograph), joined by spaces into text fields that tantivy's ``whitespace`` tokenizer splits
again, with positions (so a phrase query runs).  The date is a fast, indexed date field (its
year a fast integer too, for the facet); each reporter of the byline one term of a ``raw``
field (fast too, for its facet).  Documents are committed every
:data:`indexer.batch.BATCH_SIZE` articles, as this service's import commits a segment per
batch, and the build waits for tantivy's merges.

How each class of :mod:`bench.queries` is asked (:meth:`Backend.query`):

* a word or unquoted run (rare, common, two words, run, facets, and the word of the filtered
  classes): each of its query words (:func:`search.text.analysis.words`, jieba's precise mode,
  as this service reads a query) required, in the title (boosted 3×, as this service weights
  the title) or the body, BM25.  An unquoted run is the AND of its words: this service also
  ranks the run found verbatim first, which tantivy is not asked to do.
* a quoted phrase: a tantivy phrase of the phrase's own search-mode words, in the title or the
  body.  Not the same: this service finds a phrase through character bigrams, so it finds
  every article holding the characters; word positions find it only where jieba cut it the
  same way inside the article (a phrase cut mid-word is missed) — tantivy answers fewer.
* reporter: a term of the ``reporter`` field, required beside the words.
* date range: a range of the date field, required beside the words.
* newest first and browse: ordered by the date fast field, descending (browse: the reporter's
  term alone).
* every class: the count of matching articles, the ten hits' stored title, date and
  reporters, and the facets a results page shows (years and reporters of every match,
  tantivy's aggregations over the fast fields), as this service's ``/api/search`` does;
  snippets are not made (tantivy's snippet generator would mark the space-joined words).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from search.text.analysis import index_words, words

from ..queries import BenchQuery
from ..target import Outcome
from . import day_of, read_corpus, reporters_of

BATCH = 16000  # indexer.batch.BATCH_SIZE: a commit per batch, like this service's import
TITLE_BOOST = 3.0


def _tantivy():
    import tantivy

    return tantivy


def schema():
    t = _tantivy()
    sb = t.SchemaBuilder()
    sb.add_text_field("title", stored=True, tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="position")
    sb.add_date_field("date", stored=True, indexed=True, fast=True)
    sb.add_integer_field("year", fast=True)  # its facet: tantivy's histograms have no years
    sb.add_text_field("reporter", stored=True, fast=True, tokenizer_name="raw",
                      index_option="basic")
    sb.add_text_field("ext_id", stored=True, tokenizer_name="raw", index_option="basic")
    return sb.build()


def _date(day: int) -> dt.datetime:
    return dt.datetime(day // 10000, day // 100 % 100, day % 100, tzinfo=dt.UTC)


def article_tokens(doc: dict) -> tuple[str, str]:
    """Title and body as this service's word fields get them, space-joined."""
    return " ".join(index_words(doc["title"])), " ".join(index_words(doc["body"]))


def tokenised(corpus: str, limit: int | None) -> Iterator[tuple[dict, str, str]]:
    for doc in read_corpus(corpus, limit):
        title, body = article_tokens(doc)
        yield doc, title, body


def precomputed(path: str, limit: int | None) -> Iterator[tuple[dict, str, str]]:
    """Rows written by ``tokens``: the same articles with their words already cut."""
    for row in read_corpus(path, limit):
        yield row, row["title_words"], row["body_words"]


def index_rows(rows, path: str) -> int:
    t = _tantivy()
    Path(path).mkdir(parents=True, exist_ok=True)
    index = t.Index(schema(), path=str(path))
    writer = index.writer(heap_size=256_000_000)
    n = 0
    for doc, title, body in rows:
        fields = {"title": title, "body": body, "date": _date(day_of(doc)),
                  "year": day_of(doc) // 10000, "ext_id": doc["id"]}
        names = reporters_of(doc)
        if names:
            fields["reporter"] = names
        writer.add_document(t.Document(**fields))
        n += 1
        if n % BATCH == 0:
            writer.commit()
    writer.commit()
    writer.wait_merging_threads()
    return n


def build(corpus: str, path: str, limit: int | None) -> int:
    """Tokenised here, with this service's analyser, and indexed."""
    return index_rows(tokenised(corpus, limit), path)


def build_pretokenised(tokens_file: str, path: str, limit: int | None) -> int:
    """Indexed from words cut beforehand (``tokens``): tantivy's own share of an import."""
    return index_rows(precomputed(tokens_file, limit), path)


def write_tokens(corpus: str, out: str, limit: int | None) -> int:
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        for doc, title, body in tokenised(corpus, limit):
            row = {"id": doc["id"], "date": doc["date"], "reporter": doc.get("reporter") or "",
                   "title_words": title, "body_words": body}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


class Backend:
    name = "tantivy"

    def __init__(self, path: str):
        t = self.t = _tantivy()
        self.index = t.Index.open(str(path))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def _word(self, token: str):
        t = self.t
        return t.Query.boolean_query([
            (t.Occur.Should, t.Query.boost_query(
                t.Query.term_query(self.schema, "title", token), TITLE_BOOST)),
            (t.Occur.Should, t.Query.term_query(self.schema, "body", token)),
        ])

    def _phrase(self, toks: list[str]):
        t = self.t
        if len(toks) == 1:
            return self._word(toks[0])
        return t.Query.boolean_query([
            (t.Occur.Should, t.Query.boost_query(
                t.Query.phrase_query(self.schema, "title", toks), TITLE_BOOST)),
            (t.Occur.Should, t.Query.phrase_query(self.schema, "body", toks)),
        ])

    def query(self, q: BenchQuery):
        """The tantivy query of one bench query (see the module's docstring)."""
        t = self.t
        must = []
        for word in q.words:
            must += [self._word(tok) for tok in words(word)]
        if q.phrase:
            toks = index_words(q.phrase)
            if toks:
                must.append(self._phrase(toks))
        if q.reporter:
            must.append(t.Query.term_query(self.schema, "reporter", q.reporter))
        if q.date_from or q.date_to:
            lo = _date(int(q.date_from.replace("-", ""))) if q.date_from else None
            hi = _date(int(q.date_to.replace("-", ""))) if q.date_to else None
            must.append(t.Query.range_query(self.schema, "date", t.FieldType.Date, lo, hi))
        if not must:
            return t.Query.all_query(), False
        return t.Query.boolean_query([(t.Occur.Must, m) for m in must]), bool(q.words or q.phrase)

    def search(self, q: BenchQuery) -> Outcome:
        t = self.t
        query, ranked = self.query(q)
        if ranked and q.sort != "newest":
            res = self.searcher.search(query, 10, count=True)
        else:
            res = self.searcher.search(query, 10, count=True, order_by_field="date",
                                       order=t.Order.Desc)
        top = [self.searcher.doc(addr) for _, addr in res.hits]
        self.searcher.aggregate(query, {
            "years": {"terms": {"field": "year", "size": 100}},
            "reporters": {"terms": {"field": "reporter", "size": 30}},
        })
        del top  # fetched, as a results page would be, but not compared
        return Outcome(res.count)


def cpu_per_query(path: str, corpus: str, per_class: int, seed: int) -> dict:
    """CPU ms of each query (the process's, all threads), keyed as :mod:`bench.cpu_per_query`
    keys its own, so :mod:`bench.cpu_compare` sets one against the other."""
    from urllib.parse import urlencode

    from .. import queries

    workload, warm = queries.build(corpus, seed, per_class, 3)
    backend = Backend(path)
    for q in warm:
        backend.search(q)
    out: dict[str, dict] = {}
    for q in workload:
        key = "/api/search?" + urlencode(q.params())
        t0 = time.process_time()
        backend.search(q)
        out.setdefault(q.cls, {})[key] = (time.process_time() - t0) * 1000
    return out


def main(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m bench.baselines.tantivy_bm25")
    ap.add_argument("command", choices=["build", "tokens", "build-pretokenised", "cpu"])
    ap.add_argument("source", help="corpus (tokens file for build-pretokenised)")
    ap.add_argument("path", help="index folder (tokens file to write for tokens)")
    ap.add_argument("--max", type=int, default=None)
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1998)
    args = ap.parse_args(argv)
    if args.command == "cpu":
        print(json.dumps(cpu_per_query(args.path, args.source, args.per_class, args.seed),
                         ensure_ascii=False))
        return
    do = {"build": build, "tokens": write_tokens,
          "build-pretokenised": build_pretokenised}[args.command]
    started, cpu0 = time.perf_counter(), time.process_time()
    n = do(args.source, args.path, args.max)
    print(json.dumps({"articles": n, "seconds": time.perf_counter() - started,
                      "cpu_seconds": time.process_time() - cpu0}))


if __name__ == "__main__":
    main(sys.argv[1:])
