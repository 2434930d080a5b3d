"""One line per request on stderr (the journal under systemd): common or JSON format.

The query text is left out unless asked for (``log_queries``): what people search for
can be personal.  Left out means not written at all: no query string, and no
``Referer`` (a results page's address carries the query too).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import dataclass

from flask import Flask, Response, g, request

log = logging.getLogger("unionsearch.access")


@dataclass
class AccessLogSettings:
    """Changeable while serving (SIGHUP): ``fmt`` is common, json or off."""

    fmt: str = "common"
    with_queries: bool = False


def _handler() -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    return handler


def access_line(settings: AccessLogSettings, resp: Response, seconds: float) -> str:
    """The log line for the current request and ``resp``."""
    path = request.script_root + request.path
    if settings.with_queries and request.query_string:
        path += "?" + request.query_string.decode("latin-1")
    size = resp.calculate_content_length()
    remote = request.remote_addr or "-"
    if settings.fmt == "json":
        record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "remote": remote,
                  "method": request.method, "path": path, "status": resp.status_code,
                  "bytes": size, "ms": round(seconds * 1000, 2),
                  "agent": request.headers.get("User-Agent", "")}
        if settings.with_queries:
            record["referer"] = request.headers.get("Referer", "")
        return json.dumps(record, ensure_ascii=False)
    when = time.strftime("%d/%b/%Y:%H:%M:%S %z")
    protocol = request.environ.get("SERVER_PROTOCOL", "HTTP/1.1")
    line = (f'{remote} - - [{when}] "{request.method} {path} {protocol}" '
            f"{resp.status_code} {size if size is not None else '-'}")
    if settings.with_queries:
        line += f' "{request.headers.get("Referer", "-")}"'
    return line + f' "{request.headers.get("User-Agent", "-")}" {seconds * 1000:.1f}ms'


def install_access_log(app: Flask, settings: AccessLogSettings) -> AccessLogSettings:
    """Log every answered request as :func:`access_line` says; returns ``settings``."""
    if not log.handlers:
        log.addHandler(_handler())
        log.setLevel(logging.INFO)
        log.propagate = False

    @app.before_request
    def _start_clock() -> None:
        g.access_started = time.perf_counter()

    @app.after_request
    def _log(resp: Response) -> Response:
        if settings.fmt != "off":
            started = g.get("access_started", time.perf_counter())
            log.info(access_line(settings, resp, time.perf_counter() - started))
        return resp

    return settings
