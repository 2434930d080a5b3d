"""Records of fields (JSON Lines rows, CSV rows): opening such a file, decoding its lines,
and building an :class:`Article` from one record.

The two record readers share all of this and differ only in how a line becomes a record.
Each line is decoded on its own (tests/test_reliability_input.py): one encoding guessed
from the top of the file and applied to all of it would let one GBK line near the top
garble or reject every UTF-8 line after it.
"""

from __future__ import annotations

from typing import BinaryIO

from search.document import Article

from ..encoding import SAMPLE_BYTES, Unreadable, detect, looks_binary, open_regular
from ..records import Loaded, Rejection, parse_date, split_names

REQUIRED = ("title", "body", "date")
NEITHER = "bytes that are neither UTF-8 nor GB18030"


class BadRecord(ValueError):
    pass


def _sample_problem(sample: bytes) -> str | None:
    """Why a file starting with ``sample`` is not read at all: empty, binary or UTF-16.

    A sample that is text but not in one encoding (one damaged or GBK line in the first
    64 KB) is read on, each line decoded (or rejected) by :func:`decode_line`.
    """
    if not sample.strip():
        return "empty file"
    try:
        encoding = detect(sample)
    except Unreadable as exc:
        if looks_binary(sample):
            return str(exc)
        return None
    if encoding == "utf-16":
        return "UTF-16 is not supported; save the file as UTF-8"
    return None


def open_records(path: str) -> BinaryIO | Rejection:
    """``path`` opened at its start for reading line by line, or the rejection of the whole
    file (not a readable regular file, empty, binary, UTF-16)."""
    try:
        fh = open_regular(path)
    except Unreadable as exc:
        return Rejection(path, "", str(exc))
    try:
        problem = _sample_problem(fh.read(SAMPLE_BYTES))
        if problem:
            fh.close()
            return Rejection(path, "", problem)
        fh.seek(0)
    except BaseException:
        fh.close()
        raise
    return fh


def decode_line(raw: bytes) -> str | None:
    """One line as text: UTF-8 if it is valid UTF-8 (real GBK text practically never is),
    else GB18030; ``None`` when it is neither (reason: :data:`NEITHER`)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return None


def record_item(rec: object, date: str | None, path: str, where: str) -> Loaded | Rejection:
    """The article in ``rec`` (read at ``where`` in ``path``), or why it cannot be one."""
    try:
        return Loaded(article_from_record(rec, date), path, where)
    except BadRecord as exc:
        return Rejection(path, where, str(exc))


def _text(value, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise BadRecord(f"field {name!r} must be text, not {type(value).__name__}")
    return str(value)


def article_from_record(rec: object, default_date: str | None = None) -> Article:
    """Validate one record; raises :class:`BadRecord` with a readable reason."""
    if not isinstance(rec, dict):
        raise BadRecord(f"expected an object with title, body and date, got {type(rec).__name__}")
    title = _text(rec.get("title"), "title").strip()
    body = _text(rec.get("body"), "body").strip()
    raw_date = rec.get("date")
    if not title and not body:
        raise BadRecord("no title and no body")
    if raw_date in (None, "") and default_date:
        date = default_date
    elif raw_date in (None, ""):
        raise BadRecord("no date (field 'date', e.g. 2022-09-30)")
    else:
        date = parse_date(raw_date)
        if date is None:
            raise BadRecord(f"date {str(raw_date)[:40]!r} is not a date like 2022-09-30")
    page = rec.get("page")
    return Article(
        title=title,
        body=body,
        date=date,
        subtitle=_text(rec.get("subtitle"), "subtitle").strip(),
        kicker=_text(rec.get("kicker"), "kicker").strip(),
        reporters=split_names(rec.get("reporter", rec.get("reporters"))),
        page=None if page in (None, "") else str(page).strip(),
        page_name=_text(rec.get("page_name"), "page_name").strip()[:40],
        url=_text(rec.get("url"), "url").strip() or None,
        id=_text(rec.get("id"), "id").strip() or None,
        # a key, name or alias, resolved to a key by indexer.papers.assign
        paper=_text(rec.get("paper"), "paper").strip()[:40],
    )
