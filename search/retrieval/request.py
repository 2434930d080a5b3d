"""What a search may ask for: validated parameters, limits and the messages for bad ones.

Every entry point (the command line, the JSON API, the HTML pages) builds its
:class:`SearchRequest` through :meth:`SearchRequest.from_params`, so a value is
accepted or refused the same way everywhere.  A refusal is a :class:`BadRequest`
carrying the message twice: English for the command line and the API, Chinese
for the pages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .query import MAX_QUERY_CHARS

SORTS = ("relevance", "newest", "oldest")  # the only list of sort names; the first is the default
DEFAULT_SORT = SORTS[0]
SORT_LABELS_ZH = dict(zip(SORTS, ("相关度", "最新", "最早"), strict=True))  # as the pages show them
DEFAULT_SIZE = 10
MAX_SIZE = 100
MAX_PAGE = 10_000
MAX_QUERY = MAX_QUERY_CHARS  # characters of q; the parser reads no further
MAX_REPORTERS = 20  # reporter filters in one request
MAX_REPORTER_CHARS = 50  # one reporter name (the longest in the 1998 corpus has 5)
MAX_PAPERS = 10  # paper filters in one request (web.app bounds all parameters together)
_PAPER_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")

PARAM_ZH = {"from": "起始日期", "to": "截止日期", "sort": "排序方式", "page": "页码",
            "size": "每页条数", "q": "检索词", "reporter": "记者姓名",
            "synonyms": "包含同义词", "fulltext": "导出全文", "paper": "报刊",
            "since": "入库日期"}

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DIGITS = re.compile(r"[0-9]+")


class BadRequest(ValueError):
    """A parameter the engine cannot use; the message is shown to the user.

    ``str(exc)`` is English (command line, JSON API); ``message_zh`` is the same
    in Chinese for the HTML pages.
    """

    def __init__(self, message: str, message_zh: str, param: str | None = None):
        super().__init__(message)
        self.message_zh = message_zh
        self.param = param  # the parameter to drop to fix it ("range": from and to)


def _shown(text: str) -> str:
    """A bad value as quoted in a message: cut short, undecodable bytes as U+FFFD."""
    return text[:40].encode("utf-8", "replace").decode("utf-8")


def _sorts_zh() -> str:
    """The sort names with their labels, for the Chinese message: a（…）、b（…）或 c（…）."""
    named = [f"{name}（{SORT_LABELS_ZH[name]}）" for name in SORTS]
    return "、".join(named[:-1]) + "或 " + named[-1]


# What counts as blank around a parameter's value: exactly what a JSON Schema (ECMA-262)
# ``\s`` matches, so that the API description's "blank is the same as absent" is the rule
# applied here (Python's own ``strip()`` also takes U+001C-U+001F and U+0085, not U+FEFF).
BLANKS = ("\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
          "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")


def blank(value: object) -> bool:
    """Whether a parameter's value is empty or blanks only (read as absent)."""
    return str(value).strip(BLANKS) == ""


def parse_iso_date(value: str | None, name: str) -> str | None:
    """A date filter: ISO ``YYYY-MM-DD`` only, ``None`` when empty.

    Python 3.11's ``date.fromisoformat`` also takes ``20220101`` and week dates
    (``2022-W01-1``): silently guessing at such forms would make a typo a filter.
    """
    if value is None or blank(value):
        return None
    text = str(value).strip(BLANKS)
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        shown = _shown(text)
        raise BadRequest(f"{name} must be a date like 2022-09-30, not {shown!r}",
                         f"{PARAM_ZH.get(name, name)}“{shown}”不是有效的日期，"
                         "请写成 2022-09-30 这样的格式。", name) from None


def parse_int(value: str | int | None, name: str, default: int, low: int, high: int) -> int:
    """A whole number in ``low..high``, ``default`` when empty.

    ASCII digits only: ``int()`` also reads ``١`` (Arabic-Indic) and ``1_0``.
    """
    if value is None or blank(value):
        return default
    text = str(value).strip(BLANKS)
    if not _DIGITS.fullmatch(text):
        shown = _shown(text)
        raise BadRequest(f"{name} must be a whole number (digits 0-9), not {shown!r}",
                         f"{PARAM_ZH.get(name, name)}应为整数（用 0-9 书写），而不是“{shown}”。",
                         name) from None
    number = int(text) if len(text) <= 12 else high + 1
    if number < low or number > high:
        shown = text if len(text) <= 12 else text[:12] + "…"
        raise BadRequest(f"{name} must be between {low} and {high}, not {shown}",
                         f"{PARAM_ZH.get(name, name)}应在 {low} 到 {high} 之间，而不是 {shown}。",
                         name)
    return number


