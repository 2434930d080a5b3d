"""Page-dump accuracy per layout family (``tests/pagefamilies.py``), tuned vs held out.

Why: a splitter measured on the generator it was written with measures the generator's
habits.  Each family prints real corpus articles the way one kind of paper does; the
families the splitter was tuned on are listed in ``TUNED``, the others were kept out of
tuning (their pages were never looked at while the rules were written), and the table says
which is which.  Checks per article: the title exactly as printed, the printed reporters,
each phrase a column break cut found in the right article, and per page the 版面 as the
reader resolves it (file name, else header); ``lines kept`` says every printed line is
somewhere in the output.

    python -m bench.ingest_pages --pages 40            # per family, seeds 1000..1039
    python -m bench.ingest_pages --pages 40 --before REV   # the splitter committed at REV
    python -m bench.ingest_pages --pages 40 --lofo     # leave-one-family-out

Leave-one-family-out (``--lofo``): the splitter's learned words (``indexer/lexicon.py``:
column names, kicker words, closing notes, units, posts) that occur in anything a family
prints (its ``tests/pagefamilies.WORDS``) are taken away while that family is measured, so
each family's figure is what the splitter does without having learned from it.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from tests.pagefamilies import FAMILIES, FamPage, make_family_page, words_of

# Families whose pages were looked at while the rules were tuned; the rest are held out.
# union-weekly and pdf-zhuanban were first measured held out, then tuned on.
TUNED = ("ldwb", "pd1998", "glued-names", "unit-credits", "lead-lines", "pictures",
         "union-weekly", "pdf-zhuanban")
# First measured after every other rule and fit was written (要闻简报 / 快讯 items, 专栏 and
# 读者来信 pages): their own group in the table, first sight before any change for them.
NEW = ("briefs", "columns")
# Built in the tenth pass from public scrapers' saved text of 人民日报's web edition and of
# its 1946–2003 archive (``tests/pagefamilies.py``), measured first before any change.
FIRST_SEEN = ("rmrb-web", "laoziliao")
# Built in the eleventh pass from public scrapers' saved text of the Founder pc template
# (中国青年报's zqb.cyol.com, a 版面 merged into one file), measured first before any change.
FIRST_SEEN += ("cyol-saved", "merged-brackets")
HELD_OUT = tuple(f for f in FAMILIES if f not in TUNED and f not in NEW + FIRST_SEEN)
SEED_BASE = 1000  # tests use seeds below 100
CHECKS = ("titles", "reporters", "phrases", "版面", "lines kept", "no chrome")


_FURNITURE = re.compile(r"^(?:本版)?(?:责任编辑|责编|美术编辑|版式设计|本版编辑)\s*[:：\s]")


def norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _current() -> tuple[Callable, Callable, Callable]:
    from indexer.pagedump import page_label, parse_page
    from indexer.readers.pagefile import page_from_filename

    return parse_page, page_label, page_from_filename


def check_page(page: FamPage, parse_page: Callable, page_label: Callable,
               from_name: Callable, misses: list[str] | None = None) -> Counter:
    """Counts (check, 0) right and (check, 1) total over one page."""
    got = parse_page(page.text)
    texts = [norm(g.kicker + g.title + g.subtitle + g.body) for g in got]
    everything = "\n".join(texts)
    c: Counter = Counter()
    for t in page.articles:
        body_lines = (t.lines[t.heads:] if t.heads >= 0 else
                      [ln for ln in t.lines if ln not in (t.kicker, t.title, t.subtitle)])
        key = norm(max(body_lines[:3], key=len))[:30] if body_lines else norm(t.title)
        g = next((g for g, tx in zip(got, texts, strict=True) if key in tx), None)
        ok = g is not None and norm(g.title) == norm(t.title)
        c["titles", 1] += 1
        c["titles", 0] += ok
        if not ok and g is not None:
            c[_unreadable(t, g), 0] += 1
        if not ok and misses is not None:
            misses.append(f"title {t.title!r} got {(g.kicker, g.title, g.subtitle) if g else None}"
                          + (f" [{_unreadable(t, g)}]" if g is not None else ""))
        if t.reporters is not None:
            c["reporters", 1] += 1
            rok = g is not None and g.reporters == t.reporters
            c["reporters", 0] += rok
            if not rok and misses is not None:
                misses.append(f"reporters {t.reporters} got {g.reporters if g else None}"
                              f" ({t.title})")
        text = norm(g.kicker + g.title + g.subtitle + g.body) if g else ""
        for cut in t.cuts:
            c["phrases", 1] += 1
            c["phrases", 0] += norm(cut) in text
            if norm(cut) not in text and misses is not None:
                misses.append(f"phrase {cut!r} not in the article of {t.title!r}")
        for ln in t.lines:
            if _FURNITURE.match(ln.strip(" \u3000")):
                continue  # 责任编辑：… is page furniture, left out of every article by design
            c["lines kept", 1] += 1
            c["lines kept", 0] += norm(ln) in everything
            if norm(ln) not in everything and misses is not None:
                misses.append(f"line lost: {ln[:40]!r} ({t.title})")
    for line in page.chrome:  # 本版编辑 / 联系电话 / 主办: in no article's text
        c["no chrome", 1] += 1
        inside = any(norm(line) in tx for tx in texts)
        c["no chrome", 0] += not inside
        if inside and misses is not None:
            misses.append(f"chrome in an article: {line!r}")
    label = page_label(page.text)
    found = from_name(page.filename) or (label[0] if label else None)
    c["版面", 1] += 1
    c["版面", 0] += found == page.page
    if found != page.page and misses is not None:
        misses.append(f"版面 {found!r}, want {page.page!r} ({page.filename}; "
                      f"{page.text.lstrip().splitlines()[:2]})")
    return c


def _column_names() -> frozenset[str]:
    """Corpus titles that several articles share: a column's name (东亚经济传真, 致读者), not
    a headline of its own."""
    from tests.pagefamilies import articles

    seen = Counter(a.title for a in articles())
    return frozenset(t for t, n in seen.items() if n >= 2)


def _unreadable(t, g) -> str:
    """How a missed title is counted apart: ``no reader`` when the corpus's title is a
    column's name and the splitter read it as the 引题 over the headline printed under it
    (what any reader of the page does); ``either way`` when the page prints two plain
    headline lines and the splitter took them the other way round (kicker = the corpus's
    title, title = its subtitle: a 引题 such as …要求 / …指出 reads so); else ``missed``.
    The figures above count every one of them as a miss."""
    if norm(g.kicker) == norm(t.title) and norm(t.title) in _COLUMN_NAMES():
        return "no reader"
    if (t.subtitle and not t.subtitle.startswith("—") and norm(g.kicker) == norm(t.title)
            and norm(g.title) == norm(t.subtitle)):
        return "either way"
    return "missed"


_COLUMN_NAMES = lru_cache(maxsize=1)(_column_names)


def own_words(family: str) -> frozenset[str]:
    """The splitter's learned words that ``family`` contributed (it prints them)."""
    from indexer import lexicon

    return lexicon.removed_by(words_of(family).printed())


