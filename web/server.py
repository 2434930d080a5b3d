"""Running the app: waitress in production, Flask's reloader with ``--debug``."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import click

from indexer.plural import counted
from search.storage.folder import IndexUnusable, exists

from .settings import Settings

SAMPLE_PAGE = os.path.join(os.path.dirname(__file__), "sample", "page-2022-09-30.txt")


def build_sample(index_dir: str) -> None:
    """Import the bundled sample page so a fresh checkout has something to search."""
    from indexer.readers import read
    from indexer.writer import import_items

    summary = import_items(index_dir, read([SAMPLE_PAGE]))
    click.echo(f"built a sample index in {index_dir}: {counted(summary.added, 'article')} "
               f"from {os.path.basename(SAMPLE_PAGE)}", err=True)


def serve(settings: Settings, debug: bool = False, sample_if_empty: bool = False,
          reread: Callable[[], Settings] | None = None) -> None:
    """Serve with the effective ``settings`` (:mod:`web.settings`) until SIGTERM.

    ``reread`` gives the settings anew (file and environment) when SIGHUP arrives.
    """
    from .app import create_app
    from .lifecycle import ListenError, apply_settings, install_operations, run_waitress

    index_dir = settings["index_dir"]
    if sample_if_empty and not exists(index_dir):
        build_sample(index_dir)
    try:
        app = create_app(settings=settings)
    except (IndexUnusable, ValueError) as exc:  # exit status 2: unusable index or setting
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    access = install_operations(app, settings)
    host, port = settings["host"], settings["port"]
    click.echo(f"serving {index_dir} on http://{host}:{port}{app.config['PREFIX']}/"
               + (" (metrics at /metrics)" if settings["metrics"] else ""), err=True)
    if debug:
        app.run(host=host, port=port, debug=True, threaded=True)
        return
    current = [settings]

    def reload() -> None:
        if reread is not None:
            current[0] = apply_settings(app, access, current[0], reread())

    workers = []

    def listening() -> None:  # the worker processes, once the address is ours
        pool = start_workers(app, settings)
        if pool is not None:
            workers.append(pool)

    def between(when_quiet) -> bool:  # noqa: ANN001 - forked once the engine is ready
        return not workers or workers[0].fork_when_quiet(when_quiet)

    try:
        run_waitress(app, host, port, settings["threads"], reload, listening, between)
    except ListenError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.status)
    finally:
        for pool in workers:
            pool.close()


def start_workers(app, settings: Settings):  # noqa: ANN001, ANN201 - Flask, WorkerPool | None
    """The pool computing costly requests (:mod:`web.workers`), put on the app, its workers
    to be forked from this process (:meth:`~web.workers.WorkerPool.fork_when_quiet`); None
    when ``workers`` is 0."""
    from .costly import POOL
    from .workers import WorkerPool

    if not settings["workers"]:
        return None
    from .views import ENGINE

    workers = WorkerPool(settings["index_dir"], settings["synonyms"] or None,
                         size=settings["workers"], timeout=settings["worker_timeout"],
                         nice=settings["worker_nice"], engine=app.extensions[ENGINE])
    app.extensions[POOL] = workers
    return workers