def check_text(value: str, name: str, limit: int) -> str:
    """Text a user typed: at most ``limit`` characters, and decodable.

    Every link on the results page repeats the query and the filters, so what a request may
    carry bounds the page: without a bound, 3,000 repeated reporters would make a page of
    hundreds of megabytes.  A lone surrogate (undecodable bytes on the command line) would
    fail when it is encoded for the index lookups.
    """
    if len(value) > limit:
        raise BadRequest(f"{name} is too long: {len(value)} characters, at most {limit}",
                         f"{PARAM_ZH.get(name, name)}太长了：{len(value)} 个字符，"
                         f"最多 {limit} 个。",
                         name)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(f"{name} is not valid text (undecodable bytes)",
                         f"{PARAM_ZH.get(name, name)}含有无法识别的字符。", name) from None
    return value


def parse_flag(value: str | None, name: str, default: bool = True) -> bool:
    """An on/off parameter (``synonyms=0``): 1/0, on/off, true/false, yes/no; empty: ``default``."""
    text = (value or "").strip().lower()
    if not text:
        return default
    if text in ("1", "on", "true", "yes"):
        return True
    if text in ("0", "off", "false", "no"):
        return False
    shown = _shown(text)
    raise BadRequest(f"{name} must be 1 or 0 (on or off), not {shown!r}",
                     f"{PARAM_ZH.get(name, name)}只能是 1 或 0（开或关），而不是“{shown}”。", name)


SYNONYMS_ALL = "all"  # synonyms=all: quoted phrases match their synonyms too (as ~"…")


def parse_synonyms_flag(value: str | None) -> bool | str:
    """包含同义词, in three states: on (the default: unquoted terms), ``all`` (quoted too), off.

    ``synonyms=all`` is what the search form's checkbox sends; ``synonyms=0`` is the
    results page's 不包含同义词 link.
    """
    if (value or "").strip().lower() == SYNONYMS_ALL:
        return SYNONYMS_ALL
    try:
        return parse_flag(value, "synonyms")
    except BadRequest as exc:
        shown = _shown((value or "").strip().lower())
        raise BadRequest(f"synonyms must be 1, 0 or all (on, off, or quoted phrases too), "
                         f"not {shown!r}",
                         f"包含同义词只能是 1、0 或 all（开、关，或连引号内的词也包含），"
                         f"而不是“{shown}”。", "synonyms") from exc


def _check_sort(sort: str | None) -> str:
    sort = (sort or DEFAULT_SORT).strip()
    if sort not in SORTS:
        shown = _shown(sort)
        raise BadRequest(f"sort must be one of {', '.join(SORTS)}, not {shown!r}",
                         f"不认识的排序方式“{shown}”：可用 {_sorts_zh()}。", "sort")
    return sort


def _check_reporters(reporters: Iterable[str] | None) -> list[str]:
    names = [r for r in (x.strip() for x in reporters or ()) if r]
    if len(names) > MAX_REPORTERS:
        raise BadRequest(f"at most {MAX_REPORTERS} reporters at once, not {len(names)}",
                         f"一次最多按 {MAX_REPORTERS} 位记者筛选，这里有 {len(names)} 位。",
                         "reporter")
    for name in names:
        check_text(name, "reporter", MAX_REPORTER_CHARS)
    return names


def check_paper_key(key: str, name: str = "paper") -> str:
    """A paper's key as the index keeps it: ASCII letters (lowered), digits, ``-`` and ``_``
    (a URL segment and a file name as they are), at most 32."""
    text = (key or "").lower() if (key or "").isascii() else "\u00a0"
    if not _PAPER_KEY.fullmatch(text):
        shown = _shown(key or "")
        raise BadRequest(f"{name} must be a paper key of letters a-z, digits, - or _ "
                         f"(at most 32, like ldwb), not {shown!r}",
                         f"报刊代号“{shown}”无效：只能用小写字母、数字、- 或 _（如 ldwb）。", name)
    return text


def check_papers(papers: Iterable[str] | None) -> list[str]:
    """Paper filters (``paper=ldwb&paper=grrb``): valid keys, each once, at most
    :data:`MAX_PAPERS`."""
    keys: list[str] = []
    for raw in papers or ():
        if raw is None or str(raw) == "":
            continue
        key = check_paper_key(str(raw))
        if key not in keys:
            keys.append(key)
    if len(keys) > MAX_PAPERS:
        raise BadRequest(f"at most {MAX_PAPERS} papers at once, not {len(keys)}",
                         f"一次最多按 {MAX_PAPERS} 种报刊筛选，这里有 {len(keys)} 种。", "paper")
    return keys


