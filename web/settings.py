"""One settings file for the service: ``unionsearch.toml``, the environment and the flags.

Why: an IT colleague keeps the service running for years; every setting should live in one
file the unit points at, be overridable for a one-off run, and a typo should stop start-up
with the file, the line and the reason instead of being silently ignored.

Order, strongest first: command line, environment (``UNIONSEARCH_…``), the file given by
``--config`` or ``$UNIONSEARCH_CONFIG``, then the defaults below.  ``unionsearch config``
prints each effective value and where it came from.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from indexer.papers import parse_papers

CONFIG_ENV = "UNIONSEARCH_CONFIG"
LOG_FORMATS = ("common", "json", "off")

# Bounds on what a setting may hold.  A site title is printed on every page (an
# unbounded one would make every page megabytes); a list of origins or proxies is checked on
# every request; a path is a path.  Generous for any real value, small for a typo.
MAX_TITLE_CHARS = 100
MAX_PATH_CHARS = 4096
MAX_HOST_CHARS = 253
MAX_LIST_ITEMS = 100
MAX_FILE_BYTES = 1 << 20  # a settings file is a page of text
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


class SettingsError(ValueError):
    """A setting that cannot be used; the message names where it came from and why."""


def _text(value: Any, limit: int = MAX_PATH_CHARS) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    if len(value) > limit:
        raise ValueError(f"is {len(value):,} characters long; at most {limit:,}")
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


def _title(value: Any) -> str:
    text = _text(value, MAX_TITLE_CHARS)
    if not text.strip():
        raise ValueError("must not be empty: it names the service on every page")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text):
        raise ValueError("must be one line of printable text")
    return text


def _host(value: Any) -> str:
    """An address waitress can listen on: an IP address, a host name, or * for all."""
    text = _text(value, MAX_HOST_CHARS).strip()
    if not text:
        raise ValueError('must be an address to listen on, e.g. "127.0.0.1" (loopback, '
                         'behind nginx) or "0.0.0.0" (every interface); it is empty')
    if text == "*":
        return text
    bare = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    try:
        ipaddress.ip_address(bare)
        return text
    except ValueError:
        pass
    labels = text.rstrip(".").split(".")
    # A name is labels of letters, digits and hyphens; all-digit labels are a mistyped
    # IPv4 address (127.0.1), not a name.
    if not all(_HOST_LABEL.match(label) for label in labels) or \
            all(label.isdigit() for label in labels):
        raise ValueError(f"{text[:60]!r} is not an IP address or a host name, "
                         'e.g. "127.0.0.1", "::1" or "search.intranet"')
    return text


def _index_dir(value: Any) -> str:
    text = _text(value)
    if not text.strip():
        raise ValueError('must name the index folder, e.g. "/var/lib/unionsearch/index"; '
                         "it is empty")
    return text


def _int_between(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number from {low} to {high}")
        if not low <= value <= high:
            raise ValueError(f"must be from {low} to {high}, not {value}")
        return value
    return check


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"must be true or false, not {value!r}")


def _list(value: Any) -> list[str]:
    if isinstance(value, str):
        items = [v.strip() for v in _text(value, MAX_PATH_CHARS * 4).split(",") if v.strip()]
    elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        items = [v.strip() for v in value if v.strip()]
    else:
        raise ValueError("must be a list of strings, e.g. [\"https://oa.example.org\"]")
    if len(items) > MAX_LIST_ITEMS:
        raise ValueError(f"has {len(items):,} entries; at most {MAX_LIST_ITEMS}")
    for item in items:
        _text(item, MAX_HOST_CHARS + 20)
    return items


def _log_format(value: Any) -> str:
    text = _text(value).strip().lower()
    if text not in LOG_FORMATS:
        raise ValueError(f"must be one of {', '.join(LOG_FORMATS)}, not {value!r}")
    return text


def _origin_list(key: str) -> Callable[[Any], list[str]]:
    def check(value: Any) -> list[str]:
        from .addresses import origins  # the app's own check, so both agree

        items = _list(value)
        try:
            origins(items, key)
        except ValueError as exc:
            raise ValueError(str(exc).split(": ", 1)[1]) from None
        return items
    return check


def _proxies(value: Any) -> list[str]:
    from .addresses import trusted_networks

    items = _list(value)
    try:
        trusted_networks(items)
    except ValueError as exc:
        raise ValueError(str(exc).split(": ", 1)[1]) from None
    return items


def _prefix(value: Any) -> str:
    from .addresses import MAX_PREFIX_CHARS, normalize_prefix

    text = _text(value, MAX_PREFIX_CHARS)
    try:
        normalize_prefix(text)
    except ValueError as exc:
        raise ValueError(str(exc).split(": ", 1)[1]) from None
    return text


_HEADER = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def _header_name(value: Any) -> str:
    text = _text(value, 64).strip()
    if text and not _HEADER.match(text):
        raise ValueError(f"{text!r} is not an HTTP header name like X-Remote-User")
    if text.lower() in ("authorization", "cookie", "host"):
        raise ValueError(f"{text!r} cannot carry a user name")
    return text


def _existing_file(value: Any) -> str:
    text = _text(value)
    if text and not os.path.isfile(text):
        raise ValueError(f"no such file: {text}")
    return text


@dataclass(frozen=True)
class Setting:
    """One setting: its key in the file, its environment variable, default and check."""

    key: str
    default: Any
    parse: Callable[[Any], Any]
    help: str
    reloadable: bool = False  # SIGHUP applies it without a restart

    @property
    def env(self) -> str:
        """The environment variable that sets this key."""
        return "UNIONSEARCH_" + self.key.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("index_dir", "index_data", _index_dir, "index folder"),
    Setting("host", "127.0.0.1", _host, "address to listen on"),
    Setting("port", 8000, _int_between(1, 65535), "port to listen on"),
    Setting("threads", 8, _int_between(1, 64), "worker threads"),
    Setting("workers", 2, _int_between(0, 16), "processes that compute costly requests "
            "(exports, trends, pages of many hits) at a lower CPU priority; 0: none"),
    Setting("worker_nice", 10, _int_between(0, 19), "how much lower the workers' CPU "
            "priority is than the serving process's (nice)"),
    Setting("worker_timeout", 20, _int_between(1, 600), "seconds a worker may take to "
            "answer (an export ten times as long) before it is replaced"),
    Setting("prefix", "", _prefix, "path prefix behind a reverse proxy, e.g. /search/", True),
    Setting("site_title", "劳动报刊全文检索", _title, "the name on every page", True),
    Setting("cors_origins", [], _origin_list("cors_origins"),
            "origins whose pages may call the API", True),
    Setting("frame_origins", [], _origin_list("frame_origins"),
            "origins whose pages may frame /embed", True),
    Setting("trusted_proxies", [], _proxies, "proxies whose X-Forwarded-* are believed "
            "(empty: loopback)", True),
    Setting("synonyms", "", _existing_file, "synonyms file", True),
    Setting("metrics", False, _flag, "serve /metrics in the Prometheus text format", True),
    Setting("log_format", "common", _log_format, "access log: common, json or off", True),
    Setting("log_queries", False, _flag, "write the query text into the access log", True),
    Setting("session_idle_minutes", 60, _int_between(1, 10080),
            "minutes an editor's session may stay unused before it ends"),
    Setting("sso_header", "", _header_name, "header a trusted proxy names the signed-in "
            "user in (single sign-on; empty: off)"),
    Setting("papers", [], parse_papers, "publications: [papers.KEY] with name, aliases, "
            "files (file-name patterns)"),
    Setting("ocr_page_limit", 300, _int_between(1, 86400), "CPU seconds OCR may spend on one "
            "scanned page (or seconds without progress) before it is stopped and the page "
            "reported not read"),
)
BY_KEY = {s.key: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """The effective settings, and for each key where its value came from.

    Resolved once (:func:`resolve`) and passed down to what needs a value: the app, the
    engine, the server.  Nothing reads a setting from the environment after that, and
    nothing writes one there, so a reload (:func:`resolve` again) sees the operator's
    file and environment only.
    """

    values: dict[str, Any]
    sources: dict[str, str]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]



def _line_of(text: str, key: str) -> int:
    """The line of ``key = …`` in the file (tomllib reports no positions for values)."""
    pattern = re.compile(rf"^[ \t]*(\"?){re.escape(key)}\1[ \t]*=", re.M)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def read_file(path: str) -> dict[str, Any]:
    """The settings in a ``unionsearch.toml``, checked; raises :class:`SettingsError`."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read the settings file: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise SettingsError(f"{path}: larger than {MAX_FILE_BYTES // 1024} KB; a settings "
                            "file is a page of text (is it the right file?)")
    try:
        # utf-8-sig: Windows Notepad starts a UTF-8 file with a byte-order mark.
        text = raw.decode("utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: {exc}") from None
    out = {}
    for key, value in data.items():
        line = _line_of(text, key)
        setting = BY_KEY.get(key)
        if setting is None:
            known = ", ".join(BY_KEY)
            raise SettingsError(f"{path}, line {line}: unknown setting {key!r} "
                                f"(known: {known})")
        try:
            out[key] = setting.parse(value)
        except ValueError as exc:
            raise SettingsError(f"{path}, line {line}: {key}: {exc}") from None
    return out


