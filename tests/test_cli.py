"""The command line as a user types it: real processes, a real index on disk."""

import json
import os
import re
import subprocess

from .helpers import BIN, SAMPLE, unionsearch


def test_index_search_stats_delete_roundtrip(tmp_path):
    idx = str(tmp_path / "idx")
    data = tmp_path / "a.jsonl"
    rows = [{"id": f"d{i}", "title": f"标题{i} 工匠", "body": f"第{i}篇 工匠精神 正文",
             "date": f"2022-01-{i + 1:02d}", "reporter": "张三"} for i in range(5)]
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")

    r = unionsearch("index", str(data), "--index-dir", idx)
    assert r.returncode == 0, r.stderr
    assert "5 added, 0 updated, 0 unchanged, 0 rejected" in r.stdout

    # Re-importing changes nothing; an edited article is updated, not duplicated.
    r = unionsearch("index", str(data), "--index-dir", idx)
    assert "0 added, 0 updated, 5 unchanged" in r.stdout
    rows[0]["body"] = "改过的正文 工匠精神"
    data.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in rows), encoding="utf-8")
    r = unionsearch("index", str(data), "--index-dir", idx)
    assert "0 added, 1 updated, 4 unchanged" in r.stdout

    r = unionsearch("search", "工匠精神", "--json", "--index-dir", idx)
    body = json.loads(r.stdout)
    assert body["total"] == 5 and set(body) >= {"query", "total", "page", "size", "took_ms",
                                                 "hits", "facets"}
    hit = body["hits"][0]
    assert set(hit) >= {"id", "title", "subtitle", "reporters", "date", "page", "title_html",
                        "snippet", "score"}
    assert body["facets"]["reporter"] == [{"value": "张三", "count": 5}]

    r = unionsearch("search", "", "--reporter", "张三", "--sort", "oldest", "--json",
                    "--index-dir", idx)
    assert [h["id"] for h in json.loads(r.stdout)["hits"]] == ["d0", "d1", "d2", "d3", "d4"]

    r = unionsearch("search", "工匠精神", "--index-dir", idx)
    assert r.returncode == 0 and "5 articles" in r.stdout and "【工匠精神】" in r.stdout

    r = unionsearch("stats", "--json", "--index-dir", idx)
    stats = json.loads(r.stdout)
    assert stats["documents"] == 5 and stats["issues"] == 5 and stats["reporters"] == 1
    assert stats["date_from"] == "2022-01-01" and stats["date_to"] == "2022-01-05"

    r = unionsearch("delete", "d1", "nope", "--index-dir", idx)
    assert r.returncode == 1 and "1 deleted, 1 not found" in r.stdout
    r = unionsearch("stats", "--json", "--index-dir", idx)
    assert json.loads(r.stdout)["documents"] == 4


def test_rejections_give_exit_status_1_and_name_file_and_line(tmp_path):
    data = tmp_path / "mixed.jsonl"
    data.write_text('{"title":"好","body":"正文","date":"2022-01-01"}\n{oops\n', encoding="utf-8")
    r = unionsearch("index", str(data), "--index-dir", str(tmp_path / "idx"))
    assert r.returncode == 1
    assert "1 added" in r.stdout and f"{data}, line 2" in r.stderr and "JSON" in r.stderr


def test_usage_errors_and_missing_index_exit_2(tmp_path):
    r = unionsearch("search", "x", "--index-dir", str(tmp_path / "none"))
    assert r.returncode == 2 and "No index" in r.stderr and "Traceback" not in r.stderr
    r = unionsearch("search", "x", "--size", "1000", "--index-dir", str(tmp_path))
    assert r.returncode == 2 and "size" in r.stderr
    r = unionsearch("index", str(SAMPLE), "--date", "2022-02-31", "--index-dir", str(tmp_path))
    assert r.returncode == 2 and "--date" in r.stderr
    r = unionsearch("frobnicate")
    assert r.returncode == 2


def test_index_dir_from_environment(tmp_path):
    env = {"UNIONSEARCH_INDEX_DIR": str(tmp_path / "envidx")}
    r = unionsearch("index", str(SAMPLE), env=env)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "envidx").is_dir()
    r = unionsearch("stats", "--json", env=env)
    assert json.loads(r.stdout)["documents"] == 6


def test_rebuild_replaces_the_index(tmp_path):
    idx = str(tmp_path / "idx")
    a = tmp_path / "a.jsonl"
    a.write_text('{"id":"x","title":"旧","body":"旧文","date":"2022-01-01"}\n', encoding="utf-8")
    b = tmp_path / "b.jsonl"
    b.write_text('{"id":"y","title":"新","body":"新文","date":"2022-01-02"}\n', encoding="utf-8")
    unionsearch("index", str(a), "--index-dir", idx)
    r = unionsearch("index", str(b), "--rebuild", "--index-dir", idx)
    assert r.returncode == 0, r.stderr
    r = unionsearch("search", "", "--json", "--index-dir", idx)
    assert [h["id"] for h in json.loads(r.stdout)["hits"]] == ["y"]


