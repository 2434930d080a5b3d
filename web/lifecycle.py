"""The service's life under a supervisor: graceful SIGTERM, SIGHUP reloads.

Why: systemd stops a service with SIGTERM and reloads it with SIGHUP
(``ExecReload=kill -HUP $MAINPID``).  Python's default for SIGTERM kills the process
mid-response; here SIGTERM stops accepting connections, lets the requests in flight
finish (at most :data:`DRAIN_SECONDS`) and exits 0.  SIGHUP re-reads the settings
file and applies what can change without a restart (see ``reloadable`` in
:mod:`web.settings`); the rest is named in the log as needing a restart.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

from flask import Flask
from waitress import wasyncore
from waitress.server import create_server

from .accesslog import AccessLogSettings, install_access_log
from .settings import Resolved
from .views import ENGINE as ENGINE_KEY

log = logging.getLogger("unionsearch.web")

DRAIN_SECONDS = 30.0
POLL_SECONDS = 0.2


def _busy(server) -> bool:
    """Whether any connection still has a request in progress or bytes to send."""
    return any(ch.requests or ch.total_outbufs_len
               for ch in list(server.active_channels.values()))


def _install_signals(stop: threading.Event, reload: Callable[[], None]) -> None:
    reloads = threading.Event()

    def on_term(signum, frame) -> None:
        stop.set()

    def on_hup(signum, frame) -> None:
        reloads.set()

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, on_hup)

    def reloader() -> None:  # not in the handler: reading files there could deadlock
        while True:
            reloads.wait()
            reloads.clear()
            try:
                reload()
            except Exception as exc:  # noqa: BLE001 - a bad reload keeps the old settings
                log.error("SIGHUP: not reloaded (%s); the previous settings stay", exc)

    threading.Thread(target=reloader, name="sighup-reload", daemon=True).start()


def run_waitress(app: Flask, host: str, port: int, threads: int,
                 reload: Callable[[], None]) -> None:
    """Serve ``app`` until SIGTERM (or Ctrl-C), then drain and return."""
    # waitress would clear X-Forwarded-Proto/-Host from all but one trusted address;
    # web.app.ForwardedMiddleware decides instead, from --trusted-proxy (default loopback).
    server = create_server(app, host=host, port=port, threads=threads, ident="unionsearch",
                           clear_untrusted_proxy_headers=False)
    stop = threading.Event()
    _install_signals(stop, reload)
    while not stop.is_set():
        wasyncore.loop(timeout=POLL_SECONDS, map=server._map, count=1)
    _say(f"stopping: no new connections; finishing "
               f"{sum(1 for c in server.active_channels.values() if c.requests)} "
               "request(s) in flight")
    wasyncore.dispatcher.close(server)  # the listening socket only: the trigger stays
    deadline = time.monotonic() + DRAIN_SECONDS
    while _busy(server) and time.monotonic() < deadline:
        wasyncore.loop(timeout=POLL_SECONDS, map=server._map, count=1)
    server.task_dispatcher.shutdown(cancel_pending=False, timeout=DRAIN_SECONDS)
    wasyncore.close_all(server._map)
    _say("stopped")


def _say(message: str) -> None:
    """A line on stderr (the journal under systemd)."""
    print(message, file=sys.stderr, flush=True)


def install_operations(app: Flask, settings: Resolved) -> AccessLogSettings:
    """The access log, and ``/metrics`` when asked for; returns the log's live settings."""
    from .metrics import install_metrics

    access = install_access_log(app, AccessLogSettings(settings["log_format"],
                                                       settings["log_queries"]))
    if settings["metrics"]:
        install_metrics(app, app.extensions[ENGINE_KEY])
    return access


def apply_settings(app: Flask, access: AccessLogSettings, old: Resolved,
                   new: Resolved) -> Resolved:
    """Apply what changed from ``old`` to ``new`` that needs no restart; returns what is
    now in effect (``new``'s reloadable values, ``old``'s others)."""
    from .app import _origins, trusted_networks
    from .settings import SETTINGS

    values = dict(old.values)
    for s in SETTINGS:
        if new[s.key] == old[s.key]:
            continue
        if not s.reloadable:
            log.warning("SIGHUP: %s changed; it takes effect at the next restart", s.key)
            continue
        values[s.key] = new[s.key]
        log.warning("SIGHUP: %s is now %r", s.key, new[s.key])
    app.config["SITE_TITLE"] = values["site_title"]
    app.config["CORS_ORIGINS"] = _origins(values["cors_origins"], "cors_origins")
    app.config["FRAME_ORIGINS"] = _origins(values["frame_origins"], "frame_origins")
    trusted = trusted_networks(values["trusted_proxies"] or None)
    if hasattr(app.wsgi_app, "trusted"):  # web.app.ForwardedMiddleware
        app.wsgi_app.trusted = trusted
    access.fmt, access.with_queries = values["log_format"], values["log_queries"]
    if values["synonyms"]:
        os.environ["UNIONSEARCH_SYNONYMS"] = values["synonyms"]
    else:
        os.environ.pop("UNIONSEARCH_SYNONYMS", None)
    engine = app.extensions.get(ENGINE_KEY)
    reload_synonyms = getattr(engine, "reload_synonyms", None)
    if callable(reload_synonyms):
        reload_synonyms()
    return type(old)(values, {**old.sources, **{k: new.sources[k] for k in values
                                                if values[k] == new[k]}})