def _lexicon_of(funcs: tuple[Callable, Callable, Callable]):  # noqa: ANN202 - a module
    """The learned words of the splitter measured (``--before``: the one committed at REV),
    which leave-one-family-out takes a family's words out of."""
    import importlib

    try:
        return importlib.import_module(funcs[0].__module__.rsplit(".", 1)[0] + ".lexicon")
    except ImportError:
        from indexer import lexicon

        return lexicon


def measure(families: list[str], pages: int, base: int = SEED_BASE,
            funcs: tuple[Callable, Callable, Callable] | None = None,
            lofo: bool = False) -> dict[str, Counter]:
    """Counts per family over ``pages`` seeds from ``base``; with ``lofo`` each family is
    measured with its own words taken out of the splitter's lexicon."""

    funcs = funcs or _current()
    lexicon = _lexicon_of(funcs)
    out: dict[str, Counter] = {}
    for fam in families:
        c: Counter = Counter()
        with lexicon.without(own_words(fam) if lofo else ()):
            for k in range(pages):
                c.update(check_page(make_family_page(fam, base + k), *funcs))
        out[fam] = c
    return out


def _rate(c: Counter, check: str) -> str:
    n = c[check, 1]
    return f"{100 * c[check, 0] / n:6.2f}%" if n else "   n/a"


