"""One settings file: unionsearch.toml, the environment and flags combine as documented.

Run through the installed command, as the IT colleague would: ``unionsearch config``
shows each value and its source; ``serve`` uses them; a typo stops start-up with the
file, the line and the reason (exit 2).
"""

from __future__ import annotations

import json

import pytest

from .helpers import (
    CLEAN,
    config_lines,
    free_port,
    http_get,
    kill_group,
    start_unionsearch,
    unionsearch,
    wait_healthy,
    write,
)


def test_flags_beat_environment_beat_file_beat_defaults(tmp_path) -> None:
    toml = write(tmp_path / "unionsearch.toml",
                 'port = 9100\nthreads = 3\nsite_title = "工会站"\nindex_dir = "/srv/idx"\n')
    got = config_lines("--config", str(toml), "--index-dir", "/flag/idx",
                       env={"UNIONSEARCH_THREADS": "5"})
    assert got["index_dir"] == ('"/flag/idx"', "command line")
    assert got["threads"] == ("5", "environment UNIONSEARCH_THREADS")
    assert got["port"] == ("9100", f"file {toml}")
    assert got["site_title"] == ('"工会站"', f"file {toml}")
    assert got["host"] == ('"127.0.0.1"', "default")
    assert got["metrics"] == ("false", "default")


def test_the_file_can_be_named_by_the_environment(tmp_path) -> None:
    toml = write(tmp_path / "u.toml", "metrics = true\nlog_format = \"json\"\n")
    got = config_lines(env={"UNIONSEARCH_CONFIG": str(toml)})
    assert got["metrics"] == ("true", f"file {toml}")
    assert got["log_format"] == ('"json"', f"file {toml}")


@pytest.mark.parametrize("text, line, reason", [
    ('port = 9000\n\nthreds = 4\n', 3, "unknown setting 'threds'"),
    ('site_title = "x"\nport = "nine"\n', 2, "port: must be a whole number"),
    ('threads = 0\n', 1, "threads: must be from 1 to 64"),
    ('\nlog_format = "xml"\n', 2, "log_format: must be one of common, json, off"),
    ('cors_origins = ["ftp://oa"]\n', 1, "is not an origin"),
    ('metrics = "maybe"\n', 1, "metrics: must be true or false"),
    ('synonyms = "/no/such/file.txt"\n', 1, "no such file"),
])
def test_a_bad_file_stops_with_file_line_and_reason(tmp_path, text, line, reason) -> None:
    toml = write(tmp_path / "unionsearch.toml", text)
    for command in (["config"], ["serve", "--index-dir", str(tmp_path / "none")]):
        done = unionsearch(*command, "--config", str(toml), env=CLEAN, timeout=60)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith(f"error: {toml}, line {line}: "), done.stderr
        assert reason in done.stderr
        assert "Traceback" not in done.stderr


def test_broken_toml_and_missing_file_are_named(tmp_path) -> None:
    toml = write(tmp_path / "unionsearch.toml", 'port = 9000\nsite_title = "未闭合\n')
    done = unionsearch("config", "--config", str(toml), env=CLEAN)
    assert done.returncode == 2
    assert str(toml) in done.stderr and "line 2" in done.stderr
    done = unionsearch("config", "--config", str(tmp_path / "absent.toml"), env=CLEAN)
    assert done.returncode == 2
    assert "absent.toml" in done.stderr and "cannot read" in done.stderr


def test_a_bad_environment_value_is_named(tmp_path) -> None:
    done = unionsearch("config", env={**CLEAN, "UNIONSEARCH_PORT": "80000"})
    assert done.returncode == 2
    assert "port (from environment UNIONSEARCH_PORT): must be from 1 to 65535" in done.stderr


def test_serve_uses_file_environment_and_flags_together(tmp_path, sample_index) -> None:
    port = free_port()
    toml = write(tmp_path / "unionsearch.toml",
                 f'index_dir = "{sample_index.index_dir}"\nsite_title = "文件里的站名"\n'
                 'port = 1\nmetrics = true\n')
    env = {**CLEAN, "UNIONSEARCH_CONFIG": str(toml), "UNIONSEARCH_PORT": str(port)}
    proc = start_unionsearch("serve", "--no-metrics", log=tmp_path / "log", env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, proc, tmp_path / "log")
        status, _, body = http_get(base, "/")
        assert status == 200 and "文件里的站名" in body.decode()  # from the file
        status, _, _ = http_get(base, "/metrics")
        assert status == 404  # the flag beat the file's metrics = true
    finally:
        kill_group(proc, 15)


def test_search_finds_the_index_named_in_the_file(tmp_path, sample_index) -> None:
    toml = write(tmp_path / "u.toml", f'index_dir = "{sample_index.index_dir}"\n')
    done = unionsearch("search", "工匠精神", "--json",
                       env={**CLEAN, "UNIONSEARCH_CONFIG": str(toml)}, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] >= 1
