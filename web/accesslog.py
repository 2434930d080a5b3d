"""One line per request on stderr (the journal under systemd): common or JSON format.

The query text is left out unless asked for (``log_queries``): what people search for
can be personal.  Left out means not written at all: no query string, and no
``Referer`` (a results page's address carries the query too).

Every field a client chooses (path, query, ``User-Agent``, ``Referer``) is written
through :func:`escape_field`: the path arrives percent-decoded, so
``/articles/x%0A127.0.0.1 - - […] "GET /admin HTTP/1.1" 200 99`` would otherwise write a
second, forged line, and a ``"`` would end the field early.  Chinese stays readable.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import unicodedata
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


MAX_FIELD_CHARS = 2000  # a header may be 64 KB; a log line need not repeat it

# Written as %XX: what ends a line or a field (line and paragraph separators, NEL and
# every control or format character: a log viewer may break lines at any of them, or
# obey a terminal escape), the common format's delimiters (space, quote, backslash), and
# % itself, so an escaped field reads back unambiguously.
_SAFE_CATEGORIES = frozenset(("Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl",
                              "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc",
                              "Sk", "So"))


def escape_field(text: str, keep: str = "") -> str:
    """``text`` as one field of one log line (see :data:`_SAFE_CATEGORIES`), at most
    :data:`MAX_FIELD_CHARS` characters of it.  ``keep``: of the delimiters, those left
    as they are (a space inside a quoted User-Agent; % in a query string, which arrives
    still percent-encoded)."""
    out = []
    for c in text[:MAX_FIELD_CHARS]:
        if c in keep or (c not in ' "\\%' and unicodedata.category(c) in _SAFE_CATEGORIES):
            out.append(c)
        else:
            out.append("".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass")))
    return "".join(out) + ("…" if len(text) > MAX_FIELD_CHARS else "")


def access_line(settings: AccessLogSettings, resp: Response, seconds: float) -> str:
    """The log line for the current request and ``resp``."""
    path = escape_field(request.script_root + request.path)
    if settings.with_queries and request.query_string:
        path += "?" + escape_field(request.query_string.decode("latin-1"), keep="%")
    agent = escape_field(request.headers.get("User-Agent", ""), keep=" ")
    referer = escape_field(request.headers.get("Referer", ""), keep=" ")
    size = resp.calculate_content_length()
    remote = request.remote_addr or "-"
    if settings.fmt == "json":
        record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "remote": remote,
                  "method": request.method, "path": path, "status": resp.status_code,
                  "bytes": size, "ms": round(seconds * 1000, 2), "agent": agent}
        if settings.with_queries:
            record["referer"] = referer
        return json.dumps(record, ensure_ascii=False)
    when = time.strftime("%d/%b/%Y:%H:%M:%S %z")
    protocol = request.environ.get("SERVER_PROTOCOL", "HTTP/1.1")
    line = (f'{remote} - - [{when}] "{request.method} {path} {protocol}" '
            f"{resp.status_code} {size if size is not None else '-'}")
    if settings.with_queries:
        line += f' "{referer or "-"}"'
    return line + f' "{agent or "-"}" {seconds * 1000:.1f}ms'


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
