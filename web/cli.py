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
@index_dir_option
def serve_cmd(host, port, threads, debug, sample_if_empty, index_dir):
    """Serve the web app and API."""
    from .server import serve

    serve(resolve_index_dir(index_dir), host=host, port=port, threads=threads, debug=debug,
          sample_if_empty=sample_if_empty)


def main() -> None:
    cli()
