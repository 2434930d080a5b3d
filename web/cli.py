"""The ``unionsearch`` command line, the installed entry point: index, search, stats, delete, serve.

Each command reads its options, calls one function of the layer below and prints the outcome:
``index`` and ``delete`` go to the indexer (``indexer.readers.read``, ``indexer.writer``),
``search`` and ``stats`` to the engine (``search.engine.Engine``), ``serve`` to ``web.server``.
Choices and defaults are the engine's and the readers' constants, never listed here again.
Exit status: 0 all good; 1 some inputs rejected; 2 usage error or unusable index.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from indexer.batch import BATCH_SIZE
from indexer.plural import counted
from indexer.printable import printable
from search.reports.exportlimits import FORMATS as EXPORT_FORMATS
from search.reports.exportlimits import MAX_EXPORT_ROWS
from search.retrieval.request import (
    DEFAULT_SIZE,
    DEFAULT_SORT,
    SORTS,
    BadRequest,
    SearchRequest,
    check_paper_key,
)

from .editcli import COMMANDS as EDIT_COMMANDS
from .opscli import OPERATIONS, issue_date, resolved_settings, serve_settings_options
from .settings import config_path

if TYPE_CHECKING:
    from indexer.papers import Papers
    from indexer.records import Loaded, Rejection
    from search.engine import Engine

# Each command imports the layer below it in its own body: a command loads only what it
# runs (``config`` no index, ``stats`` no readers, ``serve`` no dry run).


class _ReaderFormats(click.Choice):
    """``index --format``'s choices, :data:`indexer.readers.FORMATS`, looked up only when
    a value is checked or the help is shown (the readers are loaded then, not at start)."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        from indexer.readers import FORMATS

        return FORMATS

    @choices.setter
    def choices(self, value: tuple[str, ...]) -> None:
        """Ignored: the choices are always the readers' own."""


index_dir_option = click.option(
    "--index-dir", type=click.Path(file_okay=False), default=None,
    help="Index folder [default: $UNIONSEARCH_INDEX_DIR or ./index_data].")


def resolve_index_dir(value: str | None) -> str:
    """The index folder: ``--index-dir`` if given, else $UNIONSEARCH_INDEX_DIR, else the
    settings file's ``index_dir`` ($UNIONSEARCH_CONFIG), else ./index_data."""
    from search.storage.folder import default_index_dir

    if value or default_index_dir() != "index_data" or not config_path(None):
        return value or default_index_dir()
    return resolved_settings({}, None, only=("index_dir",))["index_dir"]


