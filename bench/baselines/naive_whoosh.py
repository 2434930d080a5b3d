"""Baseline (b): what a first Whoosh + jieba search looks like.

jieba 0.42.1's own ``ChineseAnalyzer`` on stored ``title`` and ``body``
TEXT fields, the query text given to Whoosh's ``MultifieldParser`` (AND of
terms, quotes for phrases), filters as Whoosh filter queries, sorting on a
sortable ``day`` column, facets with ``groupedby`` and highlights with
``Hit.highlights``.  One writer, one commit.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from whoosh import fields, sorting
from whoosh import index as windex
from whoosh import query as wq
from whoosh.qparser import AndGroup, MultifieldParser

from ..queries import BenchQuery
from ..target import Outcome
from . import build_main, day_of, read_corpus, reporters_of


def schema() -> fields.Schema:
    from jieba.analyse import ChineseAnalyzer

    analyzer = ChineseAnalyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(stored=True, analyzer=analyzer, field_boost=3.0),
        body=fields.TEXT(stored=True, analyzer=analyzer),
        reporter=fields.KEYWORD(stored=True, commas=True),
        date=fields.STORED(),
        day=fields.NUMERIC(int, bits=32, sortable=True),
        year=fields.NUMERIC(int, bits=32, sortable=True),
    )


def build(corpus: str, path: str, limit: int | None) -> int:
    import jieba

    jieba.setLogLevel(60)
    shutil.rmtree(path, ignore_errors=True)
    Path(path).mkdir(parents=True)
    ix = windex.create_in(path, schema())
    writer = ix.writer(limitmb=256)
    n = 0
    for doc in read_corpus(corpus, limit):
        day = day_of(doc)
        writer.add_document(id=doc["id"], title=doc["title"], body=doc["body"],
                            reporter=",".join(reporters_of(doc)), date=doc["date"],
                            day=day, year=day // 10000)
        n += 1
    writer.commit()
    return n


class Backend:
    name = "naive_whoosh"

    def __init__(self, path: str):
        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()
        # Its own schema, not the pickled one: the engine reads index pickles through a
        # restricted unpickler (search/storage/store.py) that knows only its own classes.
        self.ix = windex.open_dir(path, schema=schema())
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(["title", "body"], self.ix.schema, group=AndGroup)

    def search(self, q: BenchQuery) -> Outcome:
        filters = []
        if q.reporter:
            filters.append(wq.Term("reporter", q.reporter))
        if q.date_from or q.date_to:
            lo = int(q.date_from.replace("-", "")) if q.date_from else None
            hi = int(q.date_to.replace("-", "")) if q.date_to else None
            filters.append(wq.NumericRange("day", lo, hi))
        flt = (filters[0] if len(filters) == 1 else wq.And(filters)) if filters else None
        query = self.parser.parse(q.q) if q.q.strip() else wq.Every()
        newest = sorting.FieldFacet("day", reverse=True)
        sortedby = newest if q.sort == "newest" or not q.q.strip() else None
        groups = {"year": sorting.FieldFacet("year"),
                  "reporter": sorting.FieldFacet("reporter", allow_overlap=True)}
        results = self.searcher.search(query, filter=flt, limit=10, sortedby=sortedby,
                                       groupedby=groups)
        for name in groups:
            sorted(((k, len(v)) for k, v in results.groups(name).items()),
                   key=lambda kv: -kv[1])[:30]
        for hit in results[:10]:  # with groupedby, iterating yields every hit
            hit.highlights("title")
            hit.highlights("body")
        return Outcome(len(results))


if __name__ == "__main__":
    build_main(build)
