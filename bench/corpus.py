"""A realistic synthetic archive built from real People's Daily text.

The engine's cost depends on how text looks (paragraph lengths, vocabulary,
bylines, one issue of ~50 articles a day), so the benchmark corpus is
recombined from the 2,012 real articles of ``pd1998-01-a.jsonl`` rather than
made of random characters:

* bodies: the opening paragraph of a real article (bylines, 本报讯 …) followed
  by real paragraphs drawn from the whole pool until the body reaches the
  length of that real article, so the length distribution follows the
  originals; some paragraphs get one word swapped for another real word, so
  the archive is not just the same ~10k paragraphs repeated;
* titles: real titles with one or two words swapped, sometimes joined to a
  fragment of another title with ——;
* bylines: 0–3 names drawn from the real bylines (split on 、), weighted by
  how often each name occurs;
* dates: ``N/50`` issue days spread evenly over 2003-01-01 … 2024-12-31,
  about 50 articles each, in date order (as an archive is imported).

Everything is seeded, and articles are written one at a time, so memory stays
bounded whatever N is.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "tests" / "data" / "pd1998-01-a.jsonl"
FIRST_DAY = dt.date(2003, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
PER_DAY = 50
DAILY_DATE = dt.date(2025, 1, 2)  # after the archive: the daily import is easy to find
DAILY_SIZE = 60
FORMAT_VERSION = 1  # bump when generation changes, so cached corpora are rebuilt

_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class CorpusInfo:
    """What was generated: the file and the facts the report needs."""

    path: str
    articles: int
    text_bytes: int  # UTF-8 bytes of title + body, the "article text" of the ratios
    file_bytes: int
    first_date: str
    last_date: str
    seed: int
    version: int = FORMAT_VERSION


def _is_word(word: str) -> bool:
    return len(word) >= 2 and all(_CJK.match(ch) for ch in word)


class Source:
    """The real articles, cut into the pieces the generator recombines."""

    def __init__(self, path: Path = SOURCE):
        with open(path, encoding="utf-8") as fh:
            self.docs = [json.loads(line) for line in fh if line.strip()]

    @cached_property
    def paragraphs(self) -> list[str]:
        return [p for d in self.docs for p in d["body"].split("\n") if p.strip()]

    @cached_property
    def openings(self) -> list[tuple[str, int]]:
        """(first paragraph, body length) of each real article."""
        out = []
        for d in self.docs:
            paras = [p for p in d["body"].split("\n") if p.strip()]
            if paras:
                out.append((paras[0], len(d["body"])))
        return out

    @cached_property
    def _cut(self):
        import rjieba

        return rjieba.Jieba().cut

    @cached_property
    def words(self) -> list[str]:
        """Real multi-character Chinese words, one entry per occurrence (so draws
        follow the real frequencies)."""
        cut = self._cut
        return [w for p in self.paragraphs[::3] for w in cut(p) if _is_word(w)]

    @cached_property
    def title_words(self) -> list[list[str]]:
        cut = self._cut
        return [cut(d["title"]) for d in self.docs if d["title"].strip()]

    @cached_property
    def reporters(self) -> tuple[list[str], list[int]]:
        counts = Counter(name.strip() for d in self.docs
                         for name in (d.get("reporter") or "").split("、") if name.strip())
        names = sorted(counts)
        return names, [counts[n] for n in names]

    @cached_property
    def byline_sizes(self) -> list[int]:
        """Number of names on each real article (0 for none)."""
        return [len([n for n in (d.get("reporter") or "").split("、") if n.strip()])
                for d in self.docs]


class Generator:
    """Deterministic article factory over a :class:`Source`."""

    def __init__(self, source: Source, seed: int):
        self.src = source
        self.rng = random.Random(seed)

    def _mutate(self, text: str, swaps: int) -> str:
        """Swap ``swaps`` real words of ``text`` for other real words."""
        parts = self.src._cut(text)
        spots = [i for i, w in enumerate(parts) if _is_word(w)]
        for i in self.rng.sample(spots, min(swaps, len(spots))):
            parts[i] = self.rng.choice(self.src.words)
        return "".join(parts)

    def body(self) -> str:
        rng = self.rng
        opening, target = rng.choice(self.src.openings)
        paras = [opening]
        length = len(opening)
        while length < target:
            p = rng.choice(self.src.paragraphs)
            if length >= 0.7 * target and length + len(p) > 1.2 * target:
                break  # overshooting a short target would skew lengths upwards
            if rng.random() < 0.3:
                p = self._mutate(p, 1)
            paras.append(p)
            length += len(p) + 1
        return "\n".join(paras)

    def title(self) -> str:
        rng = self.rng
        words = list(rng.choice(self.src.title_words))
        spots = [i for i, w in enumerate(words) if _is_word(w)]
        for i in rng.sample(spots, min(len(spots), rng.choice((1, 1, 2)))):
            words[i] = rng.choice(self.src.words)
        title = "".join(words)
        if rng.random() < 0.15:
            other = "".join(rng.choice(self.src.title_words))
            title = f"{title}——{re.split(r'[——：，]', other)[0]}"
        return title

    def reporters(self) -> list[str]:
        names, weights = self.src.reporters
        k = self.rng.choice(self.src.byline_sizes)
        picked: list[str] = []
        while len(picked) < k:
            name = self.rng.choices(names, weights)[0]
            if name not in picked:
                picked.append(name)
        return picked

    def article(self, art_id: str, day: dt.date, page: int) -> dict:
        return {
            "id": art_id,
            "date": day.isoformat(),
            "page": page,
            "title": self.title(),
            "body": self.body(),
            "reporter": "、".join(self.reporters()),
        }


def issue_days(n: int) -> list[dt.date]:
    """``ceil(n / 50)`` dates spread evenly over 2003–2024."""
    days = max(1, -(-n // PER_DAY))
    span = (LAST_DAY - FIRST_DAY).days
    if days == 1:
        return [FIRST_DAY]
    return [FIRST_DAY + dt.timedelta(days=round(i * span / (days - 1))) for i in range(days)]


def articles(n: int, seed: int, source: Source | None = None) -> Iterator[dict]:
    gen = Generator(source or Source(), seed)
    days = issue_days(n)
    per_day = -(-n // len(days))
    for i in range(n):
        day = days[i // per_day]
        page = 1 + (i % per_day) * 8 // per_day
        yield gen.article(f"bench-{i:07d}", day, page)


def daily_articles(seed: int, source: Source | None = None,
                   n: int = DAILY_SIZE) -> Iterator[dict]:
    gen = Generator(source or Source(), seed + 7919)
    for i in range(n):
        yield gen.article(f"daily-{DAILY_DATE:%Y%m%d}-{i:03d}", DAILY_DATE, 1 + i * 8 // n)


def write(path: Path, docs: Iterator[dict], seed: int) -> CorpusInfo:
    """Stream ``docs`` to ``path`` as JSON Lines; returns what was written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = text_bytes = 0
    first = last = ""
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
            count += 1
            text_bytes += len(doc["title"].encode("utf-8")) + len(doc["body"].encode("utf-8"))
            first = first or doc["date"]
            last = doc["date"]
    tmp.replace(path)
    return CorpusInfo(str(path), count, text_bytes, path.stat().st_size, first, last, seed)


