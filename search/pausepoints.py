"""Named steps where a test can stop this process, to act at a known moment.

With ``UNIONSEARCH_PAUSE_AT=commit,merge-built`` in its environment, a process stops
itself (SIGSTOP) each time it reaches one of the named steps; the test that started it
looks at the index, kills it or lets it go on (SIGCONT).  Crash and concurrency tests
use it instead of sleeping and hoping to land in a window.  Unset, as everywhere
outside tests, a step costs one set lookup.

Steps: ``index-created`` (``unionsearch.json`` written, no table of contents yet),
``commit`` (a generation's segment files in the index folder, its table of contents
not yet written), ``committed`` (just after it is written), ``merge-built`` (a merged
segment built in the staging folder, not yet moved in), ``lock-wait`` (the import lock
is held elsewhere and this process is about to wait for it), ``watch-changed`` (the
watcher has seen a file new or changed, and starts waiting for it to settle),
``correction-recorded`` (an editor's correction and its audit entry are saved in
``corrections.db``, the index not yet written: :mod:`indexer.editing`), ``ocr-page`` (an
OCR worker of an import has been given a scanned page and not yet read it: a page that
never finishes, for the limit per page, :mod:`indexer.printed.scans`).
"""

from __future__ import annotations

import os
import signal
import threading

ENV = "UNIONSEARCH_PAUSE_AT"
_NAMES = frozenset(n.strip() for n in os.environ.get(ENV, "").split(",") if n.strip())


def pause_point(name: str) -> None:
    """Stop this process here when ``$UNIONSEARCH_PAUSE_AT`` names ``name``.

    The stop is sent to the calling thread, not to the process: a signal sent to a
    process may be taken by another of its threads (a server's main thread), which then
    stops the others only once the scheduler runs it, while this thread goes on past
    the step; sent to this thread, it stops here before the next line runs."""
    if name in _NAMES:
        signal.pthread_kill(threading.get_ident(), signal.SIGSTOP)
