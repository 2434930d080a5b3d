"""The service's life under a supervisor: graceful SIGTERM, SIGHUP reloads.

Why: systemd stops a service with SIGTERM and reloads it with SIGHUP
(``ExecReload=kill -HUP $MAINPID``).  Python's default for SIGTERM kills the process
mid-response; here SIGTERM stops accepting connections, lets the requests in flight
finish (at most :data:`DRAIN_SECONDS`) and exits 0.  SIGHUP re-reads the settings
file and applies what can change without a restart (see ``reloadable`` in
:mod:`web.settings`); the rest is named in the log as needing a restart.
"""

from __future__ import annotations

import errno
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable

from flask import Flask
from waitress import wasyncore
from waitress.server import create_server

from .accesslog import AccessLogSettings, install_access_log
from .app import trusted_networks
from .rawtarget import RawTargetChannel
from .settings import Settings
from .views import ENGINE as ENGINE_KEY

log = logging.getLogger("unionsearch.web")

DRAIN_SECONDS = 30.0
POLL_SECONDS = 0.2


def _busy(server) -> bool:
    """Whether any connection still has a request in progress or bytes to send."""
    return any(ch.requests or ch.total_outbufs_len
               for ch in list(server.active_channels.values()))


RELOADING = threading.Lock()  # held while SIGHUP's settings are applied (the engine in use)


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
                with RELOADING:
                    reload()
            except Exception as exc:  # noqa: BLE001 - a bad reload keeps the old settings
                log.error("SIGHUP: not reloaded (%s); the previous settings stay", exc)

    threading.Thread(target=reloader, name="sighup-reload", daemon=True).start()


class ListenError(OSError):
    """The address cannot be listened on; ``status`` is the exit status to leave with
    (2: a setting to fix, so a supervisor does not restart in a loop; 1: try again)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def listen(app: Flask, host: str, port: int, threads: int):
    """waitress's server on ``host:port`` (raw UTF-8 request targets accepted:
    :mod:`web.rawtarget`); raises :class:`ListenError` with the reason."""
    try:
        # waitress would clear X-Forwarded-Proto/-Host from all but one trusted address;
        # web.app.ForwardedMiddleware decides instead, from --trusted-proxy (default
        # loopback).
        server = create_server(app, host=host, port=port, threads=threads,
                               ident="unionsearch", clear_untrusted_proxy_headers=False)
    except OSError as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        in_use = getattr(exc, "errno", None) == errno.EADDRINUSE
        hint = ("another program (or a previous unionsearch still stopping) has it"
                if in_use else "check host and port in the settings")
        raise ListenError(f"cannot listen on {host}:{port}: {reason} ({hint})",
                          1 if in_use else 2) from None
    server.channel_class = RawTargetChannel
    return server


def quiet(server, then: Callable[[], None]) -> bool:  # noqa: ANN001 - waitress's server
    """Call ``then`` if no request is in progress or waiting and no reload is being
    applied, holding them off until it returns (from the thread that hands requests out,
    so none starts meanwhile); whether it was called."""
    dispatcher = server.task_dispatcher
    if not RELOADING.acquire(blocking=False):
        return False
    try:
        with dispatcher.lock:  # every request thread is waiting for work
            if dispatcher.queue or dispatcher.active_count:
                return False
            then()
            return True
    finally:
        RELOADING.release()


def run_waitress(app: Flask, host: str, port: int, threads: int,
                 reload: Callable[[], None],
                 listening: Callable[[], None] | None = None,
                 between: Callable[[Callable[[Callable[[], None]], bool]], bool] | None = None,
                 ) -> None:
    """Serve ``app`` until SIGTERM (or Ctrl-C), then drain and return; raises
    :class:`ListenError` when it cannot listen.  ``listening`` is called once the address
    is taken (what need not start for a service that cannot listen starts there);
    ``between(when_quiet)`` between events until it returns true, where
    ``when_quiet(then)`` calls ``then`` only while no request is in progress
    (:func:`quiet`)."""
    server = listen(app, host, port, threads)
    if listening is not None:
        listening()
    stop = threading.Event()
    _install_signals(stop, reload)
    while not stop.is_set():
        wasyncore.loop(timeout=POLL_SECONDS, map=server._map, count=1)
        if between is not None and between(lambda then: quiet(server, then)):
            between = None
    _accept_queued(server)
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


def _accept_queued(server) -> int:  # noqa: ANN001 - waitress's server
    """Take every connection the kernel has already accepted for us, then read what each
    has sent: a client whose connection is queued has sent its request, as far as it can
    tell, and closing the listening socket would reset it.  Returns how many were taken."""
    taken = 0
    before = set(server.active_channels)
    while True:
        count = len(server._map)
        server.handle_accept()  # waitress's own accept: socket options, address, channel
        if len(server._map) == count:  # nothing was queued (EWOULDBLOCK)
            break
        taken += 1
    if taken:
        new = [ch for key, ch in server.active_channels.items() if key not in before]
        for _ in range(50):  # read what the new connections have sent, without waiting
            wasyncore.loop(timeout=0, map=server._map, count=1)
            if all(ch.requests or ch.total_outbufs_len or not ch.connected for ch in new):
                break
    return taken


def _say(message: str) -> None:
    """A line on stderr (the journal under systemd)."""
    print(message, file=sys.stderr, flush=True)


def install_operations(app: Flask, settings: Settings) -> AccessLogSettings:
    """The access log, and ``/metrics`` (answered while ``metrics`` is on, so a reload can
    turn it on or off); returns the log's live settings."""
    from .metrics import install_metrics

    access = install_access_log(app, AccessLogSettings(settings["log_format"],
                                                       settings["log_queries"]))
    install_metrics(app, app.extensions[ENGINE_KEY])
    return access


