"""``unionsearch index --dry-run``: how each file would be read, with nothing written.

Why: a new source (another paper's page dumps, another e-paper template) is checked by an
editor before it goes into the archive; what the readers made of each article — headline
block, bylines, 版面, where the body starts and ends, which lines were joined across column
breaks, and why the reader decided so (where an article starts, how its headline block was
read) — is what decides whether it can be found later.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import ExitStack

from search.storage import folder as sindex

from .merges import DryRun
from .mergestore import MergeStore
from .readers.html import SOURCE
from .records import Loaded, Rejection, Skipped
from .writer import article_problem

EDGE = 24  # characters shown from each end of a body


def _edges(body: str) -> tuple[str, str]:
    flat = " ".join(body.split())
    return flat[:EDGE], flat[-EDGE:] if len(flat) > EDGE else ""


def describe(items: Iterable[Loaded | Rejection], index_dir: str | None = None
             ) -> Iterator[dict]:
    """One record per article read or input rejected, in input order; an article that
    would merge with an earlier one of the run, or with one in ``index_dir`` (when it
    holds a usable index), says with which (``merge``)."""
    with ExitStack() as stack:
        yield from _describe(items, _merges(index_dir, stack))


def _merges(index_dir: str | None, stack: ExitStack) -> DryRun:
    """The merge check of a dry run, over the index when there is a usable one."""
    if index_dir and sindex.exists(index_dir):
        try:
            store = MergeStore(index_dir, read_only=True)
            searcher = stack.enter_context(sindex.open_index(index_dir).searcher())
            return DryRun(searcher, store)
        except sindex.IndexUnusable:
            pass  # the import itself will say why; the dry run compares within the run
    return DryRun(None, MergeStore(index_dir or ".", read_only=True))


def _describe(items: Iterable[Loaded | Rejection], merges: DryRun) -> Iterator[dict]:
    for item in items:
        if isinstance(item, Skipped):
            yield {"file": item.source, "where": item.where, "skipped": item.reason}
            continue
        if isinstance(item, Rejection):
            yield {"file": item.source, "where": item.where, "rejected": item.reason}
            continue
        art = item.article
        problem = article_problem(art)  # what the import would reject (a date out of range)
        if problem:
            yield {"file": item.source, "where": item.where, "rejected": problem}
            continue
        notes = list(getattr(item, "notes", None) or [])
        first, last = _edges(art.body)
        yield {
            "file": item.source,
            "where": item.where,
            "id": art.stable_id(),
            "kicker": art.kicker,
            "title": art.title,
            "subtitle": art.subtitle,
            "reporters": list(art.reporters),
            "date": art.date,
            "page": art.page,
            "body_chars": len(art.body),
            "body_start": first,
            "body_end": last,
            "joined": [n for n in notes if not n.startswith(SOURCE)],
            # where each field came from (e-paper pages: comment, visible heading, file name…)
            "sources": [n[len(SOURCE):] for n in notes if n.startswith(SOURCE)],
            "why": list(getattr(item, "why", None) or []),
            "merge": _merge_record(merges, art),
            # where a PDF's or a scan's article was printed (page, regions in points)
            **({"printed": art.printed} if art.printed else {}),
        }


def _merge_record(merges: DryRun, art) -> dict | None:  # noqa: ANN001 - an Article
    found = merges.check(art)
    if found is None:
        return None
    return {"with": found.into, "reason": found.match.reason,
            "similarity": found.match.similarity}


class PrintedPages:
    """The printed pages a dry run read (PDF pages, scans), with their articles' regions,
    to draw each page once with every article outlined (:mod:`indexer.printed.annotate`)."""

    def __init__(self) -> None:
        self.pages: dict[tuple[str, int], tuple[list[float], list]] = {}

    def add(self, record: dict) -> None:
        """Remember the regions of an article record that has a printed place."""
        printed = record.get("printed")
        if not printed:
            return
        from .printed.annotate import Outline

        key = (printed["file"], printed["page"])
        _, outlines = self.pages.setdefault(key, (printed["size"], []))
        label = f"{len(outlines) + 1} {record['title'][:12] or '（无标题）'}"
        outlines.append(Outline(label, printed["regions"]))

    def write(self, folder: str) -> Iterator[tuple[str, str]]:
        """(image path, "") for each page drawn into ``folder``, ("", why) when one failed."""
        from .printed.annotate import annotate

        for (path, index), (size, outlines) in self.pages.items():
            try:
                yield annotate(path, index, (size[0], size[1]), outlines, folder), ""
            except Exception as exc:  # noqa: BLE001 - a picture never fails the dry run
                yield "", f"{path} page {index + 1}: {exc}"


def as_text(record: dict) -> str:
    """A few indented lines for a terminal."""
    where = f"  [{record['where']}]" if record.get("where") else ""
    if "skipped" in record:
        return f"  – {record['skipped']}"
    if "rejected" in record:
        return f"  ✗ rejected{where}: {record['rejected']}"
    lines = []
    if record["kicker"]:
        lines.append(f"    引题  {record['kicker']}")
    lines.append(f"  ● 标题  {record['title'] or '（无标题）'}{where}")
    if record["subtitle"]:
        lines.append(f"    副题  {record['subtitle']}")
    page = f"第{record['page']}版" if record["page"] else "版面未知"
    lines.append(f"    记者  {'、'.join(record['reporters']) or '—'}    日期  {record['date']}"
                 f"    {page}    id {record['id']}")
    body = record["body_start"] + (f" … {record['body_end']}" if record["body_end"] else "")
    lines.append(f"    正文  {record['body_chars']} 字：{body}")
    for reason in record.get("why", []):
        lines.append(f"    依据  {reason}")
    for join in record["joined"]:
        lines.append(f"    接行  {join}")
    for source in record.get("sources", []):
        lines.append(f"    来源  {source}")
    printed = record.get("printed")
    if printed:
        boxes = "  ".join("[" + ",".join(f"{v:.0f}" for v in box) + "]"
                          for box in printed["regions"])
        lines.append(f"    版面图  page {printed['page'] + 1}, {len(printed['regions'])} "
                     f"region(s) in points: {boxes}")
    merge = record.get("merge")
    if merge:
        lines.append(f"    合并  would merge with {merge['with']} ({merge['reason']}, "
                     f"similarity {merge['similarity']:.2f})")
    return "\n".join(lines)