def parse_since(value: str | None) -> int | None:
    """``since=2022-09-01`` (or ``2022-09-01T08:30``, UTC unless an offset is given):
    articles imported at or after it, as seconds since 1970; None when empty."""
    if value is None or blank(value):
        return None
    text = str(value).strip(BLANKS)
    try:
        if _ISO_DATE.fullmatch(text):
            when = dt.datetime.fromisoformat(text + "T00:00")
        elif m := re.fullmatch(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([0-9]{2}:[0-9]{2})"
                               r"(?::([0-9]{2})(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?", text):
            day, hm, sec, _, zone = m.groups()
            sec = min(int(sec or 0), 59)  # RFC 3339's leap second :60 as :59
            zone = "+00:00" if zone in (None, "Z", "z") else zone
            when = dt.datetime.fromisoformat(f"{day}T{hm}:{sec:02d}{zone}")
        else:
            raise ValueError(text)
    except ValueError:
        shown = _shown(text)
        raise BadRequest(f"since must be a date like 2022-09-01 (or 2022-09-01T08:30), "
                         f"not {shown!r}",
                         f"入库日期“{shown}”无效，请写成 2022-09-01 或 2022-09-01T08:30。",
                         "since") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0, int(when.timestamp()))


@dataclass
class SearchRequest:
    """One validated search: what the engine runs and what its result is cached under."""

    q: str = ""
    reporters: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    sort: str = DEFAULT_SORT
    page: int = 1
    size: int = DEFAULT_SIZE
    # 包含同义词 (search.understanding.synonyms, pinyin words): True for unquoted terms, "all" for
    # quoted
    # phrases too, False for none.  See parse_synonyms_flag.
    synonyms: bool | str = True
    papers: list[str] = field(default_factory=list)  # paper keys; empty: every paper
    since: int | None = None  # imported at or after (seconds since 1970)

    @classmethod
    def from_params(cls, q: str | None = None, reporters: Iterable[str] | None = (),
                    date_from: str | None = None, date_to: str | None = None,
                    sort: str | None = None, page: str | int | None = None,
                    size: str | int | None = None, papers: Iterable[str] | None = (),
                    since: str | None = None) -> SearchRequest:
        """Validate raw parameters (strings from a URL or the command line).

        Raises :class:`BadRequest` for the first unusable one.
        """
        sort = _check_sort(sort)
        # The parser reads no further than MAX_QUERY characters: a longer q is refused
        # here rather than cut short without a word (HTTP refuses it earlier too,
        # with every other over-long parameter, in web.app).
        q = check_text(q or "", "q", MAX_QUERY)
        names = _check_reporters(reporters)
        d_from = parse_iso_date(date_from, "from")
        d_to = parse_iso_date(date_to, "to")
        if d_from and d_to and d_from > d_to:
            raise BadRequest(f"from ({d_from}) is after to ({d_to})",
                             f"起始日期 {d_from} 晚于截止日期 {d_to}，请调换或修改日期。", "range")
        return cls(q=q, reporters=names, date_from=d_from, date_to=d_to, sort=sort,
                   page=parse_int(page, "page", 1, 1, MAX_PAGE),
                   size=parse_int(size, "size", DEFAULT_SIZE, 1, MAX_SIZE),
                   papers=check_papers(papers), since=parse_since(since))

    def within(self, first: str | None, last: str | None) -> SearchRequest:
        """This request with a date filter that reaches to or past the archive's first
        (``first``) or last (``last``) day dropped: it lets every article through either way.

        ``from=0001-01-01&to=9999-12-31`` is then the request without dates: one cached
        result, and nothing downstream (the chart of the results page, a trend's axis)
        spans ten thousand years.  ``first``/``last`` None (an empty archive): unchanged.
        """
        if first is None or last is None:
            return self
        d_from = None if self.date_from and self.date_from <= first else self.date_from
        d_to = None if self.date_to and self.date_to >= last else self.date_to
        if (d_from, d_to) == (self.date_from, self.date_to):
            return self
        return dataclasses.replace(self, date_from=d_from, date_to=d_to,
                                   reporters=list(self.reporters), papers=list(self.papers))

    def key(self) -> tuple:
        """Everything that decides the result, hashable (the result cache's key)."""
        return (self.q, tuple(self.reporters), self.date_from, self.date_to, self.sort,
                self.page, self.size, self.synonyms, tuple(self.papers), self.since)
