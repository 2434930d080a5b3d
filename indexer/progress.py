"""A one-line progress display for ``unionsearch index`` on a terminal."""

from __future__ import annotations

import os
import time

import click

from .plural import counted
from .records import Loaded, Rejection
from .writer import Summary


class Progress:
    """Articles done, rate and rejections on one stderr line, redrawn at most every 0.2 s;
    silent when not ``enabled`` (not a terminal, or ``--json``)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.started = time.monotonic()
        self.last = 0.0
        self.source = ""

    def __call__(self, item: Loaded | Rejection, summary: Summary) -> None:
        """Note ``item``'s file and redraw the line if it is due."""
        if isinstance(item, Loaded):
            self.source = item.source
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.2:
            return
        self.last = now
        done = summary.seen
        rate = done / max(now - self.started, 1e-6)
        bar = "#" * min(20, int(now - self.started) % 21)
        click.echo(f"\r[{bar:<20}] {counted(done, 'article')}, {rate:.0f}/s, "
                   f"{len(summary.rejected)} rejected  {os.path.basename(self.source)[:30]:<30}",
                   err=True, nl=False)

    def close(self) -> None:
        """Blank the line, so that what is printed next starts clean."""
        if self.enabled:
            click.echo("\r" + " " * 100 + "\r", err=True, nl=False)