def config_path(flag: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The settings file: ``--config``, else ``$UNIONSEARCH_CONFIG``, else none."""
    environ = os.environ if environ is None else environ
    return flag or environ.get(CONFIG_ENV) or None


def resolve(flags: Mapping[str, Any] | None = None, config: str | None = None,
            environ: Mapping[str, str] | None = None,
            only: tuple[str, ...] | None = None) -> Settings:
    """Flags over environment over file over defaults; raises :class:`SettingsError`.

    ``flags`` holds command-line values; ``None`` (or an empty tuple for a repeatable
    option) means "not given".  ``only``: just these keys (a command that searches needs
    no port), the file still checked whole.
    """
    environ = os.environ if environ is None else environ
    flags = flags or {}
    path = config_path(config, environ)
    from_file = read_file(path) if path else {}
    values, sources = {}, {}
    for s in SETTINGS:
        if only is not None and s.key not in only:
            continue
        given = flags.get(s.key)
        if given is not None and given != ():
            value, source = given, "command line"
        elif environ.get(s.env, "") != "":
            value, source = environ[s.env], f"environment {s.env}"
        elif s.key in from_file:
            value, source = from_file[s.key], f"file {path}"
        else:
            value, source = s.default, "default"
        try:
            values[s.key] = s.parse(list(value) if isinstance(value, tuple) else value)
        except ValueError as exc:
            raise SettingsError(f"{s.key} (from {source}): {exc}") from None
        sources[s.key] = source
    return Settings(values, sources)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else
               0 if unicodedata.combining(c) else 1 for c in text)


def describe(resolved: Settings) -> list[str]:
    """Lines for ``unionsearch config``: each key, its value (TOML-like) and its source,
    the sources in one column (padded by display width: a Chinese title lines up)."""
    import json

    width = max(len(k) for k in BY_KEY)
    lines = []
    for s in SETTINGS:
        value = json.dumps(resolved.values[s.key], ensure_ascii=False)
        if isinstance(resolved.values[s.key], bool):
            value = "true" if resolved.values[s.key] else "false"
        pad = " " * max(0, 30 - display_width(value))
        lines.append(f"{s.key:<{width}} = {value}{pad}  # {resolved.sources[s.key]}")
    return lines
