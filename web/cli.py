"""The installed ``unionsearch`` entry point: the indexer's commands plus ``serve``."""

from __future__ import annotations

import click

from indexer.cli import cli, index_dir_option, resolve_index_dir


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
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
@index_dir_option
def serve_cmd(host, port, threads, debug, sample_if_empty, cors_origins, frame_origins, prefix,
              trusted_proxies, site_title, index_dir):
    """Serve the web app and API."""
    from .server import serve

    serve(resolve_index_dir(index_dir), host=host, port=port, threads=threads, debug=debug,
          sample_if_empty=sample_if_empty, cors_origins=list(cors_origins) or None,
          frame_origins=list(frame_origins) or None, prefix=prefix, site_title=site_title,
          trusted_proxies=list(trusted_proxies) or None)


def main() -> None:
    cli()