def test_file_names_are_printed_escaped_one_line_each(tmp_path):
    """A newline in a file name cannot forge a line of the output; bytes that are not
    UTF-8 (a GBK name) print as \\xNN in text and round-trip through --json."""
    drop = tmp_path / "drop"
    drop.mkdir()
    forged = os.path.join(os.fsencode(drop), b"evil\nrejected: forged.txt")
    with open(forged, "w", encoding="utf-8") as f:
        f.write("no date anywhere")
    gbk = os.path.join(os.fsencode(drop), "工匠.txt".encode("gbk"))
    with open(gbk, "w", encoding="utf-8") as f:
        f.write("2022-09-30\n工匠精神代代传\n本报讯 正文。\n")

    def run(*args: str) -> tuple[int, list[str], list[str]]:
        r = subprocess.run([str(BIN / "unionsearch"), *args, "--index-dir", str(tmp_path / "i")],
                           capture_output=True)
        out, err = r.stdout.decode("utf-8"), r.stderr.decode("utf-8")  # valid UTF-8
        return r.returncode, out.splitlines(), err.splitlines()

    code, out, err = run("index", str(drop))
    assert code == 1 and "1 added, 0 updated, 0 unchanged, 1 rejected" in out[-1]
    assert [line for line in err if line.startswith("rejected")] == [
        f"rejected: {drop}/evil\\nrejected: forged.txt: " + err[0].split("forged.txt: ", 1)[1]]
    code, out, _ = run("index", "--dry-run", str(drop))
    assert f"{drop}/evil\\nrejected: forged.txt" in out
    assert f"{drop}/\\xb9\\xa4\\xbd\\xb3.txt" in out
    assert not any(line.startswith("rejected: forged") for line in out)
    code, out, _ = run("index", "--dry-run", "--json", str(drop))
    files = {os.fsencode(json.loads(line)["file"]) for line in out}
    assert files == {forged, gbk}


def test_query_over_the_limit_is_refused_not_cut_short(tmp_path):
    """The parser reads 1,000 characters of a query: a longer one is refused by name, as
    the web refuses it, instead of being searched for its first 1,000 without a word."""
    idx = str(tmp_path / "none")
    r = unionsearch("search", "工" * 1001, "--index-dir", idx)
    assert r.returncode == 2
    assert "q is too long: 1001 characters, at most 1000" in r.stderr
    r = unionsearch("search", "工" * 1000, "--index-dir", idx)
    assert r.returncode == 2 and "too long" not in r.stderr and "No index" in r.stderr


def test_the_command_line_in_this_process_answers_as_the_installed_script(tmp_path):
    """Most tests run the command line in the test process (helpers.unionsearch); here the
    installed script and that way answer the same: output, errors and exit status, for a
    success, rejected input (1), a usage error and an unusable index (2), a damaged index."""
    idx = str(tmp_path / "idx")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "没有日期"}\n', encoding="utf-8")
    damaged = tmp_path / "damaged"
    runs = [("index", str(SAMPLE), "--index-dir", idx),
            ("search", "工匠精神", "--json", "--index-dir", idx),
            ("stats", "--index-dir", idx),
            ("index", str(bad), "--index-dir", idx),
            ("search", "工匠", "--sort", "sideways", "--index-dir", idx),
            ("stats", "--index-dir", str(tmp_path / "nowhere")),
            ("stats", "--index-dir", str(damaged))]
    for n, args in enumerate(runs):
        if args[-1] == str(damaged) and not damaged.exists():
            import shutil

            shutil.copytree(idx, damaged)
            toc = next(p for p in damaged.iterdir() if p.name.endswith(".toc"))
            toc.write_bytes(b"\x80\x04not a table of contents")
        here = unionsearch(*args)
        there = unionsearch(*args, process=True)
        if args[0] == "index" and n == 0:  # the first import made the index: compare a rerun
            here = unionsearch(*args)
        assert (here.returncode, here.stderr) == (there.returncode, there.stderr), args
        if args[0] == "search" and "--json" in args:  # took_ms differs between runs
            a, b = json.loads(here.stdout), json.loads(there.stdout)
            a.pop("took_ms"), b.pop("took_ms")
            assert a == b
        else:  # how long it took differs between runs
            took = re.compile(r"\bin \d+(\.\d+)? m?s\b")
            assert took.sub("", here.stdout) == took.sub("", there.stdout), args
    assert [unionsearch(*a).returncode for a in runs[3:]] == [1, 2, 2, 2]
