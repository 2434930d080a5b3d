"""The operations commands of ``unionsearch``: config, check, backup, restore, watch,
optimize.

Why a module of their own: they are what the IT colleague runs (from a unit file, cron
or by hand), not what a reader runs; ``web.cli`` adds them to its group.  Each reads its
options, calls one function of the layer below and prints what it did.  Usage errors
and unusable indexes exit 2 with ``error: …`` on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

from indexer.plural import counted

from .settings import LOG_FORMATS, Settings, SettingsError, describe, resolve


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code``."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def resolved_settings(flags: dict[str, Any], config: str | None,
                      only: tuple[str, ...] | None = None) -> Settings:
    """The effective settings (``only`` these keys), or exit 2 naming the file, line and
    reason."""
    try:
        return resolve(flags, config, only=only)
    except SettingsError as exc:
        fail(str(exc))


config_option = click.option(
    "--config", default=None, metavar="FILE",
    help="Settings file (unionsearch.toml) [default: $UNIONSEARCH_CONFIG; none].")


def serve_settings_options(func: Callable) -> Callable:
    """``serve``'s options that exist only through the settings file's keys."""
    options = (
        config_option,
        click.option("--metrics/--no-metrics", default=None,
                     help="Serve /metrics in the Prometheus text format [default: off]."),
        click.option("--log-format", type=click.Choice(LOG_FORMATS), default=None,
                     help="Access log, one line per request [default: common]."),
        click.option("--log-queries/--no-log-queries", default=None,
                     help="Write the query text into the access log [default: off: "
                          "search logs can be personal]."),
        click.option("--synonyms", default=None, metavar="FILE",
                     help="Synonyms file [default: $UNIONSEARCH_SYNONYMS]."),
    )
    for option in reversed(options):
        func = option(func)
    return func


@click.command("config")
@config_option
@click.option("--index-dir", default=None, help="As for serve.")
def config_cmd(config: str | None, index_dir: str | None) -> None:
    """Print the effective settings and where each came from.
    \f
    The same resolution as ``serve``: flags, environment, ``--config``/$UNIONSEARCH_CONFIG,
    defaults.  A bad file exits 2 with its line and the reason.
    """
    for line in describe(resolved_settings({"index_dir": index_dir}, config)):
        click.echo(line)


def _index_dir(value: str | None, config: str | None) -> str:
    """``--index-dir``, else the environment, else the settings file, else ./index_data."""
    return resolved_settings({"index_dir": value}, config, only=("index_dir",))["index_dir"]


index_dir_option = click.option("--index-dir", default=None,
                                help="Index folder [default: as for serve].")


@click.command("check")
@click.option("--quick", is_flag=True,
              help="Skip re-deriving the postings from the stored text (the slow part).")
@click.option("--sample", type=click.IntRange(0, 10_000), default=20, show_default=True,
              help="Phrases cut from stored articles, each searched and scanned for.")
@click.option("--seed", type=int, default=None, help="Seed for the sample (to repeat it).")
@index_dir_option
@config_option
def check_cmd(quick: bool, sample: int, seed: int | None, index_dir: str | None,
              config: str | None) -> None:
    """Verify the index; print a verdict and the fix for each problem.
    \f
    Exit status 0 sound, 2 damaged (or no index).
    """
    from indexer.check import check_index, report_lines

    verdict = check_index(_index_dir(index_dir, config), quick=quick, sample=sample,
                          seed=seed)
    for line in report_lines(verdict):
        click.echo(line, err=line.startswith(("problem", "  fix")))
    sys.exit(0 if verdict.sound else 2)


@click.command("backup")
@click.argument("dest")
@index_dir_option
@config_option
def backup_cmd(dest: str, index_dir: str | None, config: str | None) -> None:
    """Copy the index's last committed generation into the new folder DEST.
    \f
    Safe while the service serves and imports run (see ``indexer.backup``).
    """
    from indexer.backup import BackupError, backup

    source = _index_dir(index_dir, config)
    try:
        done = backup(source, dest)
    except (BackupError, OSError) as exc:
        fail(str(exc))
    click.echo(f"backed up generation {done.generation} of {source}: "
               f"{counted(done.documents, 'article')} in {counted(done.segments, 'segment')}, "
               f"{done.bytes / 1e6:.1f} MB → {dest}")


@click.command("restore")
@click.argument("src")
@click.option("--force", is_flag=True, help="Replace the index that is there.")
@click.option("--wait", type=click.FloatRange(0), default=600.0, show_default=True,
              help="Seconds to wait for a running import to finish.")
@index_dir_option
@config_option
def restore_cmd(src: str, force: bool, wait: float, index_dir: str | None,
                config: str | None) -> None:
    """Put the backup SRC back as the index (refuses to replace one without --force)."""
    from indexer.backup import BackupError, restore
    from indexer.writer import ImportBusy

    target = _index_dir(index_dir, config)
    try:
        done = restore(src, target, force=force, wait=wait,
                       notify=lambda m: click.echo(m, err=True))
    except (BackupError, ImportBusy, OSError) as exc:
        fail(str(exc))
    click.echo(f"restored generation {done.generation} from {src}: "
               f"{counted(done.documents, 'article')} in {counted(done.segments, 'segment')} "
               f"→ {target}")


@click.command("watch")
@click.argument("folder", metavar="DIR")
@click.option("--settle", type=click.FloatRange(0.1, 3600), default=1.0, show_default=True,
              help="Seconds a file must stay unchanged before it is imported.")
@click.option("--rescan", type=click.FloatRange(1, 86400), default=60.0, show_default=True,
              help="Seconds between full scans of DIR (for events a file system drops).")
@click.option("--poll", is_flag=True,
              help="Poll DIR instead of file events (network mounts).")
@click.option("--date", "date", default=None, metavar="YYYY-MM-DD",
              help="Issue date for page dumps whose name and text carry none (as for index).")
@click.option("--paper", "paper", default=None, metavar="KEY",
              help="Every article imported belongs to the paper KEY (as for index); the "
                   "settings file's [papers] apply as they do to index.")
@index_dir_option
@config_option
def watch_cmd(folder: str, settle: float, rescan: float, poll: bool, date: str | None,
              paper: str | None, index_dir: str | None, config: str | None) -> None:
    """Import new and changed files dropped into DIR as they arrive.
    \f
    Runs until SIGTERM, which it obeys between files.  See ``indexer.watch``.  Exit
    status 2: no folder or an unusable index; 3: an unexpected error (a bug: the message
    and the traceback say where).  Neither is cured by restarting the watch, and a file it
    cannot import never stops it.
    """
    import os
    import traceback

    from indexer.watch import IndexUnusable, printable, watch
    from search.retrieval.request import BadRequest, check_paper_key

    if not os.path.isdir(folder):
        fail(f"{printable(folder)} is not a folder; give the drop folder to watch")
    date = issue_date(date)
    target = _index_dir(index_dir, config)
    papers = resolved_settings({}, config, only=("papers",))["papers"]
    try:
        forced = check_paper_key(paper, "--paper") if paper is not None else ""
    except BadRequest as exc:
        fail(str(exc))

    def say(line: str, problem: bool) -> None:
        click.echo(line, err=problem)
        (sys.stderr if problem else sys.stdout).flush()

    try:
        watch(folder, target, say, settle=settle, rescan=rescan, poll=poll, date=date,
              papers=papers, paper=forced)
    except (IndexUnusable, OSError) as exc:  # OSError: the folder cannot be watched
        fail(printable(str(exc)))
    except Exception as exc:  # noqa: BLE001 - a bug: said, and not restarted blindly
        for line in traceback.format_exc().splitlines():
            click.echo(printable(line), err=True)
        fail(f"the watch stopped on an unexpected error ({printable(repr(exc))}); "
             "restarting it would meet the same error: see the lines above", WATCH_BUG)


WATCH_BUG = 3  # watch's exit status for an unexpected error (deploy: RestartPreventExitStatus)


def issue_date(date: str | None) -> str | None:
    """``--date`` as an ISO date within the archive's range, or exit 2 saying why not."""
    if date is None:
        return None
    from indexer.records import date_problem, parse_date

    iso = parse_date(date)
    if iso is None:
        fail(f"--date must be a date like 2022-09-30, not {date!r}")
    problem = date_problem(iso)
    if problem:
        fail(f"--date: {problem}")
    return iso


