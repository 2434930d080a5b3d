"""``/export.csv`` and ``/export.xlsx``: the results of ``/search?…`` as a file to hand on.

Same parameters as ``/search`` (``page`` and ``size`` are ignored: the whole
result is exported, up to :data:`~search.export.MAX_EXPORT_ROWS` rows).  The
CSV is streamed as it is written; the .xlsx is written row by row to a
temporary file (a zip has to be finished before it is sent) and streamed from
there, so memory does not grow with the number of rows.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO
from urllib.parse import quote

from flask import Blueprint, Response, render_template, request, stream_with_context, url_for
from flask.typing import ResponseReturnValue

from search.export import MAX_EXPORT_ROWS, Export, TooManyRows, csv_chunks, write_xlsx
from search.request import BadRequest

from ..pages import current_params, search_url
from . import bad_request_page, get_engine, search_request

bp = Blueprint("export", __name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_template_global()
def export_url(kind: str, params: dict) -> str:
    """The export of the results shown with ``params`` (their page and size left out)."""
    kept = {k: v for k, v in params.items() if k not in ("page", "size")}
    return url_for("export.csv_file" if kind == "csv" else "export.xlsx_file", **kept)


@bp.app_template_global()
def export_limit() -> int:
    """How many results an export may hold (the results page offers export up to this)."""
    return MAX_EXPORT_ROWS


def _article_link(article_id: str) -> str:
    return url_for("article.page", article_id=article_id, _external=True)


def _filename(extension: str) -> str:
    """``attachment`` with a name that says what was searched (RFC 6266, UTF-8 form too)."""
    q = request.args.get("q", "").strip()
    stem = "检索结果" + (f"-{q[:30]}" if q else "")
    stem = "".join(c for c in stem if c.isalnum() or c in "-_ ")
    return (f'attachment; filename="unionsearch-export.{extension}"; '
            f"filename*=UTF-8''{quote(stem)}.{extension}")


def _prepared() -> Export | ResponseReturnValue:
    """The export of this request's search, or the page that says why there is none."""
    try:
        return get_engine().export(search_request())
    except TooManyRows as exc:
        return render_template("export_refused.html", total=exc.total, limit=exc.limit,
                               message=exc.message_zh,
                               back_url=search_url(current_params(request.args))), 400
    except BadRequest as exc:
        return bad_request_page(exc)


@bp.get("/export.csv")
def csv_file() -> ResponseReturnValue:
    """UTF-8 CSV with a BOM, streamed."""
    prepared = _prepared()
    if not isinstance(prepared, Export):
        return prepared
    body = stream_with_context(csv_chunks(prepared.rows, _article_link))
    resp = Response(body, mimetype="text/csv", headers={
        "Content-Disposition": _filename("csv"), "X-Total-Count": str(prepared.total)})
    resp.headers["Content-Type"] = "text/csv; charset=utf-8"
    return resp


def _streamed(fh: IO[bytes]) -> Iterator[bytes]:
    """A finished temporary file's bytes in 64 KB pieces; closed (and so deleted) at the end."""
    try:
        fh.seek(0)
        while piece := fh.read(65536):
            yield piece
    finally:
        fh.close()


@bp.get("/export.xlsx")
def xlsx_file() -> ResponseReturnValue:
    """An Excel workbook, written to a temporary file and streamed from it."""
    prepared = _prepared()
    if not isinstance(prepared, Export):
        return prepared
    fh = tempfile.TemporaryFile()
    try:
        write_xlsx(prepared.rows, fh, _article_link)
        size = fh.seek(0, 2)
    except BaseException:
        fh.close()
        raise
    return Response(_streamed(fh), mimetype=XLSX_TYPE, headers={
        "Content-Disposition": _filename("xlsx"), "Content-Length": str(size),
        "X-Total-Count": str(prepared.total)})
