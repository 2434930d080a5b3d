"""Baseline (a): SQLite FTS5 over the same jieba tokens.

Title and body are normalised with unionsearch's own normaliser and cut by
rjieba (jieba's precise mode); the words, space-joined, go into an FTS5
table whose ``unicode61`` tokenizer then splits on the spaces.  A quoted
phrase is an FTS5 phrase of its tokens; an unquoted run is the AND of its
tokens (no verbatim preference).  Filters are SQL on indexed columns,
facets are GROUP BY over the matching rows, hits are ranked by bm25 (title
weighted 3×, like unionsearch) with FTS5's own snippet().
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from search.text.normalize import normalize

from ..queries import BenchQuery
from ..target import Outcome
from . import build_main, day_of, read_corpus, reporters_of

_WORD = re.compile(r"\w")

SCHEMA = """
CREATE TABLE articles(id INTEGER PRIMARY KEY, ext_id TEXT UNIQUE, title TEXT, body TEXT,
                      date TEXT, day INTEGER, year INTEGER, reporters TEXT);
CREATE TABLE article_reporter(name TEXT, doc INTEGER);
CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='unicode61');
"""
INDEXES = """
CREATE INDEX articles_day ON articles(day);
CREATE INDEX article_reporter_name ON article_reporter(name, doc);
CREATE INDEX article_reporter_doc ON article_reporter(doc, name);
"""


def _cutter():
    import rjieba

    return rjieba.Jieba().cut


def tokens(cut, text: str) -> list[str]:
    return [w for w in cut(normalize(text)) if _WORD.search(w)]


def build(corpus: str, path: str, limit: int | None) -> int:
    cut = _cutter()
    Path(path).unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
    n = 0
    for doc in read_corpus(corpus, limit):
        names = reporters_of(doc)
        day = day_of(doc)
        cur = db.execute(
            "INSERT INTO articles(ext_id, title, body, date, day, year, reporters) "
            "VALUES (?,?,?,?,?,?,?)",
            (doc["id"], doc["title"], doc["body"], doc["date"], day, day // 10000,
             "、".join(names)))
        rowid = cur.lastrowid
        db.executemany("INSERT INTO article_reporter VALUES (?,?)", [(r, rowid) for r in names])
        db.execute("INSERT INTO fts(rowid, title, body) VALUES (?,?,?)",
                   (rowid, " ".join(tokens(cut, doc["title"])),
                    " ".join(tokens(cut, doc["body"]))))
        n += 1
    db.executescript(INDEXES + "INSERT INTO fts(fts) VALUES('optimize');")
    db.commit()
    db.close()
    return n


def _quote(toks: list[str]) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in toks) + '"'


class Backend:
    name = "fts5"

    def __init__(self, path: str):
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.execute("CREATE TEMP TABLE hits(doc INTEGER PRIMARY KEY, score REAL)")
        self.cut = _cutter()

    def match_expr(self, q: BenchQuery) -> str:
        parts = []
        for word in q.words:
            parts += [_quote([t]) for t in tokens(self.cut, word)]
        if q.phrase:
            toks = tokens(self.cut, q.phrase)
            if toks:
                parts.append(_quote(toks))
        return " AND ".join(parts)

    def search(self, q: BenchQuery) -> Outcome:
        db = self.db
        where, args = [], []
        if q.reporter:
            where.append("a.id IN (SELECT doc FROM article_reporter WHERE name = ?)")
            args.append(q.reporter)
        if q.date_from:
            where.append("a.day >= ?")
            args.append(int(q.date_from.replace("-", "")))
        if q.date_to:
            where.append("a.day <= ?")
            args.append(int(q.date_to.replace("-", "")))
        match = self.match_expr(q)
        db.execute("DELETE FROM temp.hits")
        order = "a.day DESC" if q.sort == "newest" or not match else "bm25(fts, 3.0, 1.0)"
        if match:
            cond = " AND ".join(["fts MATCH ?", *where])
            db.execute("INSERT INTO temp.hits SELECT fts.rowid, bm25(fts, 3.0, 1.0) "
                       f"FROM fts JOIN articles a ON a.id = fts.rowid WHERE {cond}",
                       [match, *args])
            top = db.execute(
                "SELECT a.ext_id, a.title, a.date, a.reporters, "
                "snippet(fts, 1, '<mark>', '</mark>', '…', 24) "
                f"FROM fts JOIN articles a ON a.id = fts.rowid WHERE {cond} "
                f"ORDER BY {order} LIMIT 10", [match, *args]).fetchall()
        else:
            cond = " AND ".join(where) or "1"
            db.execute(f"INSERT INTO temp.hits SELECT a.id, 0 FROM articles a WHERE {cond}", args)
            top = db.execute(
                "SELECT a.ext_id, a.title, a.date, a.reporters, substr(a.body, 1, 80) "
                f"FROM articles a WHERE {cond} ORDER BY a.day DESC LIMIT 10", args).fetchall()
        total = db.execute("SELECT count(*) FROM temp.hits").fetchone()[0]
        db.execute("SELECT a.year, count(*) FROM temp.hits h JOIN articles a ON a.id = h.doc "
                   "GROUP BY a.year ORDER BY a.year DESC").fetchall()
        db.execute("SELECT r.name, count(*) AS c FROM temp.hits h "
                   "JOIN article_reporter r ON r.doc = h.doc "
                   "GROUP BY r.name ORDER BY c DESC, r.name LIMIT 30").fetchall()
        del top  # fetched, as a results page would be, but not compared
        return Outcome(total)


if __name__ == "__main__":
    build_main(build)
