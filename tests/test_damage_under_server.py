"""Index files cut, copied over and flipped under a running server: it never dies, never
answers a wrong hit list, and ``/healthz`` reports the damaged generation until the file
is put back.

A real ``unionsearch serve`` over a real two-segment index.  Every file kind of a segment
(``.usx``, ``.trm``, ``.pst``, ``_stored.col``, ``.day.col``, the sums file) is damaged in
place, as an operator's ``truncate`` or ``cp`` over it would (same inode): cut to half, cut
to nothing, bytes flipped, another segment's file copied over it, and the identical file
copied over it, each twice.  After each, the process must still run and no request may
answer 500; ``/healthz`` must say ``damaged`` naming the file whenever its bytes differ,
and from then on every search must answer 200 with exactly the undamaged results or 503.
(``.usx`` postings are checked at every read; the other files at most
``REFRESH_EVERY`` seconds apart, and at once by ``/healthz`` or a failed request.)  Then the file is written back
(given an mtime no write of the test can get, as a restore by hand a moment later would
have): ``/healthz`` must say ok again and the server answer as before.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from .helpers import Server, corpus_rows, http_get, import_in_parts

QUERIES = ["工人", "经济", '"中国"', "人", "记者 工作"]
KINDS = (".usx", ".trm", ".pst", "._stored.col", ".day.col", ".sums")


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    rows = corpus_rows(40, prefix="us", body_chars=300)
    for n, row in enumerate(rows):  # a columnist on most articles: a posting list in .pst
        if n % 5:
            row["reporter"] = "、".join(x for x in (row.get("reporter"), "周美玉") if x)
    return Path(import_in_parts(tmp_path_factory.mktemp("undersrv"), rows, 2))


def _answers(base: str) -> list:
    out = []
    for q in QUERIES:
        status, _, body = http_get(base, f"/api/search?q={quote(q)}&size=50")
        if status == 200:
            doc = json.loads(body)
            out.append((doc["total"], [(h["id"], h["title"]) for h in doc["hits"]]))
        else:
            out.append(status)
    status, _, body = http_get(base, "/api/article/us000003")
    out.append(json.loads(body)["title"] if status == 200 else status)
    return out


def _write_in_place(path: Path, data: bytes) -> None:
    """Replace a file's bytes keeping its inode (what ``cp`` onto it does): cut, then write."""
    with open(path, "r+b") as fh:
        fh.truncate(0)
        fh.write(data)


def _damages(raw: bytes, other: bytes) -> dict[str, bytes]:
    flipped = bytearray(raw)
    for at in (len(raw) // 3, len(raw) // 2, len(raw) - 30):
        flipped[at] ^= 0x10
    return {"cut to half": raw[: len(raw) // 2], "cut to nothing": b"",
            "flipped": bytes(flipped), "another segment's file": other, "the same file": raw}


def test_damage_under_a_running_server(index, tmp_path) -> None:
    work = tmp_path / "idx"
    shutil.copytree(index, work, ignore=shutil.ignore_patterns("staging"))
    segs = sorted(p.stem for p in work.glob("*.usx"))
    with Server(work, log=tmp_path / "serve.log", threads=4) as srv:
        truth = _answers(srv.base)
        assert all(isinstance(a, tuple) for a in truth[:-1]) and truth[0][0] > 0
        seen, changed = set(), set()
        built, trials = (work / f"{segs[0]}.usx").stat().st_mtime_ns, 0
        for kind in KINDS:
            path, other = work / f"{segs[0]}{kind}", work / f"{segs[1]}{kind}"
            raw = path.read_bytes()
            for _ in range(2):
                for how, bad in _damages(raw, other.read_bytes()).items():
                    _write_in_place(path, bad)
                    first = _answers(srv.base)  # before the server looked at its files
                    assert srv.proc.poll() is None, (kind, how, srv.text()[-2000:])
                    assert 500 not in first, (kind, how, first)
                    status, _, body = http_get(srv.base, "/healthz")
                    health = json.loads(body)
                    got = _answers(srv.base)
                    assert srv.proc.poll() is None, (kind, how, srv.text()[-2000:])
                    for want, have in zip(truth, got, strict=True):
                        assert have == want or have == 503, (kind, how, have, want)
                    if bad != raw:
                        changed.add((kind, how))
                        assert status == 503 and health["status"] == "damaged", (kind, how)
                        assert path.name in health["error"], health
                        seen.add((kind, how, "503" if 503 in got else "answered"))
                    else:
                        assert status == 200 and health["status"] == "ok", (kind, how, health)
                        assert got == truth, (kind, how)
                    _write_in_place(path, raw)
                    trials += 1  # a distinct mtime of the past, never one a write gets now
                    os.utime(path, ns=(built - trials * 1000, built - trials * 1000))
                    status, _, body = http_get(srv.base, "/healthz")
                    assert status == 200 and json.loads(body)["status"] == "ok", body
                    assert _answers(srv.base) == truth, (kind, how, "after putting it back")
        assert srv.proc.poll() is None
    # every kind of file was cut, flipped and (where the two differ) copied over
    assert {(k, h) for k, h, _ in seen} == changed
    assert {k for k, _ in changed} == set(KINDS) and len(changed) >= 3 * len(KINDS)
