"""How the e-paper reader holds when a template changes under it: every family's pages,
mutated the way a site's next redesign (or another site of the same vendor) changes them.

Why: the family generators print each template exactly as its scraper saw it, so a reader
can pass them all by leaning on one site's class names, wrappers or markers.  Here each
page is changed in one way that keeps what it prints (the truth is unchanged) and read again:

- ``roundtrip``   parsed and written back by lxml, nothing else (the control);
- ``classes``     every class and id renamed to a meaningless word (ozoom, title, author …);
- ``wrappers``    every <div> a <section> and every <p> a <div>;
- ``tables``      every table, row and cell a <div> (a table layout turned into blocks);
- ``byline``      the byline element moved to just before, or just after, the title;
- ``no_founder``  the Founder markers dropped: the enpproperty/enpcontent comments,
                  ``<founder-…>`` tags (renamed <div>) and ``id="ozoom"``;
- ``all``         all of the above at once.

    .venv/bin/python -m bench.epaper_mutations [--pages 12] [--seed 11] [--show 2]

Per family and mutation: the share of the seven checks right (as bench/ingest_epaper.py),
then pages whose article leaked chrome or invented a subtitle.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

import lxml.etree as etree
import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ingest_epaper import FIELDS, HELD_OUT, TUNED, check  # noqa: E402
from tests import epaperfamilies  # noqa: E402
from tests.epapergen import Truth  # noqa: E402

MUTATIONS = ("roundtrip", "classes", "wrappers", "tables", "byline", "no_founder", "all")


def _decode(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


def _clean(text: str) -> str:
    return re.sub(r"[\s\u3000\xa0]+", "", text or "")


def _detach(el) -> None:
    """Remove ``el`` from the tree keeping its tail text where it was."""
    parent = el.getparent()
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    el.tail = None
    parent.remove(el)


def _token(rng: random.Random) -> str:
    """A meaningless class name of letters (numbers would read as a numbered series such
    as font01 / font02, which a real rename does not make)."""
    return "".join(rng.choice("bcdfghjkmnpqrstvwxz") for _ in range(6))


def _rename_classes(root, rng: random.Random) -> None:
    names: dict[str, str] = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("class", "id"):
            value = el.get(attr)
            if value:
                el.set(attr, " ".join(names.setdefault(v, _token(rng)) for v in value.split()))


def _swap_wrappers(root) -> None:
    for el in list(root.iter("div", "p")):
        el.tag = "section" if el.tag == "div" else "div"


def _untable(root) -> None:
    for el in list(root.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th")):
        el.tag = "div"
        for attr in ("valign", "colspan", "rowspan"):
            el.attrib.pop(attr, None)


def _drop_founder(root) -> None:
    for c in list(root.iter(etree.Comment)):
        if re.match(r"\s*/?\s*enp(?:property|content)", c.text or "", re.I):
            _detach(c)
    for el in list(root.iter()):
        if isinstance(el.tag, str) and el.tag.startswith("founder-"):
            el.tag = "div"
        if isinstance(el.tag, str) and el.get("id") == "ozoom":
            del el.attrib["id"]


_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "center", "td",
           "tr", "span"}
_CELLS = {"td", "tr"}


def _block_of(el):
    for node in [el, *el.iterancestors()]:
        if node.tag in _BLOCKS - {"span"}:
            return node
    return None


def _move_byline(root, truth: Truth, rng: random.Random) -> bool:
    """Move the smallest element holding the byline (a short line naming the first reporter;
    not the title and not a line of the text) to just before or after the title's block,
    where the two are blocks of the same kind (cells beside cells, blocks beside blocks):
    whether one was moved."""
    if not truth.reporters:
        return False
    name = truth.reporters[0]
    title = _clean(truth.title)
    text_lines = {_clean(x) for x in truth.body.split("\n")} | {_clean(truth.kicker),
                                                                 _clean(truth.subtitle)}
    body = root.find("body") if root.find("body") is not None else root
    heads = [el for el in body.iter() if isinstance(el.tag, str)
             and _clean(el.text_content()) == title]
    lines = [el for el in body.iter() if isinstance(el.tag, str) and el.tag in _BLOCKS
             and name in el.text_content() and len(_clean(el.text_content())) <= 40
             and _clean(el.text_content()) not in text_lines | {title}]
    if not heads or not lines:
        return False
    head = _block_of(heads[-1])
    line = min(lines, key=lambda el: len(_clean(el.text_content())))
    if line.tag == "span":
        line = _block_of(line)
        if line is None or _clean(line.text_content()) in text_lines | {title} \
                or len(_clean(line.text_content())) > 60:
            return False
    if head is None or line is head or line in head.iterancestors() \
            or head in line.iterancestors():
        return False
    if (line.tag in _CELLS) != (head.tag in _CELLS) or (
            line.tag in _CELLS and line.tag != head.tag):
        return False
    _detach(line)
    if rng.random() < 0.5:
        head.addprevious(line)
    else:
        head.addnext(line)
    return True


def mutate(data: bytes, truth: Truth, kind: str, rng: random.Random) -> tuple[bytes, bool]:
    """The page changed in one way (see the module docstring), in its own encoding; whether
    the change applied (a page without a byline element cannot have it moved)."""
    text, encoding = _decode(data)
    root = lxml.html.document_fromstring(text)
    applied = True
    kinds = MUTATIONS[1:-1] if kind == "all" else (kind,)
    for k in kinds:
        if k == "classes":
            _rename_classes(root, rng)
        elif k == "wrappers":
            _swap_wrappers(root)
        elif k == "tables":
            _untable(root)
        elif k == "byline":
            applied = _move_byline(root, truth, rng) if kind == "byline" else (
                _move_byline(root, truth, rng) or True)
        elif k == "no_founder":
            _drop_founder(root)
    out = lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return out.encode(encoding, errors="xmlcharrefreplace"), applied


def run(pages: int, seed: int, show: int, families: tuple[str, ...]) -> dict:
    """Per (family, mutation): checks right, pages, leaks, invented, pages changed."""
    out: dict = {}
    misses: list[str] = []
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        made = epaperfamilies.generate(pages * len(families), Path(tmp) / "orig", seed=seed,
                                       families=families)
        for path, truth in made:
            data = Path(path).read_bytes()
            rel = Path(path).relative_to(Path(tmp) / "orig")
            for kind in MUTATIONS:
                mutated, applied = mutate(data, truth, kind, rng)
                target = Path(tmp) / kind / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(mutated)
                ok, leaks, invented, art = check(str(target), truth)
                row = out.setdefault((truth.template, kind), {
                    "right": Counter(), "pages": 0, "leaks": 0, "invented": 0, "applied": 0})
                row["right"].update(f for f, v in ok.items() if v)
                row["pages"] += 1
                row["leaks"] += bool(leaks)
                row["invented"] += invented
                row["applied"] += applied
                for f, v in ok.items():
                    if not v and sum(m.startswith(f"{truth.template} {kind} ")
                                     for m in misses) < show:
                        got = getattr(art, f, art)
                        misses.append(f"{truth.template} {kind} {f}: {rel} want "
                                      f"{getattr(truth, f)!r:.60} got {got!r:.60}")
    _print(out, families, seed, misses)
    return out


def share(row: dict) -> float:
    return sum(row["right"][f] for f in FIELDS) / (row["pages"] * len(FIELDS))


def _print(out: dict, families: tuple[str, ...], seed: int, misses: list[str]) -> None:
    print(f"e-paper reader on mutated pages (seed {seed}): share of the seven checks right; "
          "(n) pages with chrome or an invented subtitle")
    print(f"  {'family':<12}" + "".join(f"{k:>12}" for k in MUTATIONS))
    for fam in families:
        cells = []
        for kind in MUTATIONS:
            row = out[(fam, kind)]
            bad = row["leaks"] + row["invented"]
            cells.append(f"{100 * share(row):7.2f}" + (f"({bad})" if bad else "").ljust(5))
        print(f"  {fam:<12}" + "".join(f"{c:>12}" for c in cells))
    cells = []
    for kind in MUTATIONS:
        rows = [out[(f, kind)] for f in families]
        right = sum(sum(r["right"][f] for f in FIELDS) for r in rows)
        total = sum(r["pages"] for r in rows) * len(FIELDS)
        bad = sum(r["leaks"] + r["invented"] for r in rows)
        cells.append(f"{100 * right / total:7.2f}" + (f"({bad})" if bad else "").ljust(5))
    print(f"  {'= all':<12}" + "".join(f"{c:>12}" for c in cells))
    moved = sum(out[(f, "byline")]["applied"] for f in families)
    print(f"  bylines moved on {moved} of {sum(out[(f, 'byline')]['pages'] for f in families)} "
          "pages (the rest print the credit inside a paragraph, or none)")
    for line in misses:
        print("  miss:", line)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=12, help="pages per family")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--show", type=int, default=2, help="misses to print per family and kind")
    ap.add_argument("--families", default="", help="comma-separated families (default all)")
    args = ap.parse_args(argv)
    families = tuple(f for f in args.families.split(",") if f) or TUNED + HELD_OUT
    run(args.pages, args.seed, args.show, families)
    return 0


if __name__ == "__main__":
    sys.exit(main())