def say(message: str, err: bool = False) -> None:
    """Print ``message`` as one line: a file name's newline or undecodable bytes escaped
    (:func:`~indexer.watch.printable`), so no name can forge a line of the output."""
    click.echo(printable(message), err=err)


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def json_line(value: object) -> str:
    """``value`` as one line of JSON, Chinese as is; an undecodable byte of a file name
    (a lone surrogate) as its ``\\udcXX`` escape, so the line stays valid UTF-8."""
    text = json.dumps(value, ensure_ascii=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _shown(value: Any) -> Any:
    """``value`` (a dry-run record) with every string made printable."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_shown(v) for v in value]
    if isinstance(value, dict):
        return {k: _shown(v) for k, v in value.items()}
    return value


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code``."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def open_engine(index_dir: str | None) -> Engine:
    """The engine over ``index_dir``; exit 2 with the reason when the index is unusable."""
    from search.engine import Engine
    from search.storage.folder import IndexUnusable

    synonyms = resolved_settings({}, None, only=("synonyms",))["synonyms"]
    try:
        return Engine(resolve_index_dir(index_dir), synonyms_file=synonyms or None)
    except IndexUnusable as exc:
        fail(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Full-text search for a Chinese union daily's archive."""


# -- index, delete: the indexer -------------------------------------------------------------

@cli.command("index")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--date", "date", default=None, help="Issue date for page dumps (YYYY-MM-DD).")
@click.option("--format", "fmt", type=_ReaderFormats(), default="auto", show_default=True)
@click.option("--rebuild", is_flag=True, help="Start a new index from these inputs.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=BATCH_SIZE,
              show_default=True, help="Articles per commit: a crash loses at most one batch.")
@click.option("--wait", type=click.FloatRange(0), default=600.0, show_default=True,
              help="Seconds to wait for another import to finish.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the summary as JSON (with --dry-run: one JSON object per line).")
@click.option("--dry-run", is_flag=True,
              help="Show how each file would be read (articles, bylines, 版面, joined lines); "
                   "write nothing.")
@click.option("--page-images", type=click.Path(file_okay=False), default=None,
              help="With --dry-run: the folder for the annotated image of each PDF or scanned "
                   "page (articles outlined) [default: unionsearch-dry-run in the temp folder].")
@click.option("--paper", "paper", default=None, metavar="KEY",
              help="Every article of this import belongs to the paper KEY (e.g. ldwb); "
                   "else the source's paper column or masthead, else [papers] file patterns.")
@click.option("--config", "config", default=None, type=click.Path(dir_okay=False),
              help="Settings file ([papers]); default $UNIONSEARCH_CONFIG.")
@index_dir_option
def index_cmd(paths: tuple[str, ...], date: str | None, fmt: str, rebuild: bool,
              batch_size: int, wait: float, as_json: bool, dry_run: bool,
              page_images: str | None, paper: str | None, config: str | None,
              index_dir: str | None) -> None:
    """Import files or folders (recursively); re-imports update, never duplicate."""
    from indexer.papers import assign
    from indexer.progress import Progress
    from indexer.readers import read
    from indexer.writer import ImportBusy, StorageError, import_items
    from search.storage.folder import IndexUnusable

    date = issue_date(date)
    target = resolve_index_dir(index_dir)
    papers, forced = paper_rules(paper, config, target)
    if dry_run:
        images = page_images or os.path.join(tempfile.gettempdir(), "unionsearch-dry-run")
        _use_ocr_cache(target)
        sys.exit(_dry_run(assign(read(paths, fmt, date), papers, forced), as_json, target,
                          images))
    progress = Progress(sys.stderr.isatty() and not as_json)
    started = time.monotonic()
    _ocr_first(paths, fmt, target, progress.enabled, config)
    try:
        summary = import_items(target, read(paths, fmt, date), rebuild=rebuild,
                               papers=papers, paper=forced,
                               batch_size=batch_size, wait=wait,
                               notify=lambda m: say(m, err=True), progress=progress)
    except (ImportBusy, StorageError) as exc:  # StorageError: disk full, no permission
        progress.close()
        fail(printable(str(exc)))
    except IndexUnusable as exc:
        progress.close()
        fail(printable(str(exc)))
    except KeyboardInterrupt:
        progress.close()
        click.echo("interrupted: batches committed before the interrupt are kept; "
                   "run the same command again to finish", err=True)
        sys.exit(130)
    progress.close()
    took = time.monotonic() - started
    if as_json:
        click.echo(json_line(summary.as_dict()))
    else:
        for rej in summary.rejected:
            say(f"rejected: {rej}", err=True)
        for skip in summary.skipped:
            say(f"skipped: {skip.source} ({skip.reason.removeprefix('skipped: ')})", err=True)
        for merge in summary.merges:
            say(f"merged: {merge}", err=True)
        say(f"{summary.counts()} in {took:.1f} s → {target}")
    sys.exit(1 if summary.rejected else 0)


def _use_ocr_cache(index_dir: str) -> None:
    """Scanned pages read (and OCR'd) through the cache beside ``index_dir``: a dry run after
    an import shows the pages it read without reading them again."""
    from indexer.printed.scans import cache_dir_for, configure

    configure(cache_dir_for(index_dir))


def _ocr_first(paths: tuple[str, ...], fmt: str, target: str, bar: bool,
               config: str | None) -> None:
    """OCR the scanned pages an import will read, in worker processes, into the cache beside
    the index folder (:mod:`indexer.printed.scans`), each page within the ``ocr_page_limit``
    setting; a progress line on a terminal."""
    from indexer.printed.scans import prepare_import
    from indexer.writer import default_procs

    limit = resolved_settings({}, config, only=("ocr_page_limit",))["ocr_page_limit"]

    def show(line: str) -> None:
        if bar:
            click.echo("\r" + line, err=True, nl=False)

    try:
        done = prepare_import(paths, fmt, target, default_procs(), show, float(limit))
    except KeyboardInterrupt:
        click.echo("\ninterrupted: the pages read so far are kept; run the same command "
                   "again to go on", err=True)
        sys.exit(130)
    if done and bar:
        click.echo("", err=True)


def paper_rules(paper: str | None, config: str | None, index_dir: str) -> tuple[Papers, str]:
    """The ``[papers]`` settings with the index's known papers, and the ``--paper`` key
    (checked; "" when not given).  Exits 2 with the reason for a bad key or settings file."""
    from indexer.papers import Papers
    from search.storage.folder import paper_names

    forced = ""
    if paper is not None:
        try:
            forced = check_paper_key(paper, "--paper")
        except BadRequest as exc:
            fail(str(exc))
    value = resolved_settings({}, config, only=("papers",))["papers"]
    return Papers.from_settings(value, paper_names(index_dir)), forced


def _dry_run(items: Iterable[Loaded | Rejection], as_json: bool, index_dir: str,
             images: str) -> int:
    """Print how ``items`` were read and which would merge with an article of the run or
    of ``index_dir``, and write an annotated image of each printed page read into
    ``images``; exit status 1 when anything was rejected."""
    from indexer.dryrun import PrintedPages, as_text, describe

    articles = rejected = 0
    current = None
    pages = PrintedPages()
    for record in describe(items, index_dir):
        if "rejected" in record:
            rejected += 1
        elif "skipped" not in record:
            articles += 1
            pages.add(record)
        if as_json:
            click.echo(json_line(record))
            continue
        if record["file"] != current:
            current = record["file"]
            say(current)
        click.echo(as_text(_shown(record)))
    for shown, problem in pages.write(images):
        if as_json:
            click.echo(json_line({"page_image": shown} if shown else {"page_image_error": problem}))
        else:
            say(f"page image: {shown}" if shown else f"page image not made: {problem}")
    if not as_json:
        click.echo(f"dry run: {counted(articles, 'article')} read, {rejected} rejected; "
                   "nothing written to the index")
    return 1 if rejected else 0


@cli.command("delete")
@click.argument("ids", nargs=-1, required=True)
@index_dir_option
def delete_cmd(ids: tuple[str, ...], index_dir: str | None) -> None:
    """Remove articles by id."""
    from indexer.writer import ImportBusy, StorageError, delete_ids
    from search.storage.folder import IndexUnusable

    for art_id in ids:  # undecodable argv bytes (surrogate-escaped) cannot be looked up
        try:
            art_id.encode("utf-8")
        except UnicodeEncodeError:
            fail(f"id {art_id.encode('utf-8', 'surrogateescape')!r} is not valid text "
                 "(undecodable bytes); no article has such an id")
    target = resolve_index_dir(index_dir)
    try:
        deleted, missing = delete_ids(target, list(ids),
                                      notify=lambda m: click.echo(m, err=True))
    except (IndexUnusable, ImportBusy, StorageError) as exc:
        fail(str(exc))
    for art_id in missing:
        click.echo(f"not found: {art_id}", err=True)
    click.echo(f"{len(deleted)} deleted, {len(missing)} not found")
    sys.exit(1 if missing else 0)


@cli.command("unmerge")
@click.argument("article_id", required=False)
@click.option("--list", "list_all", is_flag=True,
              help="List the merged articles and the ids of their sources.")
@index_dir_option
def unmerge_cmd(article_id: str | None, list_all: bool, index_dir: str | None) -> None:
    """Undo the merge of ARTICLE_ID: its sources become separate articles again and are
    never merged with each other on later imports."""
    from indexer.merges import NotMerged, merged_articles, unmerge
    from indexer.writer import ImportBusy, StorageError
    from search.storage.folder import IndexUnusable

    target = resolve_index_dir(index_dir)
    try:
        if list_all or not article_id:
            if not article_id and not list_all:
                fail("give the id of a merged article, or --list")
            for kept, sources in merged_articles(target).items():
                click.echo(f"{kept}  ← {', '.join(sources)}")
            return
        ids = unmerge(target, article_id, notify=lambda m: click.echo(m, err=True))
    except NotMerged as exc:
        fail(str(exc), 1)
    except (IndexUnusable, ImportBusy, StorageError) as exc:
        fail(str(exc))
    click.echo(f"unmerged {article_id}: {len(ids)} articles ({', '.join(ids)}), "
               "kept apart from now on")


# -- search, stats: the engine --------------------------------------------------------------

_MARK = re.compile(r"<mark>(.*?)</mark>")


def _plain(html_text: str, color: bool) -> str:
    """Highlighted HTML as terminal text: marks in bold red, or in 【】 when not a terminal."""
    repl = (lambda m: click.style(m.group(1), bold=True, fg="red")) if color else r"【\1】"
    return html.unescape(_MARK.sub(repl, html_text))


@cli.command("search")
@click.argument("query", default="", required=False)
@click.option("--reporter", "reporters", multiple=True, help="Only this reporter (repeatable).")
@click.option("--from", "date_from", default=None, help="From date (inclusive, YYYY-MM-DD).")
@click.option("--to", "date_to", default=None, help="To date (inclusive, YYYY-MM-DD).")
@click.option("--sort", type=click.Choice(SORTS), default=DEFAULT_SORT,
              show_default=True)
@click.option("--paper", "papers", multiple=True, metavar="KEY",
              help="Only this paper (报刊 key, e.g. ldwb; repeatable).")
@click.option("--since", default=None,
              help="Only articles imported since (2022-09-01 or 2022-09-01T08:30, UTC).")
@click.option("--page", default="1", show_default=True)
@click.option("--size", default=str(DEFAULT_SIZE), show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print exactly the body of GET /api/search.")
@click.option("--format", "fmt", type=click.Choice(("text", *EXPORT_FORMATS)), default="text",
              show_default=True, help="csv or xlsx: export the whole result (at most "
              f"{MAX_EXPORT_ROWS:,} articles) to -o FILE.")
@click.option("-o", "--output", default=None, metavar="FILE",
              help="The file --format csv|xlsx writes (csv: - for standard output).")
@click.option("--link-base", default="", metavar="URL",
              help="The service's address (https://intranet.example.org/search), to put "
                   "each exported article's link in the file.")
@click.option("--full-text", is_flag=True,
              help="With --format csv|xlsx: a last column (全文) with each article's text.")
@index_dir_option
def search_cmd(query: str, reporters: tuple[str, ...], date_from: str | None,
               date_to: str | None, sort: str, papers: tuple[str, ...], since: str | None,
               page: str, size: str, as_json: bool, fmt: str, output: str | None,
               link_base: str, full_text: bool, index_dir: str | None) -> None:
    """Ranked hits for QUERY (empty QUERY with filters lists newest first)."""
    try:
        req = SearchRequest.from_params(query, reporters, date_from, date_to, sort, page, size,
                                        papers, since)
    except BadRequest as exc:
        fail(str(exc))
    if fmt != "text" or output is not None:
        _export_to(req, fmt, output, link_base, as_json, index_dir, full_text)
        return
    if full_text:
        fail("--full-text goes with an export: --format csv|xlsx -o FILE")
    engine = open_engine(index_dir)
    result = engine.search(req)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    color = sys.stdout.isatty()
    start = (req.page - 1) * req.size
    click.echo(f"{counted(result['total'], 'article')} ({result['took_ms']} ms)")
    pinyin = result.get("expanded_pinyin", [])
    if synonyms := [w for w in result.get("expanded", []) if w not in pinyin]:
        click.echo("also searched (synonyms): " + "、".join(synonyms))
    if pinyin:
        click.echo("also searched (spelled by pinyin): " + "、".join(pinyin))
    if result.get("suggestion"):
        click.echo(f"did you mean: {result['suggestion']}")
    for n, hit in enumerate(result["hits"], start + 1):
        _print_hit(n, hit, color)
    if result["partial_hits"]:
        click.echo(f"以下结果未包含全部检索词（{result['partial_total']} articles hold some "
                   "of the words）")
        first = start + len(result["hits"]) + 1
        for n, hit in enumerate(result["partial_hits"], first):
            _print_hit(n, hit, color)


def _print_hit(n: int, hit: dict, color: bool) -> None:
    """One hit as two lines (three for a partial match: what it lacks)."""
    who = "、".join(hit["reporters"])
    paper = f"{hit['paper']['name']}  " if hit.get("paper") else ""
    click.echo(f"{n:>3}. {hit['date']}  {paper}{_plain(hit['title_html'], color)}"
               + (f"  [{who}]" if who else "") + f"  id={hit['id']}")
    if hit["missing"]:
        click.echo("     缺少：" + "、".join(hit["missing"]))
    click.echo(f"     {_plain(hit['snippet'], color)}")


def _export_to(req: SearchRequest, fmt: str, output: str | None, link_base: str,
               as_json: bool, index_dir: str | None, full_text: bool = False) -> None:
    """``search --format csv|xlsx -o FILE``: the whole result as a file (search.reports.export)."""
    from search.reports.export import link_maker, write_export

    if as_json:
        fail("--json and --format csv|xlsx exclude each other")
    if fmt == "text" or (output in (None, "-") and fmt == "xlsx"):
        fail("an export needs --format csv -o FILE or --format xlsx -o FILE")
    if link_base and not re.match(r"^https?://[^\s/]+", link_base):
        fail(f"--link-base must be an address like https://intranet.example.org/search, "
             f"not {link_base!r}")
    try:
        exp = open_engine(index_dir).export(req, full_text=full_text)
    except BadRequest as exc:  # TooManyRows: narrow the query
        fail(str(exc))
    link = link_maker(link_base)
    if output in (None, "-"):
        write_export(exp, fmt, sys.stdout.buffer, link)
        return
    try:
        with open(output, "wb") as fh:
            write_export(exp, fmt, fh, link)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    click.echo(f"{counted(exp.total, 'article')} written to {output}", err=True)


@cli.command("stats")
@click.option("--json", "as_json", is_flag=True)
@index_dir_option
def stats_cmd(as_json: bool, index_dir: str | None) -> None:
    """Documents, issues, date range, reporters, size on disk."""
    stats = open_engine(index_dir).stats()
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False))
        return
    size_mb = stats["index_bytes"] / 1e6
    click.echo(f"documents: {stats['documents']}\nissues:    {stats['issues']}\n"
               f"dates:     {stats['date_from']} – {stats['date_to']}\n"
               f"reporters: {stats['reporters']}\nsize:      {size_mb:.1f} MB "
               f"({stats['index_dir']})")


