"""Building an :class:`Article` from a record of fields (JSON Lines and CSV)."""

from __future__ import annotations

from search.document import Article

from ..records import parse_date, split_names

REQUIRED = ("title", "body", "date")


class BadRecord(ValueError):
    pass


def _text(value, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise BadRecord(f"field {name!r} must be text, not {type(value).__name__}")
    return str(value)


def article_from_record(rec: dict, default_date: str | None = None) -> Article:
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
        url=_text(rec.get("url"), "url").strip() or None,
        id=_text(rec.get("id"), "id").strip() or None,
    )
