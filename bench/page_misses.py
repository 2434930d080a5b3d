"""Page-dump misses by cause, over every family (``tests/pagefamilies.py``).

Why: a per-family rate says how often the splitter misses, not why; the biggest cause is
what the next change should go after.  Each missed title is put in one cause by what the
splitter gave for the article holding its first body line; each missed reporter list by
how the names differ.

    python -m bench.page_misses --pages 100 --seed-base 2000 [--lofo] [--show CAUSE]
"""

from __future__ import annotations

import argparse
from collections import Counter

from bench.ingest_pages import _current, _lexicon_of, norm, own_words
from tests.pagefamilies import FAMILIES, make_family_page


def title_cause(t, g, got) -> str:  # noqa: ANN001 - FamArticle, PageArticle
    """Why the title of truth ``t`` was missed; ``g`` holds its first body line."""
    want = norm(t.title)
    if g is None:
        return "first body line in no article"
    title, kicker, sub = norm(g.title), norm(g.kicker), norm(g.subtitle)
    if kicker == want:
        return "title read as the 引题, a later line as the title"
    if sub == want:
        return "title read as the 副题"
    if want and want in norm(g.body) and title != want:
        return "title left in the text of the article before (no new article)"
    if want and title and want in title:
        return "another line joined to the title"
    if title and title in want:
        return "title cut: part of it kept as 引题 / 副题 / text"
    if not title and not kicker:
        return "no title at all"
    return "another line taken as the title"


def reporter_cause(want: list[str], got: list[str]) -> str:
    if not got:
        return "no reporters read"
    if set(got) < set(want):
        return "some writers missed"
    if set(want) < set(got):
        return "extra names read as writers"
    if set(want) == set(got):
        return "writers in another order"
    return "other names read"


def causes(families: list[str], pages: int, base: int, lofo: bool,
           show: str | None = None) -> tuple[Counter, Counter]:
    parse_page, _, _ = funcs = _current()
    lexicon = _lexicon_of(funcs)
    titles: Counter = Counter()
    reporters: Counter = Counter()
    for fam in families:
        with lexicon.without(own_words(fam) if lofo else ()):
            for k in range(pages):
                page = make_family_page(fam, base + k)
                got = parse_page(page.text)
                texts = [norm(g.kicker + g.title + g.subtitle + g.body) for g in got]
                for t in page.articles:
                    body = (t.lines[t.heads:] if t.heads >= 0 else
                            [ln for ln in t.lines if ln not in (t.kicker, t.title, t.subtitle)])
                    key = norm(max(body[:3], key=len))[:30] if body else norm(t.title)
                    g = next((g for g, tx in zip(got, texts, strict=True) if key in tx), None)
                    if g is None or norm(g.title) != norm(t.title):
                        cause = title_cause(t, g, got)
                        titles[cause, fam] += 1
                        if show and show in cause:
                            print(f"{fam}-{base + k}: {t.kicker!r} | {t.title!r} | "
                                  f"{t.subtitle!r} got "
                                  f"{(g.kicker, g.title, g.subtitle) if g else None}")
                    if t.reporters is not None and (g is None or g.reporters != t.reporters):
                        reporters[reporter_cause(t.reporters, g.reporters if g else []),
                                  fam] += 1
    return titles, reporters


def _table(c: Counter, what: str) -> str:
    by_cause: Counter = Counter()
    for (cause, _fam), n in c.items():
        by_cause[cause] += n
    lines = [f"{what:66s} count  families (count)"]
    for cause, n in by_cause.most_common():
        fams = sorted(((f, m) for (cc, f), m in c.items() if cc == cause), key=lambda x: -x[1])
        lines.append(f"{cause:66s} {n:5d}  " + ", ".join(f"{f} {m}" for f, m in fams[:6]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--seed-base", type=int, default=2000)
    ap.add_argument("--family", action="append")
    ap.add_argument("--lofo", action="store_true")
    ap.add_argument("--show", help="print the misses whose cause holds this text")
    args = ap.parse_args(argv)
    titles, reporters = causes(args.family or list(FAMILIES), args.pages, args.seed_base,
                               args.lofo, args.show)
    print(_table(titles, "title misses by cause"))
    print()
    print(_table(reporters, "reporter misses by cause"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