@click.command("optimize")
@click.option("--segments", type=click.IntRange(1, 1000), default=1, show_default=True,
              help="Merge down to this many segments (more if one would pass "
                   "262,144 articles).")
@click.option("--tiered", is_flag=True,
              help="Only the merges the tiered policy has due (what imports start "
                   "in the background).")
@click.option("--wait", type=click.FloatRange(0), default=600.0, show_default=True,
              help="Seconds to wait for a merge already running.")
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
@index_dir_option
@config_option
def optimize_cmd(segments: int, tiered: bool, wait: float, as_json: bool,
                 index_dir: str | None, config: str | None) -> None:
    """Merge the index's segments: fewer segments, faster queries.
    \f
    Runs beside imports and searches (see ``indexer.optimize``); exit 2 for no index.
    """
    import json

    from indexer.optimize import MergeBusy, optimize
    from search.storage.folder import IndexUnusable

    try:
        done = optimize(_index_dir(index_dir, config), segments=segments, tiered=tiered,
                        wait=wait)
    except (MergeBusy, IndexUnusable, OSError) as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps(done.as_dict()))
    else:
        click.echo(f"{counted(done.before, 'segment')} -> {done.after}: "
                   f"{len(done.merged)} merged "
                   f"({counted(sum(done.merged), 'article', thousands=True)}) "
                   f"in {done.seconds:.1f} s")


OPERATIONS: list[click.Command] = [config_cmd, check_cmd, backup_cmd, restore_cmd, watch_cmd,
                                   optimize_cmd]