def ensure(out_dir: Path, n: int, seed: int, source: Source | None = None) -> CorpusInfo:
    """The corpus of ``n`` articles in ``out_dir``, generated unless already there."""
    path = out_dir / f"corpus-{n}-s{seed}.jsonl"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        info = CorpusInfo(**json.loads(meta.read_text()))
        if info.version == FORMAT_VERSION and info.articles == n:
            return info
    info = write(path, articles(n, seed, source), seed)
    meta.write_text(json.dumps(asdict(info)))
    return info


def index_current(idx: Path) -> bool:
    """Whether a benchmark's cached index at ``idx`` is there and built as the running code
    builds one; one of another format, analyser or dictionary (which a server refuses
    with "Rebuild it") is removed, so the benchmark builds it again."""
    import shutil

    from search.storage.folder import IndexUnusable, check_fingerprint, exists, read_meta

    if not exists(idx):
        return False
    try:
        check_fingerprint(idx, read_meta(idx))
        return True
    except IndexUnusable as exc:
        print(f"{exc}\nremoving {idx}: it is built again", flush=True)
        shutil.rmtree(idx)
        return False


def ensure_daily(out_dir: Path, seed: int, source: Source | None = None) -> CorpusInfo:
    path = out_dir / f"daily-{DAILY_DATE}-s{seed}.jsonl"
    return write(path, daily_articles(seed, source), seed)


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description="Write a benchmark corpus as JSON Lines.")
    ap.add_argument("n", type=int)
    ap.add_argument("--out", type=Path, default=Path("bench/out"))
    ap.add_argument("--seed", type=int, default=1998)
    args = ap.parse_args()
    print(json.dumps(asdict(ensure(args.out, args.n, args.seed)), ensure_ascii=False))


if __name__ == "__main__":
    main()
