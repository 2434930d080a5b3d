"""``/export.csv`` and ``/export.xlsx``: the results of ``/search?…`` as a file to hand on.

Same parameters as ``/search`` (``page`` and ``size`` are ignored: the whole
result is exported, up to :data:`~search.reports.export.MAX_EXPORT_ROWS` rows), and
``fulltext=1`` for a last column with each article's whole text.  The
CSV is streamed as it is written; the .xlsx is written row by row to a
temporary file (a zip has to be finished before it is sent) and streamed from
there, so memory does not grow with the number of rows.

At most :data:`MAX_EXPORTS` exports are written at once (``EXPORT_SLOTS`` in the app's
config): an export reads and condenses up to 10,000 stored articles, and many at once
on two cores would make every search wait behind them (bench/RESULTS.md).  One more is
answered 503 with ``Retry-After`` and a page that says to try again shortly; a CSV holds
its slot until its last byte is sent (or the client goes), an .xlsx until it is written.

With worker processes (:mod:`web.workers`), a worker writes the file (CSV or .xlsx) to
the pool's temporary folder and the serving process streams it from there; the slot is
held while the worker writes, and exports take at most one worker less than there are,
so one is always left for searches and trends.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from typing import IO
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue

from search.reports.export import MAX_EXPORT_ROWS, Export, TooManyRows, csv_chunks, write_xlsx
from search.retrieval.request import BadRequest, parse_flag

from .. import costly
from ..templating import current_params, search_url
from . import bad_request_page, get_engine, search_request

bp = Blueprint("export", __name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_EXPORTS = 2  # exports written at once (one per core); EXPORT_SLOTS overrides
RETRY_AFTER = 15  # seconds: about what one large export takes
_slots_lock = threading.Lock()


@bp.app_template_global()
def export_url(kind: str, params: dict, full_text: bool = False) -> str:
    """The export of the results shown with ``params`` (their page and size left out),
    with the full text when ``full_text``."""
    kept = {k: v for k, v in params.items() if k not in ("page", "size", "fulltext")}
    if full_text:
        kept["fulltext"] = "1"
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


def _slots() -> threading.BoundedSemaphore:
    """This app's export slots."""
    with _slots_lock:
        slots = current_app.extensions.get("unionsearch.export_slots")
        if slots is None:
            places = current_app.config.get("EXPORT_SLOTS", MAX_EXPORTS)
            workers = costly.pool()
            if workers is not None:
                places = min(places, max(1, workers.size - 1))
            slots = threading.BoundedSemaphore(places)
            current_app.extensions["unionsearch.export_slots"] = slots
        return slots


def _busy() -> ResponseReturnValue:
    """503: every slot is taken; the page says to try again shortly (no 500, no wait)."""
    body = render_template("browse_notice.html", code=503, title="导出的人有点多",
                           message=f"现在同时在导出的检索结果太多了，请过 {RETRY_AFTER} 秒左右"
                                   "再点一次导出。检索本身不受影响。",
                           link=(search_url(current_params(request.args)), "返回检索结果"))
    return body, 503, {"Retry-After": str(RETRY_AFTER)}


def _prepared() -> Export | ResponseReturnValue:
    """The export of this request's search, or the page that says why there is none."""
    try:
        full_text = parse_flag(request.args.get("fulltext"), "fulltext", default=False)
        return get_engine().export(search_request(), full_text=full_text)
    except BadRequest as exc:
        return _refused(exc)


def _refused(exc: BadRequest) -> ResponseReturnValue:
    """The page that says why there is no export: too many rows, or a bad parameter."""
    if isinstance(exc, TooManyRows):
        return render_template("export_refused.html", total=exc.total, limit=exc.limit,
                               message=exc.message_zh,
                               back_url=search_url(current_params(request.args))), 400
    return bad_request_page(exc)


def _written_by_worker(kind: str) -> ResponseReturnValue | None:
    """With worker processes: the export written by one of them to a file, streamed from
    it (the file is unlinked once open, so it goes when the stream is closed); None when
    no worker is up."""
    workers = costly.serving_pool()
    if workers is None:
        return None
    engine = get_engine()
    try:
        full_text = parse_flag(request.args.get("fulltext"), "fulltext", default=False)
        path, total, size = workers.call(
            "export", (search_request(), full_text, kind, costly.link_base(), workers.folder),
            engine.state().key, export=True)
    except BadRequest as exc:
        return _refused(exc)
    fh = open(path, "rb")  # noqa: SIM115 - closed by _streamed
    os.unlink(path)
    return Response(_streamed(fh), mimetype=XLSX_TYPE if kind == "xlsx" else "text/csv",
                    headers={"Content-Type": (XLSX_TYPE if kind == "xlsx"
                                              else "text/csv; charset=utf-8"),
                             "Content-Disposition": _filename(kind),
                             "Content-Length": str(size), "X-Total-Count": str(total)})


def _from_worker(kind: str) -> ResponseReturnValue | None:
    """A slot, then the export written by a worker; the slot is given back when it is
    written.  None when no worker is up (the caller writes it here)."""
    slots = _slots()
    if not slots.acquire(blocking=False):
        return _busy()
    try:
        return _written_by_worker(kind)
    finally:
        slots.release()


@bp.get("/export.csv")
def csv_file() -> ResponseReturnValue:
    """UTF-8 CSV with a BOM, streamed; its slot is given back when the stream ends."""
    if costly.serving_pool() is not None:
        answer = _from_worker("csv")
        if answer is not None:
            return answer
    slots = _slots()
    if not slots.acquire(blocking=False):
        return _busy()
    try:
        prepared = _prepared()
        if not isinstance(prepared, Export):
            slots.release()
            return prepared
        release = _once(slots.release)
        body = stream_with_context(_releasing(
            csv_chunks(prepared.rows, _article_link, full_text=prepared.full_text,
                       papers=prepared.papers), release))
        resp = Response(body, mimetype="text/csv", headers={
            "Content-Disposition": _filename("csv"), "X-Total-Count": str(prepared.total)})
        resp.headers["Content-Type"] = "text/csv; charset=utf-8"
    except BaseException:
        slots.release()
        raise
    resp.call_on_close(release)  # a client gone before the end: the server closes the stream
    return resp


def _releasing(chunks: Iterator[bytes], release) -> Iterator[bytes]:  # noqa: ANN001
    """``chunks``, then ``release`` (at the end, or when the stream is closed early)."""
    try:
        yield from chunks
    finally:
        release()


def _once(release):  # noqa: ANN001, ANN202 - a semaphore's release
    """``release`` called at most once (a response may be closed twice)."""
    done = threading.Lock()

    def call() -> None:
        if done.acquire(blocking=False):
            release()

    return call


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
    """An Excel workbook, written to a temporary file (holding a slot) and streamed from it."""
    if costly.serving_pool() is not None:
        answer = _from_worker("xlsx")
        if answer is not None:
            return answer
    slots = _slots()
    if not slots.acquire(blocking=False):
        return _busy()
    try:
        prepared = _prepared()
        if not isinstance(prepared, Export):
            return prepared
        fh = tempfile.TemporaryFile()
        try:
            write_xlsx(prepared.rows, fh, _article_link, prepared.full_text, prepared.papers)
            size = fh.seek(0, 2)
        except BaseException:
            fh.close()
            raise
    finally:
        slots.release()
    return Response(_streamed(fh), mimetype=XLSX_TYPE, headers={
        "Content-Disposition": _filename("xlsx"), "Content-Length": str(size),
        "X-Total-Count": str(prepared.total)})
