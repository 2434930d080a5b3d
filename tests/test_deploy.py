"""The deploy/ folder agrees with itself, with the docs and with the program.

docs/install.md and the units' ExecStart lines are run by tests/test_install.py; here:
systemd accepts the units, they confine the service as the install guide says, the example
settings file is valid and documents every setting with its default, and the install guide
names only files that exist and the paths the units use.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from web.settings import SETTINGS

from .helpers import BIN, REPO, unionsearch, unit_service

DEPLOY = REPO / "deploy"
UNITS = ["unionsearch.service", "unionsearch-watch.service"]


def doc(name: str) -> str:
    return (REPO / "docs" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", UNITS)
def test_systemd_accepts_the_unit(name, tmp_path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    text = (DEPLOY / name).read_text(encoding="utf-8")
    (tmp_path / name).write_text(text.replace("/opt/unionsearch/bin", str(BIN)))
    done = subprocess.run([analyze, "verify", str(tmp_path / name)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not re.search(r"Unknown|ignoring|Failed|Invalid", done.stderr), done.stderr


@pytest.mark.parametrize("name", UNITS)
def test_the_unit_confines_the_service_to_the_index(name) -> None:
    unit = unit_service(name)
    settings = tomllib.loads((DEPLOY / "unionsearch.toml").read_text(encoding="utf-8"))
    home = unit["ReadWritePaths"]
    assert unit["User"] == ["unionsearch"] and unit["Group"] == ["unionsearch"]
    assert unit["ProtectSystem"] == ["strict"] and unit["NoNewPrivileges"] == ["true"]
    assert len(home) == 1 and settings["index_dir"].startswith(home[0] + "/")
    assert unit["Restart"] == ["on-failure"]
    # unusable index/setting (2) or an unexpected error (3): no restart loop; others limited
    assert set(" ".join(unit["RestartPreventExitStatus"]).split()) == {"2", "3"}
    text = (DEPLOY / name).read_text(encoding="utf-8")
    assert re.search(r"^StartLimitBurst=5$", text[:text.index("[Service]")], re.M)
    assert unit["StandardOutput"] == ["journal"] and unit["StandardError"] == ["journal"]
    assert unit["Environment"] == ["UNIONSEARCH_CONFIG=/etc/unionsearch/unionsearch.toml"]
    assert unit["ExecStart"][0].startswith("/opt/unionsearch/bin/unionsearch ")


def test_the_example_settings_file_documents_every_setting_with_its_default() -> None:
    path = DEPLOY / "unionsearch.toml"
    done = unionsearch("config", "--config", str(path),
                       env={s.env: "" for s in SETTINGS} | {"UNIONSEARCH_CONFIG": ""})
    assert done.returncode == 0, done.stderr
    values = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(values) == {s.key for s in SETTINGS}
    for s in SETTINGS:
        if s.key != "index_dir":
            assert values[s.key] == s.default, s.key


def test_the_nginx_snippet_is_the_one_in_the_operations_guide() -> None:
    snippet = (DEPLOY / "nginx-unionsearch.conf").read_text(encoding="utf-8")
    block = snippet[snippet.index("location"):].strip()
    assert block in doc("operations.md")


def test_the_nginx_snippet_keeps_metrics_off_the_proxy(tmp_path) -> None:
    """Real nginx with the shipped snippet in front of a real ``serve --metrics``: every
    spelling of /search/metrics is refused, the pages pass; the service's own address
    still answers the monitoring system."""
    from .helpers import SAMPLE, Server, free_port, http_get, wait_healthy

    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)
    if nginx is None:
        pytest.skip("nginx is not installed")
    done = unionsearch("index", str(SAMPLE), "--index-dir", str(tmp_path / "idx"))
    assert done.returncode == 0, done.stderr
    srv = Server(tmp_path / "idx", log=tmp_path / "serve.log", metrics=True)
    with srv:
        port = free_port()
        snippet = (DEPLOY / "nginx-unionsearch.conf").read_text(encoding="utf-8")
        snippet = snippet.replace("http://127.0.0.1:8000/", srv.base + "/")
        (tmp_path / "logs").mkdir()
        (tmp_path / "nginx.conf").write_text(
            "pid nginx.pid; error_log logs/error.log; events {}\n"
            "http { access_log off; client_body_temp_path tmp; proxy_temp_path tmp;\n"
            f"  server {{ listen 127.0.0.1:{port};\n{snippet}\n  }}\n}}\n",
            encoding="utf-8")
        proc = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", "nginx.conf", "-g",
                                 "daemon off;"], stderr=subprocess.PIPE)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_healthy(base, proc, lambda: proc.stderr.read().decode(errors="replace"),
                         hang_s=30, path="/search/healthz")  # through nginx
            for target in ("/search/metrics", "/search//metrics", "/search/%6detrics",
                           "/search/./metrics", "/search/x/../metrics", "/search/metrics?",
                           "/search/metrics/", "/search/%2Fmetrics", "/search//%6Detrics"):
                status, _, body = http_get(base, target)
                assert status in (400, 404) and b"unionsearch_requests" not in body, target
            status, _, body = http_get(base, "/search/search?q=%E5%B7%A5%E5%8C%A0")
            assert status == 200 and b'action="/search/search"' in body
            status, _, body = http_get(srv.base, "/metrics")  # the monitoring system's way
            assert status == 200 and b"unionsearch_requests" in body
        finally:
            proc.terminate()
            proc.wait(30)


def test_the_install_guide_names_what_exists() -> None:
    section = doc("install.md")
    named = set(re.findall(r"deploy/[\w.-]+", section))
    assert named >= {f"deploy/{n}" for n in UNITS} | {"deploy/unionsearch.toml",
                                                      "deploy/nginx-unionsearch.conf"}
    for rel in named:
        assert (REPO / rel).exists(), rel
    for name in UNITS:  # the unit's program and settings are where the guide puts them
        unit = unit_service(name)
        assert unit["ExecStart"][0].split()[0].removesuffix("/bin/unionsearch") in section
        assert "/etc/unionsearch/unionsearch.toml" in section
        assert unit["ReadWritePaths"][0] in section
    watch = unit_service("unionsearch-watch.service")["ExecStart"][0].split()[-1]
    assert watch in section