@cli.command("flagged")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@index_dir_option
def flagged_cmd(as_json: bool, index_dir: str | None) -> None:
    """Articles of scanned pages OCR read with little confidence: check them against the
    page (their article page shows it)."""
    from indexer.printed.flagged import flagged_articles

    open_engine(index_dir)  # the same checks and messages as the other commands
    found = flagged_articles(resolve_index_dir(index_dir))
    for f in found:
        if as_json:
            click.echo(json_line(f))
        else:
            say(f"{f['date']}  {f['page'] or '-':>3}  {f['confidence']:.2f}  {f['id']}  "
                f"{f['title']}  ({f['file']}, page {f['file_page']})")
    if not as_json:
        say(f"{counted(len(found), 'flagged article')}")


# -- serve: the web app ---------------------------------------------------------------------

@cli.command("serve")
@click.option("--host", default=None, help="Address to listen on [default: 127.0.0.1].")
@click.option("--port", default=None, type=click.IntRange(1, 65535),
              help="Port [default: 8000].")
@click.option("--threads", default=None, type=click.IntRange(1, 64),
              help="Worker threads [default: 8].")
@click.option("--debug", is_flag=True, help="Flask's development server with reloader.")
@click.option("--sample-if-empty", is_flag=True,
              help="Build the index from the bundled sample page when there is none.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="An origin whose pages may call the JSON API (repeatable) "
                   "[default: $UNIONSEARCH_CORS_ORIGINS, comma-separated; none].")
