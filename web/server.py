"""Running the app: waitress in production, Flask's reloader with ``--debug``."""

from __future__ import annotations

import os
import sys

import click

from search.index import IndexUnusable, exists

SAMPLE_PAGE = os.path.join(os.path.dirname(__file__), "sample", "page-2022-09-30.txt")


def build_sample(index_dir: str) -> None:
    """Import the bundled sample page so a fresh checkout has something to search."""
    from indexer.readers import read
    from indexer.writer import import_items

    summary = import_items(index_dir, read([SAMPLE_PAGE]))
    click.echo(f"built a sample index in {index_dir}: {summary.added} articles "
               f"from {os.path.basename(SAMPLE_PAGE)}", err=True)


def serve(index_dir: str, host: str = "127.0.0.1", port: int = 8000, threads: int = 8,
          debug: bool = False, sample_if_empty: bool = False, **settings) -> None:
    """Serve ``index_dir``.  ``settings`` go to :func:`web.app.create_app` (cors_origins,
    frame_origins, prefix, site_title, trusted_proxies); unset ones come from the
    environment."""
    from .app import create_app

    if sample_if_empty and not exists(index_dir):
        build_sample(index_dir)
    try:
        app = create_app(index_dir=index_dir, **settings)
    except (IndexUnusable, ValueError) as exc:  # exit status 2: unusable index or setting
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    prefix = app.config["PREFIX"]
    click.echo(f"serving {index_dir} on http://{host}:{port}{prefix}/", err=True)
    if debug:
        app.run(host=host, port=port, debug=True, threaded=True)
        return
    import waitress

    # waitress would clear X-Forwarded-Proto/-Host from all but one trusted address;
    # web.app.ForwardedMiddleware decides instead, from --trusted-proxy (default loopback).
    waitress.serve(app, host=host, port=port, threads=threads, ident="unionsearch",
                   clear_untrusted_proxy_headers=False)
