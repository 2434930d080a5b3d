"""The service's address settings checked: origins that may call or frame it, its path
prefix behind a proxy, the proxies it trusts.

Why a module of its own: ``web.settings`` checks a settings file with exactly the checks
the app applies (both call these), and ``unionsearch config`` loads no web app for it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

ORIGIN = re.compile(r"^https?://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$")
_PREFIX = re.compile(r"^(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*$")
MAX_PREFIX_CHARS = 100  # a forwarded prefix is repeated in every link of a page
LOOPBACK = ("127.0.0.0/8", "::1")


def origins(value: str | Iterable[str] | None, name: str) -> list[str]:
    """A list of origins from a list or a comma-separated string; checked."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    out = []
    for item in items:
        origin = str(item).strip().rstrip("/")
        if not origin:
            continue
        if origin != "*" and not ORIGIN.match(origin):
            raise ValueError(f"{name}: {origin!r} is not an origin like https://oa.example.org")
        out.append(origin.lower())
    return out


def normalize_prefix(value: str | None) -> str:
    """``/search/`` → ``/search``; empty for none.  Raises ValueError if unusable."""
    text = (value or "").strip()
    if not text or text == "/":
        return ""
    text = "/" + text.strip("/")
    if not _PREFIX.match(text):
        raise ValueError(f"prefix: {value!r} is not a path like /search/")
    return text


def trusted_networks(value: str | Iterable[str] | None) -> list | None:
    """Trusted proxy addresses (IPs or networks) from a list or comma-separated string.

    ``None`` means any address (``*``).  Raises ValueError for one that is not an address.
    """
    items = value.split(",") if isinstance(value, str) else list(value or LOOPBACK)
    out = []
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        if item == "*":
            return None
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"trusted_proxies: {item!r} is not an address like 10.0.0.5 "
                             "or 10.0.0.0/8") from None
    return out or [ipaddress.ip_network(n) for n in LOOPBACK]