@click.option("--frame-origin", "frame_origins", multiple=True, metavar="ORIGIN",
              help="An origin whose pages may frame /embed (repeatable) "
                   "[default: $UNIONSEARCH_FRAME_ORIGINS, comma-separated; none].")
@click.option("--prefix", default=None, metavar="PATH",
              help="Path prefix behind a reverse proxy, e.g. /search/ "
                   "[default: $UNIONSEARCH_PREFIX; X-Forwarded-Prefix is honoured too].")
@click.option("--trusted-proxy", "trusted_proxies", multiple=True, metavar="ADDRESS",
              help="A reverse proxy (IP or network, * for any) whose X-Forwarded-Proto, "
                   "-Host and -Prefix are believed (repeatable) "
                   "[default: $UNIONSEARCH_TRUSTED_PROXIES, comma-separated; else loopback].")
@click.option("--site-title", default=None,
              help="Name shown on every page "
                   "[default: $UNIONSEARCH_SITE_TITLE or 劳动报刊全文检索].")
@serve_settings_options
@index_dir_option
def serve_cmd(debug: bool, sample_if_empty: bool, config: str | None, **flags) -> None:
    """Serve the web app and API.
    \f
    Through waitress (Flask's own server with ``--debug``) until SIGTERM.  Each setting
    comes from its option, else the environment, else ``--config FILE``, else its
    default (``web.settings``; ``unionsearch config`` shows which).
    """
    from .server import serve
    from .settings import resolve

    settings = resolved_settings(flags, config)
    serve(settings, debug=debug, sample_if_empty=sample_if_empty,
          reread=lambda: resolve(flags, config))


