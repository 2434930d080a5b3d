"""``unionsearch watch DIR``: the day's files imported as they arrive, once, kill-safe.

The real command as a subprocess over a real drop folder and index; files are dropped,
rewritten, broken and fixed as an e-paper export would; the process is stopped with
SIGTERM and killed with SIGKILL between and during imports.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from .helpers import (
    SAMPLE,
    corpus_rows,
    kill_group,
    resume,
    run_through,
    start_unionsearch,
    unionsearch,
    wait_paused,
    write_jsonl,
)

WAIT = 300  # seconds: a hang bound, not a performance assertion (120 was hit on a loaded machine)
# Articles in the file a kill or SIGTERM lands in: the moment is a pause point, not a race
# against the import's length, so a few hundred are enough.
BIG = 300


class Watch:
    """``unionsearch watch`` running over ``drop`` into ``idx``, its output in its own log."""

    def __init__(self, drop: Path, idx: Path, logs: Path, *args: str, env: dict | None = None):
        self.log = logs / f"watch-{time.monotonic_ns()}.log"
        self.proc = start_unionsearch("watch", str(drop), "--index-dir", str(idx), *args,
                                      log=self.log, env=env)
        self.wait_for("watching ")

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, fragment: str, count: int = 1) -> str:
        deadline = time.monotonic() + WAIT
        while self.text().count(fragment) < count:
            assert self.proc.poll() is None, self.text()
            assert time.monotonic() < deadline, f"no {fragment!r} in:\n{self.text()}"
            time.sleep(0.05)
        return self.text()

    def terminate(self) -> int:
        self.proc.send_signal(signal.SIGTERM)  # the main process only, as KillMode=mixed
        return run_through(self.proc, self.log, WAIT)  # past any pause point it reaches

    def kill(self) -> None:
        kill_group(self.proc)  # SIGKILL to it and its import workers


@pytest.fixture()
def place(tmp_path) -> tuple[Path, Path, Path]:
    drop, idx, logs = tmp_path / "drop", tmp_path / "idx", tmp_path / "logs"
    drop.mkdir()
    logs.mkdir()
    return drop, idx, logs


def documents(idx: Path) -> int:
    done = unionsearch("stats", "--json", "--index-dir", str(idx))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["documents"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_dropped_page_is_imported_once_even_across_restarts(place) -> None:
    drop, idx, log = place
    rows = corpus_rows(4, prefix="d")
    w = Watch(drop, idx, log)
    try:
        shutil.copy(SAMPLE, drop / SAMPLE.name)
        w.wait_for(f"imported {drop / SAMPLE.name}: 6 added")
        found = unionsearch("search", "工匠精神", "--json", "--index-dir", str(idx))
        assert json.loads(found.stdout)["total"] >= 1
        write_jsonl(drop / "day.jsonl", rows)
        w.wait_for(f"imported {drop / 'day.jsonl'}: 4 added")
    finally:
        assert w.terminate() == 0
    assert "stopped" in w.text()
    before = snapshot(drop)

    w = Watch(drop, idx, log)
    try:
        os.utime(drop / SAMPLE.name)  # touched, same content: not imported again
        shutil.copy(SAMPLE, drop / "copy-of-the-same-page-2022-09-30.txt")
        w.wait_for("imported", 1)  # the copy: 6 unchanged
        assert "6 unchanged" in w.text() and f"importing {drop / SAMPLE.name}" not in w.text()
        rows[2]["title"] += "（更正）"
        write_jsonl(drop / "day.jsonl", rows)  # a corrected export: one article changed
        w.wait_for(f"imported {drop / 'day.jsonl'}: 0 added, 1 updated, 3 unchanged")
    finally:
        assert w.terminate() == 0
    assert documents(idx) == 10
    after = snapshot(drop)
    assert set(after) == set(before) | {"copy-of-the-same-page-2022-09-30.txt"}  # nothing moved


def test_a_broken_file_is_reported_once_and_retried_when_it_changes(place) -> None:
    drop, idx, log = place
    shutil.copy(SAMPLE, drop / SAMPLE.name)
    (drop / "broken.jsonl").write_text('{"title": "半截\n', encoding="utf-8")
    (drop / "notes.docx").write_bytes(b"PK\x03\x04 a word document")
    w = Watch(drop, idx, log)
    try:
        w.wait_for(f"failed {drop / 'broken.jsonl'}: no article could be read")
        w.wait_for(f"imported {drop / SAMPLE.name}")
        assert f"ignored {drop / 'notes.docx'}" in w.text()
    finally:
        assert w.terminate() == 0
    assert w.text().count("broken.jsonl: no article") == 1

    w = Watch(drop, idx, log)
    try:
        rows = corpus_rows(2, prefix="fix")
        write_jsonl(drop / "broken.jsonl", rows)
        w.wait_for(f"imported {drop / 'broken.jsonl'}: 2 added")
        assert "failed" not in w.text() and "notes.docx" not in w.text()  # said once, before
    finally:
        assert w.terminate() == 0
    assert documents(idx) == 8


def test_a_file_still_being_written_is_imported_whole(place) -> None:
    """The watcher sees the file half written (it stops itself there: search/pausepoints.py),
    the rest is written meanwhile, and what it imports is the whole file, once."""
    drop, idx, log = place
    rows = corpus_rows(40, prefix="slow", body_chars=300)
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in rows]
    w = Watch(drop, idx, log, "--settle", "1", env={"UNIONSEARCH_PAUSE_AT": "watch-changed"})
    try:
        with open(drop / "growing.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(lines[:20])
            fh.flush()
            unfinished = wait_paused(w.proc, w.log)  # it has seen the file unfinished
            fh.writelines(lines[20:])
        resume(unfinished)
        resume(wait_paused(w.proc, w.log))  # ... and then seen it change
        w.wait_for(f"imported {drop / 'growing.jsonl'}: 40 added")
        assert w.text().count("importing ") == 1
    finally:
        assert w.terminate() == 0


def test_polling_instead_of_events(place) -> None:
    drop, idx, log = place
    w = Watch(drop, idx, log, "--poll")
    try:
        (drop / "2026").mkdir()
        write_jsonl(drop / "2026" / "day.jsonl", corpus_rows(3, prefix="p"))
        w.wait_for(f"imported {drop / '2026' / 'day.jsonl'}: 3 added")
    finally:
        assert w.terminate() == 0


@pytest.mark.parametrize("when", ["during", "between"])
def test_sigkill_loses_nothing_and_duplicates_nothing(place, when) -> None:
    """Killed during an import (stopped where the import's segment files are in the
    index folder and its table of contents is not yet written: the window where a kill
    could leave half an import behind) or between two files: the watch started again
    imports the file whole, or nothing again."""
    drop, idx, log = place
    rows = corpus_rows(BIG, prefix="k", body_chars=200)
    write_jsonl(drop / "small.jsonl", corpus_rows(5, prefix="s", start=len(rows)))
    w = Watch(drop, idx, log, env={"UNIONSEARCH_PAUSE_AT": "commit"})
    resume(wait_paused(w.proc, w.log))  # the small file's commit
    w.wait_for(f"imported {drop / 'small.jsonl'}")
    write_jsonl(drop / "big.jsonl", rows)
    w.wait_for("importing " + str(drop / "big.jsonl"))
    held = wait_paused(w.proc, w.log)  # the big file's commit, half done
    if when == "between":
        resume(held)
        w.wait_for(f"imported {drop / 'big.jsonl'}")
    w.kill()

    w = Watch(drop, idx, log)
    try:
        if when == "during":
            w.wait_for(f"imported {drop / 'big.jsonl'}")
        else:  # the state survived the kill: nothing to do
            after = corpus_rows(1, prefix="z", start=len(rows) + 5)[0]
            (drop / "after.jsonl").write_text(json.dumps(after, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
            w.wait_for(f"imported {drop / 'after.jsonl'}")
            assert "big.jsonl" not in w.text()
    finally:
        assert w.terminate() == 0
    want = 5 + len(rows) + (1 if when == "between" else 0)
    assert documents(idx) == want
    checked = unionsearch("check", "--index-dir", str(idx), "--quick", "--sample", "3")
    assert checked.returncode == 0, checked.stdout + checked.stderr  # no id twice


def test_sigterm_during_an_import_finishes_the_file_first(place) -> None:
    """SIGTERM arrives while the import is stopped at its commit (mid-file, for certain):
    the file is finished and recorded, then the watch stops."""
    drop, idx, log = place
    rows = corpus_rows(BIG, prefix="t", body_chars=200)
    w = Watch(drop, idx, log, env={"UNIONSEARCH_PAUSE_AT": "commit"})
    write_jsonl(drop / "big.jsonl", rows)
    w.wait_for("importing ")
    wait_paused(w.proc, w.log)
    assert "imported" not in w.text()
    assert w.terminate() == 0  # SIGTERM while held, then on past the pause
    text = w.text()
    assert f"imported {drop / 'big.jsonl'}: {BIG} added" in text
    assert text.index("imported") < text.index("stopped")
    state = json.loads((idx / "watch-state.json").read_text(encoding="utf-8"))
    assert state["files"][str(drop / "big.jsonl")]["status"] == "imported"


def test_watch_needs_a_folder(tmp_path) -> None:
    done = unionsearch("watch", str(tmp_path / "missing"), "--index-dir", str(tmp_path / "i"))
    assert done.returncode == 2 and "is not a folder" in done.stderr


# -- hostile drop folders: names that are not UTF-8, newlines, links ---------------------------

GBK_NAME = "工人日报-2022-05-04.jsonl".encode("gbk")


def test_a_name_that_is_not_utf8_is_imported_remembered_and_the_watch_goes_on(place) -> None:
    drop, idx, log = place
    odd = os.fsdecode(os.path.join(os.fsencode(drop), GBK_NAME))
    write_jsonl(Path(odd), corpus_rows(3, prefix="gbk"))
    w = Watch(drop, idx, log)
    try:
        w.wait_for("imported ")
        write_jsonl(drop / "next.jsonl", corpus_rows(2, prefix="nx", start=3))
        w.wait_for(f"imported {drop / 'next.jsonl'}: 2 added")  # still running
        text = w.text()
        assert "\\xb9\\xa4\\xc8\\xcb" in text and ": 3 added" in text  # the bytes, escaped
    finally:
        assert w.terminate() == 0
    raw = (idx / "watch-state.json").read_bytes()
    state = json.loads(raw.decode("utf-8"))  # strict UTF-8 JSON
    assert list(state["files_bytes"].values())[0]["status"] == "imported"

    w = Watch(drop, idx, log)  # the state read back: nothing imported again
    try:
        write_jsonl(drop / "later.jsonl", corpus_rows(1, prefix="lt", start=5))
        w.wait_for(f"imported {drop / 'later.jsonl'}")
        assert "\\xb9" not in w.text()
    finally:
        assert w.terminate() == 0
    assert documents(idx) == 6


def test_the_state_keeps_names_as_bytes_losslessly(tmp_path) -> None:
    from indexer.watch import WatchState

    names = [os.fsdecode(b"/drop/" + GBK_NAME), "/drop/普通-2022-05-04.jsonl",
             os.fsdecode(b"/drop/\xff\xfe.txt"), "/drop/a\nb.jsonl"]
    state = WatchState(str(tmp_path))
    for n, name in enumerate(names):
        state.files[name] = {"size": n, "mtime_ns": n, "sha256": "", "status": "imported",
                             "message": ""}
    state.save()
    again = WatchState(str(tmp_path))
    assert again.warning == ""
    assert {os.fsencode(k): v["size"] for k, v in again.files.items()} == {
        os.fsencode(k): n for n, k in enumerate(names)}


def test_a_state_file_that_cannot_be_written_does_not_stop_the_watch(place) -> None:
    drop, idx, log = place
    w = Watch(drop, idx, log)
    try:
        (idx / "watch-state.tmp").mkdir(parents=True)  # where the state is written first
        write_jsonl(drop / "one.jsonl", corpus_rows(2, prefix="one"))
        w.wait_for(f"imported {drop / 'one.jsonl'}: 2 added")
        assert "cannot write" in w.text()
        write_jsonl(drop / "two.jsonl", corpus_rows(2, prefix="two", start=2))
        w.wait_for(f"imported {drop / 'two.jsonl'}: 2 added")
    finally:
        assert w.terminate() == 0
    assert documents(idx) == 4


def test_a_name_with_a_newline_forges_no_log_line(place) -> None:
    drop, idx, log = place
    forged = "day\nimported FORGED.jsonl: 99 added\nx.jsonl"
    write_jsonl(drop / forged, corpus_rows(1, prefix="nl"))
    w = Watch(drop, idx, log)
    try:
        w.wait_for("imported ")
    finally:
        assert w.terminate() == 0
    lines = w.text().splitlines()
    assert not [ln for ln in lines if ln.startswith("imported FORGED")], lines
    assert any("day\\nimported FORGED.jsonl: 99 added\\nx.jsonl: 1 added" in ln for ln in lines)


def test_links_are_not_followed_out_of_the_folder(place, tmp_path) -> None:
    drop, idx, log = place
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    write_jsonl(elsewhere / "secret.jsonl", corpus_rows(2, prefix="secret"))
    (drop / "2022-05-02.txt").symlink_to("/etc/passwd")
    (drop / "2022-05-03.jsonl").symlink_to(elsewhere / "secret.jsonl")
    (drop / "linked").symlink_to(elsewhere, target_is_directory=True)
    w = Watch(drop, idx, log)
    try:
        w.wait_for("ignored ", 2)
        write_jsonl(drop / "real.jsonl", corpus_rows(2, prefix="real"))
        w.wait_for(f"imported {drop / 'real.jsonl'}: 2 added")
        text = w.text()
    finally:
        assert w.terminate() == 0
    assert f"ignored {drop / '2022-05-02.txt'}: a link" in text
    assert f"ignored {drop / '2022-05-03.jsonl'}: a link" in text
    assert "importing" not in text.replace(f"importing {drop / 'real.jsonl'}", "")
    assert documents(idx) == 2
    found = unionsearch("search", "root", "--json", "--index-dir", str(idx))
    assert json.loads(found.stdout)["total"] == 0


def test_a_file_swapped_for_a_link_is_not_read(tmp_path) -> None:
    from indexer.watch import import_file

    real = tmp_path / "2022-05-02.txt"
    real.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    st = os.lstat(real)
    real.unlink()
    real.symlink_to("/etc/passwd")  # after the watch looked, before the reader opens
    outcome = import_file(str(tmp_path / "idx"), str(real), identity=(st.st_dev, st.st_ino))
    assert outcome.status == "failed" and "a link" in outcome.message


def test_watch_dates_undated_pages_with_date(place) -> None:
    drop, idx, log = place
    w = Watch(drop, idx, log)
    try:
        shutil.copy(SAMPLE, drop / "undated.txt")
        w.wait_for(f"failed {drop / 'undated.txt'}: no article could be read (no issue date: "
                   "give --date")
    finally:
        assert w.terminate() == 0
    w = Watch(drop, idx, log, "--date", "2022-05-06")  # as the message said: tried again
    try:
        w.wait_for(f"imported {drop / 'undated.txt'}: 6 added")
    finally:
        assert w.terminate() == 0
    found = unionsearch("search", "", "--from", "2022-05-06", "--to", "2022-05-06", "--json",
                        "--index-dir", str(idx))
    assert json.loads(found.stdout)["total"] == 6
    bad = unionsearch("watch", str(drop), "--date", "0001-01-01", "--index-dir", str(idx))
    assert bad.returncode == 2 and "outside the range" in bad.stderr


def test_an_unexpected_error_exits_3_not_1(tmp_path, monkeypatch) -> None:
    """Exit 1 is restarted by the unit's Restart=on-failure for ever; an error the watch
    did not foresee (injected here) exits 3, which a restart would not cure either."""
    from click.testing import CliRunner

    import indexer.watch
    from web.cli import cli

    def broken(*args, **kwargs) -> None:
        raise RuntimeError("injected\nfault")

    monkeypatch.setattr(indexer.watch, "watch", broken)
    done = CliRunner().invoke(cli, ["watch", str(tmp_path), "--index-dir", str(tmp_path / "i")])
    assert done.exit_code == 3, done.output
    assert "unexpected error (RuntimeError('injected\\nfault'))" in done.output