def apply_settings(app: Flask, access: AccessLogSettings, old: Settings,
                   new: Settings) -> Settings:
    """Apply what changed from ``old`` to ``new`` that needs no restart, and log each
    change: applied, or waiting for a restart; returns what is now in effect (``new``'s
    reloadable values, ``old``'s others)."""
    from .app import app_config
    from .settings import SETTINGS

    values = dict(old.values)
    for s in SETTINGS:
        if new[s.key] == old[s.key]:
            continue
        if not s.reloadable:
            log.warning("SIGHUP: %s changed to %r; it takes effect at the next restart "
                        "(still %r)", s.key, new[s.key], old[s.key])
            continue
        values[s.key] = new[s.key]
        log.warning("SIGHUP: %s is now %r", s.key, new[s.key])
    now = type(old)(values, {**old.sources, **{k: new.sources[k] for k in values
                                               if values[k] == new[k]}})
    config = app_config(now)  # checked whole before any of it is applied
    for key in ("SITE_TITLE", "CORS_ORIGINS", "FRAME_ORIGINS", "PREFIX", "METRICS"):
        app.config[key] = config[key]
    forwarded = app.wsgi_app  # web.app.ForwardedMiddleware around PrefixMiddleware
    if hasattr(forwarded, "trusted"):
        forwarded.trusted = trusted_networks(values["trusted_proxies"] or None)
    if hasattr(getattr(forwarded, "app", None), "prefix"):
        forwarded.app.prefix = config["PREFIX"]
    access.fmt, access.with_queries = values["log_format"], values["log_queries"]
    engine = app.extensions.get(ENGINE_KEY)
    if engine is not None:
        if values["synonyms"] != old["synonyms"]:
            engine.use_synonyms(values["synonyms"] or None)
        else:
            engine.reload_synonyms()
        if values["synonyms"]:
            log.warning("SIGHUP: synonyms re-read from %s", values["synonyms"])
    workers = app.extensions.get("unionsearch.workers")  # web.costly.POOL
    if workers is not None:
        workers.use_synonyms(values["synonyms"] or None)  # re-read by each before its next call
    return now