def _apart(c: Counter) -> str:
    """The title misses counted apart (``_unreadable``): no reader / either way."""
    return f"{c['no reader', 0]:>5d} /{c['either way', 0]:>3d}"


def table(results: dict[str, Counter]) -> str:
    head = f"{'family':14s} {'set':9s} " + " ".join(f"{k:>10s}" for k in CHECKS) + (
        "  title misses: no reader / either way")
    lines = [head, "-" * len(head)]
    for group, fams in (("tuned", TUNED), ("held out", HELD_OUT), ("new", NEW),
                        ("first seen", FIRST_SEEN)):
        total: Counter = Counter()
        for fam in fams:
            if fam not in results:
                continue
            total.update(results[fam])
            lines.append(f"{fam:14s} {group:9s} " + " ".join(
                f"{_rate(results[fam], k):>10s}" for k in CHECKS) + "  " + _apart(results[fam]))
        if total:
            lines.append(f"{'all ' + group:14s} {'':9s} " + " ".join(
                f"{_rate(total, k):>10s}" for k in CHECKS) + "  " + _apart(total))
    return "\n".join(lines)


def _before(rev: str) -> tuple[Callable, Callable, Callable]:
    """The splitter as committed at ``rev`` (its page, byline, repair, records modules)."""
    import importlib
    import os
    import subprocess
    import sys
    import tempfile

    from indexer.readers.pagefile import page_from_filename

    root = tempfile.mkdtemp(prefix="pages-before-")
    pkg = os.path.join(root, "indexer_at_rev")
    os.makedirs(pkg)
    open(os.path.join(pkg, "__init__.py"), "w").close()
    def there(path: str) -> bool:
        return subprocess.run(["git", "cat-file", "-e", f"{rev}:indexer/{path}"],
                              capture_output=True).returncode == 0

    splitter = "pagedump" if there("pagedump.py") else "page"  # renamed once
    names = [splitter, "byline", "repair", "records"]
    # the learned words and the lone-line score, where the splitter at rev had them apart
    names += [n for n in ("lexicon", "logistic", "linescore", "headscore", "papers")
              if there(f"{n}.py")]
    files = [f"{n}.py" for n in names] + [f for f in ("linescore.json", "headscore.json")
                                          if there(f)]
    for name in files:
        src = subprocess.run(["git", "show", f"{rev}:indexer/{name}"], capture_output=True,
                             text=True, check=True).stdout
        with open(os.path.join(pkg, name), "w", encoding="utf-8") as fh:
            fh.write(src)
    sys.path.insert(0, root)
    page = importlib.import_module(f"indexer_at_rev.{splitter}")
    return page.parse_page, page.page_label, page_from_filename


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=40, help="pages per family")
    ap.add_argument("--seed-base", type=int, default=SEED_BASE)
    ap.add_argument("--family", action="append", help="only these families")
    ap.add_argument("--before", metavar="REV", help="measure the splitter as committed at REV")
    ap.add_argument("--misses", action="store_true", help="print each miss (tuned families)")
    ap.add_argument("--lofo", action="store_true",
                    help="leave-one-family-out: each family without its own learned words")
    args = ap.parse_args(argv)
    fams = args.family or list(FAMILIES)
    funcs = _before(args.before) if args.before else _current()
    if args.lofo:
        for fam in fams:
            print(f"# {fam}: without {' '.join(sorted(own_words(fam))) or '(none)'}")
    if args.misses:
        lexicon = _lexicon_of(funcs)
        for fam in fams:
            if fam not in TUNED and args.seed_base < 2000 and not args.family:
                continue  # held-out families' pages are not looked at while tuning
            for k in range(args.pages):
                page = make_family_page(fam, args.seed_base + k)
                misses: list[str] = []
                with lexicon.without(own_words(fam) if args.lofo else ()):
                    check_page(page, *funcs, misses=misses)
                for m in misses:
                    print(f"{fam}-{args.seed_base + k}: {m}")
        return 0
    print(table(measure(fams, args.pages, args.seed_base, funcs, lofo=args.lofo)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
