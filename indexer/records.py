"""What readers yield: an article with where it came from, or a rejection."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from search.document import Article


@dataclass
class Loaded:
    article: Article
    source: str  # file path
    where: str = ""  # "line 12", "article 3"
    # How the reader interpreted the source (lines joined across column breaks, page name…), for
    # `index --dry-run`: an editor checks a new source by these before importing it.
    notes: list[str] = field(default_factory=list)
    # Why the reader decided as it did (where an article starts, how its headline block was
    # read), for `index --dry-run`: an editor sees which rule went wrong on a new source.
    why: list[str] = field(default_factory=list)
    # The paper's name as the source prints it (an e-paper site name, a page dump's
    # masthead): used only when it names a paper the settings or the index know
    # (indexer.papers.assign), so an archive of one unnamed paper keeps its ids.
    printed_paper: str = ""

    @property
    def origin(self) -> str:
        """``file:where``, as summaries and rejections print it."""
        return f"{self.source}:{self.where}" if self.where else self.source


@dataclass
class Rejection:
    source: str
    where: str
    reason: str

    def __str__(self) -> str:
        place = f"{self.source}, {self.where}" if self.where else self.source
        return f"{place}: {self.reason}"


@dataclass
class Skipped(Rejection):
    """A file in an imported folder that no reader takes, listed with its kind (a PNG
    image, a Word document …) so nothing is passed over without a word.  A rejection to
    every consumer that does not tell them apart; the import lists it as skipped."""

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


_DATE_FORMS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]


def parse_date(value: object) -> str | None:
    """An ISO date from the common printed forms, or None if it is not a real date."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for form in _DATE_FORMS:
        m = form.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            except ValueError:
                return None
    return None


# The dates an article may carry.  The oldest Chinese dailies still printed began in the
# 1900s (工人日报 in 1949), and an issue is dated at most a day or two ahead: 1900-01-01 to a
# year after today is generous at both ends.  A date outside (0001-01-01, 9999-12-31, a
# year typed 2202) is a typo or a placeholder, and an archive holding one is drawn, paged
# and bucketed from year 1 to 9999: every results page, trend and calendar pays for it.
EARLIEST_DATE = dt.date(1900, 1, 1)
AHEAD = dt.timedelta(days=366)


def date_range(today: dt.date | None = None) -> tuple[str, str]:
    """The first and last date an imported article may carry (ISO)."""
    today = today or dt.date.today()
    return EARLIEST_DATE.isoformat(), (today + AHEAD).isoformat()


def date_problem(iso: str, today: dt.date | None = None) -> str | None:
    """Why the ISO date ``iso`` cannot be an article's, or None."""
    first, last = date_range(today)
    if first <= iso <= last:
        return None
    return (f"date {iso} is outside the range an article may have ({first} to {last}): "
            "a typo or a placeholder date?")


_FILENAME_DATE = re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")


def date_from_filename(name: str) -> str | None:
    """A date in a file name (2022-09-30, 20220930, 2022_09_30), if real."""
    for m in _FILENAME_DATE.finditer(name):
        iso = parse_date(f"{m[1]}-{m[2]}-{m[3]}")
        if iso and "1900" < iso < "2100":
            return iso
    return None


_NAME_SPLIT = re.compile(r"[、,，;；\s]+")


def split_names(value: object) -> list[str]:
    """Reporter names from a string (、 , ， ; separated) or a list."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value if v is not None]
    else:
        items = _NAME_SPLIT.split(str(value))
    seen, out = set(), []
    for item in items:
        name = item.strip()
        if name and name not in seen:
            seen.add(name)
            out.append(name)
    return out


# 第3版 / 03版 / 第０３版：要闻 / A3 / A03版 / "3".  Leading zeros go so the page dump and e-paper
# readers store the same key ("3") for the same page; a letter section prefix is kept ("A3").
_PAGE_FORM = re.compile(
    r"^(?:第\s*)?([A-Za-z]?)\s*0*(\d{1,3})\s*(?:版|面|页|版面)?(?:\s*[:：\-—·|｜\s].*)?$"
)


def page_number(text: object) -> str | None:
    """The page (版面) as a plain string, "3" or "A3", from 第3版 / 03版：综合新闻 / 第０３版 / "3".

    Shared by the page-dump and e-paper readers so a page is stored the same way whoever read it.
    """
    if text is None:
        return None
    value = unicodedata.normalize("NFKC", str(text)).strip()
    if not value:
        return None
    m = _PAGE_FORM.match(value)
    if not m:
        return None
    letter, number = m[1].upper(), int(m[2])
    # "2022" is a year and "0" no page: neither is a 版面.
    if number == 0 or number > 200:
        return None
    # Without 第/版 a trailing text is no page label ("3 月" would otherwise pass).
    marked = value.startswith("第") or any(c in value for c in "版面页")
    if not marked and not re.fullmatch(r"[A-Za-z]?\d{1,3}", value):
        return None
    return f"{letter}{number}"
