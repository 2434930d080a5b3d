"""The query workload: classes of queries drawn (seeded) from the corpus itself.

Each query is kept both as the text a user types into unionsearch (``q``) and
in structured form (``words``, ``phrase``, filters), so the baselines can run
the *same* request in their own query language.  Terms come from a seeded
sample of the generated articles, so every class has hits by construction.
Every request in a run is distinct (warm-up included): the engine caches
results per index generation, and a repeated query would time the cache.
See bench/README.md for what each class stands for.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .corpus import FIRST_DAY, LAST_DAY

SAMPLE_SIZE = 2000

# Order matters only for the report's tables.
CLASSES = {
    "rare": "one word found in a single sampled article",
    "common": "one frequent word (the ~300 next most frequent after the facets class)",
    "two_words": "two mid-frequency words of one article (AND)",
    "phrase": 'a quoted phrase of 4–8 characters cut from real text ("…")',
    "run": "an unquoted run of 4–6 characters cut from real text (verbatim first)",
    "reporter": "a word of a bylined article + reporter= one of its reporters",
    "date_range": "a frequent word + from/to over a 1–3 year window",
    "newest": "a frequent word, sort=newest",
    "browse": "empty query + reporter= (a reporter's work, newest first)",
    "facets": "one of the broadest words (本报, 记者, 经济 …): facets over a huge result set",
}

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{4,}")
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


@dataclass
class BenchQuery:
    cls: str
    q: str = ""
    words: list[str] = field(default_factory=list)  # unquoted runs, all required
    phrase: str | None = None
    reporter: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"

    def params(self) -> dict[str, str]:
        """The /api/search query string parameters."""
        p = {"q": self.q}
        if self.reporter:
            p["reporter"] = self.reporter
        if self.date_from:
            p["from"] = self.date_from
        if self.date_to:
            p["to"] = self.date_to
        if self.sort != "relevance":
            p["sort"] = self.sort
        return p


def sample_articles(path: str | Path, k: int, seed: int) -> list[dict]:
    """A seeded reservoir sample of ``k`` articles, streamed (bounded memory)."""
    rng = random.Random(seed)
    sample: list[dict] = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if len(sample) < k:
                sample.append(json.loads(line))
            else:
                j = rng.randrange(i + 1)
                if j < k:
                    sample[j] = json.loads(line)
    return sample


class _Pools:
    """Words of the sample by document frequency, and helpers to draw from it."""

    def __init__(self, docs: list[dict], rng: random.Random, broad: int = 10):
        import rjieba

        cut = rjieba.Jieba().cut
        self.rng = rng
        self.docs = docs
        self.doc_words: list[list[str]] = []
        df: Counter = Counter()
        for d in docs:
            ws = sorted({w for w in cut(d["title"] + "\n" + d["body"]) if _CJK_WORD.match(w)})
            self.doc_words.append(ws)
            df.update(ws)
        self.df = df
        ranked = [w for w, _ in df.most_common()]
        self.broad = ranked[:broad]
        self.common = ranked[broad : broad + 300]
        n = len(docs)
        self.mid = {w for w, c in df.items() if 0.003 * n <= c <= 0.05 * n}
        self.rare = sorted(w for w, c in df.items() if c == 1)
        self.bylined = [d for d in docs if d.get("reporter")]

    def run(self, lo: int, hi: int) -> str:
        """A contiguous run of lo..hi Chinese characters from a sampled body."""
        while True:
            body = self.rng.choice(self.docs)["body"]
            runs = [m.group() for m in _CJK_RUN.finditer(body) if len(m.group()) >= lo]
            if runs:
                run = self.rng.choice(runs)
                size = self.rng.randint(lo, min(hi, len(run)))
                start = self.rng.randrange(len(run) - size + 1)
                return run[start : start + size]

    def mid_words(self, k: int) -> tuple[dict, list[str]]:
        while True:
            i = self.rng.randrange(len(self.docs))
            ws = [w for w in self.doc_words[i] if w in self.mid]
            if len(ws) >= k:
                return self.docs[i], self.rng.sample(ws, k)

    def window(self) -> tuple[str, str]:
        years = self.rng.randint(1, 3)
        first = self.rng.randint(FIRST_DAY.year, LAST_DAY.year - years + 1)
        return f"{first}-01-01", f"{first + years - 1}-12-31"

    def reporter(self) -> tuple[dict, str]:
        d = self.rng.choice(self.bylined)
        return d, self.rng.choice(d["reporter"].split("、"))


def _make(pools: _Pools, cls: str) -> BenchQuery:
    rng = pools.rng
    if cls == "rare":
        w = rng.choice(pools.rare)
        return BenchQuery(cls, w, [w])
    if cls in ("common", "newest"):
        w = rng.choice(pools.common)
        return BenchQuery(cls, w, [w], sort="newest" if cls == "newest" else "relevance")
    if cls == "two_words":
        _, ws = pools.mid_words(2)
        return BenchQuery(cls, " ".join(ws), ws)
    if cls == "phrase":
        p = pools.run(4, 8)
        return BenchQuery(cls, f'"{p}"', phrase=p)
    if cls == "run":
        r = pools.run(4, 6)
        return BenchQuery(cls, r, [r])
    if cls == "reporter":
        doc, name = pools.reporter()
        i = pools.docs.index(doc)
        ws = [w for w in pools.doc_words[i] if pools.df[w] >= 3] or pools.doc_words[i]
        w = rng.choice(ws)
        return BenchQuery(cls, w, [w], reporter=name)
    if cls == "date_range":
        w = rng.choice(pools.common)
        lo, hi = pools.window()
        return BenchQuery(cls, w, [w], date_from=lo, date_to=hi)
    if cls == "browse":
        _, name = pools.reporter()
        return BenchQuery(cls, "", [], reporter=name, sort="newest")
    if cls == "facets":
        w = rng.choice(pools.broad)
        return BenchQuery(cls, w, [w])
    raise ValueError(cls)


def _key(q: BenchQuery) -> tuple:
    return tuple(sorted(q.params().items()))


def build(corpus_path: str | Path, seed: int, per_class: int, warm_per_class: int = 0,
          sample: list[dict] | None = None) -> tuple[list[BenchQuery], list[BenchQuery]]:
    """(measured, warm-up): ``per_class`` + ``warm_per_class`` distinct queries of
    every class, each list in a seeded interleaved order (so drifts in machine
    load spread over all classes).  A class whose pool runs dry gets fewer."""
    docs = sample if sample is not None else sample_articles(corpus_path, SAMPLE_SIZE, seed)
    rng = random.Random(seed)
    want = per_class + warm_per_class
    pools = _Pools(docs, rng, broad=max(10, want))
    seen: set[tuple] = set()
    measured: list[BenchQuery] = []
    warm: list[BenchQuery] = []
    for cls in CLASSES:
        got: list[BenchQuery] = []
        for _ in range(200 * want):
            if len(got) == want:
                break
            q = _make(pools, cls)
            if _key(q) not in seen:
                seen.add(_key(q))
                got.append(q)
        warm += got[:warm_per_class]
        measured += got[warm_per_class:]
    rng.shuffle(measured)
    rng.shuffle(warm)
    return measured, warm


def describe(queries: list[BenchQuery]) -> dict[str, list[dict]]:
    """A few examples per class for the raw results."""
    by: dict[str, list[dict]] = {}
    for q in queries:
        if len(by.setdefault(q.cls, [])) < 5:
            by[q.cls].append(asdict(q))
    return by