for _command in OPERATIONS:  # config, check, backup, restore, watch, optimize: web/opscli.py
    cli.add_command(_command)
for _command in EDIT_COMMANDS:  # user, corrections: web/editcli.py
    cli.add_command(_command)


def main() -> None:
    """The installed ``unionsearch`` script (``[project.scripts]`` in pyproject.toml).
    A damaged (or crafted) index file met by any command exits 2 with what to run."""
    try:
        cli(prog_name="unionsearch")  # the usage line names the command however it was started
    except Exception as exc:  # what the index's modules raise, looked up once one is raised
        import sqlite3

        from indexer.corrections import damaged_database
        from search.storage.folder import DAMAGE

        if isinstance(exc, DAMAGE):
            fail(f"{exc}; the index is damaged: run unionsearch check, then restore a backup "
                 "or rebuild")
        if isinstance(exc, sqlite3.DatabaseError) and damaged_database(exc):
            # merges.db or corrections.db, met mid-read
            fail(f"{_damaged_databases(exc)}: run unionsearch check, then restore a backup")
        raise


def _damaged_databases(exc: Exception) -> str:
    """Which SQLite file of the command's index folder is damaged (SQLite's error does
    not say), found by its own check; the error itself when none is found."""
    from indexer.check import DATABASES, database_problem
    from search.storage.folder import default_index_dir

    args = sys.argv[1:]
    folder = next((a.split("=", 1)[1] for a in args if a.startswith("--index-dir=")), None)
    if folder is None and "--index-dir" in args[:-1]:
        folder = args[args.index("--index-dir") + 1]
    folder = Path(folder or default_index_dir())
    found = [p for name in DATABASES if (folder / name).exists()
             for p in [database_problem(folder / name, quick=True)] if p]
    return "; ".join(found) or f"an SQLite file of the index in {folder} is damaged ({exc})"
